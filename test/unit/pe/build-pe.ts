/**
 * A tiny PE writer for tests: DOS header, NT headers (PE32 or PE32+), section table, section
 * data, and optionally an export directory and a debug directory, which it lays out in an
 * ".rdata" section it appends last. FileAlignment 0x200, SectionAlignment 0x1000, headers in
 * the first 0x200 bytes (0x400 when there are many sections).
 */

export interface SectionSpec {
  name: string;
  /** The bytes in the file (SizeOfRawData is this rounded up to 0x200). */
  data: Uint8Array;
  /** Defaults to data.length; larger gives an uninitialized (bss) tail. */
  virtualSize?: number;
  characteristics?: number;
}

/** An exported function: an RVA, or a forwarder string ("DLL.Name"), or 0 for an unused slot. */
export type ExportTarget = number | { forward: string };

export interface ExportSpec {
  dllName: string;
  base?: number;
  timeDateStamp?: number;
  functions: ExportTarget[];
  /** name -> index into `functions`; functions with no name are exported by ordinal only. */
  names?: Record<string, number>;
  /** Raw name-table entries (name RVA, function index) used instead of `names`, for corrupt tables. */
  rawNames?: [nameRva: number, index: number][];
}

export type DebugSpec =
  { type: 'RSDS'; guid: Uint8Array; age: number; pdbPath: string } | { type: 'NB10'; offset: number; timestamp: number; age: number; pdbPath: string } | { type: number; data: Uint8Array };

export interface PeSpec {
  is64?: boolean;
  machine?: number;
  timeDateStamp?: number;
  characteristics?: number;
  imageBase?: bigint;
  entryPoint?: number;
  subsystem?: number;
  numberOfRvaAndSizes?: number;
  sections?: SectionSpec[];
  exports?: ExportSpec;
  debug?: DebugSpec[];
  /** Bytes after the last section (e.g. a certificate or appended data). */
  overlay?: Uint8Array;
}

export interface BuiltPe {
  buf: Uint8Array;
  /** File offsets and RVAs of the interesting parts, for tests that corrupt them. */
  layout: {
    ntHeaders: number;
    optionalHeader: number;
    sectionTable: number;
    sizeOfImage: number;
    sections: { name: string; rva: number; fileOffset: number; rawSize: number; virtualSize: number }[];
    exportDir?: { rva: number; size: number; fileOffset: number };
    debugDir?: { rva: number; size: number; fileOffset: number };
    /** RVA of each forwarder string, by forwarder. */
    forwarders: Record<string, number>;
  };
}

const FILE_ALIGN = 0x200;
const SECTION_ALIGN = 0x1000;
const up = (n: number, a: number) => Math.ceil(n / a) * a;
const ascii = (s: string) => new TextEncoder().encode(s);

/** A little-endian byte buffer that grows. */
export class Writer {
  private b = new Uint8Array(256);
  private dv = new DataView(this.b.buffer);
  length = 0;
  private ensure(n: number) {
    if (n <= this.b.length) return;
    const nb = new Uint8Array(Math.max(n, this.b.length * 2));
    nb.set(this.b);
    this.b = nb;
    this.dv = new DataView(nb.buffer);
  }
  at(pos: number): { u8(v: number): void; u16(v: number): void; u32(v: number): void; u64(v: bigint): void; bytes(v: Uint8Array): void } {
    return {
      u8: (v) => (this.ensure(pos + 1), this.dv.setUint8(pos, v), (this.length = Math.max(this.length, pos + 1))),
      u16: (v) => (this.ensure(pos + 2), this.dv.setUint16(pos, v, true), (this.length = Math.max(this.length, pos + 2))),
      u32: (v) => (this.ensure(pos + 4), this.dv.setUint32(pos, v >>> 0, true), (this.length = Math.max(this.length, pos + 4))),
      u64: (v) => (this.ensure(pos + 8), this.dv.setBigUint64(pos, v, true), (this.length = Math.max(this.length, pos + 8))),
      bytes: (v) => (this.ensure(pos + v.length), this.b.set(v, pos), (this.length = Math.max(this.length, pos + v.length))),
    };
  }
  u8(v: number) {
    this.at(this.length).u8(v);
    return this;
  }
  u16(v: number) {
    this.at(this.length).u16(v);
    return this;
  }
  u32(v: number) {
    this.at(this.length).u32(v);
    return this;
  }
  u64(v: bigint) {
    this.at(this.length).u64(v);
    return this;
  }
  bytes(v: Uint8Array) {
    this.at(this.length).bytes(v);
    return this;
  }
  cstring(s: string) {
    return this.bytes(ascii(s)).u8(0);
  }
  pad(to: number) {
    if (to > this.length) {
      this.ensure(to);
      this.length = to;
    }
    return this;
  }
  align(a: number) {
    return this.pad(up(this.length, a));
  }
  done(): Uint8Array {
    return this.b.slice(0, this.length);
  }
}

