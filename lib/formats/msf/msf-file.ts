/**
 * The MSF container: a file of fixed-size blocks holding numbered streams.
 *
 * Opening reads the superblock and the stream directory only (u32 numStreams,
 * u32 sizes[numStreams], then each stream's block list). A stream's bytes are read on first
 * use, contiguous block runs coalesced into one read, and kept.
 */
import { badFormat } from '../../api/errors';
import { Cursor } from '../binary/cursor';
import type { ByteSource } from '../binary/source';
import { readSuperBlock, SUPERBLOCK_SIZE, type SuperBlock } from './superblock';

const NIL_STREAM = 0xffffffff;

/**
 * A buffer reused by readStream for streams digested one after another (module streams while
 * indexing): each read overwrites the last, so their bytes do not pile up between garbage
 * collections. It grows to the largest stream read; views of an earlier read are invalid.
 */
export interface StreamScratch {
  buf: Uint8Array;
}

export class MsfFile {
  readonly superBlock: SuperBlock;
  private readonly sizes: number[];
  private readonly blocks: Uint32Array[];
  private readonly cache = new Map<number, Uint8Array>();
  /** The blocks holding the stream directory, in order (read-only; for tests and tools). */
  readonly directoryBlocks: readonly number[];
  /** Indices of the streams read so far, wholly or in part, in first-read order (for tests and diagnostics). */
  readonly streamsRead: number[] = [];
  private readonly seen = new Set<number>();

  constructor(readonly source: ByteSource) {
    const name = source.name;
    if (source.size < SUPERBLOCK_SIZE) {
      throw badFormat(name, 0, `not a PDB: ${source.size} bytes is smaller than an MSF superblock`);
    }
    const sb = readSuperBlock(Cursor.of(source.read(0, SUPERBLOCK_SIZE), name), source.size);
    this.superBlock = sb;
    const bs = sb.blockSize;

    // The directory's own block list lives in block `blockMapAddr`.
    const dirBlockCount = Math.ceil(sb.numDirectoryBytes / bs);
    if (dirBlockCount * 4 > bs * 16 || sb.numDirectoryBytes === 0) {
      throw badFormat(name, 44, `MSF stream directory size ${sb.numDirectoryBytes} is not plausible`);
    }
    // Every block belongs to at most one owner (the superblock, the directory's block map, the
    // directory, one stream). A block listed twice would let a small file claim streams far
    // larger than itself (one block repeated), so a repeat is a format error.
    const owned = new Uint8Array(sb.numBlocks);
    owned[0] = 1;
    this.claim(owned, sb.blockMapAddr, 52, 'the directory block map');
    const mapCursor = Cursor.of(this.readBlocksRaw([sb.blockMapAddr], dirBlockCount * 4, 'directory block map'), name, sb.blockMapAddr * bs);
    const dirBlocks: number[] = [];
    for (let i = 0; i < dirBlockCount; i++) {
      const at = mapCursor.offset;
      dirBlocks.push(this.claim(owned, this.checkBlock(mapCursor.u32(), at), at, 'the stream directory'));
    }
    this.directoryBlocks = dirBlocks;
    const dir = Cursor.of(this.readBlocksRaw(dirBlocks, sb.numDirectoryBytes, 'stream directory'), `${name} (MSF directory)`);

    const numStreams = dir.count(dir.u32(), 4, 'MSF stream');
    this.sizes = new Array(numStreams);
    for (let i = 0; i < numStreams; i++) this.sizes[i] = dir.u32();
    this.blocks = new Array(numStreams);
    for (let i = 0; i < numStreams; i++) {
      const size = this.sizes[i];
      const n = size === NIL_STREAM ? 0 : Math.ceil(size / bs);
      dir.count(n, 4, `stream ${i} block`);
      const list = new Uint32Array(n);
      // count() checked that the n block numbers are there; read them in place (a big PDB
      // lists tens of thousands), with checkBlock/claim's checks and messages.
      const b = dir.buf;
      for (let k = 0, p = dir.pos; k < n; k++, p += 4) {
        const block = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
        if (block >= sb.numBlocks || block * bs >= source.size) this.checkBlock(block, dir.base + p);
        if (owned[block]) this.claim(owned, block, dir.base + p, `stream ${i}`, dir.origin);
        owned[block] = 1;
        list[k] = block;
      }
      dir.skip(4 * n);
      this.blocks[i] = list;
    }
  }

