/**
 * C13 line information: the debug subsections after a module's symbols (module stream bytes
 * [symByteSize + c11ByteSize, + c13ByteSize)). Microsoft cvinfo.h; LLVM DebugSubsection*.h.
 *
 *   subsection header (8):           u32 kind  u32 length, then `length` bytes, aligned to 4
 *   DEBUG_S_LINES (0xF2):
 *     CV_LineSection (12):           u32 offCon  u16 segCon  u16 flags (0x1 CV_LINES_HAVE_COLUMNS)
 *                                    u32 cbCon
 *     CV_DebugSLinesFileBlockHeader_t (12): u32 fileChecksumOffset  u32 nLines  u32 cbBlock
 *                                    (cbBlock counts the header, the lines and the columns)
 *     CV_Line_t (8) x nLines:        u32 offset (from offCon)  u32 linenumStart:24
 *                                    deltaLineEnd:7  fStatement:1
 *     CV_Column_t (4) x nLines:      u16 offColumnStart  u16 offColumnEnd   (with columns only)
 *   DEBUG_S_FILECHKSMS (0xF4): per file, aligned to 4:
 *     u32 fileNameOffset (into /names)  u8 checksumSize  u8 checksumKind  u8 checksum[size]
 *   Other kinds are skipped, as are kinds with the 0x80000000 (DEBUG_S_IGNORE) bit.
 *
 * Lines 0xfeefee and 0xf00f00 are "hidden" (compiler-generated code with no source line).
 * `readC13` leaves both out; `readC13LineTable` (what address lookups read) leaves out
 * 0xfeefee only: Microsoft's dbghelp.dll 10.0.19041.685 answers 0xf00f00 (15732480) as stored.
 *
 * Columns (CV_LINES_HAVE_COLUMNS) are kept per entry: IMAGEHLP_LINE64 has no column, so the
 * public API does not show them, but they are read and checked like the lines.
 */
import { Cursor } from '../binary/cursor';
import { U32List } from '../binary/u32-list';
import { DEBUG_S_FILECHKSMS, DEBUG_S_LINES, scanDebugSubsections, splitDebugSubsections } from './debug-subsections';

export { DEBUG_S_IGNORE, DEBUG_S_LINES, DEBUG_S_FILECHKSMS } from './debug-subsections';
export const CV_LINES_HAVE_COLUMNS = 0x1;
const HIDDEN_LINES = new Set([0xfeefee, 0xf00f00]);

/** One CV_LineSection: the lines of a contiguous code range [offset, offset + length). */
export interface LineSection {
  section: number;
  offset: number;
  length: number;
  /** Per line entry: offset from the section's offset, line number, /names offset of its file. */
  offsets: number[];
  lines: number[];
  files: number[];
  /** Per line entry, with CV_LINES_HAVE_COLUMNS only: CV_Column_t offColumnStart / offColumnEnd. */
  columns?: number[];
  columnEnds?: number[];
}

/** One DEBUG_S_FILECHKSMS entry (CV_FileChecksum / LLVM FileChecksumEntry). */
export interface FileChecksum {
  /** Offset of the entry in the subsection: what line blocks and inlinee lines refer to. */
  offset: number;
  /** The file's name as an offset into /names. */
  nameOffset: number;
  /** CHKSUM_TYPE_NONE 0, MD5 1, SHA1 2, SHA_256 3. */
  kind: number;
  checksum: Uint8Array;
}

/** A module's C13 block: its line sections (stream order) and file checksum entries. */
export interface C13Lines {
  sections: LineSection[];
  checksums: FileChecksum[];
}

/**
 * A module's line entries as flat arrays in stream order, with no object per entry or per line
 * section: what an address index is built from. `count` entries are valid (the arrays may be
 * longer); hidden lines are left out as in readC13Lines.
 */
