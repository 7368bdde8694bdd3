/**
 * Test helpers: a mapped PE image built in memory (headers with an exception directory, .pdata,
 * unwind data, code), a sparse memory of 64/32-bit words, WalkModules over both.
 */
import { MemoryReader, RegisterSet, WalkModule } from '../../../lib/stackwalk';

export const PDATA_RVA = 0x1000;
export const XDATA_RVA = 0x1800;
export const CODE_RVA = 0x2000;
export const IMAGE_SIZE = 0x8000;

export interface ImageParts {
  machine: number; // 0x8664 amd64, 0xaa64 arm64, 0x14c x86
  pdata?: Uint8Array;
  /** Bytes at XDATA_RVA. */
  xdata?: Uint8Array;
  /** Bytes at CODE_RVA. */
  code?: Uint8Array;
  /** Override the exception directory (rva, size). */
  exceptionDir?: [number, number];
  /** SizeOfImage (default IMAGE_SIZE). */
  size?: number;
}

/** A mapped image: DOS header, PE signature, file header, PE32+ optional header, data at fixed RVAs. */
export function buildImage(p: ImageParts): Uint8Array {
  const img = new Uint8Array(p.size ?? IMAGE_SIZE);
  const dv = new DataView(img.buffer);
  dv.setUint16(0, 0x5a4d, true);
  dv.setUint32(0x3c, 0x80, true);
  dv.setUint32(0x80, 0x4550, true);
  const fh = 0x84;
  dv.setUint16(fh, p.machine, true);
  dv.setUint16(fh + 2, 0, true); // sections
  dv.setUint16(fh + 16, 240, true); // SizeOfOptionalHeader
  const oh = fh + 20;
  dv.setUint16(oh, 0x20b, true);
  dv.setUint32(oh + 56, img.length, true); // SizeOfImage
  dv.setUint32(oh + 60, 0x400, true); // SizeOfHeaders
  dv.setUint32(oh + 108, 16, true); // NumberOfRvaAndSizes
  const [dirRva, dirSize] = p.exceptionDir ?? [PDATA_RVA, p.pdata?.length ?? 0];
  dv.setUint32(oh + 112 + 3 * 8, dirRva, true);
  dv.setUint32(oh + 112 + 3 * 8 + 4, dirSize, true);
  if (p.pdata) img.set(p.pdata, PDATA_RVA);
  if (p.xdata) img.set(p.xdata, XDATA_RVA);
  if (p.code) img.set(p.code, CODE_RVA);
  return img;
}

export function imageModule(image: Uint8Array, base: bigint, name = 'fake.dll'): WalkModule {
  return {
    name,
    base,
    size: image.length,
    readRva: (rva, size) => (rva >= 0 && rva + size <= image.length ? image.subarray(rva, rva + size) : undefined),
  };
}

export function u32s(...words: number[]): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  return b;
}

export function bytes(...xs: number[]): Uint8Array {
  return Uint8Array.from(xs);
}

/** Sparse memory: regions of bytes at addresses; reads spanning a gap are undefined. */
export class FakeMemory implements MemoryReader {
  readonly regions: Array<{ at: bigint; data: Uint8Array }> = [];
  reads = 0;

  add(at: bigint, data: Uint8Array): this {
    this.regions.push({ at, data });
    return this;
  }

  read(address: bigint, size: number): Uint8Array | undefined {
    this.reads++;
    for (const r of this.regions) {
      if (address >= r.at && address + BigInt(size) <= r.at + BigInt(r.data.length)) {
        const o = Number(address - r.at);
        return r.data.subarray(o, o + size);
      }
    }
    return undefined;
  }
}

/** A stack region of `words` 64-bit (or 32-bit) slots at `top` (its lowest address). */
export class FakeStack {
  readonly data: Uint8Array;
  private readonly dv: DataView;
  constructor(
    readonly top: bigint,
    readonly size: number,
    readonly word: 4 | 8 = 8,
  ) {
    this.data = new Uint8Array(size);
    this.dv = new DataView(this.data.buffer);
  }
  set(address: bigint, value: bigint): void {
    const o = Number(address - this.top);
    if (this.word === 8) this.dv.setBigUint64(o, value, true);
    else this.dv.setUint32(o, Number(value), true);
  }
}

export function regs(o: Record<string, bigint>): RegisterSet {
  return new Map(Object.entries(o));
}

export function modulesAt(...mods: WalkModule[]): (a: bigint) => WalkModule | undefined {
  return (a) => mods.find((m) => a >= m.base && a < m.base + BigInt(m.size));
}
