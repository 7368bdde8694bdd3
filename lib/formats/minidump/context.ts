/**
 * A thread's CPU context (CONTEXT): which layout a record has, and the common result type.
 * The layouts are in context-x86.ts (CONTEXT i386, 716 bytes), context-amd64.ts (CONTEXT AMD64,
 * 1232 bytes, with CONTEXT_EX / XSTATE past it) and context-arm64.ts (CONTEXT ARM64, 912 bytes).
 *
 * The architecture comes from the SystemInfo stream when there is one; otherwise from the
 * record's size and the CONTEXT_<arch> bit of its flags.
 */
import type { RegisterSet, WalkArch } from '../../stackwalk/types';
import type { Cursor } from '../binary/cursor';
import { readContextAmd64, CONTEXT_AMD64_SIZE } from './context-amd64';
import { readContextArm64, CONTEXT_ARM64_SIZE } from './context-arm64';
import { readContextX86, CONTEXT_X86_SIZE } from './context-x86';
import type { XStateConfig } from './misc-info';

export interface ThreadContext {
  arch: WalkArch;
  /** ContextFlags as written (CONTEXT_<arch> | CONTROL | INTEGER | ...). */
  flags: number;
  /**
   * The registers the flags say are valid, by lower-case name (stackwalk/types.ts): CONTROL
   * gives the instruction, stack and (x86) frame pointers, INTEGER the others.
   */
  registers: RegisterSet;
  /** Every field of the record by its CONTEXT name in lower case (segments, eflags, debug registers...). */
  raw: Map<string, bigint>;
  /** amd64 with XSTATE: the CET user shadow stack (CET_U feature): the SSP and the U_CET MSR. */
  cet?: { ssp: bigint; uCet: bigint };
  /** amd64/x86 with CONTEXT_XSTATE: the XSAVE header's feature mask. */
  xstateMask?: bigint;
}

export const CONTEXT_X86 = 0x00010000;
export const CONTEXT_AMD64 = 0x00100000;
export const CONTEXT_ARM64 = 0x00400000;

/** PROCESSOR_ARCHITECTURE_* → the context layout, where we read one. */
export function archOfProcessor(p: number): WalkArch | undefined {
  switch (p) {
    case 0: // PROCESSOR_ARCHITECTURE_INTEL
      return 'x86';
    case 9: // PROCESSOR_ARCHITECTURE_AMD64
      return 'amd64';
    case 12: // PROCESSOR_ARCHITECTURE_ARM64
      return 'arm64';
    default:
      return undefined;
  }
}

/** The architecture a record looks like when no SystemInfo says. */
export function guessArch(c: Cursor): WalkArch | undefined {
  const len = c.length;
  const at = (o: number) => (len >= o + 4 ? c.buf[c.start + o] | (c.buf[c.start + o + 1] << 8) | (c.buf[c.start + o + 2] << 16) | (c.buf[c.start + o + 3] << 24) : 0);
  if (len >= CONTEXT_AMD64_SIZE && at(0x30) & CONTEXT_AMD64) return 'amd64';
  if (len >= CONTEXT_ARM64_SIZE && at(0) & CONTEXT_ARM64) return 'arm64';
  if (len >= CONTEXT_X86_SIZE && at(0) & CONTEXT_X86) return 'x86';
  return undefined;
}

export interface ContextOptions {
  /** MiscInfo 5's XSTATE layout, to find features in a compacted XSAVE area. */
  xstate?: XStateConfig;
}

/** Reads one context record of `arch` (the cursor covers the record's location). */
export function readContext(c: Cursor, arch: WalkArch, opts: ContextOptions = {}): ThreadContext {
  switch (arch) {
    case 'x86':
      return readContextX86(c);
    case 'amd64':
      return readContextAmd64(c, opts.xstate);
    case 'arm64':
      return readContextArm64(c);
  }
}
