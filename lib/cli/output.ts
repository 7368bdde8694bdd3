/**
 * Writing CLI output into pipes: wait for 'drain' when the stream asks to (a pipe read slower
 * than we write would otherwise queue every row in memory: 50 MB more peak RSS for 100,000 rows,
 * bench/README.md), and end quietly when the reader has gone (EPIPE: `dbghelp symbols | head`).
 */

/** Writes `text`, waiting for 'drain' when the stream asks to (or for its end, if it fails). */
export async function written(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await drained(out);
}

/** True for the error a write gets once the reading end of the pipe has closed. */
export function isBrokenPipe(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

/**
 * Rows written through one reused 64 KB buffer: each row is encoded (UTF-8) into it as it is made,
 * and a full buffer is written as one copy (a stream may keep what it is given past the write's
 * callback: a PassThrough hands the same Buffer to its reader). 100,000 JSON rows of the big PDB
 * with inline frames (26 MB) took 170-190 ms so, against 570-590 ms joined 512 at a time into
 * strings and written as strings: the joins flatten every row's concatenations, and each string
 * written is encoded into a fresh allocation, fresh pages each time (bench/README.md
 * "Session 6"). A slow reader is waited for ('drain') as by `written`.
 */
export class RowWriter {
  private readonly buf: Buffer;
  private used = 0;

  constructor(
    readonly out: NodeJS.WritableStream,
    size = 1 << 16,
  ) {
    this.buf = Buffer.allocUnsafeSlow(size);
  }

  /** Whether a row of `length` characters (and its newline) fits; if not, flush first. */
  fits(length: number): boolean {
    return this.used + 3 * length + 1 <= this.buf.length;
  }

  /** Adds a row and its newline (after `fits`, or flush: a row bigger than the buffer is written alone). */
  add(row: string): void {
    if (!this.fits(row.length)) {
      this.out.write(row + '\n');
      return;
    }
    this.used += this.buf.write(row, this.used);
    this.buf[this.used++] = 0x0a;
  }

  /** Writes what the buffer holds (waiting for 'drain' when the stream asks to). */
  async flush(): Promise<void> {
    if (this.used === 0) return;
    const ok = this.out.write(Buffer.from(this.buf.subarray(0, this.used)));
    this.used = 0;
    if (!ok) await drained(this.out);
  }

  /** Flushes what is left. */
  end(): Promise<void> {
    return this.flush();
  }
}

/** Resolves on the stream's next 'drain' (or its end, if it fails or closes). */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('error', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('error', done);
    out.on('close', done);
  });
}
