/**
 * A PDB: the MSF container and its streams, each parsed on first use and kept.
 *
 * Opening reads the superblock, the stream directory, the info stream (GUID/age, named
 * streams) and the 64-byte DBI header with its small substreams' bounds. Everything else
 * (module list, section contributions, publics, globals, symbol records, module streams,
 * OMAP) is read when a lookup first needs it.
 *
 * Over 400 lines on purpose: this is the one object every stream accessor hangs off (each a few
 * lines: which stream, read how, kept or not); the streams' formats are in their own files.
 */
import { badFormat } from '../../api/errors';
import { lazy } from '../../lazy';
import { Cursor } from '../binary/cursor';
import { FileSource, type ByteSource } from '../binary/source';
import { MsfFile, type StreamScratch } from '../msf/msf-file';
import { readSectionHeaders, type SectionHeader } from '../pe/section-header';
import { DBI_HEADER_SIZE, readDbiLayout, type DbiHeader, type DbiLayout, type DbiSubstreams, DBI_FLAG_STRIPPED } from './dbi-header';
import { DbgStream, readDebugHeader } from './debug-header';
import type { FpoData, FrameData } from './fpo';
import type { GsiHashTable } from './gsi';
import { PDB_FEATURE, readInfoStream, type PdbInfo } from './info-stream';
import { readModuleInfos, NO_STREAM, type ModuleInfo } from './module-info';
import { ModuleSymbols } from './module-symbols';
import { NamesStream } from './names-stream';
import type { Omap } from './omap';
import { PublicsAddressMap, readPublicsStream, type PublicsStream } from './publics-stream';
import { SectionContribProbe, SectionContribs, type SubstreamReader } from './section-contribs';
import type { SectionMapEntry } from './section-map';
import { SymbolStream } from './symbol-stream';
import type { IpiStream, RangedStream, TpiStream } from './tpi-stream';

// Readers an address lookup does not need, required on first use (lib/lazy.ts): the type
// streams, the globals' hash, OMAP, FPO data and the section map.
const typeStreams = lazy(() => require('./tpi-stream') as typeof import('./tpi-stream'));
const gsi = lazy(() => require('./gsi') as typeof import('./gsi'));
const omap = lazy(() => require('./omap') as typeof import('./omap'));
const fpo = lazy(() => require('./fpo') as typeof import('./fpo'));
const sectionMap = lazy(() => require('./section-map') as typeof import('./section-map'));

export const STREAM_PDB = 1;
export const STREAM_TPI = 2;
export const STREAM_DBI = 3;
export const STREAM_IPI = 4;

/**
 * A Symbol Records stream up to this size is kept once read (publics' hits read their records
 * from it); a bigger one is read for the publics index and dropped, hits reading one record each.
 */
export const KEEP_SYMBOL_RECORDS = 8 << 20;
/** symbolRecordAt without a size reads this much first: the header and most records whole. */
const SYMBOL_RECORD_GUESS = 256;
/** A type stream up to this size is read whole; a bigger one chunk by chunk (TypeStream, RangedStream). */
export const KEEP_TYPE_STREAMS = 8 << 20;
/**
 * The same for the IPI, which address lookups read only for inlinee names (a record or two
 * each): a few chunks for a cold lookup. An IPI up to KEEP_TYPE_STREAMS is still read whole
 * once its chunk reads add up to a quarter of it (RangedStream.wholeAfter): a bulk --inlines
 * run on the big PDB's 7.2 MB IPI read 12,955 chunks (771 distinct, ~0.1 s of system time in
 * preads) where one read of the whole costs ~30 ms of page faults.
 */
export const KEEP_ID_STREAM = 1 << 20;

export class PdbFile {
  readonly msf: MsfFile;
  readonly info: PdbInfo;
  readonly dbi: DbiHeader | undefined;
  /** Where the DBI substreams lie; each is read on first use (its bytes are not kept). */
  private readonly sub: DbiLayout | undefined;
  private memo = new Map<string, unknown>();
  private moduleSyms = new Map<number, ModuleSymbols>();
  /** KEEP_SYMBOL_RECORDS, per file (tests lower it to read records one by one). */
  keepSymbolRecordsUpTo = KEEP_SYMBOL_RECORDS;
  /** KEEP_TYPE_STREAMS, per file (tests lower it to read type records chunk by chunk). */
  keepTypeStreamsUpTo = KEEP_TYPE_STREAMS;
  /** KEEP_ID_STREAM, per file (the IPI is read whole up to the smaller of this and keepTypeStreamsUpTo). */
  keepIdStreamUpTo = KEEP_ID_STREAM;

