/**
 * SymGetTypeInfo for symbol ids: the SYMBOL_INFO.Index of functions, publics, thunks, data,
 * locals and parameters, blocks and inline sites (PdbProvider.id: 0x40000000 + n, numbered as
 * symbols are handed out; ARCHITECTURE.md "Ids"). DbgHelp takes a symbol's Index wherever it
 * takes a type id; what it answers per symbol tag follows Wine's dbghelp (type.c symt_get_info,
 * symbol.c symt_get_address) where Microsoft's IMAGEHLP_SYMBOL_TYPE_INFO page says no more than
 * the data type, and DIA's IDiaSymbol properties otherwise:
 *
 *   request       Function / Thunk       Data (global, static, local, param, constant)   Public   Block   InlineSite
 *   SYMTAG        Function / Thunk       Data                                            Public   Block   InlineSite
 *   SYMNAME       as SYMBOL_INFO.Name    name                                            raw      -       inlinee
 *   TYPE(ID)      function type          its type (an id, modifiers resolved)            -        -       function type
 *   LENGTH        code bytes             - (a live range: its length)                    -        bytes   -
 *   ADDRESS       VA                     VA (globals, statics; TLS: offset)              VA       VA      first range
 *   DATAKIND      -                      Global/FileStatic/StaticLocal/Local/Param/Const -        -       -
 *   OFFSET        -                      register-relative offset (REGREL)               -        -       -
 *   VALUE         -                      constants                                       -        -       -
 *   LEXICALPARENT -                      locals: their procedure, block or inline site   -        parent  parent
 *   CHILDRENCOUNT, FINDCHILDREN: a function's SymTagFuncDebugStart and SymTagFuncDebugEnd
 *                 points (as Microsoft's DLL and Wine's list them first), then its, a block's
 *                 or an inline site's own locals and parameters, blocks and inline sites
 *                 (record order); a thunk has none; data and publics answer undefined.
 *
 * Every answer comes from the id's record alone (one answerer per id, cached): a local's
 * location is that of the record its id names. An S_DEFRANGE_* id (what the scope lists for a
 * live range, as Microsoft's DLL makes each live range a symbol) answers the S_LOCAL's name,
 * type, DataKind and parent, with the range's location (OFFSET), start (ADDRESS) and length
 * (LENGTH); an S_LOCAL's own id has no location. Data answer no LENGTH (Microsoft's DLL answers
 * FALSE: the length is the type's, TI_GET_TYPE then TI_GET_LENGTH), thread-local data no
 * ADDRESS; a public's SYMNAME is its raw (decorated) name, as both DLLs answer.
 * FuncDebugStart/End points have no record of their own: their ids are those of the stream
 * offsets just past the procedure's (offset + 1, + 2: records are 4-byte aligned).
 *   SYMINDEX      the id; CLASSPARENTID: a member function's class.
 * Compilands and the executable (SymTagCompiland / SymTagExe, the lexical parents of functions,
 * globals and publics) are not modelled: LEXICALPARENT is undefined for those.
 */
import { DataKind, SymFlag, SymTag, TypeInfo } from '../../api/constants';
import type { TypeInfoValue } from '../../api/types';
import type { Cursor } from '../../formats/binary/cursor';
import { isDefRange, readDefRange } from '../../formats/codeview/def-ranges';
import { readFrameProc } from '../../formats/codeview/frame-proc';
import { LocalFlags, LocalKind, readBpRel, readLocal, readRegister, readRegRel } from '../../formats/codeview/local-records';
import { isIdProc, isThreadData, S, SymFamily, symFamily } from '../../formats/codeview/symbol-kinds';
import { readBlock, readConstant, readData, readProc, readPublic } from '../../formats/codeview/symbol-records';
import type { SymbolStream } from '../../formats/pdb/symbol-stream';
import type { LoadedModule } from '../loaded-module';
import { SYMBOL_ID_BASE, SYMBOL_ID_LIMIT, type PdbProvider } from '../pdb-provider';
import { pdbOf, type HandlerContext } from './context';
import { inlineSiteFacts } from './inlines';
import { moduleScopes, type RecordPlace } from './module-scopes';
import { scopeChildIds } from './scope';
import { classic, rangeLocation } from './scope-locals';
import { model, moduleFor } from './types';

