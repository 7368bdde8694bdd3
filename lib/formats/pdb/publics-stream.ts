/**
 * Publics stream (DBI publicStreamIndex): PSGSIHDR, 28 bytes (Microsoft gsi.h), then the GSI
 * hash table, then the address map.
 *
 *   u32 cbSymHash  u32 cbAddrMap  u32 nThunks  u32 cbSizeOfThunk  u16 isectThunkTable
 *   u16 padding    u32 offThunkTable  u32 nSects
 *   GSI hash table (cbSymHash bytes)
 *   u32 addrMap[cbAddrMap / 4]: symbol record offsets of S_PUB32 records sorted by address
 *   thunk map, section map (unused here)
 */
import { Cursor } from '../binary/cursor';
import { GsiHashTable } from './gsi';

export interface PublicsStream {
  hash: GsiHashTable;
  /** Symbol record offsets of S_PUB32 records, sorted by section:offset. */
  addressMap: Uint32Array;
}

export function readPublicsStream(c: Cursor): PublicsStream {
  const symHash = c.u32();
  const addrMap = c.u32();
  c.skip(20);
  const hash = GsiHashTable.read(c.take(symHash, 'publics hash table'));
  const m = c.take(addrMap, 'publics address map');
  const n = Math.floor(addrMap / 4);
  const addressMap = new Uint32Array(n);
  for (let i = 0; i < n; i++) addressMap[i] = m.u32();
  return { hash, addressMap };
}