  constructor(source: ByteSource) {
    this.msf = new MsfFile(source);
    if (!this.msf.hasStream(STREAM_PDB)) throw badFormat(source.name, 0, 'no PDB info stream (stream 1) in the MSF directory');
    this.info = readInfoStream(this.msf.cursor(STREAM_PDB, 'PDB info'));
    if (this.msf.hasStream(STREAM_DBI)) {
      // The 64-byte header only: a big PDB's DBI stream is megabytes of substreams, most of
      // which a lookup never needs (and matching a PDB needs none).
      const size = this.msf.streamSize(STREAM_DBI)!;
      const head = Cursor.of(this.msf.readStreamRange(STREAM_DBI, 0, Math.min(size, DBI_HEADER_SIZE)), `${this.name} stream ${STREAM_DBI} (DBI)`);
      const { header, layout } = readDbiLayout(head, size);
      this.dbi = header;
      this.sub = layout;
    }
  }

  static open(path: string): PdbFile {
    const src = FileSource.open(path);
    try {
      return new PdbFile(src);
    } catch (e) {
      src.close();
      throw e;
    }
  }

  get name(): string {
    return this.msf.name;
  }
  close(): void {
    this.msf.source.close();
  }

  /** The age an image's RSDS record must match: the DBI age (the info stream's can be larger). */
  get matchAge(): number {
    return this.dbi?.age ?? this.info.age;
  }
  get isStripped(): boolean {
    return ((this.dbi?.flags ?? 0) & DBI_FLAG_STRIPPED) !== 0;
  }
  get machine(): number {
    return this.dbi?.machine ?? 0;
  }

  private once<T>(key: string, make: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = make();
    this.memo.set(key, v);
    return v;
  }

  /** A DBI substream, read now (offsets in messages are the DBI stream's). */
  private substream(which: keyof DbiSubstreams): Cursor {
    const r = this.substreamRanges(which);
    return r.read(0, r.size);
  }

  /**
   * A DBI substream's size and readers of its byte ranges (offsets from its start), for the
   * readers that do not take it whole: `read` a cursor over fresh bytes (offsets in messages are
   * the DBI stream's), `readInto` into a caller's buffer.
   */
  private substreamRanges(which: keyof DbiSubstreams): { size: number; read: SubstreamReader; readInto: (at: number, n: number, into: Uint8Array) => Uint8Array } {
    if (!this.sub) throw badFormat(this.name, 0, 'no DBI stream (stream 3) in the MSF directory');
    const { offset, size } = this.sub[which];
    const origin = `${this.name} stream ${STREAM_DBI} (DBI)`;
    return {
      size,
      read: (at, n) => Cursor.of(this.msf.readStreamRange(STREAM_DBI, offset + at, n), origin, offset + at),
      readInto: (at, n, into) => this.msf.readStreamRangeInto(STREAM_DBI, offset + at, n, into),
    };
  }

  modules(): ModuleInfo[] {
    return this.once('modules', () => readModuleInfos(this.substream('modInfo')));
  }
  sectionContribs(): SectionContribs {
    return this.once('sc', () => {
      const r = this.substreamRanges('sectionContributions');
      return SectionContribs.readPieces(r.size, r.readInto, r.read);
    });
  }
  /**
   * The section contributions searched in place (section-contribs.ts SectionContribProbe): for
   * a few lookups, instead of sectionContribs()'s whole read.
   */
  sectionContribProbe(): SectionContribProbe {
    return this.once('scprobe', () => {
      const r = this.substreamRanges('sectionContributions');
      return SectionContribProbe.open(r.read, r.size);
    });
  }
  sectionMap(): SectionMapEntry[] {
    return this.once('secmap', () => sectionMap().readSectionMap(this.substream('sectionMap')));
  }
  private debugStreams(): number[] {
    return this.once('dbg', () => (this.sub ? readDebugHeader(this.substream('debugHeader')) : []));
  }
  private debugStream(which: number): number | undefined {
    const s = this.debugStreams()[which];
    return s === undefined || s === NO_STREAM || !this.msf.hasStream(s) ? undefined : s;
  }

