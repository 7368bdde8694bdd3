/**
 * SymBytes: the bytes of an indexed .sym file, read back when a lookup needs a record
 * (sym-index.ts keeps only where records are). Over a buffer it hands out views; over a file
 * it reads through a window (16 KiB when reading on in file order, so walking records costs few
 * reads; at least 1 KiB at a random place) and opens
 * the file on first use: `close()` gives the descriptor back and a later read opens it again,
 * refusing a file whose size is no longer the one indexed.
 */
import { DbgHelpError } from '../../api/errors';
import { BufferSource, FileSource, type ByteSource } from '../binary/source';
import { SymLine } from './sym-line';
import type { SymTables } from './sym-records';

const WINDOW = 16 << 10;

export class SymBytes {
  private src: ByteSource | undefined;
  private win: Uint8Array | undefined;
  private winAt = 0;
  private winLen = 0;

  private constructor(
    readonly name: string,
    readonly size: number,
    private readonly open: () => ByteSource,
    private readonly buffered: boolean,
  ) {}

  static of(buf: Uint8Array, name: string): SymBytes {
    const src = new BufferSource(buf, name);
    return new SymBytes(name, buf.length, () => src, false);
  }

  /** A file of `size` bytes (what was indexed). */
  static file(path: string, size: number): SymBytes {
    return new SymBytes(
      path,
      size,
      () => {
        const f = FileSource.open(path);
        if (f.size !== size) {
          f.close();
          throw changed(path, 0, `it has ${f.size} bytes, ${size} were indexed`);
        }
        return f;
      },
      true,
    );
  }

  /** Bytes [at, at + n): a view, valid until the next read. */
  read(at: number, n: number): Uint8Array {
    if (at < 0 || n < 0 || at + n > this.size) throw changed(this.name, at, `a record runs past the end of the ${this.size}-byte file`);
    const src = (this.src ??= this.open());
    if (!this.buffered) return src.read(at, n);
    if (this.win && at >= this.winAt && at + n <= this.winAt + this.winLen) return this.win.subarray(at - this.winAt, at - this.winAt + n);
    // Reading on from the window (records in file order): a whole window; else what was asked.
    const onward = this.win !== undefined && at >= this.winAt && at <= this.winAt + this.winLen + WINDOW;
    const len = Math.min(Math.max(n, onward ? WINDOW : 1024), this.size - at);
    if (!this.win || this.win.length < len) this.win = new Uint8Array(Math.max(len, WINDOW));
    this.winAt = at;
    this.winLen = len;
    src.readInto(this.win, 0, at, len);
    return this.win.subarray(0, n);
  }

  /** The first line of [at, at + max): up to its newline (a view, as read gives). */
  firstLine(at: number, max: number): Uint8Array {
    for (let n = Math.min(max, 512); ; n = Math.min(max, n * 4)) {
      const b = this.read(at, n);
      const nl = b.indexOf(0x0a);
      if (nl >= 0) return b.subarray(0, nl);
      if (n === max) return b;
    }
  }

  close(): void {
    this.src?.close();
    this.src = undefined;
    this.win = undefined;
  }
}

/** A record read back is not what was indexed: the file changed under us. */
export function changed(file: string, offset: number, why: string): DbgHelpError {
  return new DbgHelpError('BAD_FORMAT', `${file}: changed since it was read: ${why} (at offset 0x${offset.toString(16)})`, { file, offset });
}

/**
 * Records read back from [at, at + buf.length) into `t` (FILE and INLINE_ORIGIN lines skipped),
 * which must start with the `what` record at `addr`, as indexed: otherwise the file changed.
 */
export function decodeRecords(t: SymTables, buf: Uint8Array, at: number, name: string, what: string, addr: number): SymTables {
  const l = new SymLine(name);
  try {
    for (let s = 0; s <= buf.length;) {
      let e = buf.indexOf(0x0a, s);
      if (e < 0) e = buf.length;
      const end = e > s && buf[e - 1] === 0x0d ? e - 1 : e;
      l.reset(buf, s, end, 0, at + s);
      if (!l.atEnd && !l.accept('FILE') && !l.accept('INLINE_ORIGIN')) t.record(l);
      s = e + 1;
    }
  } catch (e) {
    if (e instanceof DbgHelpError && e.code === 'BAD_FORMAT') throw changed(name, e.offset ?? at, e.message);
    throw e;
  }
  const first = what === 'FUNC' ? t.funcAddr : what === 'PUBLIC' ? t.pubAddr : what === 'STACK WIN' ? t.winAddr : t.cfiAddr;
  if (first.length !== 1 || first.get(0) !== addr) throw changed(name, at, `no ${what} record at ${addr.toString(16)} there`);
  return t;
}
