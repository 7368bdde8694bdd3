/**
 * The TPI (stream 2, types) and IPI (stream 4, ids) streams: Microsoft tpi.h TpiStreamHeader /
 * HDR_16t, LLVM TpiStream, RawTypes.h TpiStreamHeader.
 *
 *   TpiStreamHeader, 56 bytes:
 *     u32 version (20040203 = V80)   u32 headerSize       u32 typeIndexBegin   u32 typeIndexEnd
 *     u32 typeRecordBytes            u16 hashStreamIndex  u16 hashAuxStreamIndex
 *     u32 hashKeySize                u32 numHashBuckets
 *     i32 hashValueBufferOffset,    u32 hashValueBufferLength
 *     i32 indexOffsetBufferOffset,  u32 indexOffsetBufferLength
 *     i32 hashAdjBufferOffset,      u32 hashAdjBufferLength
 *   then typeRecordBytes of records (u16 reclen, u16 leaf, data), type indices numbered from
 *   typeIndexBegin (0x1000) in order.
 *
 * The hash stream (hashStreamIndex) holds, at the offsets the header gives:
 *   - hash values: one u32 per record, the record's hash modulo numHashBuckets. UDTs that are
 *     definitions are hashed by name (hashStringV1), or by unique name when scoped; so a UDT is
 *     found by name in one bucket;
 *   - index offsets: (u32 typeIndex, u32 offset) pairs every ~8 KB of records, so a record is
 *     reached by a binary search and a short walk instead of a scan of the whole stream;
 *   - hash adjusters (a name → type index table that overrides the hash for duplicate names;
 *     not used here).
 *
 * Everything is lazy: a record is found by a walk of its chunk as it is asked for (the first
 * walk of a chunk checks it whole and keeps nothing; a chunk of a stream held whole keeps its
 * records' offsets once asked for again: a bulk run's data types touch a few of the big PDB's
 * 6,600 TPI chunks); a scan, or no usable index-offset buffer, learns every offset into one
 * Uint32Array.
 * A big stream (over PdbFile.keepTypeStreamsUpTo) is not even read whole: each chunk is read
 * when a record in it is asked for (RangedStream), until a scan needs every record.
 * The hash stream is only an accelerator: when its buffers are missing, out of bounds or
 * disagree with the records, it is ignored and the records answer alone (one scan). PdbFile
 * hands it over ranged: the index-offset buffer is read on the first record asked for, the hash
 * values on the first name lookup, and nothing else of it is read or kept.
 *
 * Over 400 lines on purpose: one stream structure (header, lazily learnt record offsets, the
 * hash stream's buckets) read by both the TPI and the IPI.
 */
import { badFormat } from '../../api/errors';
import { Cursor } from '../binary/cursor';
import { lastAtOrBelow } from '../binary/search';
import { TypeFamily, isTagRecord, typeFamily } from '../codeview/type-kinds';
import { isForwardRef, readFuncId, readMFuncId, readStringId, readTag, readTagName, type TagRecord } from '../codeview/type-records';
import { hashStringV1 } from './gsi';

export const TPI_HEADER_SIZE = 56;
export const TPI_VERSION_V70 = 19990903;
export const TPI_VERSION_V80 = 20040203;
/** The first index a type stream gives its records; lower indices are simple (built-in) types. */
export const FIRST_TYPE_INDEX = 0x1000;
const NO_STREAM = 0xffff;
/** TypeStream.chunkState values. */
const CHECKED = 1;
const KEPT = 2;

export interface TpiHeader {
  version: number;
  headerSize: number;
  typeIndexBegin: number;
  typeIndexEnd: number;
  typeRecordBytes: number;
  hashStreamIndex: number;
  hashAuxStreamIndex: number;
  hashKeySize: number;
  numHashBuckets: number;
  hashValues: { offset: number; length: number };
  indexOffsets: { offset: number; length: number };
  hashAdjusters: { offset: number; length: number };
}

