/**
 * A module's line entries by PDB RVA, for SymGetLineFromAddr64 and the line walks: built from
 * its C13 line table (codeview/c13-lines.ts readC13LineTable) on first use. Per entry only its
 * start, as 16 bits from its run's base, and its line (4 or 6 bytes: 1.77 million entries in
 * the generated big PDB). Its line section (CV_LineSection) and file
 * (CV_DebugSLinesFileBlockHeader_t) are kept per run of entries that share them, in sorted
 * order: a section's entries, or a file's, are contiguous once sorted (stream order, ties in
 * stream order), except where folded code's sections overlap, which only makes more runs.
 */
import { lastAtOrBelow, sortedOrder } from '../formats/binary/search';
import type { LineTable } from '../formats/codeview/c13-lines';

/** A module's line entries sorted by PDB RVA (ties in stream order). */
export interface LineIndex {
  /**
   * Per entry: where its code starts, minus its section run's base (sectionBase), and its line
   * number (16 bits when every line of the module fits: all but generated sources' modules).
   */
  offsets: Uint16Array;
  lines: Uint16Array | Uint32Array;
  /**
   * Runs of consecutive entries from one line section, each within 64 KiB of its first entry
   * (a longer section makes several runs): each run's first entry (ascending), that entry's
   * start (PDB RVA, ascending) and where the section's code ends (offCon + cbCon as a PDB RVA).
   * Two entries with the same start are from the same section exactly when they are in the
   * same run (ties keep stream order, a section's entries are contiguous in the stream, and a
   * run is only cut where the start changes).
   */
  sectionFirst: Uint32Array;
  sectionBase: Uint32Array;
  sectionEnd: Uint32Array;
  /** Runs of consecutive entries of one file: each run's first entry (ascending) and the file's /names offset. */
  fileFirst: Uint32Array;
  fileName: Uint32Array;
  /**
   * Built for a batch (rva-batch.ts): the line sections left out, none of the batch's addresses
   * being in them, by start (ascending), with the largest end among them up to each (so one
   * search says whether any holds an address). Empty in an index built whole.
   */
  skippedStart: Uint32Array;
  skippedMaxEnd: Uint32Array;
}

const NONE = new Uint32Array(0);
export const NO_LINES: LineIndex = {
  offsets: new Uint16Array(0),
  lines: NONE,
  sectionFirst: NONE,
  sectionBase: NONE,
  sectionEnd: NONE,
  fileFirst: NONE,
  fileName: NONE,
  skippedStart: NONE,
  skippedMaxEnd: NONE,
};

/** Whether a line section this index left out holds `pdbRva` (the index is then to be built whole first). */
export function leftOutAt(idx: LineIndex, pdbRva: number): boolean {
  const i = lastAtOrBelow(idx.skippedStart, pdbRva);
  return i >= 0 && idx.skippedMaxEnd[i] > pdbRva;
}

/** The left-out sections of a table as LineIndex.skippedStart / skippedMaxEnd. */
function skippedOf(t: LineTable): { skippedStart: Uint32Array; skippedMaxEnd: Uint32Array } {
  const pairs = t.skipped.view();
  const k = pairs.length >>> 1;
  if (k === 0) return { skippedStart: NONE, skippedMaxEnd: NONE };
  const starts = Uint32Array.from({ length: k }, (_, i) => pairs[2 * i]);
  const order = sortedOrder(starts);
  const skippedStart = new Uint32Array(k);
  const skippedMaxEnd = new Uint32Array(k);
  let max = 0;
  for (let i = 0; i < k; i++) {
    const j = order ? order[i] : i;
    skippedStart[i] = pairs[2 * j];
    max = Math.max(max, pairs[2 * j + 1]);
    skippedMaxEnd[i] = max;
  }
  return { skippedStart, skippedMaxEnd };
}

/** The section run holding entry `i` (an index into sectionFirst / sectionBase / sectionEnd). */
export function sectionRunOf(idx: LineIndex, i: number): number {
  return lastAtOrBelow(idx.sectionFirst, i);
}

/** Where the code of entry `i`'s line section ends (PDB RVA). */
export function sectionEndOf(idx: LineIndex, i: number): number {
  return idx.sectionEnd[lastAtOrBelow(idx.sectionFirst, i)];
}

/** Where entry `i`'s code starts (PDB RVA). */
export function startOf(idx: LineIndex, i: number): number {
  return idx.sectionBase[lastAtOrBelow(idx.sectionFirst, i)] + idx.offsets[i];
}

/** Every entry's start (PDB RVA), a fresh array: for the line walks, which read them all. */
export function lineStarts(idx: LineIndex): Uint32Array {
  const { offsets, sectionFirst, sectionBase } = idx;
  const out = new Uint32Array(offsets.length);
  for (let r = 0; r < sectionFirst.length; r++) {
    const end = r + 1 < sectionFirst.length ? sectionFirst[r + 1] : offsets.length;
    for (let i = sectionFirst[r]; i < end; i++) out[i] = sectionBase[r] + offsets[i];
  }
  return out;
}

/** The /names offset of entry `i`'s file. */
export function fileOf(idx: LineIndex, i: number): number {
  return idx.fileName[lastAtOrBelow(idx.fileFirst, i)];
}

