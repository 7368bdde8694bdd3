/**
 * PeImage: a PE/COFF image (EXE, DLL, SYS) read through a ByteSource.
 *
 * Layout: IMAGE_DOS_HEADER at 0; at e_lfanew the 'PE\0\0' signature, IMAGE_FILE_HEADER and
 * IMAGE_OPTIONAL_HEADER32/64 (together IMAGE_NT_HEADERS32/64); then the IMAGE_SECTION_HEADER
 * table. Opening reads those headers only; the debug directory and the exports are read and
 * kept on first use.
 *
 * RVAs map to file offsets through the section table: a section's bytes past SizeOfRawData
 * (an uninitialized tail, .bss) are not in the file, and RVAs below SizeOfHeaders map to the
 * headers themselves. Every read of file data goes through a Cursor, so malformed files give
 * BAD_FORMAT naming the file and offset.
 */
import { badFormat } from '../../api/errors';
import { imageKey } from '../../symsrv/keys';
import { Rva } from '../binary/address';
import { Cursor } from '../binary/cursor';
import { ByteSource, FileSource } from '../binary/source';
import { CodeViewRecord, CV_SIGNATURE_NB10, CV_SIGNATURE_RSDS, DebugDirectoryEntry, IMAGE_DEBUG_DIRECTORY_SIZE, ImageDebugType, readCodeViewRecord, readDebugDirectories } from './debug-directory';
import { DosHeader, IMAGE_DOS_HEADER_SIZE, readDosHeader } from './dos-header';
import type { ExportDirectory, RvaReader } from './export-directory';
import { lazy } from '../../lazy';

/** The export table's reader, required on first use (lib/lazy.ts): a module with a PDB needs none. */
const exportReader = lazy(() => require('./export-directory') as typeof import('./export-directory'));
import { FileHeader, IMAGE_FILE_HEADER_SIZE, ImageFileCharacteristics, readFileHeader } from './file-header';
import { DataDirectory, ImageDirectoryEntry, OptionalHeader, readOptionalHeader } from './optional-header';
import { IMAGE_SECTION_HEADER_SIZE, readSectionHeaders, SectionHeader } from './section-header';
import { lastWhere } from '../binary/search';

/** PeImage.readAtRvaKept keeps sections up to this size. */
const KEEP_SECTION_BYTES = 64 << 20;

const IMAGE_NT_SIGNATURE = 0x00004550; // 'PE\0\0'
/** Longest string read at an RVA (export names, forwarders); C++ names can run to a few KB. */
const MAX_STRING = 0x10000;
/** Longest CodeView record read: 24 bytes of header and a path. */
const MAX_CODEVIEW = 24 + 0x8000;

const hex = (n: number) => `0x${n.toString(16)}`;

export class PeImage implements RvaReader {
  readonly fileName: string;
  readonly dosHeader: DosHeader;
  readonly fileHeader: FileHeader;
  readonly optionalHeader: OptionalHeader;
  /** File offset of the 'PE\0\0' signature (e_lfanew). */
  readonly ntHeadersOffset: number;
  /** File offset of the first IMAGE_SECTION_HEADER. */
  readonly sectionTableOffset: number;

  readonly machine: number;
  readonly is64: boolean;
  readonly timeDateStamp: number;
  readonly sizeOfImage: number;
  readonly checkSum: number;
  readonly imageBase: bigint;
  readonly entryPoint: Rva;
  readonly characteristics: number;
  readonly subsystem: number;
  readonly sizeOfHeaders: number;
  /** As stored; `dataDirectory` only sees the ones that fit in the optional header (at most 16). */
  readonly numberOfRvaAndSizes: number;
  readonly sections: readonly SectionHeader[];

  private sectionIndex: SectionIndex | undefined;
  private debugCache: DebugDirectoryEntry[] | undefined;
  private codeViewCache: { value: CodeViewRecord | undefined } | undefined;
  private exportsCache: { value: ExportDirectory | undefined } | undefined;

