/**
 * Publics stream (DBI publicStreamIndex): PSGSIHDR, 28 bytes (Microsoft gsi.h), then the GSI
 * hash table, then the address map.
 *
 *   u32 cbSymHash  u32 cbAddrMap  u32 nThunks  u32 cbSizeOfThunk  u16 isectThunkTable
 *   u16 padding    u32 offThunkTable  u32 nSects
 *   GSI hash table (cbSymHash bytes)
 *   u32 addrMap[cbAddrMap / 4]: symbol record offsets of S_PUB32 records sorted by address
 *   thunk map, section map (unused here)
 *
 * PublicsAddressMap reads the address map alone, entry by entry (address lookups that binary
 * search it); readPublicsStream reads the hash table and the map (lookups by name).
 */
import { badFormat } from '../../api/errors';
import { Cursor } from '../binary/cursor';
import { lazy } from '../../lazy';
import type { GsiHashTable } from './gsi';

/** The hash table's reader, required on first use (lib/lazy.ts): address lookups read the map alone. */
const gsi = lazy(() => require('./gsi') as typeof import('./gsi'));

export interface PublicsStream {
  hash: GsiHashTable;
  /** Symbol record offsets of S_PUB32 records, sorted by section:offset. */
  addressMap: Uint32Array;
}

export function readPublicsStream(c: Cursor): PublicsStream {
  const symHash = c.u32();
  const addrMap = c.u32();
  c.skip(20);
  const hash = gsi().GsiHashTable.read(c.take(symHash, 'publics hash table'));
  const m = c.take(addrMap, 'publics address map');
  const n = Math.floor(addrMap / 4);
  const addressMap = new Uint32Array(n);
  for (let i = 0; i < n; i++) addressMap[i] = m.u32();
  return { hash, addressMap };
}

/** Reads `length` bytes at `offset` of the publics stream, bounds-checked. */
export type PublicsReader = (offset: number, length: number) => Cursor;

const PSGSIHDR_SIZE = 28;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Address map entries read at once by at(): 4 KiB. */
const PAGE_ENTRIES = 1024;

/**
 * The address map without the rest of the stream: PSGSIHDR is read and checked (the sizes
 * readPublicsStream takes must fit), the GSI hash table is skipped, and entries are read a page
 * at a time as they are asked for (a binary search over the map reads a few pages), or all at
 * once.
 */
export class PublicsAddressMap {
  private readonly pages = new Map<number, Cursor>();

  private constructor(
    private readonly read: PublicsReader,
    /** Stream offset of entry 0. */
    private readonly start: number,
    readonly length: number,
  ) {}

  static open(read: PublicsReader, streamSize: number, origin: string): PublicsAddressMap {
    const h = read(0, Math.min(PSGSIHDR_SIZE, streamSize));
    const symHash = h.u32();
    const addrMap = h.u32();
    h.skip(20);
    const left = streamSize - PSGSIHDR_SIZE;
    if (symHash > left) throw badFormat(origin, PSGSIHDR_SIZE, `truncated publics hash table: need ${symHash} bytes, ${left} left`);
    if (addrMap > left - symHash) throw badFormat(origin, PSGSIHDR_SIZE + symHash, `truncated publics address map: need ${addrMap} bytes, ${left - symHash} left`);
    return new PublicsAddressMap(read, PSGSIHDR_SIZE + symHash, Math.floor(addrMap / 4));
  }

  /** Entry i (0 <= i < length): the Symbol Records stream offset of an S_PUB32 record. */
  at(i: number): number {
    const page = Math.floor(i / PAGE_ENTRIES);
    let c = this.pages.get(page);
    if (!c) {
      const first = page * PAGE_ENTRIES;
      c = this.read(this.start + first * 4, Math.min(PAGE_ENTRIES, this.length - first) * 4);
      this.pages.set(page, c);
    }
    return c.seek((i % PAGE_ENTRIES) * 4).u32();
  }

  /** Every entry, from one read. */
  all(): Uint32Array {
    const out = new Uint32Array(this.length);
    if (this.length === 0) return out;
    const c = this.read(this.start, this.length * 4);
    const b = c.bytes(this.length * 4, 'publics address map');
    // The bytes are checked: on a little-endian host, 4-aligned, they are copied as words.
    if (LITTLE_ENDIAN && b.byteOffset % 4 === 0) out.set(new Uint32Array(b.buffer, b.byteOffset, this.length));
    else for (let i = 0, p = 0; i < out.length; i++, p += 4) out[i] = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
    return out;
  }
}
