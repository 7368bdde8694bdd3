/**
 * LineMap (lib/breakpad/inlines.ts), dump_syms' Lines: each added line replaces the bytes it
 * covers. The map works on the window of lines an added line can overlap; here it is held to the
 * same rule (replaceAll) applied to the whole list at every line, as it was before, over random
 * lines with overlaps, ties, zero-length lines and lines inside lines, and `at` to a scan in order.
 */
import { LineMap, replaceAll, type Line } from '../../../lib/breakpad/inlines';
import { rng } from '../../helpers/mutate';

/** The rule applied to the whole list at every line (what LineMap did before it worked on windows). */
class WholeListLineMap {
  lines: Line[] = [];
  add(l: Line): void {
    this.lines = replaceAll(this.lines, l);
  }
  at(rva: number): Line | undefined {
    for (const l of this.lines) if (rva >= l.rva && rva < l.rva + l.length) return l;
    return undefined;
  }
}

test('the window rule gives what the whole-list rule gives, line by line', () => {
  const r = rng(42);
  let lines = 0;
  for (let round = 0; round < 400; round++) {
    const span = 8 + Math.floor(r() * 120);
    const n = 1 + Math.floor(r() * 40);
    const make = (k: number): Line => ({ rva: 0x1000 + Math.floor(r() * span), length: r() < 0.15 ? 0 : 1 + Math.floor(r() * (r() < 0.2 ? span : 8)), line: k, file: round });
    const base = Array.from({ length: n }, (_, k) => make(k));
    const map = new LineMap(base);
    const ref = new WholeListLineMap();
    for (const l of base) ref.add(l);
    expect(map.all).toEqual(ref.lines);
    for (let k = 0; k < 30; k++) {
      const l = make(1000 + k);
      map.add(l);
      ref.add(l);
      expect(map.all).toEqual(ref.lines);
      lines++;
    }
    for (let a = 0x1000 - 2; a < 0x1000 + span + 10; a++) expect([a, map.at(a)]).toEqual([a, ref.at(a)]);
  }
  expect(lines).toBe(12000);
});

test('a function of 20,000 lines with 2,000 inlinee lines over them: linear-ish, not quadratic', () => {
  const base = Array.from({ length: 20000 }, (_, k): Line => ({ rva: 0x1000 + 4 * k, length: 4, line: k + 1, file: 1 }));
  const t = Date.now();
  const map = new LineMap(base);
  for (let k = 0; k < 2000; k++) map.add({ rva: 0x1000 + 40 * k + 2, length: 6, line: 100000 + k, file: 2 });
  expect(Date.now() - t).toBeLessThan(2000);
  // Each inlinee line keeps the first half of the line it starts in and covers the next one.
  expect(map.all).toHaveLength(20000);
  expect(map.at(0x1000 + 40 * 7 + 3)).toMatchObject({ line: 100007 });
  expect(map.at(0x1000 + 40 * 7 + 1)).toMatchObject({ line: 71, length: 2 });
});
