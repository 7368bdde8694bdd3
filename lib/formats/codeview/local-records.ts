/**
 * Decoders for the CodeView records that name a procedure's locals and parameters (cvinfo.h,
 * LLVM SymbolRecord.h). Each takes a cursor over the record data (after reclen and kind).
 *
 *   S_LOCAL (0x113e)     LOCALSYM:   u32 typind  u16 flags (CV_LVARFLAGS)  name
 *                        followed by S_DEFRANGE_* records saying where the value lives
 *   S_REGREL32 (0x1111)  REGREL32:   i32 off  u32 typind  u16 reg  name
 *   S_BPREL32 (0x110b)   BPRELSYM32: i32 off  u32 typind  name          (x86 EBP-relative)
 *   S_REGISTER (0x1106)  REGSYM:     u32 typind  u16 reg  name
 */
import type { Cursor } from '../binary/cursor';
import { S } from './symbol-kinds';

export const LocalKind = {
  LOCAL: S.LOCAL,
  REGREL32: S.REGREL32,
  BPREL32: S.BPREL32,
  REGISTER: S.REGISTER,
  FRAMEPROC: S.FRAMEPROC,
} as const;

/** CV_LVARFLAGS bits. */
export const LocalFlags = {
  IS_PARAM: 0x0001,
  ADDR_TAKEN: 0x0002,
  COMPILER_GENERATED: 0x0004,
  AGGREGATE: 0x0008,
  AGGREGATED: 0x0010,
  ALIASED: 0x0020,
  ALIAS: 0x0040,
  RETURN_VALUE: 0x0080,
  OPTIMIZED_OUT: 0x0100,
  ENREG_GLOBAL: 0x0200,
  ENREG_STATIC: 0x0400,
} as const;

export interface LocalSym {
  typeIndex: number;
  flags: number;
  name: string;
}
export function readLocal(c: Cursor): LocalSym {
  return { typeIndex: c.u32(), flags: c.u16(), name: c.cstring('local name') };
}

export interface RegRelSym {
  offset: number;
  typeIndex: number;
  register: number;
  name: string;
}
export function readRegRel(c: Cursor): RegRelSym {
  return { offset: c.i32(), typeIndex: c.u32(), register: c.u16(), name: c.cstring('register-relative local name') };
}

export interface BpRelSym {
  offset: number;
  typeIndex: number;
  name: string;
}
export function readBpRel(c: Cursor): BpRelSym {
  return { offset: c.i32(), typeIndex: c.u32(), name: c.cstring('frame-relative local name') };
}

export interface RegisterSym {
  typeIndex: number;
  register: number;
  name: string;
}
export function readRegister(c: Cursor): RegisterSym {
  return { typeIndex: c.u32(), register: c.u16(), name: c.cstring('register local name') };
}