export function readTpiHeader(c: Cursor, streamSize = c.length): TpiHeader {
  const version = c.u32();
  if (version !== TPI_VERSION_V80 && version !== TPI_VERSION_V70) c.fail(`type stream version ${version} is not V70 (19990903) or V80 (20040203)`, c.pos - 4);
  const h: TpiHeader = {
    version,
    headerSize: c.u32(),
    typeIndexBegin: c.u32(),
    typeIndexEnd: c.u32(),
    typeRecordBytes: c.u32(),
    hashStreamIndex: c.u16(),
    hashAuxStreamIndex: c.u16(),
    hashKeySize: c.u32(),
    numHashBuckets: c.u32(),
    hashValues: { offset: c.i32(), length: c.u32() },
    indexOffsets: { offset: c.i32(), length: c.u32() },
    hashAdjusters: { offset: c.i32(), length: c.u32() },
  };
  if (h.headerSize < TPI_HEADER_SIZE || h.headerSize > streamSize) c.fail(`type stream header size ${h.headerSize} is not within [56, ${streamSize}]`, 4);
  if (h.typeIndexBegin < FIRST_TYPE_INDEX || h.typeIndexEnd < h.typeIndexBegin) {
    c.fail(`type index range [0x${h.typeIndexBegin.toString(16)}, 0x${h.typeIndexEnd.toString(16)}) is not valid`, 8);
  }
  if (h.typeRecordBytes > streamSize - h.headerSize) c.fail(`type record bytes ${h.typeRecordBytes} exceed the ${streamSize - h.headerSize} bytes after the header`, 16);
  // Every record takes at least 4 bytes (reclen + leaf).
  if ((h.typeIndexEnd - h.typeIndexBegin) * 4 > h.typeRecordBytes) {
    c.fail(`${h.typeIndexEnd - h.typeIndexBegin} type records cannot fit in ${h.typeRecordBytes} bytes`, 12);
  }
  return h;
}

/** A record: its leaf and a cursor over its data (after reclen and leaf). */
export interface TypeRecordView {
  leaf: number;
  data: Cursor;
}

/** The hash stream's buffers, as far as they are usable. */
interface HashData {
  /**
   * The hash stream: whole (a Cursor), or read range by range (only the buffers used are read:
   * the index offsets at once, the hash values on the first name lookup: hashValues).
   */
  stream: Cursor | RangedStream | undefined;
  /** Hash value per record (index - typeIndexBegin), or undefined; null until read. */
  values: Uint32Array | undefined | null;
  /** Index-offset pairs, validated (sorted, inside the records); empty when unusable. */
  chunkIndex: Uint32Array;
  chunkOffset: Uint32Array;
}

/**
 * A big type stream read range by range: `read(offset, length)` returns those bytes of the
 * stream (a fresh buffer each time; bounds are the reader's to check).
 */
export interface RangedStream {
  origin: string;
  size: number;
  read(offset: number, length: number): Uint8Array;
  /**
   * The same bytes read into `into` (its first `length` bytes, returned as a view): reads whose
   * bytes are not kept reuse one buffer (TypeStream's peeks). Without it, peeks use `read`.
   */
  readInto?(offset: number, length: number, into: Uint8Array): Uint8Array;
  /**
   * Read the stream whole once chunk reads have added up to this many bytes (a stream that
   * turns out to be read all over costs less as one read; undefined: never).
   */
  wholeAfter?: number;
  /** How many bytes a peek reads at once (at least the chunk it is for); PEEK_BYTES when absent. */
  peekBytes?: number;
}

/** Records asked of a stream held whole before every offset is learnt by one scan. */
const SCAN_AFTER = 256;

export class TypeStream {
  readonly header: TpiHeader;
  /** The type records (after the header), once read whole; until then (ranged) undefined. */
  private whole: Cursor | undefined;
  private readonly ranged: RangedStream | undefined;
  /**
   * Ranged: the chunk (between two index-offset entries) read last: its number and bytes. Each
   * chunk read is a fresh buffer, so cursors handed out over an older one stay valid.
   */
  private chunkNo = -1;
  private chunk: RecordWindow | undefined;
  /**
   * Ranged: the chunk a peek (a read that keeps no view of the bytes: offset walks, tag names)
   * read last, into one reused buffer. A fresh buffer per chunk cost 4x the read in page faults:
   * a bulk --inlines run on the big PDB read 8,393 TPI chunks for its class names.
   */
  private readonly peeks: PeekWindow[] = [];
  /** Ranged: the bytes chunk reads have read so far (RangedStream.wholeAfter). */
  private chunkBytes = 0;
  private wholeWindow: RecordWindow | undefined;
  /**
   * offset + 1 of each record, 0 while unknown: learnt by a scan (all of them; a scan that
   * failed keeps those before the failure).
   */
  private offsets: Uint32Array | undefined;
  private scanned = false;
  /** Lookups by offset while held whole; past SCAN_AFTER the records are scanned once (scanTried). */
  private wholeLookups = 0;
  private scanTried = false;
  /**
   * Until a scan, per chunk of the index-offset buffer: 0 not walked yet; CHECKED, walked whole
   * once (its records end exactly where the next chunk starts), nothing kept; KEPT, asked for
   * again while the records are held whole, so its records' offsets (+ 1) are kept in
   * chunkOffsets. A ranged stream keeps none: its chunk is read again for each record anyway.
   * Keeping every walked chunk's offsets held 4 MB in 5,400 arrays after the bench's
   * inline-frame run (the big TPI's class names, ranged); keeping none made dump-syms, which asks
   * for every inlinee's id in the same whole-read IPI chunks thousands of times, walk for 0.45 s.
   */
  private chunkState = new Uint8Array(0);
  private chunkOffsets: (Uint32Array | undefined)[] = [];
  private hash: HashData | undefined;
  /** Records by hash value modulo `mask + 1` (CSR): start[s]..start[s+1] in items. */
  private buckets: { start: Uint32Array; items: Uint32Array; mask: number } | undefined;

