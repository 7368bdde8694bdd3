/**
 * Frame-pointer-omission data for x86 stack walking (DBI debug header streams).
 *   FPO_DATA (winnt.h), 16 bytes: u32 ulOffStart, u32 cbProcSize, u32 cdwLocals, u16 cdwParams,
 *     u16 bits (prolog:8, regs:3, hasSEH:1, useBP:1, reserved:1, frame:2)
 *   FRAMEDATA ("New FPO", Microsoft cvinfo.h), 32 bytes: u32 ulRvaStart, u32 cbBlock,
 *     u32 cbLocals, u32 cbParams, u32 cbStkMax, u32 frameFunc (offset in /names), u16 cbProlog,
 *     u16 cbSavedRegs, u32 flags
 */
import { Cursor } from '../binary/cursor';

export interface FpoData {
  start: number;
  size: number;
  locals: number;
  params: number;
  prolog: number;
  savedRegs: number;
  hasSeh: boolean;
  useBp: boolean;
  frameType: number;
}

export function readFpo(c: Cursor): FpoData[] {
  const n = Math.floor(c.remaining / 16);
  const out: FpoData[] = [];
  for (let i = 0; i < n; i++) {
    const start = c.u32();
    const size = c.u32();
    const locals = c.u32();
    const params = c.u16();
    const bits = c.u16();
    out.push({
      start,
      size,
      locals,
      params,
      prolog: bits & 0xff,
      savedRegs: (bits >> 8) & 7,
      hasSeh: (bits & 0x800) !== 0,
      useBp: (bits & 0x1000) !== 0,
      frameType: (bits >> 14) & 3,
    });
  }
  return out;
}

export interface FrameData {
  rvaStart: number;
  blockSize: number;
  localsSize: number;
  paramsSize: number;
  maxStackSize: number;
  /** Offset of the frame program in /names. */
  frameFunc: number;
  prologSize: number;
  savedRegsSize: number;
  flags: number;
}

export function readFrameData(c: Cursor): FrameData[] {
  const n = Math.floor(c.remaining / 32);
  const out: FrameData[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      rvaStart: c.u32(),
      blockSize: c.u32(),
      localsSize: c.u32(),
      paramsSize: c.u32(),
      maxStackSize: c.u32(),
      frameFunc: c.u32(),
      prologSize: c.u16(),
      savedRegsSize: c.u16(),
      flags: c.u32(),
    });
  }
  return out;
}
