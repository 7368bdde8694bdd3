/**
 * Hand-made hostile PDBs: one known trap each, built by patching a real fixture in place, and
 * driven through the parsers and the public API like robustness.test.ts (in a worker, with a
 * time bound, so a hang or a stack overflow is a failure naming the case).
 *
 * Each case says what it aims at: counts that size loops, self-referencing records, indices
 * into other tables, blocks shared between streams, record lengths below the minimum.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BufferSource } from '../../../lib/formats/binary/source';
import { MsfFile } from '../../../lib/formats/msf/msf-file';
import { S } from '../../../lib/formats/codeview/symbol-kinds';
import { PdbFile, STREAM_PDB } from '../../../lib/formats/pdb/pdb-file';
import { rng } from '../../helpers/mutate';
import { le16, le32, type Case, type Mutation } from './fuzz/drive';
import { blockRanges, makeSubject } from './fuzz/layout';
import { CasePool } from './fuzz/pool';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const NAME = 'basic-x64';
const PDB = path.join(BIN, `${NAME}.pdb`);
const buf = new Uint8Array(fs.readFileSync(PDB));
const msf = new MsfFile(new BufferSource(buf, NAME));
const pdb = new PdbFile(new BufferSource(buf, NAME));
const bs = msf.superBlock.blockSize;

/** Overwrite bytes at a stream offset (split over the blocks it spans). */
function inStream(stream: number, offset: number, bytes: number[]): Mutation {
  const parts: Mutation[] = [];
  let done = 0;
  for (const [from, to] of blockRanges(msf.streamBlocks(stream), bs, offset, offset + bytes.length)) {
    parts.push({ kind: 'set', at: from, bytes: bytes.slice(done, done + (to - from)) });
    done += to - from;
  }
  return { kind: 'all', parts };
}
const all = (...parts: Mutation[]): Mutation => ({ kind: 'all', parts });
const u32At = (stream: number, offset: number) => {
  const d = msf.stream(stream);
  return (d[offset] | (d[offset + 1] << 8) | (d[offset + 2] << 16)) + d[offset + 3] * 0x1000000;
};

/** Records of a symbol stream: [kind, stream offset, reclen]. */
function records(which: 'global' | number): { stream: number; recs: [number, number, number][] } {
  const recs: [number, number, number][] = [];
  if (which === 'global') {
    pdb.symbolRecords().forEach((k, o, r) => recs.push([k, o, r]));
    return { stream: pdb.dbi!.symRecordStream, recs };
  }
  pdb.moduleSymbols(which)!.symbols.forEach((k, o, r) => recs.push([k, o, r]));
  return { stream: pdb.modules()[which].symStream, recs };
}

const mod0 = records(0);
const globals = records('global');

/** An S_TRAMPOLINE written over module 0's first S_LDATA32 (24 bytes: room for the 18 it needs). */
function trampoline(thunkOff: number, targetOff: number, targetSect = 1): { at: number; mutation: Mutation } {
  const [, at] = mod0.recs.find(([k, , r]) => k === S.LDATA32 && r >= 18)!;
  const body = [...le16(S.TRAMPOLINE), ...le16(0), ...le16(16), ...le32(thunkOff), ...le32(targetOff), ...le16(1), ...le16(targetSect)];
  return { at, mutation: inStream(mod0.stream, at + 2, body) };
}

const infoHashAt = 32 + u32At(STREAM_PDB, 28); // u32 size, u32 capacity of the named stream map

