/**
 * The cabinet container: CFHEADER with reserved areas and neighbour names, CFFOLDER, CFFILE,
 * CFDATA checksums, stored ("none") folders, and every refusal (BAD_FORMAT with file and offset,
 * UNSUPPORTED for Quantum and multi-cabinet sets). Cabinets are built field by field (cab-builder).
 */
import { deflateRawSync } from 'zlib';
import { DbgHelpError } from '../../../lib/api/errors';
import { cabChecksum, isCab, openCab } from '../../../lib/formats/cab';
import { BuildCab, buildCab } from './cab-builder';
import { expectedFixtures, fixture } from './fixtures';

const text = (s: string) => new TextEncoder().encode(s);
const mszip = (s: Uint8Array) => Uint8Array.from([0x43, 0x4b, ...deflateRawSync(s)]);

function fails(fn: () => unknown, code: string, re: RegExp, file = 't.cab'): DbgHelpError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DbgHelpError);
    const d = e as DbgHelpError;
    expect([d.code, d.message]).toEqual([code, expect.stringMatching(re)]);
    expect(d.message.startsWith(`${file}: `)).toBe(true);
    if (code === 'BAD_FORMAT') {
      expect(d.message).toMatch(/at offset 0x[0-9a-f]+$/);
      expect(d.offset).toEqual(expect.any(Number));
    }
    return d;
  }
  throw new Error('did not throw');
}

describe('cabChecksum ([MS-CAB] 3.1)', () => {
  test('little-endian words, then the 1-3 trailing bytes folded big-endian', () => {
    expect(cabChecksum(Uint8Array.from([1, 2, 3, 4]))).toBe(0x04030201);
    expect(cabChecksum(Uint8Array.from([1, 2, 3, 4, 5]))).toBe((0x04030201 ^ 0x05) >>> 0);
    expect(cabChecksum(Uint8Array.from([1, 2, 3, 4, 5, 6]))).toBe((0x04030201 ^ 0x0506) >>> 0);
    expect(cabChecksum(Uint8Array.from([1, 2, 3, 4, 5, 6, 7]))).toBe((0x04030201 ^ 0x050607) >>> 0);
    expect(cabChecksum(Uint8Array.from([0xff, 0xff, 0xff, 0xff]), 0x0f0f0f0f)).toBe(0xf0f0f0f0);
  });

  test('matches the checksums cabextract accepted in the committed writer fixture', () => {
    const b = fixture('writer-mszip.cab');
    expect(Object.keys(expectedFixtures['writer-mszip.cab'].cabextract)).toHaveLength(4);
    const v = new DataView(b.buffer, b.byteOffset);
    let at = v.getUint32(36, true);
    for (let i = 0; i < v.getUint16(40, true); i++) {
      const cb = v.getUint16(at + 4, true);
      const stored = v.getUint32(at, true);
      expect(stored).not.toBe(0);
      expect(cabChecksum(b.subarray(at + 4, at + 8), cabChecksum(b.subarray(at + 8, at + 8 + cb)))).toBe(stored);
      at += 8 + cb;
    }
  });
});

describe('isCab', () => {
  test('the MSCF signature', () => {
    expect(isCab(text('MSCF\0\0\0\0'))).toBe(true);
    expect(isCab(text('MSC'))).toBe(false);
    expect(isCab(text('MZ\x90\0'))).toBe(false);
    expect(isCab(new Uint8Array(0))).toBe(false);
  });
});

