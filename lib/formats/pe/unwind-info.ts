/**
 * UNWIND_INFO (x64), 4 bytes + 2 * CountOfCodes (rounded up to an even count) + a trailer:
 *   u8 Version:3 Flags:5, u8 SizeOfProlog, u8 CountOfCodes, u8 FrameRegister:4 FrameOffset:4,
 *   UNWIND_CODE[CountOfCodes], then either a RUNTIME_FUNCTION (UNW_FLAG_CHAININFO: the primary
 *   function's unwind data continues there) or the exception handler's RVA
 *   (UNW_FLAG_EHANDLER/UHANDLER) and its language-specific data.
 * Versions 1 and 2 exist (2 adds UWOP_EPILOG codes, first in the array).
 */
import { Cursor } from '../binary/cursor';
import { readRuntimeFunction, RuntimeFunction } from './runtime-function';
import { readUnwindCodes, UnwindOp } from './unwind-code';

export const UNWIND_INFO_HEADER_SIZE = 4;
/** The most bytes an UNWIND_INFO can take up to its trailer: header, 256 slots, RUNTIME_FUNCTION. */
export const UNWIND_INFO_MAX_SIZE = 4 + 256 * 2 + 12;

export const UnwindFlag = {
  EHANDLER: 0x1,
  UHANDLER: 0x2,
  CHAININFO: 0x4,
} as const;

export interface UnwindInfo {
  readonly version: number;
  readonly flags: number;
  readonly sizeOfProlog: number;
  /** 0 when no frame register is established. */
  readonly frameRegister: number;
  /** Scaled: the frame register is RSP + frameOffset after SET_FPREG. */
  readonly frameOffset: number;
  readonly codes: readonly UnwindOp[];
  /** UNW_FLAG_CHAININFO: the entry whose unwind data continues this one. */
  readonly chained?: RuntimeFunction;
  /** UNW_FLAG_EHANDLER/UHANDLER: RVA of the handler. */
  readonly handler?: number;
}

/** Reads an UNWIND_INFO from a cursor at its first byte. */
export function readUnwindInfo(c: Cursor): UnwindInfo {
  const at = c.pos;
  const vf = c.u8();
  const version = vf & 7;
  const flags = vf >> 3;
  if (version !== 1 && version !== 2) c.fail(`UNWIND_INFO version ${version} (want 1 or 2)`, at);
  if (flags & UnwindFlag.CHAININFO && flags & (UnwindFlag.EHANDLER | UnwindFlag.UHANDLER)) {
    c.fail(`UNWIND_INFO flags 0x${flags.toString(16)}: chained info with a handler`, at);
  }
  const sizeOfProlog = c.u8();
  const count = c.u8();
  const fr = c.u8();
  const frameRegister = fr & 0xf;
  const frameOffset = (fr >> 4) * 16;
  c.need(count * 2, 'UNWIND_CODE array');
  const codes = readUnwindCodes(c.take(count * 2, 'UNWIND_CODE array'), count);
  if (count & 1) c.skip(2);
  let chained: RuntimeFunction | undefined;
  let handler: number | undefined;
  if (flags & UnwindFlag.CHAININFO) chained = readRuntimeFunction(c);
  else if (flags & (UnwindFlag.EHANDLER | UnwindFlag.UHANDLER)) handler = c.u32();
  return { version, flags, sizeOfProlog, frameRegister, frameOffset, codes, chained, handler };
}