/** Whether an id is in the symbol range (else it is a type id). */
export function isSymbolId(id: number): boolean {
  return id >= SYMBOL_ID_BASE && id < SYMBOL_ID_LIMIT;
}

/** What a symbol id answers, decoded once from its record. */
interface Facts {
  tag: number;
  name?: string;
  /** The record's type index (answered as an id: canonical). */
  type?: number;
  /** Explicit length (code, blocks, live ranges). */
  length?: number;
  address?: bigint;
  dataKind?: number;
  /** Register-relative offset of a REGREL local. */
  offset?: number;
  value?: bigint;
  parent?: number;
  /** A scope with children: DBI module, its procedure and the scope record itself. */
  scope?: { mod: number; proc: number; target: number };
  /** A procedure: ids of its FuncDebugStart/End points, listed first among its children. */
  points?: number[];
}

/** DBI module index by symbol stream number (per PDB, built once). */
function moduleOfStream(p: PdbProvider, stream: number): number {
  const map = p.memo('symbols.streams', () => {
    const m = new Map<number, number>();
    for (const info of p.pdb.modules()) if (!m.has(info.symStream)) m.set(info.symStream, info.index);
    return m;
  });
  return map.get(stream) ?? -1;
}

function va(m: LoadedModule, p: PdbProvider, section: number, offset: number): bigint | undefined {
  const pdbRva = p.sectionOffsetToPdbRva(section, offset);
  return pdbRva === undefined ? undefined : m.base + BigInt(p.toImageRva(pdbRva));
}

/** A datum of the globals' records, a module's top level, or a static local (inside a procedure). */
function dataFacts(m: LoadedModule, p: PdbProvider, kind: number, data: Cursor, parent?: number): Facts {
  const d = readData(data);
  const global = kind === S.GDATA32 || kind === S.GTHREAD32 || kind === S.GMANDATA;
  const dataKind = parent !== undefined ? DataKind.StaticLocal : global ? DataKind.Global : DataKind.FileStatic;
  const address = isThreadData(kind) ? undefined : va(m, p, d.segment, d.offset);
  return { tag: SymTag.Data, name: d.name, type: d.typeIndex, address, dataKind, parent };
}

/** A module stream's local records: S_LOCAL, its S_DEFRANGE_*s, classic records, constants. */
function localFacts(m: LoadedModule, p: PdbProvider, symbols: SymbolStream, kind: number, data: Cursor, at: RecordPlace, parent: number | undefined): Facts | undefined {
  const machine = m.info.machineType;
  const frame = () => (at.frameProc ? readFrameProc(symbols.recordAt(at.frameProc).data) : undefined);
  if (isDefRange(kind)) {
    if (!at.local) return undefined;
    const l = readLocal(symbols.recordAt(at.local).data);
    const param = (l.flags & LocalFlags.IS_PARAM) !== 0;
    const r = readDefRange(kind, data);
    const loc = rangeLocation(r, param, frame(), machine);
    if (!loc) return undefined;
    const procLength = at.proc ? readProc(symbols.recordAt(at.proc).data).length : undefined;
    return {
      tag: SymTag.Data,
      name: l.name,
      type: l.typeIndex,
      dataKind: param ? DataKind.Param : DataKind.Local,
      parent,
      offset: loc.flags & SymFlag.REGREL ? loc.offset : undefined,
      length: r.range ? r.range.length : procLength,
      address: r.range ? va(m, p, r.range.section, r.range.offset) : undefined,
    };
  }
  switch (kind) {
    case LocalKind.LOCAL: {
      const l = readLocal(data);
      return { tag: SymTag.Data, name: l.name, type: l.typeIndex, dataKind: l.flags & LocalFlags.IS_PARAM ? DataKind.Param : DataKind.Local, parent };
    }
    case LocalKind.REGREL32:
    case LocalKind.BPREL32:
    case LocalKind.REGISTER: {
      const r = kind === LocalKind.REGREL32 ? readRegRel(data) : kind === LocalKind.BPREL32 ? { ...readBpRel(data), register: 0 } : { ...readRegister(data), offset: 0 };
      const c = classic(kind, r.offset, r.register, frame(), machine);
      return { tag: SymTag.Data, name: r.name, type: r.typeIndex, dataKind: c.param ? DataKind.Param : DataKind.Local, parent, offset: c.loc.flags & SymFlag.REGREL ? c.loc.offset : undefined };
    }
  }
  if (symFamily(kind) === SymFamily.Constant) {
    const k = readConstant(data);
    return { tag: SymTag.Data, name: k.name, type: k.typeIndex, value: k.value, dataKind: DataKind.Constant, parent };
  }
  return undefined;
}