  get name(): string {
    return this.source.name;
  }
  get streamCount(): number {
    return this.sizes.length;
  }
  /** Size of a stream in bytes, or undefined for a missing/nil stream. */
  streamSize(index: number): number | undefined {
    const s = this.sizes[index];
    return s === undefined || s === NIL_STREAM ? undefined : s;
  }
  /** The blocks of a stream, in order (empty for a missing/nil stream); a read-only view. */
  streamBlocks(index: number): readonly number[] {
    const list = this.blocks[index];
    return list ? Array.from(list) : [];
  }
  hasStream(index: number): boolean {
    return this.streamSize(index) !== undefined;
  }

  /** The whole stream, read on first use and kept. Throws BAD_FORMAT for a missing stream. */
  stream(index: number): Uint8Array {
    let data = this.cache.get(index);
    if (data) return data;
    data = this.readStream(index);
    this.cache.set(index, data);
    return data;
  }

  /**
   * The whole stream without keeping it (the cached copy when there is one): for streams a
   * caller digests into an index of its own and then drops, such as module symbol streams
   * when symbolizing, so their bytes do not stay in memory.
   */
  readStream(index: number, scratch?: StreamScratch): Uint8Array {
    const cached = this.cache.get(index);
    if (cached) return cached;
    const size = this.streamSize(index);
    if (size === undefined) throw badFormat(this.name, 0, `stream ${index} does not exist (the file has ${this.sizes.length})`);
    let into: Uint8Array | undefined;
    if (scratch) {
      if (scratch.buf.length < size) scratch.buf = Buffer.allocUnsafeSlow(Math.max(size, 2 * scratch.buf.length));
      into = scratch.buf;
    }
    const data = this.readBlocksRaw(this.blocks[index], size, `stream ${index}`, into);
    this.touched(index);
    return data;
  }

  private touched(index: number): void {
    if (!this.seen.has(index)) {
      this.seen.add(index);
      this.streamsRead.push(index);
    }
  }

  /**
   * Bytes [offset, offset + length) of a stream, reading only the blocks they lie in (from the
   * kept copy when there is one): a few records of a big stream without reading it all.
   */
  readStreamRange(index: number, offset: number, length: number): Uint8Array {
    const size = this.streamSize(index);
    if (size === undefined) throw badFormat(this.name, 0, `stream ${index} does not exist (the file has ${this.sizes.length})`);
    if (offset < 0 || length < 0 || offset + length > size) throw badFormat(`${this.name} stream ${index}`, offset, `read of ${length} bytes past the end of the ${size}-byte stream`);
    const cached = this.cache.get(index);
    if (cached) return cached.subarray(offset, offset + length);
    this.touched(index);
    const bs = this.superBlock.blockSize;
    const first = Math.floor(offset / bs);
    const within = offset - first * bs;
    if (within + length <= bs) return this.readRun(this.blocks[index][first] * bs + within, length, `stream ${index}`);
    return this.readRangeInto(index, offset, length, Buffer.allocUnsafeSlow(length)); // every byte is read into
  }

