/**
 * A small minidump writer for tests (as rust-minidump's minidump-synth): lay out data, strings
 * and streams, then `build()` writes the header and the directory. Layouts follow
 * minidumpapiset.h; each helper says which structure it writes.
 */

/** Little-endian byte writer. */
export class W {
  private parts: number[] = [];
  get length(): number {
    return this.parts.length;
  }
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16((v >>> 16) & 0xffff);
  }
  u64(v: bigint | number): this {
    const b = BigInt.asUintN(64, BigInt(v));
    return this.u32(Number(b & 0xffffffffn)).u32(Number(b >> 32n));
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i] & 0xff);
    return this;
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.parts.push(0);
    return this;
  }
  /** A GUID from its text form (`01234567-89AB-CDEF-0123-456789ABCDEF`). */
  guid(g: string): this {
    const h = g.replace(/-/g, '');
    this.u32(parseInt(h.slice(0, 8), 16))
      .u16(parseInt(h.slice(8, 12), 16))
      .u16(parseInt(h.slice(12, 16), 16));
    for (let i = 16; i < 32; i += 2) this.u8(parseInt(h.slice(i, i + 2), 16));
    return this;
  }
  /** UTF-16LE code units of s, then `pad` zero units up to `units` when given. */
  utf16(s: string, units?: number): this {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
    if (units !== undefined) this.zeros(2 * (units - s.length));
    return this;
  }
  ascii(s: string): this {
    for (let i = 0; i < s.length; i++) this.u8(s.charCodeAt(i));
    return this;
  }
  /** Pads to `total` bytes. */
  padTo(total: number): this {
    if (this.parts.length > total) throw new Error(`W: ${this.parts.length} bytes written, more than ${total}`);
    return this.zeros(total - this.parts.length);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export interface Loc {
  dataSize: number;
  rva: number;
}

export class DumpBuilder {
  private chunks: Uint8Array[] = [];
  private size = 32; // header
  private streams: { type: number; loc: Loc }[] = [];
  flags = 0n;
  timeDateStamp = 0x5f000000;

  /** Appends bytes (4-aligned) and returns where they are. */
  add(b: Uint8Array | W): Loc {
    const bytes = b instanceof W ? b.done() : b;
    const pad = (4 - (this.size % 4)) % 4;
    if (pad) this.chunks.push(new Uint8Array(pad));
    this.size += pad;
    const rva = this.size;
    this.chunks.push(bytes);
    this.size += bytes.length;
    return { dataSize: bytes.length, rva };
  }
  /** MINIDUMP_STRING: its RVA. */
  string(s: string): number {
    return this.add(
      new W()
        .u32(s.length * 2)
        .utf16(s)
        .u16(0),
    ).rva;
  }
  /** MinidumpUTF8String (Crashpad): its RVA. */
  utf8(s: string): number {
    const b = Buffer.from(s, 'utf8');
    return this.add(new W().u32(b.length).bytes(b).u8(0)).rva;
  }
  stream(type: number, b: Uint8Array | W): Loc {
    const loc = this.add(b);
    this.streams.push({ type, loc });
    return loc;
  }
  build(): Uint8Array {
    const dir = new W();
    for (const s of this.streams) dir.u32(s.type).u32(s.loc.dataSize).u32(s.loc.rva);
    const dirLoc = this.add(dir);
    const head = new W().u32(0x504d444d).u32(0xa793).u32(this.streams.length).u32(dirLoc.rva).u32(0).u32(this.timeDateStamp).u64(this.flags).done();
    const out = new Uint8Array(this.size);
    out.set(head, 0);
    let at = 32;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export const loc = (w: W, l: Loc | undefined): W => w.u32(l?.dataSize ?? 0).u32(l?.rva ?? 0);

/** MINIDUMP_THREAD (48 bytes). */
export function thread(w: W, t: { id: number; teb?: bigint; stackStart?: bigint; stack?: Loc; context?: Loc; suspend?: number; priorityClass?: number; priority?: number }): W {
  w.u32(t.id)
    .u32(t.suspend ?? 0)
    .u32(t.priorityClass ?? 0x20)
    .u32(t.priority ?? 0)
    .u64(t.teb ?? 0n);
  w.u64(t.stackStart ?? 0n);
  loc(w, t.stack);
  return loc(w, t.context);
}

/** CONTEXT i386 (716 bytes) with the given registers. */
export function x86Context(regs: Record<string, number>, flags = 0x1003f): Uint8Array {
  const w = new W().u32(flags);
  for (const n of ['dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7']) w.u32(regs[n] ?? 0);
  w.zeros(112);
  for (const n of ['gs', 'fs', 'es', 'ds', 'edi', 'esi', 'ebx', 'edx', 'ecx', 'eax', 'ebp', 'eip', 'cs', 'eflags', 'esp', 'ss']) w.u32(regs[n] ?? 0);
  return w.zeros(512).padTo(716).done();
}

const AMD64_GPRS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/**
 * CONTEXT AMD64 (1232 bytes); with `cet`, CONTEXT_XSTATE is set and a CONTEXT_EX plus a
 * compacted XSAVE area holding `features` (AVX etc., sizes in bytes) then CET_U follow.
 */
export function amd64Context(regs: Record<string, bigint>, flags = 0x10001f, cet?: { ssp: bigint; uCet?: bigint; avx?: boolean }): Uint8Array {
  const w = new W()
    .zeros(48)
    .u32(cet ? flags | 0x40 : flags)
    .u32(0x1f80);
  for (const n of ['cs', 'ds', 'es', 'fs', 'gs', 'ss']) w.u16(Number(regs[n] ?? 0n));
  w.u32(Number(regs.eflags ?? 0n));
  for (const n of ['dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7']) w.u64(regs[n] ?? 0n);
  for (const n of AMD64_GPRS) w.u64(regs[n] ?? 0n);
  w.u64(regs.rip ?? 0n);
  w.zeros(512 + 26 * 16 + 6 * 8).padTo(1232);
  if (!cet) return w.done();
  // CONTEXT_EX: All, Legacy (back at the CONTEXT), XState right after the 32-byte CONTEXT_EX.
  const featureBytes = (cet.avx ? 256 : 0) + 16;
  const xlen = 64 + featureBytes;
  w.u32(-1232)
    .u32(1232 + 32 + xlen)
    .u32(-1232)
    .u32(1232)
    .u32(32)
    .u32(xlen)
    .u32(0)
    .u32(0);
  const mask = (1n << 11n) | (cet.avx ? 4n : 0n);
  w.u64(mask)
    .u64(mask | (1n << 63n))
    .zeros(48);
  if (cet.avx) w.zeros(256);
  w.u64(cet.uCet ?? 1n).u64(cet.ssp);
  return w.done();
}

/** CONTEXT ARM64 (912 bytes). */
export function arm64Context(regs: Record<string, bigint>, flags = 0x400003): Uint8Array {
  const w = new W().u32(flags).u32(Number(regs.cpsr ?? 0n));
  for (let i = 0; i < 29; i++) w.u64(regs[`x${i}`] ?? 0n);
  for (const n of ['fp', 'lr', 'sp', 'pc']) w.u64(regs[n] ?? 0n);
  return w.padTo(912).done();
}

/** MINIDUMP_SYSTEM_INFO (56 bytes). */
export function systemInfo(w: W, s: { arch: number; major: number; minor: number; build: number; csdRva?: number; cpus?: number; vendor?: string }): W {
  w.u16(s.arch)
    .u16(6)
    .u16(0x9e0a)
    .u8(s.cpus ?? 4)
    .u8(1)
    .u32(s.major)
    .u32(s.minor)
    .u32(s.build)
    .u32(2)
    .u32(s.csdRva ?? 0)
    .u16(0x100)
    .u16(0);
  if (s.arch === 0 || s.arch === 9)
    return w
      .ascii((s.vendor ?? 'GenuineIntel').padEnd(12, '\0'))
      .u32(0x906ea)
      .u32(0xbfebfbff)
      .u32(0);
  return w.u64(0x1234n).u64(0x5678n).zeros(8);
}

/** MINIDUMP_MODULE (108 bytes). */
export function module(w: W, m: { base: bigint; size: number; checkSum?: number; timeDateStamp: number; nameRva: number; cv?: Loc; misc?: Loc; version?: [number, number, number, number] }): W {
  w.u64(m.base)
    .u32(m.size)
    .u32(m.checkSum ?? 0)
    .u32(m.timeDateStamp)
    .u32(m.nameRva);
  const v = m.version;
  if (v)
    w.u32(0xfeef04bd)
      .u32(0x10000)
      .u32((v[0] << 16) | v[1])
      .u32((v[2] << 16) | v[3])
      .u32((v[0] << 16) | v[1])
      .u32((v[2] << 16) | v[3])
      .zeros(28);
  else w.zeros(52);
  loc(w, m.cv);
  loc(w, m.misc);
  return w.zeros(16);
}

/** CV_INFO_PDB70. */
export function rsds(guid: string, age: number, pdb: string): W {
  return new W().ascii('RSDS').guid(guid).u32(age).ascii(pdb).u8(0);
}