  private constructor(readonly source: ByteSource) {
    this.fileName = source.name;

    const dos = this.fileCursor(0, Math.min(IMAGE_DOS_HEADER_SIZE, source.size), 'IMAGE_DOS_HEADER');
    this.dosHeader = readDosHeader(dos);
    const nt = this.dosHeader.lfanew;
    this.ntHeadersOffset = nt;

    const ntLength = 4 + IMAGE_FILE_HEADER_SIZE;
    if (nt + ntLength > source.size) {
      const where = nt < source.size ? nt : 0x3c;
      throw badFormat(this.fileName, where, `not a PE image: e_lfanew ${hex(nt)} leaves no room for the ${ntLength}-byte 'PE\\0\\0' signature and IMAGE_FILE_HEADER in the ${source.size}-byte file`);
    }
    const c = this.fileCursor(nt, ntLength, 'NT headers');
    const sig = c.u32();
    if (sig !== IMAGE_NT_SIGNATURE) {
      const two = String.fromCharCode(sig & 0xff, (sig >> 8) & 0xff);
      const hint = /^(NE|LE|LX)$/.test(two) ? ` (found '${two}': a 16-bit or VxD executable)` : ' (an MS-DOS executable?)';
      c.fail(`not a PE image: no 'PE\\0\\0' signature at e_lfanew${hint}`, c.start);
    }
    this.fileHeader = readFileHeader(c);

    const optAt = nt + ntLength;
    const optSize = this.fileHeader.sizeOfOptionalHeader;
    if (optSize === 0) {
      throw badFormat(this.fileName, optAt - 4, 'not a PE image: SizeOfOptionalHeader is 0 (a COFF object, not an image)');
    }
    this.optionalHeader = readOptionalHeader(this.fileCursor(optAt, optSize, 'optional header', optAt - 4));

    this.sectionTableOffset = optAt + optSize;
    const count = this.fileHeader.numberOfSections;
    const tableSize = count * IMAGE_SECTION_HEADER_SIZE;
    if (this.sectionTableOffset + tableSize > source.size) {
      throw badFormat(this.fileName, nt + 6, `NumberOfSections ${count} (${tableSize} bytes at ${hex(this.sectionTableOffset)}) runs past the end of the ${source.size}-byte file`);
    }
    this.sections = Object.freeze(readSectionHeaders(this.fileCursor(this.sectionTableOffset, tableSize, 'section table'), count));

    const o = this.optionalHeader;
    this.machine = this.fileHeader.machine;
    this.timeDateStamp = this.fileHeader.timeDateStamp;
    this.characteristics = this.fileHeader.characteristics;
    this.is64 = o.is64;
    this.sizeOfImage = o.sizeOfImage;
    this.checkSum = o.checkSum;
    this.imageBase = o.imageBase;
    this.entryPoint = o.addressOfEntryPoint;
    this.subsystem = o.subsystem;
    this.sizeOfHeaders = o.sizeOfHeaders;
    this.numberOfRvaAndSizes = o.numberOfRvaAndSizes;
  }

  /** Opens an image file; reads its headers only. The file stays open until `close`. */
  static open(path: string): PeImage {
    const src = FileSource.open(path);
    try {
      return new PeImage(src);
    } catch (e) {
      src.close();
      throw e;
    }
  }

  static fromSource(src: ByteSource): PeImage {
    return new PeImage(src);
  }

  get isDll(): boolean {
    return (this.characteristics & ImageFileCharacteristics.DLL) !== 0;
  }

  /** symstore key of the image: TimeDateStamp as %08X, then SizeOfImage as %x (lib/symsrv/keys.ts). */
  get symbolStoreKey(): string {
    return imageKey(this.timeDateStamp, this.sizeOfImage);
  }

  /**
   * A data directory, or undefined when absent (past NumberOfRvaAndSizes, or RVA and size 0).
   * Entry 4 (the certificate table) holds a file offset, not an RVA.
   */
  dataDirectory(index: number): DataDirectory | undefined {
    const d = this.optionalHeader.dataDirectories[index];
    if (!d || (d.rva === 0 && d.size === 0)) return undefined;
    return d;
  }

  /** File offset of the byte at `r`, or undefined when no file byte backs it (bss, past the file). */
  rvaToFileOffset(r: Rva): number | undefined {
    return this.locate(r)?.offset;
  }

  /**
   * A cursor over `length` bytes at `r`. BAD_FORMAT when they are not all file-backed.
   * `refOffset` is the file offset of the field that held the RVA, for the message.
   */
  readAtRva(r: Rva, length: number, what: string, refOffset?: number): Cursor {
    const loc = this.locate(r);
    if (!loc) this.unmapped(r, what, refOffset);
    if (length > loc.available) {
      throw badFormat(this.fileName, loc.offset, `${what} at RVA ${hex(r)} needs ${length} bytes but only ${loc.available} are in the file`);
    }
    return Cursor.of(this.source.read(loc.offset, length), this.fileName, loc.offset);
  }

  /**
   * readAtRva from a copy of the section holding `r`, read whole on its first use and kept (a
   * section of up to KEEP_SECTION_BYTES; else, and outside sections, readAtRva): for readers
   * that visit one section all over, such as every function's UNWIND_INFO (two reads a function
   * were ~1 s of dump-syms on the big bench image's 93,000 functions). The same checks and
   * messages as readAtRva; offsets in errors are file offsets.
   */
  readAtRvaKept(r: Rva, length: number, what: string, refOffset?: number): Cursor {
    const s = this.sectionOf(r);
    const loc = this.locate(r);
    if (!s || !loc || length > loc.available) return this.readAtRva(r, length, what, refOffset);
    let bytes = this.keptSections.get(s);
    if (!bytes) {
      const backed = Math.min(s.sizeOfRawData, extent(s), this.source.size - s.pointerToRawData);
      if (backed > KEEP_SECTION_BYTES) return this.readAtRva(r, length, what, refOffset);
      bytes = this.source.read(s.pointerToRawData, backed);
      this.keptSections.set(s, bytes);
    }
    const at = loc.offset - s.pointerToRawData;
    return new Cursor(bytes, this.fileName, at, at + length, s.pointerToRawData);
  }
  private readonly keptSections = new Map<SectionHeader, Uint8Array>();

