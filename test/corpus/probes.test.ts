/**
 * The cold-lookup probes (publics-index.ts, section-contribs.ts SectionContribProbe) answer as
 * the whole tables do, on every corpus PDB: a provider that always probes and one that builds
 * the tables at once give the same SymFromAddr answers at the addresses where they could
 * differ (each public and datum, each contribution's start and end, and between), and the
 * contribution probe never finds a corpus substream out of order.
 */
import * as fs from 'fs';
import { SymOpt } from '../../lib/api/constants';
import { rva } from '../../lib/formats/binary/address';
import { BufferSource } from '../../lib/formats/binary/source';
import { PdbFile } from '../../lib/formats/pdb/pdb-file';
import { PdbProvider } from '../../lib/portable/pdb-provider';
import { PublicsProbe } from '../../lib/portable/publics-index';
import { corpusPath, describeCorpus, haveCorpus, manifest } from '../helpers/corpus';

const pdbs = haveCorpus ? manifest().filter((r) => r.kind === 'pdb') : [];
const Q = { options: SymOpt.UNDNAME };

function openPdb(file: string): PdbFile {
  return new PdbFile(new BufferSource(fs.readFileSync(file), file));
}

/** At most `n` of `xs`, spread evenly. */
function spread<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]);
}

describeCorpus('corpus: probed lookups answer as the whole tables', () => {
  test('there are PDBs to check', () => expect(pdbs.length).toBeGreaterThan(10));

  test.each(pdbs.map((r) => [r.local_path]))('%s', (rel) => {
    const file = corpusPath(rel);
    const whole = openPdb(file);
    if (!whole.dbi) return; // a types-only PDB: nothing is looked up by address
    const sc = whole.sectionContribs();
    const probed = openPdb(file);
    const probe = probed.sectionContribProbe();
    expect(probe.length).toBeGreaterThanOrEqual(sc.length);
    // Contributions: the start, the last byte, the byte after and the middle of each.
    const tried: [number, number][] = [];
    for (let i = 0; i < sc.length; i++) {
      const [s, o, n] = [sc.sections[i], sc.offsets[i], sc.sizes[i]];
      tried.push([s, o], [s, o + n - 1], [s, o + n], [s, o + (n >>> 1)], [s, Math.max(0, o - 1)]);
    }
    tried.push([0, 0], [sc.sections[sc.length - 1] ?? 1, 0xfffffff0], [0xffff, 0]);
    for (const [s, o] of spread(tried, 4000)) expect([s, o, probe.moduleAt(s, o)]).toEqual([s, o, sc.moduleAt(s, o)]);

    // SymFromAddr: around each public and datum, and each contribution's ends, by image RVA.
    const a = new PdbProvider(probed, undefined, probed.machine);
    a.probedLookups = Infinity;
    const b = new PdbProvider(whole, undefined, whole.machine);
    b.probedLookups = 0;
    const targets = new Set<number>([0]);
    for (const r of b.publics().rvas) for (const d of [-1, 0, 1, 7]) targets.add(r + d);
    for (let i = 0; i < sc.length; i++) {
      const start = b.sectionOffsetToPdbRva(sc.sections[i], sc.offsets[i]);
      if (start !== undefined) for (const t of [start, start + sc.sizes[i] - 1, start + sc.sizes[i]]) targets.add(b.toImageRva(t));
    }
    const list = spread(
      [...targets].filter((t) => t >= 0).sort((x, y) => x - y),
      3000,
    );
    let answered = 0;
    for (const t of list) {
      for (const options of [Q.options, Q.options | SymOpt.PUBLICS_ONLY]) {
        const got = a.fromRva(rva(t), { options });
        const want = b.fromRva(rva(t), { options });
        // Ids number records in first-use order, which the two paths reach differently.
        expect([t, options, got && { ...got, symbol: { ...got.symbol, index: 0 } }]).toEqual([t, options, want && { ...want, symbol: { ...want.symbol, index: 0 } }]);
        if (got) answered++;
      }
    }
    if (b.publics().rvas.length > 0) expect(answered).toBeGreaterThan(0);

    // Without OMAP, the address map is probed to the end: never found out of order.
    const secs = whole.sectionHeaders();
    const map = whole.publicsAddressMap();
    if (!secs || !map || whole.omapToSrc() || whole.originalSectionHeaders()) return;
    const toImage = (s: number, o: number) => (secs[s - 1] ? secs[s - 1].virtualAddress + o : undefined);
    const p = new PublicsProbe(whole, map, secs.length, toImage);
    for (const t of list) expect([t, p.nearest(t)]).not.toEqual([t, undefined]);
  });
});
