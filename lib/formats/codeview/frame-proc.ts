/**
 * S_FRAMEPROC (0x1012), FRAMEPROCSYM (cvinfo.h; LLVM FrameProcSym): a procedure's frame.
 *
 *   u32 cbFrame  u32 cbPad  u32 offPad  u32 cbSaveRegs  u32 offExHdlr  u16 sectExHdlr
 *   u32 flags    bits 14-15 encodedLocalBasePointer, 16-17 encodedParamBasePointer
 *                (0 none, 1 stack pointer, 2 frame pointer, 3 base pointer: registers.ts)
 */
import type { Cursor } from '../binary/cursor';

export interface FrameProcSym {
  frameSize: number;
  padSize: number;
  padOffset: number;
  calleeSavedSize: number;
  flags: number;
  /** The 2-bit register code locals are addressed from (S_DEFRANGE_FRAMEPOINTER_REL). */
  localBasePointer: number;
  /** The 2-bit register code parameters are addressed from. */
  paramBasePointer: number;
}

export function readFrameProc(c: Cursor): FrameProcSym {
  const frameSize = c.u32();
  const padSize = c.u32();
  const padOffset = c.u32();
  const calleeSavedSize = c.u32();
  c.skip(4 + 2); // exception handler offset and section
  const flags = c.u32();
  return { frameSize, padSize, padOffset, calleeSavedSize, flags, localBasePointer: (flags >>> 14) & 3, paramBasePointer: (flags >>> 16) & 3 };
}
