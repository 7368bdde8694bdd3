/**
 * DBI section map substream: u16 count, u16 logCount, then SecMapEntry records, 20 bytes:
 *   u16 flags  u16 ovl  u16 group  u16 frame  u16 sectionName  u16 className
 *   u32 offset  u32 sectionLength
 * (Microsoft dbi.h OMFSegMapDesc). Maps the segment numbers of symbol records to frames.
 */
import { Cursor } from '../binary/cursor';

export interface SectionMapEntry {
  flags: number;
  frame: number;
  offset: number;
  length: number;
}

export function readSectionMap(c: Cursor): SectionMapEntry[] {
  if (c.remaining === 0) return [];
  const count = c.u16();
  c.u16();
  c.count(count, 20, 'section map entry');
  const out: SectionMapEntry[] = [];
  for (let i = 0; i < count; i++) {
    const flags = c.u16();
    c.skip(4);
    const frame = c.u16();
    c.skip(4);
    out.push({ flags, frame, offset: c.u32(), length: c.u32() });
  }
  return out;
}
