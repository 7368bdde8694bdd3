/** NAME_ONLY and every UNDNAME_* flag, with Microsoft's answers; x86 C names. */
import * as fs from 'fs';
import * as path from 'path';
import { UndName, undecorateCName, undecorateSymbolName } from '../../../lib/demangle';

const u = undecorateSymbolName;

describe('UndName values (dbghelp.h)', () => {
  test('documented values', () => {
    expect(UndName).toMatchObject({
      COMPLETE: 0,
      NO_LEADING_UNDERSCORES: 0x1,
      NO_MS_KEYWORDS: 0x2,
      NO_FUNCTION_RETURNS: 0x4,
      NO_ALLOCATION_MODEL: 0x8,
      NO_ALLOCATION_LANGUAGE: 0x10,
      NO_MS_THISTYPE: 0x20,
      NO_CV_THISTYPE: 0x40,
      NO_THISTYPE: 0x60,
      NO_ACCESS_SPECIFIERS: 0x80,
      NO_THROW_SIGNATURES: 0x100,
      NO_MEMBER_TYPE: 0x200,
      NO_RETURN_UDT_MODEL: 0x400,
      '32_BIT_DECODE': 0x800,
      NAME_ONLY: 0x1000,
      NO_ARGUMENTS: 0x2000,
      NO_SPECIAL_SYMS: 0x4000,
      NO_ECSU: 0x8000,
    });
  });
});

/*
 * Expected values are Microsoft's: dbghelp.dll 10.0.19041.685's UnDecorateSymbolName, asked
 * under Wine by ../shared/tools/msoracle (`run undname --flags ... --names ...`).
 */
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
    ['??_GFoo@@UAEPAXI@Z', "Foo::`scalar deleting destructor'"],
    ['??_EFoo@@UAEPAXI@Z', "Foo::`vector deleting destructor'"],
    ['??_7Foo@@6B@', "Foo::`vftable'"],
    ['??_R4Foo@@6B@', "Foo::`RTTI Complete Object Locator'"],
    ['??_R0?AVbad_alloc@std@@@8', "std::bad_alloc `RTTI Type Descriptor'"],
    ['??_R1A@?0A@EA@Foo@@8', "Foo::`RTTI Base Class Descriptor at (0,-1,0,64)'"],
    ['??_C@_07NFANNNEC@UNKNOWN@', "`string'"],
    ['?x@@3HA', 'x'],
    ['?x@C@@2HA', 'C::x'],
    ['?f@?A0x1234abcd@@YAXXZ', "`anonymous namespace'::f"],
    ['?x@?1??f@@YAXXZ@4HA', "`f'::`2'::x"],
    [
      '?get@?$__crt_unique_heap_ptr@U__crt_lowio_handle_data@@U__crt_internal_free_policy@@@@QBEPAU__crt_lowio_handle_data@@XZ',
      '__crt_unique_heap_ptr<__crt_lowio_handle_data,__crt_internal_free_policy>::get',
    ],
    [
      '??1?$basic_string@DU?$char_traits@D@std@@V?$allocator@D@2@@std@@QAE@XZ',
      'std::basic_string<char,std::char_traits<char>,std::allocator<char> >::~basic_string<char,std::char_traits<char>,std::allocator<char> >',
    ],
    ['?f@C@@$4PPPPPPPM@A@EAAXXZ', 'C::f'],
    ['?f@C@@W7EAAXXZ', 'C::f'],
    ['??__Ex@@YAXXZ', "`dynamic initializer for 'x''"],
    ['??_9C@@$BA@AA', "C::`vcall'{0}'"],
    ['?main@@YAHXZ', 'main'],
    ['not decorated', 'not decorated'],
  ])('%s -> %s', (d, e) => {
    expect(u(d, N)).toBe(e);
  });

  test('for every corpus-subset name, NAME_ONLY is what dbghelp answers at 0x1000', () => {
    const rows = fs
      .readFileSync(path.join(__dirname, 'undname-ms-corpus.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0 && !l.startsWith('#'))
      .map((l) => l.split('\t'));
    let checked = 0;
    for (const [d, , nameOnly] of rows) {
      expect(u(d, N)).toBe(nameOnly);
      checked++;
    }
    expect(checked).toBeGreaterThan(400);
  });

  test('the name, however the declaration after it nests or repeats (undname drops it unread)', () => {
    // undname reads the top-level declaration only to drop it; this engine does not read it, so
    // its own guards (400 levels, output size) apply to what is answered, not to what is dropped.
    const depth = 5000;
    expect(u('?f@@YAX' + 'PA'.repeat(depth) + 'H@Z', N)).toBe('f');
    expect(u('??$g@H@ns@@YAX' + 'P6AX'.repeat(depth) + 'X' + 'Z'.repeat(depth) + '@Z', N)).toBe('ns::g<int>');
    let s = '?f@ns@@YAXPAH';
    for (let i = 0; i < 9; i++) s += 'P6AX' + String(i).repeat(10) + '@Z';
    expect(u(s + '@Z', N)).toBe('ns::f');
    // Template arguments are names inside the name: their declarations are still read.
    expect(u('??$h@$1?x@@3HA@@YAXXZ', N)).toBe('h<&x>');
    // The guards hold where the text is answered.
    const deep = '?f@@YAX' + 'PA'.repeat(depth) + 'H@Z';
    expect(u(deep)).toBe(deep);
  });
});

