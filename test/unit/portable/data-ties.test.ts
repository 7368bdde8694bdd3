/**
 * data-ties.ts: which of several global data records at one address dbghelp.dll answers (the
 * one the CRT qsort, run over the globals' data records in GSI hash order, leaves last among
 * equal (section, offset) keys). The corpus lane checks it against Microsoft's answers (all 55
 * such addresses: test/corpus/dbghelp-oracle.test.ts has nothing left pinned); here, on a
 * Symbol Records stream built by hand, that it is hash order that is sorted (not stream order),
 * that the last of a run is taken, and that records without a name or of other kinds do not count.
 */
import { DbgHelpError } from '../../../lib/api/errors';
import { S } from '../../../lib/formats/codeview/symbol-kinds';
import { Cursor } from '../../../lib/formats/binary/cursor';
import type { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { SymbolStream } from '../../../lib/formats/pdb/symbol-stream';
import { crtQsort } from '../../../lib/portable/crt-qsort';
import { dbghelpDataPicks } from '../../../lib/portable/data-ties';

interface Rec {
  kind: number;
  seg: number;
  off: number;
  name: string;
}

/** The records as a Symbol Records stream (DATASYM32 layout), and each one's stream offset. */
function stream(recs: Rec[]): { bytes: Uint8Array; offsets: number[] } {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const r of recs) {
    const body = Buffer.concat([Buffer.alloc(10), Buffer.from(r.name + '\0', 'latin1')]);
    body.writeUInt32LE(0x74, 0); // type: int
    body.writeUInt32LE(r.off, 4);
    body.writeUInt16LE(r.seg, 8);
    const padded = Buffer.concat([body, Buffer.alloc((4 - ((body.length + 4) % 4)) % 4)]);
    const head = Buffer.alloc(4);
    head.writeUInt16LE(padded.length + 2, 0);
    head.writeUInt16LE(r.kind, 2);
    offsets.push(at);
    parts.push(head, padded);
    at += 4 + padded.length;
  }
  return { bytes: new Uint8Array(Buffer.concat(parts)), offsets };
}

function fakePdb(bytes: Uint8Array, hashOrder: number[] | undefined): PdbFile {
  return {
    globals: () => (hashOrder ? { recordOffsets: Uint32Array.from(hashOrder) } : undefined),
    // As PdbFile's: one piece of the whole records before any damaged one.
    forEachSymbolRecordPiece: (fn: (piece: SymbolStream) => void) => {
      let p = 0;
      while (p + 4 <= bytes.length) {
        const reclen = bytes[p] | (bytes[p + 1] << 8);
        if (reclen < 2 || p + 2 + reclen > bytes.length) break;
        p += 2 + reclen;
      }
      if (p > 0) fn(new SymbolStream(Cursor.of(bytes.subarray(0, p), 'test symbol records'), 0));
    },
  } as unknown as PdbFile;
}

/** The reference: the named data records in hash order, crtQsort by key, the last of each run of equal keys. */
function reference(recs: Rec[], offsets: number[], hashOrder: number[]): Set<number> {
  const inHash = hashOrder.map((o) => offsets.indexOf(o)).filter((i) => i >= 0 && (recs[i].kind === S.GDATA32 || recs[i].kind === S.LDATA32) && recs[i].name !== '');
  const keys = inHash.map((i) => recs[i].seg * 0x100000000 + recs[i].off);
  const ids = Uint32Array.from(keys, (_, i) => i);
  crtQsort(ids, keys);
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i++) {
    const k = keys[ids[i]];
    const last = i + 1 === ids.length || keys[ids[i + 1]] !== k;
    const tied = (i > 0 && keys[ids[i - 1]] === k) || !last;
    if (last && tied) out.add(offsets[inHash[ids[i]]]);
  }
  return out;
}

/** A deterministic shuffle (the hash order of a PDB is not its stream order). */
function shuffled<T>(xs: T[], seed: number): T[] {
  const a = [...xs];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const ascending = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);

