/**
 * Inline frames for INLINE / INLINE_ORIGIN records, as Breakpad's DIA-based dump_syms writes
 * them with inline handling on (pdb_source_line_writer.cc GetInlines):
 * - siteLines: a module's S_INLINESITE/S_INLINESITE2 records, per procedure, in stream order
 *   (pre-order, as DIA's findChildrenEx walks them), each with its depth and its inlinee lines
 *   (the binary annotations run from the inlinee's DEBUG_S_INLINEELINES entry; main-body
 *   ranges only), names from the IPI (`scope::name`, `Class::name`);
 * - LineMap: dump_syms' Lines: line records keyed by address, a line added over others
 *   replacing the bytes it covers (an inlinee's lines replace its call site's line);
 * - inlineRecords: for one function, each site's call-site line and file (the line in effect
 *   at its first range before its own lines go in), its ranges merged where they touch, its
 *   INLINE_ORIGIN id (one per distinct name, numbered from 0 in order of first use).
 */
import { readBinaryAnnotations, inlineRanges } from '../formats/codeview/inline-annotations';
import { readInlineSite } from '../formats/codeview/inline-site';
import { checksumFileNameOffset, findInlineeSubsections, readInlineeLines } from '../formats/codeview/inlinee-lines';
import { isCrossScopeId } from '../formats/codeview/cross-scope-ids';
import { SymFamily, symFamily } from '../formats/codeview/symbol-kinds';
import type { Cursor } from '../formats/binary/cursor';
import { lastWhere } from '../formats/binary/search';
import type { ModuleSymbols } from '../formats/pdb/module-symbols';
import type { PdbFile } from '../formats/pdb/pdb-file';

export interface Line {
  rva: number;
  length: number;
  line: number;
  file: number;
}

export interface InlineSite {
  depth: number;
  name: string;
  /** The inlinee's lines, in the PDB's layout (procedure RVA + range offset). */
  lines: Line[];
}

/** Per procedure (record offset in the module stream): its inline sites in stream order. */
export function siteLines(
  pdb: PdbFile,
  ms: ModuleSymbols,
  c13: Cursor | undefined,
  procRva: (record: number) => number | undefined,
  fileId: (namesOffset: number) => number,
  /** The name of a cross-module inlinee id (DEBUG_S_CROSSSCOPEIMPORTS: another module's item), or undefined. */
  crossScopeName?: (inlinee: number) => string | undefined,
): Map<number, InlineSite[]> {
  const out = new Map<number, InlineSite[]>();
  if (!c13) return out;
  const subs = findInlineeSubsections(c13);
  const starts = new Map<number, { fileId: number; line: number }>();
  for (const body of subs.inlineeLines) for (const e of readInlineeLines(body)) if (!starts.has(e.inlinee)) starts.set(e.inlinee, e);
  const ipi = pdb.ipi();
  const names = pdb.names();
  const stack: { proc: number; inline: boolean }[] = [];
  ms.symbols.forEach((kind, offset) => {
    const fam = symFamily(kind);
    if (fam === SymFamily.End) {
      stack.pop();
      return;
    }
    if (fam === SymFamily.Proc) {
      stack.push({ proc: offset, inline: false });
      return;
    }
    if (fam === SymFamily.Block || fam === SymFamily.Thunk || fam === SymFamily.SepCode) {
      stack.push({ proc: stack.length ? stack[stack.length - 1].proc : -1, inline: false });
      return;
    }
    if (fam !== SymFamily.Inline) return;
    const proc = stack.length ? stack[stack.length - 1].proc : -1;
    const depth = stack.filter((s) => s.inline).length;
    stack.push({ proc, inline: true });
    const base = proc >= 0 ? procRva(proc) : undefined;
    if (base === undefined) return;
    const site = readInlineSite(kind, ms.symbols.recordAt(offset).data);
    let name = '<name omitted>';
    if (isCrossScopeId(site.inlinee)) name = crossScopeName?.(site.inlinee) ?? name;
    else if (ipi) {
      try {
        name = ipi.functionIdName(site.inlinee) || name;
      } catch {
        // an inlinee that is no function id: keep the placeholder
      }
    }
    const start = starts.get(site.inlinee);
    const lines: Line[] = [];
    if (start && subs.checksums) {
      for (const r of inlineRanges(readBinaryAnnotations(site.annotations), start.line, start.fileId)) {
        if (r.chunk !== 0 || r.length === 0) continue;
        const file = names ? fileId(checksumFileNameOffset(subs.checksums, r.fileId)) : 0;
        lines.push({ rva: base + r.offset, length: r.length, line: r.line, file });
      }
    }
    let list = out.get(proc);
    if (!list) out.set(proc, (list = []));
    list.push({ depth, name, lines });
  });
  return out;
}

