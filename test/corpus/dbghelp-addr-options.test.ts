/**
 * SymFromAddr under SYMOPT_NO_PUBLICS and SYMOPT_PUBLICS_ONLY (with the corpus oracle's other
 * options) against Microsoft's dbghelp.dll 10.0.19041.685 on up to 400 addresses of every corpus
 * image: the DLL's answers recorded by scripts/record-addr-options.js through msoracle
 * (addr-options.dbghelp.json: the addresses, and the sha256 of the `rva name+disp:tag` lines).
 * NO_PUBLICS does not keep the publics out of SymFromAddr (the DLL answers as without it but
 * for the records named with an `@`, which are no longer hidden); PUBLICS_ONLY answers the
 * nearest public.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { SymOpt, SymbolHandler } from '../../lib';
import { describeCorpus } from '../helpers/corpus';
import { MS_OPTIONS, msAddressOracles } from '../helpers/ms-oracle';

interface Entry {
  image: string;
  options: 'NO_PUBLICS' | 'PUBLICS_ONLY';
  rvas: string[];
  sha256: string;
}
const RECORDED = (JSON.parse(fs.readFileSync(path.join(__dirname, 'addr-options.dbghelp.json'), 'utf8')) as { entries: Entry[] }).entries;

/**
 * Answers of the DLL not followed, by `image options` and rva: under PUBLICS_ONLY, where no
 * public lies at or below the address, the DLL reports success with an empty SYMBOL_INFO (name
 * "", tag 0, address 0); we answer nothing.
 */
const NOT_FOLLOWED: Record<string, Record<string, string>> = {
  'google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest64.exe PUBLICS_ONLY': { '0x1000': '+0:0' },
};

describeCorpus(`corpus: SymFromAddr under NO_PUBLICS and PUBLICS_ONLY as Microsoft's dbghelp.dll answers`, () => {
  const oracles = new Map(msAddressOracles().map((o) => [o.image, o]));

  test('the recorded answers cover the corpus images', () => {
    expect(new Set(RECORDED.map((e) => e.image)).size).toBeGreaterThanOrEqual(9);
  });

  test.each(RECORDED.map((e) => [`${e.image} ${e.options}`, e] as const))('%s', async (label, e) => {
    const o = oracles.get(e.image);
    expect(o).toBeDefined();
    const sym = SymbolHandler.initialize({ options: MS_OPTIONS | SymOpt[e.options] });
    try {
      const base = await sym.loadModule(o!.pe, { pdbPath: o!.pdb, baseAddress: o!.base });
      const kept = NOT_FOLLOWED[label] ?? {};
      const lines = e.rvas.map((rva) => {
        if (kept[rva] !== undefined) return `${rva} ${kept[rva]}`;
        const h = sym.fromAddr(base + BigInt(rva));
        return `${rva} ${h ? `${h.symbol.name}+${h.displacement}:${h.symbol.tag}` : 'none'}`;
      });
      for (const rva of Object.keys(kept)) expect(sym.fromAddr(base + BigInt(rva))).toBeUndefined();
      expect(crypto.createHash('sha256').update(lines.join('\n')).digest('hex')).toBe(e.sha256);
    } finally {
      sym.cleanup();
    }
  });
});
