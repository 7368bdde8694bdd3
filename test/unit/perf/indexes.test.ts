/**
 * The speed work's building blocks (bench/README.md), each checked against the slower code it
 * replaced or a plain reference: symbol ids in typed arrays, ranged and uncached MSF stream
 * reads, C13 lines as flat arrays, section contributions parsed in place, and the provider's
 * indexes (code records copied, module streams and the Symbol Records stream not kept).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DbgHelpError } from '../../../lib/api/errors';
import { SymOpt, SymTag } from '../../../lib/api/constants';
import { rva } from '../../../lib/formats/binary/address';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { BufferSource } from '../../../lib/formats/binary/source';
import { readC13LineTable, readC13Lines } from '../../../lib/formats/codeview/c13-lines';
import { readPublic } from '../../../lib/formats/codeview/symbol-records';
import { readDbiHeader, readDbiLayout } from '../../../lib/formats/pdb/dbi-header';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { SectionContribs } from '../../../lib/formats/pdb/section-contribs';
import { PdbProvider } from '../../../lib/portable/pdb-provider';
import { enumeratePdb } from '../../../lib/portable/pdb-enumerate';
import { RecordIds } from '../../../lib/portable/record-ids';
import { buildDataIndex, buildGlobalIndexes as onePass, buildPublicsIndex, type ToImageRva } from '../../../lib/portable/global-index';

const buildGlobalIndexes = (pdb: PdbFile, toImage: ToImageRva) => ({ publics: buildPublicsIndex(pdb, toImage), data: buildDataIndex(pdb, toImage) });
import { corruptions, rng, truncations } from '../../helpers/mutate';
import { corpusPath, describeCorpus } from '../../helpers/corpus';
import { contribBytes } from '../../helpers/section-contribs';

const BIN = path.join(__dirname, '..', '..', 'fixtures', 'bin');
const FIXTURES = ['cppfeatures-x64.pdb', 'cppfeatures-x86.pdb', 'inline-x64.pdb', 'locals-arm64.pdb', 'types-x64.pdb'];
const open = (file: string) => new PdbFile(new BufferSource(fs.readFileSync(file), path.basename(file)));
const Q = { options: SymOpt.UNDNAME };

function failure(fn: () => unknown): DbgHelpError | 'ok' | unknown {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return e;
  }
}

describe('RecordIds', () => {
  test('numbers pairs in first-use order and maps each number back, like a Map keyed by stream * 2^32 + offset', () => {
    const ids = new RecordIds();
    const ref = new Map<number, number>();
    const r = rng(7);
    const got: number[] = [];
    const wanted: number[] = [];
    for (let i = 0; i < 20000; i++) {
      // Few streams, clustered offsets: many hash neighbours, and repeats.
      const stream = Math.floor(r() * 5) * 1000 + 11;
      const offset = Math.floor(r() * 4000) * 4;
      const key = stream * 0x100000000 + offset;
      let want = ref.get(key);
      if (want === undefined) ref.set(key, (want = ref.size));
      let n = ids.find(stream, offset);
      if (n < 0) n = ids.add(stream, offset);
      got.push(n);
      wanted.push(want);
    }
    expect(got).toEqual(wanted);
    expect(ids.size).toBe(ref.size);
    expect([...ref].map(([, n]) => ids.record(n))).toEqual([...ref].map(([key]) => ({ stream: Math.floor(key / 0x100000000), offset: key % 0x100000000 })));
    for (const bad of [-1, ref.size, 0.5, NaN]) expect(ids.record(bad)).toBeUndefined();
  });
  test('offsets and streams at the ends of the u32 range stay apart', () => {
    const ids = new RecordIds();
    const pairs = [
      [0, 0],
      [0, 0xffffffff],
      [0xffff, 0],
      [0xffff, 0xffffffff],
      [1, 0x80000000],
    ];
    pairs.forEach(([s, o], i) => expect(ids.add(s, o)).toBe(i));
    pairs.forEach(([s, o], i) => expect(ids.find(s, o)).toBe(i));
    expect(ids.find(1, 0)).toBe(-1);
  });
});

describe('MsfFile: uncached and ranged stream reads', () => {
  test('readStreamRange gives the bytes stream() holds, across block boundaries, without keeping the stream', () => {
    const pdb = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    const msf = pdb.msf;
    const r = rng(3);
    for (let s = 1; s < msf.streamCount; s++) {
      const size = msf.streamSize(s);
      if (!size) continue;
      const whole = Uint8Array.from(msf.readStream(s));
      for (let k = 0; k < 40; k++) {
        const off = Math.floor(r() * size);
        const len = Math.floor(r() * Math.min(size - off, 3 * msf.superBlock.blockSize));
        expect(Buffer.from(msf.readStreamRange(s, off, len)).equals(Buffer.from(whole.subarray(off, off + len)))).toBe(true);
      }
      expect(Buffer.from(msf.readStreamRange(s, 0, size)).equals(Buffer.from(whole))).toBe(true);
    }
    // Nothing read this way is kept: a second whole read is a new copy.
    const s = pdb.dbi!.symRecordStream;
    expect(msf.readStream(s)).not.toBe(msf.readStream(s));
    expect(msf.stream(s)).toBe(msf.stream(s));
    // ...and streamsRead lists a stream once however often it was read.
    expect(msf.streamsRead.filter((x) => x === s)).toEqual([s]);
  });
  test('readStream through a scratch buffer: the same bytes, one buffer reused (grown when a stream is bigger)', () => {
    const msf = open(path.join(BIN, 'cppfeatures-x64.pdb')).msf;
    const scratch = { buf: new Uint8Array(0) };
    // Stream 1 (the info stream) was read and kept when the PDB opened: readStream answers that copy.
    expect(msf.readStream(1, scratch)).toBe(msf.stream(1));
    const streams = Array.from({ length: msf.streamCount }, (_, i) => i).filter((i) => i !== 1 && (msf.streamSize(i) ?? 0) > 0);
    let grown = 0;
    for (const s of streams) {
      const before = scratch.buf;
      const got = msf.readStream(s, scratch);
      if (scratch.buf !== before) grown++;
      expect(got.buffer).toBe(scratch.buf.buffer);
      expect(Buffer.from(got).equals(Buffer.from(msf.readStreamRange(s, 0, msf.streamSize(s)!)))).toBe(true);
    }
    expect(grown).toBeGreaterThan(0);
    expect(grown).toBeLessThan(streams.length / 2);
    expect(scratch.buf.length).toBeGreaterThanOrEqual(Math.max(...streams.map((s) => msf.streamSize(s)!)));
  });
  test('a range past the end of a stream, or of a missing stream, is BAD_FORMAT', () => {
    const msf = open(path.join(BIN, 'cppfeatures-x64.pdb')).msf;
    const size = msf.streamSize(1)!;
    for (const [s, off, len] of [
      [1, size, 1],
      [1, 0, size + 1],
      [1, -1, 2],
      [msf.streamCount + 5, 0, 1],
    ]) {
      const e = failure(() => msf.readStreamRange(s, off, len));
      expect(e).toBeInstanceOf(DbgHelpError);
      expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
    }
  });
});

/** readC13Lines' sections flattened the way readC13LineTable lays them out. */
function flatten(c: Cursor) {
  const out = { sections: [] as number[][], entries: [] as number[][] };
  readC13Lines(c).forEach((s, k) => {
    out.sections.push([s.section, s.offset, s.length]);
    s.offsets.forEach((o, i) => out.entries.push([k, o, s.lines[i], s.files[i]]));
  });
  return out;
}
function table(c: Cursor) {
  const t = readC13LineTable(c);
  const out = { sections: [] as number[][], entries: [] as number[][] };
  for (let k = 0; k < t.sectionOffsets.length; k++) out.sections.push([t.sectionSegments[k], t.sectionOffsets[k], t.sectionLengths[k]]);
  // The flat table keeps 0xf00f00 entries (dbghelp.dll answers them as stored); readC13Lines
  // leaves them out: compared without them.
  for (let i = 0; i < t.count; i++) if (t.lines[i] !== 0xf00f00) out.entries.push([t.sections[i], t.offsets[i], t.lines[i], t.files[i]]);
  return out;
}
function c13Blocks(pdb: PdbFile): Uint8Array[] {
  const out: Uint8Array[] = [];
  pdb.modules().forEach((info, m) => {
    const ms = pdb.moduleSymbols(m);
    if (!ms || !info.c13ByteSize) return;
    const c = ms.c13Block(info.c11ByteSize, info.c13ByteSize);
    out.push(c.buf.subarray(c.start, c.end));
  });
  return out;
}
/** Same answer, or the same BAD_FORMAT message. */
function sameOutcome(bytes: Uint8Array): void {
  const a = failure(() => flatten(Cursor.of(bytes, 'c13')));
  const b = failure(() => table(Cursor.of(bytes, 'c13')));
  if (a instanceof DbgHelpError) {
    expect(b).toBeInstanceOf(DbgHelpError);
    expect((b as DbgHelpError).message).toBe(a.message);
  } else {
    expect(a).not.toBeInstanceOf(Error);
    expect(table(Cursor.of(bytes, 'c13'))).toEqual(flatten(Cursor.of(bytes, 'c13')));
  }
}

