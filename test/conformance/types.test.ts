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
import { parseTypeDump } from '../helpers/type-dump';
import { BT, definitions, describeChild, expectedChildren, expectedLooks, fieldMembers, looks, SIMPLE, walkContext, type Query } from '../helpers/type-walk';

const FIX = path.resolve(__dirname, '..', 'fixtures');
const bin = (f: string) => path.join(FIX, 'bin', f);
const FIXTURES = ['types-x64', 'types-x86', 'cppfeatures-x64', 'cppfeatures-x86'];

describe.each(BACKENDS)('%s backend', (name: BackendName) => {
  const loaded = loadBackend(name);
  if ('error' in loaded) {
    test(`is not available on ${process.platform}: the load error says what was tried and what to do`, () => {
      expect(loaded.error).toMatchObject({ name: 'DbgHelpError', code: 'BACKEND_UNAVAILABLE' });
    });
    return;
  }
  const { SymbolHandler, SymTag, SymOpt, TypeInfo: TI, UdtKind } = loaded.lib;
  const gaps = KNOWN_GAPS[name];
  const t = (title: string, fn: () => Promise<unknown>) => (gaps[title] ? test.failing(`${title} [known gap: ${gaps[title]}]`, fn) : test(title, fn));

  type Sym = ReturnType<typeof SymbolHandler.initialize>;
  const apiOf =
    (sym: Sym, base: bigint): Query =>
    (id, r) =>
      sym.getTypeInfo(base, id, r);

  describe.each(FIXTURES)('%s', (fixture) => {
    const dumpText = fs.readFileSync(path.join(FIX, 'expected', 'types', `${fixture}.types.txt`), 'utf8');
    const dump = parseTypeDump(dumpText);
    const byIndex = new Map(dump.tpi.map((r) => [r.index, r]));
    const defs = definitions(dump.tpi);

    t('every UDT and enum walks like llvm-pdbutil dumps it: size, bases, members, methods, nested types, enumerators', async () => {
      const sym = SymbolHandler.initialize();
      try {
        const base = await sym.loadModule(bin(`${fixture}.exe`));
        const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
        walkContext.pointerSize = fixture.endsWith('x86') ? 4 : 8;
        expect(defs.length).toBeGreaterThan(fixture.startsWith('types') ? 15 : 4);
        for (const d of defs) {
          const hit = sym.getTypeFromName(base, d.name!);
          expect(hit).toBeDefined();
          // Duplicated names (none in these fixtures) would make the first definition answer.
          expect(defs.filter((x) => x.name === d.name)).toHaveLength(1);
          // A name the globals' S_UDT records hold answers as that typedef (Microsoft's DLL, on
          // MSVC- and LLVM-made PDBs alike), whose TYPE is the definition.
          const typedef = hit!.tag === SymTag.Typedef;
          const id = typedef ? (q(hit!.typeIndex, TI.GET_TYPE) as number) : hit!.typeIndex;
          expect(hit).toMatchObject({ name: d.name, index: hit!.typeIndex, modBase: base });
          expect([d.name, q(id, TI.GET_SYMTAG)]).toEqual([d.name, d.kind === 'LF_ENUM' ? SymTag.Enum : SymTag.UDT]);
          expect(q(id, TI.GET_SYMNAME)).toBe(d.name);
          if (d.kind === 'LF_ENUM') {
            expect(looks(apiOf(sym, base), q(id, TI.GET_TYPE) as number)).toBe(expectedLooks(byIndex, d.underlying!));
            expect(q(id, TI.GET_LENGTH)).toBe(BigInt(SIMPLE[d.underlying! & 0xff][1]));
            expect(q(id, TI.GET_BASETYPE)).toBe(SIMPLE[d.underlying! & 0xff][0]);
          } else {
            expect(q(id, TI.GET_LENGTH)).toBe(BigInt(d.sizeof!));
            expect(hit!.size).toBe(d.sizeof); // a typedef is as long as its type
            const kind = d.kind === 'LF_CLASS' ? UdtKind.Class : d.kind === 'LF_UNION' ? UdtKind.Union : d.kind === 'LF_INTERFACE' ? UdtKind.Interface : UdtKind.Struct;
            expect(q(id, TI.GET_UDTKIND)).toBe(kind);
          }
          const members = d.fieldList ? fieldMembers(byIndex, d.fieldList) : [];
          const want = members.flatMap((m) => expectedChildren(byIndex, m, d.name!));
          const ids = q(id, TI.FINDCHILDREN) as number[];
          expect(q(id, TI.GET_CHILDRENCOUNT)).toBe(ids.length);
          const got = ids.map((c) => describeChild(apiOf(sym, base), id, c));
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
  });

  t('types-x64: base types, pointers, references, arrays, function pointers and pointers to members', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(bin('types-x64.exe'));
      const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
      const udtOf = (name: string) => {
        const hit = sym.getTypeFromName(base, name)!;
        return hit.tag === SymTag.Typedef ? (q(hit.typeIndex, TI.GET_TYPE) as number) : hit.typeIndex;
      };
      const memberOf = (udt: string) => {
        const id = udtOf(udt);
        return new Map((q(id, TI.FINDCHILDREN) as number[]).map((c) => [q(c, TI.GET_SYMNAME) as string, c]));
      };
      const b = memberOf('shapes::Builtins');
      const typeLooks = (m: string) => looks(apiOf(sym, base), q(b.get(m)!, TI.GET_TYPE) as number);
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
      expect(looks(apiOf(sym, base), arr)).toBe(`array(6,2)->array(3,3)->base(${BT.Char},1)`);
      expect(looks(apiOf(sym, base), q(arr, TI.GET_ARRAYINDEXTYPEID) as number)).toBe(`base(${BT.UInt},8)`);
      // const volatile int: the modifiers are transparent.
      expect(typeLooks('i')).toBe(looks(apiOf(sym, base), q(memberOf('shapes::Derived').get('cv')!, TI.GET_TYPE) as number));

      const cb = memberOf('shapes::Callbacks');
      const op = q(q(cb.get('op')!, TI.GET_TYPE) as number, TI.GET_TYPE) as number; // pointer -> function type
      expect(q(op, TI.GET_SYMTAG)).toBe(SymTag.FunctionType);
      expect(q(op, TI.GET_COUNT)).toBe(2);
      expect(q(op, TI.GET_CALLING_CONVENTION)).toBe(0); // CV_CALL_NEAR_C
      expect(looks(apiOf(sym, base), q(op, TI.GET_TYPE) as number)).toBe(`base(${BT.Int},4)`);
      const args = q(op, TI.FINDCHILDREN) as number[];
      expect(args.map((a) => [q(a, TI.GET_SYMTAG), looks(apiOf(sym, base), q(a, TI.GET_TYPE) as number)])).toEqual([
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
      // shapes::Other::touch() and touch(int): TI_GET_COUNT counts `this` (Microsoft's DLL: 1, 2).
      const other = udtOf('shapes::Other');
      const touch = (q(other, TI.FINDCHILDREN) as number[]).filter((c) => q(c, TI.GET_SYMNAME) === 'touch');
      expect(touch.map((c) => q(q(c, TI.GET_TYPE) as number, TI.GET_COUNT))).toEqual([1, 2]);
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
      const cbHit = sym.getTypeFromName(base, 'shapes::Callbacks')!;
      expect(cbHit.tag).toBe(SymTag.Typedef); // the S_UDT (Microsoft's DLL)
      const cbId = q(cbHit.typeIndex, TI.GET_TYPE) as number;
      const cb = new Map((q(cbId, TI.FINDCHILDREN) as number[]).map((c) => [q(c, TI.GET_SYMNAME) as string, c]));
      const std = q(q(cb.get('stdcb')!, TI.GET_TYPE) as number, TI.GET_TYPE) as number;
      expect(q(std, TI.GET_CALLING_CONVENTION)).toBe(7); // CV_CALL_NEAR_STD
      expect(q(q(cb.get('op')!, TI.GET_TYPE) as number, TI.GET_LENGTH)).toBe(4n);
    } finally {
      sym.cleanup();
    }
  });

  t("typedefs (every S_UDT, a same-named class's too) are found by name and listed by enumTypes", async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(bin('types-x64.exe'));
      const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
      const hr = sym.getTypeFromName(base, 'HRESULT')!;
      expect(hr).toMatchObject({ tag: SymTag.Typedef, name: 'HRESULT', size: 4 });
      expect(looks(apiOf(sym, base), q(hr.typeIndex, TI.GET_TYPE) as number)).toBe(`base(${BT.Long},4)`);
      const alias = sym.getTypeFromName(base, 'shapes::Alias')!;
      expect(alias).toMatchObject({ tag: SymTag.Typedef, size: 56 });
      expect(q(q(alias.typeIndex, TI.GET_TYPE) as number, TI.GET_SYMNAME)).toBe('shapes::Derived');
      const op = sym.getTypeFromName(base, 'shapes::BinaryOp')!;
      expect(looks(apiOf(sym, base), q(op.typeIndex, TI.GET_TYPE) as number)).toBe('ptr(8)->fn(2)');
      // A class named by an S_UDT of its own name is that typedef too (Microsoft's DLL: tag 17,
      // size 56, its TYPE the class).
      const derived = sym.getTypeFromName(base, 'shapes::Derived')!;
      expect(derived).toMatchObject({ tag: SymTag.Typedef, name: 'shapes::Derived', size: 56 });
      const cls = q(derived.typeIndex, TI.GET_TYPE) as number;
      expect([q(cls, TI.GET_SYMTAG), q(cls, TI.GET_SYMNAME), q(cls, TI.GET_CHILDRENCOUNT)]).toEqual([SymTag.UDT, 'shapes::Derived', 8]);
      expect(q(derived.typeIndex, TI.FINDCHILDREN)).toBeUndefined(); // Microsoft's DLL: FALSE
      const typedefs = [...sym.enumTypes(base)].filter((s) => s.tag === SymTag.Typedef).map((s) => s.name);
      expect(typedefs).toEqual(expect.arrayContaining(['HRESULT', 'shapes::Alias', 'shapes::BinaryOp', 'size_t', 'shapes::Derived']));
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
      expect(looks(apiOf(sym, base), q(add.typeIndex, TI.GET_TYPE) as number)).toBe(`base(${BT.Int},4)`);
    } finally {
      sym.cleanup();
    }
  });

  t("getTypeFromName is case-sensitive, even under SYMOPT_CASE_INSENSITIVE (as Microsoft's DLL); module!name with base 0 searches that module", async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(bin('types-x64.exe'));
      expect(sym.getTypeFromName(base, 'SHAPES::FLAGS')).toBeUndefined();
      sym.setOptions(sym.getOptions() | SymOpt.CASE_INSENSITIVE);
      expect(sym.getTypeFromName(base, 'SHAPES::FLAGS')).toBeUndefined();
      expect(sym.getTypeFromName(base, 'shapes::Flags')).toMatchObject({ name: 'shapes::Flags', size: 8 });
      sym.setOptions(sym.getOptions() & ~SymOpt.CASE_INSENSITIVE);
      expect(sym.getTypeFromName(0n, 'types-x64!shapes::Flags')).toMatchObject({ name: 'shapes::Flags', modBase: base });
      expect(sym.getTypeFromName(0n, 'nosuchmodule!shapes::Flags')).toBeUndefined();
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
