/**
 * The STACK record writers on their own: STACK CFI from hand-built x64 images (each unwind code,
 * chained and indirect entries, machine frames: the numbers dump_syms' PrintPEFrameData gives),
 * STACK WIN lines for FPO/FRAMEDATA fields and OMAP splits, and truncated / corrupted images
 * that give DbgHelpError (BAD_FORMAT) and nothing else.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DbgHelpError } from '../../../lib/api/errors';
import { detailedStackCfiRecords, dumpSymsFromImage, peFrameSizes, stackCfiRecords, stackWinLine, stackWinRecords } from '../../../lib/breakpad';
import { PassThrough } from 'stream';
import { PdbAddresses } from '../../../lib/breakpad/pdb-symbols';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { PeImage } from '../../../lib/formats/pe/pe-image';
import { corruptions, truncations } from '../../helpers/mutate';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');

/** A minimal PE32+ image: headers, one section at 0x1000 holding .pdata at 0x1000 and .xdata at 0x1800. */
function image(pdata: number[][], xdata: Array<[number, number[]]>): Uint8Array {
  const b = new Uint8Array(0x3000);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, 0x5a4d, true);
  dv.setUint32(0x3c, 0x80, true);
  dv.setUint32(0x80, 0x4550, true);
  dv.setUint16(0x84, 0x8664, true); // Machine
  dv.setUint16(0x86, 1, true); // NumberOfSections
  dv.setUint16(0x94, 240, true); // SizeOfOptionalHeader
  dv.setUint16(0x96, 0x22, true);
  const o = 0x98;
  dv.setUint16(o, 0x20b, true);
  dv.setUint32(o + 32, 0x1000, true); // SectionAlignment
  dv.setUint32(o + 36, 0x200, true); // FileAlignment
  dv.setUint32(o + 56, 0x3000, true); // SizeOfImage
  dv.setUint32(o + 60, 0x400, true); // SizeOfHeaders
  dv.setUint32(o + 108, 16, true); // NumberOfRvaAndSizes
  dv.setUint32(o + 112 + 3 * 8, 0x1000, true); // EXCEPTION directory
  dv.setUint32(o + 112 + 3 * 8 + 4, pdata.length * 12, true);
  const s = o + 240;
  b.set([0x2e, 0x74, 0x65, 0x78, 0x74], s);
  dv.setUint32(s + 8, 0x2000, true); // VirtualSize
  dv.setUint32(s + 12, 0x1000, true); // VirtualAddress
  dv.setUint32(s + 16, 0x2000, true); // SizeOfRawData
  dv.setUint32(s + 20, 0x1000, true); // PointerToRawData (file offset = RVA)
  dv.setUint32(s + 36, 0x60000020, true);
  pdata.forEach((e, i) => e.forEach((v, k) => dv.setUint32(0x1000 + i * 12 + k * 4, v, true)));
  for (const [at, bytes] of xdata) b.set(bytes, at);
  return b;
}

const open = (b: Uint8Array) => PeImage.fromSource(new BufferSource(b, 'fake.dll'));
/** UNWIND_INFO bytes: version 1, flags, prolog size, codes (slot pairs), frame register. */
const info = (flags: number, prolog: number, slots: number[][], extra: number[] = []) => {
  const codes = slots.flat();
  const pad = slots.length & 1 ? [0, 0] : [];
  return [1 | (flags << 3), prolog, slots.length, 0, ...codes, ...pad, ...extra];
};
const u32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];