describe('readC13LineTable', () => {
  test.each(FIXTURES)('%s: every module reads as readC13Lines reads it', (f) => {
    const blocks = c13Blocks(open(path.join(BIN, f)));
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) sameOutcome(b);
  });
  test('truncated and corrupted blocks fail (or not) exactly as readC13Lines does', () => {
    const blocks = c13Blocks(open(path.join(BIN, 'inline-x64.pdb')));
    const biggest = blocks.reduce((a, b) => (b.length > a.length ? b : a));
    for (const t of truncations(biggest, 16)) sameOutcome(t);
    for (const c of corruptions(biggest, 300, 3, 11)) sameOutcome(c);
  });
});

/** The section contribution reader before it was rewritten: rows, then a stable sort. */
function referenceContribs(c: Cursor): number[][] {
  c.u32();
  const rows: number[][] = [];
  while (c.remaining >= 28) {
    const r = c.take(28);
    const section = r.u16();
    r.u16();
    const offset = r.u32();
    const size = r.i32();
    r.u32();
    const module = r.u16();
    if (size > 0) rows.push([section, offset, size, module]);
  }
  return rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}
function contribSubstream(pdb: PdbFile): Cursor {
  const c = readDbiHeader(pdb.msf.cursor(3, 'DBI')).substreams.sectionContributions;
  return new Cursor(c.buf, c.origin, c.start, c.end, c.base);
}
const rowsOf = (sc: SectionContribs) => Array.from({ length: sc.length }, (_, i) => [sc.sections[i], sc.offsets[i], sc.sizes[i], sc.modules[i]]);

