/**
 * The inline sites of one PDB module as typed arrays, built in one walk of its symbol stream
 * (read by the provider into its reused buffer, not kept): no object per procedure, per site or
 * per range, no copy of the stream.
 *
 * Sites are numbered in stream order (so `siteRecord` is sorted). For site i:
 *   siteRecord[i]   stream offset of its S_INLINESITE / S_INLINESITE2 (its symbol id's key)
 *   siteParent[i]   the nearest enclosing site, or -1 (blocks are looked through)
 *   siteSkip[i]     the first site after i's subtree (its descendants are i+1 .. skip-1)
 *   siteOwner[i]    the code scope (procedure or S_SEPCODE block) whose bytes its offsets count
 *                   from: an index into the owner arrays
 *   siteInlinee[i]  the inlinee's item id (IPI index, or a cross-scope id)
 *   siteStart[i], siteEnd[i]  its first range's start and its last range's end (0xffffffff and 0
 *                   without ranges): the extent a chain search rules siblings out by
 *   ranges rangeFirst[i] .. rangeFirst[i + 1] - 1: its code ranges as PDB RVAs, sorted by start,
 *                   from the binary annotations (formats/codeview/inline-annotations.ts), only
 *                   the scope's main body (chunk 0), non-empty, clipped to the scope
 * Owners (code scopes holding at least one site), in stream order: record, start, length, and
 * the sites of their records' span [ownerFirst, ownerEnd). Ranges: start, end, line, and the
 * file as a DEBUG_S_FILECHKSMS offset (NO_FILE when the inlinee has no DEBUG_S_INLINEELINES
 * entry). The module's file checksums and cross-scope subsections are kept as small copies,
 * read when a line or a cross-module name is asked for.
 */
import { U32List } from '../../formats/binary/u32-list';
import { U32Map } from '../../formats/binary/u32-map';
import { badFormat } from '../../api/errors';
import { Cursor } from '../../formats/binary/cursor';
import type { CrossScopeImport } from '../../formats/codeview/cross-scope-ids';
import { forEachInlineRange } from '../../formats/codeview/inline-annotations';
import { findInlineeSubsections, forEachInlineeLine } from '../../formats/codeview/inlinee-lines';
import { INLINESITESYM, INLINESITESYM2, PROCSYM32, SEPCODESYM, u16At, u32At } from '../../formats/codeview/record-layout';
import { S, SymFamily, symFamily } from '../../formats/codeview/symbol-kinds';
import type { ModuleSymbols } from '../../formats/pdb/module-symbols';
import type { RvaBatch } from '../rva-batch';

/** The scope stack's owner of a code scope whose sites a batch build leaves out. */
const SKIPPED = -2;

/** Range file of an inlinee without a DEBUG_S_INLINEELINES entry: its frame has no line. */
export const NO_FILE = 0xffffffff;

export interface ModuleInlineIndex {
  mod: number;
  siteRecord: Uint32Array;
  siteParent: Int32Array;
  siteSkip: Uint32Array;
  siteOwner: Uint32Array;
  siteInlinee: Uint32Array;
  siteStart: Uint32Array;
  siteEnd: Uint32Array;
  rangeFirst: Uint32Array;
  rangeStart: Uint32Array;
  rangeEnd: Uint32Array;
  /** 16 bits when every value of the module fits (rangeFile: and every inlinee has lines). */
  rangeLine: Uint16Array | Uint32Array;
  rangeFile: Uint16Array | Uint32Array;
  ownerRecord: Uint32Array;
  ownerStart: Uint32Array;
  ownerLength: Uint16Array | Uint32Array;
  ownerFirst: Uint32Array;
  ownerEnd: Uint32Array;
  /** Owners that are S_SEPCODE blocks (not in the provider's code index), sorted by start. */
  sepOwners: Uint32Array;
  /**
   * Built for a batch (rva-batch.ts): the records of the code scopes with sites whose sites were
   * left out, none of the batch's addresses being in them (ascending), and whether an S_SEPCODE
   * block is among them. Empty and false in an index built whole.
   */
  skipped: Uint32Array;
  skippedSep: boolean;
  /** Copies of the module's C13 subsections lines and cross-module names need. */
  checksums: Cursor | undefined;
  crossImports: Cursor | undefined;
  crossExports: Cursor | undefined;
  /** Decoded on first use. */
  imports?: CrossScopeImport[];
  exports?: Map<number, number>;
  fileNames?: Map<number, number>;
}