const cases: (Case & { expect: 'rejected-at-open' | 'any' })[] = [
  {
    id: 'info.named-map-size-and-capacity-2^31',
    expect: 'any',
    mutation: all(inStream(STREAM_PDB, infoHashAt, le32(0x7fffffff)), inStream(STREAM_PDB, infoHashAt + 4, le32(0x7fffffff))),
  },
  { id: 'info.named-map-capacity-2^32-1', expect: 'any', mutation: inStream(STREAM_PDB, infoHashAt + 4, le32(0xffffffff)) },
  {
    id: 'trampoline-targets-itself',
    expect: 'any',
    mutation: trampoline(0x1c0, 0x1c0).mutation,
  },
  {
    // Two trampolines, each the other's target.
    id: 'trampolines-target-each-other',
    expect: 'any',
    mutation: (() => {
      const a = trampoline(0x1c0, 0x1c8).mutation;
      const second = mod0.recs.filter(([k, , r]) => k === S.LDATA32 && r >= 18)[1];
      const body = [...le16(S.TRAMPOLINE), ...le16(0), ...le16(8), ...le32(0x1c8), ...le32(0x1c0), ...le16(1), ...le16(1)];
      return all(a, inStream(mod0.stream, second[1] + 2, body));
    })(),
  },
  {
    // The directory claims 1024 blocks, all the same block: a 4 MB directory from one 4 KB block.
    id: 'directory-one-block-repeated',
    expect: 'rejected-at-open',
    mutation: all(
      { kind: 'set', at: 44, bytes: le32(1024 * bs) },
      { kind: 'set', at: msf.superBlock.blockMapAddr * bs, bytes: Array.from({ length: 1024 }, () => le32(msf.directoryBlocks[0])).flat() },
    ),
  },
  {
    // Two streams sharing a block: the DBI stream's first block given to the publics stream too.
    id: 'streams-share-a-block',
    expect: 'rejected-at-open',
    mutation: (() => {
      const s = pdb.dbi!.publicStreamIndex;
      let at = 4 + 4 * msf.streamCount;
      for (let i = 0; i < s; i++) at += 4 * msf.streamBlocks(i).length;
      const [[from]] = blockRanges(msf.directoryBlocks, bs, at, at + 4);
      return { kind: 'set', at: from, bytes: le32(msf.streamBlocks(3)[0]) };
    })(),
  },
  // S_PROCREF / S_LPROCREF pointing at modules that do not exist, and at offsets outside the module stream.
  ...[0, 0xffff, pdb.modules().length + 1].map((m) => ({
    id: `procref-module-${m}`,
    expect: 'any' as const,
    mutation: all(...globals.recs.filter(([k]) => k === S.PROCREF || k === S.LPROCREF).map(([, o]) => inStream(globals.stream, o + 4 + 8, le16(m)))),
  })),
  ...[0, 2, 0xfffffff0].map((off) => ({
    id: `procref-offset-${off.toString(16)}`,
    expect: 'any' as const,
    mutation: all(...globals.recs.filter(([k]) => k === S.PROCREF || k === S.LPROCREF).map(([, o]) => inStream(globals.stream, o + 4 + 4, le32(off)))),
  })),
  // Section indices out of range in every public, global and procedure.
  ...[0, 0xffff, 100].map((sect) => ({
    id: `sections-${sect}`,
    expect: 'any' as const,
    mutation: all(
      ...globals.recs.filter(([k]) => k === S.PUB32 || k === S.GDATA32 || k === S.LDATA32).map(([, o]) => inStream(globals.stream, o + 4 + 8, le16(sect))),
      ...mod0.recs.filter(([k]) => k === S.GPROC32 || k === S.LPROC32).map(([, o]) => inStream(mod0.stream, o + 4 + 32, le16(sect))),
    ),
  })),
  // Record lengths below the minimum (0 and 1) and running past the end, first and last record.
  ...[0, 1, 0xffff].flatMap((len) => [
    { id: `module-reclen-${len}-first`, expect: 'any' as const, mutation: inStream(mod0.stream, mod0.recs[0][1], le16(len)) },
    { id: `module-reclen-${len}-last`, expect: 'any' as const, mutation: inStream(mod0.stream, mod0.recs[mod0.recs.length - 1][1], le16(len)) },
    { id: `global-reclen-${len}-first`, expect: 'any' as const, mutation: inStream(globals.stream, globals.recs[0][1], le16(len)) },
    { id: `global-reclen-${len}-last`, expect: 'any' as const, mutation: inStream(globals.stream, globals.recs[globals.recs.length - 1][1], le16(len)) },
  ]),
  // Procedures whose parent/end/next point at themselves, at 0 and past the stream.
  ...[0, 'self', 0xffffffff].map((v) => ({
    id: `proc-links-${v}`,
    expect: 'any' as const,
    mutation: all(
      ...mod0.recs
        .filter(([k]) => k === S.GPROC32 || k === S.LPROC32)
        .map(([, o]) => inStream(mod0.stream, o + 4, [...le32(v === 'self' ? o : (v as number)), ...le32(v === 'self' ? o : (v as number)), ...le32(v === 'self' ? o : (v as number))])),
    ),
  })),
  // Every procedure made huge (code length 2^32-1) or every one at the same address.
  {
    id: 'proc-lengths-max',
    expect: 'any',
    mutation: all(...mod0.recs.filter(([k]) => k === S.GPROC32 || k === S.LPROC32).map(([, o]) => inStream(mod0.stream, o + 4 + 12, le32(0xffffffff)))),
  },
  {
    id: 'procs-same-address',
    expect: 'any',
    mutation: all(...mod0.recs.filter(([k]) => k === S.GPROC32 || k === S.LPROC32).map(([, o]) => inStream(mod0.stream, o + 4 + 28, [...le32(0x10), ...le16(1)]))),
  },
  // Public names replaced by seeded garbage behind a '?' (the undecorator sees them).
  ...[1, 2, 3].map((seed) => {
    const r = rng(seed);
    return {
      id: `public-names-garbage-${seed}`,
      expect: 'any' as const,
      mutation: all(
        ...globals.recs
          .filter(([k]) => k === S.PUB32)
          .map(([, o, reclen]) => {
            const n = reclen - 2 - 10 - 1; // name bytes before the NUL / padding
            const name = Array.from({ length: Math.max(0, n) }, (_, i) => (i === 0 ? 0x3f : '?@$0123ABCPQVXYZ_'.charCodeAt(Math.floor(r() * 17))));
            return inStream(globals.stream, o + 4 + 10, name);
          }),
      ),
    };
  }),
];

let pool: CasePool;
beforeAll(() => {
  pool = new CasePool(2);
});
afterAll(async () => {
  await pool?.close();
});

describe(`hostile PDBs made from ${NAME}`, () => {
  const subject = makeSubject(NAME, PDB, path.join(BIN, `${NAME}.exe`));
  test.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const res = await pool.run(await subject, [c], 2000);
    expect(res.problems).toEqual([]);
    if (c.expect === 'rejected-at-open') expect(res.rejectedSteps['new PdbFile']).toBe(1);
  });
});