describe('SectionContribs.read', () => {
  test('out-of-order entries are sorted by section:offset, ties in substream order; empty and negative sizes dropped', () => {
    const r = rng(5);
    const rows: number[][] = [];
    for (let i = 0; i < 3000; i++) rows.push([1 + Math.floor(r() * 3), Math.floor(r() * 500) * 16, Math.floor(r() * 40) - 5, i & 0xffff]);
    const want = referenceContribs(Cursor.of(contribBytes(rows), 'sc'));
    // Records 4-aligned in memory are read as u32 words, others byte by byte: both, alike,
    // for SC (28-byte) and SC2 (32-byte) records.
    for (const bytes of [contribBytes(rows), contribBytes(rows, true)]) {
      for (const shift of [0, 1, 2, 3, 4]) {
        const copy = new Uint8Array(new ArrayBuffer(bytes.length + 8), shift, bytes.length);
        copy.set(bytes);
        expect(rowsOf(SectionContribs.read(Cursor.of(copy, 'sc')))).toEqual(want);
      }
    }
    // Already in order: the same arrays, no sort needed.
    const sorted = want;
    expect(rowsOf(SectionContribs.read(Cursor.of(contribBytes(sorted), 'sc')))).toEqual(sorted);
  });
  test.each(FIXTURES)('%s: the same contributions as the reference reader', (f) => {
    const pdb = open(path.join(BIN, f));
    expect(pdb.sectionContribs().length).toBeGreaterThan(0);
    expect(rowsOf(pdb.sectionContribs())).toEqual(referenceContribs(contribSubstream(pdb)));
  });
});