/**
 * dump_syms' Lines: non-overlapping line records by address; a new line replaces what it covers.
 *
 * The lines stay sorted by address (ties in the order they came), and an added line touches only
 * the window of lines it can overlap, found by binary search: rebuilding and re-sorting the whole
 * list for each line was quadratic in a function's lines (6.7 s of the 19 s dump-syms took on the
 * big bench PDB). `replaceAll` is that rule applied to a window; `at` finds the one line of
 * non-zero length that covers an address. test/unit/breakpad/line-map.test.ts holds the two equal
 * to the whole-list rule.
 */
export class LineMap {
  private lines: Line[] = [];

  constructor(initial: Line[]) {
    for (const l of initial) this.add(l);
  }

  add(l: Line): void {
    const lines = this.lines;
    const end = l.rva + l.length;
    // The window: from the last line of non-zero length that starts before l (it may run into
    // l; zero-length lines between it and l are in the window too) to the first line starting
    // past both l's end and its start.
    let from = firstAtOrAbove(lines, l.rva);
    for (let i = from - 1; i >= 0; i--) {
      if (lines[i].length > 0) {
        from = i;
        break;
      }
    }
    const to = firstAbove(lines, Math.max(end, l.rva));
    const window = replaceAll(lines.slice(from, to), l);
    if (window.length < 1024) lines.splice(from, to - from, ...window);
    else this.lines = lines.slice(0, from).concat(window, lines.slice(to));
  }

  /** The line covering rva (0 line and file when none does). */
  at(rva: number): Line | undefined {
    const lines = this.lines;
    // Lines of non-zero length do not overlap: only the last one starting at or below rva can cover it.
    for (let i = firstAbove(lines, rva) - 1; i >= 0; i--) {
      const l = lines[i];
      if (l.length === 0) continue;
      return rva < l.rva + l.length ? l : undefined;
    }
    return undefined;
  }

  get all(): readonly Line[] {
    return this.lines;
  }
}

/**
 * `lines` (sorted by rva) with `l` laid over them: the parts they keep outside it, and l, sorted
 * by rva (a stable sort: ties keep their order, l last). Over a whole list this is dump_syms' rule
 * as it stands; LineMap applies it to a window.
 */
export function replaceAll(lines: readonly Line[], l: Line): Line[] {
  const end = l.rva + l.length;
  const kept: Line[] = [];
  for (const o of lines) {
    const oend = o.rva + o.length;
    if (oend <= l.rva || o.rva >= end) kept.push(o);
    else {
      if (o.rva < l.rva) kept.push({ ...o, length: l.rva - o.rva });
      if (oend > end) kept.push({ ...o, rva: end, length: oend - end });
    }
  }
  kept.push(l);
  kept.sort((a, b) => a.rva - b.rva);
  return kept;
}

/** The first index whose line starts at or above rva (lines sorted by rva). */
function firstAtOrAbove(lines: readonly Line[], rva: number): number {
  return lastWhere(lines.length, (i) => lines[i].rva < rva) + 1;
}

/** The first index whose line starts above rva. */
function firstAbove(lines: readonly Line[], rva: number): number {
  return lastWhere(lines.length, (i) => lines[i].rva <= rva) + 1;
}

export interface InlineRecord {
  depth: number;
  callLine: number;
  callFile: number;
  origin: number;
  ranges: [number, number][];
}

/** The INLINE records of one function (in print order) and its lines after the inlinees'. */
export function inlineRecords(sites: readonly InlineSite[], base: Line[], originId: (name: string) => number): { records: InlineRecord[]; lines: readonly Line[] } {
  const map = new LineMap(base);
  const records: InlineRecord[] = [];
  for (const s of sites) {
    let callLine = 0;
    let callFile = 0;
    const ranges: [number, number][] = [];
    for (const l of s.lines) {
      if (callLine === 0) callLine = map.at(l.rva)?.line ?? 0;
      if (callFile === 0) callFile = map.at(l.rva)?.file ?? 0;
      map.add(l);
      extend(ranges, l.rva, l.length);
    }
    if (ranges.length) records.push({ depth: s.depth, callLine, callFile, origin: originId(s.name), ranges });
  }
  return { records, lines: map.all };
}

/** dump_syms' Inline::ExtendRanges: a range touching the one before or after it joins it. */
function extend(ranges: [number, number][], rva: number, length: number): void {
  ranges.sort((a, b) => a[0] - b[0]);
  const after = ranges.findIndex((r) => r[0] >= rva);
  if (after >= 0 && rva + length === ranges[after][0]) {
    ranges[after] = [rva, length + ranges[after][1]];
    return;
  }
  const before = after < 0 ? ranges.length - 1 : after - 1;
  if (before >= 0 && ranges[before][0] + ranges[before][1] === rva) {
    ranges[before] = [ranges[before][0], ranges[before][1] + length];
    return;
  }
  ranges.push([rva, length]);
  ranges.sort((a, b) => a[0] - b[0]);
}
