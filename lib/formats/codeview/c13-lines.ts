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
 * Lines 0xfeefee and 0xf00f00 are "hidden" (compiler-generated code with no source line);
 * DbgHelp does not report them, so they are left out here.
 */
import { Cursor } from '../binary/cursor';

export const DEBUG_S_IGNORE = 0x80000000;
export const DEBUG_S_LINES = 0xf2;
export const DEBUG_S_FILECHKSMS = 0xf4;
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
}

/** Parses a module's C13 block into its line sections, with file names as /names offsets. */
export function readC13Lines(c: Cursor): LineSection[] {
  const linesSubsections: Cursor[] = [];
  let checksums: Cursor | undefined;
  while (c.remaining > 0) {
    if (c.remaining < 8) c.fail(`truncated debug subsection header: ${c.remaining} bytes left`);
    const kind = c.u32();
    const length = c.u32();
    const body = c.take(length, `debug subsection 0x${kind.toString(16)}`);
    c.align(4);
    if (kind & DEBUG_S_IGNORE) continue;
    if (kind === DEBUG_S_LINES) linesSubsections.push(body);
    else if (kind === DEBUG_S_FILECHKSMS) checksums = body;
  }
  if (!linesSubsections.length) return [];
  const fileNames = checksums ? readChecksumNames(checksums) : new Map<number, number>();
  return linesSubsections.map((body) => readLineSection(body, fileNames));
}

/** DEBUG_S_FILECHKSMS: subsection-relative entry offset → /names offset of the file name. */
function readChecksumNames(c: Cursor): Map<number, number> {
  const out = new Map<number, number>();
  while (c.remaining > 0) {
    const at = c.rel;
    const nameOffset = c.u32();
    const size = c.u8();
    c.u8(); // checksum kind
    c.skip(size);
    c.align(4);
    out.set(at, nameOffset);
  }
  return out;
}

function readLineSection(c: Cursor, fileNames: Map<number, number>): LineSection {
  const offset = c.u32();
  const section = c.u16();
  const flags = c.u16();
  const length = c.u32();
  const columns = (flags & CV_LINES_HAVE_COLUMNS) !== 0;
  const entrySize = columns ? 12 : 8;
  const out: LineSection = { section, offset, length, offsets: [], lines: [], files: [] };
  while (c.remaining > 0) {
    const blockAt = c.pos;
    const checksumOffset = c.u32();
    const nLines = c.u32();
    const cbBlock = c.u32();
    const block = c.take(cbBlock - 12, 'line block');
    block.count(nLines, entrySize, 'line');
    const file = fileNames.get(checksumOffset);
    if (file === undefined) c.fail(`line block names file checksum offset ${checksumOffset}, which is no file checksum entry`, blockAt);
    for (let i = 0; i < nLines; i++) {
      const off = block.u32();
      const line = block.u32() & 0xffffff;
      if (HIDDEN_LINES.has(line)) continue;
      out.offsets.push(off);
      out.lines.push(line);
      out.files.push(file);
    }
  }
  return out;
}
