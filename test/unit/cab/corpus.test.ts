/**
 * Every cabinet in the corpus: the symbol-store files (.pd_/.ex_) against cabextract's output
 * (its SHA-256, recorded, and the expanded copy in derived/), libmspack's test cabinets against
 * what cabextract -t said about each (corpus-expectations.ts), and the LZX:15 and LZX:21 folders
 * of the 14 MB cabinet inside large-files-cab.cab against the first 4 MiB cabextract wrote.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { DbgHelpError } from '../../../lib/api/errors';
import { openCab } from '../../../lib/formats/cab';
import { readCfData } from '../../../lib/formats/cab/cfdata';
import { readCfFolders } from '../../../lib/formats/cab/cffolder';
import { readCfHeader } from '../../../lib/formats/cab/cfheader';
import { LzxDecoder } from '../../../lib/formats/cab/lzx';
import { inflateMszipBlock } from '../../../lib/formats/cab/mszip';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { corpusPath, describeCorpus, manifest } from '../../helpers/corpus';
import { corpusCabs } from './corpus-expectations';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const read = (p: string) => new Uint8Array(fs.readFileSync(corpusPath(p)));

/** SHA-256 of `cabextract -p` on each compressed symbol-store file (recorded once). */
const symbolStoreFiles: { path: string; name: string; sha256: string; expanded: string }[] = [
  {
    path: 'mozilla_dump_syms/test_data/windows/basic32.pd_',
    name: 'basic32.pdb',
    sha256: '4895f5b09ed06dcc8f3e146a0c5b3af120930633b0b9b54f8049fee48e0a5a03',
    expanded: 'derived/mozilla_dump_syms/test_data/windows/basic32.pdb',
  },
  {
    path: 'mstange_symsrv/tests/fixtures/ShowSSEConfig.exe/63E6C7F78000/ShowSSEConfig.ex_',
    name: 'ShowSSEConfig.exe',
    sha256: '07be07cebf690226c6d614d1e65e56c8fb1689aed6d49cbfc89a669593d11531',
    expanded: 'derived/mstange_symsrv/tests/fixtures/ShowSSEConfig.exe/63E6C7F78000/ShowSSEConfig.exe',
  },
  {
    path: 'mstange_symsrv/tests/fixtures/ShowSSEConfig.pdb/A62592418D7807494C4C44205044422E1/ShowSSEConfig.pd_',
    name: 'ShowSSEConfig.pdb',
    sha256: 'a27d126406d03980503176ff3f27125dc31c0002a01b8434193d2593502f7b52',
    expanded: 'derived/mstange_symsrv/tests/fixtures/ShowSSEConfig.pdb/A62592418D7807494C4C44205044422E1/ShowSSEConfig.pdb',
  },
];