/** Calls `f(first, end, file)` for each file run: entries [first, end) are of file `file` (/names offset). */
export function forEachFileRun(idx: LineIndex, f: (first: number, end: number, file: number) => void): void {
  const { fileFirst, fileName } = idx;
  const runs = fileFirst.length;
  for (let r = 0; r < runs; r++) f(fileFirst[r], r + 1 < runs ? fileFirst[r + 1] : idx.offsets.length, fileName[r]);
}

/**
 * The index of `t`, read with an address map (readC13LineTable's `at`: its offsets are PDB RVAs,
 * its sections numbered among those placed). What it keeps is copied (the table is scratch,
 * reused for the next module); nothing else is allocated per entry but a sort order where the
 * sections are out of address order.
 */
export function buildLineIndex(t: LineTable): LineIndex {
  const n = t.count;
  const skipped = skippedOf(t);
  if (n === 0) return skipped.skippedStart.length ? { ...NO_LINES, ...skipped } : NO_LINES;
  // Not in stream order (sections out of address order): sorted, ties in stream order (the
  // entry arrays permuted first, so what follows reads plain arrays either way).
  const order = sortedOrder(t.offsets, n);
  const pick = (a: Uint32Array) => Uint32Array.from(order!, (i) => a[i]);
  const starts = order ? pick(t.offsets) : t.offsets;
  const sections = order ? pick(t.sections) : t.sections;
  const files = order ? pick(t.files) : t.files;
  const lines = order ? pick(t.lines) : t.lines;
  const { sectionEnds } = t;
  // A run starts where the section changes or the start is 64 KiB or more past the run's base.
  let sectionRuns = 1;
  let fileRuns = 1;
  let maxLine = lines[0];
  let base = starts[0];
  for (let k = 1; k < n; k++) {
    if (sections[k] !== sections[k - 1] || starts[k] - base > 0xffff) {
      sectionRuns++;
      base = starts[k];
    }
    if (files[k] !== files[k - 1]) fileRuns++;
    if (lines[k] > maxLine) maxLine = lines[k];
  }
  const offsets = new Uint16Array(n);
  const sectionFirst = new Uint32Array(sectionRuns);
  const sectionBase = new Uint32Array(sectionRuns);
  const sectionEnd = new Uint32Array(sectionRuns);
  const fileFirst = new Uint32Array(fileRuns);
  const fileName = new Uint32Array(fileRuns);
  sectionBase[0] = base = starts[0];
  sectionEnd[0] = sectionEnds[sections[0]];
  fileName[0] = files[0];
  let s = 1;
  let f = 1;
  for (let k = 1; k < n; k++) {
    if (sections[k] !== sections[k - 1] || starts[k] - base > 0xffff) {
      sectionFirst[s] = k;
      sectionBase[s] = base = starts[k];
      sectionEnd[s++] = sectionEnds[sections[k]];
    }
    offsets[k] = starts[k] - base;
    if (files[k] !== files[k - 1]) {
      fileFirst[f] = k;
      fileName[f++] = files[k];
    }
  }
  const sub = lines.subarray(0, n);
  return { offsets, lines: maxLine <= 0xffff ? new Uint16Array(sub) : order ? lines : sub.slice(), sectionFirst, sectionBase, sectionEnd, fileFirst, fileName, ...skipped };
}

/**
 * SymGetLineFromAddr64's entry for `pdbRva` (-1 for none): the entry at or below it, if the
 * address is inside that entry's line section. Folded (ICF) code has several line sections
 * over the same bytes: the first one in the stream answers, as in Microsoft's dbghelp.dll
 * (corpus softokn3.dll: 1338 and 1396 both at 0x6ae0, 1338 answered; 5 stubs at 0x33800, the
 * first section's 18 answered). Entries sharing a start within a section (`85 0x0`, `87 0x0`):
 * the earlier ones cover no bytes, so an address past the start is the last one's, and the
 * start itself is the first one's.
 */
export function lineEntryAt(idx: LineIndex, pdbRva: number): number {
  const { offsets, sectionFirst, sectionBase, sectionEnd } = idx;
  // The last entry at or below the address: in the last run whose base is (runs are sorted by
  // base, and every entry of a later run starts after the address), the last such entry.
  let run = lastAtOrBelow(sectionBase, pdbRva);
  if (run < 0) return -1;
  const base = sectionBase[run];
  // The run's first entry is at its base, so there is always one.
  let best = lastAtOrBelow(offsets, pdbRva - base, sectionFirst[run], run + 1 < sectionFirst.length ? sectionFirst[run + 1] : offsets.length);
  if (pdbRva >= sectionEnd[run]) return -1;
  // Entries at one start are in stream order, so one in another run before `best` is from an
  // earlier section.
  const at = base + offsets[best];
  let r = run;
  for (let k = best - 1; k >= 0; k--) {
    if (k < sectionFirst[r]) r--;
    if (sectionBase[r] + offsets[k] !== at) break;
    if (r !== run && sectionEnd[r] > pdbRva) {
      best = k;
      run = r;
    }
  }
  if (at === pdbRva) while (best > sectionFirst[run] && offsets[best - 1] === offsets[best]) best--;
  return best;
}
