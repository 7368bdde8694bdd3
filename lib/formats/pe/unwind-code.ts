/**
 * UNWIND_CODE (x64), 2 bytes per slot: CodeOffset (u8, the prolog offset just past the
 * instruction), UnwindOp (4 bits) and OpInfo (4 bits); some operations take 1 or 2 more slots
 * for their operand. Decoded from the UNWIND_INFO's code array into one UnwindOp each.
 *
 * Register numbers (OpInfo of PUSH_NONVOL, SAVE_NONVOL, the frame register): 0 RAX, 1 RCX,
 * 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8..15 R8..R15.
 */
import { Cursor } from '../binary/cursor';

export const UnwindOpCode = {
  PUSH_NONVOL: 0,
  ALLOC_LARGE: 1,
  ALLOC_SMALL: 2,
  SET_FPREG: 3,
  SAVE_NONVOL: 4,
  SAVE_NONVOL_FAR: 5,
  /** Version 2: describes an epilog; version 1: SAVE_XMM (obsolete). */
  EPILOG: 6,
  /** Version 2: reserved; version 1: SAVE_XMM_FAR (obsolete). */
  SPARE: 7,
  SAVE_XMM128: 8,
  SAVE_XMM128_FAR: 9,
  PUSH_MACHFRAME: 10,
} as const;

export const X64_REGISTER_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;

export interface UnwindOp {
  /** Offset in the prolog of the end of the instruction this code describes. */
  readonly codeOffset: number;
  readonly op: number;
  readonly info: number;
  /**
   * The operand: bytes allocated (ALLOC_*), stack offset of the save (SAVE_*, scaled), the
   * epilog's size or offset (EPILOG), 0 otherwise.
   */
  readonly value: number;
  /** Slots this code used (1 to 3). */
  readonly slots: number;
}

/** Extra slots each operation takes (ALLOC_LARGE: 1 or 2, by OpInfo). */
function extraSlots(op: number, info: number): number {
  switch (op) {
    case UnwindOpCode.ALLOC_LARGE:
      return info === 0 ? 1 : 2;
    case UnwindOpCode.SAVE_NONVOL:
    case UnwindOpCode.EPILOG:
    case UnwindOpCode.SAVE_XMM128:
      return 1;
    case UnwindOpCode.SAVE_NONVOL_FAR:
    case UnwindOpCode.SPARE:
    case UnwindOpCode.SAVE_XMM128_FAR:
      return 2;
    default:
      return 0;
  }
}

/**
 * Decodes `count` slots. An operation whose operand slots run past the array, an unknown
 * operation (11..15), or an ALLOC_LARGE with OpInfo above 1 is BAD_FORMAT.
 */
export function readUnwindCodes(c: Cursor, count: number): UnwindOp[] {
  const out: UnwindOp[] = [];
  let i = 0;
  while (i < count) {
    const at = c.pos;
    const codeOffset = c.u8();
    const b = c.u8();
    const op = b & 0xf;
    const info = b >> 4;
    if (op > UnwindOpCode.PUSH_MACHFRAME) c.fail(`unknown UNWIND_CODE operation ${op}`, at + 1);
    if (op === UnwindOpCode.ALLOC_LARGE && info > 1) c.fail(`UWOP_ALLOC_LARGE with OpInfo ${info}`, at + 1);
    const extra = extraSlots(op, info);
    if (i + 1 + extra > count) c.fail(`UNWIND_CODE operation ${op} needs ${extra} more slots past the ${count}-slot array`, at);
    let value = 0;
    switch (op) {
      case UnwindOpCode.ALLOC_LARGE:
        value = info === 0 ? c.u16() * 8 : c.u32();
        break;
      case UnwindOpCode.ALLOC_SMALL:
        value = info * 8 + 8;
        break;
      case UnwindOpCode.SAVE_NONVOL:
        value = c.u16() * 8;
        break;
      case UnwindOpCode.SAVE_XMM128:
        value = c.u16() * 16;
        break;
      case UnwindOpCode.SAVE_NONVOL_FAR:
      case UnwindOpCode.SAVE_XMM128_FAR:
      case UnwindOpCode.SPARE:
        value = c.u32();
        break;
      case UnwindOpCode.EPILOG:
        value = c.u16();
        break;
    }
    out.push({ codeOffset, op, info, value, slots: 1 + extra });
    i += 1 + extra;
  }
  return out;
}
