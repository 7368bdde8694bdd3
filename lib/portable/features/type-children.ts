/**
 * A UDT's, enum's or function type's children, decoded from its field lists (continuations
 * followed, a list continuing into itself BAD_FORMAT), method lists (one child per overload) or
 * argument list: what TypeModel numbers as synthetic ids (0x80000000 up).
 */
import { badFormat } from '../../api/errors';
import { FieldFamily, LF } from '../../formats/codeview/type-kinds';
import { readFieldList, readIndexList, readMethodList } from '../../formats/codeview/type-records';
import type { TypeModel } from './type-model';
import { ChildKind, type Child } from './type-nodes';

export function decodeChildren(tm: TypeModel, owner: number): Child[] {
  const n = tm.node(owner);
  if (!n) return [];
  if (n.t === 'function') {
    if (!n.proc.argList) return [];
    const { leaf, data } = tm.requireTpi(n.proc.argList).record(n.proc.argList);
    if (leaf !== LF.ARGLIST) data.fail(`function type 0x${owner.toString(16)}: its argument list 0x${n.proc.argList.toString(16)} is not an LF_ARGLIST`, data.start - 4);
    return Array.from(readIndexList(data), (type) => ({ kind: ChildKind.Arg, name: '', type, attr: 0, vtableOffset: 0 }));
  }
  if (n.t !== 'tag' || !n.rec.fieldList) return [];
  const out: Child[] = [];
  const tpi = tm.tpi!;
  const visited = new Set<number>();
  let fl = n.rec.fieldList;
  while (fl) {
    if (visited.has(fl)) throw badFormat(tpi.origin, 0, `type 0x${owner.toString(16)}: field list 0x${fl.toString(16)} continues into itself`);
    visited.add(fl);
    const { leaf, data } = tm.requireTpi(fl).record(fl);
    if (leaf !== LF.FIELDLIST) data.fail(`type 0x${owner.toString(16)}: 0x${fl.toString(16)} is not an LF_FIELDLIST`, data.start - 4);
    let next = 0;
    for (const e of readFieldList(data)) {
      const base = { name: e.name, type: e.type, entry: e, attr: e.attr, vtableOffset: 0 };
      switch (e.family) {
        case FieldFamily.Index:
          next = e.type;
          break;
        case FieldFamily.Member:
          out.push({ ...base, kind: ChildKind.Member });
          break;
        case FieldFamily.StMember:
          out.push({ ...base, kind: ChildKind.StaticMember });
          break;
        case FieldFamily.BClass:
        case FieldFamily.VBClass:
          out.push({ ...base, kind: ChildKind.BaseClass });
          break;
        case FieldFamily.Enumerate:
          out.push({ ...base, kind: ChildKind.Enumerator });
          break;
        case FieldFamily.OneMethod:
          out.push({ ...base, kind: ChildKind.Method, vtableOffset: e.offset });
          break;
        case FieldFamily.Method: {
          const ml = tm.requireTpi(e.type).record(e.type);
          if (ml.leaf !== LF.METHODLIST) ml.data.fail(`method ${e.name}: 0x${e.type.toString(16)} is not an LF_METHODLIST`, ml.data.start - 4);
          for (const m of readMethodList(ml.data)) out.push({ ...base, kind: ChildKind.Method, type: m.type, attr: m.attr, vtableOffset: m.vtableOffset });
          break;
        }
        case FieldFamily.NestType:
        case FieldFamily.NestTypeEx:
          out.push({ ...base, kind: ChildKind.Nested });
          break;
        case FieldFamily.VFuncTab:
          out.push({ ...base, kind: ChildKind.VTable });
          break;
        default:
          break; // friends, vfunc offsets, member modifications: not DbgHelp children
      }
    }
    fl = next;
  }
  return out;
}
