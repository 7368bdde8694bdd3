/**
 * x64 unwinding from the image's .pdata/.xdata (what RtlVirtualUnwind does):
 * - no RUNTIME_FUNCTION for RIP: a leaf function, the return address is at [RSP];
 * - RIP in the body (past the prolog) and the code at RIP an epilog (`add rsp, n` or `lea rsp,
 *   [frame + n]`, `pop`s, then `ret`/`ret n`/`rep ret`, a `jmp` out of the function, `jmp
 *   [rip+n]` or a REX.W indirect `jmp`): the rest of the epilog is emulated;
 * - otherwise the unwind codes are undone in order, those of prolog instructions not yet run
 *   skipped, then those of chained entries (at most MAX_CHAIN); PUSH_MACHFRAME takes RIP and RSP
 *   from the machine frame, else the return address is at [RSP].
 * Callee-saved registers (RBX RBP RDI RSI R12-R15) carry over; volatile ones are dropped.
 */
import { DbgHelpError } from '../api/errors';
import { Cursor } from '../formats/binary/cursor';
import { readRuntimeFunction, RuntimeFunction, RUNTIME_FUNCTION_INDIRECT, RUNTIME_FUNCTION_SIZE } from '../formats/pe/runtime-function';
import { UnwindOpCode, X64_REGISTER_NAMES } from '../formats/pe/unwind-code';
import { readUnwindInfo, UnwindInfo, UNWIND_INFO_HEADER_SIZE } from '../formats/pe/unwind-info';
import { readCode, readU64, safeReadRva } from './memory';
import { memoRecord, moduleUnwind } from './module-unwind';
import { fail, keep, moduleOf, Step, StepContext } from './step';
import { RegisterSet, WalkModule } from './types';

export const AMD64_CALLEE_SAVED = ['rbx', 'rbp', 'rdi', 'rsi', 'r12', 'r13', 'r14', 'r15'] as const;
/** Chained UNWIND_INFOs followed at most (Windows' own images chain 1 or 2 deep). */
export const MAX_CHAIN = 32;

/** The UNWIND_INFO at an RVA of the module (parsed once, kept). */
export function readUnwindInfoAt(m: WalkModule, rva: number): UnwindInfo {
  return memoRecord(m, 'UNWIND_INFO', rva, () => parseUnwindInfoAt(m, rva));
}

function parseUnwindInfoAt(m: WalkModule, rva: number): UnwindInfo {
  const origin = `${m.name} UNWIND_INFO`;
  const head = safeReadRva(m, rva, UNWIND_INFO_HEADER_SIZE);
  if (!head) throw new DbgHelpError('BAD_FORMAT', `${origin}: not readable at RVA 0x${rva.toString(16)}`, { file: m.name, offset: rva });
  const count = head[2];
  const size = UNWIND_INFO_HEADER_SIZE + ((count + 1) & ~1) * 2;
  const flags = head[0] >> 3;
  const trailer = flags & 4 ? 12 : flags & 3 ? 4 : 0;
  const bytes = safeReadRva(m, rva, size + trailer);
  if (!bytes) throw new DbgHelpError('BAD_FORMAT', `${origin}: ${size + trailer} bytes not readable at RVA 0x${rva.toString(16)}`, { file: m.name, offset: rva });
  return readUnwindInfo(Cursor.of(bytes, origin, rva));
}

/** Follows RUNTIME_FUNCTION_INDIRECT (bit 0 of UnwindInfoAddress) to the entry whose unwind data is used. */
function resolveIndirect(m: WalkModule, f: RuntimeFunction): RuntimeFunction {
  for (let i = 0; i < MAX_CHAIN && f.unwindInfo & RUNTIME_FUNCTION_INDIRECT; i++) {
    const at = f.unwindInfo & ~RUNTIME_FUNCTION_INDIRECT;
    const b = safeReadRva(m, at, RUNTIME_FUNCTION_SIZE);
    if (!b) throw new DbgHelpError('BAD_FORMAT', `${m.name}: indirect RUNTIME_FUNCTION not readable at RVA 0x${at.toString(16)}`, { file: m.name, offset: at });
    f = readRuntimeFunction(Cursor.of(b, `${m.name} .pdata`, at));
  }
  if (f.unwindInfo & RUNTIME_FUNCTION_INDIRECT) throw new DbgHelpError('BAD_FORMAT', `${m.name}: more than ${MAX_CHAIN} indirect RUNTIME_FUNCTIONs`, { file: m.name, offset: f.begin });
  return f;
}

