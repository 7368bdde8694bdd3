/**
 * ARM64 unwinding from .pdata (Microsoft "ARM64 exception handling"):
 * - the entry for PC: packed data is expanded to the canonical prolog it stands for
 *   (`packedOps`), an .xdata record is decoded (formats/pe/arm64-unwind-info.ts);
 * - PC in an epilog (a scope of the record, the single E epilog, or the packed epilog at the
 *   function's end): the epilog's codes not yet run are undone; PC in the prolog: the codes of
 *   the instructions already run; else all prolog codes;
 * - then PC = LR (restored or, in a leaf, as it is). Return addresses are stripped of PAC bits
 *   (the top 16 bits) when the stripped address is in a module.
 * No entry: the context frame is a leaf (PC = LR, SP unchanged); later frames use the fp/lr chain
 * (`unwindArm64FramePointer`: [fp] the caller's fp, [fp+8] the return address, SP = fp + 16).
 */
import { DbgHelpError } from '../api/errors';
import { Cursor } from '../formats/binary/cursor';
import { Arm64PackedUnwind, Arm64RuntimeFunction } from '../formats/pe/arm64-runtime-function';
import { arm64OpInstructions, Arm64UnwindOp } from '../formats/pe/arm64-unwind-code';
import { arm64OpsAt, Arm64UnwindInfo, arm64UnwindInfoSize, readArm64UnwindInfo } from '../formats/pe/arm64-unwind-info';
import { readU64, safeReadRva } from './memory';
import { memoRecord, moduleUnwind } from './module-unwind';
import { fail, keep, moduleOf, Step, StepContext } from './step';
import { RegisterSet, WalkModule } from './types';

export const ARM64_CALLEE_SAVED = ['x19', 'x20', 'x21', 'x22', 'x23', 'x24', 'x25', 'x26', 'x27', 'x28', 'fp'] as const;

/** Strips pointer-authentication bits from a return address when that makes it a code address. */
export function stripPac(ctx: StepContext, address: bigint): bigint {
  if (address >> 48n === 0n) return address;
  const bare = address & 0xffffffffffffn;
  return moduleOf(ctx, bare) ? bare : address;
}

/** The unwind codes a packed entry stands for, in unwind order, and how many belong to its epilog. */
export function packedOps(p: Arm64PackedUnwind): { prolog: Arm64UnwindOp[]; epilog: Arm64UnwindOp[] } {
  const run: Arm64UnwindOp[] = []; // prolog execution order; each one instruction
  const intsz = p.regI * 8 + (p.cr === 1 ? 8 : 0);
  const fpsz = p.regF ? (p.regF + 1) * 8 : 0;
  const savsz = (intsz + fpsz + (p.homesParameters ? 64 : 0) + 0xf) & ~0xf;
  const locsz = p.frameSize - savsz;
  let pre = savsz; // the first save allocates the save area (pre-indexed)
  const save = (regs: string[], offset: number, float = false) => {
    if (pre) {
      run.push({ kind: 'save', regs, offset: 0, writeback: pre, float });
      pre = 0;
    } else run.push({ kind: 'save', regs, offset, writeback: 0, float });
  };
  if (p.cr === 2) run.push({ kind: 'nop', what: 'pacibsp' });
  const x = (n: number) => `x${19 + n}`;
  for (let i = 0; i + 1 < p.regI; i += 2) save([x(i), x(i + 1)], i * 8);
  if (p.regI & 1) save(p.cr === 1 ? [x(p.regI - 1), 'lr'] : [x(p.regI - 1)], (p.regI - 1) * 8);
  else if (p.cr === 1) save(['lr'], intsz - 8);
  const nf = p.regF ? p.regF + 1 : 0;
  for (let i = 0; i + 1 < nf; i += 2) save([`d${8 + i}`, `d${9 + i}`], intsz + i * 8, true);
  if (nf & 1) save([`d${8 + nf - 1}`], intsz + (nf - 1) * 8, true);
  const homes = p.homesParameters ? 4 : 0;
  for (let i = 0; i < homes; i++) {
    if (pre) {
      run.push({ kind: 'alloc', size: pre });
      pre = 0;
    } else run.push({ kind: 'nop', what: 'home parameters' });
  }
  if (pre) run.push({ kind: 'alloc', size: pre });
  const chained = p.cr === 2 || p.cr === 3;
  if (chained) {
    if (locsz <= 512) run.push({ kind: 'save', regs: ['fp', 'lr'], offset: 0, writeback: locsz, float: false });
    else {
      if (locsz > 4080) run.push({ kind: 'alloc', size: 4080 }, { kind: 'alloc', size: locsz - 4080 });
      else run.push({ kind: 'alloc', size: locsz });
      run.push({ kind: 'save', regs: ['fp', 'lr'], offset: 0, writeback: 0, float: false });
    }
    run.push({ kind: 'set_fp' });
  } else if (locsz > 4080) run.push({ kind: 'alloc', size: 4080 }, { kind: 'alloc', size: locsz - 4080 });
  else if (locsz > 0) run.push({ kind: 'alloc', size: locsz });
  const prolog = run.slice().reverse();
  const epilog = prolog.filter((o) => !(o.kind === 'nop' && o.what === 'home parameters') && o.kind !== 'set_fp');
  return { prolog, epilog };
}

