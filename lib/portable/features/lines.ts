/**
 * Line walks over a module's C13 line tables (DEBUG_S_LINES + DEBUG_S_FILECHKSMS + /names):
 * SymGetLineNext64/Prev64, SymGetLineFromName64, SymEnumLines / SymEnumSourceLines and
 * SymEnumSourceFiles. SymGetLineFromAddr64 is PdbProvider.lineFromRva.
 *
 * Each call answers as Microsoft's dbghelp.dll 10.0.19041.685 does, asked under Wine on the
 * fixtures (the conformance suite runs the same tests on it: test/conformance/lines.test.ts):
 * - Next/Prev step through the line numbers of one source file within one compiland (not
 *   through addresses): getLineNext below has the rule and its quirks.
 * - getLineFromName matches the file name case-insensitively with `\` and `/` alike, against
 *   the whole path or a tail of it that starts at a separator (`locals.c`, `src\locals.c`),
 *   and answers the nearest line at or before the one asked for (lineFromNameIn).
 * - enumLines lists a compiland's entries file by file (linesOf); `obj` and `file` are masks
 *   over the whole name (lineMask), where a backslash escapes (escapedMask).
 * - enumSourceFiles lists each file name of the module's DEBUG_S_FILECHKSMS once, in order of
 *   first appearance (DBI module order, then checksum order); its mask (an escapedMask) is
 *   matched against the whole path or its last component.
 * Hidden lines: 0xfeefee is never reported; 0xf00f00 is answered as stored by the address walks
 * (moduleLines, as dbghelp.dll does) and left out of enumLines (readC13 drops both).
 *
 * Just over 400 lines: the four DbgHelp functions share the per-file walk and the masks; the
 * line index they read is line-index.ts.
 */
import { DbgHelpError, badFormat } from '../../api/errors';
import type { EnumLinesOptions, LineInfo, SourceFile, SourceLine } from '../../api/types';
import { rva } from '../../formats/binary/address';
import { readC13, type C13Lines, type FileChecksum } from '../../formats/codeview/c13-lines';
import type { NamesStream } from '../../formats/pdb/names-stream';
import type { LoadedModule } from '../loaded-module';
import type { PdbProvider } from '../pdb-provider';
import { splitModule } from '../wildcard';
import { pdbOf, type HandlerContext } from './context';
import { lastAtOrBelow, lastWhere } from '../../formats/binary/search';
import { fileOf, forEachFileRun, lineStarts, sectionEndOf } from '../line-index';

/** Per-PDB state, made on first use. */
interface LinesState {
  /** Each DBI module's file checksum entries. */
  checksums: Map<number, FileChecksum[]>;
  /** Every file name of the PDB (first-appearance order) and where its lines are. */
  files?: Map<string, Map<number, Set<number>>>;
  /** Per file name: its line entries sorted by line, then image RVA. */
  fileLines: Map<string, { lines: Uint32Array; rvas: Uint32Array }>;
}

function state(pdb: PdbProvider): LinesState {
  return pdb.memo<LinesState>('lines', () => ({ checksums: new Map(), fileLines: new Map() }));
}

/** A DBI module's C13 block, parsed (undefined when it has none). */
function moduleC13(pdb: PdbProvider, mod: number): C13Lines | undefined {
  const info = pdb.pdb.modules()[mod];
  const ms = pdb.pdb.moduleSymbols(mod);
  if (!info || !ms || info.c13ByteSize === 0) return undefined;
  return readC13(ms.c13Block(info.c11ByteSize, info.c13ByteSize));
}

function moduleChecksums(pdb: PdbProvider, mod: number): FileChecksum[] {
  const st = state(pdb);
  let list = st.checksums.get(mod);
  if (!list) {
    list = moduleC13(pdb, mod)?.checksums ?? [];
    st.checksums.set(mod, list);
  }
  return list;
}

function namesOf(pdb: PdbProvider): NamesStream {
  const names = pdb.pdb.names();
  if (!names) throw badFormat(pdb.pdb.name, 0, 'line tables name files, but the PDB has no /names stream');
  return names;
}