test('the pick is the last of a run after sorting the hash order, over 30 records and 8 shared addresses', () => {
  const recs: Rec[] = [];
  for (let i = 0; i < 30; i++) recs.push({ kind: i % 7 === 3 ? S.LDATA32 : S.GDATA32, seg: 1 + (i % 2), off: 8 * (i % 11), name: `d${i}` });
  const { bytes, offsets } = stream(recs);
  for (const seed of [1, 2, 3, 4, 5]) {
    const hashOrder = shuffled(offsets, seed);
    const picks = dbghelpDataPicks(fakePdb(bytes, hashOrder));
    expect(picks.size).toBeGreaterThan(0);
    expect(ascending(picks)).toEqual(ascending(reference(recs, offsets, hashOrder)));
    // One pick per shared address.
    const keysOf = (o: number) => recs[offsets.indexOf(o)].seg * 0x100000000 + recs[offsets.indexOf(o)].off;
    expect(new Set([...picks].map(keysOf)).size).toBe(picks.size);
  }
});

test('hash order, not stream order, decides: two orders of the same records can pick differently', () => {
  const recs: Rec[] = [];
  for (let i = 0; i < 24; i++) recs.push({ kind: S.GDATA32, seg: 3, off: 4 * (i % 6), name: `x${i}` });
  const { bytes, offsets } = stream(recs);
  const picked = new Set<string>();
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    const hashOrder = shuffled(offsets, seed);
    const picks = dbghelpDataPicks(fakePdb(bytes, hashOrder));
    expect(ascending(picks)).toEqual(ascending(reference(recs, offsets, hashOrder)));
    picked.add(JSON.stringify(ascending(picks)));
  }
  expect(picked.size).toBeGreaterThan(1);
});

test('records without a name, of other kinds, or missing from the hash do not count; no hash table, no picks', () => {
  const recs: Rec[] = [
    { kind: S.GDATA32, seg: 1, off: 0, name: 'a' },
    { kind: S.GDATA32, seg: 1, off: 0, name: '' },
    { kind: S.GTHREAD32, seg: 1, off: 0, name: 'tls' },
    { kind: S.GDATA32, seg: 1, off: 16, name: 'b' },
    { kind: S.LDATA32, seg: 1, off: 16, name: 'c' },
    { kind: S.GDATA32, seg: 1, off: 32, name: 'd' },
    { kind: S.GDATA32, seg: 1, off: 32, name: 'e' },
  ];
  const { bytes, offsets } = stream(recs);
  // `a` ties only with records that do not count: no pick at offset 0. `e` is not in the hash.
  const hashOrder = [offsets[4], offsets[1], offsets[0], offsets[2], offsets[3], offsets[5]];
  const picks = dbghelpDataPicks(fakePdb(bytes, hashOrder));
  expect([...picks]).toEqual([...reference(recs, offsets, hashOrder)]);
  expect(picks.has(offsets[0]) || picks.has(offsets[1]) || picks.has(offsets[2])).toBe(false);
  expect(picks.has(offsets[5]) || picks.has(offsets[6])).toBe(false);
  expect(picks.size).toBe(1);
  expect(dbghelpDataPicks(fakePdb(bytes, undefined)).size).toBe(0);
});

test('a damaged globals stream or Symbol Records stream loses the tie-break only, not the lookup', () => {
  const recs: Rec[] = [
    { kind: S.GDATA32, seg: 1, off: 0, name: 'a' },
    { kind: S.GDATA32, seg: 1, off: 0, name: 'b' },
    { kind: S.GDATA32, seg: 1, off: 8, name: 'c' },
    { kind: S.GDATA32, seg: 1, off: 8, name: 'd' },
  ];
  const { bytes, offsets } = stream(recs);
  const damagedHash = {
    globals: () => {
      throw new DbgHelpError('BAD_FORMAT', 'x.pdb: GSI hash header ffffffff/0 is not the VC7.0 format (at 0x0)');
    },
    forEachSymbolRecordPiece: () => undefined,
  } as unknown as PdbFile;
  expect(dbghelpDataPicks(damagedHash).size).toBe(0);
  // A record whose length runs past the stream ends the pass there: the first pair still counts.
  const cut = bytes.slice();
  cut[offsets[2]] = 0xff;
  cut[offsets[2] + 1] = 0x7f;
  const picks = dbghelpDataPicks(fakePdb(cut, offsets));
  expect([...picks]).toEqual([...reference(recs.slice(0, 2), offsets.slice(0, 2), offsets.slice(0, 2))]);
  expect(picks.size).toBe(1);
});