/** What the walk needs from the provider: section:offset to PDB RVA. */
export type ToPdbRva = (section: number, offset: number) => number | undefined;

let BUILD: U32List[] | undefined;
let FIRST: U32Map | undefined;
let FIRST_LINES: U32List | undefined;
let FIRST_FILES: U32List | undefined;

/** A copy of a cursor's window (a Node Buffer's slice would be a view of the reused buffer). */
const copy = (c: Cursor | undefined): Cursor | undefined => (c ? Cursor.of(new Uint8Array(c.buf.subarray(c.start, c.end)), c.origin, c.base + c.start) : undefined);

/**
 * One walk of a module's records with a scope stack; each entry is the code scope it is in
 * (a record offset; -1 outside code, e.g. in a thunk) and the innermost site it is in.
 */
export function buildInlineIndex(mod: number, ms: ModuleSymbols, c13: Cursor | undefined, toPdbRva: ToPdbRva, batch?: RvaBatch): ModuleInlineIndex {
  // The inlinees' first line and file; the other subsections are copied for later.
  const found = c13 ? findInlineeSubsections(c13) : undefined;
  // inlinee -> its first entry k: line firstLines[k], file firstFiles[k].
  const first = (FIRST ??= new U32Map());
  const firstLines = (FIRST_LINES ??= new U32List(256));
  const firstFiles = (FIRST_FILES ??= new U32List(256));
  first.clear();
  firstLines.clear();
  firstFiles.clear();
  for (const body of found?.inlineeLines ?? []) {
    forEachInlineeLine(body, (inlinee, fileId, line) => {
      if (!first.setIfAbsent(inlinee, firstLines.length)) return;
      firstLines.push(line);
      firstFiles.push(fileId);
    });
  }
  const symbols = ms.symbols;
  // Records are read in place: buf[at] is the record at stream offset `at + delta`.
  const { buf, origin, base: bufBase } = symbols.c;
  const delta = symbols.c.start - symbols.firstOffset;
  // Growable arrays reused from build to build (a build never starts another): only the exact
  // copies `done` makes are kept.
  const b = (BUILD ??= Array.from({ length: 17 }, () => new U32List(1024)));
  for (const a of b) a.clear();
  const [
    siteRecord,
    siteParent,
    siteSkip,
    siteOwner,
    siteInlinee,
    siteStart,
    siteEnd,
    rangeFirst,
    rangeStart,
    rangeEnd,
    rangeLine,
    rangeFile,
    ownerRecord,
    ownerStart,
    ownerLength,
    ownerFirst,
    ownerEnd,
  ] = b;
  const sep: number[] = [];
  const skipped = new U32List(16);
  let skippedSep = false;
  // The scope stack: code scope record (-1: none), its owner index once it has a site (-1: not
  // yet; SKIPPED: its sites are left out), the innermost site (-1: none), and what the entry is
  // (a site: its index, else -1).
  let depth = 0;
  let stCode = new Int32Array(64);
  let stOwner = new Int32Array(64);
  let stSite = new Int32Array(64);
  let stIsSite = new Int32Array(64);
  // The current owner's geometry, for clipping ranges.
  let base = 0;
  let limit = 0;
  let inlinee = 0;
  let haveFile = false;
  const addRange = (offset: number, length: number, chunk: number, line: number, fileId: number, marker?: boolean) => {
    // An empty range is kept only as a site's address (inline-annotations.ts): it holds nothing.
    if (chunk !== 0 || (length === 0 && !marker) || offset >= limit) return;
    rangeStart.push(base + offset);
    rangeEnd.push(base + Math.min(offset + length, limit));
    rangeLine.push(line);
    rangeFile.push(haveFile ? fileId : NO_FILE);
  };
  const push = (code: number, owner: number, site: number, isSite: number) => {
    if (depth === stCode.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      stCode = grow(stCode);
      stOwner = grow(stOwner);
      stSite = grow(stSite);
      stIsSite = grow(stIsSite);
    }
    stCode[depth] = code;
    stOwner[depth] = owner;
    stSite[depth] = site;
    stIsSite[depth] = isSite;
    depth++;
  };
  const pop = () => {
    depth--;
    if (stIsSite[depth] >= 0) siteSkip.items[stIsSite[depth]] = siteRecord.length;
    // A code scope closing: the end of its owner's span (nested entries share the owner).
    const owner = stOwner[depth];
    if (owner >= 0 && (depth === 0 || stOwner[depth - 1] !== owner)) ownerEnd.items[owner] = siteRecord.length;
  };
  const families = familyTable();
  symbols.forEachWanted(scopeKinds(), (kind, offset, reclen) => {
    const fam = kind < families.length ? families[kind] : symFamily(kind);
    if (fam === SymFamily.Other) return;
    if (fam === SymFamily.End) {
      if (depth > 0) pop();
      return;
    }
    if (fam === SymFamily.Proc || fam === SymFamily.SepCode) {
      push(offset, -1, -1, -1);
    } else if (fam === SymFamily.Inline) {
      const top = depth - 1;
      if (top < 0 || stCode[top] < 0) {
        // An inline site outside any procedure has no code to be in.
        push(-1, -1, -1, -1);
        return;
      }
      let owner = stOwner[top];
      if (owner === SKIPPED) {
        push(stCode[top], SKIPPED, -1, -1);
        return;
      }
      if (owner < 0) {
        const start = codeScope(buf, stCode[top] + delta, origin, bufBase, toPdbRva);
        // A scope outside the PDB's sections covers nothing.
        const length = start === undefined ? 0 : SCOPE_LENGTH;
        const isSep = symbols.kindAt(stCode[top]) === S.SEPCODE;
        // Every entry of this code scope shares the owner (or is skipped with it).
        if (batch && !batch.holdsAny(start ?? 0, length)) {
          skipped.push(stCode[top]);
          skippedSep ||= isSep;
          for (let k = top; k >= 0 && stCode[k] === stCode[top]; k--) stOwner[k] = SKIPPED;
          push(stCode[top], SKIPPED, -1, -1);
          return;
        }
        owner = ownerRecord.length;
        ownerRecord.push(stCode[top]);
        ownerStart.push(start ?? 0);
        ownerLength.push(length);
        ownerFirst.push(siteRecord.length);
        ownerEnd.push(siteRecord.length);
        if (isSep) sep.push(owner);
        for (let k = top; k >= 0 && stCode[k] === stCode[top]; k--) stOwner[k] = owner;
      }
      const site = siteRecord.length;
      // INLINESITESYM: pParent, pEnd, inlinee, [invocations (S_INLINESITE2)], annotations.
      const at = offset + delta;
      const annotations = kind === S.INLINESITE2 ? INLINESITESYM2.annotations : INLINESITESYM.annotations;
      if (2 + reclen < annotations) throw badFormat(origin, bufBase + at, `inline site record of ${2 + reclen} bytes is shorter than its ${annotations}-byte fixed part`);
      inlinee = u32At(buf, at + INLINESITESYM.inlinee);
      const data = new Cursor(buf, origin, at + annotations, at + 2 + reclen, bufBase);
      siteRecord.push(offset);
      siteParent.push(stSite[top]);
      siteSkip.push(site + 1);
      siteOwner.push(owner);
      siteInlinee.push(inlinee);
      rangeFirst.push(rangeStart.length);
      base = ownerStart.items[owner];
      limit = ownerLength.items[owner];
      const k = first.get(inlinee);
      haveFile = k >= 0;
      const from = rangeStart.length;
      forEachInlineRange(data, k < 0 ? 0 : firstLines.items[k], k < 0 ? NO_FILE : firstFiles.items[k], addRange);
      sortRanges(from, rangeStart.length, rangeStart.items, rangeEnd.items, rangeLine.items, rangeFile.items);
      let end = 0;
      for (let r = from; r < rangeStart.length; r++) if (rangeEnd.items[r] > end) end = rangeEnd.items[r];
      siteStart.push(rangeStart.length > from ? rangeStart.items[from] : 0xffffffff);
      siteEnd.push(end);
      push(stCode[top], owner, site, site);
    } else if (fam === SymFamily.Thunk) {
      push(-1, -1, -1, -1);
    } else if (fam === SymFamily.Block) {
      // Same code scope, same enclosing site.
      const top = depth - 1;
      if (top < 0) push(-1, -1, -1, -1);
      else push(stCode[top], stOwner[top], stSite[top], -1);
    }
  });
  while (depth > 0) pop();
  rangeFirst.push(rangeStart.length);
  const starts = ownerStart.pick();
  const sepOwners = Uint32Array.from(sep).sort((a, b) => starts[a] - starts[b] || a - b);
  return {
    mod,
    siteRecord: siteRecord.pick(),
    siteParent: new Int32Array(siteParent.pick().buffer),
    siteSkip: siteSkip.pick(),
    siteOwner: siteOwner.pick(),
    siteInlinee: siteInlinee.pick(),
    siteStart: siteStart.pick(),
    siteEnd: siteEnd.pick(),
    rangeFirst: rangeFirst.pick(),
    rangeStart: rangeStart.pick(),
    rangeEnd: rangeEnd.pick(),
    rangeLine: rangeLine.narrow(),
    rangeFile: rangeFile.narrow(),
    ownerRecord: ownerRecord.pick(),
    ownerStart: starts,
    ownerLength: ownerLength.narrow(),
    ownerFirst: ownerFirst.pick(),
    ownerEnd: ownerEnd.pick(),
    sepOwners,
    skipped: skipped.pick(),
    skippedSep,
    checksums: copy(found?.checksums),
    crossImports: copy(found?.crossScopeImports),
    crossExports: copy(found?.crossScopeExports),
  };
}