describe('a cabinet with every optional part', () => {
  const hello = text('hello, cabinet\n');
  const big = new Uint8Array(50000).map((_, i) => (i * 31) & 0xff);
  const spec: BuildCab = {
    headerReserve: Uint8Array.from([9, 8, 7, 6, 5]),
    folderReserve: 3,
    dataReserve: 2,
    prev: ['prev.cab', 'Disk 1'],
    next: ['next.cab', 'Disk 3'],
    folders: [
      { typeCompress: 0, reserve: Uint8Array.from([1, 2, 3]), blocks: [{ data: hello, cbUncomp: hello.length, reserve: Uint8Array.from([0xaa, 0x55]) }] },
      {
        typeCompress: 1,
        blocks: [
          { data: mszip(big.subarray(0, 32768)), cbUncomp: 32768 },
          { data: Uint8Array.from([0x43, 0x4b, ...deflateRawSync(big.subarray(32768), { dictionary: big.subarray(0, 32768) })]), cbUncomp: 50000 - 32768 },
        ],
      },
    ],
    files: [
      { name: 'dir\\hello.txt', size: hello.length, offset: 0, folder: 0 },
      { name: 'big.bin', size: 40000, offset: 0, folder: 1 },
      { name: 'tail.bin', size: 10000, offset: 40000, folder: 1 },
      { name: 'grüße.txt', size: 0, offset: 0, folder: 1 },
    ],
  };
  const cab = openCab(buildCab(spec), 't.cab');

  test('header fields, reserved areas and neighbour names', () => {
    const h = cab.header;
    expect([h.versionMajor, h.versionMinor, h.cFolders, h.cFiles, h.setID, h.iCabinet]).toEqual([1, 3, 2, 4, 0x1234, 0]);
    expect([h.cbCFHeader, h.cbCFFolder, h.cbCFData]).toEqual([5, 3, 2]);
    expect(Array.from(h.reserve)).toEqual([9, 8, 7, 6, 5]);
    expect([h.prevCabinet, h.prevDisk, h.nextCabinet, h.nextDisk]).toEqual(['prev.cab', 'Disk 1', 'next.cab', 'Disk 3']);
    expect(cab.folders).toEqual([
      { index: 0, method: 'none', typeCompress: 0, lzxWindowBits: 0, blocks: 1 },
      { index: 1, method: 'mszip', typeCompress: 1, lzxWindowBits: 0, blocks: 2 },
    ]);
  });

  test('file entries: names (UTF-8 flag), sizes, offsets, MS-DOS date and time', () => {
    expect(cab.files.map((f) => [f.name, f.size, f.folder, f.folderOffset, f.attributes])).toEqual([
      ['dir\\hello.txt', 15, 0, 0, 0x20],
      ['big.bin', 40000, 1, 0, 0x20],
      ['tail.bin', 10000, 1, 40000, 0x20],
      ['grüße.txt', 0, 1, 0, 0xa0],
    ]);
    expect(cab.files[0].modified?.toISOString()).toBe('2024-02-29T23:59:58.000Z');
    expect([cab.files[0].dosDate, cab.files[0].dosTime]).toEqual([(44 << 9) | (2 << 5) | 29, (23 << 11) | (59 << 5) | 29]);
  });

  test('extracts a stored folder, and files spanning MSZIP blocks (the second block uses the first as history)', () => {
    expect(Buffer.from(cab.extract('dir\\hello.txt')).toString()).toBe('hello, cabinet\n');
    expect(Buffer.from(cab.extract('big.bin')).equals(Buffer.from(big.subarray(0, 40000)))).toBe(true);
    expect(Buffer.from(cab.extract(cab.files[2])).equals(Buffer.from(big.subarray(40000)))).toBe(true);
    expect(cab.extract('grüße.txt')).toHaveLength(0);
  });

  test('a non-zero data reserve: checksums over data+sizes (libmspack) and over data+sizes+reserve (FCI) both pass', () => {
    // folder 0's block carries reserve bytes AA 55; buildCab summed them in (FCI's way).
    expect(cab.extract('dir\\hello.txt')).toHaveLength(15);
    const libmspackWay = buildCab({
      ...spec,
      folders: [{ ...spec.folders[0], blocks: [{ ...spec.folders[0].blocks[0], csum: cabChecksum(Uint8Array.from([15, 0, 15, 0]), cabChecksum(hello)) }] }, spec.folders[1]],
    });
    expect(Buffer.from(openCab(libmspackWay, 't.cab').extract('dir\\hello.txt')).toString()).toBe('hello, cabinet\n');
  });

  test('names are found exactly, then case-insensitively; extracted arrays are the caller’s own', () => {
    expect(cab.find('BIG.BIN')?.name).toBe('big.bin');
    const a = cab.extract('big.bin');
    a.fill(0);
    expect(cab.extract('big.bin')[1]).toBe(31);
    fails(() => cab.extract('nope.txt'), 'FILE_NOT_FOUND', /no file "nope.txt"/);
  });
});