export function buildPe(spec: PeSpec = {}): BuiltPe {
  const is64 = spec.is64 ?? false;
  const userSections = spec.sections ?? [{ name: '.text', data: new Uint8Array([0xc3]), characteristics: 0x60000020 }];
  const nSections = userSections.length + (spec.exports || spec.debug ? 1 : 0);
  const nDirs = spec.numberOfRvaAndSizes ?? 16;
  const optSize = (is64 ? 112 : 96) + 8 * Math.min(nDirs, 16);
  const ntAt = 0x80;
  const optAt = ntAt + 24;
  const secTableAt = optAt + optSize;
  const sizeOfHeaders = up(secTableAt + 40 * nSections, FILE_ALIGN);

  // Place the user sections.
  const placed: BuiltPe['layout']['sections'] = [];
  const sectionBytes: Uint8Array[] = [];
  const chars: number[] = [];
  let rva = SECTION_ALIGN;
  let fileOff = sizeOfHeaders;
  for (const s of userSections) {
    const rawSize = up(s.data.length, FILE_ALIGN);
    const virtualSize = s.virtualSize ?? s.data.length;
    placed.push({ name: s.name, rva, fileOffset: rawSize ? fileOff : 0, rawSize, virtualSize });
    sectionBytes.push(s.data);
    chars.push(s.characteristics ?? 0x40000040);
    rva = up(rva + Math.max(virtualSize, 1), SECTION_ALIGN);
    fileOff += rawSize;
  }

  // The .rdata section holding exports and the debug directory.
  const dirs: { rva: number; size: number }[] = Array.from({ length: 16 }, () => ({ rva: 0, size: 0 }));
  const layout: BuiltPe['layout'] = { ntHeaders: ntAt, optionalHeader: optAt, sectionTable: secTableAt, sizeOfImage: 0, sections: placed, forwarders: {} };
  if (spec.exports || spec.debug) {
    const rdataRva = rva;
    const rdataFile = fileOff;
    const w = new Writer();
    if (spec.exports) {
      const e = spec.exports;
      const start = w.length;
      const nf = e.functions.length;
      const names = Object.entries(e.names ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const nn = e.rawNames ? e.rawNames.length : names.length;
      const funcsAt = start + 40;
      const namesAt = funcsAt + nf * 4;
      const ordsAt = namesAt + nn * 4;
      w.pad(ordsAt + nn * 2);
      const dllNameRva = rdataRva + w.length;
      w.cstring(e.dllName);
      e.rawNames?.forEach(([nameRva, index], i) => {
        w.at(namesAt + i * 4).u32(nameRva);
        w.at(ordsAt + i * 2).u16(index);
      });
      if (!e.rawNames)
        names.forEach(([name, index], i) => {
          w.at(namesAt + i * 4).u32(rdataRva + w.length);
          w.at(ordsAt + i * 2).u16(index);
          w.cstring(name);
        });
      e.functions.forEach((f, i) => {
        if (typeof f === 'number') {
          w.at(funcsAt + i * 4).u32(f);
        } else {
          const at = rdataRva + w.length;
          layout.forwarders[f.forward] = at;
          w.at(funcsAt + i * 4).u32(at);
          w.cstring(f.forward);
        }
      });
      const h = w.at(start);
      h.u32(0);
      w.at(start + 4).u32(e.timeDateStamp ?? 0);
      w.at(start + 12).u32(dllNameRva);
      w.at(start + 16).u32(e.base ?? 1);
      w.at(start + 20).u32(nf);
      w.at(start + 24).u32(nn);
      w.at(start + 28).u32(rdataRva + funcsAt);
      w.at(start + 32).u32(rdataRva + namesAt);
      w.at(start + 36).u32(rdataRva + ordsAt);
      dirs[0] = { rva: rdataRva + start, size: w.length - start };
      layout.exportDir = { rva: rdataRva + start, size: w.length - start, fileOffset: rdataFile + start };
      w.align(4);
    }
    if (spec.debug) {
      const start = w.length;
      const n = spec.debug.length;
      w.pad(start + 28 * n);
      spec.debug.forEach((d, i) => {
        w.align(4);
        const dataAt = w.length;
        let type: number;
        if (d.type === 'RSDS') {
          type = 2;
          w.bytes(ascii('RSDS')).bytes(d.guid).u32(d.age).cstring(d.pdbPath);
        } else if (d.type === 'NB10') {
          type = 2;
          w.bytes(ascii('NB10')).u32(d.offset).u32(d.timestamp).u32(d.age).cstring(d.pdbPath);
        } else {
          type = d.type;
          w.bytes(d.data);
        }
        const e = w.at(start + 28 * i);
        e.u32(0);
        w.at(start + 28 * i + 4).u32(spec.timeDateStamp ?? 0);
        w.at(start + 28 * i + 12).u32(type);
        w.at(start + 28 * i + 16).u32(w.length - dataAt);
        w.at(start + 28 * i + 20).u32(rdataRva + dataAt);
        w.at(start + 28 * i + 24).u32(rdataFile + dataAt);
      });
      dirs[6] = { rva: rdataRva + start, size: 28 * n };
      layout.debugDir = { rva: rdataRva + start, size: 28 * n, fileOffset: rdataFile + start };
    }
    const data = w.done();
    const rawSize = up(data.length, FILE_ALIGN);
    placed.push({ name: '.rdata', rva: rdataRva, fileOffset: rdataFile, rawSize, virtualSize: data.length });
    sectionBytes.push(data);
    chars.push(0x40000040);
    rva = up(rdataRva + data.length, SECTION_ALIGN);
    fileOff += rawSize;
  }
  const sizeOfImage = rva;
  layout.sizeOfImage = sizeOfImage;

  const w = new Writer();
  // IMAGE_DOS_HEADER
  w.bytes(ascii('MZ'));
  w.at(0x3c).u32(ntAt);
  w.pad(ntAt);
  // 'PE\0\0' + IMAGE_FILE_HEADER
  w.bytes(ascii('PE\0\0'));
  w.u16(spec.machine ?? (is64 ? 0x8664 : 0x14c));
  w.u16(nSections);
  w.u32(spec.timeDateStamp ?? 0x12345678);
  w.u32(0).u32(0);
  w.u16(optSize);
  w.u16(spec.characteristics ?? 0x0002 | (is64 ? 0x0020 : 0x0100));
  // IMAGE_OPTIONAL_HEADER32/64
  w.u16(is64 ? 0x20b : 0x10b)
    .u8(14)
    .u8(0);
  w.u32(placed[0]?.rawSize ?? 0)
    .u32(0)
    .u32(0);
  w.u32(spec.entryPoint ?? placed[0]?.rva ?? 0).u32(placed[0]?.rva ?? 0);
  if (!is64) w.u32(0);
  if (is64) w.u64(spec.imageBase ?? 0x140000000n);
  else w.u32(Number(spec.imageBase ?? 0x400000n));
  w.u32(SECTION_ALIGN).u32(FILE_ALIGN);
  w.u16(6).u16(0).u16(0).u16(0).u16(6).u16(0);
  w.u32(0);
  w.u32(sizeOfImage).u32(sizeOfHeaders).u32(0);
  w.u16(spec.subsystem ?? 3).u16(0x8160);
  for (let i = 0; i < 4; i++) {
    if (is64) w.u64(0x100000n);
    else w.u32(0x100000);
  }
  w.u32(0).u32(nDirs);
  for (let i = 0; i < Math.min(nDirs, 16); i++) w.u32(dirs[i].rva).u32(dirs[i].size);
  // IMAGE_SECTION_HEADER table
  placed.forEach((s, i) => {
    const name = ascii(s.name).subarray(0, 8);
    const at = w.length;
    w.bytes(name).pad(at + 8);
    w.u32(s.virtualSize).u32(s.rva).u32(s.rawSize).u32(s.fileOffset).u32(0).u32(0).u16(0).u16(0).u32(chars[i]);
  });
  w.pad(sizeOfHeaders);
  placed.forEach((s, i) => {
    if (s.rawSize) w.at(s.fileOffset).bytes(sectionBytes[i]);
    w.pad(s.fileOffset + s.rawSize);
  });
  if (spec.overlay) w.bytes(spec.overlay);
  return { buf: w.done(), layout };
}

/** A GUID's 16 on-disk bytes from its text form (Data1-3 little-endian, Data4 as is). */
export function guidBytes(text: string): Uint8Array {
  const h = text.replace(/-/g, '');
  const b = Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
  return Uint8Array.from([b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], ...b.subarray(8)]);
}
