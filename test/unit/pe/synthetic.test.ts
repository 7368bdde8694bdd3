/** Hand-built PEs (build-pe.ts): the shapes the corpus lacks, and malformed headers. */
import { DbgHelpError } from '../../../lib/api/errors';
import { Rva } from '../../../lib/formats/binary/address';
import { BufferSource } from '../../../lib/formats/binary/source';
import { ImageDirectoryEntry, PeImage } from '../../../lib/formats/pe';
import { withU32 } from '../../helpers/mutate';
import { buildPe, guidBytes, PeSpec } from './build-pe';

const r = (n: number) => n as Rva;
const open = (buf: Uint8Array, name = 'synthetic.dll') => PeImage.fromSource(new BufferSource(buf, name));
const GUID = '01234567-89AB-CDEF-0011-223344556677';

function badFormat(fn: () => unknown, message: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DbgHelpError);
  expect((err as DbgHelpError).code).toBe('BAD_FORMAT');
  expect((err as DbgHelpError).message).toMatch(message);
  expect((err as DbgHelpError).message).toMatch(/synthetic\.dll: .* at offset 0x[0-9a-f]+$/);
}

describe('PE32 and PE32+', () => {
  test.each([
    [false, 0x14c, 0x10000000n],
    [true, 0x8664, 0x180000000n],
    [true, 0xaa64, 0x7ff612340000n],
  ])('is64=%s machine=%s', (is64, machine, imageBase) => {
    const { buf, layout } = buildPe({ is64, machine, imageBase, timeDateStamp: 0x0abcdef0, characteristics: 0x2022, entryPoint: 0x1010 });
    const img = open(buf);
    expect(img.is64).toBe(is64);
    expect(img.machine).toBe(machine);
    expect(img.imageBase).toBe(imageBase);
    expect(img.timeDateStamp).toBe(0x0abcdef0);
    expect(img.entryPoint).toBe(0x1010);
    expect(img.isDll).toBe(true);
    expect(img.sizeOfImage).toBe(layout.sizeOfImage);
    expect(img.symbolStoreKey).toBe('0ABCDEF02000');
    expect(img.optionalHeader.magic).toBe(is64 ? 0x20b : 0x10b);
    expect(img.sections.map((s) => s.name)).toEqual(['.text']);
    expect(img.numberOfRvaAndSizes).toBe(16);
    expect(img.dataDirectory(ImageDirectoryEntry.EXPORT)).toBeUndefined();
    expect(img.dataDirectory(99)).toBeUndefined();
    expect(img.exports()).toBeUndefined();
    expect(img.debugDirectories()).toEqual([]);
    expect(img.codeView()).toBeUndefined();
  });

  test('symstore key: %08X timestamp, lower-case %x size', () => {
    const img = open(buildPe({ timeDateStamp: 0xab, sections: [{ name: '.text', data: new Uint8Array(1), virtualSize: 0xc000 }] }).buf);
    expect(img.symbolStoreKey).toBe('000000ABd000');
  });

  test('fewer than 16 data directories', () => {
    const img = open(buildPe({ numberOfRvaAndSizes: 2, exports: { dllName: 'a.dll', functions: [0x1000], names: { f: 0 } } }).buf);
    expect(img.numberOfRvaAndSizes).toBe(2);
    expect(img.dataDirectory(ImageDirectoryEntry.DEBUG)).toBeUndefined();
    expect(img.debugDirectories()).toEqual([]);
    expect(img.exports()!.entries).toHaveLength(1);
  });
});