export interface LineTable {
  count: number;
  /** Per line section (CV_LineSection, stream order): segCon, offCon, cbCon. */
  sectionSegments: Uint16Array;
  sectionOffsets: Uint32Array;
  sectionLengths: Uint32Array;
  /**
   * Per entry: its line section, its offset, line and the /names offset of its file. The
   * section is an index into the arrays above and the offset is from offCon; with an address
   * map (readC13LineTable's `at`), the section is numbered from 1 among the sections the map
   * places (an index into `sectionEnds`) and the offset is the mapped address.
   */
  sections: Uint32Array;
  offsets: Uint32Array;
  lines: Uint32Array;
  files: Uint32Array;
  /** With an address map: per placed section (from 1), its mapped offCon + cbCon. */
  sectionEnds: Uint32Array;
  /**
   * With `keep`: the mapped [start, end) of each line section it turned down (pairs, stream
   * order), whose entries are left out (their blocks still checked).
   */
  skipped: U32List;
}

/** Where a line section's code is (segCon:offCon as an address), or undefined to leave its entries out. */
export type LineSectionAddress = (segment: number, offset: number) => number | undefined;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * readC13Lines' entries as a LineTable: the same checks, in the same order, so the same input
 * fails the same way. One pass; the entry arrays grow as blocks are read. With `at`, each
 * entry is placed at its section's address as it is read (sections `at` leaves out are still
 * checked, their entries dropped). `reuse`: a table whose entry arrays are written over (and
 * handed back, grown if need be), for callers that copy what they keep.
 */
export function readC13LineTable(c: Cursor, at?: LineSectionAddress, reuse?: LineTable, keep?: (start: number, length: number) => boolean): LineTable {
  // The DEBUG_S_LINES bodies as [start, end) in c.buf (a cursor each would be ~150,000 objects
  // on a big PDB), and the file checksums.
  const bodies = (BODIES ??= new U32List(256));
  bodies.clear();
  let checksumBody: Cursor | undefined;
  scanDebugSubsections(c, (kind, start, end) => {
    if (kind === DEBUG_S_LINES) {
      bodies.push(start);
      bodies.push(end);
    } else if (kind === DEBUG_S_FILECHKSMS) checksumBody = new Cursor(c.buf, c.origin, start, end, c.base);
  });
  const fileNames = fileNamesOf(checksumBody ? readFileChecksums(checksumBody) : []);
  const n = bodies.length >>> 1;
  // A CV_Line_t is 8 bytes: a C13 block of L bytes holds fewer than L / 8 entries.
  const guess = Math.min(Math.max(16, c.remaining >>> 3), 1 << 16);
  const t: LineTable = reuse ?? {
    count: 0,
    sectionSegments: new Uint16Array(0),
    sectionOffsets: new Uint32Array(0),
    sectionLengths: new Uint32Array(0),
    sections: new Uint32Array(guess),
    offsets: new Uint32Array(guess),
    lines: new Uint32Array(guess),
    files: new Uint32Array(guess),
    sectionEnds: new Uint32Array(0),
    skipped: new U32List(16),
  };
  t.count = 0;
  t.skipped.clear();
  t.sectionSegments = new Uint16Array(n);
  t.sectionOffsets = new Uint32Array(n);
  t.sectionLengths = new Uint32Array(n);
  t.sectionEnds = new Uint32Array(at ? n + 1 : 0);
  // The entries are read as u32 words where they are 4-aligned in memory (they are 4-aligned
  // in the block, and module streams are read into buffers that start aligned).
  const buf = c.buf;
  const words = LITTLE_ENDIAN && buf.byteOffset % 4 === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, buf.length >>> 2) : undefined;
  let placed = 0;
  for (let i = 0; i < n; i++) {
    const body = new Cursor(buf, c.origin, bodies.items[2 * i], bodies.items[2 * i + 1], c.base);
    const offCon = (t.sectionOffsets[i] = body.u32());
    const segCon = (t.sectionSegments[i] = body.u16());
    const entrySize = body.u16() & CV_LINES_HAVE_COLUMNS ? 12 : 8;
    const cbCon = (t.sectionLengths[i] = body.u32());
    let base = at ? at(segCon, offCon) : 0;
    if (at && keep && base !== undefined && !keep(base, cbCon)) {
      t.skipped.push(base);
      t.skipped.push(base + cbCon);
      base = undefined;
    }
    const section = !at ? i : base === undefined ? -1 : ++placed;
    if (at && base !== undefined) t.sectionEnds[placed] = base + cbCon;
    while (body.remaining > 0) {
      nextLineBlock(body, entrySize, fileNames);
      // nextLineBlock checked that the block's entries fit: the reads stay inside it.
      if (section < 0) continue;
      const { at: p, nLines, file } = BLOCK;
      if (t.count + nLines > t.offsets.length) grow(t, t.count + nLines);
      t.count = words && p % 4 === 0 ? copyWords(words, p >>> 2, nLines, section, base!, file, t) : copyEntries(buf, p, nLines, section, base!, file, t);
    }
  }
  return t;
}

