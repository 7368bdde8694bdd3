/** Hand-checked undecorations for NAME_ONLY and every UNDNAME_* flag, and x86 C names. */
import * as fs from 'fs';
import * as path from 'path';
import { UndName, undecorateCName, undecorateSymbolName } from '../../../lib/demangle';

const u = undecorateSymbolName;

describe('UndName values (dbghelp.h)', () => {
  test('documented values', () => {
    expect(UndName).toMatchObject({
      COMPLETE: 0, NO_LEADING_UNDERSCORES: 0x1, NO_MS_KEYWORDS: 0x2, NO_FUNCTION_RETURNS: 0x4,
      NO_ALLOCATION_MODEL: 0x8, NO_ALLOCATION_LANGUAGE: 0x10, NO_MS_THISTYPE: 0x20, NO_CV_THISTYPE: 0x40,
      NO_THISTYPE: 0x60, NO_ACCESS_SPECIFIERS: 0x80, NO_THROW_SIGNATURES: 0x100, NO_MEMBER_TYPE: 0x200,
      NO_RETURN_UDT_MODEL: 0x400, '32_BIT_DECODE': 0x800, NAME_ONLY: 0x1000, NO_ARGUMENTS: 0x2000,
      NO_SPECIAL_SYMS: 0x4000, NO_ECSU: 0x8000,
    });
  });
});

