/**
 * IMAGE_DOS_HEADER (winnt.h), 64 bytes: the MS-DOS stub header every PE image starts with.
 * Only two fields matter to a PE reader: e_magic ('MZ') at 0 and e_lfanew (the file offset of
 * the 'PE\0\0' signature) at 0x3C.
 */
import { Cursor } from '../binary/cursor';

export const IMAGE_DOS_HEADER_SIZE = 64;
export const IMAGE_DOS_SIGNATURE = 0x5a4d; // 'MZ'

export interface DosHeader {
  /** e_lfanew: file offset of the NT headers ('PE\0\0'). */
  readonly lfanew: number;
}

/** Reads the DOS header from a cursor at file offset 0 (the cursor may be shorter than 64 bytes). */
export function readDosHeader(c: Cursor): DosHeader {
  const start = c.pos;
  if (c.remaining < 2 || c.u16() !== IMAGE_DOS_SIGNATURE) {
    c.fail(`not a PE image: no 'MZ' signature${guessFormat(c.buf.subarray(c.start, c.end))}`, start);
  }
  c.pos = start;
  c.need(IMAGE_DOS_HEADER_SIZE, 'IMAGE_DOS_HEADER');
  c.skip(0x3c);
  const lfanew = c.u32();
  return { lfanew };
}

/** A hint for the common mix-ups (a PDB or an ELF/Mach-O file given where an image is expected). */
function guessFormat(b: Uint8Array): string {
  const ascii = (n: number) => String.fromCharCode(...b.subarray(0, Math.min(n, b.length)));
  if (b.length === 0) return ' (the file is empty)';
  if (ascii(19) === 'Microsoft C/C++ MSF' || ascii(19) === 'Microsoft C/C++ pro') return ' (this is a PDB file)';
  if (b[0] === 0x7f && ascii(4) === '\x7fELF') return ' (this is an ELF file)';
  const m = b.length >= 4 ? (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0 : 0;
  if (m === 0xfeedface || m === 0xfeedfacf || m === 0xcefaedfe || m === 0xcffaedfe || m === 0xbebafeca) {
    return ' (this is a Mach-O file)';
  }
  if (ascii(8) === 'MSCF\0\0\0\0') return ' (this is a compressed cabinet (.ex_/.dl_/.pd_); expand it first)';
  return '';
}
