/**
 * CFDATA: one block of a folder's compressed data ([MS-CAB] 2.5; `CFDATA` in Microsoft's
 * cabinet SDK), 8 bytes plus cbCFData reserved bytes plus cbData bytes of data.
 *
 *   0  u32  csum       checksum of the block (0: none stored)
 *   4  u16  cbData     compressed bytes that follow the reserved area
 *   6  u16  cbUncomp   uncompressed bytes they hold (at most 32768; 0 for a block split across
 *                      cabinets, continued in the next one)
 *   8  u8   abReserve[cbCFData]
 *      u8   ab[cbData]
 *
 * The checksum ([MS-CAB] 3.1; FCI's CSUMCompute) XORs the data as little-endian u32 words,
 * folds the 1-3 trailing bytes in big-endian order, then continues, seeded with that, over
 * the 4 bytes of cbData and cbUncomp.
 */
import { Cursor } from '../binary/cursor';

export const CFDATA_SIZE = 8;
/** Largest uncompressed block ([MS-CAB]: 32 KiB). */
export const CAB_BLOCK_MAX = 32768;
/** Largest compressed block libmspack/cabextract accept (32 KiB + 6 KiB of codec slack). */
export const CAB_INPUT_MAX = CAB_BLOCK_MAX + 6144;

export interface CfData {
  csum: number;
  cbData: number;
  cbUncomp: number;
  reserve: Uint8Array;
  /** The block's data (a view into the cabinet). */
  data: Uint8Array;
  /** File offset of the CFDATA header and of its data. */
  at: number;
  dataAt: number;
}

/** One CFDATA block at the cursor; the checksum is checked by the caller (`checkCfData`). */
export function readCfData(c: Cursor, cbCFData: number): CfData {
  const at = c.offset;
  c.need(CFDATA_SIZE, 'CFDATA');
  const csum = c.u32();
  const cbData = c.u16();
  const cbUncomp = c.u16();
  const reserve = c.bytes(cbCFData, 'CFDATA reserved area');
  const dataAt = c.offset;
  const data = c.bytes(cbData, 'CFDATA data');
  return { csum, cbData, cbUncomp, reserve, data, at, dataAt };
}

/** The cabinet checksum of `bytes[from, to)`, continuing from `seed`. */
export function cabChecksum(bytes: Uint8Array, seed = 0, from = 0, to = bytes.length): number {
  let sum = seed | 0;
  const words = from + ((to - from) & ~3);
  let i = from;
  for (; i < words; i += 4) sum ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
  let tail = 0;
  switch (to - i) {
    case 3:
      tail = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      break;
    case 2:
      tail = (bytes[i] << 8) | bytes[i + 1];
      break;
    case 1:
      tail = bytes[i];
      break;
  }
  return (sum ^ tail) >>> 0;
}

/** The checksum a writer stores for a block of `data` with these sizes (no reserved area). */
export function cfDataChecksum(data: Uint8Array, cbUncomp: number, reserve?: Uint8Array): number {
  const sizes = new Uint8Array(4 + (reserve?.length ?? 0));
  sizes[0] = data.length & 0xff;
  sizes[1] = data.length >> 8;
  sizes[2] = cbUncomp & 0xff;
  sizes[3] = cbUncomp >> 8;
  if (reserve) sizes.set(reserve, 4);
  return cabChecksum(sizes, cabChecksum(data));
}

/**
 * Whether a block's stored checksum (if any) holds. libmspack sums the data then cbData/cbUncomp;
 * Microsoft's FCI also covers the reserved area that follows them. Either is accepted (they agree
 * when the reserved area is zero, as it is in every cabinet seen).
 */
export function cfDataChecksumOk(d: CfData): boolean {
  if (d.csum === 0) return true;
  if (cfDataChecksum(d.data, d.cbUncomp) === d.csum) return true;
  return d.reserve.length > 0 && cfDataChecksum(d.data, d.cbUncomp, d.reserve) === d.csum;
}

export function encodeCfData(data: Uint8Array, cbUncomp: number): Uint8Array {
  const b = new Uint8Array(CFDATA_SIZE + data.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, cfDataChecksum(data, cbUncomp), true);
  v.setUint16(4, data.length, true);
  v.setUint16(6, cbUncomp, true);
  b.set(data, CFDATA_SIZE);
  return b;
}