  /**
   * `source`: the whole stream, or a RangedStream (big streams: a record is then read with the
   * chunk of the index-offset buffer that holds it, until something needs every record: a
   * scan, or an index-offset buffer found wrong, reads the stream whole).
   */
  constructor(
    source: Cursor | RangedStream,
    /**
     * The hash stream (undefined when the PDB has none): whole, or ranged (then only the
     * index-offset buffer is read, and the hash values on the first name lookup).
     */
    private readonly hashStream: (index: number) => Cursor | RangedStream | undefined,
  ) {
    if (source instanceof Cursor) {
      this.header = readTpiHeader(source);
      this.setWhole(recordsOf(source, this.header));
    } else {
      this.ranged = source;
      this.header = readTpiHeader(Cursor.of(source.read(0, Math.min(source.size, TPI_HEADER_SIZE)), source.origin), source.size);
    }
  }

  get begin(): number {
    return this.header.typeIndexBegin;
  }
  get end(): number {
    return this.header.typeIndexEnd;
  }
  get count(): number {
    return this.header.typeIndexEnd - this.header.typeIndexBegin;
  }
  /** Whether `index` names a record of this stream. */
  has(index: number): boolean {
    return index >= this.header.typeIndexBegin && index < this.header.typeIndexEnd;
  }
  get origin(): string {
    return this.ranged ? this.ranged.origin : this.whole!.origin;
  }

  /** The record with this index. An index outside the stream is BAD_FORMAT (records name it). */
  record(index: number): TypeRecordView {
    const at = this.offsetOf(index, false);
    return viewOf(this.bytesAt(at), at);
  }
  /**
   * record(index), its data over a buffer the stream reuses: valid only until the stream's next
   * call. For readers that keep nothing of the bytes (a name decoded at once).
   */
  protected peekRecord(index: number): TypeRecordView {
    const at = this.offsetOf(index);
    return viewOf(this.peekAt(at), at);
  }
  leafOf(index: number): number {
    const at = this.offsetOf(index);
    const w = this.peekAt(at);
    const p = w.start + at;
    return w.buf[p + 2] | (w.buf[p + 3] << 8);
  }

  /** Calls fn for every record in index order (a scan; learns every offset on the way). */
  forEach(fn: (index: number, leaf: number) => void): void {
    this.scanAll();
    const offs = this.offsets!;
    const r = this.readWhole();
    const b = r.buf;
    for (let i = 0; i < offs.length; i++) {
      const p = r.start + offs[i] - 1;
      fn(this.begin + i, b[p + 2] | (b[p + 3] << 8));
    }
  }

  /** Where the record bytes at `at` (an offset in the records) are: the whole records, or (ranged) the chunk holding them. */
  private bytesAt(at: number): RecordWindow {
    if (this.wholeWindow) return this.wholeWindow;
    const k = lastAtOrBelow(this.hash!.chunkOffset, at);
    if (k !== this.chunkNo) {
      const after = this.ranged!.wholeAfter;
      if (after !== undefined && this.chunkBytes >= after) {
        this.readWhole();
        return this.wholeWindow!;
      }
      this.readChunk(k);
    }
    return this.chunk!;
  }