  /** A NUL-terminated string at `r`, at most `limit` bytes including the NUL. */
  cstringAtRva(r: Rva, what: string, refOffset?: number, limit = MAX_STRING): string {
    const loc = this.locate(r);
    if (!loc) this.unmapped(r, what, refOffset);
    const max = Math.max(0, Math.min(loc.available, limit));
    let n = Math.min(256, max);
    for (;;) {
      const buf = this.source.read(loc.offset, n);
      if (buf.indexOf(0) >= 0 || n >= max) return Cursor.of(buf, this.fileName, loc.offset).cstring(what);
      n = Math.min(n * 8, max);
    }
  }

  /** The debug directory entries (empty when there is none). Read on first use and kept. */
  debugDirectories(): DebugDirectoryEntry[] {
    if (!this.debugCache) {
      const d = this.dataDirectory(ImageDirectoryEntry.DEBUG);
      const count = d && d.rva !== 0 ? Math.floor(d.size / IMAGE_DEBUG_DIRECTORY_SIZE) : 0;
      this.debugCache =
        d && count > 0
          ? readDebugDirectories(this.readAtRva(d.rva, count * IMAGE_DEBUG_DIRECTORY_SIZE, `debug directory (${count} entries)`, this.dataDirectoryOffset(ImageDirectoryEntry.DEBUG)), count)
          : [];
    }
    return this.debugCache;
  }

  /** The PDB reference of the first CODEVIEW entry that has one (RSDS or NB10). */
  codeView(): CodeViewRecord | undefined {
    if (!this.codeViewCache) {
      let value: CodeViewRecord | undefined;
      for (const e of this.debugDirectories()) {
        if (e.type !== ImageDebugType.CODEVIEW || e.sizeOfData < 4) continue;
        if (e.pointerToRawData === 0 && e.addressOfRawData === 0) continue;
        // Look at the signature first, so a long run of foreign entries costs 4 bytes each.
        const sig = this.debugData(e, 4).u32();
        if (sig !== CV_SIGNATURE_RSDS && sig !== CV_SIGNATURE_NB10) continue;
        value = readCodeViewRecord(this.debugData(e, MAX_CODEVIEW));
        if (value) break;
      }
      this.codeViewCache = { value };
    }
    return this.codeViewCache.value;
  }

  /** The export directory, or undefined when the image exports nothing. Read on first use and kept. */
  exports(): ExportDirectory | undefined {
    if (!this.exportsCache) {
      const d = this.dataDirectory(ImageDirectoryEntry.EXPORT);
      this.exportsCache = { value: d && d.rva !== 0 ? exportReader().readExports(new BlockReader(this, d), d) : undefined };
    }
    return this.exportsCache.value;
  }

  /** The data of a debug directory entry (at most `limit` bytes), from the file. */
  debugData(e: DebugDirectoryEntry, limit = e.sizeOfData): Cursor {
    const length = Math.min(e.sizeOfData, limit);
    if (e.pointerToRawData !== 0) {
      return this.fileCursor(e.pointerToRawData, length, `debug data (type ${e.type})`);
    }
    return this.readAtRva(e.addressOfRawData, length, `debug data (type ${e.type})`);
  }

  close(): void {
    this.source.close();
  }

  /** File offset of data directory `index` in the optional header. */
  private dataDirectoryOffset(index: number): number {
    return this.ntHeadersOffset + 4 + IMAGE_FILE_HEADER_SIZE + (this.is64 ? 112 : 96) + index * 8;
  }

  /** The section containing `r`, by binary search over the sections sorted by address. */
  private sectionOf(r: Rva): SectionHeader | undefined {
    const idx = (this.sectionIndex ??= new SectionIndex(this.sections));
    return idx.find(r);
  }

  private locate(r: Rva): { offset: number; available: number } | undefined {
    const size = this.source.size;
    const s = this.sectionOf(r);
    if (s) {
      const va = s.virtualAddress;
      const vsize = extent(s);
      const delta = r - va;
      const backed = Math.min(s.sizeOfRawData, vsize);
      const offset = s.pointerToRawData + delta;
      if (delta >= backed || offset >= size) return undefined;
      return { offset, available: Math.min(backed - delta, size - offset) };
    }
    const headers = Math.min(this.sizeOfHeaders, size);
    if (r < headers) return { offset: r, available: headers - r };
    return undefined;
  }