describe('DBI layout: a PDB opens with the 64-byte header only', () => {
  test.each(FIXTURES)('%s: the same substream windows as readDbiHeader; opening reads no substream', (f) => {
    const bytes = fs.readFileSync(path.join(BIN, f));
    const src = new BufferSource(bytes, f);
    const pdb = new PdbFile(src);
    const dbi = pdb.msf.streamSize(3)!;
    expect(pdb.streamsRead).toEqual([1, 3]);
    // Superblock, directory and its block map, the info stream, 64 bytes of DBI.
    expect(src.bytesRead).toBeLessThan(3 * pdb.msf.superBlock.blockSize + pdb.msf.streamSize(1)! + 64 + 1);
    expect(dbi).toBeGreaterThan(64);
    const whole = readDbiHeader(pdb.msf.cursor(3, 'DBI'));
    const { header, layout } = readDbiLayout(Cursor.of(pdb.msf.readStreamRange(3, 0, 64), 'DBI'), dbi);
    expect(header).toEqual(whole.header);
    for (const [k, r] of Object.entries(layout)) {
      const w = whole.substreams[k as keyof typeof whole.substreams];
      expect([r.offset, r.offset + r.size]).toEqual([w.start, w.end]);
    }
  });
  test('substream sizes that do not fit fail as readDbiHeader fails, at open', () => {
    const dbi = Uint8Array.from(open(path.join(BIN, 'cppfeatures-x64.pdb')).msf.stream(3));
    const r = rng(9);
    let failures = 0;
    for (let k = 0; k < 400; k++) {
      const d = Uint8Array.from(dbi);
      // The seven size fields (24..43, 48..55) and a cut short stream.
      const at = [24, 28, 32, 36, 40, 48, 52][Math.floor(r() * 7)] + Math.floor(r() * 4);
      d[at] = [0xff, 0x7f, 0x80, 0x10][Math.floor(r() * 4)];
      const cut = k % 5 === 0 ? d.subarray(0, Math.floor(r() * d.length)) : d;
      const a = failure(() => readDbiHeader(Cursor.of(cut, 'DBI')));
      const b = failure(() => readDbiLayout(Cursor.of(cut.subarray(0, Math.min(64, cut.length)), 'DBI'), cut.length));
      if (a instanceof DbgHelpError) {
        failures++;
        expect(b).toBeInstanceOf(DbgHelpError);
        expect((b as DbgHelpError).message).toBe(a.message);
      } else expect(b).not.toBeInstanceOf(Error);
    }
    expect(failures).toBeGreaterThan(100);
  });
});

