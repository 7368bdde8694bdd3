/**
 * DBI optional debug header: an array of u16 stream indices (0xFFFF = absent), in this order
 * (Microsoft dbi.h DbgTypes / LLVM DbgHeaderType).
 */
import { Cursor } from '../binary/cursor';

export const DbgStream = {
  FPO: 0,
  Exception: 1,
  Fixup: 2,
  OmapToSrc: 3,
  OmapFromSrc: 4,
  SectionHdr: 5,
  TokenRidMap: 6,
  Xdata: 7,
  Pdata: 8,
  NewFPO: 9,
  SectionHdrOrig: 10,
} as const;

export function readDebugHeader(c: Cursor): number[] {
  const out: number[] = [];
  while (c.remaining >= 2) out.push(c.u16());
  return out;
}
