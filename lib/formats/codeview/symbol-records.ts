/**
 * Decoders for the CodeView symbol records the symbol handler reads (cvinfo.h). Each record is
 *   u16 reclen (bytes after this field), u16 kind, data[reclen - 2]
 * and decoders take a cursor over data. Records are yielded undecoded (kind + offset) by the
 * stream walkers and decoded on demand here.
 */
import { Cursor } from '../binary/cursor';
import { readNumericLeaf } from './numeric-leaf';
import { DATASYM32, PROCSYM32, PUBSYM32, THUNKSYM32, TRAMPOLINESYM, u16At, u32At } from './record-layout';

/** PROCSYM32 (S_GPROC32, S_LPROC32 and the _ID/_DPC variants), 35 bytes + name. */
export interface ProcSym {
  parent: number;
  end: number;
  next: number;
  length: number;
  dbgStart: number;
  dbgEnd: number;
  typeIndex: number;
  offset: number;
  segment: number;
  flags: number;
  name: string;
}
export function readProc(c: Cursor): ProcSym {
  // The fixed part checked once, its fields read where record-layout.ts puts them (the cursor
  // is over the data: the record starts 4 bytes before it).
  const p = c.fixed(PROCSYM32.name - 4, 'procedure record') - 4;
  const b = c.buf;
  return {
    parent: u32At(b, p + PROCSYM32.parent),
    end: u32At(b, p + PROCSYM32.end),
    next: u32At(b, p + PROCSYM32.next),
    length: u32At(b, p + PROCSYM32.length),
    dbgStart: u32At(b, p + PROCSYM32.dbgStart),
    dbgEnd: u32At(b, p + PROCSYM32.dbgEnd),
    typeIndex: u32At(b, p + PROCSYM32.typeIndex),
    offset: u32At(b, p + PROCSYM32.offset),
    segment: u16At(b, p + PROCSYM32.segment),
    flags: b[p + PROCSYM32.flags],
    name: c.cstring('procedure name'),
  };
}

/** THUNKSYM32 (S_THUNK32), 21 bytes + name + variant. */
export interface ThunkSym {
  parent: number;
  end: number;
  next: number;
  offset: number;
  segment: number;
  length: number;
  ordinal: number;
  name: string;
}
export function readThunk(c: Cursor): ThunkSym {
  const p = c.fixed(THUNKSYM32.name - 4, 'thunk record') - 4;
  const b = c.buf;
  return {
    parent: u32At(b, p + THUNKSYM32.parent),
    end: u32At(b, p + THUNKSYM32.end),
    next: u32At(b, p + THUNKSYM32.next),
    offset: u32At(b, p + THUNKSYM32.offset),
    segment: u16At(b, p + THUNKSYM32.segment),
    length: u16At(b, p + THUNKSYM32.length),
    ordinal: b[p + THUNKSYM32.ordinal],
    name: c.cstring('thunk name'),
  };
}

/** BLOCKSYM32 (S_BLOCK32), 18 bytes + name. */
export interface BlockSym {
  parent: number;
  end: number;
  length: number;
  offset: number;
  segment: number;
  name: string;
}
export function readBlock(c: Cursor): BlockSym {
  return { parent: c.u32(), end: c.u32(), length: c.u32(), offset: c.u32(), segment: c.u16(), name: c.cstring('block name') };
}

/** DATASYM32 (S_GDATA32, S_LDATA32, S_GTHREAD32, S_LTHREAD32), 10 bytes + name. */
export interface DataSym {
  typeIndex: number;
  offset: number;
  segment: number;
  name: string;
}
export function readData(c: Cursor): DataSym {
  const p = c.fixed(DATASYM32.name - 4, 'data record') - 4;
  const b = c.buf;
  return { typeIndex: u32At(b, p + DATASYM32.typeIndex), offset: u32At(b, p + DATASYM32.offset), segment: u16At(b, p + DATASYM32.segment), name: c.cstring('data name') };
}

/** PUBSYM32 (S_PUB32), 10 bytes + name. flags: CVPSF_CODE 1, FUNCTION 2, MANAGED 4, MSIL 8. */
export interface PublicSym {
  flags: number;
  offset: number;
  segment: number;
  name: string;
}
export const CVPSF_CODE = 1;
export const CVPSF_FUNCTION = 2;
export function readPublic(c: Cursor): PublicSym {
  const p = c.fixed(PUBSYM32.name - 4, 'public record') - 4;
  const b = c.buf;
  return { flags: u32At(b, p + PUBSYM32.flags), offset: u32At(b, p + PUBSYM32.offset), segment: u16At(b, p + PUBSYM32.segment), name: c.cstring('public name') };
}

/** CONSTSYM (S_CONSTANT): type, numeric leaf value, name. */
export interface ConstantSym {
  typeIndex: number;
  value: bigint;
  name: string;
}
export function readConstant(c: Cursor): ConstantSym {
  const typeIndex = c.u32();
  const value = readNumericLeaf(c);
  return { typeIndex, value, name: c.cstring('constant name') };
}

/** REFSYM2 (S_PROCREF, S_LPROCREF, S_DATAREF): a global's pointer into a module stream. */
export interface RefSym {
  sumName: number;
  /** Offset of the referenced record inside the module's symbol stream. */
  symOffset: number;
  /** 1-based module index. */
  module: number;
  name: string;
}
export function readRef(c: Cursor): RefSym {
  return { sumName: c.u32(), symOffset: c.u32(), module: c.u16(), name: c.cstring('reference name') };
}

/** TRAMPOLINESYM (S_TRAMPOLINE): incremental-link and branch-island thunks, no name. */
export interface TrampolineSym {
  type: number;
  size: number;
  thunkOffset: number;
  targetOffset: number;
  thunkSection: number;
  targetSection: number;
}
export function readTrampoline(c: Cursor): TrampolineSym {
  const p = c.fixed(TRAMPOLINESYM.end - 4, 'trampoline record') - 4;
  const b = c.buf;
  return {
    type: u16At(b, p + TRAMPOLINESYM.type),
    size: u16At(b, p + TRAMPOLINESYM.size),
    thunkOffset: u32At(b, p + TRAMPOLINESYM.thunkOffset),
    targetOffset: u32At(b, p + TRAMPOLINESYM.targetOffset),
    thunkSection: u16At(b, p + TRAMPOLINESYM.thunkSection),
    targetSection: u16At(b, p + TRAMPOLINESYM.targetSection),
  };
}