describe('PdbProvider indexes', () => {
  test.each(FIXTURES)('%s: every code symbol decoded from its copy equals the module stream record; no module stream is kept', (f) => {
    const pdb = open(path.join(BIN, f));
    const reference = open(path.join(BIN, f));
    const p = new PdbProvider(pdb, undefined, pdb.machine);
    const q = new PdbProvider(reference, undefined, reference.machine);
    let n = 0;
    let total = 0;
    pdb.modules().forEach((_, m) => {
      const ms = reference.moduleSymbols(m);
      for (const { section, offset, record } of ms?.codeRanges() ?? []) {
        const at = p.sectionOffsetToPdbRva(section, offset);
        if (at === undefined) continue;
        total++;
        // Some code is contributed by another module (import thunks by `* Linker *`): skipped.
        const hit = p.procAt(at, Q);
        if (!hit) continue;
        // The first record in the stream at an address answers: compare it with that record
        // decoded from the module stream (ids are numbered per provider, so left out).
        if (p.idRecord(hit!.symbol.index)?.offset !== record) continue;
        expect({ ...hit!.symbol, index: 0 }).toEqual({ ...q.moduleSymbol(m, record, Q), index: 0 });
        n++;
      }
    });
    expect(n).toBeGreaterThan(total / 2);
    const moduleStreams = new Set(pdb.modules().map((m) => m.symStream));
    // MsfFile keeps what stream() read; module streams went through readStream only.
    for (const s of moduleStreams) expect((pdb.msf as unknown as { cache: Map<number, Uint8Array> }).cache.has(s)).toBe(false);
    expect(pdb.streamsRead.some((s) => moduleStreams.has(s))).toBe(true);
  });
  test('enumerating every symbol reads each module stream for its turn and keeps none of them', () => {
    const pdb = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    const p = new PdbProvider(pdb, undefined, pdb.machine);
    const listed = [...enumeratePdb(p, Q)];
    expect(listed.filter((s) => s.tag === SymTag.Function).length).toBeGreaterThan(30);
    const moduleStreams = new Set(pdb.modules().map((m) => m.symStream));
    for (const s of moduleStreams) expect((pdb.msf as unknown as { cache: Map<number, Uint8Array> }).cache.has(s)).toBe(false);
    expect(pdb.streamsRead.filter((s) => moduleStreams.has(s)).length).toBeGreaterThan(1);
    // Listed again, the same symbols (the streams are read again).
    expect([...enumeratePdb(p, Q)]).toEqual(listed);
  });
  test('ids agree whichever path reaches a record (code index, module stream), in either order', () => {
    const pdb = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    const p = new PdbProvider(pdb, undefined, pdb.machine);
    let n = 0;
    pdb.modules().forEach((info, m) => {
      let k = 0;
      for (const { section, offset, record } of pdb.moduleSymbols(m)?.codeRanges() ?? []) {
        const at = p.sectionOffsetToPdbRva(section, offset);
        if (at === undefined) continue;
        // Every other record is first numbered through the module stream.
        const first = k++ % 2 ? p.moduleSymbol(m, record, Q)?.index : undefined;
        const viaIndex = p.procAt(at, Q)?.symbol;
        if (!viaIndex) continue;
        const back = p.idRecord(viaIndex.index)!;
        expect(back.stream).toBe(info.symStream);
        if (back.offset !== record) continue;
        if (first !== undefined) expect(viaIndex.index).toBe(first);
        expect(p.moduleSymbol(m, record, Q)!.index).toBe(viaIndex.index);
        expect(p.id(info.symStream, record)).toBe(viaIndex.index);
        n++;
      }
    });
    expect(n).toBeGreaterThan(10);
  });
  test.each([
    ['big (read record by record)', 0],
    ['small (kept)', undefined],
  ])('publics when the Symbol Records stream is %s: the answers it gives when kept', (_, limit) => {
    const pdb = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    if (limit !== undefined) pdb.keepSymbolRecordsUpTo = limit;
    const reference = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    const p = new PdbProvider(pdb, undefined, pdb.machine);
    const q = new PdbProvider(reference, undefined, reference.machine);
    reference.symbolRecords(); // the reference reads every record from the kept stream
    const cache = (pdb.msf as unknown as { cache: Map<number, Uint8Array> }).cache;
    let hits = 0;
    for (let a = 0x1000; a < 0x6000; a += 7) {
      const got = p.publicAt(rva(a), Q);
      const want = q.publicAt(rva(a), Q);
      expect(got).toEqual(want);
      if (got) hits++;
    }
    expect(hits).toBeGreaterThan(100);
    expect(cache.has(pdb.dbi!.symRecordStream)).toBe(limit === undefined);
  });
  test('a public whose record is cut short by the end of the stream is BAD_FORMAT from the ranged read', () => {
    const pdb = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    pdb.keepSymbolRecordsUpTo = 0;
    const s = pdb.dbi!.symRecordStream;
    const size = pdb.msf.streamSize(s)!;
    const e = failure(() => pdb.symbolRecordAt(size - 2, 64));
    expect(e).toBeInstanceOf(DbgHelpError);
    expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
  });
  test.each([16, 64, 100, 4096])('the Symbol Records stream read in %i-byte pieces holds every record once, in order', (chunk) => {
    const pdb = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    pdb.keepSymbolRecordsUpTo = 0;
    const reference = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    const want: number[][] = [];
    reference.symbolRecords().forEach((k, o, r) => want.push([k, o, r]));
    const got: number[][] = [];
    let pieces = 0;
    pdb.forEachSymbolRecordPiece((piece) => {
      pieces++;
      piece.forEach((k, o, r) => got.push([k, o, r]));
    }, chunk);
    expect(got).toEqual(want);
    expect(pieces).toBeGreaterThan(chunk < 4096 ? 10 : 0);
    // Not kept: the pass read through its own buffer.
    expect((pdb.msf as unknown as { cache: Map<number, Uint8Array> }).cache.has(pdb.dbi!.symRecordStream)).toBe(false);
  });
  test('publics and global data indexed from pieces equal those of the kept stream; damage ends the pass, a listed public past it is BAD_FORMAT', () => {
    const toImage = (section: number, offset: number) => (section > 0 ? section * 0x100000 + offset : undefined);
    const pdb = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    pdb.keepSymbolRecordsUpTo = 0;
    const reference = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    reference.symbolRecords();
    const want = buildGlobalIndexes(reference, toImage);
    expect(want.publics.rvas.length).toBeGreaterThan(50);
    expect(buildGlobalIndexes(pdb, toImage)).toEqual(want);
    // A record cut in the middle of the stream: the pass stops there; the publics after it are
    // read on their own, and the first broken one is BAD_FORMAT.
    const s = reference.dbi!.symRecordStream;
    const bytes = new Uint8Array(reference.msf.stream(s));
    const middle = want.publics.records[Math.floor(want.publics.records.length / 2)];
    bytes[middle] = 0xff;
    bytes[middle + 1] = 0xff;
    const broken = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    broken.keepSymbolRecordsUpTo = 0;
    (broken.msf as unknown as { cache: Map<number, Uint8Array> }).cache.set(s, bytes);
    const e = failure(() => buildGlobalIndexes(broken, toImage));
    expect(e).toBeInstanceOf(DbgHelpError);
    expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
  });
  test.each(['cppfeatures-x64.pdb', 'cppfeatures-x86.pdb', 'types-x64.pdb', 'exports-x86.pdb'])(
    '%s: both indexes from one pass equal each from its own, kept or in pieces, intact or damaged',
    (file) => {
      const toImage = (section: number, offset: number) => (section > 0 ? section * 0x100000 + offset : undefined);
      for (const keep of [true, false]) {
        const pdb = open(path.join(BIN, file));
        if (!keep) pdb.keepSymbolRecordsUpTo = 0;
        const want = buildGlobalIndexes(pdb, toImage);
        expect(want.data.rvas.length + want.publics.rvas.length).toBeGreaterThan(10);
        expect(onePass(pdb, toImage)).toEqual(want);
      }
      // Damaged a third of the way in: the same indexes, or the same error, both ways.
      const reference = open(path.join(BIN, file));
      const s = reference.dbi!.symRecordStream;
      const bytes = new Uint8Array(reference.msf.stream(s));
      const third = reference.symbolRecords();
      let at = -1;
      third.forEach((_kind, offset) => {
        if (at < 0 && offset > bytes.length / 3) at = offset;
      });
      bytes[at] = 0xff;
      bytes[at + 1] = 0xff;
      const damaged = () => {
        const d = open(path.join(BIN, file));
        d.keepSymbolRecordsUpTo = 0;
        (d.msf as unknown as { cache: Map<number, Uint8Array> }).cache.set(s, bytes);
        return d;
      };
      const outcome = (f: () => unknown) => {
        try {
          return f();
        } catch (e) {
          return (e as Error).message;
        }
      };
      expect(outcome(() => onePass(damaged(), toImage))).toEqual(outcome(() => buildGlobalIndexes(damaged(), toImage)));
    },
  );
  test('a record read on its own without its size (the pass stopped before it) is read whole', () => {
    const pdb = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    pdb.keepSymbolRecordsUpTo = 0;
    const reference = open(path.join(BIN, 'cppfeatures-x64.pdb'));
    let longest = -1;
    let longestSize = 0;
    reference.symbolRecords().forEach((kind, offset, reclen) => {
      if (kind === 0x110e && reclen > longestSize) [longest, longestSize] = [offset, reclen];
    });
    expect(longestSize).toBeGreaterThan(40);
    const got = pdb.symbolRecordAt(longest);
    const want = reference.symbolRecords().recordAt(longest);
    expect(got.kind).toBe(want.kind);
    expect(readPublic(got.data).name).toBe(readPublic(want.data).name);
    // Past the end of the stream: BAD_FORMAT, as with a size.
    const size = pdb.msf.streamSize(pdb.dbi!.symRecordStream)!;
    expect(failure(() => pdb.symbolRecordAt(size + 8))).toBeInstanceOf(DbgHelpError);
  });
});