describe('exports', () => {
  const spec: PeSpec = {
    exports: {
      dllName: 'SYNTH.dll',
      base: 5,
      timeDateStamp: 0x5eba81a4,
      functions: [0x1000, { forward: 'NTDLL.RtlAllocateHeap' }, 0x1004, 0, 0x1008, { forward: 'KERNEL32.#12' }],
      names: { Alloc: 1, Zeta: 0, Alpha: 0, ByOrdinalForward: 5 },
    },
  };

  test('names, ordinals, aliases, ordinal-only exports, unused slots, forwarders', () => {
    const { buf, layout } = buildPe(spec);
    const img = open(buf);
    const ex = img.exports()!;
    expect(ex.dllName).toBe('SYNTH.dll');
    expect(ex.ordinalBase).toBe(5);
    expect(ex.timeDateStamp).toBe(0x5eba81a4);
    expect(ex.entries).toEqual([
      { ordinal: 5, name: 'Alpha', rva: 0x1000, forwarder: undefined },
      { ordinal: 5, name: 'Zeta', rva: 0x1000, forwarder: undefined },
      { ordinal: 6, name: 'Alloc', rva: layout.forwarders['NTDLL.RtlAllocateHeap'], forwarder: 'NTDLL.RtlAllocateHeap' },
      { ordinal: 7, name: undefined, rva: 0x1004, forwarder: undefined }, // by ordinal only
      // ordinal 8 is an unused slot (RVA 0)
      { ordinal: 9, name: undefined, rva: 0x1008, forwarder: undefined },
      { ordinal: 10, name: 'ByOrdinalForward', rva: layout.forwarders['KERNEL32.#12'], forwarder: 'KERNEL32.#12' },
    ]);
    const dir = img.dataDirectory(ImageDirectoryEntry.EXPORT)!;
    expect(layout.forwarders['NTDLL.RtlAllocateHeap']).toBeGreaterThanOrEqual(dir.rva);
    expect(layout.forwarders['NTDLL.RtlAllocateHeap']).toBeLessThan(dir.rva + dir.size);
  });

  test('is read lazily, once', () => {
    const { buf } = buildPe(spec);
    const img = open(buf);
    const headers = img.source.bytesRead;
    expect(headers).toBeLessThan(0x200);
    const ex = img.exports();
    expect(img.source.bytesRead).toBeGreaterThan(headers);
    const after = img.source.bytesRead;
    expect(img.exports()).toBe(ex);
    expect(img.source.bytesRead).toBe(after);
  });

  test('an export RVA just past the directory is code, not a forwarder', () => {
    const { buf, layout } = buildPe(spec);
    const end = layout.exportDir!.rva + layout.exportDir!.size;
    const patched = withU32(buf, layout.exportDir!.fileOffset + 40, end); // function 0
    const first = open(patched).exports()!.entries[0];
    expect(first).toEqual({ ordinal: 5, name: 'Alpha', rva: end, forwarder: undefined });
  });

  test('NumberOfNames larger than the file can hold is BAD_FORMAT, not a hang', () => {
    const { buf, layout } = buildPe(spec);
    badFormat(() => open(withU32(buf, layout.exportDir!.fileOffset + 24, 0xffffffff)).exports(), /export name table \(4294967295 entries\).*needs 17179869180 bytes/);
  });

  test('NumberOfFunctions larger than the file can hold is BAD_FORMAT', () => {
    const { buf, layout } = buildPe(spec);
    badFormat(() => open(withU32(buf, layout.exportDir!.fileOffset + 20, 0x40000000)).exports(), /export address table/);
  });

  test('a name ordinal past the address table is BAD_FORMAT', () => {
    const { buf, layout } = buildPe(spec);
    badFormat(() => open(withU32(buf, layout.exportDir!.fileOffset + 20, 1)).exports(), /export name ordinal index \d+ is past the 1-entry address table/);
  });

  test('a name RVA outside the file is BAD_FORMAT pointing at the name table', () => {
    const { buf, layout } = buildPe(spec);
    const namesAt = layout.exportDir!.fileOffset + 40 + 6 * 4;
    const err = (() => {
      try {
        open(withU32(buf, namesAt, 0x7fff0000)).exports();
      } catch (e) {
        return e as DbgHelpError;
      }
    })();
    expect(err?.code).toBe('BAD_FORMAT');
    expect(err?.message).toBe(`synthetic.dll: export name at RVA 0x7fff0000 is not backed by file data (RVA stored) at offset 0x${namesAt.toString(16)}`);
  });

  test('an unterminated forwarder string is BAD_FORMAT', () => {
    const { buf, layout } = buildPe(spec);
    // Shrink the directory so it ends inside the last forwarder string.
    const dirSizeAt = layout.optionalHeader + 96 + 4;
    const fwd = layout.forwarders['KERNEL32.#12'];
    badFormat(() => open(withU32(buf, dirSizeAt, fwd + 4 - layout.exportDir!.rva)).exports(), /unterminated export forwarder string/);
  });

  test('the export directory in a bss tail is BAD_FORMAT', () => {
    const { buf, layout } = buildPe({ ...spec, sections: [{ name: '.bss', data: new Uint8Array(0), virtualSize: 0x1000 }] });
    const exportRvaAt = layout.optionalHeader + 96;
    badFormat(() => open(withU32(buf, exportRvaAt, 0x1010)).exports(), /IMAGE_EXPORT_DIRECTORY at RVA 0x1010 is not backed by file data/);
  });
});

