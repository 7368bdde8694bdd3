/**
 * ByteSource: random access to a file's bytes without reading the whole file.
 *
 * Parsers ask for the ranges they need (`read`), so a lookup in a 1 GB PDB reads only the
 * blocks of the streams it touches. `bytesRead` counts what was actually read, which the tests
 * use to show that laziness holds.
 */
import * as fs from 'fs';
import { badFormat, DbgHelpError } from '../../api/errors';

export interface ByteSource {
  /** A name for messages (the file path). */
  readonly name: string;
  readonly size: number;
  /** Bytes [offset, offset+length); an out-of-range request is BAD_FORMAT. */
  read(offset: number, length: number): Uint8Array;
  /** Total bytes handed out by `read` so far. */
  readonly bytesRead: number;
  /** Bytes [offset, offset+length) copied into `into` at `at` (no intermediate buffer). */
  readInto(into: Uint8Array, at: number, offset: number, length: number): void;
  close(): void;
}

export class BufferSource implements ByteSource {
  bytesRead = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly name: string,
  ) {}
  get size(): number {
    return this.buf.length;
  }
  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.buf.length) {
      throw badFormat(this.name, offset, `read of ${length} bytes past the end of the ${this.buf.length}-byte file`);
    }
    this.bytesRead += length;
    return this.buf.subarray(offset, offset + length);
  }
  readInto(into: Uint8Array, at: number, offset: number, length: number): void {
    into.set(this.read(offset, length), at);
  }
  close(): void {}
}

export class FileSource implements ByteSource {
  bytesRead = 0;
  private fd: number | undefined;
  readonly size: number;

  private constructor(
    readonly name: string,
    fd: number,
  ) {
    this.fd = fd;
    this.size = fs.fstatSync(fd).size;
  }

  static open(path: string): FileSource {
    let fd: number;
    try {
      fd = fs.openSync(path, 'r');
    } catch (e) {
      throw ioError(path, e);
    }
    try {
      if (fs.fstatSync(fd).isDirectory()) {
        throw new DbgHelpError('FILE_NOT_FOUND', `${path}: is a directory, not a file`, { file: path });
      }
      return new FileSource(path, fd);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd === undefined) throw new DbgHelpError('INVALID_HANDLE', `${this.name}: read after close`);
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw badFormat(this.name, offset, `read of ${length} bytes past the end of the ${this.size}-byte file`);
    }
    const out = Buffer.allocUnsafe(length);
    this.readInto(out, 0, offset, length);
    return out;
  }

  readInto(into: Uint8Array, at: number, offset: number, length: number): void {
    if (this.fd === undefined) throw new DbgHelpError('INVALID_HANDLE', `${this.name}: read after close`);
    if (offset < 0 || length < 0 || offset + length > this.size || at < 0 || at + length > into.length) {
      throw badFormat(this.name, offset, `read of ${length} bytes past the end of the ${this.size}-byte file`);
    }
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, into, at + done, length - done, offset + done);
      if (n === 0) throw badFormat(this.name, offset + done, 'file shrank while reading');
      done += n;
    }
    this.bytesRead += length;
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

export function ioError(path: string, e: unknown): DbgHelpError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new DbgHelpError('FILE_NOT_FOUND', `${path}: file not found`, { file: path, cause: e });
  }
  return new DbgHelpError('IO_ERROR', `${path}: ${(e as Error)?.message ?? String(e)}`, { file: path, cause: e });
}
