/**
 * Unwinding one frame with Breakpad STACK CFI rules (`WalkModule.cfiRules`, e.g. from a .sym
 * file through breakpadWalkInfo), as Breakpad's CFIFrameInfo::FindCallerRegs and CFIWalker do:
 * `.cfa` is evaluated over the callee's registers, then `.ra` and every register rule over the
 * callee's registers and `.cfa`; the caller's stack pointer is `.cfa`, its instruction pointer
 * `.ra`; a register with a rule takes its value; a callee-saved register without one keeps the
 * callee's value (others are unknown). Rules are looked up at the instruction for the context
 * frame and at the return address - 1 for callers (the call, which may be a function's last
 * instruction).
 *
 * Register names in rules: x86 `$eip $esp $ebp $ebx $esi $edi $eax $ecx $edx`; amd64 `$rax`..
 * `$r15`, `$rip`, `$rsp`; arm64 `x0`..`x30`, `sp`, `pc` (x29 is our `fp`, x30 `lr`); a name with
 * or without `$` is accepted on every architecture.
 */
import { evaluateCfiExpression } from './cfi-expression';
import { readU32, readU64 } from './memory';
import { fail, moduleOf, Step, StepContext } from './step';
import { RegisterSet, WalkArch } from './types';

/** Callee-saved registers (Windows conventions; arm64 AAPCS64 x19-x28, fp). */
const CALLEE_SAVED: Record<WalkArch, readonly string[]> = {
  x86: ['ebx', 'ebp', 'esi', 'edi'],
  amd64: ['rbx', 'rbp', 'rdi', 'rsi', 'r12', 'r13', 'r14', 'r15'],
  arm64: ['x19', 'x20', 'x21', 'x22', 'x23', 'x24', 'x25', 'x26', 'x27', 'x28', 'fp'],
};
const IP = { x86: 'eip', amd64: 'rip', arm64: 'pc' } as const;
const SP = { x86: 'esp', amd64: 'rsp', arm64: 'sp' } as const;
const ALIAS: Record<string, string> = { x29: 'fp', x30: 'lr' };

/** A rule's register name as our RegisterSet spells it (`$rbx` → rbx, `x29` → fp). */
export function cfiRegisterName(name: string): string {
  const n = name.startsWith('$') ? name.slice(1) : name;
  return ALIAS[n] ?? n;
}

/** What unwindBreakpadCfi answers for a module without STACK CFI rules (the walker then lists no attempt). */
export const NO_CFI_RULES = 'no STACK CFI rules';

export function unwindBreakpadCfi(callee: RegisterSet, ctx: StepContext): Step {
  const ip = callee.get(IP[ctx.arch]);
  if (ip === undefined) return fail('no-info', `${IP[ctx.arch]} unknown`);
  const at = ctx.contextFrame ? ip : ip - 1n;
  const m = moduleOf(ctx, at);
  if (!m?.cfiRules) return fail('no-info', NO_CFI_RULES);
  let rules: Record<string, string> | undefined;
  try {
    rules = m.cfiRules(Number(at - m.base));
  } catch (e) {
    return fail('bad-unwind', `STACK CFI: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!rules) return fail('no-info', 'no STACK CFI record covers the address');
  const cfaRule = rules['.cfa'];
  const raRule = rules['.ra'];
  if (cfaRule === undefined || raRule === undefined) return fail('bad-unwind', 'STACK CFI rules without .cfa or .ra');
  const wordSize = ctx.arch === 'x86' ? 4 : 8;
  const vars = new Map<string, bigint>();
  for (const [name, v] of callee) {
    vars.set(name, v);
    vars.set(`$${name}`, v);
  }
  for (const [alias, name] of Object.entries(ALIAS)) {
    const v = callee.get(name);
    if (v !== undefined) {
      vars.set(alias, v);
      vars.set(`$${alias}`, v);
    }
  }
  const env = {
    wordSize: wordSize as 4 | 8,
    vars,
    readWord: (a: bigint): bigint | undefined => {
      if (wordSize === 8) return readU64(ctx.memory, a);
      const w = readU32(ctx.memory, a);
      return w === undefined ? undefined : BigInt(w);
    },
  };
  const cfa = evaluateCfiExpression(cfaRule, env);
  if (!cfa.ok) return fail(cfa.reason === 'memory' ? 'memory' : 'bad-unwind', `.cfa: ${cfa.detail}`);
  vars.set('.cfa', cfa.value);
  const out: RegisterSet = new Map();
  for (const r of CALLEE_SAVED[ctx.arch]) {
    const v = callee.get(r);
    if (v !== undefined) out.set(r, v);
  }
  for (const [reg, expr] of Object.entries(rules)) {
    if (reg === '.cfa') continue;
    const r = evaluateCfiExpression(expr, env);
    if (!r.ok) {
      if (reg === '.ra') return fail(r.reason === 'memory' ? 'memory' : 'bad-unwind', `.ra: ${r.detail}`);
      // Breakpad drops the register (unknown in the caller) rather than the frame.
      out.delete(cfiRegisterName(reg));
      continue;
    }
    out.set(reg === '.ra' ? IP[ctx.arch] : cfiRegisterName(reg), r.value);
  }
  out.set(SP[ctx.arch], cfa.value);
  if (out.get(IP[ctx.arch]) === 0n) return { kind: 'end' };
  return { kind: 'frame', registers: out, note: 'breakpad-cfi' };
}
