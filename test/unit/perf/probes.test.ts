/**
 * The cold lookup's in-place searches (bench/README.md "Cold lookup"): section contributions
 * probed in the substream (SectionContribProbe), the publics stream's address map read entry by
 * entry (PublicsAddressMap) and binary searched with the records it names (PublicsProbe). Each
 * answers as the whole table does, finds out-of-order input and lets the whole table answer,
 * and fails on truncated or damaged bytes with BAD_FORMAT and the offset.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DbgHelpError } from '../../../lib/api/errors';
import { SymOpt } from '../../../lib/api/constants';
import { rva } from '../../../lib/formats/binary/address';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { BufferSource } from '../../../lib/formats/binary/source';
import { S } from '../../../lib/formats/codeview/symbol-kinds';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { PublicsAddressMap, readPublicsStream } from '../../../lib/formats/pdb/publics-stream';
import { SectionContribProbe, SectionContribs } from '../../../lib/formats/pdb/section-contribs';
import { PdbProvider } from '../../../lib/portable/pdb-provider';
import { PublicsProbe } from '../../../lib/portable/publics-index';
import { corruptions, rng, truncations, withU32 } from '../../helpers/mutate';
import { contribBytes } from '../../helpers/section-contribs';

const BIN = path.join(__dirname, '..', '..', 'fixtures', 'bin');
const FIXTURES = ['cppfeatures-x64.pdb', 'cppfeatures-x86.pdb', 'inline-x64.pdb', 'locals-arm64.pdb', 'types-x64.pdb'];
const open = (file: string) => new PdbFile(new BufferSource(fs.readFileSync(path.join(BIN, file)), file));
const Q = { options: SymOpt.UNDNAME };

function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof DbgHelpError)) throw e;
    return { code: e.code, message: e.message };
  }
}
function badFormatAt(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DbgHelpError);
    expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
    return (e as DbgHelpError).offset!;
  }
  throw new Error('no BAD_FORMAT');
}
/** A reader over `bytes` as a substream or stream starting at `base` of its origin. */
const readerOf =
  (bytes: Uint8Array, base = 0, origin = 'sc') =>
  (at: number, n: number) =>
    new Cursor(bytes, origin, Math.min(at, bytes.length), Math.min(at + n, bytes.length), base).take(n, 'probe');
/** The DBI stream's or another stream's bytes replaced in a PdbFile (as if read from the file). */
function setStream(pdb: PdbFile, s: number, bytes: Uint8Array): void {
  (pdb.msf as unknown as { cache: Map<number, Uint8Array> }).cache.set(s, bytes);
}

/** Sorted rows with ties, empty and negative sizes, gaps; and queries around each. */
function sortedRows(seed: number, n: number): { rows: number[][]; queries: number[][] } {
  const r = rng(seed);
  const rows: number[][] = [];
  let section = 1;
  let offset = 0;
  for (let i = 0; i < n; i++) {
    if (r() < 0.01) [section, offset] = [section + 1, 0];
    offset += r() < 0.1 ? 0 : Math.floor(r() * 64);
    rows.push([section, offset, Math.floor(r() * 80) - 8, i & 0xffff]);
  }
  const queries: number[][] = [
    [0, 0],
    [section + 1, 0],
    [1, 0xffffffff],
  ];
  for (const [s, o, z] of rows) queries.push([s, o], [s, o + Math.max(0, z - 1)], [s, o + Math.max(0, z)], [s, Math.max(0, o - 1)]);
  return { rows, queries };
}