/** The entry arrays of `t` with room for `need` entries (at least doubled). */
function grow(t: LineTable, need: number): void {
  const size = Math.max(need, t.offsets.length * 2);
  const g = (a: Uint32Array) => {
    const b = new Uint32Array(size);
    b.set(a.subarray(0, t.count));
    return b;
  };
  t.sections = g(t.sections);
  t.offsets = g(t.offsets);
  t.lines = g(t.lines);
  t.files = g(t.files);
}

// 0xf00f00 is kept: Microsoft's dbghelp.dll answers SymGetLineFromAddr64 with it as stored
// (corpus oracle: 15732480 at 7 addresses), where 0xfeefee is never answered.

/**
 * Appends the CV_Line_t entries at b[p..] (nLines of them, 8 bytes each) as entries of line
 * section `section` of file `file`, each offset plus `base`, leaving out hidden lines;
 * returns the new count.
 */
function copyEntries(b: Uint8Array, p: number, nLines: number, section: number, base: number, file: number, t: LineTable): number {
  const { sections, offsets, lines, files } = t;
  let n = t.count;
  for (let end = p + nLines * 8; p < end; p += 8) {
    const line = b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16);
    if (line === 0xfeefee) continue;
    sections[n] = section;
    offsets[n] = base + (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
    lines[n] = line;
    files[n] = file;
    n++;
  }
  return n;
}

/** copyEntries over the same bytes as u32 words (w[q] is the entry's offset, w[q + 1] its line bits). */
function copyWords(w: Uint32Array, q: number, nLines: number, section: number, base: number, file: number, t: LineTable): number {
  const { sections, offsets, lines, files } = t;
  let n = t.count;
  for (let end = q + nLines * 2; q < end; q += 2) {
    const line = w[q + 1] & 0xffffff;
    if (line === 0xfeefee) continue;
    sections[n] = section;
    offsets[n] = base + w[q];
    lines[n] = line;
    files[n] = file;
    n++;
  }
  return n;
}

/** The DEBUG_S_LINES bodies of a C13 block, its file checksums, and checksum offsets → /names offsets. */
function splitC13(c: Cursor): { subsections: Cursor[]; checksums: FileChecksum[]; fileNames: Map<number, number> } {
  const split = splitDebugSubsections(c);
  const checksums = split.checksums ? readFileChecksums(split.checksums) : [];
  return { subsections: split.lines, checksums, fileNames: fileNamesOf(checksums) };
}

/** Checksum entry offset → /names offset. */
function fileNamesOf(checksums: FileChecksum[]): Map<number, number> {
  return new Map<number, number>(checksums.map((k) => [k.offset, k.nameOffset]));
}

let BODIES: U32List | undefined;

/** What nextLineBlock read: where the block's entries start in the buffer, their count, their file. */
const BLOCK = { at: 0, nLines: 0, file: 0 };

