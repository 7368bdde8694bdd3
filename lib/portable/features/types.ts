/**
 * Types from TPI (and typedefs from the globals' S_UDT records): SymGetTypeFromName,
 * SymEnumTypes / SymEnumTypesByName and SymGetTypeInfo on type ids, over one TypeModel per PDB
 * (type-model.ts: the ids; type-nodes.ts: what an id stands for; type-children.ts: children;
 * type-info.ts: the requests). Symbol ids are answered by symbol-info.ts.
 */
import { SymOpt, SymTag, TypeInfo } from '../../api/constants';
import { DbgHelpError } from '../../api/errors';
import type { SymbolInfo, TypeInfoValue } from '../../api/types';
import type { LoadedModule } from '../loaded-module';
import type { PdbProvider } from '../pdb-provider';
import { compileMask, splitModule } from '../wildcard';
import { pdbOf, type HandlerContext } from './context';
import { TypeModel } from './type-model';

export { TypeModel } from './type-model';
export { SYNTHETIC_BASE } from './type-nodes';

// --- the feature's entry points ---------------------------------------------------------

export function model(pdb: PdbProvider): TypeModel {
  return pdb.memo('types', () => new TypeModel(pdb.pdb, pdb.pdb.tpi()));
}

/**
 * SYMBOL_INFO.TypeIndex and Size of a data symbol (global, static, local, parameter, constant)
 * whose record names type `ti`: the type as an id (modifiers, forward references resolved, so
 * it equals what TI_GET_TYPE answers for the symbol) and its length (TI_GET_LENGTH of the type,
 * as DbgHelp fills Size). Read only when such a symbol is handed out. A type the TPI stream
 * cannot answer (missing, malformed) leaves the record's index and size 0: the symbol is still
 * found; SymGetTypeInfo on the type reports the BAD_FORMAT.
 */
export function dataType(pdb: PdbProvider, ti: number): { typeIndex: number; size: number } {
  const cache = pdb.memo('types.data', () => new Map<number, { typeIndex: number; size: number }>());
  let hit = cache.get(ti);
  if (hit) return hit;
  try {
    const tm = model(pdb);
    const typeIndex = ti === 0 ? 0 : tm.canonical(ti);
    const length = typeIndex === 0 ? undefined : tm.info(typeIndex, TypeInfo.GET_LENGTH);
    hit = { typeIndex, size: typeof length === 'bigint' && length <= 0xffffffffn ? Number(length) : 0 };
  } catch (e) {
    if (!(e instanceof DbgHelpError) || e.code !== 'BAD_FORMAT') throw e;
    hit = { typeIndex: ti, size: 0 };
  }
  cache.set(ti, hit);
  return hit;
}

/** SymbolInfo.typeIndex and size of a symbol of a module: data symbols' from their type (dataType). */
export function symbolType(m: LoadedModule, tag: number, typeIndex: number, size: number): { typeIndex: number; size: number } {
  const p = tag === SymTag.Data ? pdbOf(m) : undefined;
  return p ? dataType(p, typeIndex) : { typeIndex, size };
}

/** The module a type call names: by base (or an address inside it). */
export function moduleFor(h: HandlerContext, base: bigint, where: string): LoadedModule {
  const m = h.moduleByBase(base) ?? h.moduleAt(base);
  if (!m) throw new DbgHelpError('MODULE_NOT_FOUND', `${where}: no module is loaded at 0x${base.toString(16)}`);
  return m;
}

function symbolInfo(m: LoadedModule, tm: TypeModel, hit: { id: number; name: string }): SymbolInfo {
  const length = tm.info(hit.id, TypeInfo.GET_LENGTH);
  return {
    typeIndex: hit.id,
    index: hit.id,
    size: typeof length === 'bigint' ? Number(length) : 0,
    modBase: m.base,
    flags: 0,
    value: 0n,
    address: 0n,
    register: 0,
    scope: 0,
    tag: tm.info(hit.id, TypeInfo.GET_SYMTAG) as number,
    nameLen: hit.name.length,
    name: hit.name,
  };
}

/**
 * SymGetTypeFromName. `base` 0 searches the module `module!name` names, and none without one;
 * otherwise the module at `base`, where `module!name` is not taken apart (Microsoft's
 * dbghelp.dll 10.0.19041.685: `geometry::Rect` with base 0 is not found,
 * `cppfeatures-x64!geometry::Rect` with base 0 is, with the module's base it is not).
 * Case-sensitive whatever the options (the DLL too).
 */
export function getTypeFromName(h: HandlerContext, base: bigint, name: string): SymbolInfo | undefined {
  const { module, rest } = splitModule(name);
  if (base === 0n && !module) return undefined;
  const mods = base === 0n ? h.modulesNamed(module) : [moduleFor(h, base, 'getTypeFromName')];
  // Microsoft's dbghelp.dll 10.0.19041.685 matches type names exactly, SYMOPT_CASE_INSENSITIVE
  // or not (TypeModel.fromName keeps the case-insensitive search for other callers).
  for (const m of mods) {
    const p = pdbOf(m);
    if (!p) continue;
    const tm = model(p);
    const hit = tm.fromName(base === 0n ? rest : name, false);
    if (hit) return symbolInfo(m, tm, hit);
  }
  return undefined;
}

/** SymEnumTypes / SymEnumTypesByName: UDTs and enums (definitions), then typedefs. */
export function* enumTypes(h: HandlerContext, base: bigint, mask: string | undefined): IterableIterator<SymbolInfo> {
  const m = moduleFor(h, base, mask === undefined ? 'enumTypes' : 'enumTypesByName');
  const p = pdbOf(m);
  if (!p) return;
  const tm = model(p);
  const match = compileMask(mask ?? '*', (h.options & SymOpt.CASE_INSENSITIVE) !== 0);
  for (const hit of tm.enumerate(match)) yield symbolInfo(m, tm, hit);
}

/** SymGetTypeInfo. */
export function getTypeInfo(h: HandlerContext, base: bigint, typeId: number, request: number): TypeInfoValue | undefined {
  const p = pdbOf(moduleFor(h, base, 'getTypeInfo'));
  if (!p) return undefined;
  return model(p).info(typeId, request);
}