  /**
   * readStreamRange into `into` (its first `length` bytes, returned as a view): a big stream
   * read piece by piece through one reused buffer, without a fresh allocation per piece.
   */
  readStreamRangeInto(index: number, offset: number, length: number, into: Uint8Array): Uint8Array {
    const size = this.streamSize(index);
    if (size === undefined) throw badFormat(this.name, 0, `stream ${index} does not exist (the file has ${this.sizes.length})`);
    if (offset < 0 || length < 0 || offset + length > size || length > into.length)
      throw badFormat(`${this.name} stream ${index}`, offset, `read of ${length} bytes past the end of the ${size}-byte stream`);
    const cached = this.cache.get(index);
    if (cached) {
      into.set(cached.subarray(offset, offset + length));
      return into.subarray(0, length);
    }
    this.touched(index);
    return this.readRangeInto(index, offset, length, into);
  }

  private readRangeInto(index: number, offset: number, length: number, out: Uint8Array): Uint8Array {
    const bs = this.superBlock.blockSize;
    const list = this.blocks[index];
    const first = Math.floor(offset / bs);
    const within = offset - first * bs;
    let done = 0;
    for (let k = first; done < length;) {
      const from = k === first ? within : 0;
      // A run of consecutive blocks is one read.
      let j = k + 1;
      while (j < list.length && list[j] === list[j - 1] + 1 && (j - k) * bs - from < length - done) j++;
      const n = Math.min((j - k) * bs - from, length - done);
      this.checkRun(list[k] * bs + from, n, `stream ${index}`);
      this.source.readInto(out, done, list[k] * bs + from, n);
      done += n;
      k = j;
    }
    return out.subarray(0, length);
  }

  /** A cursor over a stream; `what` names it in error messages. */
  cursor(index: number, what: string, keep = true): Cursor {
    return Cursor.of(keep ? this.stream(index) : this.readStream(index), `${this.name} stream ${index} (${what})`);
  }

  /** Drop a cached stream (large module streams can be re-read instead of kept). */
  release(index: number): void {
    this.cache.delete(index);
  }

  private claim(owned: Uint8Array, block: number, at: number, what: string, origin = this.name): number {
    if (owned[block]) throw badFormat(origin, at, `block ${block} of ${what} is already used by another stream or the MSF header`);
    owned[block] = 1;
    return block;
  }

  private checkBlock(block: number, at: number): number {
    if (block >= this.superBlock.numBlocks || block * this.superBlock.blockSize >= this.source.size) {
      throw badFormat(this.name, at, `block index ${block} beyond the ${this.superBlock.numBlocks}-block file`);
    }
    return block;
  }

  /** The blocks' bytes, into `into` (a view of its first `size` bytes) when given. */
  private readBlocksRaw(list: ArrayLike<number>, size: number, what: string, into?: Uint8Array): Uint8Array {
    const bs = this.superBlock.blockSize;
    if (size > list.length * bs) throw badFormat(this.name, 0, `${what}: ${size} bytes but only ${list.length} blocks`);
    if (!into && (list.length === 1 || size <= bs)) {
      return this.readRun(list[0] * bs, Math.min(size, bs), what).subarray(0, size);
    }
    const out = into ? into.subarray(0, size) : Buffer.allocUnsafeSlow(size); // every byte is read into below (or this throws)
    let done = 0;
    let i = 0;
    while (done < size) {
      // Coalesce a run of consecutive blocks into one read.
      let j = i + 1;
      while (j < list.length && list[j] === list[j - 1] + 1) j++;
      const want = Math.min(size - done, (j - i) * bs);
      this.checkRun(list[i] * bs, want, what);
      this.source.readInto(out, done, list[i] * bs, want);
      done += want;
      i = j;
    }
    return out;
  }

  private readRun(offset: number, length: number, what: string): Uint8Array {
    this.checkRun(offset, length, what);
    return this.source.read(offset, length);
  }

  private checkRun(offset: number, length: number, what: string): void {
    if (offset + length > this.source.size) {
      // The final block of a file may be short; anything beyond the file is truncation.
      throw badFormat(this.name, offset, `${what}: ${length} bytes at block offset run past the end of the ${this.source.size}-byte file`);
    }
  }
}
