/**
 * SymEnumSymbols(base, "*") of the portable engine against Microsoft's dbghelp.dll
 * 10.0.19041.685 on every corpus image (the `.enum.jsonl` oracle files), as (name, address)
 * pairs: per image, >= 99.5% of Microsoft's pairs are ours and at most 0.5% of ours are not
 * Microsoft's, counting apart the pairs that differ only by the undecorator's spelling of a
 * C++ public (one of ours and one of theirs at the same address, tag PublicSymbol, ours
 * decorated `?...`: lib/demangle's work). On the /DEBUG:FASTLINK image dbghelp.dll's
 * enumeration fails (GetLastError 16385), and so does ours, saying why.
 */
import { DbgHelpError, SymOpt, SymTag, SymbolHandler } from '../../lib';
import { describeCorpus } from '../helpers/corpus';
import { MS_OPTIONS, msEnumOracles } from '../helpers/ms-oracle';

/** Pairs left that are not spelling, with the evidence. */
const PINNED: Record<string, { why: string; missing: string[]; extra: string[] }> = {};

describeCorpus(`corpus: SymEnumSymbols as Microsoft's dbghelp.dll lists`, () => {
  const oracles = msEnumOracles();

  test('the oracle covers the corpus images', () => {
    expect(oracles.length).toBeGreaterThanOrEqual(9);
  });

  test.each(oracles.map((o) => [o.image, o] as const))('%s', async (image, o) => {
    const sym = SymbolHandler.initialize({ options: MS_OPTIONS });
    try {
      const base = await sym.loadModule(o.pe, { pdbPath: o.pdb, baseAddress: o.base });
      if (o.enumError !== undefined) {
        let err: unknown;
        try {
          for (const _ of sym.enumSymbols({ base, mask: '*' }));
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(DbgHelpError);
        expect(err).toMatchObject({ code: 'UNSUPPORTED', win32Error: o.enumError });
        expect((err as Error).message).toMatch(/FASTLINK/);
        return;
      }
      const ours = [...sym.enumSymbols({ base, mask: '*' })];
      sym.setOptions(MS_OPTIONS & ~SymOpt.UNDNAME);
      const rawByIndex = new Map([...sym.enumSymbols({ base, mask: '*' })].map((s) => [s.index, s.name]));
      sym.setOptions(MS_OPTIONS);
      const key = (name: string, rva: bigint | number) => `${name}@0x${rva.toString(16)}`;
      const theirs = new Map(o.rows.map((r) => [key(r.name, BigInt(r.rva)), r]));
      const mine = new Map(ours.map((s) => [key(s.name, s.address - base), s]));
      let missing = [...theirs.keys()].filter((k) => !mine.has(k));
      let extra = [...mine.keys()].filter((k) => !theirs.has(k));
      // Spelling: a public of ours with a decorated name at an address where one of theirs is missing.
      const missingPublicAt = new Map<bigint, string[]>();
      for (const k of missing) {
        const r = theirs.get(k)!;
        if (r.tag !== SymTag.PublicSymbol) continue;
        const at = BigInt(r.rva);
        missingPublicAt.set(at, [...(missingPublicAt.get(at) ?? []), k]);
      }
      let spelling = 0;
      const spelled = new Set<string>();
      extra = extra.filter((k) => {
        const s = mine.get(k)!;
        const list = missingPublicAt.get(s.address - base);
        if (s.tag !== SymTag.PublicSymbol || !list?.length || !rawByIndex.get(s.index)?.startsWith('?')) return true;
        spelled.add(list.shift()!);
        spelling++;
        return false;
      });
      missing = missing.filter((k) => !spelled.has(k));
      const pin = PINNED[image] ?? { missing: [], extra: [] };
      expect({ missing: missing.sort(), extra: extra.sort() }).toEqual({ missing: [...pin.missing].sort(), extra: [...pin.extra].sort() });
      // The DLL's order (the oracle keeps it): ours, where the pairs are the same, in the same sequence.
      const oursInOrder = ours.map((s) => key(s.name, s.address - base)).filter((k) => theirs.has(k));
      const theirsInOrder = o.rows.map((r) => key(r.name, BigInt(r.rva))).filter((k) => mine.has(k));
      const firstOutOfOrder = theirsInOrder.findIndex((k, i) => oursInOrder[i] !== k);
      expect(
        firstOutOfOrder < 0
          ? 'same order'
          : `from #${firstOutOfOrder}: ours ${oursInOrder.slice(firstOutOfOrder, firstOutOfOrder + 3).join(' ')}, theirs ${theirsInOrder.slice(firstOutOfOrder, firstOutOfOrder + 3).join(' ')}`,
      ).toBe('same order');
      const n = theirs.size;
      const present = (100 * (n - missing.length - spelling)) / n;
      const presentSpelled = (100 * (n - missing.length)) / n;
      // Spelling apart: >= 99.5% present, <= 0.5% extra. `present` (spelling counted as
      // missing) is lib/demangle's share, printed for the record.
      expect([presentSpelled >= 99.5, (100 * extra.length) / n <= 0.5]).toEqual([true, true]);
      console.log(`${image}: ${n} pairs, ${presentSpelled.toFixed(2)}% present (${present.toFixed(2)}% with ${spelling} spelled otherwise), ${extra.length} extra`);
    } finally {
      sym.cleanup();
    }
  });
});
