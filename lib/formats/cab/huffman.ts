/**
 * Canonical Huffman decoding tables for LZX (codes read most-significant bit first, at most
 * 16 bits long). Table-driven: one lookup of the next `tableBits` bits answers every code that
 * short; a longer code's first `tableBits` bits lead to a sub-table indexed by its remaining
 * bits. Entries are `symbol << 5 | code length`; a negative entry is minus a sub-table's index.
 * Built into preallocated typed arrays: nothing is allocated per block or per symbol.
 */

export const HUFF_MAX_BITS = 16;

export const enum BuildResult {
  OK = 0,
  /** Every length is zero (allowed for LZX's length tree only). */
  EMPTY = 1,
  /** The lengths over- or under-subscribe the code space (not a complete prefix code). */
  BAD = 2,
}

export class HuffmanTable {
  readonly table: Int32Array;
  /** Bits looked up by the first level. */
  readonly tableBits: number;
  /** Extra bits indexing a sub-table (0 when every code fits the first level). */
  subBits = 0;
  /** Longest code in the current tree. */
  maxLen = 0;
  private readonly count = new Uint16Array(HUFF_MAX_BITS + 1);
  private readonly next = new Uint32Array(HUFF_MAX_BITS + 2);

  constructor(
    readonly symbols: number,
    tableBits: number,
  ) {
    this.tableBits = tableBits;
    // Room for a sub-table per symbol at the largest possible sub-table size.
    this.table = new Int32Array((1 << tableBits) + symbols * (1 << Math.max(0, HUFF_MAX_BITS - tableBits)));
  }

  /** Builds the table from `lens[from, from + symbols)`. */
  build(lens: Uint8Array, from = 0): BuildResult {
    const n = this.symbols;
    const count = this.count;
    count.fill(0);
    for (let s = 0; s < n; s++) count[lens[from + s]]++;
    if (count[0] === n) return BuildResult.EMPTY;
    let left = 1;
    let maxLen = 0;
    for (let len = 1; len <= HUFF_MAX_BITS; len++) {
      left = (left << 1) - count[len];
      if (left < 0) return BuildResult.BAD;
      if (count[len]) maxLen = len;
    }
    if (left !== 0) return BuildResult.BAD;
    for (let s = 0; s < n; s++) if (lens[from + s] > HUFF_MAX_BITS) return BuildResult.BAD;

    const T = this.tableBits;
    const sub = maxLen > T ? maxLen - T : 0;
    this.maxLen = maxLen;
    this.subBits = sub;
    const next = this.next;
    count[0] = 0;
    let code = 0;
    for (let len = 1; len <= HUFF_MAX_BITS; len++) {
      code = (code + count[len - 1]) << 1;
      next[len] = code;
    }
    const t = this.table;
    if (sub) t.fill(0, 0, 1 << T);
    let free = 1 << T;
    for (let s = 0; s < n; s++) {
      const len = lens[from + s];
      if (len === 0) continue;
      const c = next[len]++;
      const entry = (s << 5) | len;
      if (len <= T) {
        const start = c << (T - len);
        t.fill(entry, start, start + (1 << (T - len)));
      } else {
        const rem = len - T;
        const prefix = c >>> rem;
        let base = -t[prefix];
        if (base <= 0) {
          base = free;
          free += 1 << sub;
          t[prefix] = -base;
        }
        const start = base + ((c & ((1 << rem) - 1)) << (sub - rem));
        t.fill(entry, start, start + (1 << (sub - rem)));
      }
    }
    return BuildResult.OK;
  }
}
