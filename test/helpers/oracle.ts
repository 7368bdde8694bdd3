/**
 * Reading LLVM's answers (llvm-symbolizer JSON lines) and comparing names the way the corpus
 * score does, plus the one normalization our tests add: template-argument formatting.
 *
 * DbgHelp prints MSVC's own formatting (`std::basic_string<char,std::char_traits<char>,
 * std::allocator<char> >`), taken verbatim from the PDB's procedure records; llvm-symbolizer
 * prints llvm-undname's rendering of the public symbol (`std::basic_string<char, struct
 * std::char_traits<char>, class std::allocator<char>>`). The same name in two spellings.
 */
import * as fs from 'fs';
import { linkNameShown } from '../../lib/portable/display-name';

export interface OracleRow {
  address: number;
  /** Outermost frame's function name (what SymFromAddr answers), '' when LLVM found none. */
  function: string;
  line: number;
  file: string;
}

export function readSymbolizerOracle(file: string): { head: Record<string, string>; rows: OracleRow[] } {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const [head, ...rest] = lines;
  const rows: OracleRow[] = [];
  for (const r of rest) {
    if (!r.Symbol?.length) continue;
    const outer = r.Symbol[r.Symbol.length - 1];
    rows.push({ address: Number(BigInt(r.Address)), function: outer.FunctionName ?? '', line: outer.Line ?? 0, file: outer.FileName ?? '' });
  }
  return { head, rows };
}

/** corpus-score's `bare`: drop a trailing parameter list and cv-qualifiers. */
export function bare(name: string): string {
  if (!name) return '';
  let s = name.trim().replace(/\s+(const|volatile|&&|&)$/g, '');
  if (s.endsWith(')')) {
    let depth = 0;
    for (let i = s.length - 1; i >= 0; i--) {
      if (s[i] === ')') depth++;
      else if (s[i] === '(') {
        depth--;
        if (depth === 0) {
          if (!s.slice(0, i).endsWith('operator')) s = s.slice(0, i);
          break;
        }
      }
    }
  }
  return s
    .replace(/\s+/g, ' ')
    .replace(/^(struct|class|enum|union) /, '')
    .trim();
}

/** Template-argument formatting folded away: `struct`/`class`/`enum`/`union` keywords and spaces. */
export function sameName(ours: string, llvm: string): boolean {
  const fold = (s: string) =>
    bare(s)
      .replace(/\b(struct|class|enum|union) /g, '')
      .replace(/`(scalar|vector) deleting dtor'/g, "`$1 deleting destructor'")
      .replace(/\b__ptr64\b/g, '') // dbghelp keeps `* __ptr64` (RTTI type descriptors); llvm drops it
      .replace(/\s+/g, '');
  return fold(ours) === fold(llvm);
}

/**
 * Why our name (DbgHelp's answer) differs from llvm-symbolizer's, for the differences that
 * were checked against the bytes; undefined when the difference is not explained.
 *
 * - template-spelling: the same name, spelled by MSVC's procedure record vs llvm-undname
 *   (`<char,std::char_traits<char> >` vs `<char, struct std::char_traits<char>>`,
 *   `long long` vs `__int64`, `const char *` vs `char const *`).
 * - deleting-dtor-record: the PDB's procedure record for a deleting destructor is named `~X`
 *   (clang, and MSVC for some); llvm shows the public `X::`scalar deleting dtor'`.
 * - data-type-prefix: llvm fully undecorates data publics (`long ns::x`, `const X::`vftable'`);
 *   SYMOPT_UNDNAME gives the name only.
 * - string-literal: llvm shows a string literal's text; the name-only undecoration of `??_C@`
 *   is `` `string' ``.
 * - llvm-x86-underscore: on x86, llvm strips a leading underscore from *private* procedure
 *   names too (`__acrt_lock` → `_acrt_lock`); the record says `__acrt_lock`, as DbgHelp does.
 * - llvm-suffix: llvm prefers the public (`f.llvm.123`) over the procedure record (`f`).
 * - llvm-function-type-arg: llvm-undname 19 drops the return type and calling convention of a
 *   function type used as a template argument (`operator<(void)>` for `_$$A6AXXZ`, which is
 *   `operator<void __cdecl(void)>`); the procedure record has it right.
 * - llvm-throw-info: llvm cuts the trailing `@@` of x86 throw-info publics (`__TI2?AVbad_alloc@std@@`).
 * - dbghelp-c-name: Microsoft's dbghelp.dll shows a public or thunk name that is not C++ through
 *   its C rule on every machine (`__imp_ExportedAdd` → `_imp_ExportedAdd`, `__real@4000...` →
 *   `_real`; lib/portable/display-name.ts linkNameShown, checked against the corpus oracle);
 *   llvm prints the linkage name.
 */
export function explainDifference(ours: string, llvm: string): string | undefined {
  if (sameName(ours, llvm)) return undefined;
  // Our names carry no parameter list (DbgHelp's never do), so only llvm's is made bare.
  const fold = (s: string, isOurs = false) =>
    (isOurs ? s.trim() : bare(s))
      .replace(/\b(struct|class|enum|union) /g, '')
      .replace(/unsigned __int64/g, 'unsigned long long')
      .replace(/__int64/g, 'long long')
      .replace(/\b(\w+) const \*/g, 'const $1 *')
      .replace(/\*const\[/g, '*[')
      .replace(/\s+/g, '');
  const o = bare(ours);
  // dbghelp's name-only undecoration names a local static's function without `extern "C"`.
  const l = bare(llvm).replace(/`extern "C" /g, '`');
  if (fold(ours, true) === fold(llvm) || fold(ours) === fold(llvm)) return 'template-spelling';
  const dd = /^(.*)::`(scalar|vector) deleting dtor'$/.exec(l);
  if (dd && (fold(o) === fold(dd[1] + '::~' + dd[1].replace(/^.*::/, '').replace(/<.*$/, '')) || fold(o).startsWith(fold(dd[1]) + '::~'))) return 'deleting-dtor-record';
  if (/^".*"$|^L".*"$|^u8?".*"$|^U".*"$/.test(l) && o === "`string'") return 'string-literal';
  if (l.length > o.length && fold(l).endsWith(fold(o)) && /[\s*&]$/.test(l.slice(0, l.length - o.length))) return 'data-type-prefix';
  if ('_' + l === o || '_' + fold(l) === fold(o)) return 'llvm-x86-underscore';
  const dropFnType = (x: string, isOurs = false) => fold(x, isOurs).replace(/[\w*]+__(cdecl|stdcall|fastcall|thiscall|vectorcall|clrcall)\(/g, '(');
  if (dropFnType(ours, true) === dropFnType(llvm)) return 'llvm-function-type-arg';
  if (llvm.includes(`*${ours})(`)) return 'data-type-prefix';
  if (l + '@@' === o) return 'llvm-throw-info';
  // (llvm has already dropped one underscore from x86 names: `_imp_?Multiply@mathlib@@YAHHH@Z`.)
  if (!llvm.startsWith('?') && (linkNameShown(llvm) === ours || linkNameShown('_' + llvm) === ours)) return 'dbghelp-c-name';
  if (/\.llvm\.\d+$/.test(l) && l.replace(/\.llvm\.\d+$/, '') === o) return 'llvm-suffix';
  return undefined;
}
