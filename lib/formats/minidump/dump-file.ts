/**
 * DumpFile: what stream parsers see of a minidump file. Every byte goes through a Cursor made
 * here over a ByteSource range (read on demand: a path is never read whole), so offsets in
 * errors are file offsets. MINIDUMP_LOCATION_DESCRIPTOR (8 bytes: u32 DataSize, u32 Rva) and
 * MINIDUMP_STRING (u32 Length in bytes, then UTF-16LE, NUL not counted) are read here.
 */
import { badFormat } from '../../api/errors';
import { Cursor } from '../binary/cursor';
import type { ByteSource } from '../binary/source';

/** MINIDUMP_LOCATION_DESCRIPTOR: a range of the file. */
export interface Location {
  dataSize: number;
  rva: number;
}

const utf16 = new TextDecoder('utf-16le');
const utf8 = new TextDecoder('utf-8');
/** The longest string we read (a module path is at most 32 K UTF-16 units). */
const MAX_STRING_BYTES = 0x20000;

export function readLocation(c: Cursor): Location {
  const dataSize = c.u32();
  const rva = c.u32();
  return { dataSize, rva };
}

export class DumpFile {
  constructor(readonly source: ByteSource) {}

  get name(): string {
    return this.source.name;
  }
  get size(): number {
    return this.source.size;
  }

  /** A cursor over [rva, rva+size) of the file; out of the file is BAD_FORMAT at `rva`. */
  cursor(rva: number, size: number, what: string): Cursor {
    this.check(rva, size, what);
    return new Cursor(this.source.read(rva, size), `${this.name} (${what})`, 0, size, rva);
  }

  /** Throws BAD_FORMAT at `rva` unless [rva, rva+size) lies inside the file; reads nothing. */
  check(rva: number, size: number, what: string): void {
    if (!Number.isSafeInteger(rva) || !Number.isSafeInteger(size) || rva < 0 || size < 0 || rva + size > this.source.size) {
      throw badFormat(this.name, rva, `${what}: ${size} bytes at 0x${rva.toString(16)} run past the end of the ${this.source.size}-byte file`);
    }
  }

  /** The bytes a location descriptor names. */
  at(loc: Location, what: string): Cursor {
    return this.cursor(loc.rva, loc.dataSize, what);
  }

  /** MINIDUMP_STRING at `rva`. */
  string(rva: number, what: string): string {
    const len = this.cursor(rva, 4, what).u32();
    if (len > MAX_STRING_BYTES) throw badFormat(this.name, rva, `${what}: string length ${len} is absurd`);
    if (len % 2) throw badFormat(this.name, rva, `${what}: odd UTF-16 string length ${len}`);
    return utf16.decode(this.cursor(rva + 4, len, what).bytes(len));
  }

  /** MinidumpUTF8String (Crashpad): u32 Length, then UTF-8 bytes (NUL not counted). */
  utf8String(rva: number, what: string): string {
    const len = this.cursor(rva, 4, what).u32();
    if (len > MAX_STRING_BYTES) throw badFormat(this.name, rva, `${what}: string length ${len} is absurd`);
    return utf8.decode(this.cursor(rva + 4, len, what).bytes(len));
  }
}

/** A fixed-size UTF-16LE field of `units` code units, NUL-terminated inside it. */
export function fixedUtf16(c: Cursor, units: number): string {
  const b = c.bytes(units * 2, 'UTF-16 field');
  let n = 0;
  while (n < units && (b[2 * n] | b[2 * n + 1]) !== 0) n++;
  return utf16.decode(b.subarray(0, 2 * n));
}
