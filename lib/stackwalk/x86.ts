/**
 * x86 unwinding, in the order breakpad's stackwalker_x86 and DbgHelp use:
 * 1. the frame data for EIP (`WalkModule.x86FrameInfo`): a FRAMEDATA program run by
 *    formats/pdb/frame-program.ts, or for an old FPO_DATA record (no program) a program made
 *    from its fields (a non-FPO frame: the EBP chain);
 * 2. the EBP chain: return address at [EBP+4], caller EBP at [EBP], ESP = EBP + 8
 *    (walk.ts calls `unwindX86FramePointer` when 1 gives nothing);
 * 3. stack scanning (scan.ts).
 * `.raSearch`/`.raSearchStart` is ESP + the callee's parameter bytes + locals + saved registers,
 * moved up by at most 3 words to the first return address (the stack may have been aligned).
 */
import { runFrameProgram } from '../formats/pdb/frame-program';
import { readU32 } from './memory';
import { isReturnAddress } from './scan';
import { fail, keep, moduleOf, Step, StepContext } from './step';
import { RegisterSet, X86FrameInfo } from './types';

export const X86_CALLEE_SAVED = ['ebx', 'ebp', 'esi', 'edi'] as const;
const M32 = 0xffffffffn;

/** Programs for frame data without one (breakpad's, from DIA's meaning of the FPO fields). */
export function programFor(info: X86FrameInfo): string {
  if (info.program) return info.program;
  if (info.kind === 'fpo' && info.fpoFrameType === 3) return '$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =';
  if (info.allocatesBasePointer) return '$eip .raSearchStart ^ = $esp .raSearchStart 4 + = $ebp $esp .cbCalleeParams + .cbSavedRegs + 8 - ^ =';
  return '$eip .raSearchStart ^ = $esp .raSearchStart 4 + =';
}

export interface X86StepResult {
  step: Step;
  /** The parameter bytes of the function this step unwound (the next step's .cbCalleeParams). */
  paramsSize: number;
}

export function unwindX86FrameData(callee: RegisterSet, ctx: StepContext, calleeParams: number): X86StepResult {
  const eip = callee.get('eip');
  const esp = callee.get('esp');
  if (eip === undefined || esp === undefined) return { step: fail('no-info', 'eip or esp unknown'), paramsSize: 0 };
  const m = moduleOf(ctx, eip);
  let info: X86FrameInfo | undefined;
  try {
    info = m?.x86FrameInfo?.(Number(eip - m.base));
  } catch (e) {
    return { step: fail('bad-unwind', `frame data: ${e instanceof Error ? e.message : String(e)}`), paramsSize: 0 };
  }
  if (!m || !info) return { step: fail('no-info', 'no frame data'), paramsSize: 0 };
  const program = programFor(info);
  let raSearch = (esp + BigInt(calleeParams + info.localsSize + info.savedRegsSize)) & M32;
  for (let i = 0; i < 4; i++) {
    const a = readU32(ctx.memory, raSearch + BigInt(4 * i));
    if (a !== undefined && isReturnAddress(ctx, BigInt(a))) {
      raSearch += BigInt(4 * i);
      break;
    }
  }
  const vars = new Map<string, number>();
  for (const r of ['eip', 'esp', 'ebp', 'ebx', 'esi', 'edi']) {
    const v = callee.get(r);
    if (v !== undefined) vars.set(`$${r}`, Number(v & M32));
  }
  vars.set('.raSearch', Number(raSearch));
  vars.set('.raSearchStart', Number(raSearch));
  vars.set('.cbSavedRegs', info.savedRegsSize);
  vars.set('.cbLocals', info.localsSize);
  vars.set('.cbParams', info.paramsSize);
  vars.set('.cbCalleeParams', calleeParams);
  const r = runFrameProgram(program, { vars, readU32: (a) => readU32(ctx.memory, BigInt(a)) });
  if (!r.ok) return { step: fail(r.reason === 'memory' ? 'memory' : 'bad-unwind', `frame program: ${r.detail}`), paramsSize: info.paramsSize };
  const newEip = r.vars.get('$eip');
  const newEsp = r.vars.get('$esp');
  if (newEip === undefined || newEsp === undefined) return { step: fail('bad-unwind', `frame program "${program}" sets no $eip/$esp`), paramsSize: info.paramsSize };
  if (newEip === 0) return { step: { kind: 'end' }, paramsSize: info.paramsSize };
  const regs = keep(callee, X86_CALLEE_SAVED);
  for (const name of X86_CALLEE_SAVED) {
    const v = r.vars.get(`$${name}`);
    if (v !== undefined) regs.set(name, BigInt(v));
  }
  regs.set('eip', BigInt(newEip));
  regs.set('esp', BigInt(newEsp));
  return { step: { kind: 'frame', registers: regs, note: info.kind }, paramsSize: info.paramsSize };
}

/** The EBP chain. */
export function unwindX86FramePointer(callee: RegisterSet, ctx: StepContext): Step {
  const ebp = callee.get('ebp');
  const esp = callee.get('esp');
  if (ebp === undefined || esp === undefined) return fail('no-info', 'ebp or esp unknown');
  if (ebp === 0n || ebp < esp || ebp & 3n) return fail('no-info', `ebp 0x${ebp.toString(16)} is not a frame pointer`);
  const ret = readU32(ctx.memory, ebp + 4n);
  const saved = readU32(ctx.memory, ebp);
  if (ret === undefined || saved === undefined) return fail('memory', `frame at ebp 0x${ebp.toString(16)} not readable`);
  if (ret === 0) return { kind: 'end' };
  const regs = keep(callee, ['ebx', 'esi', 'edi']);
  regs.set('ebp', BigInt(saved));
  regs.set('eip', BigInt(ret));
  regs.set('esp', ebp + 8n);
  return { kind: 'frame', registers: regs };
}
