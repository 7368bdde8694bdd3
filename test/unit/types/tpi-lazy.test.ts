/**
 * A type stream's hash stream read range by range (TypeStream given a RangedStream, as PdbFile
 * gives it): a record by index reads only the index-offset buffer, a name lookup the hash
 * values too, each once, and nothing of the stream is kept. Records, definitions found by name
 * and failures must be what the whole hash stream gives, on intact, truncated and corrupted
 * hash streams. Record offsets are kept for the chunks walked only, until a scan. The IPI is read
 * chunk by chunk above KEEP_ID_STREAM (below the TPI's threshold).
 */
import { DbgHelpError, badFormat } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { KEEP_ID_STREAM, KEEP_TYPE_STREAMS, PdbFile, STREAM_IPI, STREAM_TPI } from '../../../lib/formats/pdb/pdb-file';
import { TpiStream, type RangedStream } from '../../../lib/formats/pdb/tpi-stream';
import { isTagRecord } from '../../../lib/formats/codeview/type-kinds';
import { corruptions, truncations } from '../../helpers/mutate';
import { functionIdNames, open, rechunked } from './fixture-pdb';

const FIXTURES = ['cppfeatures-x64.pdb', 'cppfeatures-x86.pdb', 'inline-x64.pdb', 'types-x64.pdb'];

/** A fixture's TPI stream and its hash stream, as bytes. */
function streams(file: string): { tpi: Uint8Array; hash: Uint8Array } {
  const pdb = open(file);
  const tpi = pdb.msf.readStream(STREAM_TPI);
  return { tpi, hash: pdb.msf.readStream(pdb.tpi()!.header.hashStreamIndex) };
}

/** A RangedStream over bytes, noting each read as [offset, length], refusing reads past the end as the MSF reader does. */
function ranged(bytes: Uint8Array, reads: [number, number][]): RangedStream {
  return {
    origin: 'test TPI hash',
    size: bytes.length,
    read: (offset, length) => {
      if (offset + length > bytes.length) throw badFormat('test TPI hash', offset, `read of ${length} bytes past the end`);
      reads.push([offset, length]);
      return bytes.slice(offset, offset + length);
    },
  };
}

/** Every record's leaf, and for each definition, the index findDefinition gives its name (or the failure). */
function answers(tpi: TpiStream): unknown[] {
  const out: unknown[] = [];
  for (let ti = tpi.begin; ti < tpi.end; ti++) {
    try {
      const leaf = tpi.leafOf(ti);
      const t = isTagRecord(leaf) ? tpi.tag(ti) : undefined;
      out.push([ti, leaf, t ? (tpi.findDefinition(t.name, t.uniqueName, t.leaf) ?? null) : null]);
    } catch (e) {
      out.push([ti, e instanceof DbgHelpError ? e.message : String(e)]);
    }
  }
  return out;
}

