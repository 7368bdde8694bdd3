/**
 * GSI hash tables (globals stream; first part of the publics stream): Microsoft gsi.h,
 * LLVM GSIHashTable.
 *
 *   GSIHashHdr, 16 bytes: u32 verSignature (0xffffffff)  u32 verHdr (0xeffe0000 + 19990810)
 *                         u32 hrSize  u32 numBuckets (bytes of bucket data)
 *   PSHashRecord[hrSize / 8]: u32 off (symbol record offset + 1)  u32 cRef
 *   bucket bitmap: (IPHR_HASH + 1) bits rounded up to u32 words, then one u32 per set bit:
 *     the byte offset (in 12-byte units of the writer's in-memory records) of that bucket's
 *     first hash record.
 *
 * Lookup by name: bucket = hashStringV1(name) % IPHR_HASH; walk that bucket's records.
 */
import { Cursor } from '../binary/cursor';

export const IPHR_HASH = 4096;
/**
 * The bucket count of the hash tables a /DEBUG:FASTLINK link writes (corpus CppConsoleApp.pdb:
 * a 32768-byte bitmap, 0x40000 bits, before the bucket offsets).
 */
export const IPHR_HASH_MINI = 0x3ffff;

/**
 * How many buckets a table's bitmap covers: the bucket data is the bitmap, then one u32 per set
 * bit, so exactly one of the two known sizes adds up to `bytes`. Reads ahead without moving `b`.
 */
function bucketCount(b: Cursor, bytes: number): number {
  for (const n of [IPHR_HASH, IPHR_HASH_MINI]) {
    const words = Math.ceil((n + 1) / 32);
    if (words * 4 > bytes) continue;
    const peek = new Cursor(b.buf, b.origin, b.pos, b.end, b.base);
    let bits = 0;
    for (let i = 0; i < words; i++) bits += popcount(peek.u32());
    if (words * 4 + bits * 4 === bytes) return n;
  }
  return b.fail(`GSI bucket data of ${bytes} bytes fits neither a ${IPHR_HASH}- nor a ${IPHR_HASH_MINI}-bucket bitmap`, b.pos);
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
const GSI_HASH_V70 = 0xeffe0000 + 19990810;

export class GsiHashTable {
  private constructor(
    /** Symbol record offsets (already minus one), in bucket order. */
    readonly recordOffsets: Uint32Array,
    /** For each of IPHR_HASH buckets: index of its first record in recordOffsets, or -1. */
    private readonly bucketStart: Int32Array,
    /** IPHR_HASH, or IPHR_HASH_MINI in /DEBUG:FASTLINK PDBs. */
    readonly buckets: number = IPHR_HASH,
  ) {}

  static read(c: Cursor): GsiHashTable {
    const sig = c.u32();
    const ver = c.u32();
    if (sig !== 0xffffffff || ver !== GSI_HASH_V70) c.fail(`GSI hash header ${sig.toString(16)}/${ver.toString(16)} is not the VC7.0 format`, c.pos - 8);
    const hrSize = c.u32();
    const bucketBytes = c.u32();
    const records = c.take(hrSize, 'GSI hash records');
    const n = c.count(Math.floor(hrSize / 8), 0, 'GSI hash record');
    const recordOffsets = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      recordOffsets[i] = (records.u32() - 1) >>> 0;
      records.u32();
    }
    let buckets = IPHR_HASH;
    let bucketStart = new Int32Array(buckets).fill(-1);
    if (bucketBytes > 0) {
      const b = c.take(bucketBytes, 'GSI hash buckets');
      buckets = bucketCount(b, bucketBytes);
      bucketStart = new Int32Array(buckets).fill(-1);
      const words = Math.ceil((buckets + 1) / 32);
      const bitmap = new Uint32Array(words);
      for (let i = 0; i < words; i++) bitmap[i] = b.u32();
      for (let i = 0; i < buckets; i++) {
        if (bitmap[i >>> 5] & (1 << (i & 31))) {
          const off = b.u32();
          const idx = Math.floor(off / 12);
          if (idx > n) b.fail(`GSI bucket ${i} starts at record ${idx} of ${n}`, b.pos - 4);
          bucketStart[i] = idx;
        }
      }
    }
    return new GsiHashTable(recordOffsets, bucketStart, buckets);
  }

  /** Symbol record offsets whose name hashes like `name` (callers compare the names). */
  *candidates(name: string): IterableIterator<number> {
    // The mini tables' bucket hash is not the V1 hash modulo their size (CppConsoleApp.pdb: 94
    // of 330 publics would be found): callers fall back to their tables by name.
    if (this.buckets !== IPHR_HASH) return;
    const bucket = hashStringV1(name) % this.buckets;
    const start = this.bucketStart[bucket];
    if (start < 0) return;
    let end = this.recordOffsets.length;
    for (let k = bucket + 1; k < this.buckets; k++) {
      if (this.bucketStart[k] >= 0) {
        end = this.bucketStart[k];
        break;
      }
    }
    for (let i = start; i < end; i++) yield this.recordOffsets[i];
  }
}

/** The PDB's case-insensitive string hash (Microsoft misc.h LHashPbCb; LLVM hashStringV1). */
export function hashStringV1(s: string): number {
  const b = Buffer.from(s, 'utf8');
  let result = 0;
  const longs = b.length >>> 2;
  for (let i = 0; i < longs; i++) result ^= b.readUInt32LE(i * 4);
  let p = longs * 4;
  let rem = b.length & 3;
  if (rem >= 2) {
    result ^= b.readUInt16LE(p);
    p += 2;
    rem -= 2;
  }
  if (rem === 1) result ^= b[p];
  result |= 0x20202020;
  result ^= result >>> 11;
  result ^= result >>> 16;
  return result >>> 0;
}
