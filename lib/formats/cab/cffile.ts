/**
 * CFFILE: one file's entry ([MS-CAB] 2.4; `CFFILE` in Microsoft's cabinet SDK), 16 bytes plus
 * the NUL-terminated name.
 *
 *   0  u32  cbFile           uncompressed size
 *   4  u32  uoffFolderStart  offset of the file's first byte in its folder's uncompressed data
 *   8  u16  iFolder          folder index, or 0xFFFD/0xFFFE/0xFFFF for a file continued from
 *                            the previous / into the next / both cabinets of a set
 *  10  u16  date             MS-DOS date: day bits 0-4, month 5-8, year-1980 9-15
 *  12  u16  time             MS-DOS time: seconds/2 bits 0-4, minute 5-10, hour 11-15
 *  14  u16  attribs          _A_RDONLY 1, _A_HIDDEN 2, _A_SYSTEM 4, _A_ARCH 0x20,
 *                            _A_EXEC 0x40, _A_NAME_IS_UTF 0x80
 *  16  char szName[]         NUL-terminated; UTF-8 when _A_NAME_IS_UTF, else a code page
 *                            (read here as Latin-1)
 */
import { Cursor } from '../binary/cursor';

export const CFFILE_SIZE = 16;
/** CB_MAX_FILENAME is 256 with the NUL. */
export const MAX_NAME = 255;

export const CabFileAttributes = {
  RDONLY: 0x01,
  HIDDEN: 0x02,
  SYSTEM: 0x04,
  ARCH: 0x20,
  EXEC: 0x40,
  NAME_IS_UTF: 0x80,
} as const;

export const IFOLD_CONTINUED_FROM_PREV = 0xfffd;
export const IFOLD_CONTINUED_TO_NEXT = 0xfffe;
export const IFOLD_CONTINUED_PREV_AND_NEXT = 0xffff;

export interface CfFile {
  cbFile: number;
  uoffFolderStart: number;
  iFolder: number;
  date: number;
  time: number;
  attribs: number;
  name: string;
  /** File offset of this CFFILE record (for messages). */
  at: number;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export function readCfFiles(c: Cursor, count: number): CfFile[] {
  // Each entry is at least 16 bytes plus a NUL.
  c.count(count, CFFILE_SIZE + 1, 'CFFILE');
  const out: CfFile[] = [];
  for (let i = 0; i < count; i++) {
    const at = c.offset;
    c.need(CFFILE_SIZE, 'CFFILE');
    const cbFile = c.u32();
    const uoffFolderStart = c.u32();
    const iFolder = c.u16();
    const date = c.u16();
    const time = c.u16();
    const attribs = c.u16();
    const nameAt = c.pos;
    const b = c.buf;
    let end = nameAt;
    while (end < c.end && b[end] !== 0) end++;
    if (end >= c.end) c.fail('unterminated CFFILE szName', nameAt);
    if (end === nameAt) c.fail('empty CFFILE szName', nameAt);
    if (end - nameAt > MAX_NAME) c.fail(`CFFILE szName of ${end - nameAt} bytes (at most ${MAX_NAME})`, nameAt);
    const raw = c.bytes(end - nameAt, 'CFFILE szName');
    c.skip(1);
    const name = attribs & CabFileAttributes.NAME_IS_UTF ? utf8.decode(raw) : latin1.decode(raw);
    out.push({ cbFile, uoffFolderStart, iFolder, date, time, attribs, name, at });
  }
  return out;
}

/** MS-DOS date and time fields as a Date, the fields taken as UTC (a cabinet stores no time zone). */
export function dosDateTime(date: number, time: number): Date | undefined {
  const day = date & 0x1f;
  const month = (date >> 5) & 0x0f;
  const year = 1980 + (date >> 9);
  const sec = (time & 0x1f) * 2;
  const min = (time >> 5) & 0x3f;
  const hour = time >> 11;
  if (day < 1 || month < 1 || month > 12 || hour > 23 || min > 59 || sec > 59) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, min, sec));
}

/** The MS-DOS date and time fields of `d` (its UTC fields; years outside 1980..2107 are clamped). */
export function toDosDateTime(d: Date): { date: number; time: number } {
  let year = d.getUTCFullYear();
  if (!(year >= 1980)) return { date: (1 << 5) | 1, time: 0 }; // 1980-01-01, also for an invalid Date
  if (year > 2107) year = 2107;
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

const utf8enc = new TextEncoder();

export function encodeCfFile(f: { cbFile: number; uoffFolderStart: number; iFolder: number; date: number; time: number; attribs: number; name: string }): Uint8Array {
  // ASCII names are written as they are; anything else as UTF-8 with _A_NAME_IS_UTF.
  const ascii = /^[\x01-\x7f]*$/.test(f.name);
  const name = utf8enc.encode(f.name);
  const b = new Uint8Array(CFFILE_SIZE + name.length + 1);
  const v = new DataView(b.buffer);
  v.setUint32(0, f.cbFile, true);
  v.setUint32(4, f.uoffFolderStart, true);
  v.setUint16(8, f.iFolder, true);
  v.setUint16(10, f.date, true);
  v.setUint16(12, f.time, true);
  v.setUint16(14, ascii ? f.attribs & ~CabFileAttributes.NAME_IS_UTF : f.attribs | CabFileAttributes.NAME_IS_UTF, true);
  b.set(name, CFFILE_SIZE);
  return b;
}
