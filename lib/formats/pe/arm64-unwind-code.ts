/**
 * ARM64 unwind codes (Microsoft "ARM64 exception handling", "Unwind codes"): a byte stream in
 * the .xdata record, 1 to 4 bytes per code (the first byte says how many; multi-byte values are
 * big-endian). Each code but `end`/`end_c` stands for one prolog or epilog instruction, listed
 * in unwind order (the prolog's last instruction first).
 *
 * Decoded into Arm64UnwindOp, each saying what undoing the instruction does: a save loads its
 * registers from [sp + offset] and then adds `writeback` to sp (the pre-indexed `stp ..., [sp,
 * #-n]!` forms). `save_next` is resolved against the save that follows it in the list (the pair
 * saved just before it in the prolog): the next two registers, 16 bytes further.
 */
import { Cursor } from '../binary/cursor';

export type Arm64UnwindOp =
  /** sp += size. */
  | { kind: 'alloc'; size: number }
  /** Load `regs` from [sp + offset] (consecutive 8- or 16-byte slots), then sp += writeback. */
  | { kind: 'save'; regs: readonly string[]; offset: number; writeback: number; float: boolean; pairNext?: boolean }
  /** sp = fp (mov fp, sp in the prolog). */
  | { kind: 'set_fp' }
  /** sp = fp - offset (add fp, sp, #offset in the prolog). */
  | { kind: 'add_fp'; offset: number }
  /** An instruction with nothing to undo (nop, pac_sign_lr, clear_unwound_to_call). */
  | { kind: 'nop'; what: string }
  /** The end of the codes (`end`), or of a chained scope's codes (`end_c`: the parent's follow). */
  | { kind: 'end'; chained: boolean }
  /** The frame holds a machine frame, trap frame or context (MSFT_OP_*). */
  | { kind: 'special'; what: 'trap_frame' | 'machine_frame' | 'context' | 'ec_context' }
  /** An SVE allocation (alloc_z): sp moves by a multiple of the vector length, unknown here. */
  | { kind: 'unsupported'; what: string };

/** Integer register n as the walker names it (x29 is fp, x30 lr). */
export function arm64RegName(n: number): string {
  return n === 29 ? 'fp' : n === 30 ? 'lr' : n === 31 ? 'sp' : `x${n}`;
}

const pair = (first: number): string[] => [arm64RegName(first), arm64RegName(first + 1)];

/** Decodes the code bytes [start, end) of `c`'s window up to (and including) an `end`, or all of them. */
export function readArm64UnwindCodes(c: Cursor, stopAtEnd = true): Arm64UnwindOp[] {
  const ops: Array<Arm64UnwindOp | 'next'> = [];
  while (!c.eof) {
    const at = c.pos;
    const b = c.u8();
    let op: Arm64UnwindOp | 'next';
    if (b < 0x20) op = { kind: 'alloc', size: (b & 0x1f) * 16 };
    else if (b < 0x40) op = { kind: 'save', regs: pair(19), offset: 0, writeback: (b & 0x1f) * 8, float: false };
    else if (b < 0x80) op = { kind: 'save', regs: ['fp', 'lr'], offset: (b & 0x3f) * 8, writeback: 0, float: false };
    else if (b < 0xc0) op = { kind: 'save', regs: ['fp', 'lr'], offset: 0, writeback: ((b & 0x3f) + 1) * 8, float: false };
    else if (b < 0xc8) op = { kind: 'alloc', size: (((b & 7) << 8) | c.u8()) * 16 };
    else if (b < 0xe0) {
      const w = (b << 8) | c.u8();
      const z = w & 0x3f;
      switch (b & 0xfe) {
        case 0xc8:
        case 0xca: // save_regp 110010xx'xxzzzzzz
          op = { kind: 'save', regs: pair(19 + ((w >> 6) & 0xf)), offset: z * 8, writeback: 0, float: false };
          break;
        case 0xcc:
        case 0xce: // save_regp_x 110011xx'xxzzzzzz
          op = { kind: 'save', regs: pair(19 + ((w >> 6) & 0xf)), offset: 0, writeback: (z + 1) * 8, float: false };
          break;
        case 0xd0:
        case 0xd2: // save_reg 110100xx'xxzzzzzz
          op = { kind: 'save', regs: [arm64RegName(19 + ((w >> 6) & 0xf))], offset: z * 8, writeback: 0, float: false };
          break;
        case 0xd4: // save_reg_x 1101010x'xxxzzzzz
          op = { kind: 'save', regs: [arm64RegName(19 + ((w >> 5) & 0xf))], offset: 0, writeback: ((w & 0x1f) + 1) * 8, float: false };
          break;
        case 0xd6: // save_lrpair 1101011x'xxzzzzzz
          op = { kind: 'save', regs: [arm64RegName(19 + 2 * ((w >> 6) & 7)), 'lr'], offset: z * 8, writeback: 0, float: false };
          break;
        case 0xd8: // save_fregp 1101100x'xxzzzzzz
          op = { kind: 'save', regs: [`d${8 + ((w >> 6) & 7)}`, `d${9 + ((w >> 6) & 7)}`], offset: z * 8, writeback: 0, float: true };
          break;
        case 0xda: // save_fregp_x
          op = { kind: 'save', regs: [`d${8 + ((w >> 6) & 7)}`, `d${9 + ((w >> 6) & 7)}`], offset: 0, writeback: (z + 1) * 8, float: true };
          break;
        case 0xdc: // save_freg 1101110x'xxzzzzzz
          op = { kind: 'save', regs: [`d${8 + ((w >> 6) & 7)}`], offset: z * 8, writeback: 0, float: true };
          break;
        default:
          if (b === 0xde) {
            // save_freg_x 11011110'xxxzzzzz
            op = { kind: 'save', regs: [`d${8 + ((w >> 5) & 7)}`], offset: 0, writeback: ((w & 0x1f) + 1) * 8, float: true };
          } else {
            op = { kind: 'unsupported', what: 'alloc_z (SVE)' }; // 0xdf
          }
      }
    } else {
      switch (b) {
        case 0xe0:
          op = { kind: 'alloc', size: ((c.u8() << 16) | (c.u8() << 8) | c.u8()) * 16 };
          break;
        case 0xe1:
          op = { kind: 'set_fp' };
          break;
        case 0xe2:
          op = { kind: 'add_fp', offset: c.u8() * 8 };
          break;
        case 0xe3:
          op = { kind: 'nop', what: 'nop' };
          break;
        case 0xe4:
        case 0xe5:
          op = { kind: 'end', chained: b === 0xe5 };
          break;
        case 0xe6:
          op = 'next';
          break;
        case 0xe7:
          op = saveAnyReg(c, c.u8(), c.u8(), at);
          break;
        case 0xe8:
          op = { kind: 'special', what: 'trap_frame' };
          break;
        case 0xe9:
          op = { kind: 'special', what: 'machine_frame' };
          break;
        case 0xea:
          op = { kind: 'special', what: 'context' };
          break;
        case 0xeb:
          op = { kind: 'special', what: 'ec_context' };
          break;
        case 0xec:
          op = { kind: 'nop', what: 'clear_unwound_to_call' };
          break;
        case 0xfc:
          op = { kind: 'nop', what: 'pac_sign_lr' };
          break;
        default:
          c.fail(`reserved ARM64 unwind code 0x${b.toString(16)}`, at);
      }
    }
    ops.push(op);
    // `end` closes the list; `end_c` closes a chained scope's codes and the parent's follow.
    if (stopAtEnd && op !== 'next' && op.kind === 'end' && !op.chained) break;
  }
  return resolveSaveNext(ops, c);
}