  /**
   * bytesAt for a peek: the chunk read last by either path, else (ranged) one of the last
   * PEEK_WINDOWS windows read into reused buffers that holds the chunk whole. A window is read
   * from the chunk's start on, PEEK_BYTES (or the chunk) long: records asked for one after the
   * other are mostly a few chunks further on (the class names of the bench's --inlines run:
   * 8,151 chunk reads of ~8 KB were 511 window reads, and a read's cost here is mostly the call:
   * ~4-11 µs for 8 KB, ~25 µs for 256 KB).
   */
  private peekAt(at: number): RecordWindow {
    if (this.wholeWindow) return this.wholeWindow;
    const k = lastAtOrBelow(this.hash!.chunkOffset, at);
    if (k === this.chunkNo) return this.chunk!;
    const { from, to } = this.chunkBounds(k);
    const peeks = this.peeks;
    for (let i = 0; i < peeks.length; i++) {
      const p = peeks[i];
      if (from < p.from || to > p.to) continue;
      // Most recently used first.
      if (i > 0) peeks.unshift(peeks.splice(i, 1)[0]);
      return p.window;
    }
    const r = this.ranged!;
    if (!r.readInto) return this.bytesAt(at);
    const after = r.wholeAfter;
    if (after !== undefined && this.chunkBytes >= after) {
      this.readWhole();
      return this.wholeWindow!;
    }
    const size = r.peekBytes ?? PEEK_BYTES;
    const end = Math.max(to, Math.min(from + size, this.header.typeRecordBytes));
    // The least recently used window's buffer is read into (a new one until there are enough).
    const reuse = peeks.length === PEEK_WINDOWS ? peeks.pop()!.buffer : undefined;
    const buffer = reuse && reuse.length >= end - from ? reuse : new Uint8Array(Math.max(end - from, size));
    const buf = r.readInto(this.header.headerSize + from, end - from, buffer);
    this.chunkBytes += buf.length;
    const p: PeekWindow = { from, to: end, buffer, window: { buf, start: -from, origin: r.origin, base: this.header.headerSize + from } };
    peeks.unshift(p);
    return p.window;
  }

  /** Chunk k's records: [from, to) in record offsets. */
  private chunkBounds(k: number): { from: number; to: number } {
    const h = this.hash!;
    return { from: h.chunkOffset[k], to: k + 1 < h.chunkOffset.length ? h.chunkOffset[k + 1] : this.header.typeRecordBytes };
  }

  /** Ranged: chunk k's bytes (records [chunkOffset[k], the next chunk's offset)), a fresh buffer. */
  private readChunk(k: number): RecordWindow {
    const { from, to } = this.chunkBounds(k);
    const buf = this.ranged!.read(this.header.headerSize + from, to - from);
    this.chunkBytes += buf.length;
    // buf[i] is records offset from + i, stream offset headerSize + from + i.
    this.chunk = { buf, start: -from, origin: this.ranged!.origin, base: this.header.headerSize + from };
    this.chunkNo = k;
    return this.chunk;
  }

  /** The records, read whole (ranged streams on their first scan), as a cursor. */
  private readWhole(): Cursor {
    if (!this.whole) {
      const r = this.ranged!;
      this.setWhole(recordsOf(Cursor.of(r.read(0, r.size), r.origin), this.header));
      this.chunkNo = -1;
      this.chunk = undefined;
      this.peeks.length = 0;
    }
    return this.whole!;
  }

  private setWhole(c: Cursor): void {
    this.whole = c;
    this.wholeWindow = { buf: c.buf, start: c.start, origin: c.origin, base: c.base };
  }

  /**
   * Records whose stored hash equals `hash % numHashBuckets`: the candidates for a name lookup
   * (callers compare names). undefined when the stream has no usable hash values.
   */
  bucket(hash: number): Uint32Array | undefined {
    const b = this.bucketIndex();
    if (!b) return undefined;
    const k = hash % this.header.numHashBuckets;
    const slot = b.items.subarray(b.start[k & b.mask], b.start[(k & b.mask) + 1]);
    const values = this.hashValues()!;
    return slot.filter((ti) => values[ti - this.begin] === k);
  }