  private unmapped(r: Rva, what: string, refOffset: number | undefined): never {
    if (refOffset !== undefined) {
      throw badFormat(this.fileName, refOffset, `${what} at RVA ${hex(r)} is not backed by file data (RVA stored)`);
    }
    throw badFormat(this.fileName, this.sectionTableOffset, `${what} at RVA ${hex(r)} is not backed by file data (per the section table)`);
  }

  /** A cursor over file bytes [offset, offset+length), checked against the file size first. */
  private fileCursor(offset: number, length: number, what: string, refOffset?: number): Cursor {
    if (offset < 0 || length < 0 || offset + length > this.source.size) {
      const at = offset < this.source.size ? offset : (refOffset ?? this.source.size);
      throw badFormat(this.fileName, at, `truncated ${what}: ${length} bytes from ${hex(offset)} run past the end of the ${this.source.size}-byte file`);
    }
    return Cursor.of(this.source.read(offset, length), this.fileName, offset);
  }
}

/** How much address space a section covers (a VirtualSize of 0 means SizeOfRawData, as old linkers wrote). */
const extent = (s: SectionHeader) => s.virtualSize || s.sizeOfRawData;

/**
 * Sections sorted by VirtualAddress, with the running maximum of their ends, so an RVA finds its
 * section in O(log n) even in a file with 65535 sections. Overlapping sections (malformed) are
 * handled by walking back while an earlier section could still reach the RVA.
 */
class SectionIndex {
  private readonly sorted: SectionHeader[];
  private readonly maxEnd: number[];
  constructor(sections: readonly SectionHeader[]) {
    this.sorted = sections.filter((s) => extent(s) > 0).sort((a, b) => a.virtualAddress - b.virtualAddress);
    let m = 0;
    this.maxEnd = this.sorted.map((s) => (m = Math.max(m, s.virtualAddress + extent(s))));
  }
  find(r: number): SectionHeader | undefined {
    let i = lastWhere(this.sorted.length, (k) => this.sorted[k].virtualAddress <= r);
    for (; i >= 0 && this.maxEnd[i] > r; i--) {
      const s = this.sorted[i];
      if (r < s.virtualAddress + extent(s)) return s;
    }
    return undefined;
  }
}

/**
 * Reads at RVAs, served from one prefetched block (the export directory's range, where the
 * linker puts the tables and names) when they fall inside it, so listing exports costs one
 * read instead of one per name.
 */
class BlockReader implements RvaReader {
  private readonly block: Cursor | undefined;
  /**
   * Bytes of strings left to read. Real export names do not overlap, so together they are
   * smaller than the file; a corrupt table pointing thousands of names into one long run of
   * non-NUL bytes would otherwise cost names x run length.
   */
  private budget: number;
  constructor(
    private readonly img: PeImage,
    private readonly range: DataDirectory,
  ) {
    const off = img.rvaToFileOffset(range.rva);
    let block: Cursor | undefined;
    if (off !== undefined && range.size > 0 && range.size <= 0x1000000) {
      try {
        block = img.readAtRva(range.rva, range.size, 'export data');
      } catch {
        block = undefined; // only partly backed: fall back to reading piece by piece
      }
    }
    this.block = block;
    this.budget = 2 * img.source.size + 0x100000;
  }

  private inBlock(r: Rva, length: number): Cursor | undefined {
    const b = this.block;
    if (!b) return undefined;
    const rel = r - this.range.rva;
    if (rel < 0 || rel + length > this.range.size) return undefined;
    return new Cursor(b.buf, b.origin, b.start + rel, b.end, b.base);
  }

  readAtRva(r: Rva, length: number, what: string, refOffset?: number): Cursor {
    const c = this.inBlock(r, length);
    if (c) return new Cursor(c.buf, c.origin, c.pos, c.pos + length, c.base);
    return this.img.readAtRva(r, length, what, refOffset);
  }

  cstringAtRva(r: Rva, what: string, refOffset?: number, limit = MAX_STRING): string {
    const c = this.inBlock(r, 0);
    let s: string | undefined;
    if (c) {
      const end = c.buf.indexOf(0, c.pos);
      if (end >= 0 && end < c.end && end - c.pos < limit) s = c.cstring(what);
    }
    s ??= this.img.cstringAtRva(r, what, refOffset, limit);
    this.budget -= s.length + 1;
    if (this.budget < 0) {
      throw badFormat(this.img.fileName, refOffset ?? this.img.sectionTableOffset, `${what} at RVA 0x${r.toString(16)}: the export strings add up to more than twice the file (overlapping names)`);
    }
    return s;
  }
}