describeCorpus('cabinets in the corpus', () => {
  const rows = manifest().filter((m) => /^cab/.test(m.kind));

  test('the expectations cover every cabinet in the MANIFEST', () => {
    expect(rows.map((r) => r.local_path).sort()).toEqual(corpusCabs.map((c) => c.path).sort());
    expect(
      rows
        .filter((r) => r.kind === 'cab-compressed')
        .map((r) => r.local_path)
        .sort(),
    ).toEqual(symbolStoreFiles.map((f) => f.path).sort());
  });

  describe.each(symbolStoreFiles.map((f) => [f.path.split('/').pop()!, f] as const))('%s', (base, f) => {
    test('expands to what cabextract wrote', () => {
      const cab = openCab(read(f.path), base);
      expect(cab.files.map((x) => x.name)).toEqual([f.name]);
      expect(cab.folders.map((x) => x.method)).toEqual(['mszip']);
      const out = cab.extract(cab.files[0]);
      expect(out.length).toBe(cab.files[0].size);
      expect(sha256(out)).toBe(f.sha256);
      expect(Buffer.from(out).equals(fs.readFileSync(corpusPath(f.expanded)))).toBe(true);
    });
  });

  describe.each(corpusCabs.map((c) => [c.path.replace(/^kyz_libmspack\//, ''), c] as const))('%s', (_label, c) => {
    const base = c.path.split('/').pop()!;
    test(c.open ? `openCab refuses it (${c.open})${c.why ? `: ${c.why}` : ''}` : 'each file as cabextract extracted it, or refused', () => {
      const bytes = read(c.path);
      if (c.open) {
        expect(() => openCab(bytes, base)).toThrow(expect.objectContaining({ code: c.open, message: expect.stringMatching(new RegExp(`^${base.replace(/[.]/g, '\\.')}: .* at offset 0x[0-9a-f]+$`)) }));
        return;
      }
      const cab = openCab(bytes, base);
      expect(cab.files.map((f) => f.name)).toEqual(c.files!.map((f) => f.name));
      for (const [i, f] of cab.files.entries()) {
        const want = c.files![i];
        if (want.md5) {
          // Where cabextract listed the file, its MD5 is the one recorded.
          if (/^[0-9a-f]{32}$/.test(want.cabextract)) expect(want.md5).toBe(want.cabextract);
          expect(md5(cab.extract(f))).toBe(want.md5);
        } else {
          expect(want.cabextract === 'not listed alone' || want.why || want.cabextract.startsWith('failed')).toBeTruthy();
          let err: unknown;
          try {
            cab.extract(f);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(DbgHelpError);
          expect((err as DbgHelpError).code).toBe(want.error);
          expect((err as DbgHelpError).message.startsWith(`${base}: `)).toBe(true);
        }
      }
    });
  });

  describe('the cabinet inside large-files-cab.cab (LZX:21 → 14 MB of MSZIP, LZX:15 and LZX:21 folders)', () => {
    // cabextract -p -F <name> large-files.cab | head -c 4194304 | sha256sum: the same for all three.
    const PREFIX = 4 << 20;
    const PREFIX_SHA256 = '832605e2461389319f7be8acd3a6fec9e04f537233d8287b954944dd3905f01d';
    let inner: Uint8Array;
    beforeAll(() => {
      const outer = openCab(read('kyz_libmspack/cabextract/test/cabs/large-files-cab.cab'), 'large-files-cab.cab');
      inner = outer.extract('large-files.cab');
    });

    test('the outer LZX:21 cabinet expands to cabextract’s bytes', () => {
      expect(md5(inner)).toBe('ac923e14971324651015ba44ceb59b36');
    });

    test('the first 4 MiB of each 2 GB file (MSZIP, LZX:15, LZX:21) is what cabextract wrote', () => {
      const c = Cursor.of(inner, 'large-files.cab');
      const h = readCfHeader(c);
      c.seek(h.foldersAt);
      const folders = readCfFolders(c, h.cFolders, h.cbCFFolder);
      expect(folders.map((f) => [f.method, f.lzxWindowBits])).toEqual([
        ['mszip', 0],
        ['lzx', 15],
        ['lzx', 21],
      ]);
      for (const f of folders) {
        c.seek(f.coffCabStart);
        const blocks = Array.from({ length: f.cCFData }, () => readCfData(c, h.cbCFData));
        const out = new Uint8Array(PREFIX);
        if (f.method === 'mszip') {
          let at = 0;
          for (const b of blocks) {
            if (at >= PREFIX) break;
            inflateMszipBlock(b.data, out, at, b.cbUncomp, 'large-files.cab', b.dataAt);
            at += b.cbUncomp;
          }
        } else {
          const packed = Buffer.concat(blocks.map((b) => b.data));
          const total = blocks.reduce((n, b) => n + b.cbUncomp, 0);
          expect(total).toBe(2147450880);
          new LzxDecoder(f.lzxWindowBits, packed).decode(out, total, PREFIX);
        }
        expect(sha256(out)).toBe(PREFIX_SHA256);
      }
    });
  });
});