  /** The byte offset (in the records) of a record, found in the bytes a peek (or, `peek` false, record()) reads. */
  private offsetOf(index: number, peek = true): number {
    if (!this.has(index)) {
      const w = this.whole;
      throw badFormat(this.origin, w ? w.base + w.start : this.header.headerSize, `type index 0x${index.toString(16)} is outside [0x${this.begin.toString(16)}, 0x${this.end.toString(16)})`);
    }
    const k = index - this.begin;
    if (this.offsets && this.offsets[k]) return this.offsets[k] - 1;
    if (this.whole && !this.scanTried && ++this.wholeLookups > SCAN_AFTER) {
      // Many records asked of a stream held whole: one walk learns every offset (the big PDB's
      // IPI, 7.2 MB, in a few ms, where chunk walks for its 19,649 inlinee ids took ~40 ms).
      this.scanTried = true;
      try {
        return this.scanAll()[k] - 1;
      } catch {
        // A damaged record: those before it are known now, the others found chunk by chunk.
        if (this.offsets && this.offsets[k]) return this.offsets[k] - 1;
      }
    }
    const h = this.hashData();
    const chunk = lastAtOrBelow(h.chunkIndex, index);
    if (chunk < 0) return this.scanAll()[k] - 1;
    const first = h.chunkIndex[chunk];
    const from = h.chunkOffset[chunk];
    const state = chunk < this.chunkState.length ? this.chunkState[chunk] : 0;
    if (state === KEPT) return this.chunkOffsets[chunk]![index - first] - 1;
    const nextIndex = chunk + 1 < h.chunkIndex.length ? h.chunkIndex[chunk + 1] : this.end;
    if (state === CHECKED) {
      // Ranged, the chunk's bytes are read again for the record anyway, and a walk over them
      // costs little beside the read: nothing is kept. Held whole, the chunk keeps its offsets.
      // (Decided before the walk: reading the chunk may make the stream whole.)
      const keep = this.whole !== undefined;
      const offs = this.offsetsOf(first, from, keep ? nextIndex : index + 1, peek);
      if (!keep) return offs[index - first] - 1;
      this.chunkOffsets[chunk] = offs;
      this.chunkState[chunk] = KEPT;
      return offs[index - first] - 1;
    }
    const nextOffset = chunk + 1 < h.chunkOffset.length ? h.chunkOffset[chunk + 1] : this.header.typeRecordBytes;
    let at: number;
    try {
      at = this.walk(first, from, nextIndex, nextOffset, undefined, index);
    } catch {
      // The index-offset buffer disagrees with the records (ranged: or a record runs out of its
      // chunk): forget it (and what it taught), and learn the offsets from one scan of the
      // records instead, read whole.
      h.chunkIndex = h.chunkOffset = new Uint32Array(0);
      this.chunkState = new Uint8Array(0);
      this.chunkOffsets = [];
      this.offsets = undefined;
      return this.scanAll()[k] - 1;
    }
    if (this.chunkState.length === 0) this.chunkState = new Uint8Array(h.chunkIndex.length);
    this.chunkState[chunk] = CHECKED;
    return at;
  }

  /**
   * The offsets (+ 1) of a checked chunk's records [first, next) (next: up to the one asked for,
   * or all of them) from `from`: a walk over their lengths, in the bytes the caller reads next
   * (`peek`: the reused buffer; else the chunk record() hands views of).
   */
  private offsetsOf(first: number, from: number, next: number, peek: boolean): Uint32Array {
    const w = peek ? this.peekAt(from) : this.bytesAt(from);
    const b = w.buf;
    const base = w.start;
    const offs = new Uint32Array(next - first);
    for (let i = 0, p = from; i < offs.length; i++) {
      offs[i] = p + 1;
      p += 2 + (b[base + p] | (b[base + p + 1] << 8));
    }
    return offs;
  }

  /**
   * Walks records [fromIndex, toIndex) starting at byte `from`, writing offset + 1 of each into
   * `into` (from its start) when given; the walk must end exactly at `to` (the next chunk's
   * offset, or the end of the records). Returns the offset of record `target` (-1: none asked).
   */
  private walk(fromIndex: number, from: number, toIndex: number, to: number, into: Uint32Array | undefined, target = -1): number {
    // Ranged, a walk covers one chunk, whose bytes are all it can read; it keeps none of them.
    const w = this.peekAt(from);
    const b = w.buf;
    const base = w.start;
    const size = this.whole ? this.header.typeRecordBytes : to;
    const fail = (what: string, at: number): never => {
      throw badFormat(w.origin, w.base + at, what);
    };
    let p = from;
    let found = -1;
    for (let i = fromIndex; i < toIndex; i++) {
      if (p + 4 > size) fail(`type record 0x${i.toString(16)} lies past the end of the type records`, base + Math.min(p, size));
      const reclen = b[base + p] | (b[base + p + 1] << 8);
      if (reclen < 2 || p + 2 + reclen > size) fail(`type record 0x${i.toString(16)} of length ${reclen} runs past the end of the type records`, base + p);
      if (into) into[i - fromIndex] = p + 1;
      if (i === target) found = p;
      p += 2 + reclen;
    }
    if (p !== to) fail(`type records 0x${fromIndex.toString(16)}..0x${(toIndex - 1).toString(16)} end at ${p}, not at ${to} where the next ones start`, base + Math.min(p, size));
    return found;
  }

