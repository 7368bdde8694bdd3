/**
 * A big type stream is read chunk by chunk (TypeStream over a RangedStream: the chunks of the
 * hash stream's index-offset buffer) instead of whole. Every record, name and failure must be
 * what the whole read gives, and a lookup must not read the stream whole.
 */
import { DbgHelpError, badFormat } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { STREAM_TPI } from '../../../lib/formats/pdb/pdb-file';
import { TpiStream, type RangedStream } from '../../../lib/formats/pdb/tpi-stream';
import { corruptions, truncations } from '../../helpers/mutate';
import { functionIdNames, open, rechunked } from './fixture-pdb';

const FIXTURES = ['cppfeatures-x64.pdb', 'cppfeatures-x86.pdb', 'inline-x64.pdb', 'types-x64.pdb'];

/** Every record of a type stream (leaf and data bytes), or the failure, per index. */
function records(tpi: TpiStream): unknown[] {
  const out: unknown[] = [];
  for (let ti = tpi.begin; ti < tpi.end; ti++) {
    try {
      const { leaf, data } = tpi.record(ti);
      out.push([ti, leaf, Array.from(data.buf.subarray(data.start, data.end)), data.offset, tpi.tag(ti)?.name ?? null]);
    } catch (e) {
      out.push([ti, e instanceof DbgHelpError ? e.message : String(e)]);
    }
  }
  return out;
}

/** A RangedStream over bytes, counting its reads, refusing reads past the end as the MSF reader does. */
function ranged(bytes: Uint8Array, reads: number[] = []): RangedStream {
  return {
    origin: 'test TPI',
    size: bytes.length,
    read: (offset, length) => {
      if (offset + length > bytes.length) throw badFormat('test TPI', offset, `read of ${length} bytes past the end`);
      reads.push(length);
      return bytes.slice(offset, offset + length);
    },
  };
}

/** ranged() with readInto (the peeks' path, PdbFile's), counting its reads separately. */
function rangedInto(bytes: Uint8Array, reads: number[] = [], intoReads: number[] = []): RangedStream {
  return {
    ...ranged(bytes, reads),
    readInto: (offset, length, into) => {
      if (offset + length > bytes.length) throw badFormat('test TPI', offset, `read of ${length} bytes past the end`);
      intoReads.push(length);
      into.set(bytes.subarray(offset, offset + length));
      return into.subarray(0, length);
    },
  };
}

/** Each record's tag name (null: not a tag record), or the failure. */
function tagNames(tpi: TpiStream): unknown[] {
  const out: unknown[] = [];
  for (let ti = tpi.begin; ti < tpi.end; ti++) {
    try {
      out.push(tpi.tagName(ti) ?? null);
    } catch (e) {
      out.push(e instanceof DbgHelpError ? e.message : String(e));
    }
  }
  return out;
}

