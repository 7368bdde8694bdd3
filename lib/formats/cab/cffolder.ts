/**
 * CFFOLDER: one folder, a run of CFDATA blocks compressed as one stream ([MS-CAB] 2.3;
 * `CFFOLDER` in Microsoft's cabinet SDK), 8 bytes plus cbCFFolder reserved bytes.
 *
 *   0  u32  coffCabStart   file offset of the folder's first CFDATA
 *   4  u16  cCFData        number of CFDATA blocks in this cabinet
 *   6  u16  typeCompress   bits 0-3 method (0 none, 1 MSZIP, 2 Quantum, 3 LZX);
 *                          LZX: bits 8-12 window size as a power of two (15..21);
 *                          Quantum: bits 4-7 level, bits 8-12 memory
 *   8  u8   abReserve[cbCFFolder]
 */
import { Cursor } from '../binary/cursor';

export const CFFOLDER_SIZE = 8;

export const CabCompression = {
  NONE: 0,
  MSZIP: 1,
  QUANTUM: 2,
  LZX: 3,
} as const;

export type CabMethod = 'none' | 'mszip' | 'quantum' | 'lzx' | 'unknown';

export interface CfFolder {
  index: number;
  coffCabStart: number;
  cCFData: number;
  typeCompress: number;
  method: CabMethod;
  /** LZX window size as a power of two (typeCompress bits 8-12); 0 for other methods. */
  lzxWindowBits: number;
  reserve: Uint8Array;
  /** File offset of this CFFOLDER record (for messages). */
  at: number;
}

const methods: CabMethod[] = ['none', 'mszip', 'quantum', 'lzx'];

export function readCfFolders(c: Cursor, count: number, cbCFFolder: number): CfFolder[] {
  c.count(count, CFFOLDER_SIZE + cbCFFolder, 'CFFOLDER');
  const out: CfFolder[] = [];
  for (let i = 0; i < count; i++) {
    const at = c.offset;
    const coffCabStart = c.u32();
    const cCFData = c.u16();
    const typeCompress = c.u16();
    const reserve = c.bytes(cbCFFolder, 'CFFOLDER reserved area');
    const kind = typeCompress & 0x000f;
    const method = methods[kind] ?? 'unknown';
    out.push({ index: i, coffCabStart, cCFData, typeCompress, method, lzxWindowBits: method === 'lzx' ? (typeCompress >> 8) & 0x1f : 0, reserve, at });
  }
  return out;
}

export function encodeCfFolder(f: { coffCabStart: number; cCFData: number; typeCompress: number }): Uint8Array {
  const b = new Uint8Array(CFFOLDER_SIZE);
  const v = new DataView(b.buffer);
  v.setUint32(0, f.coffCabStart, true);
  v.setUint16(4, f.cCFData, true);
  v.setUint16(6, f.typeCompress, true);
  return b;
}
