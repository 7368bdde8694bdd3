/**
 * Builds TPI streams byte by byte for the type tests: a 56-byte TpiStreamHeader, the records
 * (each given as leaf + payload; the builder adds reclen and LF_PAD bytes to 4), and
 * optionally a hash stream (hash values and index offsets as the header describes them).
 */

export class Bytes {
  private out: number[] = [];
  u8(...v: number[]): this {
    for (const x of v) this.out.push(x & 0xff);
    return this;
  }
  u16(...v: number[]): this {
    for (const x of v) this.out.push(x & 0xff, (x >> 8) & 0xff);
    return this;
  }
  u32(...v: number[]): this {
    for (const x of v) this.out.push(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff);
    return this;
  }
  u64(v: bigint): this {
    return this.u32(Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn));
  }
  str(s: string): this {
    for (const b of Buffer.from(s, 'utf8')) this.out.push(b);
    this.out.push(0);
    return this;
  }
  get length(): number {
    return this.out.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** One record: u16 leaf then payload, padded with LF_PAD (0xf3 0xf2 0xf1) to 4 bytes. */
export function record(leaf: number, payload: (b: Bytes) => void): Uint8Array {
  const b = new Bytes().u16(leaf);
  payload(b);
  let body = b.bytes();
  const pad = (4 - ((body.length + 2) % 4)) % 4;
  if (pad) body = Uint8Array.from([...body, ...[0xf3, 0xf2, 0xf1].slice(3 - pad)]);
  const out = new Uint8Array(body.length + 2);
  out[0] = body.length & 0xff;
  out[1] = body.length >> 8;
  out.set(body, 2);
  return out;
}

export interface BuiltTpi {
  stream: Uint8Array;
  hash: Uint8Array | undefined;
  /** Byte offset (in the records) of each record. */
  offsets: number[];
}

/**
 * A TPI stream of `records` numbered from 0x1000. With `hashValues`, a hash stream (index 7 in
 * the header) holds them (4 bytes each, `buckets` buckets) and index offsets every `chunk`
 * records.
 */
export function buildTpi(records: Uint8Array[], opts: { hashValues?: readonly number[]; buckets?: number; chunk?: number } = {}): BuiltTpi {
  const offsets: number[] = [];
  let size = 0;
  for (const r of records) {
    offsets.push(size);
    size += r.length;
  }
  let hash: Uint8Array | undefined;
  let hv = { off: 0, len: 0 };
  let io = { off: 0, len: 0 };
  if (opts.hashValues) {
    const h = new Bytes();
    h.u32(...opts.hashValues);
    hv = { off: 0, len: h.length };
    const chunk = opts.chunk ?? 2;
    for (let i = 0; i < records.length; i += chunk) h.u32(0x1000 + i, offsets[i]);
    io = { off: hv.len, len: h.length - hv.len };
    hash = h.bytes();
  }
  const head = new Bytes()
    .u32(20040203, 56, 0x1000, 0x1000 + records.length, size)
    .u16(hash ? 7 : 0xffff, 0xffff)
    .u32(4, opts.buckets ?? 0x3ffff)
    .u32(hv.off, hv.len, io.off, io.len, 0, 0);
  const stream = new Uint8Array(56 + size);
  stream.set(head.bytes(), 0);
  let at = 56;
  for (const r of records) {
    stream.set(r, at);
    at += r.length;
  }
  return { stream, hash, offsets };
}
