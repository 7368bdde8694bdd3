/**
 * The local-variable records and the scope walk, on hand-assembled module symbol streams
 * (the layouts of cvinfo.h: byte offsets are written out below), so the MSVC records clang does
 * not emit (S_REGREL32, S_BPREL32, S_REGISTER, S_LOCAL + S_REGREL32 twins) and gaps in ranges
 * are covered without the corpus. test/corpus/lines.test.ts checks the same code on MSVC PDBs.
 */
import { MachineType, SymFlag } from '../../../lib/api/constants';
import { DbgHelpError } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { DefRangeKind, rangeCovers, readDefRange } from '../../../lib/formats/codeview/def-ranges';
import { readFrameProc } from '../../../lib/formats/codeview/frame-proc';
import { readBpRel, readLocal, readRegRel, readRegister } from '../../../lib/formats/codeview/local-records';
import { CvReg, decodeFramePointer, defaultFramePointer } from '../../../lib/formats/codeview/registers';
import { SymbolStream } from '../../../lib/formats/pdb/symbol-stream';
import { localsAt } from '../../../lib/portable/features/scope-locals';
import type { AddressMap } from '../../../lib/portable/features/scope-walk';
import { ModuleScopes } from '../../../lib/portable/features/module-scopes';
import { corruptions } from '../../helpers/mutate';

const u16 = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const str = (s: string) => [...Buffer.from(s, 'latin1'), 0];

/** One record: u16 reclen, u16 kind, body, padded to 4 (the padding counted in reclen). */
function rec(kind: number, body: number[]): number[] {
  const out = [0, 0, ...u16(kind), ...body];
  while (out.length % 4) out.push(0);
  out.splice(0, 2, ...u16(out.length - 2));
  return out;
}
const S = {
  GPROC32: 0x1110,
  END: 0x0006,
  BLOCK32: 0x1103,
  FRAMEPROC: 0x1012,
  LOCAL: 0x113e,
  REGREL32: 0x1111,
  BPREL32: 0x110b,
  REGISTER: 0x1106,
  CONSTANT: 0x1107,
  LDATA32: 0x110c,
  INLINESITE: 0x114d,
  INLINESITE_END: 0x114e,
};
const proc = (len: number, name: string) => rec(S.GPROC32, [...u32(0), ...u32(0), ...u32(0), ...u32(len), ...u32(0), ...u32(0), ...u32(0x1001), ...u32(0), ...u16(1), 0, ...str(name)]);
const block = (off: number, len: number) => rec(S.BLOCK32, [...u32(0), ...u32(0), ...u32(len), ...u32(off), ...u16(1), 0]);
const frameproc = (size: number, local: number, param: number) => rec(S.FRAMEPROC, [...u32(size), ...u32(0), ...u32(0), ...u32(0), ...u32(0), ...u16(0), ...u32((local << 14) | (param << 16))]);
const local = (name: string, flags: number, type = 0x74) => rec(S.LOCAL, [...u32(type), ...u16(flags), ...str(name)]);
const regrel = (name: string, off: number, reg: number) => rec(S.REGREL32, [...u32(off), ...u32(0x74), ...u16(reg), ...str(name)]);
const bprel = (name: string, off: number) => rec(S.BPREL32, [...u32(off), ...u32(0x74), ...str(name)]);
const register = (name: string, reg: number) => rec(S.REGISTER, [...u32(0x74), ...u16(reg), ...str(name)]);
const range = (off: number, len: number, gaps: [number, number][] = []) => [...u32(off), ...u16(1), ...u16(len), ...gaps.flatMap(([a, b]) => [...u16(a), ...u16(b)])];
const drRegister = (reg: number, off: number, len: number, gaps: [number, number][] = []) => rec(DefRangeKind.REGISTER, [...u16(reg), ...u16(0), ...range(off, len, gaps)]);
const drFrameRel = (fpOff: number, off: number, len: number) => rec(DefRangeKind.FRAMEPOINTER_REL, [...u32(fpOff), ...range(off, len)]);
const drFullScope = (fpOff: number) => rec(DefRangeKind.FRAMEPOINTER_REL_FULL_SCOPE, u32(fpOff));
const drRegRel = (reg: number, fpOff: number, off: number, len: number, parentOff = 0) =>
  rec(DefRangeKind.REGISTER_REL, [...u16(reg), ...u16(parentOff ? 1 | (parentOff << 4) : 0), ...u32(fpOff), ...range(off, len)]);