describe('SectionContribs.readPieces', () => {
  const readIntoOf = (bytes: Uint8Array) => (at: number, n: number, into: Uint8Array) => {
    into.set(bytes.subarray(at, at + n));
    return into.subarray(0, n);
  };
  const tableOf = (t: SectionContribs) => [[...t.sections], [...t.offsets], [...t.sizes], [...t.modules]];
  test.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('over more than one 1 MiB piece, the table read() makes (SC2: %s, reversed: %s)', (v2, reversed) => {
    // 80,000 entries: three pieces of SC (28 bytes) or SC2 (32 bytes) entries, plus a part entry.
    const { rows } = sortedRows(5, 80_000);
    const bytes = contribBytes(reversed ? rows.reverse() : rows, v2);
    const withTail = Uint8Array.from([...bytes, 1, 2, 3]);
    const whole = SectionContribs.read(Cursor.of(withTail, 'sc'));
    const pieces = SectionContribs.readPieces(withTail.length, readIntoOf(withTail), readerOf(withTail));
    expect(pieces.length).toBeGreaterThan(70_000);
    expect(tableOf(pieces)).toEqual(tableOf(whole));
  });
  test('an empty substream is an empty table; a short or unknown version word fails as read() does', () => {
    expect(SectionContribs.readPieces(0, readIntoOf(new Uint8Array(0)), readerOf(new Uint8Array(0))).length).toBe(0);
    for (const bytes of [Uint8Array.from([1, 2]), Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])]) {
      const a = outcome(() => SectionContribs.read(Cursor.of(bytes, 'sc')));
      const b = outcome(() => SectionContribs.readPieces(bytes.length, readIntoOf(bytes), readerOf(bytes)));
      expect(a).toHaveProperty('code', 'BAD_FORMAT');
      expect(b).toEqual(a);
    }
  });
});

