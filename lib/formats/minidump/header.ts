/**
 * MINIDUMP_HEADER (32 bytes) and MINIDUMP_DIRECTORY (12 bytes each), minidumpapiset.h:
 *   header: u32 Signature 'MDMP', u32 Version (low word MINIDUMP_VERSION 0xA793, high word
 *     implementation-specific), u32 NumberOfStreams, u32 StreamDirectoryRva, u32 CheckSum,
 *     u32 TimeDateStamp, u64 Flags (MINIDUMP_TYPE)
 *   directory entry: u32 StreamType, MINIDUMP_LOCATION_DESCRIPTOR Location
 */
import { badFormat } from '../../api/errors';
import { readLocation, type DumpFile, type Location } from './dump-file';

export const MINIDUMP_SIGNATURE = 0x504d444d; // 'MDMP'
export const MINIDUMP_VERSION = 0xa793;
export const HEADER_SIZE = 32;
export const DIRECTORY_ENTRY_SIZE = 12;

export interface MinidumpHeader {
  signature: number;
  /** The whole Version field; its low 16 bits are 0xA793. */
  version: number;
  streamCount: number;
  streamDirectoryRva: number;
  checkSum: number;
  timeDateStamp: number;
  /** MINIDUMP_TYPE flags the writer was called with. */
  flags: bigint;
}

export interface DirectoryEntry {
  streamType: number;
  location: Location;
  /** Index in the directory. */
  index: number;
}

export function readHeader(f: DumpFile): MinidumpHeader {
  if (f.size < HEADER_SIZE) throw badFormat(f.name, 0, `a ${f.size}-byte file is too small for a minidump header (32 bytes)`);
  const c = f.cursor(0, HEADER_SIZE, 'MINIDUMP_HEADER');
  const signature = c.u32();
  if (signature !== MINIDUMP_SIGNATURE) throw badFormat(f.name, 0, `not a minidump: signature 0x${signature.toString(16)}, expected 'MDMP'`);
  const version = c.u32();
  if ((version & 0xffff) !== MINIDUMP_VERSION) throw badFormat(f.name, 4, `unknown minidump version 0x${(version & 0xffff).toString(16)} (expected 0xa793)`);
  return {
    signature,
    version,
    streamCount: c.u32(),
    streamDirectoryRva: c.u32(),
    checkSum: c.u32(),
    timeDateStamp: c.u32(),
    flags: c.u64(),
  };
}

/** The stream directory; the count is checked against the file before anything is read. */
export function readDirectory(f: DumpFile, h: MinidumpHeader): DirectoryEntry[] {
  const bytes = h.streamCount * DIRECTORY_ENTRY_SIZE;
  if (h.streamCount > f.size / DIRECTORY_ENTRY_SIZE) {
    throw badFormat(f.name, 8, `stream count ${h.streamCount} cannot fit in the ${f.size}-byte file`);
  }
  const c = f.cursor(h.streamDirectoryRva, bytes, 'stream directory');
  const out: DirectoryEntry[] = [];
  for (let i = 0; i < h.streamCount; i++) out.push({ streamType: c.u32(), location: readLocation(c), index: i });
  return out;
}