/**
 * Reads the next line block of a DEBUG_S_LINES body into BLOCK and moves past it: its header,
 * its entries (checked to fit in cbBlock) and its file (checked to be a checksum entry).
 */
function nextLineBlock(c: Cursor, entrySize: number, fileNames: Map<number, number>): void {
  const blockAt = c.pos;
  const checksumOffset = c.u32();
  const nLines = c.u32();
  const cbBlock = c.u32();
  const at = c.pos;
  c.need(cbBlock - 12, 'line block');
  c.pos += cbBlock - 12;
  if ((nLines | 0) !== nLines || nLines < 0 || nLines * entrySize > cbBlock - 12) c.fail(`line count ${nLines} (x${entrySize} bytes) exceeds the ${cbBlock - 12} bytes left`, at);
  const file = fileNames.get(checksumOffset);
  if (file === undefined) c.fail(`line block names file checksum offset ${checksumOffset}, which is no file checksum entry`, blockAt);
  BLOCK.at = at;
  BLOCK.nLines = nLines;
  BLOCK.file = file;
}

/** Parses a module's C13 block into its line sections, with file names as /names offsets. */
export function readC13Lines(c: Cursor): LineSection[] {
  return readC13(c).sections;
}

/**
 * Parses a module's C13 block: line sections and file checksums. `keepHidden` keeps the
 * 0xfeefee/0xf00f00 entries (DIA reports them; Breakpad's dump_syms writes them).
 */
export function readC13(c: Cursor, keepHidden = false): C13Lines {
  const { subsections: linesSubsections, checksums, fileNames } = splitC13(c);
  if (!linesSubsections.length) return { sections: [], checksums };
  return { sections: linesSubsections.map((body) => readLineSection(body, fileNames, keepHidden)), checksums };
}

/** DEBUG_S_FILECHKSMS: u32 name offset, u8 size, u8 kind, size bytes, aligned to 4, repeated. */
export function readFileChecksums(c: Cursor): FileChecksum[] {
  const out: FileChecksum[] = [];
  while (c.remaining > 0) {
    const offset = c.rel;
    const nameOffset = c.u32();
    const size = c.u8();
    const kind = c.u8();
    const checksum = c.bytes(size, 'file checksum');
    c.align(4);
    out.push({ offset, nameOffset, kind, checksum });
  }
  return out;
}

function readLineSection(c: Cursor, fileNames: Map<number, number>, keepHidden: boolean): LineSection {
  const offset = c.u32();
  const section = c.u16();
  const flags = c.u16();
  const length = c.u32();
  const hasColumns = (flags & CV_LINES_HAVE_COLUMNS) !== 0;
  const entrySize = hasColumns ? 12 : 8;
  const out: LineSection = { section, offset, length, offsets: [], lines: [], files: [] };
  const columns: number[] = [];
  const columnEnds: number[] = [];
  while (c.remaining > 0) {
    nextLineBlock(c, entrySize, fileNames);
    const { nLines, file } = BLOCK;
    const block = new Cursor(c.buf, c.origin, BLOCK.at, c.pos, c.base);
    // CV_Column_t entries follow all the CV_Line_t ones; `kept` remembers which lines stay.
    const kept: boolean[] = [];
    for (let i = 0; i < nLines; i++) {
      const off = block.u32();
      const line = block.u32() & 0xffffff;
      const keep = keepHidden || !HIDDEN_LINES.has(line);
      kept.push(keep);
      if (!keep) continue;
      out.offsets.push(off);
      out.lines.push(line);
      out.files.push(file);
    }
    if (hasColumns) {
      for (let i = 0; i < nLines; i++) {
        const start = block.u16();
        const end = block.u16();
        if (!kept[i]) continue;
        columns.push(start);
        columnEnds.push(end);
      }
    }
  }
  if (hasColumns) {
    out.columns = columns;
    out.columnEnds = columnEnds;
  }
  return out;
}
