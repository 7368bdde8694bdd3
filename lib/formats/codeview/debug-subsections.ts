/**
 * A module's C13 debug subsections (cvinfo.h DEBUG_S_SUBSECTION_TYPE), split once: u32 kind,
 * u32 length, the body, padded to 4. The one splitter every C13 reader goes through (lines,
 * inlinee lines, file checksums, cross-scope ids), with one rule for duplicates:
 *   - DEBUG_S_LINES and DEBUG_S_INLINEELINES may repeat (each body is read in order);
 *   - DEBUG_S_FILECHKSMS, DEBUG_S_CROSSSCOPEIMPORTS and DEBUG_S_CROSSSCOPEEXPORTS may appear once:
 *     file ids and cross-scope references are offsets into that one body, so a second one would
 *     make them ambiguous: BAD_FORMAT at the second header;
 *   - kinds with the DEBUG_S_IGNORE bit, and kinds no reader asks for, are skipped.
 */
import { Cursor } from '../binary/cursor';

export const DEBUG_S_IGNORE = 0x80000000;
export const DEBUG_S_LINES = 0xf2;
export const DEBUG_S_FILECHKSMS = 0xf4;
export const DEBUG_S_INLINEELINES = 0xf6;
export const DEBUG_S_CROSSSCOPEIMPORTS = 0xf7;
export const DEBUG_S_CROSSSCOPEEXPORTS = 0xf8;

export interface DebugSubsections {
  /** Every DEBUG_S_LINES body, in order. */
  lines: Cursor[];
  /** Every DEBUG_S_INLINEELINES body (usually one). */
  inlineeLines: Cursor[];
  checksums: Cursor | undefined;
  crossScopeImports: Cursor | undefined;
  crossScopeExports: Cursor | undefined;
}

const ONCE: Record<number, 'checksums' | 'crossScopeImports' | 'crossScopeExports'> = {
  [DEBUG_S_FILECHKSMS]: 'checksums',
  [DEBUG_S_CROSSSCOPEIMPORTS]: 'crossScopeImports',
  [DEBUG_S_CROSSSCOPEEXPORTS]: 'crossScopeExports',
};
const NAMES: Record<number, string> = {
  [DEBUG_S_FILECHKSMS]: 'DEBUG_S_FILECHKSMS',
  [DEBUG_S_CROSSSCOPEIMPORTS]: 'DEBUG_S_CROSSSCOPEIMPORTS',
  [DEBUG_S_CROSSSCOPEEXPORTS]: 'DEBUG_S_CROSSSCOPEEXPORTS',
};

/**
 * The splitter: calls `visit(kind, start, end)` for each subsection a reader may ask for, its
 * body being c.buf[start, end), in order, after checking its header and the duplicate rule.
 * Nothing is allocated per subsection (a big PDB has ~150,000 of them, most of them
 * DEBUG_S_LINES, which the inline and cross-scope readers step over).
 */
export function scanDebugSubsections(c: Cursor, visit: (kind: number, start: number, end: number) => void): void {
  let once = 0;
  while (c.remaining > 0) {
    if (c.remaining < 8) c.fail(`truncated debug subsection header: ${c.remaining} bytes left`);
    const kind = c.u32();
    const length = c.u32();
    // The label is made only for the error.
    if (length > c.remaining) c.need(length, `debug subsection 0x${kind.toString(16)}`);
    const start = c.pos;
    c.skip(length);
    const end = c.pos;
    c.align(4);
    if (kind & DEBUG_S_IGNORE) continue;
    if (kind === DEBUG_S_LINES || kind === DEBUG_S_INLINEELINES) visit(kind, start, end);
    else if (ONCE[kind]) {
      const bit = 1 << (kind - DEBUG_S_FILECHKSMS);
      if (once & bit) c.fail(`a second ${NAMES[kind]} subsection (the offsets into it would be ambiguous)`, start - 8);
      once |= bit;
      visit(kind, start, end);
    }
  }
}

/** Splits a C13 block (views into it, nothing copied); `lines: false` leaves DEBUG_S_LINES out. */
export function splitDebugSubsections(c: Cursor, lines = true): DebugSubsections {
  const out: DebugSubsections = { lines: [], inlineeLines: [], checksums: undefined, crossScopeImports: undefined, crossScopeExports: undefined };
  scanDebugSubsections(c, (kind, start, end) => {
    if (kind === DEBUG_S_LINES && !lines) return;
    const body = new Cursor(c.buf, c.origin, start, end, c.base);
    if (kind === DEBUG_S_LINES) out.lines.push(body);
    else if (kind === DEBUG_S_INLINEELINES) out.inlineeLines.push(body);
    else out[ONCE[kind]] = body;
  });
  return out;
}
