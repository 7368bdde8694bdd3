/**
 * IMAGE_DEBUG_DIRECTORY (winnt.h), 28 bytes per entry; the debug data directory is an array of
 * them. A CODEVIEW entry's data names the PDB:
 * - CV_INFO_PDB70 (cvinfo.h), 24 bytes + path: 'RSDS', GUID Signature, DWORD Age, char PdbFileName[]
 * - CV_INFO_PDB20 (cvinfo.h), 16 bytes + path: 'NB10', DWORD Offset, DWORD Signature (a
 *   timestamp), DWORD Age, char PdbFileName[]
 */
import { Cursor } from '../binary/cursor';
import { Rva, rva } from '../binary/address';

export const IMAGE_DEBUG_DIRECTORY_SIZE = 28;

/** IMAGE_DEBUG_TYPE_* */
export const ImageDebugType = {
  UNKNOWN: 0,
  COFF: 1,
  CODEVIEW: 2,
  FPO: 3,
  MISC: 4,
  EXCEPTION: 5,
  FIXUP: 6,
  OMAP_TO_SRC: 7,
  OMAP_FROM_SRC: 8,
  BORLAND: 9,
  RESERVED10: 10,
  CLSID: 11,
  VC_FEATURE: 12,
  POGO: 13,
  ILTCG: 14,
  MPX: 15,
  REPRO: 16,
  EX_DLLCHARACTERISTICS: 20,
} as const;

export interface DebugDirectoryEntry {
  readonly characteristics: number;
  readonly timeDateStamp: number;
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly type: number;
  readonly sizeOfData: number;
  /** Where the data is when the image is loaded (0 when it is not mapped). */
  readonly addressOfRawData: Rva;
  /** Where the data is in the file (0 when it is not in the file). */
  readonly pointerToRawData: number;
}

export type CodeViewRecord = { signature: 'RSDS'; guid: string; age: number; pdbPath: string } | { signature: 'NB10'; offset: number; timestamp: number; age: number; pdbPath: string };

export function readDebugDirectories(c: Cursor, count: number): DebugDirectoryEntry[] {
  c.count(count, IMAGE_DEBUG_DIRECTORY_SIZE, 'debug directory entry');
  const out: DebugDirectoryEntry[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      characteristics: c.u32(),
      timeDateStamp: c.u32(),
      majorVersion: c.u16(),
      minorVersion: c.u16(),
      type: c.u32(),
      sizeOfData: c.u32(),
      addressOfRawData: rva(c.u32()),
      pointerToRawData: c.u32(),
    });
  }
  return out;
}

export const CV_SIGNATURE_RSDS = 0x53445352; // 'RSDS'
export const CV_SIGNATURE_NB10 = 0x3031424e; // 'NB10'

/**
 * The PDB reference in a CODEVIEW entry's data (the cursor spans SizeOfData bytes), or
 * undefined for other CodeView formats (NB09/NB11 embedded debug info, which name no PDB).
 */
export function readCodeViewRecord(c: Cursor): CodeViewRecord | undefined {
  c.need(4, 'CodeView signature');
  const sig = c.u32();
  if (sig === CV_SIGNATURE_RSDS) {
    c.need(24 - 4, 'CV_INFO_PDB70');
    const guid = c.guid();
    const age = c.u32();
    return { signature: 'RSDS', guid, age, pdbPath: c.cstring('CV_INFO_PDB70 PDB path') };
  }
  if (sig === CV_SIGNATURE_NB10) {
    c.need(16 - 4, 'CV_INFO_PDB20');
    const offset = c.u32();
    const timestamp = c.u32();
    const age = c.u32();
    return { signature: 'NB10', offset, timestamp, age, pdbPath: c.cstring('CV_INFO_PDB20 PDB path') };
  }
  return undefined;
}