const drSubfieldRegister = (reg: number, parentOff: number, off: number, len: number) => rec(DefRangeKind.SUBFIELD_REGISTER, [...u16(reg), ...u16(0), ...u32(parentOff), ...range(off, len)]);
const constant = (name: string, value: number) => rec(S.CONSTANT, [...u32(0x74), ...u16(value), ...str(name)]);
const ldata = (name: string, off: number) => rec(S.LDATA32, [...u32(0x74), ...u32(off), ...u16(1), ...str(name)]);
const inlineSite = () => rec(S.INLINESITE, [...u32(0), ...u32(0), ...u32(0x1002)]);
const end = (kind = S.END) => rec(kind, []);

/** A module symbol stream (signature 4, then the records) and the stream offset of the procedure. */
function stream(records: number[][]): { symbols: SymbolStream; proc: number } {
  const bytes = Uint8Array.from(records.flat());
  return { symbols: new SymbolStream(Cursor.of(bytes, 'test module', 4), 4), proc: 4 };
}
/** Section 1 at RVA 0x1000. */
const addresses: AddressMap = { sectionOffsetToPdbRva: (sec, off) => (sec === 1 ? 0x1000 + off : undefined), toImageRva: (r) => r };

/** A procedure at 0x1000 (0x100 bytes) written as MSVC does, with twins, blocks and an inline site. */
function msvcProc(localBase: number, paramBase: number): { symbols: SymbolStream; proc: number } {
  return stream([
    proc(0x100, 'f'),
    regrel('a', 0x28, CvReg.RSP), // a parameter's home slot: at/after the 0x20-byte frame
    regrel('b', 0x10, CvReg.RSP), // inside the frame: a local
    bprel('c', 8),
    bprel('d', -4),
    register('e', 18),
    local('a', 1), // fIsParam; in register 18 over [0x1010, 0x1020) except [0x1014, 0x1018)
    drRegister(18, 0x10, 0x10, [[4, 4]]),
    frameproc(0x20, localBase, paramBase),
    block(0x40, 0x20),
    local('x', 0),
    drFullScope(12),
    end(),
    block(0x80, 0x10),
    register('y', 19),
    end(),
    inlineSite(),
    local('inl', 0),
    drFullScope(4),
    end(S.INLINESITE_END),
    constant('k', 5),
    ldata('st', 0x200),
    end(),
  ]);
}

type Row = [string, number, number, number];
const rows = (pdbRva: number, machine: number, s = msvcProc(1, 1)): Row[] =>
  localsAt(s.symbols, s.proc, pdbRva, machine, addresses).map((l) => [l.name, l.flags, l.register, l.value !== undefined ? Number(l.value) : (l.rva ?? l.offset)]);

const L = SymFlag.LOCAL;
const P = SymFlag.LOCAL | SymFlag.PARAMETER;

