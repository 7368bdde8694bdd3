/**
 * The x86 frame program of a FRAMEDATA record (cvinfo.h "New FPO"; the program text is a /names
 * string): a postfix language that computes the caller's registers from the callee's. Tokens are
 * separated by white space (an `=` glued to a neighbour is split off):
 *   numbers (decimal; 0x hex accepted), variables (`$eip`, `$esp`, `$ebp`, `$ebx`, `$esi`,
 *   `$edi`, temporaries `$T0`.., `$L`, `$P`; `$20`..`$24` are CodeView register numbers for
 *   EBX, ESP, EBP, ESI, EDI), inputs (`.raSearch`, `.raSearchStart`, `.cbSavedRegs`,
 *   `.cbLocals`, `.cbParams`, `.cbCalleeParams`), operators `+ - * / %` (32-bit unsigned),
 *   `@` (align down: a @ b = a & -b), `^` (the 32-bit word at an address), `=` (assign the value
 *   on top to the variable under it).
 * Evaluation is bounded (at most MAX_TOKENS tokens, stack depth the token count); a malformed
 * program or an unreadable word gives a failure result, never an exception.
 */
import { applyPostfixOperator, isPostfixOperator } from './postfix-arithmetic';

export const MAX_FRAME_PROGRAM_TOKENS = 4096;

/** CodeView x86 register numbers (CV_REG_*) used as `$nn` in programs. */
const CV_REGISTER_ALIASES: Record<string, string> = { $17: '$eax', $18: '$ecx', $19: '$edx', $20: '$ebx', $21: '$esp', $22: '$ebp', $23: '$esi', $24: '$edi' };

export interface FrameProgramEnv {
  /** Values of the variables and inputs the program may read (u32). */
  readonly vars: ReadonlyMap<string, number>;
  /** The 32-bit little-endian word at `address`, or undefined when unreadable. */
  readU32(address: number): number | undefined;
}

export type FrameProgramResult = { ok: true; vars: Map<string, number> } | { ok: false; reason: 'syntax' | 'memory' | 'undefined-variable' | 'divide-by-zero'; detail: string };

type Item = { name: string } | number;

function canonical(name: string): string {
  return CV_REGISTER_ALIASES[name] ?? name;
}

function parseNumber(tok: string): number | undefined {
  if (/^-?[0-9]+$/.test(tok)) return Number(tok) >>> 0;
  if (/^0x[0-9a-f]+$/i.test(tok)) return Number(tok) >>> 0;
  return undefined;
}

/** Runs `program`; the result holds every variable's final value (the inputs included). */
export function runFrameProgram(program: string, env: FrameProgramEnv): FrameProgramResult {
  // Some compilers glue `=` to the next token (`=$eip`, seen in crash.pdb): split it off.
  const tokens = program
    .split(/\s+/)
    .flatMap((t) => (t.length > 1 && t.startsWith('=') ? ['=', t.slice(1)] : t.length > 1 && t.endsWith('=') ? [t.slice(0, -1), '='] : [t]))
    .filter((t) => t.length > 0);
  if (tokens.length > MAX_FRAME_PROGRAM_TOKENS) return { ok: false, reason: 'syntax', detail: `${tokens.length} tokens (at most ${MAX_FRAME_PROGRAM_TOKENS})` };
  const vars = new Map<string, number>();
  for (const [k, v] of env.vars) vars.set(canonical(k), v >>> 0);
  const stack: Item[] = [];
  const fail = (reason: 'syntax' | 'memory' | 'undefined-variable' | 'divide-by-zero', detail: string, i: number): FrameProgramResult => ({
    ok: false,
    reason,
    detail: `${detail} (token ${i + 1} of "${program.trim()}")`,
  });
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const value = (it: Item | undefined): number | string => {
      if (it === undefined) return 'stack underflow';
      if (typeof it === 'number') return it;
      const v = vars.get(it.name);
      return v === undefined ? `undefined variable ${it.name}` : v;
    };
    if (t === '=') {
      const v = value(stack.pop());
      const target = stack.pop();
      if (typeof v === 'string') return fail(v.startsWith('undefined') ? 'undefined-variable' : 'syntax', v, i);
      if (target === undefined || typeof target === 'number' || !target.name.startsWith('$')) return fail('syntax', '= without a $variable to assign', i);
      vars.set(target.name, v);
    } else if (t === '^') {
      const a = value(stack.pop());
      if (typeof a === 'string') return fail(a.startsWith('undefined') ? 'undefined-variable' : 'syntax', a, i);
      const w = env.readU32(a);
      if (w === undefined) return fail('memory', `cannot read the word at 0x${a.toString(16)}`, i);
      stack.push(w >>> 0);
    } else if (isPostfixOperator(t)) {
      const b = value(stack.pop());
      const a = value(stack.pop());
      if (typeof b === 'string') return fail(b.startsWith('undefined') ? 'undefined-variable' : 'syntax', b, i);
      if (typeof a === 'string') return fail(a.startsWith('undefined') ? 'undefined-variable' : 'syntax', a, i);
      const r = applyPostfixOperator(t, BigInt(a), BigInt(b), 0xffffffffn);
      if (r === undefined) return fail('divide-by-zero', t === '/' ? 'division by 0' : 'remainder by 0', i);
      stack.push(Number(r));
    } else {
      const n = parseNumber(t);
      if (n !== undefined) stack.push(n);
      else if (/^[$.][A-Za-z0-9_]+$/.test(t)) stack.push({ name: canonical(t) });
      else return fail('syntax', `bad token '${t}'`, i);
    }
  }
  if (stack.length !== 0) return { ok: false, reason: 'syntax', detail: `${stack.length} values left on the stack after "${program.trim()}"` };
  return { ok: true, vars };
}