let SCOPE_KINDS: Uint8Array | undefined;
/** The kinds below 0x1200 the walk acts on: scopes and their ends (a module's other records, its locals and their ranges, are most of them). */
function scopeKinds(): Uint8Array {
  if (SCOPE_KINDS) return SCOPE_KINDS;
  const f = familyTable();
  const t = new Uint8Array(f.length);
  for (let k = 0; k < t.length; k++) {
    const fam = f[k];
    t[k] = fam === SymFamily.End || fam === SymFamily.Proc || fam === SymFamily.SepCode || fam === SymFamily.Inline || fam === SymFamily.Thunk || fam === SymFamily.Block ? 1 : 0;
  }
  return (SCOPE_KINDS = t);
}

let FAMILIES: Uint8Array | undefined;
/** symFamily of every kind below 0x1200 (all of cvinfo.h's), as a table: the walk asks it per record. */
function familyTable(): Uint8Array {
  if (FAMILIES) return FAMILIES;
  const t = new Uint8Array(0x1200);
  for (let k = 0; k < t.length; k++) t[k] = symFamily(k);
  return (FAMILIES = t);
}

/** codeScope's second answer: the scope's length (set with its start, read at once). */
let SCOPE_LENGTH = 0;

/**
 * A procedure's or separated code block's first byte as a PDB RVA (its length in
 * SCOPE_LENGTH), from its record at buf[at]. A record shorter than its fixed part is BAD_FORMAT.
 */