describe('STACK CFI from .pdata (dump_syms PrintPEFrameData)', () => {
  test('each unwind code counted as dump_syms counts it', () => {
    const b = image(
      [
        [0x2000, 0x2010, 0x1800], // push rbx; push rbp: 8 + 16
        [0x2010, 0x2020, 0x1810], // sub rsp, 0x28 (ALLOC_SMALL 4): 8 + 40
        [0x2020, 0x2030, 0x1820], // ALLOC_LARGE 0: 0x100 * 8; SAVE_NONVOL (operand skipped)
        [0x2030, 0x2040, 0x1830], // ALLOC_LARGE 1: 0x12345; SAVE_XMM128_FAR (2 operands)
        [0x2040, 0x2050, 0x1840], // PUSH_MACHFRAME with error code: 88, ra at 88
        [0x2050, 0x2060, 0x1850], // chained to 0x1800's parent codes
        [0x2060, 0x2070, 0x1001], // indirect: 0x1000's unwind data
        [0x2070, 0x2080, 0x1870], // SET_FPREG ignored
      ],
      [
        [
          0x1800,
          info(0, 2, [
            [2, 0x50],
            [1, 0x30],
          ]),
        ],
        [0x1810, info(0, 4, [[4, 0x42]])],
        [
          0x1820,
          info(0, 9, [
            [9, 0x01],
            [0x00, 0x01],
            [7, 0x34],
            [0x10, 0x00],
          ]),
        ],
        [
          0x1830,
          info(0, 9, [
            [9, 0x11],
            [0x45, 0x23],
            [0x01, 0x00],
            [5, 0x69],
            [0, 0],
            [0, 0],
          ]),
        ],
        [0x1840, info(0, 0, [[0, 0x1a]])],
        [0x1850, info(4, 1, [[1, 0x02]], [...u32(0x2000), ...u32(0x2010), ...u32(0x1800)])],
        [
          0x1870,
          info(0, 5, [
            [5, 0x53],
            [1, 0x50],
          ]),
        ],
      ],
    );
    const img = open(b);
    expect([...peFrameSizes(img)].map((f) => [f.begin, f.stackSize, f.ripOffset])).toEqual([
      [0x2000, 24, 8],
      [0x2010, 48, 8],
      [0x2020, 8 + 0x800, 8],
      [0x2030, 8 + 0x12345, 8],
      [0x2040, 96, 88],
      [0x2050, 8 + 8 + 16, 8],
      [0x2060, 24, 8],
      [0x2070, 16, 8],
    ]);
    expect([...stackCfiRecords(img)].slice(8, 10)).toEqual(['STACK CFI INIT 2040 10 .cfa: $rsp .ra: .cfa 88 - ^', 'STACK CFI 2040 .cfa: $rsp 96 +']);
  });

  test('operand slots past the code array are not read (dump_syms checks c < count)', () => {
    const img = open(image([[0x2000, 0x2010, 0x1800]], [[0x1800, info(0, 4, [[4, 0x11]])]]));
    expect([...peFrameSizes(img)][0].stackSize).toBe(8);
  });

  test('a chain that loops is BAD_FORMAT', () => {
    const img = open(image([[0x2000, 0x2010, 0x1800]], [[0x1800, info(4, 0, [], [...u32(0x2000), ...u32(0x2010), ...u32(0x1800)])]]));
    expect(() => [...peFrameSizes(img)]).toThrow(/more than 32 chained UNWIND_INFO/);
    const ind = open(image([[0x2000, 0x2010, 0x1001]], []));
    expect(() => [...peFrameSizes(ind)]).toThrow(/more than 32 indirect entries/);
  });

  test('an x86 image or one without .pdata writes nothing', () => {
    const x86 = PeImage.open(path.join(FIXTURES, 'basic-x86.exe'));
    try {
      expect([...stackCfiRecords(x86)]).toEqual([]);
    } finally {
      x86.close();
    }
    expect([...stackCfiRecords(open(image([], [])))]).toEqual([]);
  });

  test('truncated and corrupted images: DbgHelpError or records, never another error', () => {
    const real = new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'basic-x64.exe')));
    let failures = 0;
    for (const b of [...truncations(real, 509), ...corruptions(real, 60, 40, 7)]) {
      try {
        const img = PeImage.fromSource(new BufferSource(b, 'mutated.exe'));
        for (const l of stackCfiRecords(img)) expect(l).toMatch(/^STACK CFI (INIT [0-9a-f]+ [0-9a-f]+ \.cfa: \$rsp \.ra: \.cfa \d+ - \^|[0-9a-f]+ \.cfa: \$rsp \d+ \+)$/);
        for (const l of detailedStackCfiRecords(img)) expect(l).toMatch(/^STACK CFI (INIT [0-9a-f]+ [0-9a-f]+ |[0-9a-f]+ )(\.cfa: |\$r)/);
      } catch (e) {
        expect(e).toBeInstanceOf(DbgHelpError);
        expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});

describe('detailed STACK CFI', () => {
  test('a rule set after each prolog instruction; the frame register; a save in the home area', () => {
    const codes = info(0, 0x0c, [
      [0x0c, 0x34],
      [6, 0],
      [8, 0x32],
      [4, 0x03],
      [1, 0x50],
    ]);
    codes[3] = 0x05; // frame register RBP, offset 0
    const img = open(
      image(
        [
          [0x2000, 0x2040, 0x1800],
          [0x2040, 0x2050, 0x1820],
        ],
        [
          [0x1800, codes],
          [0x1820, info(4, 0, [], [...u32(0x2000), ...u32(0x2040), ...u32(0x1800)])],
        ],
      ),
    );
    expect([...detailedStackCfiRecords(img)]).toEqual([
      'STACK CFI INIT 2000 40 .cfa: $rsp 8 + .ra: .cfa 8 - ^',
      'STACK CFI 2001 .cfa: $rsp 16 + $rbp: .cfa 16 - ^',
      'STACK CFI 2004 .cfa: $rbp 16 +',
      'STACK CFI 200c $rbx: .cfa 32 + ^',
      // The chained fragment starts with its parent's whole state.
      'STACK CFI INIT 2040 10 .cfa: $rbp 16 + .ra: .cfa 8 - ^ $rbp: .cfa 16 - ^ $rbx: .cfa 32 + ^',
    ]);
  });
});

describe('dumpSymsFromImage', () => {
  test('an image without an RSDS record is UNSUPPORTED', async () => {
    await expect(dumpSymsFromImage({ image: open(image([], [])), out: new PassThrough() })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
  test('basic-x64.exe: MODULE from its RSDS record, one CFI pair per .pdata entry', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const img = PeImage.open(path.join(FIXTURES, 'basic-x64.exe'));
    try {
      const cv = img.codeView()!;
      const r = await dumpSymsFromImage({ image: img, out });
      const lines = text.trim().split('\n');
      expect(lines[0]).toBe(`MODULE windows x86_64 ${r.module.id} basic-x64.pdb`);
      expect(r.module.id.startsWith(cv.signature === 'RSDS' ? cv.guid.replace(/[{}-]/g, '').toUpperCase() : '?')).toBe(true);
      expect(lines[1]).toMatch(/^INFO CODE_ID [0-9A-F]{8}[0-9A-F]+ basic-x64\.exe$/);
      expect(lines.length - 2).toBe(r.stack);
      expect(r.stack).toBe(2 * [...peFrameSizes(img)].length);
    } finally {
      img.close();
    }
  });
});

describe('STACK WIN lines', () => {
  const fd = {
    type: 4 as const,
    rva: 0x1000,
    codeSize: 0x20,
    prologSize: 3,
    paramsSize: 8,
    savedRegsSize: 4,
    localsSize: 0x10,
    maxStackSize: 0,
    program: '$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + = ',
    allocatesBasePointer: false,
  };
  test('FRAMEDATA with its program as stored, FPO with allocates_base_pointer', () => {
    expect(stackWinLine(fd, 0x1000, 0x20, 3)).toBe('STACK WIN 4 1000 20 3 0 8 4 10 0 1 $T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + = ');
    expect(stackWinLine({ ...fd, type: 0, program: undefined, allocatesBasePointer: true }, 0x1000, 0x20, 3)).toBe('STACK WIN 0 1000 20 3 0 8 4 10 0 0 1');
  });

  test('basic-x86.pdb: one line per distinct record, FRAMEDATA first, by RVA', () => {
    const pdb = PdbFile.open(path.join(FIXTURES, 'basic-x86.pdb'));
    try {
      const lines = [...stackWinRecords(pdb, new PdbAddresses(pdb))];
      expect(lines.length).toBe(pdb.frameData().length + pdb.fpo().length - duplicates(pdb));
      const types = lines.map((l) => l.split(' ')[2]);
      expect(types.indexOf('0') === -1 || types.lastIndexOf('4') < types.indexOf('0')).toBe(true);
      const rvas = lines.filter((l) => l.startsWith('STACK WIN 4')).map((l) => parseInt(l.split(' ')[3], 16));
      expect(rvas).toEqual([...rvas].sort((a, b) => a - b));
    } finally {
      pdb.close();
    }
  });
});

/** Consecutive records (by RVA, per type) equal in RVA, block size and prolog size. */
function duplicates(pdb: PdbFile): number {
  let n = 0;
  const count = (rows: Array<[number, number, number]>) => {
    rows.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < rows.length; i++) if (rows[i].every((v, k) => v === rows[i - 1][k])) n++;
  };
  count(pdb.frameData().map((r) => [r.rvaStart, r.blockSize, r.prologSize]));
  count(pdb.fpo().map((r) => [r.start, r.size, r.prolog]));
  return n;
}