describe('scope walk over hand-made records', () => {
  test('S_REGREL32 / S_BPREL32 / S_REGISTER, an S_LOCAL and its twin listed once, constants and statics (x64)', () => {
    expect(rows(0x1010, MachineType.AMD64)).toEqual([
      ['b', L | SymFlag.REGREL, CvReg.RSP, 0x10],
      ['c', P | SymFlag.REGREL, CvReg.RBP, 8], // S_BPREL32: from the frame pointer, positive = parameter
      ['d', L | SymFlag.REGREL, CvReg.RBP, -4],
      ['e', L | SymFlag.REGISTER, 18, 0],
      ['a', P | SymFlag.REGISTER, 18, 0], // S_LOCAL's range covers 0x1010
      ['k', L | SymFlag.CONSTANT, 0, 5], // no VALUEPRESENT, as Microsoft's dbghelp.dll
      ['st', 0, 0, 0x1200],
    ]);
  });

  test("in a gap of the S_LOCAL's range its S_REGREL32 twin answers; past the range too", () => {
    const a = (at: number) => rows(at, MachineType.AMD64).find((r) => r[0] === 'a');
    expect(a(0x1014)).toEqual(['a', P | SymFlag.REGREL, CvReg.RSP, 0x28]);
    expect(a(0x1017)).toEqual(['a', P | SymFlag.REGREL, CvReg.RSP, 0x28]);
    expect(a(0x1018)).toEqual(['a', P | SymFlag.REGISTER, 18, 0]);
    expect(a(0x1020)).toEqual(['a', P | SymFlag.REGREL, CvReg.RSP, 0x28]);
  });

  test('blocks count only when they contain the address (listed first: innermost first); inline sites never', () => {
    const names = (at: number) => rows(at, MachineType.AMD64).map((r) => r[0]);
    expect(names(0x1040)).toEqual(['x', 'b', 'c', 'd', 'e', 'a', 'k', 'st']);
    expect(names(0x105f)).toContain('x');
    expect(names(0x1060)).not.toContain('x');
    expect(names(0x1080)).toEqual(['y', 'b', 'c', 'd', 'e', 'a', 'k', 'st']);
    expect(names(0x1090)).not.toContain('y');
  });

  test("frame-relative ranges use S_FRAMEPROC's local or parameter base register, per machine", () => {
    const x = (machine: number, localBase: number) => rows(0x1040, machine, msvcProc(localBase, 2)).find((r) => r[0] === 'x');
    expect(x(MachineType.AMD64, 1)).toEqual(['x', L | SymFlag.REGREL, CvReg.RSP, 12]);
    expect(x(MachineType.AMD64, 2)).toEqual(['x', L | SymFlag.REGREL, CvReg.RBP, 12]);
    expect(x(MachineType.AMD64, 3)).toEqual(['x', L | SymFlag.REGREL, CvReg.R13, 12]);
    expect(x(MachineType.I386, 1)).toEqual(['x', L | SymFlag.REGREL, CvReg.VFRAME, 12]);
    expect(x(MachineType.I386, 2)).toEqual(['x', L | SymFlag.REGREL, CvReg.EBP, 12]);
    expect(x(MachineType.ARM64, 2)).toEqual(['x', L | SymFlag.REGREL, CvReg.ARM64_FP, 12]);
    // No base pointer named: the machine's default (x86's virtual frame, the stack pointer elsewhere).
    expect(x(MachineType.I386, 0)).toEqual(['x', L | SymFlag.REGREL, CvReg.VFRAME, 12]);
    expect(x(MachineType.ARM64, 0)).toEqual(['x', L | SymFlag.REGREL, CvReg.ARM64_SP, 12]);
  });

  test('a parameter uses the parameter base register, a local the local one', () => {
    const s = stream([proc(0x10, 'g'), frameproc(0x10, 1, 2), local('p', 1), drFrameRel(8, 0, 0x10), local('v', 0), drFrameRel(-4, 0, 0x10), end()]);
    expect(rows(0x1000, MachineType.I386, s)).toEqual([
      ['p', P | SymFlag.REGREL, CvReg.EBP, 8],
      ['v', L | SymFlag.REGREL, CvReg.VFRAME, -4],
    ]);
  });

  test("every piece of a split variable covering the address is listed, in record order (Microsoft's DLL)", () => {
    const s = stream([proc(0x10, 'h'), local('w', 0), drSubfieldRegister(20, 4, 0, 0x10), drRegRel(CvReg.RSP, 0x30, 0, 8, 8), drRegRel(CvReg.RSP, 0x20, 0, 0x10), end()]);
    expect(rows(0x1000, MachineType.AMD64, s)).toEqual([
      ['w', L | SymFlag.REGISTER, 20, 0],
      ['w', L | SymFlag.REGREL, CvReg.RSP, 0x30],
      ['w', L | SymFlag.REGREL, CvReg.RSP, 0x20],
    ]);
    // Past the 8-byte piece's range.
    expect(rows(0x1008, MachineType.AMD64, s)).toEqual([
      ['w', L | SymFlag.REGISTER, 20, 0],
      ['w', L | SymFlag.REGREL, CvReg.RSP, 0x20],
    ]);
    const only = stream([proc(0x10, 'h'), local('w', 0), drSubfieldRegister(20, 4, 0, 0x10), end()]);
    expect(rows(0x1000, MachineType.AMD64, only)).toEqual([['w', L | SymFlag.REGISTER, 20, 0]]);
  });

  test('registers cached globals (fEnregGlobal/fEnregStatic) are not locals; nested S_END ends the walk', () => {
    const s = stream([proc(0x10, 'h'), local('g', 0x200), drRegister(17, 0, 0x10), local('z', 0x100), end(), local('after', 0)]);
    expect(rows(0x1000, MachineType.AMD64, s)).toEqual([['z', L | SymFlag.NULL, 0, 0]]);
  });

  test('a procedure without its S_END, or a record running past the stream, is BAD_FORMAT', () => {
    const cut = stream([proc(0x10, 'h'), local('a', 0)]);
    expect(() => rows(0x1000, MachineType.AMD64, cut)).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
    const bytes = Uint8Array.from([...proc(0x10, 'h'), ...local('a', 0), ...end()]);
    bytes[proc(0x10, 'h').length] = 0xf0; // S_LOCAL's reclen far past the end
    const s = new SymbolStream(Cursor.of(bytes, 'test module', 4), 4);
    expect(() => localsAt(s, 4, 0x1000, MachineType.AMD64, addresses)).toThrow(DbgHelpError);
  });

  test('every truncation and byte overwrite of a procedure gives locals or BAD_FORMAT, never another error', () => {
    const good = Uint8Array.from(msvcProc(1, 1).symbols.c.buf);
    const check = (b: Uint8Array) => {
      try {
        localsAt(new SymbolStream(Cursor.of(b, 'test module', 4), 4), 4, 0x1014, MachineType.AMD64, addresses);
      } catch (e) {
        expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
      }
    };
    for (let n = 0; n < good.length; n++) check(good.subarray(0, n));
    for (let i = 0; i < good.length; i++) for (const v of [0x00, 0x7f, 0xff]) check(Uint8Array.from(good, (x, j) => (j === i ? v : x)));
  });
});

