/**
 * A module's line entries by PDB RVA, for SymGetLineFromAddr64 and the line walks: built from
 * its C13 line table (codeview/c13-lines.ts readC13LineTable) on first use, in the table's own
 * arrays where it can (no copy per entry: 1.77 million entries in the generated big PDB).
 */
import { sortedOrder } from '../formats/binary/search';
import type { LineTable } from '../formats/codeview/c13-lines';

/** A module's line entries sorted by PDB RVA (ties in stream order). */
export interface LineIndex {
  starts: Uint32Array;
  /** The end of each entry's line section (its CV_LineSection's offCon + cbCon). */
  ends: Uint32Array;
  /** Which line section (CV_LineSection, numbered from 1 in stream order) each entry came from. */
  blocks: Uint32Array;
  lines: Uint32Array;
  files: Uint32Array;
}

const NONE = new Uint32Array(0);
export const NO_LINES: LineIndex = { starts: NONE, ends: NONE, blocks: NONE, lines: NONE, files: NONE };

/**
 * The index of `t`, whose arrays it takes over. Line sections outside the PDB's sections
 * (`pdbRva` undefined) are left out; the others are numbered from 1.
 */
export function buildLineIndex(t: LineTable, pdbRva: (section: number, offset: number) => number | undefined): LineIndex {
  const nsec = t.sectionOffsets.length;
  const bases = new Float64Array(nsec).fill(-1);
  const blockOf = new Uint32Array(nsec);
  let block = 0;
  for (let k = 0; k < nsec; k++) {
    const base = pdbRva(t.sectionSegments[k], t.sectionOffsets[k]);
    if (base === undefined) continue;
    bases[k] = base;
    blockOf[k] = ++block;
  }
  // Compacted in place: entry j <= i of each array is written after entry i is read.
  const { sections, offsets, lines, files, sectionLengths } = t;
  const ends = new Uint32Array(t.count);
  let j = 0;
  let sorted = true;
  for (let i = 0; i < t.count; i++) {
    const k = sections[i];
    const base = bases[k];
    if (base < 0) continue;
    const start = base + offsets[i];
    if (j > 0 && start < offsets[j - 1]) sorted = false;
    offsets[j] = start;
    ends[j] = base + sectionLengths[k];
    sections[j] = blockOf[k];
    lines[j] = lines[i];
    files[j] = files[i];
    j++;
  }
  const trim = (a: Uint32Array) => (a.length === j ? a : a.slice(0, j));
  if (sorted) return { starts: trim(offsets), ends: trim(ends), blocks: trim(sections), lines: trim(lines), files: trim(files) };
  // Not in stream order (sections out of address order): sorted, ties in stream order.
  const order = sortedOrder(offsets, j)!;
  const pick = (a: Uint32Array) => Uint32Array.from(order, (i) => a[i]);
  return { starts: pick(offsets), ends: pick(ends), blocks: pick(sections), lines: pick(lines), files: pick(files) };
}
