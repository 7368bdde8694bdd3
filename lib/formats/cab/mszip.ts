/**
 * MSZIP ([MS-MCI] "Microsoft ZIP (MSZIP) Data Compression Format"): each CFDATA block holds
 * "CK" and a complete raw deflate stream (RFC 1951) for at most 32 KiB of output. The deflate
 * history carries across the blocks of a folder, so a block may copy from the 32 KiB before it:
 * each block is inflated by Node's zlib with the previous 32 KiB of the folder's output as its
 * preset dictionary, which is exactly that history.
 */
import { deflateRawSync, inflateRawSync } from 'zlib';
import { badFormat } from '../../api/errors';
import { CAB_BLOCK_MAX } from './cfdata';

export const MSZIP_SIGNATURE_0 = 0x43; // 'C'
export const MSZIP_SIGNATURE_1 = 0x4b; // 'K'
const HISTORY = 32768;

/**
 * Inflates one MSZIP block into `out` at `at`, with `out[at - 32 KiB, at)` as history; returns
 * the bytes written, which must be `expected`. `dataAt` is the block data's file offset.
 */
export function inflateMszipBlock(data: Uint8Array, out: Uint8Array, at: number, expected: number, file: string, dataAt: number): void {
  if (data.length < 2 || data[0] !== MSZIP_SIGNATURE_0 || data[1] !== MSZIP_SIGNATURE_1) {
    throw badFormat(file, dataAt, 'MSZIP block does not start with "CK"');
  }
  const dict = out.subarray(Math.max(0, at - HISTORY), at);
  let got: Buffer;
  try {
    got = inflateRawSync(data.subarray(2), {
      ...(dict.length ? { dictionary: dict } : {}),
      // A block never inflates past 32 KiB; zlib stops there instead of growing its buffer.
      maxOutputLength: CAB_BLOCK_MAX,
    });
  } catch (e) {
    throw badFormat(file, dataAt + 2, `MSZIP block does not inflate (${(e as Error).message})`);
  }
  if (got.length !== expected) throw badFormat(file, dataAt, `MSZIP block inflates to ${got.length} bytes, CFDATA says ${expected}`);
  out.set(got, at);
}

/**
 * One MSZIP block for `block` (at most 32 KiB) given the folder's preceding bytes `history`:
 * "CK" + raw deflate with the last 32 KiB of history as dictionary, or "CK" + a stored deflate
 * block when compression would not make it smaller.
 */
export function deflateMszipBlock(block: Uint8Array, history: Uint8Array, level = 6): Uint8Array {
  const dict = history.subarray(Math.max(0, history.length - HISTORY));
  const packed = deflateRawSync(block, { level, ...(dict.length ? { dictionary: dict } : {}) });
  if (packed.length <= block.length + 5) {
    const out = new Uint8Array(2 + packed.length);
    out[0] = MSZIP_SIGNATURE_0;
    out[1] = MSZIP_SIGNATURE_1;
    out.set(packed, 2);
    return out;
  }
  return storedMszipBlock(block);
}

/** "CK" + one final stored deflate block (BFINAL=1, BTYPE=00, LEN, NLEN, the bytes). */
export function storedMszipBlock(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + 5 + block.length);
  out[0] = MSZIP_SIGNATURE_0;
  out[1] = MSZIP_SIGNATURE_1;
  out[2] = 0x01;
  out[3] = block.length & 0xff;
  out[4] = block.length >> 8;
  out[5] = ~block.length & 0xff;
  out[6] = (~block.length >> 8) & 0xff;
  out.set(block, 7);
  return out;
}
