/**
 * PDB info stream (stream 1): PDBStream70 header, 28 bytes, then the named stream map and the
 * feature codes (LLVM InfoStream; Microsoft pdb.cpp `PDBStream70`).
 *
 *   u32 version (20000404 = VC70)   u32 signature   u32 age   GUID guid
 *   u32 namesSize, char names[namesSize]
 *   hash table: u32 size, u32 capacity, bitvector present, bitvector deleted,
 *               (u32 nameOffset, u32 streamIndex) for each present slot
 *   u32 featureCodes[] until the end
 */
import { Cursor } from '../binary/cursor';

export const PDB_FEATURE = {
  VC110: 20091201,
  VC140: 20140508,
  NoTypeMerge: 0x4d544f4e, // 'MTON'
  MinimalDebugInfo: 0x494e494d, // 'MINI': /DEBUG:FASTLINK
} as const;

export interface PdbInfo {
  version: number;
  signature: number;
  age: number;
  guid: string;
  namedStreams: Map<string, number>;
  features: number[];
  /** The PDB was written by /DEBUG:FASTLINK: its symbols live in the object files. */
  fastLink: boolean;
}

export function readInfoStream(c: Cursor): PdbInfo {
  const version = c.u32();
  const signature = c.u32();
  const age = c.u32();
  const guid = version >= 20000404 ? c.guid() : '00000000-0000-0000-0000-000000000000';

  const namesSize = c.u32();
  const names = c.take(namesSize, 'named stream names');
  const size = c.u32();
  const capacity = c.u32();
  if (size > capacity) c.fail(`named stream map holds ${size} entries in ${capacity} slots`, c.pos - 8);
  const present = readBitVector(c);
  readBitVector(c); // deleted
  const namedStreams = new Map<string, number>();
  let found = 0;
  // Only slots the present bit vector covers can hold entries: bound the walk by it, not by
  // the capacity read from the file (2^32 - 1 would loop for seconds).
  const slots = Math.min(capacity, present.length * 32);
  for (let slot = 0; slot < slots && found < size; slot++) {
    if (!bitSet(present, slot)) continue;
    const nameOffset = c.u32();
    const stream = c.u32();
    namedStreams.set(names.seek(nameOffset).cstring('stream name'), stream);
    found++;
  }
  const features: number[] = [];
  while (c.remaining >= 4) features.push(c.u32());
  return {
    version,
    signature,
    age,
    guid,
    namedStreams,
    features,
    fastLink: features.includes(PDB_FEATURE.MinimalDebugInfo),
  };
}

function readBitVector(c: Cursor): Uint32Array {
  const words = c.count(c.u32(), 4, 'bit vector word');
  const v = new Uint32Array(words);
  for (let i = 0; i < words; i++) v[i] = c.u32();
  return v;
}

function bitSet(v: Uint32Array, i: number): boolean {
  const w = i >>> 5;
  return w < v.length && (v[w] & (1 << (i & 31))) !== 0;
}
