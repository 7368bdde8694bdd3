/**
 * A module's CodeView and misc records in a minidump.
 *   CodeView (MINIDUMP_MODULE.CvRecord): CV_INFO_PDB70 'RSDS' (u32 signature, GUID, u32 Age,
 *     NUL-terminated PdbFileName) or CV_INFO_PDB20 'NB10' (u32 signature, u32 Offset,
 *     u32 Signature, u32 Age, PdbFileName): the same records as a PE debug directory's, read by
 *     formats/pe/debug-directory.ts. Other signatures (Breakpad's ELF 'BpEL') are kept raw.
 *   IMAGE_DEBUG_MISC (MiscRecord), 12-byte header: u32 DataType (1 = EXENAME), u32 Length,
 *     u8 Unicode, u8 Reserved[3], then Data (the .dbg file name, ANSI or UTF-16LE).
 */
import type { Cursor } from '../binary/cursor';
import { readCodeViewRecord, type CodeViewRecord } from '../pe/debug-directory';
import { nb10Key, pdbKey } from '../../symsrv/keys';

export type ModuleCodeView = CodeViewRecord | { signature: 'other'; cvSignature: number; data: Uint8Array };

export interface DebugMisc {
  dataType: number;
  unicode: boolean;
  /** The Data field as a string (the .dbg name for EXENAME). */
  data: string;
}

export const IMAGE_DEBUG_MISC_HEADER = 12;

export function readModuleCodeView(c: Cursor): ModuleCodeView {
  const at = c.rel;
  const rec = readCodeViewRecord(c);
  if (rec) return rec;
  c.seek(at);
  const cvSignature = c.u32();
  return { signature: 'other', cvSignature, data: Uint8Array.from(c.bytes(c.remaining)) };
}

/** The debug id as symbol stores and crash reporters write it: GUID (or signature) then age, hex, upper case. */
export function debugIdOf(cv: ModuleCodeView | undefined): string | undefined {
  if (!cv || cv.signature === 'other') return undefined;
  return (cv.signature === 'RSDS' ? pdbKey(cv.guid, cv.age) : nb10Key(cv.timestamp, cv.age)).toUpperCase();
}

export function readDebugMisc(c: Cursor): DebugMisc {
  c.need(IMAGE_DEBUG_MISC_HEADER, 'IMAGE_DEBUG_MISC');
  const dataType = c.u32();
  c.skip(4); // Length (the record's location already bounds it)
  const unicode = c.u8() !== 0;
  c.skip(3);
  const b = c.bytes(c.remaining);
  const text = new TextDecoder(unicode ? 'utf-16le' : 'latin1').decode(unicode ? b.subarray(0, b.length & ~1) : b);
  const nul = text.indexOf('\0');
  return { dataType, unicode, data: nul < 0 ? text : text.slice(0, nul) };
}
