/**
 * Breakpad's postfix expressions as STACK CFI rules use them (docs/symbol_files.md; the
 * processor's PostfixEvaluator::EvaluateForValue): tokens separated by white space, evaluated
 * on a stack of machine words to exactly one value.
 *   numbers   decimal, optionally negative (`-16`, wrapping as the unsigned word), or `0x` hex;
 *   names     registers and `.cfa` (`$rsp`, `$ebp`, `sp`, `x29`, `.cfa`): the value in `vars`;
 *   `+ - * / %`  on the word (unsigned; / and % by 0 fail);
 *   `@`       align down: a @ b = a & ~(b - 1);
 *   `^`       the word at the address on top (8 bytes for 64-bit, 4 for x86), little-endian.
 * Bounded (MAX_CFI_TOKENS tokens); any malformed expression, unknown name or unreadable word is a
 * failure result, never an exception.
 */
import { applyPostfixOperator, isPostfixOperator } from '../formats/pdb/postfix-arithmetic';

export const MAX_CFI_TOKENS = 1024;

export interface CfiEnv {
  /** 4 (x86) or 8 (amd64, arm64): the word size of arithmetic and `^`. */
  wordSize: 4 | 8;
  vars: ReadonlyMap<string, bigint>;
  /** The little-endian word at an address, or undefined when unreadable. */
  readWord(address: bigint): bigint | undefined;
}

export type CfiValue = { ok: true; value: bigint } | { ok: false; reason: 'syntax' | 'memory' | 'undefined-variable' | 'divide-by-zero'; detail: string };

export function evaluateCfiExpression(expr: string, env: CfiEnv): CfiValue {
  const mask = env.wordSize === 8 ? 0xffffffffffffffffn : 0xffffffffn;
  const tokens = expr.split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length > MAX_CFI_TOKENS) return { ok: false, reason: 'syntax', detail: `more than ${MAX_CFI_TOKENS} tokens` };
  const stack: bigint[] = [];
  for (const tok of tokens) {
    if (/^-?[0-9]+$/.test(tok) || /^0x[0-9a-f]+$/i.test(tok)) {
      stack.push(BigInt(tok) & mask);
      continue;
    }
    if (tok === '^') {
      const a = stack.pop();
      if (a === undefined) return { ok: false, reason: 'syntax', detail: `"${expr}": ^ with an empty stack` };
      const w = env.readWord(a);
      if (w === undefined) return { ok: false, reason: 'memory', detail: `"${expr}": no word at 0x${a.toString(16)}` };
      stack.push(w & mask);
      continue;
    }
    if (isPostfixOperator(tok)) {
      const b = stack.pop();
      const a = stack.pop();
      if (a === undefined || b === undefined) return { ok: false, reason: 'syntax', detail: `"${expr}": ${tok} needs two operands` };
      const r = applyPostfixOperator(tok, a, b, mask);
      if (r === undefined) return { ok: false, reason: 'divide-by-zero', detail: `"${expr}": ${tok} by 0` };
      stack.push(r);
      continue;
    }
    if (/^[.$A-Za-z_][\w.$]*$/.test(tok)) {
      const v = env.vars.get(tok);
      if (v === undefined) return { ok: false, reason: 'undefined-variable', detail: `"${expr}": ${tok} is not known` };
      stack.push(v & mask);
      continue;
    }
    return { ok: false, reason: 'syntax', detail: `"${expr}": bad token "${tok}"` };
  }
  if (stack.length !== 1) return { ok: false, reason: 'syntax', detail: `"${expr}" leaves ${stack.length} values` };
  return { ok: true, value: stack[0] };
}