const instructions = (ops: readonly Arm64UnwindOp[]) => ops.reduce((n, o) => n + arm64OpInstructions(o), 0);

/** Drops the first `n` instruction codes (those already run, or in a prolog not yet run). */
function dropInstructions(ops: readonly Arm64UnwindOp[], n: number): Arm64UnwindOp[] {
  let i = 0;
  while (n > 0 && i < ops.length) {
    n -= arm64OpInstructions(ops[i]);
    i++;
  }
  return ops.slice(i);
}

interface FunctionOps {
  length: number;
  ops: Arm64UnwindOp[];
  note: string;
}

function opsFor(m: WalkModule, f: Arm64RuntimeFunction, offset: number): FunctionOps | undefined {
  if (f.packed) {
    const p = f.packed;
    if (offset >= p.functionLength) return undefined;
    const { prolog, epilog } = packedOps(p);
    const epStart = p.functionLength - 4 * (instructions(epilog) + 1);
    if (offset >= epStart && epStart >= 0) return { length: p.functionLength, ops: dropInstructions(epilog, (offset - epStart) / 4), note: 'packed epilog' };
    const n = instructions(prolog);
    if (!p.fragment && offset < 4 * n) return { length: p.functionLength, ops: dropInstructions(prolog, n - offset / 4), note: 'packed prolog' };
    return { length: p.functionLength, ops: prolog, note: 'packed' };
  }
  const info = memoRecord(m, 'xdata', f.xdata!, () => readXdata(m, f.xdata!));
  if (offset >= info.functionLength) return undefined;
  // Only the scope starting last at or before the offset can hold it (a corrupt record may list
  // 65535 scopes: decode one, not all).
  let best: (typeof info.epilogs)[number] | undefined;
  for (const e of info.epilogs) if (e.start <= offset && (!best || e.start > best.start)) best = e;
  const scopes = best ? [{ start: best.start, ops: arm64OpsAt(info, best.codeIndex) }] : [];
  if (info.singleEpilogCodeIndex !== undefined) {
    const ops = arm64OpsAt(info, info.singleEpilogCodeIndex);
    scopes.push({ start: info.functionLength - 4 * (instructions(ops) + 1), ops });
  }
  for (const s of scopes) {
    const n = instructions(s.ops);
    if (offset >= s.start && offset <= s.start + 4 * n) return { length: info.functionLength, ops: dropInstructions(s.ops, (offset - s.start) / 4), note: 'epilog' };
  }
  const prolog = arm64OpsAt(info, 0);
  const n = instructions(prolog);
  if (offset < 4 * n) return { length: info.functionLength, ops: dropInstructions(prolog, n - offset / 4), note: 'prolog' };
  return { length: info.functionLength, ops: prolog, note: 'xdata' };
}

function readXdata(m: WalkModule, rva: number): Arm64UnwindInfo {
  const origin = `${m.name} .xdata`;
  const head = safeReadRva(m, rva, 8) ?? safeReadRva(m, rva, 4);
  if (!head) throw new DbgHelpError('BAD_FORMAT', `${origin}: not readable at RVA 0x${rva.toString(16)}`, { file: m.name, offset: rva });
  const size = arm64UnwindInfoSize(Cursor.of(head, origin, rva));
  const bytes = safeReadRva(m, rva, size);
  if (!bytes) throw new DbgHelpError('BAD_FORMAT', `${origin}: ${size} bytes not readable at RVA 0x${rva.toString(16)}`, { file: m.name, offset: rva });
  return readArm64UnwindInfo(Cursor.of(bytes, origin, rva));
}

