/**
 * The type calls (SymGetTypeFromName, SymEnumTypes(ByName), SymGetTypeInfo) on the project's
 * fixtures, once per backend.
 *
 * Every UDT and enum definition llvm-pdbutil lists (test/fixtures/expected/types/NAME.types.txt)
 * is walked through the public API and compared with the dump: size, kind, base classes (type,
 * offset, virtual), data members (name, offset, type, bit position and width), static members,
 * methods (one per overload), nested types, the vtable pointer, enumerator values. Types are
 * compared by what they look like (tag, name, base type, length, pointee), never by id, so the
 * same test holds for DbgHelp's own ids. Base types are checked against a table written from
 * the fixture's source, not from the library's table.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BACKENDS, KNOWN_GAPS, loadBackend, type BackendName } from './backends';
import { parseTypeDump, type DumpMember, type DumpRecord } from '../helpers/type-dump';

const FIX = path.resolve(__dirname, '..', 'fixtures');
const bin = (f: string) => path.join(FIX, 'bin', f);
const FIXTURES = ['types-x64', 'types-x86', 'cppfeatures-x64', 'cppfeatures-x86'];

// cvconst.h BasicType and the CodeView simple kinds the fixtures use, from the C++ types in
// src/types.cpp: what DbgHelp reports for each (`long` is btLong, `signed char` btInt...).
const BT = { Void: 1, Char: 2, WChar: 3, Int: 6, UInt: 7, Float: 8, Bool: 10, Long: 13, ULong: 14, Hresult: 31, Char16: 32, Char32: 33, Char8: 34 };
const SIMPLE: Record<number, [number, number]> = {
  0x03: [BT.Void, 0], //   void
  0x08: [BT.Hresult, 4], // HRESULT
  0x10: [BT.Int, 1], //    signed char
  0x11: [BT.Int, 2], //    short
  0x12: [BT.Long, 4], //   long
  0x13: [BT.Int, 8], //    long long
  0x20: [BT.UInt, 1], //   unsigned char
  0x21: [BT.UInt, 2], //   unsigned short
  0x22: [BT.ULong, 4], //  unsigned long
  0x23: [BT.UInt, 8], //   unsigned long long
  0x30: [BT.Bool, 1], //   bool
  0x40: [BT.Float, 4], //  float
  0x41: [BT.Float, 8], //  double (and long double on Windows)
  0x70: [BT.Char, 1], //   char
  0x71: [BT.WChar, 2], //  wchar_t
  0x74: [BT.Int, 4], //    int
  0x75: [BT.UInt, 4], //   unsigned int
  0x7a: [BT.Char16, 2], // char16_t
  0x7b: [BT.Char32, 4], // char32_t
  0x7c: [BT.Char8, 1], //  char8_t
};
const POINTER_SIZE: Record<number, number> = { 4: 4, 6: 8 }; // simple pointer modes near32, near64

describe.each(BACKENDS)('%s backend', (name: BackendName) => {
  const loaded = loadBackend(name);
  if ('error' in loaded) {
    test(`is not available on ${process.platform}: the load error says what was tried and what to do`, () => {
      expect(loaded.error).toMatchObject({ name: 'DbgHelpError', code: 'BACKEND_UNAVAILABLE' });
    });
    return;
  }
  const { SymbolHandler, SymTag, TypeInfo: TI, DataKind, UdtKind } = loaded.lib;
  const gaps = KNOWN_GAPS[name];
  const t = (title: string, fn: () => Promise<unknown>) => (gaps[title] ? test.failing(`${title} [known gap: ${gaps[title]}]`, fn) : test(title, fn));

  type Sym = ReturnType<typeof SymbolHandler.initialize>;

  /** What a type looks like through the API: tag, then name / base type and length, pointee. */
  function looks(sym: Sym, base: bigint, id: number, depth = 0): string {
    const q = (r: number) => sym.getTypeInfo(base, id, r);
    const tag = q(TI.GET_SYMTAG);
    switch (tag) {
      case SymTag.BaseType:
        return `base(${q(TI.GET_BASETYPE)},${q(TI.GET_LENGTH)})`;
      case SymTag.UDT:
      case SymTag.Enum:
      case SymTag.Typedef:
        return `${tag === SymTag.UDT ? 'udt' : tag === SymTag.Enum ? 'enum' : 'typedef'} ${q(TI.GET_SYMNAME)}`;
      case SymTag.PointerType:
        // Pointers to members: their size depends on the class's inheritance model, which the
        // dump does not print; the pointee is what the tests compare.
        if (q(TI.GET_CLASSPARENTID) !== undefined) return `ptr(member)->${looks(sym, base, q(TI.GET_TYPE) as number, depth + 1)}`;
        return `ptr(${q(TI.GET_LENGTH)}${q(TI.GET_IS_REFERENCE) ? ',ref' : ''})->${depth < 3 ? looks(sym, base, q(TI.GET_TYPE) as number, depth + 1) : '...'}`;
      case SymTag.ArrayType:
        return `array(${q(TI.GET_LENGTH)},${q(TI.GET_COUNT)})->${looks(sym, base, q(TI.GET_TYPE) as number, depth + 1)}`;
      case SymTag.FunctionType:
        return `fn(${q(TI.GET_COUNT)})`;
      case SymTag.VTableShape:
        return 'vtshape';
      default:
        return `tag ${tag}`;
    }
  }

  /** The same description from llvm-pdbutil's dump. */
  function expectedLooks(dump: Map<number, DumpRecord>, ti: number, depth = 0): string {
    if (ti < 0x1000) {
      const mode = (ti >> 8) & 7;
      const kind = SIMPLE[ti & 0xff];
      if (!kind) throw new Error(`the test's table lacks simple kind 0x${(ti & 0xff).toString(16)}`);
      const b = `base(${kind[0]},${kind[1]})`;
      return mode ? `ptr(${POINTER_SIZE[mode]})->${b}` : b;
    }
    const r = dump.get(ti)!;
    switch (r.kind) {
      case 'LF_MODIFIER':
      case 'LF_BITFIELD':
        return expectedLooks(dump, r.referent!, depth);
      case 'LF_STRUCTURE':
      case 'LF_CLASS':
      case 'LF_UNION':
      case 'LF_INTERFACE':
        return `udt ${r.name}`;
      case 'LF_ENUM':
        return `enum ${r.name}`;
      case 'LF_POINTER': {
        if (/member/.test(r.mode!)) return `ptr(member)->${expectedLooks(dump, r.referent!, depth + 1)}`;
        const size = r.ptrKind === 'ptr64' ? 8 : 4;
        const ref = r.mode === 'ref' || r.mode === 'rvalue ref';
        return `ptr(${size}${ref ? ',ref' : ''})->${depth < 3 ? expectedLooks(dump, r.referent!, depth + 1) : '...'}`;
      }
      case 'LF_ARRAY': {
        const elem = elementSize(dump, r.referent!);
        return `array(${r.arraySize},${elem ? r.arraySize! / elem : 0})->${expectedLooks(dump, r.referent!, depth + 1)}`;
      }
      case 'LF_PROCEDURE':
      case 'LF_MFUNCTION':
        return `fn(${r.argCount})`;
      case 'LF_VTSHAPE':
        return 'vtshape';
      default:
        throw new Error(`unexpected ${r.kind} 0x${ti.toString(16)}`);
    }
  }
  function elementSize(dump: Map<number, DumpRecord>, ti: number): number {
    if (ti < 0x1000) return (ti >> 8) & 7 ? POINTER_SIZE[(ti >> 8) & 7] : SIMPLE[ti & 0xff][1];
    const r = dump.get(ti)!;
    if (r.kind === 'LF_MODIFIER') return elementSize(dump, r.referent!);
    if (r.kind === 'LF_ARRAY') return r.arraySize!;
    if (r.kind === 'LF_POINTER') return r.ptrKind === 'ptr64' ? 8 : 4;
    const def = r.forwardTo !== undefined ? dump.get(r.forwardTo)! : r;
    return def.sizeof ?? 0;
  }

  describe.each(FIXTURES)('%s', (fixture) => {
    const dumpText = fs.readFileSync(path.join(FIX, 'expected', 'types', `${fixture}.types.txt`), 'utf8');
    const dump = parseTypeDump(dumpText);
    const byIndex = new Map(dump.tpi.map((r) => [r.index, r]));
    const tags = new Set(['LF_STRUCTURE', 'LF_CLASS', 'LF_UNION', 'LF_INTERFACE', 'LF_ENUM']);
    const defs = dump.tpi.filter((r) => tags.has(r.kind) && r.forwardTo === undefined && !/forward ref/.test(r.options ?? ''));

    t('every UDT and enum walks like llvm-pdbutil dumps it: size, bases, members, methods, nested types, enumerators', async () => {
      const sym = SymbolHandler.initialize();
      try {
        const base = await sym.loadModule(bin(`${fixture}.exe`));
        const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
        expect(defs.length).toBeGreaterThan(fixture.startsWith('types') ? 15 : 4);
        for (const d of defs) {
          const hit = sym.getTypeFromName(base, d.name!);
          expect(hit).toBeDefined();
          // Duplicated names (none in these fixtures) would make the first definition answer.
          expect(defs.filter((x) => x.name === d.name)).toHaveLength(1);
          const id = hit!.typeIndex;
          expect(hit).toMatchObject({ name: d.name, tag: d.kind === 'LF_ENUM' ? SymTag.Enum : SymTag.UDT, index: id, modBase: base });
          expect(q(id, TI.GET_SYMNAME)).toBe(d.name);
          if (d.kind === 'LF_ENUM') {
            expect(looks(sym, base, q(id, TI.GET_TYPE) as number)).toBe(expectedLooks(byIndex, d.underlying!));
            expect(q(id, TI.GET_LENGTH)).toBe(BigInt(SIMPLE[d.underlying! & 0xff][1]));
            expect(q(id, TI.GET_BASETYPE)).toBe(SIMPLE[d.underlying! & 0xff][0]);
          } else {
            expect(q(id, TI.GET_LENGTH)).toBe(BigInt(d.sizeof!));
            expect(hit!.size).toBe(d.sizeof);
            const kind = d.kind === 'LF_CLASS' ? UdtKind.Class : d.kind === 'LF_UNION' ? UdtKind.Union : d.kind === 'LF_INTERFACE' ? UdtKind.Interface : UdtKind.Struct;
            expect(q(id, TI.GET_UDTKIND)).toBe(kind);
          }
          const members = d.fieldList ? fieldMembers(byIndex, d.fieldList) : [];
          const want = members.flatMap((m) => expectedChildren(byIndex, m));
          const ids = q(id, TI.FINDCHILDREN) as number[];
          expect(q(id, TI.GET_CHILDRENCOUNT)).toBe(ids.length);
          const got = ids.map((c) => describeChild(sym, base, id, c));
          expect([d.name, got]).toEqual([d.name, want]);
        }
      } finally {
        sym.cleanup();
      }
    });

    t('enumTypes lists each definition once (no forward references); enumTypesByName filters by mask', async () => {
      const sym = SymbolHandler.initialize();
      try {
        const base = await sym.loadModule(bin(`${fixture}.exe`));
        const all = [...sym.enumTypes(base)];
        const udts = all.filter((s) => s.tag === SymTag.UDT || s.tag === SymTag.Enum);
        expect(udts.map((s) => s.name).sort()).toEqual(defs.map((d) => d.name!).sort());
        for (const s of all) {
          expect(s.modBase).toBe(base);
          expect(sym.getTypeInfo(base, s.typeIndex, TI.GET_SYMNAME)).toBe(s.name);
          expect(sym.getTypeInfo(base, s.typeIndex, TI.GET_SYMTAG)).toBe(s.tag);
        }
        const some = [...sym.enumTypesByName(base, fixture.startsWith('types') ? 'shapes::D*' : 'geometry::*')].map((s) => s.name);
        expect(some.length).toBeGreaterThan(0);
        expect(some).toEqual(all.map((s) => s.name).filter((n) => n.startsWith(fixture.startsWith('types') ? 'shapes::D' : 'geometry::')));
        expect([...sym.enumTypesByName(base, 'no_such_type*')]).toEqual([]);
      } finally {
        sym.cleanup();
      }
    });

    /** A child as the API describes it, in the same words as expectedChildren. */
    function describeChild(sym: Sym, base: bigint, parent: number, c: number): string {
      const q = (r: number) => sym.getTypeInfo(base, c, r);
      const tag = q(TI.GET_SYMTAG);
      const type = q(TI.GET_TYPE) as number;
      const parentOk = q(TI.GET_CLASSPARENTID) === parent ? '' : ' (wrong parent)';
      switch (tag) {
        case SymTag.BaseClass:
          return `base ${looks(sym, base, type)} @${q(TI.GET_OFFSET)}${q(TI.GET_VIRTUALBASECLASS) ? ' virtual' : ''}${parentOk}`;
        case SymTag.Data: {
          const kind = q(TI.GET_DATAKIND);
          if (kind === DataKind.Constant) return `enumerator ${q(TI.GET_SYMNAME)} = ${q(TI.GET_VALUE)}${parentOk}`;
          if (kind === DataKind.StaticMember) return `static ${q(TI.GET_SYMNAME)}: ${looks(sym, base, type)}${parentOk}`;
          const bit = q(TI.GET_BITPOSITION);
          const bits = bit === undefined ? '' : ` bits ${bit}+${q(TI.GET_LENGTH)}`;
          return `member ${q(TI.GET_SYMNAME)} @${q(TI.GET_OFFSET)}${bits}: ${looks(sym, base, type)}${parentOk}`;
        }
        case SymTag.Function:
          return `method ${q(TI.GET_SYMNAME)}: ${looks(sym, base, type)}${parentOk}`;
        case SymTag.VTable:
          return `vtable ${looks(sym, base, type)}${parentOk}`;
        case SymTag.Typedef:
          return `typedef ${q(TI.GET_SYMNAME)}: ${looks(sym, base, type)}`;
        case SymTag.UDT:
        case SymTag.Enum:
          return `nested ${looks(sym, base, c)}`;
        default:
          return `tag ${tag}`;
      }
    }

    function expectedChildren(dump: Map<number, DumpRecord>, m: DumpMember): string[] {
      switch (m.kind) {
        case 'LF_BCLASS':
          return [`base ${expectedLooks(dump, m.type)} @${m.offset}`];
        case 'LF_VBCLASS':
        case 'LF_IVBCLASS':
          return [`base ${expectedLooks(dump, m.type)} @undefined virtual`];
        case 'LF_ENUMERATE':
          return [`enumerator ${m.name} = ${m.value}`];
        case 'LF_STMEMBER':
          return [`static ${m.name}: ${expectedLooks(dump, m.type)}`];
        case 'LF_MEMBER': {
          const r = dump.get(m.type);
          const bits = r?.kind === 'LF_BITFIELD' ? ` bits ${r.bitOffset}+${r.bits}` : '';
          return [`member ${m.name} @${m.offset}${bits}: ${expectedLooks(dump, m.type)}`];
        }
        case 'LF_ONEMETHOD':
          return [`method ${m.name}: ${expectedLooks(dump, m.type)}`];
        case 'LF_METHOD': {
          const list = dump.get(m.type)!.methods!;
          expect(list).toHaveLength(m.overloads!);
          return list.map((x) => `method ${m.name}: ${expectedLooks(dump, x.type)}`);
        }
        case 'LF_VFUNCTAB':
          return [`vtable ${expectedLooks(dump, m.type)}`];
        case 'LF_NESTTYPE': {
          const looksAs = expectedLooks(dump, m.type);
          return [/^(udt|enum) .*::/.test(looksAs) && looksAs.endsWith(`::${m.name}`) ? `nested ${looksAs}` : `typedef ${m.name}: ${looksAs}`];
        }
        default:
          return [];
      }
    }
  });

  /** A field list's members, following LF_INDEX continuations. */
  function fieldMembers(dump: Map<number, DumpRecord>, fl: number): DumpMember[] {
    const out: DumpMember[] = [];
    for (let at: number | undefined = fl; at; ) {
      const r: DumpRecord = dump.get(at)!;
      at = undefined;
      for (const m of r.members ?? []) {
        if (m.kind === 'LF_INDEX') at = m.type;
        else out.push(m);
      }
    }
    return out;
  }

  t('types-x64: base types, pointers, references, arrays, function pointers and pointers to members', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(bin('types-x64.exe'));
      const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
      const memberOf = (udt: string) => {
        const id = sym.getTypeFromName(base, udt)!.typeIndex;
        return new Map((q(id, TI.FINDCHILDREN) as number[]).map((c) => [q(c, TI.GET_SYMNAME) as string, c]));
      };
      const b = memberOf('shapes::Builtins');
      const typeLooks = (m: string) => looks(sym, base, q(b.get(m)!, TI.GET_TYPE) as number);
      // From the declarations in src/types.cpp.
      expect(Object.fromEntries(['c', 'sc', 'uc', 'wc', 'c8', 'c16', 'c32', 's', 'us', 'i', 'ui', 'l', 'ul', 'll', 'ull', 'f', 'd', 'ld', 'b', 'hr'].map((m) => [m, typeLooks(m)]))).toEqual({
        c: `base(${BT.Char},1)`,
        sc: `base(${BT.Int},1)`,
        uc: `base(${BT.UInt},1)`,
        wc: `base(${BT.WChar},2)`,
        c8: `base(${BT.Char8},1)`,
        c16: `base(${BT.Char16},2)`,
        c32: `base(${BT.Char32},4)`,
        s: `base(${BT.Int},2)`,
        us: `base(${BT.UInt},2)`,
        i: `base(${BT.Int},4)`,
        ui: `base(${BT.UInt},4)`,
        l: `base(${BT.Long},4)`,
        ul: `base(${BT.ULong},4)`,
        ll: `base(${BT.Int},8)`,
        ull: `base(${BT.UInt},8)`,
        f: `base(${BT.Float},4)`,
        d: `base(${BT.Float},8)`,
        ld: `base(${BT.Float},8)`, // long double is double on Windows
        b: `base(${BT.Bool},1)`,
        hr: `base(${BT.Hresult},4)`,
      });
      expect(typeLooks('p')).toBe(`ptr(8)->base(${BT.Void},0)`);
      expect(typeLooks('str')).toBe(`ptr(8)->base(${BT.Char},1)`); // const is transparent
      expect(typeLooks('ref')).toBe(`ptr(8,ref)->base(${BT.Int},4)`);
      expect(typeLooks('rref')).toBe(`ptr(8,ref)->base(${BT.Int},4)`);
      expect(typeLooks('color')).toBe('enum shapes::Color');

      // char name[2][3]: an array of 2 arrays of 3 chars, indexed by unsigned __int64.
      const name = memberOf('shapes::Derived').get('name')!;
      const arr = q(name, TI.GET_TYPE) as number;
      expect(looks(sym, base, arr)).toBe(`array(6,2)->array(3,3)->base(${BT.Char},1)`);
      expect(looks(sym, base, q(arr, TI.GET_ARRAYINDEXTYPEID) as number)).toBe(`base(${BT.UInt},8)`);
      // const volatile int: the modifiers are transparent.
      expect(typeLooks('i')).toBe(looks(sym, base, q(memberOf('shapes::Derived').get('cv')!, TI.GET_TYPE) as number));

      const cb = memberOf('shapes::Callbacks');
      const op = q(q(cb.get('op')!, TI.GET_TYPE) as number, TI.GET_TYPE) as number; // pointer -> function type
      expect(q(op, TI.GET_SYMTAG)).toBe(SymTag.FunctionType);
      expect(q(op, TI.GET_COUNT)).toBe(2);
      expect(q(op, TI.GET_CALLING_CONVENTION)).toBe(0); // CV_CALL_NEAR_C
      expect(looks(sym, base, q(op, TI.GET_TYPE) as number)).toBe(`base(${BT.Int},4)`);
      const args = q(op, TI.FINDCHILDREN) as number[];
      expect(args.map((a) => [q(a, TI.GET_SYMTAG), looks(sym, base, q(a, TI.GET_TYPE) as number)])).toEqual([
        [SymTag.FunctionArgType, `base(${BT.Int},4)`],
        [SymTag.FunctionArgType, `base(${BT.Int},4)`],
      ]);
      // int (Other::*)(int): a pointer to member whose class parent is Other.
      const pmf = q(cb.get('member')!, TI.GET_TYPE) as number;
      expect(q(pmf, TI.GET_SYMTAG)).toBe(SymTag.PointerType);
      expect(q(q(pmf, TI.GET_CLASSPARENTID) as number, TI.GET_SYMNAME)).toBe('shapes::Other');
      const method = q(pmf, TI.GET_TYPE) as number;
      expect(q(q(method, TI.GET_CLASSPARENTID) as number, TI.GET_SYMNAME)).toBe('shapes::Other');
      expect(q(method, TI.GET_OBJECTPOINTERTYPE)).toBeDefined();
      expect(q(method, TI.GET_THISADJUST)).toBe(0);
    } finally {
      sym.cleanup();
    }
  });

  t('types-x86: __stdcall function pointers and 4-byte pointers', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(bin('types-x86.exe'));
      const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
      const cbId = sym.getTypeFromName(base, 'shapes::Callbacks')!.typeIndex;
      const cb = new Map((q(cbId, TI.FINDCHILDREN) as number[]).map((c) => [q(c, TI.GET_SYMNAME) as string, c]));
      const std = q(q(cb.get('stdcb')!, TI.GET_TYPE) as number, TI.GET_TYPE) as number;
      expect(q(std, TI.GET_CALLING_CONVENTION)).toBe(7); // CV_CALL_NEAR_STD
      expect(q(q(cb.get('op')!, TI.GET_TYPE) as number, TI.GET_LENGTH)).toBe(4n);
    } finally {
      sym.cleanup();
    }
  });

  t('typedefs (S_UDT naming another type) are found by name and listed by enumTypes', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(bin('types-x64.exe'));
      const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
      const hr = sym.getTypeFromName(base, 'HRESULT')!;
      expect(hr).toMatchObject({ tag: SymTag.Typedef, name: 'HRESULT', size: 4 });
      expect(looks(sym, base, q(hr.typeIndex, TI.GET_TYPE) as number)).toBe(`base(${BT.Long},4)`);
      const alias = sym.getTypeFromName(base, 'shapes::Alias')!;
      expect(alias).toMatchObject({ tag: SymTag.Typedef, size: 56 });
      expect(q(q(alias.typeIndex, TI.GET_TYPE) as number, TI.GET_SYMNAME)).toBe('shapes::Derived');
      const op = sym.getTypeFromName(base, 'shapes::BinaryOp')!;
      expect(looks(sym, base, q(op.typeIndex, TI.GET_TYPE) as number)).toBe('ptr(8)->fn(2)');
      const typedefs = [...sym.enumTypes(base)].filter((s) => s.tag === SymTag.Typedef).map((s) => s.name);
      expect(typedefs).toEqual(expect.arrayContaining(['HRESULT', 'shapes::Alias', 'shapes::BinaryOp', 'size_t']));
      // A class's own S_UDT is the class, not a typedef of it.
      expect(typedefs).not.toContain('shapes::Derived');
      expect(sym.getTypeFromName(base, 'no::such::type')).toBeUndefined();
    } finally {
      sym.cleanup();
    }
  });

  t('symbols carry type ids: a global variable its type, a function its function type', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(bin('types-x64.exe'));
      const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
      const flags = sym.fromName('g_flags')!;
      expect(q(flags.typeIndex, TI.GET_SYMNAME)).toBe('shapes::Flags');
      expect(q(flags.typeIndex, TI.GET_LENGTH)).toBe(8n);
      const add = sym.fromName('add')!;
      expect(q(add.typeIndex, TI.GET_SYMTAG)).toBe(SymTag.FunctionType);
      expect(q(add.typeIndex, TI.GET_COUNT)).toBe(2);
      expect(looks(sym, base, q(add.typeIndex, TI.GET_TYPE) as number)).toBe(`base(${BT.Int},4)`);
    } finally {
      sym.cleanup();
    }
  });

  t('ids that name nothing answer undefined; a module that is not loaded is MODULE_NOT_FOUND', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(bin('types-x64.exe'));
      expect(sym.getTypeInfo(base, 0, TI.GET_SYMTAG)).toBeUndefined();
      expect(sym.getTypeInfo(base, 0x7fffffff, TI.GET_SYMTAG)).toBeUndefined();
      expect(sym.getTypeInfo(base, 0xfffffff0, TI.GET_SYMTAG)).toBeUndefined();
      const flags = sym.getTypeFromName(base, 'shapes::Flags')!.typeIndex;
      // Requests that do not apply to a UDT.
      expect(sym.getTypeInfo(base, flags, TI.GET_OFFSET)).toBeUndefined();
      expect(sym.getTypeInfo(base, flags, TI.GET_BITPOSITION)).toBeUndefined();
      expect(sym.getTypeInfo(base, flags, TI.GET_CALLING_CONVENTION)).toBeUndefined();
      expect(() => sym.getTypeInfo(base + 0x10000000n, flags, TI.GET_SYMTAG)).toThrow(expect.objectContaining({ code: 'MODULE_NOT_FOUND' }));
    } finally {
      sym.cleanup();
    }
  });
});