export function unwindAmd64(callee: RegisterSet, ctx: StepContext): Step {
  const rip = callee.get('rip');
  const rsp = callee.get('rsp');
  if (rip === undefined || rsp === undefined) return fail('no-info', 'rip or rsp unknown');
  const m = moduleOf(ctx, rip);
  if (!m) return fail('no-info', `no module at 0x${rip.toString(16)}`);
  const table = moduleUnwind(m).x64;
  if (!table) return fail('no-info', `${m.name}: ${moduleUnwind(m).problem ?? 'no x64 unwind data'}`);
  const rva = Number(rip - m.base);
  try {
    const found = table.find(rva);
    const regs = keep(callee, AMD64_CALLEE_SAVED);
    if (!found) return popReturn(ctx, regs, rsp, 'leaf');
    const entry = resolveIndirect(m, found);
    const info = readUnwindInfoAt(m, entry.unwindInfo);
    const offset = rva - found.begin;
    const inProlog = found === entry && offset < info.sizeOfProlog;
    if (!inProlog) {
      const ep = epilog(ctx, m, found, info, rip, callee, regs);
      if (ep) return ep;
    }
    return runCodes(ctx, m, info, inProlog ? offset : Infinity, callee, regs);
  } catch (e) {
    if (e instanceof DbgHelpError) return fail('bad-unwind', e.message);
    throw e;
  }
}

function popReturn(ctx: StepContext, regs: RegisterSet, rsp: bigint, note?: string): Step {
  const ret = readU64(ctx.memory, rsp);
  if (ret === undefined) return fail('memory', `return address at 0x${rsp.toString(16)} not readable`);
  if (ret === 0n) return { kind: 'end' };
  regs.set('rip', ret);
  regs.set('rsp', rsp + 8n);
  return { kind: 'frame', registers: regs, note };
}

const reg = (n: number) => X64_REGISTER_NAMES[n];

function runCodes(ctx: StepContext, m: WalkModule, first: UnwindInfo, prologOffset: number, callee: RegisterSet, regs: RegisterSet): Step {
  let rsp = callee.get('rsp')!;
  // The establisher frame: the frame register minus its offset once SET_FPREG has run, else RSP.
  let frame = rsp;
  if (first.frameRegister !== 0) {
    const setFp = first.codes.find((c) => c.op === UnwindOpCode.SET_FPREG);
    if (!setFp || setFp.codeOffset <= prologOffset) {
      const fr = callee.get(reg(first.frameRegister));
      if (fr === undefined) return fail('no-info', `frame register ${reg(first.frameRegister)} unknown`);
      frame = fr - BigInt(first.frameOffset);
    }
  }
  const load = (address: bigint, name: string): boolean => {
    const v = readU64(ctx.memory, address);
    if (v === undefined) return false;
    regs.set(name, v);
    return true;
  };
  let info: UnwindInfo | undefined = first;
  let limit = prologOffset;
  for (let depth = 0; info; depth++) {
    if (depth > MAX_CHAIN) return fail('bad-unwind', `${m.name}: chained unwind info deeper than ${MAX_CHAIN} (a cycle?)`);
    const codes = info.codes;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c.codeOffset > limit) continue;
      switch (c.op) {
        case UnwindOpCode.PUSH_NONVOL:
          if (c.info === 4) return fail('bad-unwind', `${m.name}: UWOP_PUSH_NONVOL of RSP`);
          if (!load(rsp, reg(c.info))) return fail('memory', `saved ${reg(c.info)} at 0x${rsp.toString(16)} not readable`);
          rsp += 8n;
          break;
        case UnwindOpCode.ALLOC_LARGE:
        case UnwindOpCode.ALLOC_SMALL:
          rsp += BigInt(c.value);
          break;
        case UnwindOpCode.SET_FPREG: {
          // RSP is the frame register (of the UNWIND_INFO being undone, as in a chained primary
          // whose fragment has none) minus its offset.
          // Its value as unwound so far (a fragment may have restored it already).
          const fr = regs.get(reg(info.frameRegister)) ?? callee.get(reg(info.frameRegister));
          if (info.frameRegister === 0 || fr === undefined)
            return fail(
              info.frameRegister === 0 ? 'bad-unwind' : 'no-info',
              `${m.name}: UWOP_SET_FPREG with frame register ${info.frameRegister ? reg(info.frameRegister) : 'none'}${fr === undefined ? ' unknown' : ''}`,
            );
          rsp = fr - BigInt(info.frameOffset);
          break;
        }
        case UnwindOpCode.SAVE_NONVOL:
        case UnwindOpCode.SAVE_NONVOL_FAR:
          if (c.info === 4) return fail('bad-unwind', `${m.name}: UWOP_SAVE_NONVOL of RSP`);
          if (!load(frame + BigInt(c.value), reg(c.info))) return fail('memory', `saved ${reg(c.info)} at 0x${(frame + BigInt(c.value)).toString(16)} not readable`);
          break;
        case UnwindOpCode.SAVE_XMM128:
        case UnwindOpCode.SAVE_XMM128_FAR:
          break; // XMM registers are not tracked
        case UnwindOpCode.EPILOG:
        case UnwindOpCode.SPARE:
          if (info.version === 1) return fail('bad-unwind', `${m.name}: version 1 UNWIND_INFO with the obsolete SAVE_XMM code ${c.op}`);
          break; // version 2 epilog descriptions: the code bytes at RIP are read instead
        case UnwindOpCode.PUSH_MACHFRAME: {
          const at = rsp + (c.info ? 8n : 0n);
          const ip = readU64(ctx.memory, at);
          const sp = readU64(ctx.memory, at + 24n);
          if (ip === undefined || sp === undefined) return fail('memory', `machine frame at 0x${at.toString(16)} not readable`);
          if (ip === 0n) return { kind: 'end' };
          regs.set('rip', ip);
          regs.set('rsp', sp);
          return { kind: 'frame', registers: regs, note: 'machine frame' };
        }
      }
    }
    if (!info.chained) break;
    info = readUnwindInfoAt(m, resolveIndirect(m, info.chained).unwindInfo);
    limit = Infinity; // a chained entry's prolog has run in full
  }
  return popReturn(ctx, regs, rsp);
}