  /** Every record's offset + 1, from one walk of the records read whole (the chunks' offsets are then dropped). */
  private scanAll(): Uint32Array {
    if (this.scanned) return this.offsets!;
    this.readWhole();
    this.offsets ??= new Uint32Array(this.count);
    this.walk(this.begin, 0, this.end, this.header.typeRecordBytes, this.offsets);
    this.scanned = true;
    this.chunkState = new Uint8Array(0);
    this.chunkOffsets = [];
    return this.offsets;
  }

  private hashData(): HashData {
    if (this.hash) return this.hash;
    const none: HashData = { stream: undefined, values: undefined, chunkIndex: new Uint32Array(0), chunkOffset: new Uint32Array(0) };
    const h = this.header;
    const s = h.hashStreamIndex === NO_STREAM ? undefined : this.hashStream(h.hashStreamIndex);
    if (!s) return (this.hash = none);
    this.hash = { stream: s, values: null, ...this.readIndexOffsets(s) };
    return this.hash;
  }

  /**
   * The hash values, read on the first name lookup (a record by index needs only the index
   * offsets: the inlinee names of a bulk run read none of the big PDB's 600,000 values).
   */
  private hashValues(): Uint32Array | undefined {
    const h = this.hashData();
    if (h.values === null) h.values = h.stream ? this.readHashValues(h.stream) : undefined;
    return h.values;
  }

  /** Hash values, one per record; unusable (undefined) unless the sizes agree. */
  private readHashValues(s: Cursor | RangedStream): Uint32Array | undefined {
    const h = this.header;
    const { offset, length } = h.hashValues;
    if (h.numHashBuckets === 0 || (h.hashKeySize !== 4 && h.hashKeySize !== 2)) return undefined;
    if (length !== this.count * h.hashKeySize) return undefined;
    const c = windowOf(s, offset, length);
    if (!c) return undefined;
    const out = new Uint32Array(this.count);
    for (let i = 0; i < out.length; i++) {
      const v = h.hashKeySize === 4 ? c.u32() : c.u16();
      if (v >= h.numHashBuckets) return undefined;
      out[i] = v;
    }
    return out;
  }

  /** Index-offset pairs: sorted by index, offsets increasing and inside the records. */
  private readIndexOffsets(s: Cursor | RangedStream): { chunkIndex: Uint32Array; chunkOffset: Uint32Array } {
    const { offset, length } = this.header.indexOffsets;
    const none = { chunkIndex: new Uint32Array(0), chunkOffset: new Uint32Array(0) };
    const c = windowOf(s, offset, length);
    if (!c) return none;
    const n = Math.floor(length / 8);
    const chunkIndex = new Uint32Array(n);
    const chunkOffset = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const ti = c.u32();
      const off = c.u32();
      const bad = !this.has(ti) || off >= this.header.typeRecordBytes || (i === 0 ? ti !== this.begin || off !== 0 : ti <= chunkIndex[i - 1] || off <= chunkOffset[i - 1]);
      if (bad) return none;
      chunkIndex[i] = ti;
      chunkOffset[i] = off;
    }
    return { chunkIndex, chunkOffset };
  }

  /**
   * Records grouped by hash value (CSR arrays), built once. Grouped by the value modulo a power
   * of two near the record count rather than by all 2^18 buckets, so building costs O(records).
   */
  private bucketIndex(): { start: Uint32Array; items: Uint32Array; mask: number } | undefined {
    if (this.buckets) return this.buckets;
    const values = this.hashValues();
    if (!values) return undefined;
    let size = 16;
    while (size < values.length && size < this.header.numHashBuckets) size *= 2;
    const mask = size - 1;
    const start = new Uint32Array(size + 1);
    for (let i = 0; i < values.length; i++) start[(values[i] & mask) + 1]++;
    for (let k = 0; k < size; k++) start[k + 1] += start[k];
    const fill = start.slice(0, size);
    const items = new Uint32Array(values.length);
    for (let i = 0; i < values.length; i++) items[fill[values[i] & mask]++] = this.begin + i;
    this.buckets = { start, items, mask };
    return this.buckets;
  }
}

/** Record bytes in memory: buf[start + at] is the byte at records offset `at`; offsets in messages are base + index in buf. */
/** A window a peek read: records [from, to), read into `buffer` (reused for a later window). */
interface PeekWindow {
  from: number;
  to: number;
  buffer: Uint8Array;
  window: RecordWindow;
}

