/**
 * SymEnumSymbols(base, MASK) of the portable engine against Microsoft's dbghelp.dll
 * 10.0.19041.685 on every corpus image with an `.enum.jsonl` oracle: the same symbols in the same
 * order (the DLL's answers recorded as count + sha256 of the `name@rva` sequence by
 * scripts/record-enum-masks.js into enum-masks.dbghelp.json, asked through msoracle).
 *
 * Where the DLL under Wine differs, the difference is Wine's ucrtbase, not the DLL: masks are
 * matched against what the UCRT's __unDName returns, and Wine's misreads some names the DLL
 * itself shows correctly (ARCHITECTURE.md "What Wine lends the DLL"). Those are listed in
 * WINE_UNDNAME with the names our list has beyond the DLL's.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler } from '../../lib';
import { describeCorpus } from '../helpers/corpus';
import { MS_OPTIONS, msEnumOracles } from '../helpers/ms-oracle';

interface Entry {
  image: string;
  mask: string;
  count: number;
  sha256: string;
}
const RECORDED = (JSON.parse(fs.readFileSync(path.join(__dirname, 'enum-masks.dbghelp.json'), 'utf8')) as { entries: Entry[] }).entries;

/** `image mask` → the names ours lists beyond the DLL under Wine (raw names with `$$T`, a lambda's static, ...). */
const LAMBDA_STATIC = "`<lambda_6e4b09c48022b2350581041d5f6b0c4c>::operator()'::`2'::c_exit_complete";
const WINE_UNDNAME: Record<string, string[]> = {
  'mozilla_dump_syms/test_data/windows/basic32.dll *::*': [LAMBDA_STATIC],
  'mozilla_dump_syms/test_data/windows/basic32.dll *`*': [LAMBDA_STATIC],
  'mozilla_dump_syms/test_data/windows/basic32-min.dll *`*': [LAMBDA_STATIC],
  // Every raw name with `$$T` (std::nullptr_t), and two with a function-pointer parameter.
  'mozilla_dump_syms/test_data/windows/basic32-min.dll *::*': [
    LAMBDA_STATIC,
    '__crt_char_traits<wchar_t>::get_module_file_name<std::nullptr_t,wchar_t (&)[261],int>',
    '__crt_char_traits<char>::get_module_file_name<std::nullptr_t,char (&)[261],int>',
    '__crt_state_management::dual_state_global<int (__cdecl*)(unsigned int)>::initialize',
    '__crt_state_management::dual_state_global<int (__cdecl*)(_exception *)>::initialize',
    '__crt_strtox::make_c_string_character_source<char,std::nullptr_t>',
    '__crt_strtox::make_c_string_character_source<wchar_t,std::nullptr_t>',
    '__crt_interlocked_compare_exchange_pointer<char const ,char *,std::nullptr_t>',
    '__crt_strtox::parse_integer_from_string<long,wchar_t,std::nullptr_t>',
    '__crt_strtox::parse_integer_from_string<long,char,std::nullptr_t>',
    '__crt_strtox::parse_integer_from_string<__int64,char,std::nullptr_t>',
    '__crt_strtox::parse_integer_from_string<__int64,wchar_t,std::nullptr_t>',
    '__crt_char_traits<wchar_t>::message_box<std::nullptr_t,wchar_t const * const &,wchar_t const * const &,unsigned long>',
    '__crt_char_traits<char>::message_box<std::nullptr_t,char const * const &,char const * const &,unsigned long>',
  ],
};

describeCorpus(`corpus: SymEnumSymbols with masks as Microsoft's dbghelp.dll lists`, () => {
  const oracles = new Map(msEnumOracles().map((o) => [o.image, o]));

  test('the recorded answers cover the corpus images', () => {
    expect(new Set(RECORDED.map((e) => e.image)).size).toBeGreaterThanOrEqual(8);
  });

  test.each(RECORDED.map((e) => [`${e.image} ${e.mask}`, e] as const))('%s', async (label, e) => {
    const o = oracles.get(e.image);
    expect(o).toBeDefined();
    const sym = SymbolHandler.initialize({ options: MS_OPTIONS });
    try {
      const base = await sym.loadModule(o!.pe, { pdbPath: o!.pdb, baseAddress: o!.base });
      const ours = [...sym.enumSymbols({ base, mask: e.mask })].map((s) => ({ name: s.name, key: `${s.name}@0x${(s.address - base).toString(16)}` }));
      const beyond = WINE_UNDNAME[label];
      const kept = beyond ? ours.filter((s) => !beyond.includes(s.name)) : ours;
      if (beyond) expect(ours.length - kept.length).toBeGreaterThan(0);
      const sha = crypto
        .createHash('sha256')
        .update(kept.map((s) => s.key).join('\n'))
        .digest('hex');
      expect({ count: kept.length, sha256: sha }).toEqual({ count: e.count, sha256: e.sha256 });
    } finally {
      sym.cleanup();
    }
  });
});