function moduleAtBase(h: HandlerContext, base: bigint, where: string): LoadedModule {
  const m = h.moduleByBase(base);
  if (!m) throw new DbgHelpError('MODULE_NOT_FOUND', `${where}: no module is loaded at 0x${base.toString(16)}`);
  return m;
}

// --- names -----------------------------------------------------------------------------

const norm = (p: string) => p.replace(/\//g, '\\').toLowerCase();

/** DbgHelp's "file name" match: the whole path, or a tail of it that starts after a separator. */
export function fileNameMatches(pdbName: string, query: string): boolean {
  const a = norm(pdbName);
  const q = norm(query);
  if (a === q) return true;
  if (!q || q.length >= a.length || !a.endsWith(q)) return false;
  return q[0] === '\\' || a[a.length - q.length - 1] === '\\';
}

const lastComponent = (p: string) => p.slice(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1);

/**
 * A DbgHelp line mask (Microsoft's dbghelp.dll, measured: test/conformance/lines.test.ts):
 * `*` any run, `?` one character, case-insensitive, over the whole name; a backslash escapes
 * the character after it, so a mask that spells a path and holds a wildcard matches nothing
 * (`C:\obj\crt.*` and `*x64\crt.obj` find nothing, `*\crt.obj` is `*crt.obj`).
 */
export function escapedMask(mask: string): (name: string) => boolean {
  const literal = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let src = '';
  for (let i = 0; i < mask.length; i++) {
    const c = mask[i];
    if (c === '\\' && i + 1 < mask.length) src += literal(mask[++i]);
    else src += c === '*' ? '.*' : c === '?' ? '.' : literal(c);
  }
  const re = new RegExp(`^${src}$`, 'is');
  return (name) => re.test(name);
}

/**
 * SymEnumLines' Obj and File: a mask without wildcards is the whole name in any case
 * (`C:\obj\x64\CRT.OBJ`; not `crt.obj`), one with wildcards an escapedMask.
 */
function lineMask(mask: string | undefined): (name: string) => boolean {
  if (mask === undefined || mask === '' || mask === '*') return () => true;
  if (!/[*?]/.test(mask)) {
    const m = mask.toLowerCase();
    return (name) => name.toLowerCase() === m;
  }
  return escapedMask(mask);
}

/** SymEnumSourceFiles' mask: an escapedMask over the whole path or its last component. */
function sourceFileMask(mask: string | undefined): (name: string) => boolean {
  if (mask === undefined || mask === '' || mask === '*') return () => true;
  const m = escapedMask(mask);
  return (name) => m(name) || m(lastComponent(name));
}

// --- SymGetLineNext64 / SymGetLinePrev64 -----------------------------------------------

/**
 * SymGetLineNext64 / SymGetLinePrev64 as Microsoft's dbghelp.dll 10.0.19041.685 answers them
 * (asked under Wine on every line entry of the 14 fixtures, at its start and one byte in: 1,496
 * answers; test/conformance/lines.test.ts):
 * - the current entry is the first one (stream order) starting where the line's entry starts
 *   (getLineFromAddr(0x1155) answers crt.c 10 at 0x1150, but its Next and Prev are line 8's),
 *   except for a line a step answered (below);
 * - the walk stays in that entry's source file within its compiland, by line number, not
 *   address: Next is the nearest higher line at its lowest address; Prev is what nearestLine
 *   picks for the line before (so it can answer nothing where a higher line lies at a lower
 *   address: basic.c 40 at 0x1000 has no Prev, line 29 being at 0x1036), line 0's Prev the
 *   file's last line;
 * - a step that lands on the current entry's address or line answers undefined (crt.c lines 8
 *   and 10 at one address: Next of 8 is FALSE), as does a step past either end.
 */
export function getLineNext(h: HandlerContext, line: LineInfo, step: 1 | -1): LineInfo | undefined {
  const m = h.moduleAt(line.address);
  const pdb = pdbOf(m);
  if (!m || !pdb) return undefined;
  const pdbRva = pdb.toPdbRva(rva(Number(line.address - m.base)));
  if (pdbRva === undefined) return undefined;
  const mod = pdb.moduleOfRva(pdbRva);
  if (mod < 0) return undefined;
  const idx = pdb.moduleLines(mod);
  const starts = lineStarts(idx);
  const { lines } = idx;
  const names = namesOf(pdb);
  const at = lastAtOrBelow(starts, pdbRva);
  if (at < 0 || pdbRva >= sectionEndOf(idx, at)) return undefined;
  let first = at;
  while (first > 0 && starts[first - 1] === starts[at]) first--;
  // A line a step answered (displacement 0, its file and line at its address) is that entry,
  // as IMAGEHLP_LINE64.Key makes it in DbgHelp; so every walk ends, its line numbers moving
  // one way. Anything else (getLineFromAddr's answer inside an entry) is the first entry there.
  let cur = first;
  if (line.displacement === 0 && starts[at] === pdbRva) {
    for (let i = first; i <= at; i++) {
      if (lines[i] === line.lineNumber && names.get(fileOf(idx, i)) === line.fileName) {
        cur = i;
        break;
      }
    }
  }
  const curFile = fileOf(idx, cur);
  const file = names.get(curFile);
  const curLine = lines[cur];
  // The entries of the current entry's file, run by run (a run's entries share one file).
  const sameFile = (f: number) => f === curFile || names.get(f) === file;
  let best = -1;
  if (step > 0) {
    // Next: the nearest higher line number, at its lowest address.
    forEachFileRun(idx, (from, end, f) => {
      if (!sameFile(f)) return;
      for (let i = from; i < end; i++) {
        const n = lines[i];
        if (n <= curLine || (best >= 0 && (n > lines[best] || (n === lines[best] && starts[i] >= starts[best])))) continue;
        best = i;
      }
    });
  } else {
    // Prev: the line nearestLine picks for the line before (line 0's is INT_MAX: the last line).
    const idxs: number[] = [];
    forEachFileRun(idx, (from, end, f) => {
      if (sameFile(f)) for (let i = from; i < end; i++) idxs.push(i);
    });
    idxs.sort((x, y) => lines[x] - lines[y] || starts[x] - starts[y] || x - y);
    const k = nearestLine(
      idxs.map((i) => lines[i]),
      idxs.map((i) => starts[i]),
      curLine === 0 ? MAX_LINE : curLine - 1,
    );
    best = k < 0 || lines[idxs[k]] === curLine ? -1 : idxs[k];
  }
  if (best < 0 || starts[best] === starts[cur]) return undefined;
  return { fileName: names.get(fileOf(idx, best)), lineNumber: lines[best], address: m.base + BigInt(pdb.toImageRva(starts[best])), displacement: 0 };
}

/** DbgHelp reads a line number as a signed 32-bit number: larger ones are INT_MAX. */
const MAX_LINE = 0x7fffffff;

/**
 * The entry Microsoft's dbghelp.dll picks for a line number (SymGetLineFromName64, and
 * SymGetLinePrev64 for the line before the current one), over entries sorted by line, then
 * address: the line itself at its lowest address; otherwise, of the nearest line below and the
 * nearest line above (each at its lowest address), the one at the lower address, the one below
 * on a tie. Line-0 entries never count. Measured on every line of the 14 fixtures (2,086 by
 * name, 1,496 steps): basic.c 30 gives 40 at 0x1000 (29 is at 0x1036), locals.c 15 gives 14 at
 * 0x101e (17 is at 0x1028). Returns the index, or -1.
 */
export function nearestLine(lines: ArrayLike<number>, addrs: ArrayLike<number>, want: number): number {
  const n = lines.length;
  const firstNonZero = lastWhere(n, (i) => lines[i] === 0) + 1;
  const last = lastWhere(n, (i) => lines[i] <= want);
  const below = last >= firstNonZero ? lastWhere(n, (i) => lines[i] < lines[last]) + 1 : -1;
  const above = last + 1 < n ? Math.max(last + 1, firstNonZero) : -1;
  if (below >= 0 && lines[below] === want) return below;
  if (below < 0 || above < 0) return below < 0 ? above : below;
  return addrs[above] < addrs[below] ? above : below;
}

// --- SymGetLineFromName64 -----------------------------------------------------------------

export function getLineFromName(h: HandlerContext, moduleName: string | undefined, fileName: string, lineNumber: number): LineInfo | undefined {
  for (const m of h.modulesNamed(moduleName)) {
    const pdb = pdbOf(m);
    if (!pdb) continue;
    const hit = lineFromNameIn(pdb, fileName, lineNumber);
    if (hit) return { fileName: hit.fileName, lineNumber: hit.line, address: m.base + BigInt(hit.imageRva), displacement: hit.displacement };
  }
  return undefined;
}

interface NameHit {
  fileName: string;
  line: number;
  imageRva: number;
  displacement: number;
}

/** Every file name of the PDB with, per DBI module, the /names offsets that spell it. */
function fileIndex(pdb: PdbProvider): Map<string, Map<number, Set<number>>> {
  const st = state(pdb);
  if (st.files) return st.files;
  const names = namesOf(pdb);
  const files = new Map<string, Map<number, Set<number>>>();
  const count = pdb.pdb.modules().length;
  for (let mod = 0; mod < count; mod++) {
    for (const k of moduleChecksums(pdb, mod)) {
      const name = names.get(k.nameOffset);
      let mods = files.get(name);
      if (!mods) files.set(name, (mods = new Map()));
      let offsets = mods.get(mod);
      if (!offsets) mods.set(mod, (offsets = new Set()));
      offsets.add(k.nameOffset);
    }
  }
  return (st.files = files);
}

/** A file's line entries, sorted by line then image RVA (built on first use per file). */
function linesOfFile(pdb: PdbProvider, name: string): { lines: Uint32Array; rvas: Uint32Array } {
  const st = state(pdb);
  let t = st.fileLines.get(name);
  if (t) return t;
  const rows: [number, number][] = [];
  for (const [mod, offsets] of fileIndex(pdb).get(name) ?? []) {
    const idx = pdb.moduleLines(mod);
    const starts = lineStarts(idx);
    const { lines } = idx;
    forEachFileRun(idx, (from, end, f) => {
      if (offsets.has(f)) for (let i = from; i < end; i++) rows.push([lines[i], pdb.toImageRva(starts[i])]);
    });
  }
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  t = { lines: Uint32Array.from(rows, (r) => r[0]), rvas: Uint32Array.from(rows, (r) => r[1]) };
  st.fileLines.set(name, t);
  return t;
}

/**
 * The files a query names, best first: the exact path, then the path in another case or with
 * other slashes, then paths ending with it; first appearance within each rank.
 */
function filesMatching(pdb: PdbProvider, query: string): string[] {
  const ranked: [number, string][] = [];
  const q = norm(query);
  for (const name of fileIndex(pdb).keys()) {
    if (name === query) ranked.push([0, name]);
    else if (norm(name) === q) ranked.push([1, name]);
    else if (fileNameMatches(name, query)) ranked.push([2, name]);
  }
  return ranked.sort((a, b) => a[0] - b[0]).map((r) => r[1]);
}

/**
 * SymGetLineFromName64 as Microsoft's dbghelp.dll answers it: line 0 finds nothing; otherwise
 * the entry nearestLine picks in the first file the query names, `displacement` = the line
 * asked for (at most INT_MAX) minus the line found (15 gives 14 + 1, 30 gives 40 - 10).
 */
function lineFromNameIn(pdb: PdbProvider, query: string, lineNumber: number): NameHit | undefined {
  if (lineNumber === 0) return undefined;
  const want = Math.min(lineNumber, MAX_LINE);
  for (const fileName of filesMatching(pdb, query)) {
    const { lines, rvas } = linesOfFile(pdb, fileName);
    const i = nearestLine(lines, rvas, want);
    if (i >= 0) return { fileName, line: lines[i], imageRva: rvas[i], displacement: want - lines[i] };
  }
  return undefined;
}

// --- SymEnumLines / SymEnumSourceLines ---------------------------------------------------

export function enumLines(h: HandlerContext, base: bigint, opts: EnumLinesOptions): IterableIterator<SourceLine> {
  const mods = base === 0n ? h.modulesNamed(undefined).slice() : [moduleAtBase(h, base, 'enumLines')];
  return linesOf(mods, lineMask(opts.obj), lineMask(opts.file));
}

/**
 * Each compiland's entries grouped by source file, the files in the order of its file
 * checksums, each file's entries in stream order (line section, block, entry): the order of
 * Microsoft's SymEnumLinesW (locals.obj lists locals.c's two blocks, then locals.h's).
 */
function* linesOf(mods: LoadedModule[], objMatch: (n: string) => boolean, fileMatch: (n: string) => boolean): IterableIterator<SourceLine> {
  for (const m of mods) {
    const pdb = pdbOf(m);
    if (!pdb) continue;
    const infos = pdb.pdb.modules();
    for (let mod = 0; mod < infos.length; mod++) {
      const obj = infos[mod].moduleName;
      if (!objMatch(obj)) continue;
      const c13 = moduleC13(pdb, mod);
      if (!c13 || !c13.sections.length) continue;
      const names = namesOf(pdb);
      // The file checksums' order, by /names offset; a file missing there (never seen) comes after.
      const rank = new Map<number, number>();
      for (const k of c13.checksums) if (!rank.has(k.nameOffset)) rank.set(k.nameOffset, rank.size);
      const byFile = new Map<number, SourceLine[]>();
      for (const sec of c13.sections) {
        const start = pdb.sectionOffsetToPdbRva(sec.section, sec.offset);
        if (start === undefined) continue;
        for (let i = 0; i < sec.offsets.length; i++) {
          const f = sec.files[i];
          let list = byFile.get(f);
          if (!list) {
            if (!rank.has(f)) rank.set(f, rank.size);
            byFile.set(f, (list = []));
          }
          list.push({ modBase: m.base, obj, fileName: '', lineNumber: sec.lines[i], address: m.base + BigInt(pdb.toImageRva(start + sec.offsets[i])) });
        }
      }
      for (const f of [...byFile.keys()].sort((a, b) => rank.get(a)! - rank.get(b)!)) {
        const fileName = names.get(f);
        if (!fileMatch(fileName)) continue;
        for (const l of byFile.get(f)!) yield { ...l, fileName };
      }
    }
  }
}

// --- SymEnumSourceFiles ---------------------------------------------------------------------

export function enumSourceFiles(h: HandlerContext, base: bigint, mask: string | undefined): IterableIterator<SourceFile> {
  let mods: LoadedModule[];
  let fileMask = mask;
  if (base === 0n) {
    // DbgHelp: base 0 with `module!mask` looks in the modules named; without `!`, everywhere.
    const { module, rest } = splitModule(mask ?? '*');
    mods = h.modulesNamed(module).slice();
    fileMask = module === undefined ? mask : rest;
  } else mods = [moduleAtBase(h, base, 'enumSourceFiles')];
  return sourceFilesOf(mods, sourceFileMask(fileMask));
}

function* sourceFilesOf(mods: LoadedModule[], match: (n: string) => boolean): IterableIterator<SourceFile> {
  for (const m of mods) {
    const pdb = pdbOf(m);
    if (!pdb) continue;
    const seen = new Set<string>();
    const count = pdb.pdb.modules().length;
    for (let mod = 0; mod < count; mod++) {
      const checksums = moduleChecksums(pdb, mod);
      if (!checksums.length) continue;
      const names = namesOf(pdb);
      for (const k of checksums) {
        const fileName = names.get(k.nameOffset);
        if (seen.has(fileName)) continue;
        seen.add(fileName);
        if (match(fileName)) yield { modBase: m.base, fileName };
      }
    }
  }
}