describe('debug directory', () => {
  test('RSDS', () => {
    const img = open(
      buildPe({
        is64: true,
        debug: [
          { type: 13, data: new Uint8Array(12) },
          { type: 'RSDS', guid: guidBytes(GUID), age: 7, pdbPath: 'C:\\b\\x.pdb' },
        ],
      }).buf,
    );
    expect(img.debugDirectories().map((d) => d.type)).toEqual([13, 2]);
    expect(img.codeView()).toEqual({ signature: 'RSDS', guid: GUID, age: 7, pdbPath: 'C:\\b\\x.pdb' });
  });

  test('NB10', () => {
    const img = open(buildPe({ debug: [{ type: 'NB10', offset: 0, timestamp: 0x3a2b1c0d, age: 2, pdbPath: 'old.pdb' }] }).buf);
    expect(img.codeView()).toEqual({ signature: 'NB10', offset: 0, timestamp: 0x3a2b1c0d, age: 2, pdbPath: 'old.pdb' });
  });

  test('the first CodeView entry naming a PDB wins; NB09 embedded CodeView is skipped', () => {
    const nb09 = new Uint8Array([0x4e, 0x42, 0x30, 0x39, 8, 0, 0, 0]);
    const img = open(
      buildPe({
        debug: [
          { type: 2, data: nb09 },
          { type: 'RSDS', guid: guidBytes(GUID), age: 1, pdbPath: 'first.pdb' },
          { type: 'RSDS', guid: guidBytes(GUID), age: 2, pdbPath: 'second.pdb' },
        ],
      }).buf,
    );
    expect(img.codeView()).toMatchObject({ pdbPath: 'first.pdb', age: 1 });
  });

  test('a UTF-8 PDB path', () => {
    const img = open(buildPe({ debug: [{ type: 'RSDS', guid: guidBytes(GUID), age: 1, pdbPath: 'C:\\ü\\x.pdb' }] }).buf);
    expect(img.codeView()!.pdbPath).toBe('C:\\ü\\x.pdb');
  });

  test('no debug directory', () => {
    const img = open(buildPe({ exports: { dllName: 'a.dll', functions: [0x1000] } }).buf);
    expect(img.debugDirectories()).toEqual([]);
    expect(img.codeView()).toBeUndefined();
  });

  test('a debug directory with only non-CodeView entries', () => {
    const img = open(buildPe({ debug: [{ type: 12, data: new Uint8Array(20) }] }).buf);
    expect(img.debugDirectories()).toHaveLength(1);
    expect(img.codeView()).toBeUndefined();
  });

  test('truncated CV_INFO_PDB70 and an unterminated path are BAD_FORMAT', () => {
    const { buf, layout } = buildPe({ debug: [{ type: 'RSDS', guid: guidBytes(GUID), age: 1, pdbPath: 'x.pdb' }] });
    const sizeAt = layout.debugDir!.fileOffset + 16;
    badFormat(() => open(withU32(buf, sizeAt, 10)).codeView(), /truncated CV_INFO_PDB70/);
    badFormat(() => open(withU32(buf, sizeAt, 24 + 5)).codeView(), /unterminated CV_INFO_PDB70 PDB path/);
  });

  test('debug data past the end of the file is BAD_FORMAT', () => {
    const { buf, layout } = buildPe({ debug: [{ type: 'RSDS', guid: guidBytes(GUID), age: 1, pdbPath: 'x.pdb' }] });
    badFormat(() => open(withU32(buf, layout.debugDir!.fileOffset + 24, 0x7ffffff0)).codeView(), /truncated debug data \(type 2\)/);
  });
});