describe('SectionContribProbe', () => {
  test.each([false, true])('answers as the parsed table on sorted contributions (SC2: %s), ties and empty ones included', (v2) => {
    const { rows, queries } = sortedRows(3, 2500);
    const bytes = contribBytes(rows, v2);
    const table = SectionContribs.read(Cursor.of(bytes, 'sc'));
    const probe = SectionContribProbe.open(readerOf(bytes), bytes.length);
    expect(probe.length).toBe(rows.length);
    let some = 0;
    for (const [s, o] of queries) {
      const want = table.moduleAt(s, o);
      expect([s, o, probe.moduleAt(s, o)]).toEqual([s, o, want]);
      if (want >= 0) some++;
    }
    expect(some).toBeGreaterThan(1000);
  });
  test('an empty substream answers -1; a reversed one is found out of order (undefined)', () => {
    expect(SectionContribProbe.open(readerOf(new Uint8Array(0)), 0).moduleAt(1, 0)).toBe(-1);
    const { rows, queries } = sortedRows(4, 500);
    const bytes = contribBytes(rows.reverse());
    const probe = SectionContribProbe.open(readerOf(bytes), bytes.length);
    for (const [s, o] of queries.slice(3, 200)) expect(probe.moduleAt(s, o)).toBeUndefined();
  });
  test('the provider falls back to the parsed table when the probe finds the substream out of order', () => {
    for (const f of FIXTURES) {
      const make = (limit: number) => {
        const pdb = open(f);
        const dbi = Uint8Array.from(pdb.msf.stream(3));
        // Reverse the contribution entries in place (the parsed table sorts them back).
        const { offset, size } = (pdb as unknown as { sub: { sectionContributions: { offset: number; size: number } } }).sub.sectionContributions;
        const rec = new DataView(dbi.buffer).getUint32(offset, true) === 0xeffe0000 + 20140516 ? 32 : 28;
        const n = Math.floor((size - 4) / rec);
        const copy = dbi.slice(offset + 4, offset + 4 + n * rec);
        for (let i = 0; i < n; i++) dbi.set(copy.subarray((n - 1 - i) * rec, (n - i) * rec), offset + 4 + i * rec);
        setStream(pdb, 3, dbi);
        const p = new PdbProvider(pdb, undefined, pdb.machine);
        p.probedLookups = limit;
        return { pdb, p };
      };
      const probed = make(Infinity);
      const whole = make(0);
      const sc = whole.pdb.sectionContribs();
      let hits = 0;
      for (let i = 0; i < sc.length; i++) {
        const at = whole.p.sectionOffsetToPdbRva(sc.sections[i], sc.offsets[i]);
        if (at === undefined) continue;
        const got = probed.p.codeRecordAt(at);
        expect(got).toEqual(whole.p.codeRecordAt(at));
        if (got && got.mod >= 0) hits++;
      }
      expect(hits).toBeGreaterThan(0);
    }
  });
  test('truncated and corrupted substreams: BAD_FORMAT with the offset, never another error', () => {
    const { rows, queries } = sortedRows(5, 400);
    const bytes = contribBytes(rows, true);
    // A substream shorter than its stated size: the probe reading past the end fails there.
    for (const cut of truncations(bytes, 97)) {
      const r = outcome(() => {
        const probe = SectionContribProbe.open(readerOf(cut, 0x100), bytes.length);
        return queries.map(([s, o]) => probe.moduleAt(s, o));
      });
      if (!Array.isArray(r)) expect(r).toMatchObject({ code: 'BAD_FORMAT', message: expect.stringMatching(/at offset 0x[0-9a-f]+$/) });
    }
    expect(badFormatAt(() => SectionContribProbe.open(readerOf(bytes.subarray(0, 200), 0x100), bytes.length).moduleAt(0xffff, 0))).toBeGreaterThanOrEqual(0x100 + 200);
    // An unknown version: as SectionContribs.read says it, at the version word.
    const bad = withU32(bytes, 0, 0x12345678);
    const want = outcome(() => SectionContribs.read(Cursor.of(bad, 'sc', 0x100)));
    expect(outcome(() => SectionContribProbe.open(readerOf(bad, 0x100), bad.length))).toEqual(want);
    expect(badFormatAt(() => SectionContribProbe.open(readerOf(bad, 0x100), bad.length))).toBe(0x100);
    // Damaged entries: an answer or undefined, never a throw (every read is inside the substream).
    for (const c of corruptions(bytes, 30, 40, 11, 4)) {
      const probe = SectionContribProbe.open(readerOf(c), c.length);
      for (const [s, o] of queries.slice(0, 300)) {
        const m = probe.moduleAt(s, o);
        expect(m === undefined || (Number.isInteger(m) && m >= -1)).toBe(true);
      }
    }
  });
  test.each(FIXTURES)('%s: a truncated PDB file fails the probe with BAD_FORMAT, or it answers as the table', (f) => {
    const file = fs.readFileSync(path.join(BIN, f));
    const full = open(f).sectionContribs();
    for (const cut of truncations(file, 4096)) {
      const r = outcome(() => {
        const pdb = new PdbFile(new BufferSource(cut, f));
        const probe = pdb.sectionContribProbe();
        return Array.from({ length: full.length }, (_, i) => probe.moduleAt(full.sections[i], full.offsets[i]));
      });
      if (Array.isArray(r)) expect(r).toEqual(Array.from({ length: full.length }, (_, i) => full.modules[i]));
      else expect(r).toMatchObject({ code: 'BAD_FORMAT' });
    }
  });
});