/** Every record of `pdb`'s Symbol Records read on its own without a size, against the kept stream; the reads each took. */
function recordsOneByOne(file: string): { n: number; long: number } {
  const pdb = open(file);
  pdb.keepSymbolRecordsUpTo = 0;
  const reference = open(file).symbolRecords();
  const msf = pdb.msf as unknown as { readStreamRange: (s: number, o: number, l: number) => Uint8Array };
  const real = msf.readStreamRange.bind(msf);
  let reads = 0;
  msf.readStreamRange = (s, o, l) => (reads++, real(s, o, l));
  let n = 0;
  let long = 0;
  reference.forEach((kind, offset, reclen) => {
    reads = 0;
    const got = pdb.symbolRecordAt(offset);
    const want = reference.recordAt(offset);
    expect([got.kind, Array.from(got.data.buf.subarray(got.data.start, got.data.end)), got.data.offset]).toEqual([
      kind,
      Array.from(want.data.buf.subarray(want.data.start, want.data.end)),
      want.data.offset,
    ]);
    // One read (the header and a guess of 256 bytes) for a short record, a second for a long one.
    expect([offset, reads]).toEqual([offset, reclen + 2 <= 256 ? 1 : 2]);
    n++;
    if (reclen + 2 > 256) long++;
  });
  return { n, long };
}

