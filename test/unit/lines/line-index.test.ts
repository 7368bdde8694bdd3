/**
 * The line index (lib/portable/line-index.ts): per entry its start and line, line sections and
 * files as runs. Checked by hand on a table with folded (overlapping) sections, ties and
 * sections out of address order, and against the per-entry layout it replaced (every entry's
 * section and file, the lookup rule written over them) on random tables.
 */
import type { LineTable } from '../../../lib/formats/codeview/c13-lines';
import { lastAtOrBelow } from '../../../lib/formats/binary/search';
import { buildLineIndex, fileOf, forEachFileRun, leftOutAt, lineEntryAt, lineStarts, NO_LINES, sectionEndOf, sectionRunOf, startOf } from '../../../lib/portable/line-index';
import { rng } from '../../helpers/mutate';
import { U32List } from '../../../lib/formats/binary/u32-list';

/** Line sections in stream order, each [start, length, entries as [offset from start, line, file]]. */
type Sections = [number, number, [number, number, number][]][];

/** The LineTable readC13LineTable would make of `secs` (sections numbered from 1), its arrays longer than `count` as scratch is. */
function table(secs: Sections): LineTable {
  const n = secs.reduce((a, s) => a + s[2].length, 0);
  const room = n + 5;
  const t: LineTable = {
    count: 0,
    sectionSegments: new Uint16Array(secs.length),
    sectionOffsets: new Uint32Array(secs.length),
    sectionLengths: new Uint32Array(secs.length),
    sections: new Uint32Array(room).fill(99),
    offsets: new Uint32Array(room).fill(7),
    lines: new Uint32Array(room).fill(7),
    files: new Uint32Array(room).fill(7),
    sectionEnds: new Uint32Array(secs.length + 1),
    skipped: new U32List(0),
  };
  secs.forEach(([start, length, entries], s) => {
    t.sectionEnds[s + 1] = start + length;
    for (const [off, line, file] of entries) {
      t.sections[t.count] = s + 1;
      t.offsets[t.count] = start + off;
      t.lines[t.count] = line;
      t.files[t.count++] = file;
    }
  });
  return t;
}

/** The layout the index replaced: every entry's section and file, stably sorted, and its lookup rule as it was written. */
function reference(t: LineTable) {
  const order = Array.from({ length: t.count }, (_, i) => i).sort((a, b) => t.offsets[a] - t.offsets[b] || a - b);
  const starts = order.map((i) => t.offsets[i]);
  const blocks = order.map((i) => t.sections[i]);
  const lines = order.map((i) => t.lines[i]);
  const files = order.map((i) => t.files[i]);
  const { sectionEnds } = t;
  const at = (pdbRva: number): number => {
    let best = lastAtOrBelow(starts, pdbRva);
    if (best < 0 || pdbRva >= sectionEnds[blocks[best]]) return -1;
    const s = starts[best];
    for (let k = best - 1; k >= 0 && starts[k] === s; k--) if (blocks[k] < blocks[best] && sectionEnds[blocks[k]] > pdbRva) best = k;
    if (starts[best] === pdbRva) while (best > 0 && starts[best - 1] === pdbRva && blocks[best - 1] === blocks[best]) best--;
    return best;
  };
  return { starts, blocks, lines, files, sectionEnds, at };
}

// Stream order: S1 [0x100, 0x120) with two entries at its start (A 10, A 11) and B 12 at
// 0x110; S2 [0x100, 0x108), folded over S1's start (C 20, C 21 at 0x104); S3 [0x50, 0x60),
// below both (A 30); S4 placed but with no entries left.
const A = 0x10;
const B = 0x20;
const C = 0x30;
const FOLDED: Sections = [
  [
    0x100,
    0x20,
    [
      [0, 10, A],
      [0, 11, A],
      [0x10, 12, B],
    ],
  ],
  [
    0x100,
    8,
    [
      [0, 20, C],
      [4, 21, C],
    ],
  ],
  [0x50, 0x10, [[0, 30, A]]],
  [0x200, 0x10, []],
];