describe('record decoders', () => {
  const cur = (r: number[]) => Cursor.of(Uint8Array.from(r.slice(4)), 'test');
  test('S_LOCAL, S_REGREL32, S_BPREL32, S_REGISTER, S_FRAMEPROC', () => {
    expect(readLocal(cur(local('n', 0x101, 0x1004)))).toEqual({ typeIndex: 0x1004, flags: 0x101, name: 'n' });
    expect(readRegRel(cur(regrel('t', -8, 335)))).toEqual({ offset: -8, typeIndex: 0x74, register: 335, name: 't' });
    expect(readBpRel(cur(bprel('u', -20)))).toEqual({ offset: -20, typeIndex: 0x74, name: 'u' });
    expect(readRegister(cur(register('r', 17)))).toEqual({ typeIndex: 0x74, register: 17, name: 'r' });
    // x86 -O0 mainCRTStartup of the locals fixture: flags 0x26000 = local VFRAME (1), param EBP (2).
    expect(readFrameProc(cur(frameproc(52, 1, 2)))).toMatchObject({ frameSize: 52, localBasePointer: 1, paramBasePointer: 2, flags: 0x24000 });
  });
  test('S_DEFRANGE_*: registers, offsets, parent offsets and gaps', () => {
    const dr = (r: number[]) => readDefRange(r[2] | (r[3] << 8), cur(r));
    expect(dr(drRegister(19, 0x240, 20, [[2, 3]]))).toEqual({ kind: 'register', register: 19, offsetInParent: 0, range: { offset: 0x240, section: 1, length: 20, gaps: [[2, 3]] } });
    expect(dr(drFrameRel(-12, 0x15, 69))).toMatchObject({ kind: 'framerel', offset: -12, range: { offset: 0x15, length: 69 } });
    expect(dr(drFullScope(40))).toEqual({ kind: 'framerel', offset: 40, range: undefined });
    expect(dr(drRegRel(30006, 12, 0x124, 26, 8))).toMatchObject({ kind: 'regrel', register: 30006, offset: 12, offsetInParent: 8 });
    expect(dr(drSubfieldRegister(20, 0xfff004, 0x138, 51))).toMatchObject({ kind: 'register', register: 20, offsetInParent: 4 });
    expect(() => dr(rec(DefRangeKind.REGISTER, [1, 2, 3]))).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
  });
  test('rangeCovers: [start, start + length) minus the gaps', () => {
    const r = { offset: 0, section: 1, length: 0x10, gaps: [[4, 4]] as [number, number][] };
    expect([0xfff, 0x1000, 0x1003, 0x1004, 0x1007, 0x1008, 0x100f, 0x1010].map((a) => rangeCovers(r, 0x1000, a))).toEqual([false, true, true, false, false, true, true, false]);
  });
  test('frame registers per machine (LLVM decodeFramePtrReg; ARM64 SP/FP/x19)', () => {
    expect([0, 1, 2, 3].map((e) => decodeFramePointer(e, MachineType.I386))).toEqual([0, 30006, 22, 20]);
    expect([0, 1, 2, 3].map((e) => decodeFramePointer(e, MachineType.AMD64))).toEqual([0, 335, 334, 341]);
    expect([0, 1, 2, 3].map((e) => decodeFramePointer(e, MachineType.ARM64))).toEqual([0, 81, 79, 69]);
    expect(decodeFramePointer(1, 0x1234)).toBe(0);
    expect([MachineType.I386, MachineType.AMD64, MachineType.ARM64, 0].map(defaultFramePointer)).toEqual([30006, 335, 81, 0]);
  });
});

