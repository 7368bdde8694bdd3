/**
 * Line walks over a module's C13 line tables (DEBUG_S_LINES + DEBUG_S_FILECHKSMS + /names):
 * SymGetLineNext64/Prev64, SymGetLineFromName64, SymEnumLines / SymEnumSourceLines and
 * SymEnumSourceFiles. SymGetLineFromAddr64 is PdbProvider.lineFromRva.
 *
 * What we chose where DbgHelp's documentation is silent (ARCHITECTURE.md has the reasons):
 * - Next/Prev walk the line entries of the compiland (DBI module) that holds the line, in
 *   address order (entries sharing an address in stream order), across functions and files of
 *   that object file; past its first or last entry they answer undefined. Every entry is
 *   visited once, so a walk from the first line lists the whole compiland.
 * - getLineFromName matches the file name case-insensitively with `\` and `/` alike, against
 *   the whole path or a tail of it that starts after a separator (`locals.c`,
 *   `src\locals.c`); the answer is the lowest address of that line, or when the line has no
 *   code, of the nearest following line that has, `displacement` being the lines skipped.
 * - enumLines lists entries in stream order (module, line section, block, entry), the order
 *   llvm-pdbutil's `dump -l` prints them; `obj` and `file` are DbgHelp wildcards matched
 *   case-insensitively against the whole name or its last path component.
 * - enumSourceFiles lists each file name of the module's DEBUG_S_FILECHKSMS once, in order of
 *   first appearance (DBI module order, then checksum order).
 * Hidden lines: 0xfeefee is never reported; 0xf00f00 is answered as stored by the address walks
 * (moduleLines, as dbghelp.dll does) and left out of enumLines (readC13 drops both).
 */
import { DbgHelpError, badFormat } from '../../api/errors';
import type { EnumLinesOptions, LineInfo, SourceFile, SourceLine } from '../../api/types';
import { rva } from '../../formats/binary/address';
import { readC13, type C13Lines, type FileChecksum } from '../../formats/codeview/c13-lines';
import type { NamesStream } from '../../formats/pdb/names-stream';
import type { LoadedModule } from '../loaded-module';
import type { PdbProvider } from '../pdb-provider';
import { compileMask, splitModule } from '../wildcard';
import { pdbOf, type HandlerContext } from './context';
import { lastAtOrBelow, lastWhere } from '../../formats/binary/search';

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

/** A wildcard mask (case-insensitive) over a path: the whole path or its last component. */
function pathMask(mask: string | undefined): (name: string) => boolean {
  if (mask === undefined || mask === '' || mask === '*') return () => true;
  const m = compileMask(mask, true);
  return (name) => m(name) || m(lastComponent(name));
}

// --- SymGetLineNext64 / SymGetLinePrev64 -----------------------------------------------

export function getLineNext(h: HandlerContext, line: LineInfo, step: 1 | -1): LineInfo | undefined {
  const m = h.moduleAt(line.address);
  const pdb = pdbOf(m);
  if (!m || !pdb) return undefined;
  const pdbRva = pdb.toPdbRva(rva(Number(line.address - m.base)));
  if (pdbRva === undefined) return undefined;
  const so = pdb.pdbRvaToSectionOffset(pdbRva);
  if (!so) return undefined;
  const mod = pdb.pdb.sectionContribs().moduleAt(so.section, so.offset);
  if (mod < 0) return undefined;
  const { starts, ends, blocks, lines, files } = pdb.moduleLines(mod);
  const names = namesOf(pdb);
  const at = lastAtOrBelow(starts, pdbRva);
  if (at < 0 || pdbRva >= ends[at]) return undefined;
  // The entry the caller holds: one starting at its address with its file and line; else the
  // one getLineFromAddr gives for the address (a LineInfo made by hand).
  let cur = at;
  if (starts[at] === pdbRva) {
    let first = at;
    while (first > 0 && starts[first - 1] === pdbRva) first--;
    let exact = -1;
    for (let i = first; i <= at && exact < 0; i++) if (lines[i] === line.lineNumber && names.get(files[i]) === line.fileName) exact = i;
    if (exact >= 0) cur = exact;
    else while (cur > 0 && starts[cur - 1] === pdbRva && blocks[cur - 1] === blocks[cur]) cur--;
  }
  // Entries identical to the current one (same address, file and line: folded code) are one
  // step, so a walk always moves on.
  const same = (i: number) => starts[i] === starts[cur] && lines[i] === lines[cur] && files[i] === files[cur];
  let next = cur + step;
  while (next >= 0 && next < starts.length && same(next)) next += step;
  if (next < 0 || next >= starts.length) return undefined;
  return {
    fileName: names.get(files[next]),
    lineNumber: lines[next],
    address: m.base + BigInt(pdb.toImageRva(starts[next])),
    displacement: 0,
  };
}

// --- SymGetLineFromName64 -----------------------------------------------------------------

export function getLineFromName(h: HandlerContext, moduleName: string | undefined, fileName: string, lineNumber: number): LineInfo | undefined {
  for (const m of h.modulesNamed(moduleName)) {
    const pdb = pdbOf(m);
    if (!pdb) continue;
    const hit = lineFromNameIn(pdb, fileName, lineNumber);
    if (hit) return { fileName: hit.fileName, lineNumber: hit.line, address: m.base + BigInt(hit.imageRva), displacement: hit.line - lineNumber };
  }
  return undefined;
}

interface NameHit {
  fileName: string;
  line: number;
  imageRva: number;
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
    const { starts, lines, files } = pdb.moduleLines(mod);
    for (let i = 0; i < starts.length; i++) if (offsets.has(files[i])) rows.push([lines[i], pdb.toImageRva(starts[i])]);
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

function lineFromNameIn(pdb: PdbProvider, query: string, lineNumber: number): NameHit | undefined {
  for (const fileName of filesMatching(pdb, query)) {
    const { lines, rvas } = linesOfFile(pdb, fileName);
    // The first entry at or after the line: the lowest address of the nearest line with code.
    const lo = lastWhere(lines.length, (i) => lines[i] < lineNumber) + 1;
    if (lo < lines.length) return { fileName, line: lines[lo], imageRva: rvas[lo] };
  }
  return undefined;
}

// --- SymEnumLines / SymEnumSourceLines ---------------------------------------------------

export function enumLines(h: HandlerContext, base: bigint, opts: EnumLinesOptions): IterableIterator<SourceLine> {
  const mods = base === 0n ? h.modulesNamed(undefined).slice() : [moduleAtBase(h, base, 'enumLines')];
  return linesOf(mods, pathMask(opts.obj || undefined), pathMask(opts.file || undefined));
}

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
      const fileOk = new Map<number, string | null>();
      for (const sec of c13.sections) {
        const start = pdb.sectionOffsetToPdbRva(sec.section, sec.offset);
        if (start === undefined) continue;
        for (let i = 0; i < sec.offsets.length; i++) {
          let fileName = fileOk.get(sec.files[i]);
          if (fileName === undefined) {
            const n = names.get(sec.files[i]);
            fileName = fileMatch(n) ? n : null;
            fileOk.set(sec.files[i], fileName);
          }
          if (fileName === null) continue;
          yield { modBase: m.base, obj, fileName, lineNumber: sec.lines[i], address: m.base + BigInt(pdb.toImageRva(start + sec.offsets[i])) };
        }
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
  return sourceFilesOf(mods, pathMask(fileMask || undefined));
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