describe('PublicsAddressMap', () => {
  test.each(FIXTURES)('%s: every entry as readPublicsStream reads it, by page and whole', (f) => {
    const pdb = open(f);
    const want = pdb.publics()!.addressMap;
    const map = pdb.publicsAddressMap()!;
    expect(map.length).toBe(want.length);
    expect(map.all()).toEqual(want);
    for (let i = want.length - 1; i >= 0; i--) expect(map.at(i)).toBe(want[i]);
    // Bytes at any alignment in memory (whole maps are copied as words when 4-aligned).
    const bytes = pdb.msf.stream(pdb.dbi!.publicStreamIndex);
    for (const shift of [1, 2, 3, 4]) {
      const copy = new Uint8Array(new ArrayBuffer(bytes.length + 8), shift, bytes.length);
      copy.set(bytes);
      expect(PublicsAddressMap.open(readerOf(copy, 0, 'pub'), copy.length, 'pub').all()).toEqual(want);
    }
  });
  test('truncated publics streams fail as readPublicsStream fails (or read the same map); past the end is BAD_FORMAT', () => {
    const pdb = open('cppfeatures-x64.pdb');
    const bytes = pdb.msf.stream(pdb.dbi!.publicStreamIndex);
    let failed = 0;
    for (const cut of [...truncations(bytes, 16, 64), ...truncations(bytes, 401)]) {
      const want = outcome(() => readPublicsStream(Cursor.of(cut, 'pub')).addressMap);
      const got = outcome(() => PublicsAddressMap.open(readerOf(cut, 0, 'pub'), cut.length, 'pub').all());
      expect(got).toEqual(want);
      if (!(want instanceof Uint32Array)) failed++;
    }
    expect(failed).toBeGreaterThan(5);
    // Sizes in the header that do not fit: the same words.
    for (const [at, v] of [
      [0, 0x7fffffff],
      [4, 0x7fffffff],
      [4, bytes.length],
    ]) {
      const bad = withU32(bytes, at, v);
      const want = outcome(() => readPublicsStream(Cursor.of(bad, 'pub')));
      expect(want).toMatchObject({ code: 'BAD_FORMAT' });
      expect(outcome(() => PublicsAddressMap.open(readerOf(bad, 0, 'pub'), bad.length, 'pub'))).toEqual(want);
    }
    // A stream shorter than its stated size: the page read past the end fails with its offset.
    const map = PublicsAddressMap.open(readerOf(bytes.subarray(0, bytes.length - 8)), bytes.length, 'pub');
    expect(badFormatAt(() => map.at(map.length - 1))).toBeGreaterThan(0);
  });
});

