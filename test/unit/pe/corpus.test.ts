/**
 * Every PE in the corpus against llvm-readobj-19's view of it (corpus-expectations.ts) and
 * against the MANIFEST notes (symstore key, RSDS GUID/age/path).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { DbgHelpError } from '../../../lib/api/errors';
import { Rva } from '../../../lib/formats/binary/address';
import { BufferSource } from '../../../lib/formats/binary/source';
import { ImageDebugType, PeImage } from '../../../lib/formats/pe';
import { corpusPath, describeCorpus, manifest } from '../../helpers/corpus';
import { peExpectations } from './corpus-expectations';

const r = (n: number) => n as Rva;

describeCorpus('PeImage on the corpus', () => {
  const rows = manifest().filter((m) => m.kind === 'pe');

  test('the expectations cover every PE in the MANIFEST', () => {
    expect(rows.map((m) => m.local_path).sort()).toEqual(peExpectations.map((e) => e.path).sort());
  });

  describe.each(peExpectations.map((e) => [e.path.split('/').pop()!, e] as const))('%s', (_name, e) => {
    const notes = rows.find((m) => m.local_path === e.path)!.notes;
    let img: PeImage;
    beforeAll(() => {
      img = PeImage.open(corpusPath(e.path));
    });
    afterAll(() => img?.close());

    test('headers match llvm-readobj', () => {
      expect(img.fileName).toBe(corpusPath(e.path));
      expect(img.machine).toBe(e.machine);
      expect(img.is64).toBe(e.is64);
      expect(img.timeDateStamp).toBe(e.timeDateStamp);
      expect(img.sizeOfImage).toBe(e.sizeOfImage);
      expect(img.checkSum).toBe(e.checkSum);
      expect(img.imageBase).toBe(e.imageBase);
      expect(img.entryPoint).toBe(e.entryPoint);
      expect(img.subsystem).toBe(e.subsystem);
      expect(img.sizeOfHeaders).toBe(e.sizeOfHeaders);
      expect(img.characteristics).toBe(e.characteristics);
      expect(img.numberOfRvaAndSizes).toBe(e.numberOfRvaAndSizes);
      expect(img.isDll).toBe(/\.dll$/i.test(e.path));
    });

    test('headers match the MANIFEST notes', () => {
      expect(notes).toContain(e.is64 ? 'PE32+ ' : 'PE32 ');
      expect(notes).toContain(img.isDll ? ' DLL ' : ' EXE ');
      // symstore writes TimeDateStamp %08X and SizeOfImage %x; the MANIFEST spells the hex upper case.
      const key = /symstoreKey (\S+)/.exec(notes)![1];
      expect(img.symbolStoreKey.toUpperCase()).toBe(key.toUpperCase());
      expect(img.symbolStoreKey).toBe(e.timeDateStamp.toString(16).toUpperCase().padStart(8, '0') + e.sizeOfImage.toString(16));
    });

    test('section table matches llvm-readobj', () => {
      expect(img.sections.map((s) => [s.name, s.virtualSize, s.virtualAddress, s.sizeOfRawData, s.pointerToRawData, s.characteristics])).toEqual(e.sections);
    });

    test('RVAs map to file offsets through the sections, not past SizeOfRawData', () => {
      for (const s of img.sections) {
        const backed = Math.min(s.sizeOfRawData, s.virtualSize || s.sizeOfRawData);
        if (backed > 0) {
          expect(img.rvaToFileOffset(s.virtualAddress)).toBe(s.pointerToRawData);
          expect(img.rvaToFileOffset(r(s.virtualAddress + backed - 1))).toBe(s.pointerToRawData + backed - 1);
        }
        if (s.virtualSize > s.sizeOfRawData) {
          // The uninitialized tail (bss) is in the image but not in the file.
          expect(img.rvaToFileOffset(r(s.virtualAddress + s.sizeOfRawData))).toBeUndefined();
          expect(() => img.readAtRva(r(s.virtualAddress + s.sizeOfRawData), 4, 'bss')).toThrow(DbgHelpError);
        }
      }
      expect(img.rvaToFileOffset(r(0))).toBe(0); // the headers are mapped at RVA 0
      expect(img.rvaToFileOffset(r(e.sizeOfImage + 0x1000))).toBeUndefined();
    });

    test('debug directory matches llvm-readobj', () => {
      expect(img.debugDirectories().map((d) => [d.type, d.sizeOfData, d.addressOfRawData, d.pointerToRawData])).toEqual(e.debug);
      expect(img.debugDirectories()).toBe(img.debugDirectories()); // cached
    });

    test('CodeView record matches llvm-readobj and the MANIFEST', () => {
      const cv = img.codeView();
      const m = /RSDS (\S+) age (\d+) pdb '([^']*)'/.exec(notes);
      if (!e.rsds) {
        expect(cv).toBeUndefined();
        expect(m).toBeNull();
        expect(notes).toContain('no CodeView debug record');
        return;
      }
      expect(cv).toEqual({ signature: 'RSDS', ...e.rsds });
      expect(m).not.toBeNull();
      expect(cv).toEqual({ signature: 'RSDS', guid: m![1], age: Number(m![2]), pdbPath: m![3] });
      expect(img.codeView()).toBe(cv);
    });

    test('exports match llvm-readobj', () => {
      const ex = img.exports();
      if (!e.exports) {
        expect(ex).toBeUndefined();
        return;
      }
      expect(ex).toBeDefined();
      const base = e.path.split('/').pop()!;
      expect(ex!.dllName.toLowerCase()).toBe(base.toLowerCase());
      const lines = ex!.entries.map((x) => [x.ordinal, x.name ?? '', x.rva] as [number, string, number]);
      expect(lines.length).toBe(e.exports.count);
      const digest = createHash('sha256')
        .update(lines.map(([o, n, a]) => `${o} ${n} ${a.toString(16)}\n`).join(''))
        .digest('hex');
      expect(digest).toBe(e.exports.digest);
      if (e.exports.list) expect(lines).toEqual(e.exports.list);
      for (const s of e.exports.samples ?? []) expect(lines).toContainEqual(s);
      expect(ex!.entries.every((x) => x.forwarder === undefined)).toBe(true); // no corpus DLL forwards
      expect(img.exports()).toBe(ex);
    });
  });

  test('specific exports: basic32.dll, softokn3.dll, mozglue.dll', () => {
    const basic = PeImage.open(corpusPath('mozilla_dump_syms/test_data/windows/basic32.dll'));
    try {
      const ex = basic.exports()!;
      expect(ex.ordinalBase).toBe(1);
      expect(ex.entries[0]).toEqual({ ordinal: 1, name: '??0A@@QAE@$$QAV0@@Z', rva: 0x235b, forwarder: undefined });
    } finally {
      basic.close();
    }
    const soft = PeImage.open(corpusPath('mstange_samply/fixtures/win64-ci/softokn3.dll'));
    try {
      const ex = soft.exports()!;
      // lld writes Base 0 and leaves slot 0 empty; that slot is not an export.
      expect(ex.ordinalBase).toBe(0);
      expect(ex.dllName).toBe('softokn3.dll');
      expect(ex.entries.map((x) => x.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(ex.entries.find((x) => x.name === 'NSC_ModuleDBFunc')).toEqual({ ordinal: 10, name: 'NSC_ModuleDBFunc', rva: 0xc680, forwarder: undefined });
      // Two names for one address are two exports.
      expect(ex.entries.filter((x) => x.rva === 0xf1b0).map((x) => x.name)).toEqual(['C_GetFunctionList', 'NSC_GetFunctionList']);
    } finally {
      soft.close();
    }
    const glue = PeImage.open(corpusPath('mstange_samply/fixtures/win64-ci/mozglue.dll'));
    try {
      const ex = glue.exports()!;
      expect(ex.entries.length).toBe(321);
      expect(new Set(ex.entries.map((x) => x.ordinal)).size).toBe(321);
      expect(ex.entries.every((x) => x.name !== undefined)).toBe(true);
    } finally {
      glue.close();
    }
  });

  test('opening reads the headers only; exports and debug data are read on first use', () => {
    const img = PeImage.open(corpusPath('mstange_samply/fixtures/win64-ci/mozglue.dll'));
    try {
      const headers = img.source.bytesRead;
      expect(headers).toBeLessThan(1024);
      img.codeView();
      const afterCv = img.source.bytesRead;
      expect(afterCv - headers).toBeLessThan(1024);
      img.exports();
      const afterExports = img.source.bytesRead;
      const dir = img.dataDirectory(0)!;
      // One read of the export directory's range serves the tables and every name.
      expect(afterExports - afterCv).toBeLessThanOrEqual(dir.size + 64);
      img.exports();
      img.codeView();
      expect(img.source.bytesRead).toBe(afterExports);
    } finally {
      img.close();
    }
  });

  test('a PDB given as an image is BAD_FORMAT saying it is not a PE image', () => {
    const pdb = manifest().find((m) => m.kind === 'pdb')!.local_path;
    expect(() => PeImage.open(corpusPath(pdb))).toThrow(/not a PE image: no 'MZ' signature \(this is a PDB file\) at offset 0x0/);
    try {
      PeImage.open(corpusPath(pdb));
    } catch (err) {
      expect(err).toBeInstanceOf(DbgHelpError);
      expect((err as DbgHelpError).code).toBe('BAD_FORMAT');
      expect((err as DbgHelpError).file).toBe(corpusPath(pdb));
    }
  });

  test('fromSource over a buffer gives the same answers as open', () => {
    const path = corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.exe');
    const img = PeImage.fromSource(new BufferSource(fs.readFileSync(path), 'crash.exe'));
    expect(img.fileName).toBe('crash.exe');
    expect(img.symbolStoreKey).toBe('5AB380779000');
    expect(img.debugDirectories()[0].type).toBe(ImageDebugType.CODEVIEW);
    expect(img.codeView()).toMatchObject({ guid: '3249D99D-0C40-4931-8610-F4E4FB0B6936', age: 1 });
  });
});

test('a missing file is FILE_NOT_FOUND', () => {
  expect(() => PeImage.open('/nonexistent/dir/x.dll')).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
});
