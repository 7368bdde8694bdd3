/**
 * Numbers symbol records in first-use order: (symbol stream, record offset) → n, and back.
 * PdbProvider.id answers SYMBOL_ID_BASE + n (SYMBOL_INFO.Index).
 *
 * An open-addressing hash table over typed arrays: symbolizing 100,000 addresses numbers as
 * many records, and a Map keyed by stream * 2^32 + offset kept a heap number and a table entry
 * per record (20+ MB of heap on the big benchmark PDB, bench/README.md); this keeps 8 bytes per
 * record plus 4 per slot, outside the JS heap.
 */
export class RecordIds {
  private streams: Uint32Array = new Uint32Array(256);
  private offsets: Uint32Array = new Uint32Array(256);
  /** n + 1 per slot, 0 when empty; the length is a power of two, at most half full. */
  private slots = new Uint32Array(512);
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** The number of (stream, offset), or -1 when it has none yet. */
  find(stream: number, offset: number): number {
    const mask = this.slots.length - 1;
    for (let i = hash(stream, offset) & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i];
      if (v === 0) return -1;
      if (this.offsets[v - 1] === offset && this.streams[v - 1] === stream) return v - 1;
    }
  }

  /** Numbers (stream, offset), which must not have a number yet; returns it. */
  add(stream: number, offset: number): number {
    const n = this.n++;
    if (n === this.streams.length) {
      this.streams = grow(this.streams, n * 2);
      this.offsets = grow(this.offsets, n * 2);
    }
    this.streams[n] = stream;
    this.offsets[n] = offset;
    if (this.n * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(n);
    return n;
  }

  /** What number n was given for, or undefined. */
  record(n: number): { stream: number; offset: number } | undefined {
    return Number.isInteger(n) && n >= 0 && n < this.n ? { stream: this.streams[n], offset: this.offsets[n] } : undefined;
  }

  private place(n: number): void {
    const mask = this.slots.length - 1;
    let i = hash(this.streams[n], this.offsets[n]) & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = n + 1;
  }

  private rehash(capacity: number): void {
    this.slots = new Uint32Array(capacity);
    for (let k = 0; k < this.n; k++) this.place(k);
  }
}

function hash(stream: number, offset: number): number {
  let h = Math.imul(offset ^ Math.imul(stream, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  return Math.imul(h, 0xc2b2ae35) ^ (h >>> 16);
}

function grow(a: Uint32Array, length: number): Uint32Array {
  const b = new Uint32Array(length);
  b.set(a);
  return b;
}