function codeScope(buf: Uint8Array, at: number, origin: string, base: number, toPdbRva: ToPdbRva): number | undefined {
  const size = 2 + u16At(buf, at);
  if (symFamily(u16At(buf, at + 2)) === SymFamily.Proc) {
    if (size < PROCSYM32.segment + 2) throw badFormat(origin, base + at, `procedure record of ${size} bytes ends before its segment (${PROCSYM32.segment + 2} bytes)`);
    SCOPE_LENGTH = u32At(buf, at + PROCSYM32.length);
    return toPdbRva(u16At(buf, at + PROCSYM32.segment), u32At(buf, at + PROCSYM32.offset));
  }
  if (size < SEPCODESYM.section + 2) throw badFormat(origin, base + at, `S_SEPCODE record of ${size} bytes ends before its section (${SEPCODESYM.section + 2} bytes)`);
  SCOPE_LENGTH = u32At(buf, at + SEPCODESYM.length);
  return toPdbRva(u16At(buf, at + SEPCODESYM.section), u32At(buf, at + SEPCODESYM.offset));
}

/** Insertion sort of one site's ranges by start (they are nearly always in order already). */
function sortRanges(from: number, to: number, s: Uint32Array, e: Uint32Array, l: Uint32Array, f: Uint32Array): void {
  for (let i = from + 1; i < to; i++) {
    if (s[i] >= s[i - 1]) continue;
    const vs = s[i];
    const ve = e[i];
    const vl = l[i];
    const vf = f[i];
    let j = i - 1;
    while (j >= from && s[j] > vs) {
      s[j + 1] = s[j];
      e[j + 1] = e[j];
      l[j + 1] = l[j];
      f[j + 1] = f[j];
      j--;
    }
    s[j + 1] = vs;
    e[j + 1] = ve;
    l[j + 1] = vl;
    f[j + 1] = vf;
  }
}