  /** The image's section headers as the PDB recorded them (stream "Section Header Data"). */
  sectionHeaders(): SectionHeader[] | undefined {
    return this.once('sh', () => this.readSections(DbgStream.SectionHdr, 'section headers'));
  }
  /** The pre-reordering section headers of an OMAP'd image (symbols are in their terms). */
  originalSectionHeaders(): SectionHeader[] | undefined {
    return this.once('sho', () => this.readSections(DbgStream.SectionHdrOrig, 'original section headers'));
  }
  private readSections(which: number, what: string): SectionHeader[] | undefined {
    const s = this.debugStream(which);
    if (s === undefined) return undefined;
    const c = this.msf.cursor(s, what);
    return readSectionHeaders(c, Math.floor(c.remaining / 40));
  }
  /** OmapToSrc: image RVA → PDB RVA. */
  omapToSrc(): Omap | undefined {
    return this.once('omapTo', () => {
      const s = this.debugStream(DbgStream.OmapToSrc);
      return s === undefined ? undefined : omap().Omap.read(this.msf.cursor(s, 'OMAP to source'));
    });
  }
  /** OmapFromSrc: PDB RVA → image RVA. */
  omapFromSrc(): Omap | undefined {
    return this.once('omapFrom', () => {
      const s = this.debugStream(DbgStream.OmapFromSrc);
      return s === undefined ? undefined : omap().Omap.read(this.msf.cursor(s, 'OMAP from source'));
    });
  }
  fpo(): FpoData[] {
    return this.once('fpo', () => {
      const s = this.debugStream(DbgStream.FPO);
      return s === undefined ? [] : fpo().readFpo(this.msf.cursor(s, 'FPO data'));
    });
  }
  frameData(): FrameData[] {
    return this.once('newfpo', () => {
      const s = this.debugStream(DbgStream.NewFPO);
      return s === undefined ? [] : fpo().readFrameData(this.msf.cursor(s, 'new FPO data'));
    });
  }

  /** The global Symbol Records stream (publics and globals point into it). */
  symbolRecords(): SymbolStream {
    return this.once('symrec', () => {
      const s = this.dbi?.symRecordStream;
      if (s === undefined || s === NO_STREAM || !this.msf.hasStream(s)) {
        return new SymbolStream(Cursor.of(new Uint8Array(0), `${this.name} (no symbol records)`), 0);
      }
      return new SymbolStream(this.msf.cursor(s, 'symbol records'), 0);
    });
  }
  /**
   * The Symbol Records stream for one walk, not kept when it is big (the kept one when
   * symbolRecords() read it; a small one is kept: see symbolRecordAt).
   */
  readSymbolRecords(): SymbolStream {
    const s = this.dbi?.symRecordStream;
    if (this.memo.has('symrec') || !this.bigSymbolRecords(s)) return this.symbolRecords();
    return new SymbolStream(this.msf.cursor(s!, 'symbol records', false), 0);
  }

  /**
   * The record of `size` bytes (reclen + 2; unknown: read from its header first) at `offset` in
   * the Symbol Records stream. When the stream is big and not kept, the record is read on its
   * own: one public's name without the whole stream in memory. A small stream is kept instead
   * (one read beats many).
   */
  symbolRecordAt(offset: number, size?: number): { kind: number; data: Cursor } {
    const s = this.dbi?.symRecordStream;
    if (this.memo.has('symrec') || !this.bigSymbolRecords(s)) return this.symbolRecords().recordAt(offset);
    const left = (this.msf.streamSize(s!) ?? 0) - offset;
    const record = (bytes: Uint8Array) => new SymbolStream(Cursor.of(bytes, `${this.name} stream ${s} (symbol records)`, offset), offset).recordAt(offset);
    if (size === undefined && offset >= 0 && left >= 2) {
      // One read for most records: the header with what a record usually takes after it (the
      // probes of a cold lookup read ~18 publics this way; two reads each before).
      const guess = this.msf.readStreamRange(s!, offset, Math.min(left, SYMBOL_RECORD_GUESS));
      size = (guess[0] | (guess[1] << 8)) + 2;
      if (size <= guess.length) return record(guess.subarray(0, size));
    }
    return record(this.msf.readStreamRange(s!, offset, Math.max(0, Math.min(size ?? 0, left))));
  }

