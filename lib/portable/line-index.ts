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
 * The index of `t`, read with an address map (readC13LineTable's `at`: its offsets are PDB RVAs,
 * its sections numbered among those placed). Its entries are copied (the table is scratch,
 * reused for the next module), so the index holds exactly its own.
 */
export function buildLineIndex(t: LineTable): LineIndex {
  const { sections, offsets, lines, files, sectionEnds } = t;
  const n = t.count;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (offsets[i] < offsets[i - 1]) {
      sorted = false;
      break;
    }
  }
  const trim = (a: Uint32Array) => a.slice(0, n);
  if (sorted) return { starts: trim(offsets), blocks: trim(sections), sectionEnds, lines: trim(lines), files: trim(files) };
  // Not in stream order (sections out of address order): sorted, ties in stream order.
  const order = sortedOrder(offsets, n)!;
  const pick = (a: Uint32Array) => Uint32Array.from(order, (i) => a[i]);
  return { starts: pick(offsets), blocks: pick(sections), sectionEnds, lines: pick(lines), files: pick(files) };
}
