/**
 * A module's line entries by PDB RVA, for SymGetLineFromAddr64 and the line walks: built from
 * its C13 line table (codeview/c13-lines.ts readC13LineTable) on first use, in the table's own
 * arrays (no copy per entry: 1.77 million entries in the generated big PDB).
 */
import { sortedOrder } from '../formats/binary/search';
import type { LineTable } from '../formats/codeview/c13-lines';

/** A module's line entries sorted by PDB RVA (ties in stream order). */
export interface LineIndex {
  starts: Uint32Array;
  /**
   * Which line section (CV_LineSection) each entry came from, numbered from 1 in stream order
   * among those kept: an index into `sectionEnds`.
   */
  blocks: Uint32Array;
  /** Per line section (by its number; entry 0 unused): where its code ends, offCon + cbCon as a PDB RVA. */
  sectionEnds: Uint32Array;
  lines: Uint32Array;
  files: Uint32Array;
}

const NONE = new Uint32Array(0);
export const NO_LINES: LineIndex = { starts: NONE, blocks: NONE, sectionEnds: NONE, lines: NONE, files: NONE };

/**
 * The index of `t`, whose arrays it takes over. Line sections outside the PDB's sections
 * (`pdbRva` undefined) are left out; the others are numbered from 1.
 */
export function buildLineIndex(t: LineTable, pdbRva: (section: number, offset: number) => number | undefined): LineIndex {
  const nsec = t.sectionOffsets.length;
  const bases = new Float64Array(nsec);
  const blockOf = new Uint32Array(nsec);
  const sectionEnds = new Uint32Array(nsec + 1);
  let block = 0;
  for (let k = 0; k < nsec; k++) {
    const base = pdbRva(t.sectionSegments[k], t.sectionOffsets[k]);
    if (base === undefined) {
      bases[k] = -1;
      continue;
    }
    bases[k] = base;
    blockOf[k] = ++block;
    sectionEnds[block] = base + t.sectionLengths[k];
  }
  const { sections, offsets, lines, files } = t;
  const n = t.count;
  let j = n;
  let sorted = true;
  if (block === nsec) {
    // Every line section kept (the usual case): rebased in place.
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const k = sections[i];
      const start = bases[k] + offsets[i];
      if (start < prev) sorted = false;
      offsets[i] = prev = start;
      sections[i] = k + 1;
    }
  } else {
    // Compacted in place: entry j <= i of each array is written after entry i is read.
    j = 0;
    for (let i = 0; i < n; i++) {
      const k = sections[i];
      const base = bases[k];
      if (base < 0) continue;
      const start = base + offsets[i];
      if (j > 0 && start < offsets[j - 1]) sorted = false;
      offsets[j] = start;
      sections[j] = blockOf[k];
      lines[j] = lines[i];
      files[j] = files[i];
      j++;
    }
  }
  const trim = (a: Uint32Array) => (a.length === j ? a : a.slice(0, j));
  if (sorted) return { starts: trim(offsets), blocks: trim(sections), sectionEnds, lines: trim(lines), files: trim(files) };
  // Not in stream order (sections out of address order): sorted, ties in stream order.
  const order = sortedOrder(offsets, j)!;
  const pick = (a: Uint32Array) => Uint32Array.from(order, (i) => a[i]);
  return { starts: pick(offsets), blocks: pick(sections), sectionEnds, lines: pick(lines), files: pick(files) };
}
