/**
 * CONTEXT_EX and the XSAVE area after a CONTEXT with CONTEXT_XSTATE (winnt.h):
 *   CONTEXT_EX, right after the CONTEXT: CONTEXT_CHUNK All, Legacy, XState (and KernelCet on
 *     newer systems); CONTEXT_CHUNK is { i32 Offset; u32 Length } with offsets from the
 *     CONTEXT_EX itself (All and Legacy point back at the CONTEXT).
 *   XSAVE_AREA_HEADER (64 bytes) at XState.Offset: u64 Mask (features saved), u64 CompactionMask
 *     (bit 63: compacted form), u64 Reserved[6]; the extended features (2 and up) follow, the
 *     legacy part (x87/SSE) being the CONTEXT's own FltSave.
 * Where feature k lies: compacted, after the features below it that the compaction mask holds,
 * each as long as MiscInfo 5's XSTATE_CONFIG_FEATURE_MSC_INFO says (or its architectural size);
 * standard form, at that table's Offset minus the 512-byte legacy area.
 */
import type { Cursor } from '../binary/cursor';
import type { XStateConfig } from './misc-info';

/** XSTATE_CET_U: the user-mode CET state, 16 bytes: u64 U_CET MSR, u64 PL3_SSP. */
export const XSTATE_CET_U = 11;
const XSAVE_HEADER_SIZE = 64;
const LEGACY_SIZE = 512;
/** Architectural sizes of the features below CET_U, for dumps without MiscInfo 5. */
const KNOWN_SIZES: Record<number, number> = { 2: 256, 3: 64, 4: 64, 5: 64, 6: 512, 7: 1024, 8: 0, 9: 8, 10: 0, 11: 16, 12: 24 };

export interface XState {
  mask: bigint;
  compactionMask: bigint;
  /** A cursor over feature k's `size` bytes, when the mask says it was saved and it lies inside the chunk. */
  feature(k: number, size: number): Cursor | undefined;
}

/**
 * Reads CONTEXT_EX at the cursor (just past a CONTEXT of `contextSize` bytes starting at
 * `contextStart`, both relative to the cursor's window) and its XSAVE header. Undefined when the
 * record is too short to hold one (writers may set CONTEXT_XSTATE and leave it out).
 */
export function readXState(c: Cursor, contextStart: number, contextSize: number, config?: XStateConfig): XState | undefined {
  const exAt = contextStart + contextSize;
  if (c.length - exAt < 24) return undefined;
  c.seek(exAt);
  c.skip(16); // All, Legacy
  const xOffset = c.i32();
  const xLength = c.u32();
  if (xLength < XSAVE_HEADER_SIZE) return undefined;
  const at = exAt + xOffset;
  if (at < 0 || at + xLength > c.length) c.fail(`CONTEXT_EX XState chunk [${xOffset}, +${xLength}) outside the ${c.length}-byte context record`, c.start + exAt);
  c.seek(at);
  const area = c.take(xLength, 'XSAVE area');
  const mask = area.u64();
  const compactionMask = area.u64();
  const compacted = (compactionMask >> 63n) & 1n;
  const sizeOf = (k: number) => config?.features[k]?.size || KNOWN_SIZES[k];
  return {
    mask,
    compactionMask,
    feature(k: number, size: number): Cursor | undefined {
      if (!((mask >> BigInt(k)) & 1n)) return undefined;
      let off: number | undefined;
      if (compacted) {
        off = XSAVE_HEADER_SIZE;
        for (let j = 2; j < k; j++) {
          if (!((compactionMask >> BigInt(j)) & 1n)) continue;
          const s = sizeOf(j);
          if (s === undefined) return undefined;
          off += s;
        }
      } else {
        const std = config?.features[k]?.offset;
        if (!std || std < LEGACY_SIZE) return undefined;
        off = std - LEGACY_SIZE;
      }
      if (off + size > area.length) return undefined;
      area.seek(off);
      return area.take(size, `XSAVE feature ${k}`);
    },
  };
}