describe('individual flags', () => {
  const member = '?f@C@@QBEHH@Z';
  const statik = '?g@C@@SAPAXXZ';
  const virt = '?h@C@@UAEXXZ';
  const msThis = '?f@C@@QEIFAAXXZ'; // __restrict __unaligned __ptr64 this
  const udt = '?f@C@@QAE?AUS@@XZ';
  const fnptr = '?f@@YAP6AHH@ZXZ';

  test('COMPLETE', () => {
    expect(u(member)).toBe('public: int __thiscall C::f(int)const ');
    expect(u(statik)).toBe('public: static void * __cdecl C::g(void)');
    expect(u(virt)).toBe('public: virtual void __thiscall C::h(void)');
    expect(u(msThis)).toBe('public: void __cdecl C::f(void)__unaligned __ptr64 __restrict');
    expect(u(fnptr)).toBe('int (__cdecl*__cdecl f(void))(int)');
    expect(u('?x@@3PEBDEB')).toBe('char const * __ptr64 const __ptr64 x');
  });
  test('NO_LEADING_UNDERSCORES', () => {
    expect(u(member, UndName.NO_LEADING_UNDERSCORES)).toBe('public: int thiscall C::f(int)const ');
    expect(u(fnptr, UndName.NO_LEADING_UNDERSCORES)).toBe('int (cdecl*cdecl f(void))(int)');
    expect(u(msThis, UndName.NO_LEADING_UNDERSCORES)).toBe('public: void cdecl C::f(void)unaligned ptr64 restrict');
  });
  test('NO_MS_KEYWORDS', () => {
    expect(u(member, UndName.NO_MS_KEYWORDS)).toBe('public: int C::f(int)const ');
    expect(u(msThis, UndName.NO_MS_KEYWORDS)).toBe('public: void C::f(void)');
    expect(u('?f@@YAXPEFAH@Z', UndName.NO_MS_KEYWORDS)).toBe('void f(int *)');
    expect(u(fnptr, UndName.NO_MS_KEYWORDS)).toBe('int (*f(void))(int)');
    expect(u('?f@@YAXP8C@@BEHH@Z@Z', UndName.NO_MS_KEYWORDS)).toBe('void f(int ( C::*)(int)const )');
  });
  test('NO_FUNCTION_RETURNS', () => {
    expect(u(member, UndName.NO_FUNCTION_RETURNS)).toBe('public: __thiscall C::f(int)const ');
    expect(u(udt, UndName.NO_FUNCTION_RETURNS)).toBe('public: __thiscall C::f(void)');
    expect(u(fnptr, UndName.NO_FUNCTION_RETURNS)).toBe('__cdecl f(void)');
    // Parameters that are function pointers keep their return types.
    expect(u('?f@@YAHP6AHH@Z@Z', UndName.NO_FUNCTION_RETURNS)).toBe('__cdecl f(int (__cdecl*)(int))');
  });
  test('NO_ALLOCATION_LANGUAGE drops the calling convention of the declaration only', () => {
    expect(u(member, UndName.NO_ALLOCATION_LANGUAGE)).toBe('public: int C::f(int)const ');
    expect(u(fnptr, UndName.NO_ALLOCATION_LANGUAGE)).toBe('int (__cdecl*f(void))(int)');
  });
  test('NO_ALLOCATION_MODEL, NO_RETURN_UDT_MODEL, 32_BIT_DECODE, NO_SPECIAL_SYMS change nothing', () => {
    const flags = [UndName.NO_ALLOCATION_MODEL, UndName.NO_RETURN_UDT_MODEL, UndName['32_BIT_DECODE'], UndName.NO_SPECIAL_SYMS];
    for (const f of flags) {
      for (const d of [member, statik, udt, fnptr, '??_7Foo@@6B@', '??_R0?AVbad_alloc@std@@@8']) expect(u(d, f)).toBe(u(d));
    }
  });
  test('NO_MS_THISTYPE and NO_CV_THISTYPE alone change nothing; NO_THISTYPE drops the this type', () => {
    for (const f of [UndName.NO_MS_THISTYPE, UndName.NO_CV_THISTYPE]) {
      expect(u(msThis, f)).toBe(u(msThis));
      expect(u(member, f)).toBe(u(member));
    }
    expect(u(member, UndName.NO_THISTYPE)).toBe('public: int __thiscall C::f(int)');
    expect(u(msThis, UndName.NO_THISTYPE)).toBe('public: void __cdecl C::f(void)');
    // Member function pointer parameters lose theirs too.
    expect(u('?f@@YAXP8C@@BEHH@Z@Z', UndName.NO_THISTYPE)).toBe('void __cdecl f(int (__thiscall C::*)(int))');
  });
  test('NO_ACCESS_SPECIFIERS', () => {
    expect(u(member, UndName.NO_ACCESS_SPECIFIERS)).toBe('int __thiscall C::f(int)const ');
    expect(u('?x@C@@2HA', UndName.NO_ACCESS_SPECIFIERS)).toBe('static int C::x');
  });
  test('NO_THROW_SIGNATURES keeps noexcept', () => {
    expect(u('?f@@YAXX_E')).toBe('void __cdecl f(void) noexcept');
    expect(u('?f@@YAXX_E', UndName.NO_THROW_SIGNATURES)).toBe('void __cdecl f(void) noexcept');
  });
  test('NO_MEMBER_TYPE', () => {
    expect(u(statik, UndName.NO_MEMBER_TYPE)).toBe('public: void * __cdecl C::g(void)');
    expect(u(virt, UndName.NO_MEMBER_TYPE)).toBe('public: void __thiscall C::h(void)');
    expect(u('?x@C@@2HA', UndName.NO_MEMBER_TYPE)).toBe('public: int C::x');
  });
  test("0x2000 (dbghelp.h's NO_ARGUMENTS) is type-only decoding: symbol names come back as they are", () => {
    for (const d of [member, statik, virt, udt, fnptr, '??$max@H@std@@YAHHH@Z', '??_7Foo@@6B@']) {
      expect(u(d, UndName.NO_ARGUMENTS)).toBe(d);
    }
    // ...and some come back garbled, as dbghelp garbles them.
    expect(u('?_Type_info_dtor@type_info@@CAXPAV1@@Z', UndName.NO_ARGUMENTS)).toBe(' ?? const volatile PAV1::& volatile __based() ');
    expect(u('AES_AEAD', UndName.NO_ARGUMENTS)).toBe(' ?? volatile ?? ::_AEAD::& __ptr64 ?? ');
    expect(u('VY@@', UndName.NO_ARGUMENTS)).toBe('class Y');
  });
  test('NO_ECSU (0x8000, also exported as TYPE_ONLY) drops class/struct/union/enum', () => {
    expect(u(udt, UndName.NO_ECSU)).toBe('public: S __thiscall C::f(void)');
    expect(u('?f@@YAXV?$vector@HV?$allocator@H@std@@@std@@W4E@@@Z', UndName.NO_ECSU)).toBe('void __cdecl f(std::vector<int,std::allocator<int> >,E)');
  });
  test('type encodings (.?AV...) are not symbol names: unchanged', () => {
    expect(u('.?AVFoo@@')).toBe('.?AVFoo@@');
  });
  test('combinations (the DIA/breakpad set 0x87FE)', () => {
    const f =
      UndName.NO_MS_KEYWORDS |
      UndName.NO_FUNCTION_RETURNS |
      UndName.NO_ALLOCATION_MODEL |
      UndName.NO_ALLOCATION_LANGUAGE |
      UndName.NO_THISTYPE |
      UndName.NO_ACCESS_SPECIFIERS |
      UndName.NO_THROW_SIGNATURES |
      UndName.NO_MEMBER_TYPE |
      UndName.NO_RETURN_UDT_MODEL |
      UndName.NO_ECSU;
    expect(f).toBe(0x87fe);
    expect(u(member, f)).toBe('C::f(int)');
    expect(u('?f@@YAXV?$C@H@@PAUS@@@Z', f)).toBe('f(C<int>,S *)');
    expect(u('?f@C@@W7EAAXXZ', f)).toBe("[thunk]:C::f`adjustor{8}' (void)");
    expect(u('?x@C@@2HA', f)).toBe('int C::x');
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