/** A record of a module stream (procedures, thunks, blocks, sites, data, locals). */
function moduleFacts(m: LoadedModule, p: PdbProvider, stream: number, offset: number, options: number): Facts | undefined {
  const mod = moduleOfStream(p, stream);
  const symbols = mod < 0 ? undefined : p.pdb.moduleSymbols(mod)?.symbols;
  if (!symbols) return undefined;
  const debugPoint = offset % 4;
  const record = offset - debugPoint;
  const { kind, data } = symbols.recordAt(record);
  const fam = symFamily(kind);
  if (debugPoint) {
    // FuncDebugStart (+1) / FuncDebugEnd (+2) of the procedure at `record`.
    if (fam !== SymFamily.Proc || debugPoint > 2) return undefined;
    const proc = readProc(data);
    return {
      tag: debugPoint === 1 ? SymTag.FuncDebugStart : SymTag.FuncDebugEnd,
      address: va(m, p, proc.segment, proc.offset + (debugPoint === 1 ? proc.dbgStart : proc.dbgEnd)),
      parent: p.id(stream, record),
    };
  }
  const at = moduleScopes(p, mod, symbols).place(record);
  const parent = at?.scope ? p.id(stream, at.scope) : undefined;
  switch (fam) {
    case SymFamily.Proc: {
      const s = p.moduleSymbol(mod, record, { options });
      if (!s) return undefined;
      const raw = readProc(data).typeIndex;
      // *_ID procedures name an LF_FUNC_ID item; its function type is the symbol's type.
      const type = isIdProc(kind) ? p.pdb.ipi()?.functionType(raw) : raw;
      const points = [p.id(stream, record + 1), p.id(stream, record + 2)];
      return { tag: SymTag.Function, name: s.name, type, length: s.size, address: m.base + BigInt(s.rva), scope: { mod, proc: record, target: record }, points };
    }
    case SymFamily.Thunk:
    case SymFamily.Trampoline: {
      const s = p.moduleSymbol(mod, record, { options });
      return s && { tag: SymTag.Thunk, name: s.name, length: s.size, address: m.base + BigInt(s.rva) };
    }
    case SymFamily.Block: {
      const b = readBlock(data);
      return { tag: SymTag.Block, name: b.name || undefined, length: b.length, address: va(m, p, b.segment, b.offset), parent, scope: at?.proc ? { mod, proc: at.proc, target: record } : undefined };
    }
    case SymFamily.Inline: {
      const site = inlineSiteFacts(p, mod, record, kind, data);
      const address = site.start === undefined ? undefined : m.base + BigInt(p.toImageRva(site.start));
      return { tag: SymTag.InlineSite, name: site.name, type: site.typeIndex, address, parent, scope: at?.proc ? { mod, proc: at.proc, target: record } : undefined };
    }
    case SymFamily.Data:
      return dataFacts(m, p, kind, data, at?.proc ? parent : undefined);
    default:
      return at ? localFacts(m, p, symbols, kind, data, at, parent) : undefined;
  }
}