describe('TypeStream read chunk by chunk', () => {
  test.each(FIXTURES)('%s: every record, name and offset as the whole read gives them, a few records at a time', (f) => {
    const { stream, hash } = rechunked(f, 5);
    const reads: number[] = [];
    const a = new TpiStream(Cursor.of(stream, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    const b = new TpiStream(ranged(stream, reads), () => Cursor.of(hash, 'test TPI hash'));
    // Reading one record in the middle reads its chunk, not the stream.
    const mid = (b.begin + b.end) >>> 1;
    expect(b.record(mid).leaf).toBe(a.record(mid).leaf);
    const state = b as unknown as { whole: unknown; chunk: { buf: Uint8Array } | undefined };
    expect(state.whole).toBeUndefined();
    expect(state.chunk!.buf.length).toBeLessThan(b.header.typeRecordBytes);
    expect(records(b)).toEqual(records(a));
    expect(state.whole).toBeUndefined();
    // The header, the middle record's chunk, then one read per chunk of 5 records in order
    // (the last chunk read is kept; the middle one is read again when its turn comes).
    expect(reads.length).toBe(2 + Math.ceil((b.end - b.begin) / 5));
  });

  test.each(FIXTURES)('%s: tag names read through one reused buffer (readInto), leaving record views intact', (f) => {
    const { stream, hash } = rechunked(f, 5);
    const a = new TpiStream(Cursor.of(stream, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    const reads: number[] = [];
    const intoReads: number[] = [];
    const b = new TpiStream(rangedInto(stream, reads, intoReads), () => Cursor.of(hash, 'test TPI hash'));
    // A record view taken first, over a chunk read fresh.
    const first = b.record(b.begin);
    const bytes = Array.from(first.data.buf.subarray(first.data.start, first.data.end));
    expect(reads.length).toBe(2); // the header, the first chunk
    const names = tagNames(b);
    expect(names).toEqual(tagNames(a));
    expect(names.filter((n) => typeof n === 'string').length).toBeGreaterThan(0);
    // Every chunk was walked (and the others' names read) in a reused window, none read fresh:
    // one window from the first chunk on (each fixture's records are under 256 KB).
    expect(reads.length).toBe(2);
    expect(b.header.typeRecordBytes).toBeLessThan(256 * 1024);
    expect(intoReads).toEqual([b.header.typeRecordBytes]);
    expect(Array.from(first.data.buf.subarray(first.data.start, first.data.end))).toEqual(bytes);
    expect(b.record(b.end - 1).leaf).toBe(a.record(a.end - 1).leaf);
  });

  test('PdbFile reads a type stream bigger than keepTypeStreamsUpTo chunk by chunk', () => {
    const pdb = open('types-x64.pdb');
    pdb.keepTypeStreamsUpTo = 0;
    const tpi = pdb.tpi()!;
    expect(tpi.record(tpi.begin).leaf).toBe(open('types-x64.pdb').tpi()!.record(tpi.begin).leaf);
    expect((tpi as unknown as { whole: unknown }).whole).toBeUndefined();
    expect((pdb.msf as unknown as { cache: Map<number, Uint8Array> }).cache.has(STREAM_TPI)).toBe(false);
  });

  test('IPI names (function ids with their class or scope) are the same read chunk by chunk', () => {
    const whole = open('cppfeatures-x64.pdb');
    const chunked = open('cppfeatures-x64.pdb');
    chunked.keepTypeStreamsUpTo = 0;
    const a = whole.ipi()!;
    const b = chunked.ipi()!;
    const names = functionIdNames(a);
    expect(functionIdNames(b)).toEqual(names);
    expect(names.filter((x) => !x.startsWith('BAD')).length).toBeGreaterThan(10);
  });

  test('truncated and corrupted streams: the same records and failures as the whole read', () => {
    const { stream, hash } = rechunked('types-x64.pdb', 7);
    const hashOf = () => Cursor.of(hash, 'test TPI hash');
    const outcome = (make: () => TpiStream) => {
      try {
        return records(make());
      } catch (e) {
        return e instanceof DbgHelpError ? ['fails', e.message] : ['throws', String(e)];
      }
    };
    const mutants = [...truncations(stream, 997), ...corruptions(stream, 60, 4, 7, 0, Math.min(stream.length, 4096)), ...corruptions(stream, 60, 4, 9)];
    let reads = 0;
    for (const m of mutants) {
      const seen: number[] = [];
      const want = outcome(() => new TpiStream(Cursor.of(m, 'test TPI'), hashOf));
      expect(outcome(() => new TpiStream(ranged(m, seen), hashOf))).toEqual(want);
      reads += seen.length;
      // Names peeked through the reused buffer: the same names and failures.
      const names = (t: () => TpiStream) => {
        try {
          return tagNames(t());
        } catch (e) {
          return e instanceof DbgHelpError ? ['fails', e.message] : ['throws', String(e)];
        }
      };
      expect(names(() => new TpiStream(rangedInto(m), hashOf))).toEqual(names(() => new TpiStream(Cursor.of(m, 'test TPI'), hashOf)));
    }
    expect(reads).toBeGreaterThan(mutants.length);
  });

  test('peek windows: read from the chunk asked for on, the last two reused, a chunk longer than a window read whole', () => {
    const { stream, hash, starts } = rechunked('cppfeatures-x64.pdb', 5);
    const a = new TpiStream(Cursor.of(stream, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    const reads: number[] = [];
    const intoReads: number[] = [];
    const windowed = (peekBytes: number) => {
      reads.length = intoReads.length = 0;
      return new TpiStream({ ...rangedInto(stream, reads, intoReads), peekBytes }, () => Cursor.of(hash, 'test TPI hash'));
    };
    const chunkStart = (ti: number, t: TpiStream) => starts[ti - t.begin - ((ti - t.begin) % 5)];
    // 600-byte windows: names asked in index order read each window once.
    const b = windowed(600);
    expect(tagNames(b)).toEqual(tagNames(a));
    const windows = intoReads.length;
    expect(windows).toBeGreaterThan(3);
    expect(windows).toBeLessThan(Math.ceil((b.end - b.begin) / 5));
    // Back and forth between two far-apart records: two windows, read once each.
    const c = windowed(600);
    const lo = c.begin + 7;
    const hi = c.end - 3;
    for (let k = 0; k < 6; k++) expect(c.tagName(k % 2 ? hi : lo)).toBe(a.tagName(k % 2 ? hi : lo));
    expect(intoReads.length).toBe(2);
    // A third one evicts the least recently used: asking the first again reads it again.
    const mid = (c.begin + c.end) >>> 1;
    c.tagName(mid);
    c.tagName(hi);
    c.tagName(lo);
    expect(intoReads.length).toBe(4);
    // Windows of 1 byte: each is its chunk, whole.
    const d = windowed(1);
    expect(tagNames(d)).toEqual(tagNames(a));
    const t = d.begin + 12;
    reads.length = intoReads.length = 0;
    d.tagName(d.end - 1);
    d.tagName(t);
    expect(intoReads.at(-1)).toBe(starts[t - d.begin - ((t - d.begin) % 5) + 5] - chunkStart(t, d));
  });
});