describe('RVA to file offset', () => {
  const { buf, layout } = buildPe({
    sections: [
      { name: '.text', data: new Uint8Array(0x300).fill(0x90), characteristics: 0x60000020 },
      { name: '.data', data: new Uint8Array(0x10).fill(0xdd), virtualSize: 0x2800 },
      { name: '.bss', data: new Uint8Array(0), virtualSize: 0x1000, characteristics: 0xc0000080 },
    ],
  });
  const img = open(buf);
  const [text, data, bss] = layout.sections;

  test('section data', () => {
    expect(img.rvaToFileOffset(r(text.rva))).toBe(text.fileOffset);
    expect(img.rvaToFileOffset(r(text.rva + 0x2ff))).toBe(text.fileOffset + 0x2ff);
    expect(img.readAtRva(r(text.rva + 0x10), 4, 'code').u32()).toBe(0x90909090);
  });

  test('a section shorter in the file than in memory: the tail is not file-backed', () => {
    // SizeOfRawData is 0x200 (file alignment), VirtualSize 0x2800.
    expect(img.sections[1]).toMatchObject({ virtualSize: 0x2800, sizeOfRawData: 0x200 });
    expect(img.rvaToFileOffset(r(data.rva + 0x1ff))).toBe(data.fileOffset + 0x1ff);
    expect(img.rvaToFileOffset(r(data.rva + 0x200))).toBeUndefined();
    expect(img.rvaToFileOffset(r(data.rva + 0x27ff))).toBeUndefined();
    expect(() => img.readAtRva(r(data.rva + 0x1fc), 8, 'straddling read')).toThrow(/straddling read at RVA 0x[0-9a-f]+ needs 8 bytes but only 4 are in the file/);
  });

  test('a section with no file data at all', () => {
    expect(img.sections[2]).toMatchObject({ name: '.bss', sizeOfRawData: 0, pointerToRawData: 0 });
    expect(img.rvaToFileOffset(r(bss.rva))).toBeUndefined();
    expect(() => img.readAtRva(r(bss.rva), 1, 'bss')).toThrow(/bss at RVA 0x[0-9a-f]+ is not backed by file data \(per the section table\) at offset 0x[0-9a-f]+/);
  });

  test('readAtRvaKept: the bytes and failures of readAtRva, each section read once', () => {
    const reads: [number, number][] = [];
    const counted = new BufferSource(buf, 'synthetic.dll');
    const read = counted.read.bind(counted);
    counted.read = (offset: number, length: number) => (reads.push([offset, length]), read(offset, length));
    const kept = PeImage.fromSource(counted);
    const plain = open(buf);
    const outcome = (f: () => { offset: number; remaining: number; u8(): number }) => {
      try {
        const c = f();
        const bytes: number[] = [];
        const at = c.offset;
        while (c.remaining > 0) bytes.push(c.u8());
        return [at, bytes];
      } catch (e) {
        return [(e as Error).message];
      }
    };
    reads.length = 0;
    for (const [rv, n] of [
      [text.rva, 4],
      [text.rva + 0x2fc, 4],
      [text.rva + 0x2fe, 4],
      [data.rva + 0x1fc, 4],
      [data.rva + 0x1fc, 8],
      [data.rva + 0x200, 1],
      [bss.rva, 1],
      [0, 2],
      [text.rva + 0x10, 0x20],
    ] as [number, number][]) {
      expect([rv, n, outcome(() => kept.readAtRvaKept(r(rv), n, 'x'))]).toEqual([rv, n, outcome(() => plain.readAtRva(r(rv), n, 'x'))]);
    }
    // .text and .data whole, once each; the headers through readAtRva.
    expect(reads.filter(([o]) => o === text.fileOffset || o === data.fileOffset)).toEqual([
      [text.fileOffset, 0x300],
      [data.fileOffset, 0x200],
    ]);
  });

  test('the headers are mapped at RVA 0 up to SizeOfHeaders', () => {
    expect(img.readAtRva(r(0), 2, 'MZ').u16()).toBe(0x5a4d);
    expect(img.rvaToFileOffset(r(0x1ff))).toBe(0x1ff);
    expect(img.rvaToFileOffset(r(0x200))).toBeUndefined(); // between SizeOfHeaders and the first section
  });

  test('past the image', () => {
    expect(img.rvaToFileOffset(r(0xfffffff0))).toBeUndefined();
  });
});