describe('a TPI hash stream read range by range', () => {
  test.each(FIXTURES)('%s: the index offsets for a record, the hash values on the first name lookup, each read once', (f) => {
    const { tpi, hash } = streams(f);
    const reads: [number, number][] = [];
    const whole = new TpiStream(Cursor.of(tpi, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    const t = new TpiStream(Cursor.of(tpi, 'test TPI'), () => ranged(hash, reads));
    const { indexOffsets, hashValues } = t.header;
    expect(hash.length).toBeGreaterThan(indexOffsets.length);
    expect(t.record(t.end - 1).leaf).toBe(whole.record(t.end - 1).leaf);
    expect(reads).toEqual([[indexOffsets.offset, indexOffsets.length]]);
    // A name lookup reads the hash values, once.
    let named = 0;
    for (let ti = t.begin; ti < t.end; ti++) {
      const tag = t.tag(ti);
      if (!tag || tag.name.startsWith('<')) continue;
      expect([ti, t.findDefinition(tag.name, tag.uniqueName, tag.leaf)]).toEqual([ti, whole.findDefinition(tag.name, tag.uniqueName, tag.leaf)]);
      named++;
    }
    expect(named).toBeGreaterThan(1);
    expect(reads).toEqual([
      [indexOffsets.offset, indexOffsets.length],
      [hashValues.offset, hashValues.length],
    ]);
  });

  test('PdbFile hands the hash stream over ranged: it is not kept', () => {
    const pdb = open('types-x64.pdb');
    const tpi = pdb.tpi()!;
    const { tpi: bytes, hash } = streams('types-x64.pdb');
    const whole = new TpiStream(Cursor.of(bytes, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    expect(answers(tpi)).toEqual(answers(whole));
    const cache = (pdb.msf as unknown as { cache: Map<number, Uint8Array> }).cache;
    expect(cache.has(tpi.header.hashStreamIndex)).toBe(false);
  });

  test('truncated and corrupted hash streams: the same records, definitions and failures as the whole one', () => {
    const { tpi, hash } = streams('types-x64.pdb');
    const outcome = (make: () => TpiStream) => {
      try {
        return answers(make());
      } catch (e) {
        return e instanceof DbgHelpError ? ['fails', e.message] : ['throws', String(e)];
      }
    };
    const mutants = [...truncations(hash, 97), ...corruptions(hash, 80, 3, 11)];
    let reads = 0;
    for (const m of mutants) {
      const seen: [number, number][] = [];
      const want = outcome(() => new TpiStream(Cursor.of(tpi, 'test TPI'), () => Cursor.of(m, 'test TPI hash')));
      expect(outcome(() => new TpiStream(Cursor.of(tpi, 'test TPI'), () => ranged(m, seen)))).toEqual(want);
      reads += seen.length;
    }
    // Most mutants keep buffers inside the stream, which are then read.
    expect(reads).toBeGreaterThan(mutants.length / 2);
  });
});

describe('record offsets', () => {
  test('a chunk is checked when first walked, keeps its offsets when asked again, and a scan keeps every offset', () => {
    const { stream, hash, starts } = rechunked('types-x64.pdb', 6);
    const t = new TpiStream(Cursor.of(stream, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    const state = t as unknown as { offsets: Uint32Array | undefined; chunkState: Uint8Array; chunkOffsets: (Uint32Array | undefined)[] };
    const offsetOf = (ti: number) => t.record(ti).data.start - 4 - t.header.headerSize;
    const mid = (t.begin + t.end) >>> 1;
    expect(offsetOf(mid)).toBe(starts[mid - t.begin]);
    expect(offsetOf(t.end - 1)).toBe(starts[t.end - 1 - t.begin]);
    expect(state.offsets).toBeUndefined();
    const first = Math.floor((mid - t.begin) / 6);
    const last = Math.floor((t.end - 1 - t.begin) / 6);
    const states = () => [...state.chunkState.keys()].filter((k) => state.chunkState[k]).map((k) => [k, state.chunkState[k]]);
    // Walked once: checked, nothing kept.
    expect(states()).toEqual([
      [first, 1],
      [last, 1],
    ]);
    expect(state.chunkOffsets.filter(Boolean)).toEqual([]);
    // Every record of the first chunk: found again, and the chunk's offsets are kept.
    for (let ti = t.begin + 6 * first; ti < t.begin + 6 * first + 6; ti++) expect([ti, offsetOf(ti)]).toEqual([ti, starts[ti - t.begin]]);
    expect(states()).toEqual([
      [first, 2],
      [last, 1],
    ]);
    expect(state.chunkOffsets[first]).toHaveLength(6);
    let n = 0;
    t.forEach(() => n++);
    expect(n).toBe(t.end - t.begin);
    expect(state.chunkState.length).toBe(0);
    expect(state.chunkOffsets).toEqual([]);
    expect(state.offsets!.length).toBe(t.end - t.begin);
    for (let ti = t.begin; ti < t.end; ti++) expect([ti, offsetOf(ti)]).toEqual([ti, starts[ti - t.begin]]);
  });

  test('read chunk by chunk, a chunk asked for again keeps nothing: its records are found by a walk in the bytes read again', () => {
    const { stream, hash, starts } = rechunked('types-x64.pdb', 6);
    const reads: [number, number][] = [];
    const t = new TpiStream(ranged(stream, reads), () => Cursor.of(hash, 'test TPI hash'));
    const state = t as unknown as { chunkState: Uint8Array; chunkOffsets: (Uint32Array | undefined)[] };
    const mid = (t.begin + t.end) >>> 1;
    const chunk = Math.floor((mid - t.begin) / 6);
    for (let round = 0; round < 2; round++) {
      for (let ti = t.begin + 6 * chunk; ti < t.begin + 6 * chunk + 6; ti++) expect([ti, t.record(ti).data.start]).toEqual([ti, expect.any(Number)]);
    }
    for (let ti = t.begin + 6 * chunk; ti < t.begin + 6 * chunk + 6; ti++) {
      const r = t.record(ti);
      expect([ti, r.data.base + r.data.start - 4 - t.header.headerSize]).toEqual([ti, starts[ti - t.begin]]);
    }
    expect(state.chunkState[chunk]).toBe(1);
    expect(state.chunkOffsets.filter(Boolean)).toEqual([]);
  });

  test('a scan that fails keeps the offsets it learnt before the bad record', () => {
    const { stream, starts } = rechunked('types-x64.pdb', 6);
    const bad = Uint8Array.from(stream);
    const t0 = new TpiStream(Cursor.of(stream, 'TPI'), () => undefined);
    const at = t0.header.headerSize + starts[starts.length - 3];
    bad[at] = 0xff; // reclen runs past the end
    bad[at + 1] = 0xff;
    const t = new TpiStream(Cursor.of(bad, 'test TPI'), () => undefined);
    expect(() => t.record(t.end - 1)).toThrow(/runs past the end of the type records/);
    expect(t.record(t.begin).leaf).toBe(t0.record(t0.begin).leaf);
    expect(t.record(t.end - 4).leaf).toBe(t0.record(t0.end - 4).leaf);
    expect(() => t.record(t.end - 3)).toThrow(DbgHelpError);
  });
});

describe('a stream held whole and asked for many records', () => {
  test('past 256 lookups one scan learns every offset; answers as before, a damaged record still found chunk by chunk', () => {
    const { stream, hash, starts } = rechunked('types-x64.pdb', 6);
    const t = new TpiStream(Cursor.of(stream, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    const state = t as unknown as { offsets: Uint32Array | undefined; scanned: boolean };
    const n = t.end - t.begin;
    expect(n).toBeGreaterThan(100);
    const offsetOf = (x: TpiStream, ti: number) => x.record(ti).data.start - 4 - x.header.headerSize;
    for (let k = 0; k < 256; k++) offsetOf(t, t.begin + ((k * 7) % n));
    expect(state.offsets).toBeUndefined();
    expect(offsetOf(t, t.begin + 5)).toBe(starts[5]);
    expect(state.scanned).toBe(true);
    for (let ti = t.begin; ti < t.end; ti++) expect([ti, offsetOf(t, ti)]).toEqual([ti, starts[ti - t.begin]]);
    // A record made to run past the end two thirds in: the scan fails there; records before it
    // come from what it learnt, records after it (other chunks) from their chunks, as before.
    const bad = Uint8Array.from(stream);
    const victim = Math.floor((2 * n) / 3);
    const at = t.header.headerSize + starts[victim];
    bad[at] = 0xff;
    bad[at + 1] = 0xff;
    const d = new TpiStream(Cursor.of(bad, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    const dState = d as unknown as { offsets: Uint32Array | undefined; scanned: boolean };
    // (Asked in the chunks before the victim's: a walk of its chunk fails for all its records.)
    const before = victim - (victim % 6);
    for (let k = 0; k < 257; k++) offsetOf(d, d.begin + ((k * 7) % before));
    expect(dState.scanned).toBe(false);
    expect(dState.offsets![victim - 1]).toBe(starts[victim - 1] + 1);
    const after = victim + 6 - (victim % 6) + 1;
    expect(offsetOf(d, d.begin + after)).toBe(starts[after]);
    expect(offsetOf(d, d.begin + 3)).toBe(starts[3]);
    expect(() => d.record(d.begin + victim)).toThrow(DbgHelpError);
  });
});

describe('the IPI read chunk by chunk above KEEP_ID_STREAM', () => {
  test("a smaller threshold than the TPI's; function id names the same as from the whole IPI, which is not kept", () => {
    expect(KEEP_ID_STREAM).toBeLessThan(KEEP_TYPE_STREAMS);
    const whole = open('cppfeatures-x64.pdb');
    const chunked = open('cppfeatures-x64.pdb');
    chunked.keepIdStreamUpTo = 0;
    const a = whole.ipi()!;
    const b = chunked.ipi()!;
    const cache = (p: PdbFile) => (p.msf as unknown as { cache: Map<number, Uint8Array> }).cache;
    const names = functionIdNames(a);
    expect(functionIdNames(b)).toEqual(names);
    expect(names.filter((x) => !x.startsWith('BAD')).length).toBeGreaterThan(10);
    expect(cache(whole).has(STREAM_IPI)).toBe(true);
    expect(cache(chunked).has(STREAM_IPI)).toBe(false);
    // The TPI (class names of member function ids) is still read whole.
    expect(cache(chunked).has(STREAM_TPI)).toBe(true);
  });
});

describe('a ranged type stream read whole once its chunk reads add up (RangedStream.wholeAfter)', () => {
  /** A RangedStream over a stream's bytes, noting each read's length. */
  const source = (bytes: Uint8Array, reads: number[], wholeAfter: number | undefined): RangedStream => ({
    origin: 'test TPI',
    size: bytes.length,
    wholeAfter,
    read: (offset, length) => {
      if (offset + length > bytes.length) throw badFormat('test TPI', offset, `read of ${length} bytes past the end`);
      reads.push(length);
      return bytes.slice(offset, offset + length);
    },
  });
  const every = (t: TpiStream) => {
    const out: unknown[] = [];
    for (let ti = t.begin; ti < t.end; ti++) {
      try {
        const { leaf, data } = t.record(ti);
        out.push([ti, leaf, Array.from(data.buf.subarray(data.start, data.end)), data.offset]);
      } catch (e) {
        out.push([ti, e instanceof DbgHelpError ? e.message : String(e)]);
      }
    }
    return out;
  };

  test('chunks until the threshold, then one read of the whole stream; the same records', () => {
    const { stream, hash } = rechunked('types-x64.pdb', 6);
    const whole = new TpiStream(Cursor.of(stream, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    const reads: number[] = [];
    const t = new TpiStream(source(stream, reads, 3000), () => Cursor.of(hash, 'test TPI hash'));
    // Walk the chunks backwards, so each record asks for a new one until the switch.
    for (let ti = t.end - 1; ti >= t.begin; ti--) expect([ti, t.leafOf(ti)]).toEqual([ti, whole.leafOf(ti)]);
    const header = reads.shift()!;
    expect(header).toBe(56);
    const wholeAt = reads.indexOf(stream.length);
    expect(wholeAt).toBeGreaterThan(0);
    expect(reads.length).toBe(wholeAt + 1);
    const chunkBytes = reads.slice(0, wholeAt).reduce((a, b) => a + b, 0);
    expect(chunkBytes).toBeGreaterThanOrEqual(3000);
    expect(chunkBytes - reads[wholeAt - 1]).toBeLessThan(3000);
    expect(every(t)).toEqual(every(whole));
    expect(reads.length).toBe(wholeAt + 1);
  });

  test('the switch to whole in the middle of a chunk asked for again: every record as the whole stream has it', () => {
    const { stream, hash } = rechunked('types-x64.pdb', 6);
    const whole = new TpiStream(Cursor.of(stream, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    const reads: number[] = [];
    // Every chunk read once, then again until the reads add up to 1.5 streams: the switch comes
    // while a chunk that was checked is walked again for one of its records.
    const t = new TpiStream(source(stream, reads, Math.floor(1.5 * stream.length)), () => Cursor.of(hash, 'test TPI hash'));
    for (let ti = t.end - 1; ti >= t.begin; ti -= 6) t.leafOf(ti - ((ti - t.begin) % 6));
    expect(reads).not.toContain(stream.length);
    for (let ti = t.end - 1; ti >= t.begin; ti -= 6) expect([ti, t.leafOf(ti)]).toEqual([ti, whole.leafOf(ti)]);
    expect(reads).toContain(stream.length);
    expect(every(t)).toEqual(every(whole));
  });

  test('without a threshold, never whole', () => {
    const { stream, hash } = rechunked('types-x64.pdb', 6);
    const reads: number[] = [];
    const t = new TpiStream(source(stream, reads, undefined), () => Cursor.of(hash, 'test TPI hash'));
    for (let ti = t.end - 1; ti >= t.begin; ti--) t.leafOf(ti);
    expect(reads).not.toContain(stream.length);
    expect(reads.length).toBeGreaterThan(10);
  });

  test('truncated and corrupted streams: the same records and failures with a switch to whole as without', () => {
    const { stream, hash } = rechunked('types-x64.pdb', 7);
    const mutants = [...truncations(stream, 997), ...corruptions(stream, 60, 4, 13)];
    const outcome = (make: () => TpiStream) => {
      try {
        return every(make());
      } catch (e) {
        return e instanceof DbgHelpError ? ['fails', e.message] : ['throws', String(e)];
      }
    };
    let switched = 0;
    for (const m of mutants) {
      const reads: number[] = [];
      const want = outcome(() => new TpiStream(Cursor.of(m, 'test TPI'), () => Cursor.of(hash, 'test TPI hash')));
      expect(outcome(() => new TpiStream(source(m, reads, 500), () => Cursor.of(hash, 'test TPI hash')))).toEqual(want);
      if (reads.includes(m.length)) switched++;
    }
    expect(switched).toBeGreaterThan(mutants.length / 2);
  });
});