export function unwindArm64(callee: RegisterSet, ctx: StepContext): Step {
  const pc = callee.get('pc');
  const sp0 = callee.get('sp');
  if (pc === undefined || sp0 === undefined) return fail('no-info', 'pc or sp unknown');
  const m = moduleOf(ctx, pc);
  if (!m) {
    // A context frame outside every module (a call through a bad pointer) returns through LR.
    if (ctx.contextFrame && callee.get('lr') !== undefined) return finish(ctx, new Map([...keep(callee, ARM64_CALLEE_SAVED), ['lr', callee.get('lr')!]]), sp0, 'leaf');
    return fail('no-info', `no module at 0x${pc.toString(16)}`);
  }
  const table = moduleUnwind(m).arm64;
  if (!table) return fail('no-info', `${m.name}: ${moduleUnwind(m).problem ?? 'no ARM64 unwind data'}`);
  const rva = Number(pc - m.base);
  const regs = keep(callee, ARM64_CALLEE_SAVED);
  const lr0 = callee.get('lr');
  if (lr0 !== undefined) regs.set('lr', lr0);
  let found: FunctionOps | undefined;
  try {
    const f = table.candidate(rva);
    found = f && (rva - f.begin) % 4 === 0 ? opsFor(m, f, rva - f.begin) : undefined;
  } catch (e) {
    if (e instanceof DbgHelpError) return fail('bad-unwind', e.message);
    throw e;
  }
  if (!found) {
    if (!ctx.contextFrame) return fail('no-info', `no .pdata entry for RVA 0x${rva.toString(16)}`);
    return finish(ctx, regs, sp0, 'leaf');
  }
  let sp = sp0;
  for (const op of found.ops) {
    switch (op.kind) {
      case 'alloc':
        sp += BigInt(op.size);
        break;
      case 'save': {
        if (!op.float) {
          for (let i = 0; i < op.regs.length; i++) {
            const at = sp + BigInt(op.offset + 8 * i);
            const v = readU64(ctx.memory, at);
            if (v === undefined) return fail('memory', `saved ${op.regs[i]} at 0x${at.toString(16)} not readable`);
            regs.set(op.regs[i], v);
          }
        }
        sp += BigInt(op.writeback);
        break;
      }
      case 'set_fp':
      case 'add_fp': {
        const fp = regs.get('fp');
        if (fp === undefined) return fail('no-info', 'fp unknown');
        sp = fp - BigInt(op.kind === 'add_fp' ? op.offset : 0);
        break;
      }
      case 'nop':
      case 'end':
        break;
      case 'special':
      case 'unsupported':
        return fail('bad-unwind', `${m.name}: ${op.kind === 'special' ? op.what : op.what} unwind code not supported`);
    }
  }
  return finish(ctx, regs, sp, found.note);
}

function finish(ctx: StepContext, regs: RegisterSet, sp: bigint, note: string): Step {
  const lr = regs.get('lr');
  if (lr === undefined) return fail('no-info', 'lr unknown');
  regs.delete('lr');
  if (lr === 0n) return { kind: 'end' };
  regs.set('pc', stripPac(ctx, lr));
  regs.set('sp', sp);
  return { kind: 'frame', registers: regs, note };
}

/** The fp/lr chain. */
export function unwindArm64FramePointer(callee: RegisterSet, ctx: StepContext): Step {
  const fp = callee.get('fp');
  const sp = callee.get('sp');
  if (fp === undefined || sp === undefined) return fail('no-info', 'fp or sp unknown');
  if (fp === 0n || fp < sp || fp & 7n) return fail('no-info', `fp 0x${fp.toString(16)} is not a frame pointer`);
  const savedFp = readU64(ctx.memory, fp);
  const lr = readU64(ctx.memory, fp + 8n);
  if (savedFp === undefined || lr === undefined) return fail('memory', `frame record at fp 0x${fp.toString(16)} not readable`);
  if (lr === 0n) return { kind: 'end' };
  const regs = keep(callee, ARM64_CALLEE_SAVED);
  regs.set('fp', savedFp);
  regs.set('pc', stripPac(ctx, lr));
  regs.set('sp', fp + 16n);
  return { kind: 'frame', registers: regs };
}