test('every record read on its own without its size: the same bytes, in one read when it is short', () => {
  for (const f of ['cppfeatures-x64.pdb', 'cppfeatures-x86.pdb']) expect(recordsOneByOne(path.join(BIN, f)).n).toBeGreaterThan(50);
});

describeCorpus('corpus: symbol records read one by one', () => {
  test('basic32.pdb (115 records over 256 bytes): every record as the kept stream has it', () => {
    const { n, long } = recordsOneByOne(corpusPath('derived/mozilla_dump_syms/test_data/windows/basic32.pdb'));
    expect(n).toBeGreaterThan(8000);
    expect(long).toBeGreaterThan(100);
  });
});

describeCorpus('corpus: flat line tables and section contributions', () => {
  test('MSVC PDBs: readC13LineTable reads every module as readC13Lines does; contributions as the reference reader', () => {
    for (const rel of ['mstange_samply/fixtures/win64-ci/softokn3.pdb', 'derived/mozilla_dump_syms/test_data/windows/basic32.pdb']) {
      const file = corpusPath(rel);
      if (!fs.existsSync(file)) continue;
      const pdb = PdbFile.open(file);
      try {
        for (const b of c13Blocks(pdb)) sameOutcome(b);
        expect(pdb.sectionContribs().length).toBeGreaterThan(0);
        expect(rowsOf(pdb.sectionContribs())).toEqual(referenceContribs(contribSubstream(pdb)));
      } finally {
        pdb.close();
      }
    }
  });
});
