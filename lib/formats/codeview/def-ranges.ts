/**
 * S_DEFRANGE_* (cvinfo.h DEFRANGESYM*; LLVM DefRange*Sym): where an S_LOCAL's value lives over
 * ranges of code. Every ranged record ends with
 *   CV_LVAR_ADDR_RANGE (8):  u32 offStart  u16 isectStart  u16 cbRange
 *   CV_LVAR_ADDR_GAP (4) x n: u16 gapStartOffset (from offStart)  u16 cbRange
 * filling the rest of the record. The kinds:
 *   S_DEFRANGE (0x113f)                         u32 program, range, gaps (a DIA program)
 *   S_DEFRANGE_SUBFIELD (0x1140)                u32 program, u32 offParent, range, gaps
 *   S_DEFRANGE_REGISTER (0x1141)                u16 reg, u16 attr, range, gaps
 *   S_DEFRANGE_FRAMEPOINTER_REL (0x1142)        i32 offFramePointer, range, gaps
 *   S_DEFRANGE_SUBFIELD_REGISTER (0x1143)       u16 reg, u16 attr, u32 offParent:12, range, gaps
 *   S_DEFRANGE_FRAMEPOINTER_REL_FULL_SCOPE (0x1144)  i32 offFramePointer (whole function)
 *   S_DEFRANGE_REGISTER_REL (0x1145)            u16 baseReg, u16 spilledUdtMember:1 pad:3
 *                                               offsetParent:12, i32 offBasePointer, range, gaps
 */
import type { Cursor } from '../binary/cursor';
import { S } from './symbol-kinds';

export const DefRangeKind = {
  DEFRANGE: S.DEFRANGE,
  SUBFIELD: S.DEFRANGE_SUBFIELD,
  REGISTER: S.DEFRANGE_REGISTER,
  FRAMEPOINTER_REL: S.DEFRANGE_FRAMEPOINTER_REL,
  SUBFIELD_REGISTER: S.DEFRANGE_SUBFIELD_REGISTER,
  FRAMEPOINTER_REL_FULL_SCOPE: S.DEFRANGE_FRAMEPOINTER_REL_FULL_SCOPE,
  REGISTER_REL: S.DEFRANGE_REGISTER_REL,
} as const;

export function isDefRange(kind: number): boolean {
  return kind >= DefRangeKind.DEFRANGE && kind <= DefRangeKind.REGISTER_REL;
}

export interface AddrRange {
  offset: number;
  section: number;
  length: number;
  /** [start, length] pairs, start relative to `offset`. */
  gaps: [number, number][];
}

export type DefRange =
  | { kind: 'program'; offsetInParent: number; range: AddrRange }
  | { kind: 'register'; register: number; offsetInParent: number; range: AddrRange }
  | { kind: 'framerel'; offset: number; range: AddrRange | undefined }
  | { kind: 'regrel'; register: number; offset: number; offsetInParent: number; range: AddrRange };

function readRange(c: Cursor): AddrRange {
  const offset = c.u32();
  const section = c.u16();
  const length = c.u16();
  const n = c.count(Math.floor(c.remaining / 4), 4, 'definition range gap');
  const gaps: [number, number][] = [];
  for (let i = 0; i < n; i++) gaps.push([c.u16(), c.u16()]);
  return { offset, section, length, gaps };
}

/** Decodes a S_DEFRANGE_* record; `kind` must satisfy isDefRange. */
export function readDefRange(kind: number, c: Cursor): DefRange {
  switch (kind) {
    case DefRangeKind.DEFRANGE:
      c.skip(4);
      return { kind: 'program', offsetInParent: 0, range: readRange(c) };
    case DefRangeKind.SUBFIELD: {
      c.skip(4);
      const offsetInParent = c.u32();
      return { kind: 'program', offsetInParent, range: readRange(c) };
    }
    case DefRangeKind.REGISTER: {
      const register = c.u16();
      c.skip(2);
      return { kind: 'register', register, offsetInParent: 0, range: readRange(c) };
    }
    case DefRangeKind.SUBFIELD_REGISTER: {
      const register = c.u16();
      c.skip(2);
      const offsetInParent = c.u32() & 0xfff;
      return { kind: 'register', register, offsetInParent, range: readRange(c) };
    }
    case DefRangeKind.FRAMEPOINTER_REL: {
      const offset = c.i32();
      return { kind: 'framerel', offset, range: readRange(c) };
    }
    case DefRangeKind.FRAMEPOINTER_REL_FULL_SCOPE:
      return { kind: 'framerel', offset: c.i32(), range: undefined };
    case DefRangeKind.REGISTER_REL: {
      const register = c.u16();
      const flags = c.u16();
      const offset = c.i32();
      return { kind: 'regrel', register, offset, offsetInParent: flags & 1 ? flags >>> 4 : 0, range: readRange(c) };
    }
    default:
      return c.fail(`symbol kind 0x${kind.toString(16)} is no S_DEFRANGE record`);
  }
}

/**
 * Whether `pdbRva` is inside the range and outside its gaps; `start` is the range's first
 * byte as a PDB RVA (from its section and offset).
 */
export function rangeCovers(range: AddrRange, start: number, pdbRva: number): boolean {
  const rel = pdbRva - start;
  if (rel < 0 || rel >= range.length) return false;
  for (const [gapStart, gapLength] of range.gaps) if (rel >= gapStart && rel < gapStart + gapLength) return false;
  return true;
}
