/**
 * INLINESITESYM (S_INLINESITE, 0x114d) and INLINESITESYM2 (S_INLINESITE2, 0x115d), cvinfo.h:
 *   u32 pParent   stream offset of the enclosing scope (procedure, block or inline site)
 *   u32 pEnd      stream offset of the matching S_INLINESITE_END
 *   u32 inlinee   ItemId of the inlined function: an LF_FUNC_ID / LF_MFUNC_ID in the IPI stream
 *   u32 invocations                        (S_INLINESITE2 only: the PGO invocation count)
 *   u8  binaryAnnotations[]                to the end of the record (inline-annotations.ts)
 * 12 bytes (16 for S_INLINESITE2) before the annotations.
 */
import type { Cursor } from '../binary/cursor';
import { S } from './symbol-kinds';

export interface InlineSiteSym {
  parent: number;
  end: number;
  inlinee: number;
  /** S_INLINESITE2 only. */
  invocations: number | undefined;
  /** The binary annotations (the rest of the record). */
  annotations: Cursor;
}

export function readInlineSite(kind: number, c: Cursor): InlineSiteSym {
  const parent = c.u32();
  const end = c.u32();
  const inlinee = c.u32();
  const invocations = kind === S.INLINESITE2 ? c.u32() : undefined;
  return { parent, end, inlinee, invocations, annotations: c.take(c.remaining, 'binary annotations') };
}