describe('PublicsProbe', () => {
  const toImageOf = (pdb: PdbFile) => {
    const secs = pdb.sectionHeaders()!;
    return { secs, toImage: (s: number, o: number) => (secs[s - 1] ? secs[s - 1].virtualAddress + o : undefined) };
  };
  test.each(FIXTURES)('%s: SymFromAddr answers the same probing or from the whole index, at every public', (f) => {
    const a = new PdbProvider(open(f), undefined, open(f).machine);
    a.probedLookups = Infinity;
    const b = new PdbProvider(open(f), undefined, open(f).machine);
    b.probedLookups = 0;
    const rvas = b.publics().rvas;
    expect(rvas.length).toBeGreaterThan(3);
    for (const r of rvas) {
      for (const t of [r - 1, r, r + 3]) {
        for (const options of [Q.options, Q.options | SymOpt.PUBLICS_ONLY, 0]) {
          const got = a.fromRva(rva(t), { options });
          const want = b.fromRva(rva(t), { options });
          expect([t, got && { ...got, symbol: { ...got.symbol, index: 0 } }]).toEqual([t, want && { ...want, symbol: { ...want.symbol, index: 0 } }]);
        }
      }
    }
  });
  test('probing stops once the whole index is built, and after probedLookups lookups', () => {
    const spy = jest.spyOn(PublicsProbe.prototype, 'nearest');
    try {
      const pdb = open('cppfeatures-x64.pdb');
      const p = new PdbProvider(pdb, undefined, pdb.machine);
      p.probedLookups = 3;
      const at = (n: number) => p.fromRva(rva(0x1000 + n * 16), Q);
      at(0);
      expect(spy).toHaveBeenCalledTimes(1);
      for (let n = 1; n < 6; n++) at(n);
      expect(spy).toHaveBeenCalledTimes(3);
      const q = new PdbProvider(open('cppfeatures-x64.pdb'), undefined, pdb.machine);
      q.probedLookups = Infinity;
      q.fromRva(rva(0x1000), Q);
      expect(spy).toHaveBeenCalledTimes(4);
      expect(q.publics().rvas.length).toBeGreaterThan(0); // builds the whole publics index
      q.fromRva(rva(0x1010), Q);
      expect(spy).toHaveBeenCalledTimes(4);
    } finally {
      spy.mockRestore();
    }
  });
  test('a map entry that names no public stops probing: the whole index answers', () => {
    const pdb = open('cppfeatures-x64.pdb');
    const { secs, toImage } = toImageOf(pdb);
    let data = -1;
    pdb.symbolRecords().forEach((kind, offset) => {
      if (data < 0 && kind === S.GDATA32) data = offset;
    });
    expect(data).toBeGreaterThan(0);
    const s = pdb.dbi!.publicStreamIndex;
    const bytes = pdb.msf.stream(s);
    const map = pdb.publicsAddressMap()!;
    const mapStart = 28 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const middle = map.length >> 1;
    const make = (limit: number) => {
      const p = open('cppfeatures-x64.pdb');
      setStream(p, s, withU32(bytes, mapStart + 4 * middle, data));
      const provider = new PdbProvider(p, undefined, p.machine);
      provider.probedLookups = limit;
      return { p, provider };
    };
    const probed = make(Infinity);
    const whole = make(0);
    const probe = new PublicsProbe(probed.p, probed.p.publicsAddressMap()!, secs.length, toImage);
    const rvas = whole.provider.publics().rvas;
    const t = rvas[rvas.length >> 1];
    expect(probe.nearest(t)).toBeUndefined();
    for (const x of rvas) expect([x, probed.provider.publicAt(rva(x), Q)]).toEqual([x, whole.provider.publicAt(rva(x), Q)]);
  });
  test('a probed record that is damaged or past the end of the Symbol Records stream is BAD_FORMAT at its offset', () => {
    const pdb = open('cppfeatures-x64.pdb');
    const { secs, toImage } = toImageOf(pdb);
    const map = pdb.publicsAddressMap()!;
    // The first probe reads the middle entry.
    const first = map.at((map.length - 1) >>> 1);
    const s = pdb.dbi!.symRecordStream;
    const recs = Uint8Array.from(pdb.msf.stream(s));
    recs[first] = 0xff;
    recs[first + 1] = 0xff;
    const broken = open('cppfeatures-x64.pdb');
    broken.keepSymbolRecordsUpTo = 0;
    setStream(broken, s, recs);
    const probe = new PublicsProbe(broken, broken.publicsAddressMap()!, secs.length, toImage);
    expect(badFormatAt(() => probe.nearest(0x1000))).toBe(first);
    // A map entry past the end of the stream.
    const ps = pdb.dbi!.publicStreamIndex;
    const pub = pdb.msf.stream(ps);
    const mapStart = 28 + new DataView(pub.buffer, pub.byteOffset).getUint32(0, true);
    const past = open('cppfeatures-x64.pdb');
    past.keepSymbolRecordsUpTo = 0;
    setStream(past, ps, withU32(pub, mapStart + 4 * ((map.length - 1) >>> 1), recs.length + 16));
    const probe2 = new PublicsProbe(past, past.publicsAddressMap()!, secs.length, toImage);
    expect(badFormatAt(() => probe2.nearest(0x1000))).toBeGreaterThanOrEqual(recs.length);
  });
  test('corrupted Symbol Records bytes: an answer or BAD_FORMAT, never another error', () => {
    const pdb = open('cppfeatures-x64.pdb');
    const { secs, toImage } = toImageOf(pdb);
    const s = pdb.dbi!.symRecordStream;
    const recs = pdb.msf.stream(s);
    for (const c of corruptions(recs, 25, 60, 3)) {
      const p = open('cppfeatures-x64.pdb');
      p.keepSymbolRecordsUpTo = 0;
      setStream(p, s, c);
      const probe = new PublicsProbe(p, p.publicsAddressMap()!, secs.length, toImage);
      for (let t = 0x1000; t < 0x8000; t += 0x233) {
        const r = outcome(() => probe.nearest(t));
        if (typeof r !== 'number' && r !== undefined) expect(r).toMatchObject({ code: 'BAD_FORMAT' });
      }
    }
  });
});