describe('malformed headers', () => {
  const { buf, layout } = buildPe({ exports: { dllName: 'a.dll', functions: [0x1000] } });

  test('not MZ', () => {
    badFormat(() => open(new Uint8Array(100)), /not a PE image: no 'MZ' signature at offset 0x0/);
    badFormat(() => open(new Uint8Array(0)), /not a PE image: no 'MZ' signature \(the file is empty\)/);
    badFormat(() => open(new TextEncoder().encode('\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0')), /this is an ELF file/);
  });

  test('MZ but shorter than IMAGE_DOS_HEADER', () => {
    badFormat(() => open(buf.subarray(0, 10)), /truncated IMAGE_DOS_HEADER: need 64 bytes/);
  });

  test('e_lfanew past the end of the file', () => {
    badFormat(() => open(withU32(buf, 0x3c, 0xfffffff0)), /e_lfanew 0xfffffff0 leaves no room .* at offset 0x3c/);
  });

  test('no PE signature (an MS-DOS or NE executable)', () => {
    badFormat(() => open(withU32(buf, layout.ntHeaders, 0)), /not a PE image: no 'PE\\0\\0' signature at e_lfanew \(an MS-DOS executable\?\) at offset 0x80/);
    badFormat(() => open(withU32(buf, layout.ntHeaders, 0x454e)), /found 'NE'/);
  });

  test('bad optional header magic', () => {
    const b = Uint8Array.from(buf);
    b[layout.optionalHeader] = 0x07;
    b[layout.optionalHeader + 1] = 0x01;
    badFormat(() => open(b), /bad optional header magic 0x107/);
  });

  test('SizeOfOptionalHeader 0 or too small', () => {
    const b = Uint8Array.from(buf);
    b[layout.ntHeaders + 20] = 0;
    b[layout.ntHeaders + 21] = 0;
    badFormat(() => open(b), /SizeOfOptionalHeader is 0/);
    b[layout.ntHeaders + 20] = 50;
    badFormat(() => open(b), /SizeOfOptionalHeader 50 is smaller than the 96-byte PE32 optional header/);
  });

  test('NumberOfSections past the end of the file', () => {
    const b = Uint8Array.from(buf);
    b[layout.ntHeaders + 6] = 0xff;
    b[layout.ntHeaders + 7] = 0xff;
    badFormat(() => open(b), /NumberOfSections 65535 \(2621400 bytes at 0x178\) runs past the end of the 1536-byte file at offset 0x86/);
  });

  test('NumberOfRvaAndSizes larger than the optional header: only what fits is read', () => {
    const img = open(withU32(buf, layout.optionalHeader + 92, 0xffffffff));
    expect(img.numberOfRvaAndSizes).toBe(0xffffffff);
    expect(img.optionalHeader.dataDirectories).toHaveLength(16);
    expect(img.exports()!.entries).toHaveLength(1);
  });

  test('a file that is not a PE, opened by path, is closed again', () => {
    // open() closes its FileSource when the headers are bad: reading /proc/self/cmdline is not a PE.
    expect(() => PeImage.open('/proc/self/cmdline')).toThrow(DbgHelpError);
  });
});

describe('hostile but well-formed-looking tables stay fast', () => {
  test('thousands of export names pointing into one long unterminated-looking run', () => {
    const run = new Uint8Array(0x10000).fill(0x41);
    run[run.length - 1] = 0;
    const rawNames = Array.from({ length: 20000 }, (_, i): [number, number] => [0x1000 + (i % 64), 0]);
    const { buf } = buildPe({ sections: [{ name: '.data', data: run }], exports: { dllName: 'a.dll', functions: [0x1000], rawNames } });
    const t0 = Date.now();
    badFormat(() => open(buf).exports(), /export strings add up to more than twice the file/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('thousands of foreign CodeView entries cost four bytes each', () => {
    const debug = Array.from({ length: 5000 }, () => ({ type: 2, data: new TextEncoder().encode('NB11xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') }));
    const img = open(buildPe({ debug }).buf);
    const before = img.source.bytesRead;
    expect(img.codeView()).toBeUndefined();
    expect(img.source.bytesRead - before).toBeLessThan(5000 * 28 + 5000 * 4 + 1);
  });

  test('65535 sections: RVA lookups are not linear in the section count', () => {
    const sections = Array.from({ length: 65535 }, (_, i) => ({ name: `s${i}`, data: new Uint8Array(0), virtualSize: 0x1000 }));
    const { buf, layout } = buildPe({ sections });
    const img = open(buf);
    expect(img.sections).toHaveLength(65535);
    const t0 = Date.now();
    let unbacked = 0;
    for (let i = 0; i < 65535; i++) if (img.rvaToFileOffset(layout.sections[i].rva as Rva) === undefined) unbacked++;
    expect(unbacked).toBe(65535);
    expect(img.rvaToFileOffset(0x40 as Rva)).toBe(0x40);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('overlapping sections (malformed) still map each RVA to a section that contains it', () => {
    const { buf, layout } = buildPe({
      sections: [
        { name: '.big', data: new Uint8Array(0x400).fill(1), virtualSize: 0x8000 },
        { name: '.b', data: new Uint8Array(0x200).fill(2) },
      ],
    });
    // Move .b's VirtualAddress inside .big's range, and .big's raw data stays at its offset.
    const b = withU32(buf, layout.sectionTable + 40 + 12, 0x1100);
    const img = open(b);
    expect(img.rvaToFileOffset(0x1010 as Rva)).toBe(layout.sections[0].fileOffset + 0x10);
    expect(img.rvaToFileOffset(0x1110 as Rva)).toBe(layout.sections[1].fileOffset + 0x10);
    expect(img.rvaToFileOffset(0x1400 as Rva)).toBeUndefined(); // in .big's bss tail, past .b
  });
});