  /**
   * The Symbol Records stream as consecutive pieces of whole records, read through one reused
   * buffer of about `chunk` bytes when the stream is big and not kept (the kept stream is one
   * piece): a pass over every record without the whole stream in memory (24 MB in the
   * generated big PDB; reading it into a fresh buffer cost ~75 ms of page faults). The pass
   * stops at a record that is damaged or runs past the end of the stream.
   */
  forEachSymbolRecordPiece(fn: (piece: SymbolStream) => void, chunk = 1 << 20): void {
    const s = this.dbi?.symRecordStream;
    if (s === undefined || s === NO_STREAM || !this.msf.hasStream(s)) return;
    if (this.memo.has('symrec') || !this.bigSymbolRecords(s)) return fn(this.symbolRecords());
    const size = this.msf.streamSize(s) ?? 0;
    let buf = new Uint8Array(Math.min(chunk, size));
    for (let at = 0; at + 4 <= size;) {
      const want = Math.min(buf.length, size - at);
      const bytes = this.msf.readStreamRangeInto(s, at, want, buf);
      // The whole records in this piece.
      let p = 0;
      while (p + 4 <= want) {
        const reclen = bytes[p] | (bytes[p + 1] << 8);
        if (reclen < 2 || p + 2 + reclen > want) break;
        p += 2 + reclen;
      }
      if (p === 0) {
        const reclen = bytes[0] | (bytes[1] << 8);
        // A damaged record, or the end of the stream: the pass ends. A record bigger than the
        // buffer: a bigger buffer.
        if (reclen < 2 || at + 2 + reclen > size || want < buf.length) return;
        buf = new Uint8Array(2 + reclen);
        continue;
      }
      fn(new SymbolStream(Cursor.of(bytes.subarray(0, p), `${this.name} stream ${s} (symbol records)`, at), at));
      at += p;
    }
  }

  /**
   * A pass over the Symbol Records stream for an index builder, with one walk per record:
   * `walk(buf, end, at)` gets buf[0, end), the stream from offset `at` (pieces of about `chunk`
   * bytes through one reused buffer when the stream is big and not kept; the kept stream in
   * one piece), walks the whole records in it and returns where it stopped: at the first record
   * not wholly inside (reclen < 2 or past `end`). The next piece starts there; the pass ends at
   * a damaged record or one running past the end of the stream, as forEachSymbolRecordPiece's.
   */
  scanSymbolRecords(walk: (buf: Uint8Array, end: number, at: number) => number, chunk = 1 << 20): void {
    const s = this.dbi?.symRecordStream;
    if (s === undefined || s === NO_STREAM || !this.msf.hasStream(s)) return;
    if (this.memo.has('symrec') || !this.bigSymbolRecords(s)) {
      const c = this.symbolRecords().c;
      walk(c.buf.subarray(c.start, c.end), c.end - c.start, 0);
      return;
    }
    const size = this.msf.streamSize(s) ?? 0;
    let buf = new Uint8Array(Math.min(chunk, size));
    for (let at = 0; at + 4 <= size;) {
      const want = Math.min(buf.length, size - at);
      const bytes = this.msf.readStreamRangeInto(s, at, want, buf);
      const p = walk(bytes, want, at);
      if (p > 0) {
        at += p;
        continue;
      }
      const reclen = bytes[0] | (bytes[1] << 8);
      // A damaged record, or the end of the stream: the pass ends. A record bigger than the
      // buffer: a bigger buffer.
      if (reclen < 2 || at + 2 + reclen > size || want < buf.length) return;
      buf = new Uint8Array(2 + reclen);
    }
  }

  /** Whether the Symbol Records stream exists and is over keepSymbolRecordsUpTo bytes. */
  private bigSymbolRecords(s: number | undefined): boolean {
    return s !== undefined && s !== NO_STREAM && (this.msf.streamSize(s) ?? 0) > this.keepSymbolRecordsUpTo;
  }

  publics(): PublicsStream | undefined {
    return this.once('publics', () => {
      const s = this.dbi?.publicStreamIndex;
      if (s === undefined || s === NO_STREAM || !this.msf.hasStream(s)) return undefined;
      return readPublicsStream(this.msf.cursor(s, 'publics'));
    });
  }
  /**
   * The publics stream's address map, read entry by entry (publics-stream.ts), or undefined
   * without a publics stream: its header is checked as publics() checks it, its hash table is
   * not read.
   */
  publicsAddressMap(): PublicsAddressMap | undefined {
    return this.once('pubmap', () => {
      const s = this.dbi?.publicStreamIndex;
      if (s === undefined || s === NO_STREAM || !this.msf.hasStream(s)) return undefined;
      const origin = `${this.name} stream ${s} (publics)`;
      return PublicsAddressMap.open((at, n) => Cursor.of(this.msf.readStreamRange(s, at, n), origin, at), this.msf.streamSize(s)!, origin);
    });
  }
  globals(): GsiHashTable | undefined {
    return this.once('globals', () => {
      const s = this.dbi?.globalStreamIndex;
      if (s === undefined || s === NO_STREAM || !this.msf.hasStream(s)) return undefined;
      return gsi().GsiHashTable.read(this.msf.cursor(s, 'globals'));
    });
  }
  names(): NamesStream | undefined {
    return this.once('names', () => {
      const s = this.info.namedStreams.get('/names');
      return s === undefined || !this.msf.hasStream(s) ? undefined : new NamesStream(this.msf.cursor(s, '/names'));
    });
  }

