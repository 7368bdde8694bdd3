/**
 * Builds cabinets field by field for the format tests (independent of lib/formats/cab's writer):
 * any reserved areas, neighbour names, folders of raw CFDATA blocks, files, checksums on or off.
 */
export interface BuildBlock {
  /** The block's stored bytes (already compressed as the folder says). */
  data: Uint8Array;
  cbUncomp: number;
  reserve?: Uint8Array;
  /** Store this checksum instead of computing one (0: none). */
  csum?: number;
}
export interface BuildFolder {
  typeCompress: number;
  blocks: BuildBlock[];
  reserve?: Uint8Array;
}
export interface BuildFile {
  name: string | Uint8Array;
  size: number;
  offset: number;
  folder: number;
  date?: number;
  time?: number;
  attribs?: number;
}
export interface BuildCab {
  folders: BuildFolder[];
  files: BuildFile[];
  headerReserve?: Uint8Array;
  folderReserve?: number;
  dataReserve?: number;
  /** Force RESERVE_PRESENT even when all reserve sizes are 0. */
  reserveFlag?: boolean;
  prev?: [string, string];
  next?: [string, string];
  /** Checksums on every block (default true). */
  checksums?: boolean;
}

export function cabChecksumRef(bytes: ArrayLike<number>, seed = 0): number {
  let s = seed;
  const n = bytes.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) s ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
  let t = 0;
  for (; i < n; i++) t = (t << 8) | bytes[i];
  return (s ^ t) >>> 0;
}

export function buildCab(c: BuildCab): Uint8Array {
  const enc = new TextEncoder();
  const out: number[] = [];
  const u8 = (v: number) => out.push(v & 0xff);
  const u16 = (v: number) => out.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const set32 = (at: number, v: number) => out.splice(at, 4, v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const sz = (s: string) => out.push(...enc.encode(s), 0);
  const fr = c.folderReserve ?? 0;
  const dr = c.dataReserve ?? 0;
  const hr = c.headerReserve ?? new Uint8Array(0);
  const reserve = c.reserveFlag || fr || dr || hr.length;
  const flags = (c.prev ? 1 : 0) | (c.next ? 2 : 0) | (reserve ? 4 : 0);
  out.push(0x4d, 0x53, 0x43, 0x46);
  u32(0);
  u32(0); // cbCabinet, patched
  u32(0);
  u32(0); // coffFiles, patched
  u32(0);
  u8(3);
  u8(1);
  u16(c.folders.length);
  u16(c.files.length);
  u16(flags);
  u16(0x1234);
  u16(0);
  if (reserve) {
    u16(hr.length);
    u8(fr);
    u8(dr);
    out.push(...hr);
  }
  if (c.prev) c.prev.forEach(sz);
  if (c.next) c.next.forEach(sz);
  const folderAt: number[] = [];
  for (const f of c.folders) {
    folderAt.push(out.length);
    u32(0); // coffCabStart, patched
    u16(f.blocks.length);
    u16(f.typeCompress);
    for (let i = 0; i < fr; i++) u8(f.reserve?.[i] ?? 0);
  }
  set32(16, out.length);
  for (const f of c.files) {
    u32(f.size);
    u32(f.offset);
    u16(f.folder);
    u16(f.date ?? (44 << 9) | (2 << 5) | 29); // 2024-02-29
    u16(f.time ?? (23 << 11) | (59 << 5) | 29); // 23:59:58
    const name = typeof f.name === 'string' ? enc.encode(f.name) : f.name;
    u16(f.attribs ?? (typeof f.name === 'string' && /[^\x00-\x7f]/.test(f.name) ? 0xa0 : 0x20));
    out.push(...name, 0);
  }
  c.folders.forEach((f, k) => {
    set32(folderAt[k], out.length);
    for (const b of f.blocks) {
      const res = Array.from({ length: dr }, (_, i) => b.reserve?.[i] ?? 0);
      const sizes = [b.data.length & 0xff, b.data.length >> 8, b.cbUncomp & 0xff, b.cbUncomp >> 8];
      const csum = b.csum ?? (c.checksums === false ? 0 : cabChecksumRef([...sizes, ...res], cabChecksumRef(b.data)));
      u32(csum);
      out.push(...sizes, ...res, ...b.data);
    }
  });
  set32(8, out.length);
  return Uint8Array.from(out);
}
