/**
 * The small rules the portable engine took from Microsoft's dbghelp.dll 10.0.19041.685 (each
 * example is an oracle answer: ../shared/corpus/oracle/**\/*.dbghelp-10.0.19041.685*.jsonl),
 * and the GSI hash tables of /DEBUG:FASTLINK PDBs (0x3ffff buckets), with bad input.
 */
import { DbgHelpError } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { GsiHashTable, IPHR_HASH, IPHR_HASH_MINI } from '../../../lib/formats/pdb/gsi';
import { DisplayNames, linkNameShown } from '../../../lib/portable/display-name';
import { SymOpt, MachineType } from '../../../lib/api/constants';
import { truncations, corruptions } from '../../helpers/mutate';

describe("linkNameShown: dbghelp.dll's C rule for names that are not C++", () => {
  test.each([
    // [raw, shown, where the oracle answered it]
    ['__CxxFrameHandler3', '_CxxFrameHandler3', 'thunk, CrashWithException.exe 0x1fb0 (x64)'],
    ['_CxxThrowException', 'CxxThrowException', 'thunk, CrashWithException.exe 0x1fc8'],
    ['__imp_GetSystemTimeAsFileTime', '_imp_GetSystemTimeAsFileTime', 'public, CrashWithException.exe 0x3000'],
    ['_TI2?AVbad_alloc@std@@', 'TI2?AVbad_allocstd', 'public, CrashWithException.exe 0x3ad8'],
    ['_CT??_R0?AVbad_alloc@std@@@8??0bad_alloc@std@@QEAA@AEBV01@@Z24', 'CT??_R0?AVbad_allocstd', 'public, CrashWithException.exe 0x3b10'],
    ['__imp_?_Xlength_error@std@@YAXPBD@Z', '_imp_?_Xlength_errorstdYAXPBDZ', 'public, crash.exe 0x4084 (x86)'],
    ['__real@4000000000000000', '_real', 'public'],
    ['__@@_PchSym_@00@UfhvihUhvmgibUhlfixvUivklhUxizhsdrgsvcxvkgrlmUxizhsdrgsvcxvkgrlmUcGEUivovzhvUkxsOlyq@4B2008FD98C1DD4', '__PchSym_', 'public, CrashWithException.exe 0x5700'],
    ['@_EH4_CallFilterFunc@8', '_EH4_CallFilterFunc', 'public, basic32.dll 0xb710 (x86 fastcall)'],
    ['___security_init_cookie', '__security_init_cookie', 'x86 public of __security_init_cookie'],
    ['_main', 'main', 'x86 cdecl'],
    ['_f@8', 'f', 'x86 stdcall'],
    ['memset', 'memset', 'nothing to strip'],
  ])('%s -> %s (%s)', (raw, shown) => {
    expect(linkNameShown(raw)).toBe(shown);
  });

  test.each([
    // dbghelp.dll 10.0.19041.685's SymEnumSymbols names for publics of these names (msoracle
    // `run enum` over an lld-linked x64 image of them): the rule runs to the end, even to "".
    ['_', ''],
    ['@', ''],
    ['@@', ''],
    ['_@', ''],
    ['_@1', ''],
    ['@1', '1'],
    ['_1', '1'],
    ['@_', '_'],
    ['__@1', '_'],
    ['_@a', 'a'],
    ['1@2', '1'],
    ['a@1b', 'a'],
    ['a@b1', 'ab1'],
    ['x@@_y@z', 'x_yz'],
    ['__@@_Pc@00@ab@cd@EF01', '__Pc'],
  ])('edge: %j -> %j', (raw, shown) => {
    expect(linkNameShown(raw)).toBe(shown);
  });

  test('DisplayNames: C++ names name-only, others by the C rule on every machine; raw without SYMOPT_UNDNAME', () => {
    const x64 = new DisplayNames(MachineType.AMD64);
    expect(x64.show('__imp_GetLastError', SymOpt.UNDNAME)).toBe('_imp_GetLastError');
    expect(x64.show('?scale@geometry@@YANNN@Z', SymOpt.UNDNAME)).toBe('geometry::scale');
    expect(x64.show('__imp_GetLastError', 0)).toBe('__imp_GetLastError');
    // Export tables keep the x86-only rule (no oracle covers them).
    const exportsX64 = new DisplayNames(MachineType.AMD64, false);
    expect(exportsX64.show('_exported', SymOpt.UNDNAME)).toBe('_exported');
    expect(new DisplayNames(MachineType.I386, false).show('_f@8', SymOpt.UNDNAME)).toBe('f');
  });
});

/** A GSI hash table: header, records, bucket bitmap for `buckets` buckets, one offset per used bucket. */
function gsi(buckets: number, used: number[], records: number): Uint8Array {
  const words = Math.ceil((buckets + 1) / 32);
  const hr = records * 8;
  const bucketBytes = words * 4 + used.length * 4;
  const b = Buffer.alloc(16 + hr + bucketBytes);
  b.writeUInt32LE(0xffffffff, 0);
  b.writeUInt32LE(0xeffe0000 + 19990810, 4);
  b.writeUInt32LE(hr, 8);
  b.writeUInt32LE(bucketBytes, 12);
  for (let i = 0; i < records; i++) {
    b.writeUInt32LE(1 + i * 16, 16 + i * 8);
    b.writeUInt32LE(1, 20 + i * 8);
  }
  const bm = 16 + hr;
  for (const u of used) b.writeUInt32LE(b.readUInt32LE(bm + (u >>> 5) * 4) | (1 << (u & 31)), bm + (u >>> 5) * 4);
  used.forEach((_, k) => b.writeUInt32LE(k * 12, bm + words * 4 + k * 4));
  return new Uint8Array(b);
}

describe('GSI hash tables with 4096 or 0x3ffff buckets', () => {
  test('the bucket count is the one whose bitmap and offsets add up to the bucket bytes', () => {
    const normal = GsiHashTable.read(Cursor.of(gsi(IPHR_HASH, [3, 700], 2), 'gsi'));
    expect([normal.buckets, [...normal.recordOffsets]]).toEqual([IPHR_HASH, [0, 16]]);
    const mini = GsiHashTable.read(Cursor.of(gsi(IPHR_HASH_MINI, [5, 200000], 2), 'gsi'));
    expect([mini.buckets, [...mini.recordOffsets]]).toEqual([IPHR_HASH_MINI, [0, 16]]);
    // The mini tables' bucket hash is unknown: no candidates (callers use their name tables).
    expect([...mini.candidates('anything')]).toEqual([]);
  });

  test('bucket data fitting neither size is BAD_FORMAT with the offset; truncated and corrupted tables fail cleanly', () => {
    const good = gsi(IPHR_HASH_MINI, [5, 200000, 262000], 3);
    const bad = Buffer.from(good);
    bad.writeUInt32LE(bad.readUInt32LE(12) - 4, 12);
    expect(() => GsiHashTable.read(Cursor.of(new Uint8Array(bad), 'gsi'))).toThrow(/fits neither a 4096- nor a 262143-bucket bitmap/);
    for (const t of truncations(good, 24)) {
      try {
        GsiHashTable.read(Cursor.of(t, 'gsi'));
      } catch (e) {
        expect(e).toBeInstanceOf(DbgHelpError);
      }
    }
    for (const c of corruptions(good, 200, 4, 7)) {
      try {
        GsiHashTable.read(Cursor.of(c, 'gsi'));
      } catch (e) {
        expect(e).toBeInstanceOf(DbgHelpError);
      }
    }
  });
});