  /** The TPI stream (types), or undefined when the PDB has none (e.g. /DEBUG:FASTLINK). */
  tpi(): TpiStream | undefined {
    return this.once('tpi', () => (this.hasTypeStream(STREAM_TPI) ? new (typeStreams().TpiStream)(this.typeStreamSource(STREAM_TPI, 'TPI'), (s) => this.hashStream(s, 'TPI hash')) : undefined));
  }
  /**
   * A type stream's bytes: kept whole up to keepTypeStreamsUpTo (the IPI up to KEEP_ID_STREAM),
   * else read chunk by chunk as records are asked for (a 53 MB TPI read whole for a few inlinee
   * names cost 220 ms here, mostly page faults on the fresh buffer, and its size in peak memory).
   */
  private typeStreamSource(s: number, what: string): Cursor | RangedStream {
    const size = this.msf.streamSize(s) ?? 0;
    if (size <= (s === STREAM_IPI ? Math.min(this.keepTypeStreamsUpTo, this.keepIdStreamUpTo) : this.keepTypeStreamsUpTo)) return this.msf.cursor(s, what);
    const wholeAfter = size <= this.keepTypeStreamsUpTo ? size / 4 : undefined;
    return {
      origin: `${this.name} stream ${s} (${what})`,
      size,
      read: (offset, length) => this.msf.readStreamRange(s, offset, length),
      readInto: (offset, length, into) => this.msf.readStreamRangeInto(s, offset, length, into),
      wholeAfter,
    };
  }
  /**
   * The IPI stream (function ids, string ids, build info), or undefined when the PDB has none:
   * only PDBs whose info stream lists the VC110/VC140 feature have one (LLVM containsIdStream).
   */
  ipi(): IpiStream | undefined {
    const hasIds = this.info.features.includes(PDB_FEATURE.VC140) || this.info.features.includes(PDB_FEATURE.VC110);
    return this.once('ipi', () =>
      hasIds && this.hasTypeStream(STREAM_IPI)
        ? new (typeStreams().IpiStream)(
            this.typeStreamSource(STREAM_IPI, 'IPI'),
            (s) => this.hashStream(s, 'IPI hash'),
            () => this.tpi(),
          )
        : undefined,
    );
  }
  /** A type stream exists and is not empty (old PDBs have no IPI; FASTLINK ones an empty TPI). */
  private hasTypeStream(s: number): boolean {
    return (this.msf.streamSize(s) ?? 0) > 0;
  }
  /**
   * A type stream's hash stream, read range by range and not kept: a lookup by index needs only
   * its index-offset buffer (the big PDB's TPI hash stream is 4.4 MB, its index offsets 53 KB),
   * a lookup by name the hash values too (TypeStream reads each buffer once).
   */
  private hashStream(s: number, what: string): RangedStream | undefined {
    if (!this.msf.hasStream(s)) return undefined;
    return { origin: `${this.name} stream ${s} (${what})`, size: this.msf.streamSize(s) ?? 0, read: (offset, length) => this.msf.readStreamRange(s, offset, length) };
  }

  /** A module's symbols, read on first use. undefined when the module has no symbol stream. */
  moduleSymbols(index: number): ModuleSymbols | undefined {
    let m = this.moduleSyms.get(index);
    if (m) return m;
    const info = this.modules()[index];
    if (!info || info.symStream === NO_STREAM || !this.msf.hasStream(info.symStream)) return undefined;
    m = new ModuleSymbols(this.msf.cursor(info.symStream, `module ${index} symbols`), info.symByteSize);
    this.moduleSyms.set(index, m);
    return m;
  }

  /**
   * A module's symbols without keeping its stream (the cached ones when a feature already
   * holds them): for building an index that is kept instead of the bytes. With `scratch`, the
   * stream is read into it (see StreamScratch: the next read through it overwrites this one).
   */
  readModuleSymbols(index: number, scratch?: StreamScratch): ModuleSymbols | undefined {
    const m = this.moduleSyms.get(index);
    if (m) return m;
    const info = this.modules()[index];
    if (!info || info.symStream === NO_STREAM || !this.msf.hasStream(info.symStream)) return undefined;
    const bytes = this.msf.readStream(info.symStream, scratch);
    return new ModuleSymbols(Cursor.of(bytes, `${this.name} stream ${info.symStream} (module ${index} symbols)`), info.symByteSize);
  }

  /** Streams read so far (stream indices, first-use order). */
  get streamsRead(): readonly number[] {
    return this.msf.streamsRead;
  }
}
