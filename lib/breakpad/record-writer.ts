/**
 * RecordWriter: text lines to a Writable in 64 KiB pieces, waiting for 'drain' when the stream
 * asks (so a big .sym is never held whole, and a slow destination slows the writer down).
 */
import type { Writable } from 'stream';

const PIECE = 64 * 1024;

export class RecordWriter {
  private buf: string[] = [];
  private size = 0;
  private failed: Error | undefined;

  constructor(private readonly out: Writable) {
    out.once('error', (e) => (this.failed = e));
  }

  async line(text: string): Promise<void> {
    this.buf.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= PIECE) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.size) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (!this.out.write(chunk)) await this.drain();
  }

  /** Flushes what is left; does not end the stream (the caller owns it). */
  async end(): Promise<void> {
    await this.flush();
    if (this.failed) throw this.failed;
  }

  private drain(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (e?: Error): void => {
        this.out.off('drain', ok);
        this.out.off('error', done);
        this.out.off('close', closed);
        if (e) reject(e);
        else resolve();
      };
      const ok = (): void => done();
      const closed = (): void => done(new Error('output closed before the symbol file was written'));
      this.out.once('drain', ok);
      this.out.once('error', done);
      this.out.once('close', closed);
    });
  }
}