describe('refusals', () => {
  const hello = text('hello');
  const base: BuildCab = { folders: [{ typeCompress: 0, blocks: [{ data: hello, cbUncomp: 5 }] }], files: [{ name: 'a', size: 5, offset: 0, folder: 0 }] };
  const open = (c: BuildCab | Uint8Array) => openCab(c instanceof Uint8Array ? c : buildCab(c), 't.cab');

  test('not a cabinet, truncated header', () => {
    fails(() => open(text('MZ' + '\0'.repeat(60))), 'BAD_FORMAT', /signature is not "MSCF" at offset 0x0/);
    fails(() => open(buildCab(base).subarray(0, 30)), 'BAD_FORMAT', /truncated CFHEADER/);
  });

  test('no folders, no files, a file naming a missing folder, coffFiles elsewhere', () => {
    fails(() => open({ ...base, folders: [], files: [] }), 'BAD_FORMAT', /no folders/);
    fails(() => open({ ...base, files: [] }), 'BAD_FORMAT', /no files/);
    fails(() => open({ ...base, files: [{ name: 'a', size: 5, offset: 0, folder: 1 }] }), 'BAD_FORMAT', /names folder 1 of 1/);
    const b = buildCab(base);
    new DataView(b.buffer).setUint32(16, 100, true);
    fails(() => open(b), 'BAD_FORMAT', /coffFiles 0x64 is not where the CFFOLDERs end \(0x2c\)/);
  });

  test('names: unterminated, empty, longer than 255 bytes', () => {
    const b = buildCab(base);
    fails(() => open(b.subarray(0, 44 + 16 + 1)), 'BAD_FORMAT', /unterminated CFFILE szName/);
    fails(() => open({ ...base, files: [{ ...base.files[0], name: '' }] }), 'BAD_FORMAT', /empty CFFILE szName/);
    fails(() => open({ ...base, files: [{ ...base.files[0], name: 'x'.repeat(256) }] }), 'BAD_FORMAT', /szName of 256 bytes/);
    fails(() => open({ ...base, prev: ['p'.repeat(256), 'd'] }), 'BAD_FORMAT', /szCabinetPrev of 256 bytes/);
  });

  test('a bad checksum names the block', () => {
    const c = open({ ...base, folders: [{ typeCompress: 0, blocks: [{ data: hello, cbUncomp: 5, csum: 0x12345678 }] }] });
    const e = fails(() => c.extract('a'), 'BAD_FORMAT', /CFDATA block 0 of folder 0: checksum mismatch/);
    expect(e.offset).toBe(44 + 16 + 2);
  });

  test('block sizes: over 32 KiB uncompressed, a stored block whose sizes disagree', () => {
    fails(() => open({ ...base, folders: [{ typeCompress: 0, blocks: [{ data: hello, cbUncomp: 40000 }] }] }).extract('a'), 'BAD_FORMAT', /claims 40000 uncompressed bytes \(at most 32768\)/);
    fails(
      () => open({ ...base, folders: [{ typeCompress: 0, blocks: [{ data: hello, cbUncomp: 4 }] }], files: [{ name: 'a', size: 4, offset: 0, folder: 0 }] }).extract('a'),
      'BAD_FORMAT',
      /stores 5 bytes for 4/,
    );
  });

  test('declared sizes the data cannot produce are refused before decoding', () => {
    // A 10-byte MSZIP block cannot inflate to 32768 bytes (deflate needs 2 bits per 258 bytes).
    const tiny = { data: Uint8Array.from([0x43, 0x4b, 1, 2, 3, 4, 5, 6, 7, 8]), cbUncomp: 32768 };
    fails(() => open({ folders: [{ typeCompress: 1, blocks: [tiny] }], files: [{ name: 'a', size: 32768, offset: 0, folder: 0 }] }).extract('a'), 'BAD_FORMAT', /cannot inflate to 32768/);
    // A file claiming 4 GiB in a 5-byte folder.
    fails(() => open({ ...base, files: [{ name: 'a', size: 0xffffffff, offset: 0, folder: 0 }] }).extract('a'), 'BAD_FORMAT', /ends at byte 4294967295 of folder 0, which holds 5 bytes/);
    // A folder claiming 65535 blocks in a small file.
    const b = buildCab(base);
    new DataView(b.buffer).setUint16(40, 65535, true);
    fails(() => open(b).extract('a'), 'BAD_FORMAT', /CFDATA count 65535/);
  });

  test('Quantum is UNSUPPORTED and says so; unknown methods are BAD_FORMAT', () => {
    fails(
      () => open({ ...base, folders: [{ typeCompress: 2 | (4 << 4) | (18 << 8), blocks: [{ data: hello, cbUncomp: 5 }] }] }).extract('a'),
      'UNSUPPORTED',
      /Quantum compression, which is not supported/,
    );
    fails(() => open({ ...base, folders: [{ typeCompress: 7, blocks: [{ data: hello, cbUncomp: 5 }] }] }).extract('a'), 'BAD_FORMAT', /unknown compression type 7/);
  });

  test('multi-cabinet sets are UNSUPPORTED: continued files, a block split into the next cabinet', () => {
    const c = open({ ...base, files: [{ name: 'a', size: 5, offset: 0, folder: 0xfffe }] });
    expect(c.files[0].folder).toBe(0xfffe);
    fails(() => c.extract('a'), 'UNSUPPORTED', /continues into another cabinet/);
    fails(() => open({ ...base, folders: [{ typeCompress: 0, blocks: [{ data: hello, cbUncomp: 0 }] }] }).extract('a'), 'UNSUPPORTED', /continues in the next cabinet/);
  });

  test('a folder whose data offset is past the end', () => {
    const b = buildCab(base);
    new DataView(b.buffer).setUint32(36, 0x10000, true);
    fails(() => open(b).extract('a'), 'BAD_FORMAT', /data offset 0x10000 is past the end/);
  });
});