/** How many peek windows a ranged stream keeps, and how much a window reads (at least its chunk). */
const PEEK_WINDOWS = 2;
const PEEK_BYTES = 256 * 1024;

interface RecordWindow {
  buf: Uint8Array;
  start: number;
  origin: string;
  base: number;
}

/** The record at records offset `at` in a window (its bounds checked when its offset was learnt). */
function viewOf(w: RecordWindow, at: number): TypeRecordView {
  const b = w.buf;
  const p = w.start + at;
  const reclen = b[p] | (b[p + 1] << 8);
  const leaf = b[p + 2] | (b[p + 3] << 8);
  return { leaf, data: new Cursor(b, w.origin, p + 4, p + 2 + reclen, w.base) };
}

/** The records of a whole stream (after its header). */
function recordsOf(c: Cursor, h: TpiHeader): Cursor {
  c.seek(h.headerSize);
  return c.take(h.typeRecordBytes, 'type records');
}

/** Bytes [offset, offset + length) of a hash stream, or undefined when they are not all inside it. */
function windowOf(s: Cursor | RangedStream, offset: number, length: number): Cursor | undefined {
  if (s instanceof Cursor) {
    if (offset < 0 || length < 0 || offset + length > s.length) return undefined;
    return new Cursor(s.buf, s.origin, s.start + offset, s.start + offset + length, s.base);
  }
  if (offset < 0 || length < 0 || offset + length > s.size) return undefined;
  return Cursor.of(s.read(offset, length), s.origin, offset);
}

/** Names of types the TPI hash files by unique name or bytes: block-scoped or anonymous. */
const LOCAL_OR_ANONYMOUS = /::__l\d+::|<unnamed-|<anonymous-|<lambda_|^</;

function sameTagKind(a: number, b: number): boolean {
  const fa = typeFamily(a);
  const fb = typeFamily(b);
  const norm = (f: TypeFamily) => (f === TypeFamily.Class2 ? TypeFamily.Class : f === TypeFamily.Union2 ? TypeFamily.Union : f);
  return norm(fa) === norm(fb);
}

/** The TPI stream: types, with UDT lookups by name and forward references resolved. */
export class TpiStream extends TypeStream {
  private readonly resolved = new Map<number, number>();
  /**
   * Definitions by key (unique name and name; the first in index order), built by one scan for
   * PDBs without usable hash values and for scoped or anonymous names the hash cannot find.
   */
  private definitions: Map<string, number> | undefined;

  /** A class/struct/union/enum record, or undefined for other leaves. */
  tag(index: number): TagRecord | undefined {
    const { leaf, data } = this.record(index);
    return isTagRecord(leaf) ? readTag(leaf, data) : undefined;
  }

  /** tag(index).name alone, or undefined for other leaves. */
  tagName(index: number): string | undefined {
    const { leaf, data } = this.peekRecord(index);
    return isTagRecord(leaf) ? readTagName(leaf, data) : undefined;
  }

  /**
   * The definition a forward reference stands for (the index itself for definitions, other
   * leaves and forward references whose definition is not in the PDB).
   */
  resolveForwardRef(index: number): number {
    if (!this.has(index)) return index;
    const hit = this.resolved.get(index);
    if (hit !== undefined) return hit;
    const t = this.tag(index);
    let out = index;
    if (t && isForwardRef(t)) out = this.findDefinition(t.name, t.uniqueName, t.leaf) ?? index;
    this.resolved.set(index, out);
    return out;
  }

  /**
   * The UDT definition (not a forward reference) named `name` (or with this unique name) of the
   * same kind as `leaf` (any UDT kind when undefined); the first in index order.
   */
  findDefinition(name: string, uniqueName = '', leaf?: number): number | undefined {
    const keys = uniqueName ? [uniqueName, name] : [name];
    const match = (ti: number): boolean => {
      const l = this.leafOf(ti);
      if (!isTagRecord(l) || (leaf !== undefined && !sameTagKind(l, leaf))) return false;
      const t = this.tag(ti)!;
      if (isForwardRef(t)) return false;
      return uniqueName && t.uniqueName ? t.uniqueName === uniqueName : t.name === name;
    };
    if (this.bucket(0) !== undefined) {
      let best: number | undefined;
      for (const k of keys) {
        for (const ti of this.bucket(hashStringV1(k))!) if (match(ti) && (best === undefined || ti < best)) best = ti;
      }
      // The hash answers for every definition except scoped ones (types local to a function)
      // and anonymous ones, hashed by their unique name or bytes. Only names that look like
      // those (MSVC's `f::__l2::Local`, `<unnamed-tag>`, `<lambda_...>`) fall back to the table
      // (one scan, on the first such miss), so a misspelt `ns::Type` costs no scan.
      if (best !== undefined || !LOCAL_OR_ANONYMOUS.test(name)) return best;
    }
    // No hash values to trust (or a scoped name): index every definition once.
    const defs = this.definitionTable();
    for (const k of keys) {
      const ti = defs.get(k);
      if (ti !== undefined && match(ti)) return ti;
    }
    return undefined;
  }