/** save_any_reg 11100111'0pxrrrrr'ffoooooo: any register or pair, 8- or 16-byte scaled offset. */
function saveAnyReg(c: Cursor, b1: number, b2: number, at: number): Arm64UnwindOp {
  if (b1 & 0x80) c.fail('save_any_reg with bit 7 of its second byte set', at + 1);
  const paired = (b1 & 0x40) !== 0;
  const writeback = (b1 & 0x20) !== 0;
  const reg = b1 & 0x1f;
  const type = b2 >> 6;
  if (type === 3) c.fail('save_any_reg register type 3 (reserved)', at + 2);
  const scale = paired || writeback || type === 2 ? 16 : 8;
  const off = (b2 & 0x3f) * scale;
  const name = (n: number) => (type === 0 ? arm64RegName(n) : `${type === 1 ? 'd' : 'q'}${n}`);
  const regs = paired ? [name(reg), name(reg + 1)] : [name(reg)];
  return writeback ? { kind: 'save', regs, offset: 0, writeback: off, float: type !== 0 } : { kind: 'save', regs, offset: off, writeback: 0, float: type !== 0 };
}

/** save_next: the pair after the one the following save stored, 16 bytes above it. */
function resolveSaveNext(ops: Array<Arm64UnwindOp | 'next'>, c: Cursor): Arm64UnwindOp[] {
  const out: Arm64UnwindOp[] = new Array(ops.length);
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i];
    if (op !== 'next') {
      out[i] = op;
      continue;
    }
    const base = out[i + 1];
    if (!base || base.kind !== 'save' || base.regs.length !== 2 || base.regs[1] === 'lr') {
      c.fail('save_next without a register pair saved before it', c.start);
    }
    const prefix = base.float ? 'd' : 'x';
    const n = Number(base.regs[1].replace(/^[xd]/, ''));
    if (!Number.isInteger(n)) c.fail('save_next after a pair that has no next pair', c.start);
    out[i] = {
      kind: 'save',
      regs: [`${prefix}${n + 1}`, `${prefix}${n + 2}`].map((r) => (r === 'x29' ? 'fp' : r === 'x30' ? 'lr' : r)),
      offset: base.offset + 16,
      writeback: 0,
      float: base.float,
      pairNext: true,
    };
  }
  return out;
}

/** Instructions a code stands for (0 for end/end_c). */
export function arm64OpInstructions(op: Arm64UnwindOp): number {
  return op.kind === 'end' ? 0 : 1;
}
