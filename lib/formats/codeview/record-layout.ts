/**
 * Byte offsets of the fixed fields of the symbol records the address indexes read in bulk
 * (cvinfo.h), from the start of the record: u16 reclen at 0, u16 kind at 2, the data from 4.
 * The one layout: the decoders in symbol-records.ts (after one bounds check of the fixed part,
 * Cursor.fixed) and the fast paths over whole streams (code index, global index, scope
 * skipping) read the fields here. test/unit/codeview/record-layout.test.ts checks every offset
 * against a sequential read of the fields in cvinfo.h's order and widths.
 */

/** Every scope-opening record (PROCSYM32, THUNKSYM32, BLOCKSYM32, INLINESITESYM, SEPCODESYM) starts u32 pParent, u32 pEnd. */
export const SCOPE = { parent: 4, end: 8 } as const;

/** PROCSYM32 (S_GPROC32, S_LPROC32 and the _ID/_DPC variants), 39 bytes + name. */
export const PROCSYM32 = { parent: 4, end: 8, next: 12, length: 16, dbgStart: 20, dbgEnd: 24, typeIndex: 28, offset: 32, segment: 36, flags: 38, name: 39 } as const;

/** THUNKSYM32 (S_THUNK32), 25 bytes + name + variant. */
export const THUNKSYM32 = { parent: 4, end: 8, next: 12, offset: 16, segment: 20, length: 22, ordinal: 24, name: 25 } as const;

/** TRAMPOLINESYM (S_TRAMPOLINE), 20 bytes. */
export const TRAMPOLINESYM = { type: 4, size: 6, thunkOffset: 8, targetOffset: 12, thunkSection: 16, targetSection: 18, end: 20 } as const;

/** DATASYM32 (S_GDATA32, S_LDATA32, the thread and managed variants), 14 bytes + name. */
export const DATASYM32 = { typeIndex: 4, offset: 8, segment: 12, name: 14 } as const;

/** INLINESITESYM (S_INLINESITE), 12 bytes + annotations; INLINESITESYM2 (S_INLINESITE2) has u32 invocations before them. */
export const INLINESITESYM = { parent: 4, end: 8, inlinee: 12, annotations: 16 } as const;
export const INLINESITESYM2 = { parent: 4, end: 8, inlinee: 12, invocations: 16, annotations: 20 } as const;

/** SEPCODESYM (S_SEPCODE), 28 bytes (to 32). */
export const SEPCODESYM = { parent: 4, end: 8, length: 12, flags: 16, offset: 20, parentOffset: 24, section: 28, parentSection: 30 } as const;

/** PUBSYM32 (S_PUB32), 14 bytes + name. */
export const PUBSYM32 = { flags: 4, offset: 8, segment: 12, name: 14 } as const;

/** A little-endian u16 at b[p]. */
export function u16At(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8);
}

/** A little-endian u32 at b[p] (as a non-negative number). */
export function u32At(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
}
