/**
 * Detailed STACK CFI for x64 (an option beyond dump_syms, which writes one rule set per function
 * valid only after the whole prolog and ignores the frame register: stack-cfi.ts): from the
 * UNWIND_INFO codes, the rules at the function's start and after each prolog instruction:
 *
 *   STACK CFI INIT <begin> <size> .cfa: $rsp 8 + .ra: .cfa 8 - ^   (+ the chained parents' rules)
 *   STACK CFI <begin + code offset> .cfa: $rsp <n> + $rbx: .cfa <k> - ^ ...
 *
 * PUSH_NONVOL saves its register at the new top of stack; ALLOC_* moves RSP; SET_FPREG makes the
 * CFA `$<frame register> <n> +` from then on (right past a dynamic alloca, where dump_syms' is
 * not); SAVE_NONVOL(_FAR) saves relative to the establisher frame (the frame register - its
 * offset once set, else RSP after the whole fixed allocation). A chained fragment starts with its
 * parents' complete state. XMM saves and v2 EPILOG codes describe nothing here. An entry with a
 * machine frame (UWOP_PUSH_MACHFRAME: the return address is not at the CFA) falls back to
 * dump_syms' form. Epilogs are not described (as dump_syms: the processor is right in the body).
 */
import { badFormat } from '../api/errors';
import { rva } from '../formats/binary/address';
import type { PeImage } from '../formats/pe/pe-image';
import { RUNTIME_FUNCTION_SIZE } from '../formats/pe/runtime-function';
import { UnwindOpCode, X64_REGISTER_NAMES, type UnwindOp } from '../formats/pe/unwind-code';
import { readUnwindInfo, UnwindFlag, type UnwindInfo } from '../formats/pe/unwind-info';
import { MAX_CHAIN, peFrameSizes, peRuntimeFunctions, resolveUnwind } from './stack-cfi';

interface State {
  cfaReg: string;
  cfaOff: number;
  /** CFA - RSP. */
  rspOff: number;
  /** CFA - the establisher frame SAVE_NONVOL offsets are relative to. */
  establisher: number;
  saved: Map<string, number>;
}

function readInfo(image: PeImage, at: number): UnwindInfo {
  const head = image.readAtRvaKept(rva(at), 4, 'UNWIND_INFO');
  const flags = head.u8() >> 3;
  head.u8();
  const count = head.u8();
  const size = 4 + ((count + 1) & ~1) * 2 + (flags & UnwindFlag.CHAININFO ? RUNTIME_FUNCTION_SIZE : flags & (UnwindFlag.EHANDLER | UnwindFlag.UHANDLER) ? 4 : 0);
  return readUnwindInfo(image.readAtRvaKept(rva(at), size, 'UNWIND_INFO'));
}

/** RSP bytes the codes allocate (pushes and allocations). */
function fixedSize(codes: readonly UnwindOp[]): number {
  let n = 0;
  for (const c of codes) {
    if (c.op === UnwindOpCode.PUSH_NONVOL) n += 8;
    else if (c.op === UnwindOpCode.ALLOC_LARGE || c.op === UnwindOpCode.ALLOC_SMALL) n += c.value;
  }
  return n;
}

/** Applies one code; answers the register rules it set (register names). */
function apply(s: State, c: UnwindOp, info: UnwindInfo): string[] {
  const reg = X64_REGISTER_NAMES[c.info];
  switch (c.op) {
    case UnwindOpCode.PUSH_NONVOL:
      s.rspOff += 8;
      if (s.cfaReg === 'rsp') s.cfaOff = s.rspOff;
      s.saved.set(reg, s.rspOff);
      return [reg];
    case UnwindOpCode.ALLOC_LARGE:
    case UnwindOpCode.ALLOC_SMALL:
      s.rspOff += c.value;
      if (s.cfaReg === 'rsp') s.cfaOff = s.rspOff;
      return [];
    case UnwindOpCode.SET_FPREG:
      s.cfaReg = X64_REGISTER_NAMES[info.frameRegister];
      s.cfaOff = s.rspOff - info.frameOffset;
      s.establisher = s.rspOff;
      return [];
    case UnwindOpCode.SAVE_NONVOL:
    case UnwindOpCode.SAVE_NONVOL_FAR:
      s.saved.set(reg, s.establisher - c.value);
      return [reg];
    default:
      return [];
  }
}

function rules(s: State, regs: Iterable<string>, withCfa: boolean): string {
  const parts = withCfa ? [`.cfa: $${s.cfaReg} ${s.cfaOff} +`] : [];
  // A save above the CFA (MSVC stores into the caller's home area) is written `.cfa n + ^`.
  for (const r of regs) {
    const off = s.saved.get(r)!;
    parts.push(off >= 0 ? `$${r}: .cfa ${off} - ^` : `$${r}: .cfa ${-off} + ^`);
  }
  return parts.join(' ');
}

/** Detailed STACK CFI lines for an x64 image (see the header). */
export function* detailedStackCfiRecords(image: PeImage): Generator<string> {
  const fallback = new Map<number, string[]>();
  for (const f of peFrameSizes(image)) {
    if (f.ripOffset !== 8)
      fallback.set(f.begin, [`STACK CFI INIT ${hex(f.begin)} ${hex(f.end - f.begin)} .cfa: $rsp .ra: .cfa ${f.ripOffset} - ^`, `STACK CFI ${hex(f.begin)} .cfa: $rsp ${f.stackSize} +`]);
  }
  for (const f of peRuntimeFunctions(image)) {
    const { index: i, begin, end } = f;
    const fb = fallback.get(begin);
    if (fb) {
      yield* fb;
      continue;
    }
    const chain: UnwindInfo[] = [readInfo(image, resolveUnwind(image, f))];
    while (chain[chain.length - 1].chained) {
      if (chain.length > MAX_CHAIN) throw badFormat(image.fileName, f.pos, `RUNTIME_FUNCTION ${i}: more than ${MAX_CHAIN} chained UNWIND_INFO`);
      chain.push(readInfo(image, chain[chain.length - 1].chained!.unwindInfo & ~1));
    }
    const total = 8 + chain.reduce((t, u) => t + fixedSize(u.codes), 0);
    const s: State = { cfaReg: 'rsp', cfaOff: 8, rspOff: 8, establisher: total, saved: new Map() };
    // The parents' prologs ran before this fragment (outermost parent first), each code in
    // execution order (the array lists the last instruction first).
    const parentRegs = new Set<string>();
    for (let k = chain.length - 1; k >= 1; k--) for (const c of [...chain[k].codes].reverse()) for (const r of apply(s, c, chain[k])) parentRegs.add(r);
    yield `STACK CFI INIT ${hex(begin)} ${hex(end - begin)} .cfa: $${s.cfaReg} ${s.cfaOff} + .ra: .cfa 8 - ^${parentRegs.size ? ' ' + rules(s, parentRegs, false) : ''}`;
    const own = [...chain[0].codes].reverse();
    for (let j = 0; j < own.length;) {
      const at = own[j].codeOffset;
      const before = `${s.cfaReg}:${s.cfaOff}`;
      const set = new Set<string>();
      for (; j < own.length && own[j].codeOffset === at; j++) for (const r of apply(s, own[j], chain[0])) set.add(r);
      const cfaChanged = `${s.cfaReg}:${s.cfaOff}` !== before;
      if (cfaChanged || set.size) yield `STACK CFI ${hex(begin + at)} ${rules(s, set, cfaChanged)}`;
    }
  }
}

function hex(n: number): string {
  return (n >>> 0).toString(16);
}