describe('module-scopes: where each record sits, for ids that answer from their record alone', () => {
  test('each record knows its innermost scope, its procedure, its S_FRAMEPROC and (an S_DEFRANGE) its S_LOCAL', () => {
    const { symbols } = msvcProc(1, 1);
    const offsets: number[] = [];
    symbols.forEach((_k, off) => offsets.push(off));
    const at = (i: number) => new ModuleScopes(symbols).place(offsets[i]);
    // msvcProc: 0 proc, 1-5 classic, 6 S_LOCAL a, 7 its S_DEFRANGE_REGISTER, 8 S_FRAMEPROC,
    // 9 block, 10 S_LOCAL x, 11 its full-scope range, 12 end, 13 block, 14 y, 15 end,
    // 16 inline site, 17 inl, 18 its range, 19 site end, 20 constant, 21 static, 22 end.
    const [p, , , , , , a, aRange, frame, b1, x, xRange, , b2, y, , site, inl, inlRange] = offsets;
    expect(at(0)).toEqual({ scope: 0, proc: p, local: 0, frameProc: frame });
    expect(at(1)).toEqual({ scope: p, proc: p, local: 0, frameProc: frame });
    expect(at(6)).toEqual({ scope: p, proc: p, local: 0, frameProc: frame });
    expect(at(7)).toEqual({ scope: p, proc: p, local: a, frameProc: frame });
    expect(aRange).toBe(offsets[7]);
    expect(at(10)).toEqual({ scope: b1, proc: p, local: 0, frameProc: frame });
    expect(at(11)).toEqual({ scope: b1, proc: p, local: x, frameProc: frame });
    expect(xRange).toBe(offsets[11]);
    expect(at(14)).toEqual({ scope: b2, proc: p, local: 0, frameProc: frame });
    expect(y).toBe(offsets[14]);
    expect(at(18)).toEqual({ scope: site, proc: p, local: inl, frameProc: frame });
    expect(inlRange).toBe(offsets[18]);
    expect(at(21)).toEqual({ scope: p, proc: p, local: 0, frameProc: frame });
    // Not a record's offset, or past the stream: nothing.
    expect(new ModuleScopes(symbols).place(offsets[1] + 1)).toBeUndefined();
    expect(new ModuleScopes(symbols).place(1 << 20)).toBeUndefined();
  });

  test('a record outside every procedure has no place; a stream cut or overwritten is BAD_FORMAT, never another error', () => {
    const s = stream([local('top', 0), proc(0x10, 'h'), local('in', 0), end()]);
    const m = new ModuleScopes(s.symbols);
    expect(m.place(4)).toBeUndefined();
    const good = Uint8Array.from(msvcProc(1, 1).symbols.c.buf);
    const check = (b: Uint8Array) => {
      try {
        const ms = new ModuleScopes(new SymbolStream(Cursor.of(b, 'test module', 4), 4));
        for (let off = 0; off < b.length + 8; off += 4) ms.place(off);
      } catch (e) {
        expect(e).toBeInstanceOf(DbgHelpError);
        expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
      }
    };
    for (let n = 0; n < good.length; n += 3) check(good.subarray(0, n));
    for (const b of corruptions(good, 200, 3)) check(b);
  });
});
