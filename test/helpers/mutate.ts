/**
 * Truncated and corrupted copies of real files, for the "bad input never crashes" tests.
 * Deterministic (seeded), so a failure reproduces.
 */

/** Prefixes of `buf`: every `step` bytes up to `limit`, plus a few near the end. */
export function truncations(buf: Uint8Array, step = 64, limit = buf.length): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let n = 0; n < Math.min(limit, buf.length); n += step) out.push(buf.subarray(0, n));
  for (const d of [1, 2, 4, 7, 100, 4096]) if (buf.length - d > 0) out.push(buf.subarray(0, buf.length - d));
  return out;
}

/** A small xorshift PRNG. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/**
 * Copies of `buf` with `flips` random bytes overwritten in [from, to), each copy from its own
 * seed. Overwrites favour the values that break parsers: 0, 0xff, and large counts.
 */
export function corruptions(buf: Uint8Array, copies: number, flips: number, seed = 1, from = 0, to = buf.length): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let k = 0; k < copies; k++) {
    const r = rng(seed + k * 7919);
    const b = Uint8Array.from(buf);
    for (let i = 0; i < flips; i++) {
      const at = from + Math.floor(r() * (to - from));
      const pick = r();
      b[at] = pick < 0.3 ? 0xff : pick < 0.5 ? 0 : Math.floor(r() * 256);
    }
    out.push(b);
  }
  return out;
}

/** Overwrite a little-endian u32 at `at` in a copy of `buf`. */
export function withU32(buf: Uint8Array, at: number, value: number): Uint8Array {
  const b = Uint8Array.from(buf);
  new DataView(b.buffer).setUint32(at, value >>> 0, true);
  return b;
}
