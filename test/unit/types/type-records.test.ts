/**
 * Type record decoders and the TPI reader on hand-made bytes (cvinfo.h layouts), and the
 * malformed streams they must refuse with BAD_FORMAT: truncated headers and records, field
 * lists continuing into themselves, modifier and enum cycles, absurd counts.
 */
import { Cursor } from '../../../lib/formats/binary/cursor';
import { FieldFamily, LF, TypeFamily } from '../../../lib/formats/codeview/type-kinds';
import { readArray, readFieldList, readIndexList, readMethodList, readPointer, readTag, readTagName } from '../../../lib/formats/codeview/type-records';
import { hashStringV1 } from '../../../lib/formats/pdb/gsi';
import type { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { TpiStream } from '../../../lib/formats/pdb/tpi-stream';
import { TypeModel } from '../../../lib/portable/features/types';
import { TypeInfo as TI, SymTag, BasicType } from '../../../lib/api/constants';
import { Bytes, buildTpi, record } from './build-tpi';

const cur = (b: Bytes | Uint8Array) => Cursor.of(b instanceof Bytes ? b.bytes() : b, 'test');
const data = (r: Uint8Array) => new Cursor(r, 'test', 4, r.length); // skip reclen + leaf
const badFormat = expect.objectContaining({ name: 'DbgHelpError', code: 'BAD_FORMAT' });

function tpiOf(records: Uint8Array[], opts?: Parameters<typeof buildTpi>[1]): TpiStream {
  const built = buildTpi(records, opts);
  return new TpiStream(Cursor.of(built.stream, 'test TPI'), () => (built.hash ? Cursor.of(built.hash, 'test TPI hash') : undefined));
}
function modelOf(records: Uint8Array[], opts?: Parameters<typeof buildTpi>[1]): TypeModel {
  const pdb = { name: 'test.pdb', globals: () => undefined } as unknown as PdbFile;
  return new TypeModel(pdb, tpiOf(records, opts));
}

describe('decoders', () => {
  test('LF_STRUCTURE: count, property, field list, derived, vshape, numeric size, name, unique name', () => {
    // 05 15 | 02 00 | 00 02 | 01 10 00 00 | 00 00 00 00 | 00 00 00 00 | 02 80 34 12 | "S\0" | ".?AUS@@\0"
    const r = record(LF.STRUCTURE, (b) => b.u16(2, 0x0200).u32(0x1001, 0, 0).u16(0x8002, 0x1234).str('S').str('.?AUS@@'));
    expect(Array.from(r.subarray(0, 8))).toEqual([r.length - 2, 0, 0x05, 0x15, 0x02, 0x00, 0x00, 0x02]);
    expect(readTag(LF.STRUCTURE, data(r))).toEqual({
      leaf: LF.STRUCTURE,
      family: TypeFamily.Class,
      count: 2,
      property: 0x200,
      fieldList: 0x1001,
      derived: 0,
      vshape: 0,
      size: 0x1234,
      underlying: 0,
      name: 'S',
      uniqueName: '.?AUS@@',
    });
  });

  test('LF_CLASS2 (u32 property, then count and size as numeric leaves) and LF_STRUCTURE_ST (length-prefixed name)', () => {
    const c2 = record(LF.CLASS2, (b) => b.u32(0x80, 0, 0, 0).u16(0, 0).str('Fwd'));
    expect(readTag(LF.CLASS2, data(c2))).toMatchObject({ family: TypeFamily.Class2, property: 0x80, count: 0, size: 0, name: 'Fwd' });
    const c3 = record(LF.CLASS2, (b) => b.u32(0, 0x1005, 0, 0x1006).u16(3, 0x8001, 0xfff0).str('Neg'));
    expect(readTag(LF.CLASS2, data(c3))).toMatchObject({ count: 3, fieldList: 0x1005, vshape: 0x1006, size: -16, name: 'Neg' });
    const st = record(0x1005, (b) => b.u16(1, 0).u32(0x1001, 0, 0).u16(8).u8(3, 0x41, 0x42, 0x43));
    expect(readTag(0x1005, data(st))).toMatchObject({ family: TypeFamily.Class, size: 8, name: 'ABC' });
    // readTagName reads the same fields up to the name, and only the name.
    expect([readTagName(LF.CLASS2, data(c2)), readTagName(LF.CLASS2, data(c3)), readTagName(0x1005, data(st))]).toEqual(['Fwd', 'Neg', 'ABC']);
  });

  test('LF_ENUM, LF_UNION', () => {
    const e = record(LF.ENUM, (b) => b.u16(3, 0).u32(0x74, 0x1002).str('E'));
    expect(readTag(LF.ENUM, data(e))).toMatchObject({ family: TypeFamily.Enum, count: 3, underlying: 0x74, fieldList: 0x1002, name: 'E' });
    const u = record(LF.UNION, (b) => b.u16(2, 0).u32(0x1003).u16(8).str('U'));
    expect(readTag(LF.UNION, data(u))).toMatchObject({ family: TypeFamily.Union, fieldList: 0x1003, size: 8, name: 'U' });
  });

  test('LF_POINTER: size from the attr field, member pointers carry their class', () => {
    // attr: ptrtype 0x0c (64), mode 2 (data member) << 5, size 4 << 13
    const attr = 0x0c | (2 << 5) | (4 << 13);
    const r = record(LF.POINTER, (b) => b.u32(0x41, attr).u32(0x1007).u16(1));
    expect(readPointer(data(r))).toMatchObject({ referent: 0x41, ptrType: 0x0c, mode: 2, size: 4, containingClass: 0x1007, pmType: 1 });
    // size field 0: from the pointer type (near32 = 4 bytes).
    expect(readPointer(data(record(LF.POINTER, (b) => b.u32(0x74, 0x0a)))).size).toBe(4);
  });

  test('LF_ARRAY with an LF_ULONG size', () => {
    const r = record(LF.ARRAY, (b) => b.u32(0x70, 0x23).u16(0x8004).u32(0x10000).str(''));
    expect(readArray(LF.ARRAY, data(r))).toEqual({ element: 0x70, index: 0x23, size: 0x10000, name: '' });
  });

  test('LF_FIELDLIST: members, bases, virtual bases, enumerators (signed leaves), methods, nested types, LF_INDEX, with LF_PAD between', () => {
    const b = new Bytes()
      .u16(0x1400, 3)
      .u32(0x1010)
      .u16(8) //                                   LF_BCLASS public, 0x1010, offset 8
      .u16(0x1402, 3)
      .u32(0x1011, 0x1012)
      .u16(0, 1) //                          LF_IVBCLASS vbptr off 0, index 1
      .u16(0x150d, 1)
      .u32(0x74)
      .u16(0x8002, 0x9000)
      .str('m') //                  LF_MEMBER private int m @0x9000
      .u8(0xf2, 0xf1) //                                                        LF_PAD2, LF_PAD1
      .u16(0x1502, 3)
      .u16(0x8000)
      .u8(0xff)
      .str('neg') //                         LF_ENUMERATE LF_CHAR -1
      .u16(0x1502, 3)
      .u16(0x8009)
      .u64(0x8000000000000000n)
      .str('min') //         LF_QUADWORD -2^63
      .u16(0x1511, 3 | (4 << 2))
      .u32(0x1020)
      .u32(16)
      .str('v') //                 LF_ONEMETHOD intro virtual, vtable offset 16
      .u16(0x150f, 2)
      .u32(0x1021)
      .str('f') //                                    LF_METHOD 2 overloads
      .u16(0x1510, 0)
      .u32(0x1022)
      .str('N') //                                    LF_NESTTYPE
      .u16(0x1409, 0)
      .u32(0x1023) //                                             LF_VFUNCTAB
      .u16(0x1404, 0)
      .u32(0x1030); //                                            LF_INDEX
    const f = readFieldList(cur(b));
    expect(f.map((e) => [e.family, e.name, e.type, e.offset])).toEqual([
      [FieldFamily.BClass, '', 0x1010, 8],
      [FieldFamily.VBClass, '', 0x1011, 0],
      [FieldFamily.Member, 'm', 0x74, 0x9000],
      [FieldFamily.Enumerate, 'neg', 0, 0],
      [FieldFamily.Enumerate, 'min', 0, 0],
      [FieldFamily.OneMethod, 'v', 0x1020, 16],
      [FieldFamily.Method, 'f', 0x1021, 0],
      [FieldFamily.NestType, 'N', 0x1022, 0],
      [FieldFamily.VFuncTab, '', 0x1023, 0],
      [FieldFamily.Index, '', 0x1030, 0],
    ]);
    expect(f[1]).toMatchObject({ leaf: LF.IVBCLASS, vbptrType: 0x1012, vbptrOffset: 0, vbtableIndex: 1 });
    expect(f[3].value).toBe(-1n);
    expect(f[4].value).toBe(-(2n ** 63n));
    expect(f[6].count).toBe(2);
  });

  test('an unknown member leaf or a member cut short is BAD_FORMAT', () => {
    expect(() => readFieldList(cur(new Bytes().u16(0x1234, 0)))).toThrow(badFormat);
    expect(() => readFieldList(cur(new Bytes().u16(0x150d, 3).u32(0x74)))).toThrow(badFormat);
    expect(() => readFieldList(cur(new Bytes().u16(0x150d, 3).u32(0x74).u16(0).u8(0x41)))).toThrow(badFormat); // name without NUL
  });

  test('LF_METHODLIST: introducing virtuals carry a vtable offset', () => {
    const r = new Bytes()
      .u16(3, 0)
      .u32(0x1005)
      .u16(3 | (4 << 2), 0)
      .u32(0x1006)
      .u32(8);
    expect(readMethodList(cur(r))).toEqual([
      { attr: 3, type: 0x1005, vtableOffset: 0 },
      { attr: 3 | (4 << 2), type: 0x1006, vtableOffset: 8 },
    ]);
  });

  test('LF_ARGLIST with an absurd count is BAD_FORMAT, not a huge allocation', () => {
    expect(Array.from(readIndexList(cur(new Bytes().u32(2, 0x74, 0x70))))).toEqual([0x74, 0x70]);
    expect(() => readIndexList(cur(new Bytes().u32(0x7fffffff, 0x74)))).toThrow(badFormat);
  });
});

describe('TPI stream', () => {
  const fwd = record(LF.STRUCTURE, (b) => b.u16(0, 0x80).u32(0, 0, 0).u16(0).str('P'));
  const fields = record(LF.FIELDLIST, (b) => b.u16(0x150d, 3).u32(0x74).u16(0).str('x').u8(0xf2, 0xf1).u16(0x150d, 3).u32(0x1003).u16(8).str('next'));
  const def = record(LF.STRUCTURE, (b) => b.u16(2, 0).u32(0x1001, 0, 0).u16(16).str('P'));
  const ptr = record(LF.POINTER, (b) => b.u32(0x1000, 0x0c | (8 << 13)));
  const recs = [fwd, fields, def, ptr];

  test.each([
    ['with a hash stream', { hashValues: [9, 9, hashStringV1('P') % 0x3ffff, 9], chunk: 2 }],
    ['without one (one scan)', undefined],
  ] as const)('%s: records, forward references, lookups by name', (_t, opts) => {
    const tpi = tpiOf(recs, opts);
    expect([tpi.begin, tpi.end, tpi.count]).toEqual([0x1000, 0x1004, 4]);
    expect([0x1003, 0x1000, 0x1002, 0x1001].map((ti) => tpi.leafOf(ti))).toEqual([LF.POINTER, LF.STRUCTURE, LF.STRUCTURE, LF.FIELDLIST]);
    expect(tpi.resolveForwardRef(0x1000)).toBe(0x1002);
    expect(tpi.findDefinition('P')).toBe(0x1002);
    expect(tpi.findDefinition('Q')).toBeUndefined();
    expect(() => tpi.record(0x1004)).toThrow(badFormat);
    expect(() => tpi.record(0xfff)).toThrow(badFormat);
  });

  test('an index-offset buffer that disagrees with the records is ignored (the records answer)', () => {
    const built = buildTpi(recs, { hashValues: [0, 0, 0, 0], chunk: 2 });
    const hash = Uint8Array.from(built.hash!);
    new DataView(hash.buffer).setUint32(16 + 8 + 4, built.offsets[2] + 4, true); // second chunk's offset off by 4
    const tpi = new TpiStream(Cursor.of(built.stream, 'test TPI'), () => Cursor.of(hash, 'test TPI hash'));
    expect(tpi.leafOf(0x1003)).toBe(LF.POINTER);
    expect(tpi.leafOf(0x1002)).toBe(LF.STRUCTURE);
  });

  test('header and record bounds are checked', () => {
    const { stream } = buildTpi(recs);
    const make = (s: Uint8Array) => new TpiStream(Cursor.of(s, 'test TPI'), () => undefined);
    expect(() => make(stream.subarray(0, 40))).toThrow(badFormat);
    const withU32 = (at: number, v: number) => {
      const s = Uint8Array.from(stream);
      new DataView(s.buffer).setUint32(at, v, true);
      return s;
    };
    expect(() => make(withU32(0, 12345))).toThrow(badFormat); //               version
    expect(() => make(withU32(4, 8))).toThrow(badFormat); //                   header size < 56
    expect(() => make(withU32(12, 0x1000 + 1000))).toThrow(badFormat); //      more records than bytes
    expect(() => make(withU32(16, 0x7fffffff))).toThrow(badFormat); //        record bytes past the stream
    // A record length running past the end: found when that record is first reached.
    const s = Uint8Array.from(stream);
    s[56 + built0.offsets[2]] = 0xff;
    s[56 + built0.offsets[2] + 1] = 0x7f;
    expect(() => make(s).leafOf(0x1003)).toThrow(badFormat);
  });
  const built0 = buildTpi(recs);
});

describe('TypeModel on malformed streams: errors, never a hang or a stack overflow', () => {
  test('a field list that continues into itself is BAD_FORMAT', () => {
    const fl = record(LF.FIELDLIST, (b) => b.u16(0x150d, 3).u32(0x74).u16(0).str('a').u8(0xf1).u16(0x1404, 0).u32(0x1000));
    const s = record(LF.STRUCTURE, (b) => b.u16(1, 0).u32(0x1000, 0, 0).u16(4).str('S'));
    const m = modelOf([fl, s]);
    expect(m.info(0x1001, TI.GET_SYMTAG)).toBe(SymTag.UDT);
    expect(() => m.info(0x1001, TI.FINDCHILDREN)).toThrow(badFormat);
  });

  test('two field lists continuing into each other are BAD_FORMAT', () => {
    const a = record(LF.FIELDLIST, (b) => b.u16(0x1404, 0).u32(0x1001));
    const c = record(LF.FIELDLIST, (b) => b.u16(0x1404, 0).u32(0x1000));
    const s = record(LF.STRUCTURE, (b) => b.u16(1, 0).u32(0x1000, 0, 0).u16(4).str('S'));
    expect(() => modelOf([a, c, s]).info(0x1002, TI.GET_CHILDRENCOUNT)).toThrow(badFormat);
  });

  test('a modifier of itself is BAD_FORMAT; a pointer to itself is just a pointer', () => {
    const mod = record(LF.MODIFIER, (b) => b.u32(0x1000).u16(1));
    const ptr = record(LF.POINTER, (b) => b.u32(0x1001, 0x0c | (8 << 13)));
    const m = modelOf([mod, ptr]);
    expect(() => m.info(0x1000, TI.GET_SYMTAG)).toThrow(badFormat);
    expect(m.info(0x1001, TI.GET_SYMTAG)).toBe(SymTag.PointerType);
    expect(m.info(0x1001, TI.GET_TYPE)).toBe(0x1001);
    expect(m.info(0x1001, TI.GET_LENGTH)).toBe(8n);
  });

  test('enums whose underlying types are each other: LENGTH is BAD_FORMAT, not a stack overflow', () => {
    const e1 = record(LF.ENUM, (b) => b.u16(0, 0).u32(0x1001, 0).str('A'));
    const e2 = record(LF.ENUM, (b) => b.u16(0, 0).u32(0x1000, 0).str('B'));
    const m = modelOf([e1, e2]);
    expect(m.info(0x1000, TI.GET_SYMTAG)).toBe(SymTag.Enum);
    expect(() => m.info(0x1000, TI.GET_LENGTH)).toThrow(badFormat);
  });

  test('references to records the stream does not have, and to the wrong leaves, are BAD_FORMAT', () => {
    const s = record(LF.STRUCTURE, (b) => b.u16(1, 0).u32(0x1234, 0, 0).u16(4).str('S')); // field list 0x1234: none
    const fn = record(LF.PROCEDURE, (b) => b.u32(0x74).u8(0, 0).u16(1).u32(0x1000)); // arg list is a struct
    const m = modelOf([s, fn]);
    expect(() => m.info(0x1000, TI.FINDCHILDREN)).toThrow(badFormat);
    expect(() => m.info(0x1001, TI.FINDCHILDREN)).toThrow(badFormat);
  });

  test('base types and simple pointers', () => {
    const m = modelOf([record(LF.POINTER, (b) => b.u32(0x1000, 0x0c | (8 << 13)))]);
    expect([m.info(0x74, TI.GET_SYMTAG), m.info(0x74, TI.GET_BASETYPE), m.info(0x74, TI.GET_LENGTH)]).toEqual([SymTag.BaseType, BasicType.Int, 4n]);
    expect([m.info(0x12, TI.GET_BASETYPE), m.info(0x22, TI.GET_BASETYPE), m.info(0x70, TI.GET_BASETYPE), m.info(0x10, TI.GET_BASETYPE)]).toEqual([
      BasicType.Long,
      BasicType.ULong,
      BasicType.Char,
      BasicType.Int,
    ]);
    expect([m.info(0x0603, TI.GET_SYMTAG), m.info(0x0603, TI.GET_LENGTH), m.info(0x0603, TI.GET_TYPE)]).toEqual([SymTag.PointerType, 8n, 0x03]);
    expect([m.info(0x0474, TI.GET_LENGTH), m.info(0x0003, TI.GET_LENGTH), m.info(0x0003, TI.GET_BASETYPE)]).toEqual([4n, 0n, BasicType.Void]);
    expect(m.info(0, TI.GET_SYMTAG)).toBeUndefined();
    expect(m.info(0x1001, TI.GET_SYMTAG)).toBeUndefined(); // past the stream: an id nobody handed out
  });
});
