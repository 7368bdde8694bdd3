/**
 * Truncated and corrupted copies of every corpus PE: each call either succeeds or throws
 * DbgHelpError BAD_FORMAT naming the file and an offset. Never a RangeError, a TypeError or a hang.
 */
import * as fs from 'fs';
import { DbgHelpError } from '../../../lib/api/errors';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PeImage } from '../../../lib/formats/pe';
import { corpusPath, describeCorpus, manifest } from '../../helpers/corpus';
import { corruptions, truncations } from '../../helpers/mutate';
import { buildPe, guidBytes } from './build-pe';

/** Runs every reader over `buf`; returns a description of each wrong kind of failure. */
function exercise(buf: Uint8Array, name: string): string[] {
  const bad: string[] = [];
  const check = (what: string, fn: () => unknown) => {
    try {
      fn();
      return true;
    } catch (e) {
      const ok = e instanceof DbgHelpError && e.code === 'BAD_FORMAT' && e.message.includes(name) && e.message.includes('offset');
      if (!ok) bad.push(`${name} ${what}: ${e instanceof Error ? `${e.name} ${(e as DbgHelpError).code ?? ''} ${e.message}` : String(e)}`);
      return false;
    }
  };
  let img: PeImage | undefined;
  if (!check('fromSource', () => (img = PeImage.fromSource(new BufferSource(buf, name))))) return bad;
  check('codeView', () => img!.codeView());
  check('exports', () => img!.exports());
  check('debugDirectories', () => img!.debugDirectories());
  check('symbolStoreKey', () => img!.symbolStoreKey);
  return bad;
}

describeCorpus('bad input: corpus PEs', () => {
  const files = manifest()
    .filter((m) => m.kind === 'pe' && !m.local_path.startsWith('derived/'))
    .map((m) => m.local_path);

  describe.each(files.map((f) => [f.split('/').pop()!, f]))('%s', (base, file) => {
    const buf = new Uint8Array(fs.readFileSync(corpusPath(file)));

    test('every truncation (16-byte steps over the first 4 KB, 1 KB steps after)', () => {
      const cuts = [...truncations(buf, 16, 4096), ...truncations(buf, 1024).filter((t) => t.length >= 4096)];
      const bad = cuts.flatMap((t) => exercise(t, `${base}[0:${t.length}]`));
      expect(bad).toEqual([]);
    });

    test('300 seeded corruptions of the headers, debug data and export tables', () => {
      const img = PeImage.fromSource(new BufferSource(buf, base));
      const ranges: [number, number][] = [[0, Math.min(buf.length, Math.max(img.sizeOfHeaders, img.sectionTableOffset + 40 * img.sections.length))]];
      const dd = img.dataDirectory(6);
      const ddAt = dd && img.rvaToFileOffset(dd.rva);
      if (dd && ddAt !== undefined) {
        ranges.push([ddAt, ddAt + dd.size]);
        for (const d of img.debugDirectories()) if (d.pointerToRawData && d.type === 2) ranges.push([d.pointerToRawData, d.pointerToRawData + d.sizeOfData]);
      }
      const ex = img.dataDirectory(0);
      const exAt = ex && img.rvaToFileOffset(ex.rva);
      if (ex && exAt !== undefined) ranges.push([exAt, exAt + ex.size]);
      const per = Math.ceil(300 / ranges.length);
      const bad: string[] = [];
      ranges.forEach(([from, to], k) => {
        corruptions(buf, per, 1 + (k % 4), 1000 + k * 101, from, Math.min(to, buf.length)).forEach((b, i) => bad.push(...exercise(b, `${base}#${k}.${i}`)));
      });
      // A few with many flips at once.
      corruptions(buf, 20, 40, 77, 0, ranges[0][1]).forEach((b, i) => bad.push(...exercise(b, `${base}#many.${i}`)));
      expect(bad).toEqual([]);
    });
  });
});

describe('bad input: synthetic PEs', () => {
  const samples = [
    buildPe({
      is64: true,
      exports: { dllName: 'S.dll', base: 3, functions: [0x1000, { forward: 'NTDLL.RtlAllocateHeap' }, 0], names: { A: 0, B: 1 } },
      debug: [{ type: 'RSDS', guid: guidBytes('01234567-89AB-CDEF-0011-223344556677'), age: 1, pdbPath: 'x.pdb' }],
    }).buf,
    buildPe({
      sections: [
        { name: '.text', data: new Uint8Array(16) },
        { name: '.bss', data: new Uint8Array(0), virtualSize: 0x2000 },
      ],
      debug: [{ type: 'NB10', offset: 0, timestamp: 1, age: 1, pdbPath: 'o.pdb' }],
    }).buf,
  ];
  test.each(samples.map((b, i) => [i, b] as const))('sample %i: every truncation and 500 corruptions', (i, buf) => {
    const bad = [...truncations(buf, 1).flatMap((t) => exercise(t, `s${i}[0:${t.length}]`)), ...corruptions(buf, 500, 3, 9 + i).flatMap((b, k) => exercise(b, `s${i}#${k}`))];
    expect(bad).toEqual([]);
  });
});