function describe(m: LoadedModule, p: PdbProvider, id: number, options: number): Facts | undefined {
  const at = p.idRecord(id);
  if (!at) return undefined;
  if (at.stream !== (p.pdb.dbi?.symRecordStream ?? -1)) return moduleFacts(m, p, at.stream, at.offset, options);
  // The globals' and publics' records.
  const { kind, data } = p.pdb.symbolRecords().recordAt(at.offset);
  const fam = symFamily(kind);
  if (kind === S.PUB32) {
    const pub = readPublic(data);
    return { tag: SymTag.PublicSymbol, name: pub.name, address: va(m, p, pub.segment, pub.offset) };
  }
  if (fam === SymFamily.Data) return dataFacts(m, p, kind, data);
  if (fam === SymFamily.Constant) {
    const k = readConstant(data);
    return { tag: SymTag.Data, name: k.name, type: k.typeIndex, value: k.value, dataKind: DataKind.Constant };
  }
  return undefined;
}

/** The answerer of an id: its facts, decoded on first use and kept (per options: names). */
function factsOf(m: LoadedModule, p: PdbProvider, id: number, options: number): Facts | undefined {
  const cache = p.memo('symbols.answers', () => new Map<string, Facts | null>());
  const key = `${id}:${options}`;
  let f = cache.get(key);
  if (f === undefined) {
    f = describe(m, p, id, options) ?? null;
    if (cache.size > 4096) cache.clear();
    cache.set(key, f);
  }
  return f ?? undefined;
}

function asNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** SymGetTypeInfo on a symbol id (isSymbolId): undefined where DbgHelp answers FALSE. */
export function symbolTypeInfo(h: HandlerContext, base: bigint, id: number, request: number): TypeInfoValue | undefined {
  const m = moduleFor(h, base, 'getTypeInfo');
  const p = pdbOf(m);
  if (!p) return undefined;
  const f = factsOf(m, p, id, h.options);
  if (!f) return undefined;
  const typeId = () => (f.type ? model(p).canonical(f.type) : undefined);
  switch (request) {
    case TypeInfo.GET_SYMTAG:
      return f.tag;
    case TypeInfo.GET_SYMNAME:
      return f.name;
    case TypeInfo.GET_TYPE:
    case TypeInfo.GET_TYPEID:
      return typeId();
    case TypeInfo.GET_LENGTH:
      return f.length === undefined ? undefined : BigInt(f.length);
    case TypeInfo.GET_ADDRESS:
      return f.address;
    case TypeInfo.GET_DATAKIND:
      return f.dataKind;
    case TypeInfo.GET_OFFSET:
      // A DWORD, as SymGetTypeInfo writes it: negative offsets come back as 2^32 - n.
      return f.offset === undefined ? undefined : f.offset >>> 0;
    case TypeInfo.GET_VALUE:
      return f.value === undefined ? undefined : asNumber(f.value);
    case TypeInfo.GET_LEXICALPARENT:
      return f.parent;
    case TypeInfo.GET_CHILDRENCOUNT:
    case TypeInfo.FINDCHILDREN: {
      let ids: number[] | undefined;
      if (f.scope) ids = [...(f.points ?? []), ...scopeChildIds(p, f.scope.mod, f.scope.proc, f.scope.target, h.options)];
      else if (f.tag === SymTag.Thunk) ids = [];
      if (!ids) return undefined;
      return request === TypeInfo.FINDCHILDREN ? ids : ids.length;
    }
    case TypeInfo.GET_SYMINDEX:
      return id;
    case TypeInfo.GET_CLASSPARENTID: {
      const t = f.tag === SymTag.Function ? typeId() : undefined;
      return t ? model(p).info(t, TypeInfo.GET_CLASSPARENTID) : undefined;
    }
    default:
      return undefined;
  }
}
