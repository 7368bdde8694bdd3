/**
 * A type stream's hash stream read range by range (TypeStream given a RangedStream, as PdbFile
 * gives it): a record by index reads only the index-offset buffer, a name lookup the hash
 * values too, each once, and nothing of the stream is kept. Records, definitions found by name
 * and failures must be what the whole hash stream gives, on intact, truncated and corrupted
 * hash streams.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DbgHelpError, badFormat } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PdbFile, STREAM_TPI } from '../../../lib/formats/pdb/pdb-file';
import { TpiStream, type RangedStream } from '../../../lib/formats/pdb/tpi-stream';
import { isTagRecord } from '../../../lib/formats/codeview/type-kinds';
import { corruptions, truncations } from '../../helpers/mutate';

const BIN = path.join(__dirname, '..', '..', 'fixtures', 'bin');
const FIXTURES = ['cppfeatures-x64.pdb', 'cppfeatures-x86.pdb', 'inline-x64.pdb', 'types-x64.pdb'];
const open = (file: string) => new PdbFile(new BufferSource(fs.readFileSync(path.join(BIN, file)), file));

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
      out.push([ti, leaf, t ? tpi.findDefinition(t.name, t.uniqueName, t.leaf) ?? null : null]);
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
