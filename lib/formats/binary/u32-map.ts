/**
 * u32 → u32, an open-addressing hash table over typed arrays that an index builder clears and
 * refills per module without allocating: `clear()` moves to a new generation (a slot is in use
 * only when stamped with the current one), and the arrays grow only past the biggest module.
 *
 * Why not a Map: the inline index build keeps one per module (inlinee → its first line); 415
 * fresh Maps of a few hundred entries each, on the big benchmark PDB, lived long enough to be
 * copied by the young-generation collector and promoted.
 */
export class U32Map {
  private keys: Uint32Array;
  private values: Uint32Array;
  private stamps: Uint32Array;
  private generation = 1;
  private count = 0;

  constructor(capacity = 256) {
    const n = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.keys = new Uint32Array(n);
    this.values = new Uint32Array(n);
    this.stamps = new Uint32Array(n);
  }

  get size(): number {
    return this.count;
  }

  /** Empty again (O(1)). */
  clear(): void {
    this.count = 0;
    if (++this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  /** The value for `key`, or -1 when it has none. */
  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = hash(key) & mask; ; i = (i + 1) & mask) {
      if (this.stamps[i] !== this.generation) return -1;
      if (this.keys[i] === key) return this.values[i];
    }
  }

  /** Sets `key` to `value` unless it has a value already; whether it was set. */
  setIfAbsent(key: number, value: number): boolean {
    const mask = this.keys.length - 1;
    let i = hash(key) & mask;
    for (; this.stamps[i] === this.generation; i = (i + 1) & mask) if (this.keys[i] === key) return false;
    this.stamps[i] = this.generation;
    this.keys[i] = key;
    this.values[i] = value;
    if (++this.count * 2 > this.keys.length) this.grow();
    return true;
  }

  private grow(): void {
    const { keys, values, stamps, generation } = this;
    const n = keys.length * 2;
    this.keys = new Uint32Array(n);
    this.values = new Uint32Array(n);
    this.stamps = new Uint32Array(n);
    this.generation = 1;
    const mask = n - 1;
    for (let k = 0; k < keys.length; k++) {
      if (stamps[k] !== generation) continue;
      let i = hash(keys[k]) & mask;
      while (this.stamps[i] === 1) i = (i + 1) & mask;
      this.stamps[i] = 1;
      this.keys[i] = keys[k];
      this.values[i] = values[k];
    }
  }
}

function hash(key: number): number {
  let h = Math.imul(key, 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}