describe('buildLineIndex', () => {
  const t = table(FOLDED);
  const idx = buildLineIndex(t);

  test('entries sorted by start, ties in stream order; 4 bytes an entry', () => {
    expect([...lineStarts(idx)]).toEqual([0x50, 0x100, 0x100, 0x100, 0x104, 0x110]);
    expect([0, 1, 2, 3, 4, 5].map((i) => startOf(idx, i))).toEqual([0x50, 0x100, 0x100, 0x100, 0x104, 0x110]);
    expect([...idx.offsets]).toEqual([0, 0, 0, 0, 4, 0]);
    expect([...idx.lines]).toEqual([30, 10, 11, 20, 21, 12]);
    expect(idx.offsets.buffer.byteLength + idx.lines.buffer.byteLength).toBe(6 * 4);
  });

  test('sections and files as runs: S3, S1, S2, S1 again; A, C, B', () => {
    expect([...idx.sectionFirst]).toEqual([0, 1, 3, 5]);
    expect([...idx.sectionBase]).toEqual([0x50, 0x100, 0x100, 0x110]);
    expect([...idx.sectionEnd]).toEqual([0x60, 0x120, 0x108, 0x120]);
    expect([...idx.fileFirst]).toEqual([0, 3, 5]);
    expect([...idx.fileName]).toEqual([A, C, B]);
    expect([0, 1, 2, 3, 4, 5].map((i) => sectionRunOf(idx, i))).toEqual([0, 1, 1, 2, 2, 3]);
    expect([0, 1, 2, 3, 4, 5].map((i) => sectionEndOf(idx, i))).toEqual([0x60, 0x120, 0x120, 0x108, 0x108, 0x120]);
    expect([0, 1, 2, 3, 4, 5].map((i) => fileOf(idx, i))).toEqual([A, A, A, C, C, B]);
    const runs: number[][] = [];
    forEachFileRun(idx, (from, end, file) => runs.push([from, end, file]));
    expect(runs).toEqual([
      [0, 3, A],
      [3, 5, C],
      [5, 6, B],
    ]);
  });

  test('lookups: the first section over folded code, ties, section ends', () => {
    const line = (rva: number) => {
      const i = lineEntryAt(idx, rva);
      return i < 0 ? undefined : [idx.lines[i], fileOf(idx, i)];
    };
    expect(line(0x4f)).toBeUndefined();
    expect(line(0x50)).toEqual([30, A]);
    expect(line(0x5f)).toEqual([30, A]);
    expect(line(0x60)).toBeUndefined(); // past S3's end, below S1
    expect(line(0x100)).toEqual([10, A]); // the start itself: S1's first entry there
    expect(line(0x101)).toEqual([11, A]); // past it: S1's last entry there, S1 being first in the stream
    expect(line(0x104)).toEqual([21, C]); // S2's own entry
    expect(line(0x108)).toBeUndefined(); // at-or-below is S2's, which ends here
    expect(line(0x110)).toEqual([12, B]);
    expect(line(0x11f)).toEqual([12, B]);
    expect(line(0x120)).toBeUndefined();
    const ref = reference(t);
    for (let rva = 0x40; rva < 0x130; rva++) expect(lineEntryAt(idx, rva)).toBe(ref.at(rva));
  });

  test('a sorted table keeps one run per section and per file, without a sort order', () => {
    const sorted = buildLineIndex(
      table([
        [
          0x1000,
          0x10,
          [
            [0, 1, A],
            [4, 2, A],
          ],
        ],
        [
          0x1010,
          0x10,
          [
            [0, 3, A],
            [8, 4, B],
          ],
        ],
      ]),
    );
    expect([...lineStarts(sorted)]).toEqual([0x1000, 0x1004, 0x1010, 0x1018]);
    expect([...sorted.sectionFirst]).toEqual([0, 2]);
    expect([...sorted.sectionBase]).toEqual([0x1000, 0x1010]);
    expect([...sorted.sectionEnd]).toEqual([0x1010, 0x1020]);
    expect([...sorted.fileFirst]).toEqual([0, 3]);
    expect([...sorted.fileName]).toEqual([A, B]);
  });

  test('lines in 16 bits when every line of the module fits, else 32', () => {
    expect(idx.lines).toBeInstanceOf(Uint16Array);
    // The largest line (0xf00f00, answered as stored) sorts first, though it comes second in the stream.
    const wide = buildLineIndex(
      table([
        [0x200, 0x10, [[0, 5, A]]],
        [0x100, 0x10, [[0, 0xf00f00, A]]],
      ]),
    );
    expect(wide.lines).toBeInstanceOf(Uint32Array);
    expect([...wide.lines]).toEqual([0xf00f00, 5]);
    const edge = buildLineIndex(table([[0x100, 0x10, [[0, 0xffff, A]]]]));
    expect(edge.lines).toBeInstanceOf(Uint16Array);
    expect([...edge.lines]).toEqual([0xffff]);
  });

  test('a section over 64 KiB: more runs, cut only where the start changes; lookups across the cuts', () => {
    // One section of 0x30000 bytes: two entries at 0x20000 (a tie right where a run must be cut,
    // 0x10000 past the first), then a one-byte section folded over its last entry.
    const secs: Sections = [
      [
        0x10000,
        0x30000,
        [
          [0, 1, A],
          [0x9000, 2, A],
          [0x10000, 3, A],
          [0x10000, 4, B],
          [0x19000, 5, B],
          [0x2ffff, 7, B],
        ],
      ],
      [0x3ffff, 1, [[0, 9, C]]],
    ];
    const t = table(secs);
    const long = buildLineIndex(t);
    expect([...lineStarts(long)]).toEqual([0x10000, 0x19000, 0x20000, 0x20000, 0x29000, 0x3ffff, 0x3ffff]);
    // Runs: S1 from 0x10000; cut at 0x20000 (both entries there in the new run); cut at 0x3ffff;
    // S2 at 0x3ffff.
    expect([...long.sectionFirst]).toEqual([0, 2, 5, 6]);
    expect([...long.sectionBase]).toEqual([0x10000, 0x20000, 0x3ffff, 0x3ffff]);
    expect([...long.sectionEnd]).toEqual([0x40000, 0x40000, 0x40000, 0x40000]);
    expect([...long.offsets]).toEqual([0, 0x9000, 0, 0, 0x9000, 0, 0]);
    const line = (rva: number) => {
      const i = lineEntryAt(long, rva);
      return i < 0 ? undefined : long.lines[i];
    };
    expect(line(0xffff)).toBeUndefined();
    expect(line(0x10000)).toBe(1);
    expect(line(0x1ffff)).toBe(2);
    expect(line(0x20000)).toBe(3); // the start itself: the first entry there
    expect(line(0x20001)).toBe(4); // past it: the last one
    expect(line(0x29000)).toBe(5);
    expect(line(0x3fffe)).toBe(5);
    expect(line(0x3ffff)).toBe(7); // S1 answers over S2's folded byte
    expect(line(0x40000)).toBeUndefined();
    const ref = reference(t);
    for (const rva of [0xffff, 0x10000, 0x18fff, 0x19000, 0x1ffff, 0x20000, 0x20001, 0x29000, 0x3fffe, 0x3ffff, 0x40000]) {
      expect([rva, lineEntryAt(long, rva)]).toEqual([rva, ref.at(rva)]);
    }
  });

  test('no entries: NO_LINES, and nothing is found', () => {
    expect(buildLineIndex(table([[0x100, 0x10, []]]))).toBe(NO_LINES);
    expect(lineEntryAt(NO_LINES, 0x100)).toBe(-1);
  });

  test('random tables (folded, tied, out of order, empty, over 64 KiB, entries past the end) answer as the per-entry layout did', () => {
    const r = rng(2026);
    const pick = (n: number) => Math.floor(r() * n);
    for (let round = 0; round < 300; round++) {
      const secs: Sections = [];
      const count = 1 + pick(8);
      for (let s = 0; s < count; s++) {
        // Few distinct starts, so sections overlap (folded code) and entries tie.
        const start = 0x100 + pick(6) * 8;
        // Now and then an empty section, or entries past the section's end (bad input, kept).
        const wide = pick(8) === 0;
        const length = pick(10) === 0 ? 0 : wide ? 1 + pick(0x30000) : 1 + pick(24);
        const clamp = pick(4) !== 0;
        const entries: [number, number, number][] = [];
        const n = pick(5);
        let off = 0;
        for (let e = 0; e < n; e++) {
          off += pick(3) === 0 ? 0 : wide ? pick(0x9000) : pick(6);
          entries.push([clamp ? Math.min(off, Math.max(0, length - 1)) : off, 1 + pick(50), pick(3)]);
        }
        secs.push([start, length, entries]);
      }
      const t = table(secs);
      const idx = buildLineIndex(t);
      const ref = reference(t);
      expect([...lineStarts(idx)]).toEqual(ref.starts);
      expect([...idx.lines]).toEqual(ref.lines);
      for (let i = 0; i < ref.starts.length; i++) {
        expect(startOf(idx, i)).toBe(ref.starts[i]);
        expect(fileOf(idx, i)).toBe(ref.files[i]);
        expect(sectionEndOf(idx, i)).toBe(ref.sectionEnds[ref.blocks[i]]);
      }
      const seen: number[] = [];
      forEachFileRun(idx, (from, end, file) => {
        for (let i = from; i < end; i++) {
          seen.push(i);
          expect(ref.files[i]).toBe(file);
        }
      });
      expect(seen).toEqual(ref.starts.map((_, i) => i));
      for (let rva = 0xf8; rva < 0x160; rva++) expect(lineEntryAt(idx, rva)).toBe(ref.at(rva));
      // Around every entry's start and every section's end (the wide ones' too).
      const probes = new Set<number>();
      for (const x of [...ref.starts, ...ref.sectionEnds]) for (const d of [-1, 0, 1]) probes.add(x + d);
      for (const rva of probes) expect([rva, lineEntryAt(idx, rva)]).toEqual([rva, ref.at(rva)]);
    }
  });

  test('sections a batch build left out: any of them holding an address says so, overlapping or not', () => {
    const t = table([[0x3000, 0x10, [[0, 5, 1]]]]);
    // Left out, in stream order: [0x2000, 0x2010), [0x1000, 0x1100), [0x1080, 0x1090) (inside the second).
    for (const v of [0x2000, 0x2010, 0x1000, 0x1100, 0x1080, 0x1090]) t.skipped.push(v);
    const idx = buildLineIndex(t);
    expect([...idx.skippedStart]).toEqual([0x1000, 0x1080, 0x2000]);
    expect([...idx.skippedMaxEnd]).toEqual([0x1100, 0x1100, 0x2010]);
    const inside = [0x1000, 0x1085, 0x1095, 0x10ff, 0x2000, 0x200f];
    const outside = [0xfff, 0x1100, 0x1fff, 0x2010, 0x3000, 0x3005];
    for (const a of inside) expect(leftOutAt(idx, a)).toBe(true);
    for (const a of outside) expect(leftOutAt(idx, a)).toBe(false);
    expect(lineEntryAt(idx, 0x3005)).toBe(0);
    // Every section left out: no entry, the list kept.
    const none = table([]);
    none.skipped.push(0x1000);
    none.skipped.push(0x1010);
    const empty = buildLineIndex(none);
    expect(empty.offsets.length).toBe(0);
    expect(leftOutAt(empty, 0x1008)).toBe(true);
    expect(leftOutAt(NO_LINES, 0x1008)).toBe(false);
  });
});