describe('NAME_ONLY (what SymFromAddr returns for publics)', () => {
  const N = UndName.NAME_ONLY;
  test.each([
    ['?scale@geometry@@YAHHH@Z', 'geometry::scale'],
    ['??1Foo@@QAE@XZ', 'Foo::~Foo'],
    ['??0Foo@@QAE@XZ', 'Foo::Foo'],
    ['??$max@H@std@@YAHHH@Z', 'std::max<int>'],
    ['??4Foo@@QAEAAV0@ABV0@@Z', 'Foo::operator='],
    ['??8Foo@@QBE_NABV0@@Z', 'Foo::operator=='],
    ['??RFoo@@QAEHH@Z', 'Foo::operator()'],
    ['??2@YAPAXI@Z', 'operator new'],
    ['??_U@YAPAXI@Z', 'operator new[]'],
    ['??BFoo@@QBEHXZ', 'Foo::operator int'],
    ['??_GFoo@@UAEPAXI@Z', "Foo::`scalar deleting dtor'"],
    ['??_EFoo@@UAEPAXI@Z', "Foo::`vector deleting dtor'"],
    ['??_7Foo@@6B@', "Foo::`vftable'"],
    ['??_R4Foo@@6B@', "Foo::`RTTI Complete Object Locator'"],
    ['??_R0?AVbad_alloc@std@@@8', "std::bad_alloc `RTTI Type Descriptor'"],
    ['??_R1A@?0A@EA@Foo@@8', "Foo::`RTTI Base Class Descriptor at (0, -1, 0, 64)'"],
    ['??_C@_07NFANNNEC@UNKNOWN@', "`string'"],
    ['?x@@3HA', 'x'],
    ['?x@C@@2HA', 'C::x'],
    ['?f@?A0x1234abcd@@YAXXZ', "`anonymous namespace'::f"],
    ['?x@?1??f@@YAXXZ@4HA', "`void __cdecl f(void)'::`2'::x"],
    ['?get@?$__crt_unique_heap_ptr@U__crt_lowio_handle_data@@U__crt_internal_free_policy@@@@QBEPAU__crt_lowio_handle_data@@XZ',
      '__crt_unique_heap_ptr<struct __crt_lowio_handle_data, struct __crt_internal_free_policy>::get'],
    ['??1?$basic_string@DU?$char_traits@D@std@@V?$allocator@D@2@@std@@QAE@XZ',
      'std::basic_string<char, struct std::char_traits<char>, class std::allocator<char>>::~basic_string<char, struct std::char_traits<char>, class std::allocator<char>>'],
    ['?f@C@@$4PPPPPPPM@A@EAAXXZ', 'C::f'],
    ['?f@C@@W7EAAXXZ', 'C::f'],
    ['??__Ex@@YAXXZ', "`dynamic initializer for 'x''"],
    ['??_9C@@$BA@AA', "C::`vcall'{0, {flat}}"],
    ['?main@@YAHXZ', 'main'],
    ['not decorated', 'not decorated'],
  ])('%s -> %s', (d, e) => {
    expect(u(d, N)).toBe(e);
  });

  test('for every corpus function/variable, NAME_ONLY is the name inside the full undecoration', () => {
    const rows = fs
      .readFileSync(path.join(__dirname, 'undname-oracle.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => l.split('\t'));
    let checked = 0;
    for (const [d, full] of rows) {
      if (d.startsWith('??_C@')) continue; // string literals print `string'
      const n = u(d, N);
      expect(full.includes(n)).toBe(true);
      if (full !== d) expect(n).not.toBe(d);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('individual flags', () => {
  const member = '?f@C@@QBEHH@Z'; // public: int __thiscall C::f(int) const
  const statik = '?g@C@@SAPAXXZ'; // public: static void * __cdecl C::g(void)
  const virt = '?h@C@@UAEXXZ';
  const msThis = '?f@C@@QEIFAAXXZ'; // __restrict __unaligned this
  const udt = '?f@C@@QAE?AUS@@XZ';
  const fnptr = '?f@@YAP6AHH@ZXZ';

  test('COMPLETE', () => {
    expect(u(member)).toBe('public: int __thiscall C::f(int) const');
    expect(u(statik)).toBe('public: static void * __cdecl C::g(void)');
    expect(u(virt)).toBe('public: virtual void __thiscall C::h(void)');
    expect(u(msThis)).toBe('public: void __cdecl C::f(void) __restrict __unaligned');
    expect(u(fnptr)).toBe('int (__cdecl * __cdecl f(void))(int)');
  });
  test('NO_LEADING_UNDERSCORES', () => {
    expect(u(member, UndName.NO_LEADING_UNDERSCORES)).toBe('public: int thiscall C::f(int) const');
    expect(u(fnptr, UndName.NO_LEADING_UNDERSCORES)).toBe('int (cdecl * cdecl f(void))(int)');
  });
  test('NO_MS_KEYWORDS', () => {
    expect(u(member, UndName.NO_MS_KEYWORDS)).toBe('public: int C::f(int) const');
    expect(u(msThis, UndName.NO_MS_KEYWORDS)).toBe('public: void C::f(void)');
    expect(u('?f@@YAXPEFAH@Z', UndName.NO_MS_KEYWORDS)).toBe('void f(int *)');
  });
  test('NO_FUNCTION_RETURNS', () => {
    expect(u(member, UndName.NO_FUNCTION_RETURNS)).toBe('public: __thiscall C::f(int) const');
    expect(u(udt, UndName.NO_FUNCTION_RETURNS)).toBe('public: __thiscall C::f(void)');
    // Parameters that are function pointers keep their return types.
    expect(u('?f@@YAHP6AHH@Z@Z', UndName.NO_FUNCTION_RETURNS)).toBe('__cdecl f(int (__cdecl *)(int))');
  });
  test('NO_ALLOCATION_LANGUAGE drops the calling convention', () => {
    expect(u(member, UndName.NO_ALLOCATION_LANGUAGE)).toBe('public: int C::f(int) const');
  });
  test('NO_ALLOCATION_MODEL, NO_RETURN_UDT_MODEL, 32_BIT_DECODE change nothing we print', () => {
    for (const f of [UndName.NO_ALLOCATION_MODEL, UndName.NO_RETURN_UDT_MODEL, UndName['32_BIT_DECODE']]) {
      for (const d of [member, statik, udt, fnptr]) expect(u(d, f)).toBe(u(d));
    }
  });
  test('NO_MS_THISTYPE / NO_CV_THISTYPE / NO_THISTYPE', () => {
    expect(u(msThis, UndName.NO_MS_THISTYPE)).toBe('public: void __cdecl C::f(void)');
    expect(u(member, UndName.NO_MS_THISTYPE)).toBe('public: int __thiscall C::f(int) const');
    expect(u(member, UndName.NO_CV_THISTYPE)).toBe('public: int __thiscall C::f(int)');
    expect(u(msThis, UndName.NO_CV_THISTYPE)).toBe('public: void __cdecl C::f(void) __restrict __unaligned');
    expect(u(member, UndName.NO_THISTYPE)).toBe('public: int __thiscall C::f(int)');
    expect(u(msThis, UndName.NO_THISTYPE)).toBe('public: void __cdecl C::f(void)');
    // Only the primary declaration's this type: member function pointer parameters keep theirs.
    expect(u('?f@@YAXP8C@@BEHH@Z@Z', UndName.NO_THISTYPE)).toBe(
      'void __cdecl f(int (__thiscall C::*)(int) const)',
    );
  });
  test('NO_ACCESS_SPECIFIERS', () => {
    expect(u(member, UndName.NO_ACCESS_SPECIFIERS)).toBe('int __thiscall C::f(int) const');
    expect(u('?x@C@@2HA', UndName.NO_ACCESS_SPECIFIERS)).toBe('static int C::x');
  });
  test('NO_THROW_SIGNATURES', () => {
    expect(u('?f@@YAXX_E')).toBe('void __cdecl f(void) noexcept');
    expect(u('?f@@YAXX_E', UndName.NO_THROW_SIGNATURES)).toBe('void __cdecl f(void)');
  });
  test('NO_MEMBER_TYPE', () => {
    expect(u(statik, UndName.NO_MEMBER_TYPE)).toBe('public: void * __cdecl C::g(void)');
    expect(u(virt, UndName.NO_MEMBER_TYPE)).toBe('public: void __thiscall C::h(void)');
    expect(u('?x@C@@2HA', UndName.NO_MEMBER_TYPE)).toBe('public: int C::x');
  });
  test('NO_ARGUMENTS', () => {
    expect(u(member, UndName.NO_ARGUMENTS)).toBe('public: int __thiscall C::f const');
    expect(u('??$max@H@std@@YAHHH@Z', UndName.NO_ARGUMENTS)).toBe('int __cdecl std::max<int>');
  });
  test('NO_SPECIAL_SYMS leaves special symbols decorated', () => {
    for (const d of ['??_7C@@6B@', '??_C@_05MFLOHCHP@hello?$AA@', '??_R0?AVC@@@8', '??_9C@@$BA@AA', '??__Ex@@YAXXZ']) {
      expect(u(d, UndName.NO_SPECIAL_SYMS)).toBe(d);
    }
    expect(u(member, UndName.NO_SPECIAL_SYMS)).toBe(u(member));
  });
  test('NO_ECSU (0x8000, also exported as TYPE_ONLY) drops class/struct/union/enum', () => {
    expect(u(udt, UndName.NO_ECSU)).toBe('public: S __thiscall C::f(void)');
    expect(u('?f@@YAXV?$vector@HV?$allocator@H@std@@@std@@W4E@@@Z', UndName.NO_ECSU)).toBe(
      'void __cdecl f(std::vector<int, std::allocator<int>>, E)',
    );
  });
  test('type encodings are undecorated as types', () => {
    expect(u('.?AVFoo@@')).toBe("class Foo `RTTI Type Descriptor Name'");
    expect(u('.PAH')).toBe("int *`RTTI Type Descriptor Name'"); // llvm-undname-19 layout
  });
  test('combinations (the DIA/breakpad set)', () => {
    const f =
      UndName.NO_MS_KEYWORDS | UndName.NO_FUNCTION_RETURNS | UndName.NO_ALLOCATION_MODEL |
      UndName.NO_ALLOCATION_LANGUAGE | UndName.NO_THISTYPE | UndName.NO_ACCESS_SPECIFIERS |
      UndName.NO_THROW_SIGNATURES | UndName.NO_MEMBER_TYPE | UndName.NO_RETURN_UDT_MODEL | UndName.NO_ECSU;
    expect(u(member, f)).toBe('C::f(int)');
    expect(u('?f@@YAXV?$C@H@@PAUS@@@Z', f)).toBe('f(C<int>, S *)');
  });
});

describe('undecorateCName (x86 C decoration)', () => {
  test.each([
    ['_f', 'f'],
    ['_f@8', 'f'],
    ['@f@8', 'f'],
    ['_WinMain@16', 'WinMain'],
    ['__imp__f@4', '_imp__f'],
    ['f', 'f'],
    ['_', '_'],
    ['@', '@'],
    ['', ''],
    ['_f@x', '_f@x'],
    ['@f', '@f'],
    ['?f@@YAXXZ', '?f@@YAXXZ'],
  ])('%s -> %s', (d, e) => {
    expect(undecorateCName(d)).toBe(e);
  });
});
