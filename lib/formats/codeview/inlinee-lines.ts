/**
 * DEBUG_S_INLINEELINES (0xf6): where each inlined function starts in its source, one subsection
 * among a module's C13 debug subsections (cvinfo.h CodeViewInlineeSourceLine*):
 *   u32 signature                      CV_INLINEE_SOURCE_LINE_SIGNATURE (0) or _EX (1)
 *   then per inlinee:
 *     InlineeSourceLine (12):          u32 inlinee (ItemId)  u32 fileId  u32 sourceLineNum
 *     InlineeSourceLineEx (16 + 4n):   the same, u32 countOfExtraFiles, u32 extraFileId[n]
 * fileId is a byte offset into the module's DEBUG_S_FILECHKSMS subsection, whose entry starts
 * with the /names offset of the file name (see c13-lines.ts).
 */
import type { Cursor } from '../binary/cursor';
import { splitDebugSubsections } from './debug-subsections';

export { DEBUG_S_INLINEELINES } from './debug-subsections';
export const CV_INLINEE_SOURCE_LINE_SIGNATURE = 0;
export const CV_INLINEE_SOURCE_LINE_SIGNATURE_EX = 1;

export interface InlineeSourceLine {
  /** ItemId (IPI) of the inlined function. */
  inlinee: number;
  /** File checksum offset of the file the inlinee starts in. */
  fileId: number;
  /** The inlinee's first line. */
  line: number;
  /** The _EX variant's other files (headers the inlinee's body spans). */
  extraFileIds: number[];
}

/** The subsections inline frames need from a module's C13 block. */
export interface InlineeSubsections {
  /** Every DEBUG_S_INLINEELINES body (usually one). */
  inlineeLines: Cursor[];
  checksums: Cursor | undefined;
  /** DEBUG_S_CROSSSCOPEIMPORTS / EXPORTS (cross-scope-ids.ts), in LTCG modules. */
  crossScopeImports: Cursor | undefined;
  crossScopeExports: Cursor | undefined;
}

/** The subsections inline frames need, from the one C13 splitter (debug-subsections.ts). */
export function findInlineeSubsections(c13: Cursor): InlineeSubsections {
  const { inlineeLines, checksums, crossScopeImports, crossScopeExports } = splitDebugSubsections(c13, false);
  return { inlineeLines, checksums, crossScopeImports, crossScopeExports };
}

export function readInlineeLines(c: Cursor): InlineeSourceLine[] {
  const out: InlineeSourceLine[] = [];
  forEachInlineeLine(c, (inlinee, fileId, line, extraFileIds) => out.push({ inlinee, fileId, line, extraFileIds: extraFileIds ?? [] }), true);
  return out;
}

/**
 * The entries of one DEBUG_S_INLINEELINES body, in order, without an object each (an index
 * of a module's sites reads thousands). `extraFileIds` is read only when `withExtra` is set.
 */
export function forEachInlineeLine(c: Cursor, fn: (inlinee: number, fileId: number, line: number, extraFileIds?: number[]) => void, withExtra = false): void {
  const signature = c.u32();
  if (signature !== CV_INLINEE_SOURCE_LINE_SIGNATURE && signature !== CV_INLINEE_SOURCE_LINE_SIGNATURE_EX) {
    c.fail(`inlinee lines signature ${signature} is neither 0 nor 1`, c.pos - 4);
  }
  const ex = signature === CV_INLINEE_SOURCE_LINE_SIGNATURE_EX;
  while (c.remaining > 0) {
    const inlinee = c.u32();
    const fileId = c.u32();
    const line = c.u32();
    let extraFileIds: number[] | undefined;
    if (ex) {
      const n = c.count(c.u32(), 4, 'inlinee extra file');
      if (withExtra) {
        extraFileIds = [];
        for (let i = 0; i < n; i++) extraFileIds.push(c.u32());
      } else c.skip(4 * n);
    }
    fn(inlinee, fileId, line, extraFileIds);
  }
}

/** The /names offset of the file a DEBUG_S_FILECHKSMS entry (at byte `fileId`) names. */
export function checksumFileNameOffset(checksums: Cursor, fileId: number): number {
  if (!Number.isInteger(fileId) || fileId < 0 || fileId + 4 > checksums.length) {
    checksums.fail(`file checksum offset ${fileId} outside the ${checksums.length}-byte file checksum subsection`, checksums.start);
  }
  return checksums.seek(fileId).u32();
}