/** Recognises an epilog at RIP and emulates what is left of it; undefined when RIP is not in one. */
function epilog(ctx: StepContext, m: WalkModule, fn: RuntimeFunction, info: UnwindInfo, rip: bigint, callee: RegisterSet, regs: RegisterSet): Step | undefined {
  const code = readCode(m, ctx.memory, rip, 64) ?? readCode(m, ctx.memory, rip, 16);
  if (!code) return undefined;
  let p = 0;
  let rsp = callee.get('rsp')!;
  // add rsp, imm8 / imm32
  if (code[0] === 0x48 && code[1] === 0x83 && code[2] === 0xc4) {
    rsp += BigInt((code[3] << 24) >> 24);
    p = 4;
  } else if (code[0] === 0x48 && code[1] === 0x81 && code[2] === 0xc4 && code.length >= 7) {
    rsp += BigInt(new DataView(code.buffer, code.byteOffset + 3, 4).getInt32(0, true));
    p = 7;
  } else if ((code[0] & 0xfe) === 0x48 && code[1] === 0x8d && info.frameRegister !== 0) {
    // lea rsp, [frame register + disp8/disp32]
    const modrm = code[2];
    const mod = modrm >> 6;
    const rm = (modrm & 7) | ((code[0] & 1) << 3);
    if (((modrm >> 3) & 7) !== 4 || rm !== info.frameRegister || (mod !== 1 && mod !== 2)) return undefined;
    let q = 3;
    if ((modrm & 7) === 4) {
      if (code[3] !== 0x24) return undefined;
      q = 4;
    }
    const base = callee.get(reg(info.frameRegister));
    if (base === undefined) return undefined;
    const dv = new DataView(code.buffer, code.byteOffset);
    if (mod === 1) {
      rsp = base + BigInt(dv.getInt8(q));
      p = q + 1;
    } else {
      if (q + 4 > code.length) return undefined;
      rsp = base + BigInt(dv.getInt32(q, true));
      p = q + 4;
    }
  }
  const pops: string[] = [];
  for (;;) {
    if (p < code.length && code[p] >= 0x58 && code[p] <= 0x5f) {
      pops.push(reg(code[p] - 0x58));
      p += 1;
    } else if (p + 1 < code.length && code[p] === 0x41 && code[p + 1] >= 0x58 && code[p + 1] <= 0x5f) {
      pops.push(reg(code[p + 1] - 0x58 + 8));
      p += 2;
    } else break;
  }
  if (!isEpilogEnd(code, p, m, fn, rip)) return undefined;
  for (const name of pops) {
    if (name === 'rsp') return undefined;
    const v = readU64(ctx.memory, rsp);
    if (v === undefined) return fail('memory', `saved ${name} at 0x${rsp.toString(16)} not readable (epilog)`);
    regs.set(name, v);
    rsp += 8n;
  }
  return popReturn(ctx, regs, rsp, 'epilog');
}

/** ret, ret imm16, rep ret, or a jmp whose target is outside the function (a tail call). */
function isEpilogEnd(code: Uint8Array, p: number, m: WalkModule, fn: RuntimeFunction, rip: bigint): boolean {
  const b = code[p];
  if (b === undefined) return false;
  if (b === 0xc3) return true;
  if (b === 0xc2 && p + 2 < code.length) return true;
  if (b === 0xf3 && code[p + 1] === 0xc3) return true;
  const outside = (len: number, rel: number): boolean => {
    const target = Number(rip - m.base) + p + len + rel;
    return target < fn.begin || target >= fn.end;
  };
  if (b === 0xe9 && p + 5 <= code.length) return outside(5, new DataView(code.buffer, code.byteOffset + p + 1, 4).getInt32(0, true));
  if (b === 0xeb && p + 2 <= code.length) return outside(2, (code[p + 1] << 24) >> 24);
  if (b === 0xff && code[p + 1] === 0x25) return true; // jmp [rip+disp32]
  // REX.W jmp r/m64 (FF /4): indirect tail calls, which compilers give a REX.W prefix for the
  // Windows unwinder (`rex64 jmp rax`, `rex64 jmp [rip+n]`).
  if ((b & 0xf8) === 0x48 && code[p + 1] === 0xff && ((code[p + 2] >> 3) & 7) === 4) return true;
  return false;
}
