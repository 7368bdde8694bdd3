/**
 * What a type id stands for (features/type-model.ts numbers them): the node shapes, the
 * children of UDTs, enums and function types, and the CodeView simple types (1..0xfff).
 */
import { BasicType } from '../../api/constants';
import type { FieldEntry, ProcedureRecord, TagRecord } from '../../formats/codeview/type-records';
import { simpleKind, simpleMode, simplePointerSize } from '../../formats/codeview/type-simple';

/** The first id of symbols that are not TPI types. */
export const SYNTHETIC_BASE = 0x80000000;
/** LF_MODIFIER / forward reference / LF_BITFIELD links followed before calling it a cycle. */
export const MAX_CHAIN = 64;
/** Children lists kept decoded (the ids stay valid; evicted lists are decoded again). */
export const CHILD_CACHE = 512;

export enum ChildKind {
  Member,
  StaticMember,
  BaseClass,
  Enumerator,
  Method,
  Nested,
  VTable,
  Arg,
}

export interface Child {
  kind: ChildKind;
  name: string;
  /** The TPI index the child refers to (member type, base class, method type, argument type...). */
  type: number;
  entry?: FieldEntry;
  /** Methods: CV_fldattr_t and the vtable offset of introducing virtuals. */
  attr: number;
  vtableOffset: number;
}

/** What an id stands for. */
export type Node =
  | { t: 'base'; id: number; basicType: number; length: number }
  | { t: 'sptr'; id: number; to: number; length: number }
  | { t: 'tag'; id: number; rec: TagRecord }
  | { t: 'pointer'; id: number; referent: number; size: number; mode: number; containingClass: number }
  | { t: 'array'; id: number; element: number; index: number; size: number }
  | { t: 'function'; id: number; proc: ProcedureRecord }
  | { t: 'vtshape'; id: number; count: number }
  | { t: 'child'; id: number; owner: number; child: Child }
  | { t: 'typedef'; id: number; name: string; type: number };

/** A block of synthetic ids: the children of one parent, or one typedef. */
export interface Block {
  first: number;
  /** The parent's canonical TPI index, or -1 for a typedef. */
  owner: number;
  count: number;
  /** Typedefs: the S_UDT record's name and type. */
  name?: string;
  type?: number;
}

const T_NULLPTR = 0x0103;

/** S_UDT (cvinfo.h UDTSYM): u32 type, name. */

/** `ns::A<x::y>::B` → `ns::A<x::y>`: the name before the last `::` outside template brackets. */
export function qualifier(name: string): string | undefined {
  let depth = 0;
  for (let i = name.length - 1; i > 0; i--) {
    const ch = name[i];
    if (ch === '>' || ch === ')') depth++;
    else if (ch === '<' || ch === '(') depth--;
    else if (depth === 0 && ch === ':' && name[i - 1] === ':') return name.slice(0, i - 1);
  }
  return undefined;
}

export function simpleNode(id: number, pointerSize: number): Node {
  const mode = simpleMode(id);
  // T_PVOID (0x0103, a near16 pointer to void by the encoding) is what compilers write for
  // std::nullptr_t: as large as any pointer of the machine.
  if (id === T_NULLPTR) return { t: 'sptr', id, to: 0x03, length: pointerSize };
  if (mode) return { t: 'sptr', id, to: id & 0xff, length: simplePointerSize(id) };
  const k = simpleKind(id);
  return { t: 'base', id, basicType: k?.basicType ?? BasicType.NoType, length: k?.length ?? 0 };
}