  private definitionTable(): Map<string, number> {
    if (this.definitions) return this.definitions;
    const map = new Map<string, number>();
    this.forEach((ti, leaf) => {
      if (!isTagRecord(leaf)) return;
      const t = this.tag(ti)!;
      if (isForwardRef(t)) return;
      for (const k of t.uniqueName ? [t.uniqueName, t.name] : [t.name]) if (!map.has(k)) map.set(k, ti);
    });
    this.definitions = map;
    return map;
  }
}

/** The IPI stream: function ids, string ids, build info, UDT source lines. */
export class IpiStream extends TypeStream {
  constructor(
    c: Cursor | RangedStream,
    hashStream: (index: number) => Cursor | RangedStream | undefined,
    private readonly tpi: () => TpiStream | undefined,
  ) {
    super(c, hashStream);
  }

  /** The TPI class name of an LF_MFUNC_ID's parent type (undefined: none), once per class. */
  private className(parentType: number): string | undefined {
    if (this.classNames.has(parentType)) return this.classNames.get(parentType);
    const tpi = this.tpi();
    const name = tpi && tpi.has(parentType) ? tpi.tagName(parentType) : undefined;
    this.classNames.set(parentType, name);
    return name;
  }
  private readonly classNames = new Map<number, string | undefined>();
  /** LF_FUNC_ID scopes' text (namespaces: a few hundred for 30,000 functions). */
  private readonly scopeNames = new Map<number, string>();

  /** An LF_STRING_ID's text. */
  stringId(id: number): string {
    const { leaf, data } = this.peekRecord(id);
    if (typeFamily(leaf) !== TypeFamily.StringId) data.fail(`id 0x${id.toString(16)} is not an LF_STRING_ID`, data.start - 4);
    return readStringId(data).text;
  }

  /**
   * The qualified name of a function id (what S_INLINESITE's inlinee and S_*PROC32_ID's type
   * name): LF_FUNC_ID `scope::name` (scope an LF_STRING_ID, often a namespace), LF_MFUNC_ID
   * `Class::name`. An id that is not a function id is BAD_FORMAT.
   */
  functionIdName(id: number): string {
    return this.functionId(id).name;
  }

  /**
   * A function id's qualified name (functionIdName) and function type (functionType), from one
   * read of its record: what an inline frame needs of its inlinee.
   */
  functionId(id: number): { name: string; type: number } {
    const { leaf, data } = this.peekRecord(id);
    const fam = typeFamily(leaf);
    if (fam === TypeFamily.FuncId) {
      const f = readFuncId(data);
      if (!f.scope) return { name: f.name, type: f.type };
      let scope = this.scopeNames.get(f.scope);
      if (scope === undefined) this.scopeNames.set(f.scope, (scope = this.stringId(f.scope)));
      return { name: `${scope}::${f.name}`, type: f.type };
    }
    if (fam === TypeFamily.MFuncId) {
      const f = readMFuncId(data);
      const cls = this.className(f.parentType);
      return { name: cls ? `${cls}::${f.name}` : f.name, type: f.type };
    }
    return data.fail(`id 0x${id.toString(16)} is not an LF_FUNC_ID or LF_MFUNC_ID`, data.start - 4);
  }

  /** The TPI function type (LF_PROCEDURE / LF_MFUNCTION) a function id names. */
  functionType(id: number): number {
    const { leaf, data } = this.peekRecord(id);
    const fam = typeFamily(leaf);
    if (fam === TypeFamily.FuncId) return readFuncId(data).type;
    if (fam === TypeFamily.MFuncId) return readMFuncId(data).type;
    return data.fail(`id 0x${id.toString(16)} is not an LF_FUNC_ID or LF_MFUNC_ID`, data.start - 4);
  }
}
