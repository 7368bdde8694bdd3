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
 *   SYMNAME       as SYMBOL_INFO.Name    name                                            shown    -       inlinee
 *   TYPE(ID)      function type          its type (an id, modifiers resolved)            -        -       function type
 *   LENGTH        code bytes             its type's length                               -        bytes   -
 *   ADDRESS       VA                     VA (globals, statics; TLS: offset)              VA       VA      first range
 *   DATAKIND      -                      Global/FileStatic/StaticLocal/Local/Param/Const -        -       -
 *   OFFSET        -                      register-relative offset (REGREL/FRAMEREL)      -        -       -
 *   VALUE         -                      constants                                       -        -       -
 *   LEXICALPARENT -                      locals: their procedure, block or inline site   -        parent  parent
 *   CHILDRENCOUNT, FINDCHILDREN: a function's, block's or inline site's own locals and
 *                 parameters, blocks and inline sites (record order); a thunk has none; data
 *                 and publics answer undefined (Wine: FALSE).
 *   SYMINDEX      the id; CLASSPARENTID: a member function's class.
 * Compilands and the executable (SymTagCompiland / SymTagExe, the lexical parents of functions,
 * globals and publics) are not modelled: LEXICALPARENT is undefined for those.
 */
import { DataKind, SymFlag, SymOpt, SymTag, TypeInfo } from '../../api/constants';
import type { TypeInfoValue } from '../../api/types';
import type { Cursor } from '../../formats/binary/cursor';
import { readBlock, readConstant, readData, readProc, readPublic } from '../../formats/codeview/symbol-records';
import { isIdProc, isThreadData, S, SymFamily, symFamily } from '../../formats/codeview/symbol-kinds';
import { LocalFlags, LocalKind, readBpRel, readLocal, readRegister, readRegRel } from '../../formats/codeview/local-records';
import { DisplayNames } from '../display-name';
import type { LoadedModule } from '../loaded-module';
import { SYMBOL_ID_BASE, SYMBOL_ID_LIMIT, type PdbProvider } from '../pdb-provider';
import { pdbOf, type HandlerContext } from './context';
import { inlineSiteFacts } from './inlines';
import { enclosingProc, localFacts, scopeChildIds } from './scope';
import { model, moduleFor } from './types';

/** Whether an id is in the symbol range (else it is a type id). */
export function isSymbolId(id: number): boolean {
  return id >= SYMBOL_ID_BASE && id < SYMBOL_ID_LIMIT;
}

/** What a symbol id stands for, decoded from its record. */
interface Facts {
  tag: number;
  name?: string;
  /** The record's type index (answered as an id: canonical). */
  type?: number;
  /** Explicit length (code, blocks); data answer their type's. */
  length?: number;
  address?: bigint;
  dataKind?: number;
  /** Register-relative offset of a REGREL/FRAMEREL local. */
  offset?: number;
  value?: bigint;
  parent?: number;
  /** A scope with children: DBI module, its procedure and the scope record itself. */
  scope?: { mod: number; proc: number; target: number };
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

function displayNames(p: PdbProvider, m: LoadedModule): DisplayNames {
  return p.memo('symbols.names', () => new DisplayNames(m.info.machineType));
}

function va(m: LoadedModule, p: PdbProvider, section: number, offset: number): bigint | undefined {
  const pdbRva = p.sectionOffsetToPdbRva(section, offset);
  return pdbRva === undefined ? undefined : m.base + BigInt(p.toImageRva(pdbRva));
}

/** A datum of the globals' records or a module's top level (or a static local, from the facts). */
function dataFacts(m: LoadedModule, p: PdbProvider, kind: number, data: Cursor, id: number): Facts {
  const d = readData(data);
  const facts = localFacts(p, id);
  const global = kind === S.GDATA32 || kind === S.GTHREAD32 || kind === S.GMANDATA;
  const address = isThreadData(kind) ? BigInt(d.offset) : va(m, p, d.segment, d.offset);
  return { tag: SymTag.Data, name: d.name, type: d.typeIndex, address, dataKind: facts?.dataKind ?? (global ? DataKind.Global : DataKind.FileStatic), parent: facts?.parent };
}

function constantFacts(p: PdbProvider, data: Cursor, id: number): Facts {
  const k = readConstant(data);
  return { tag: SymTag.Data, name: k.name, type: k.typeIndex, value: k.value, dataKind: DataKind.Constant, parent: localFacts(p, id)?.parent };
}

/** S_LOCAL, S_REGREL32, S_BPREL32, S_REGISTER: location and parent from when it was listed. */
function localRecordFacts(p: PdbProvider, kind: number, data: Cursor, id: number): Facts | undefined {
  let name: string;
  let type: number;
  let param = false;
  switch (kind) {
    case LocalKind.LOCAL: {
      const l = readLocal(data);
      ({ name, typeIndex: type } = l);
      param = (l.flags & LocalFlags.IS_PARAM) !== 0;
      break;
    }
    case LocalKind.REGREL32:
      ({ name, typeIndex: type } = readRegRel(data));
      break;
    case LocalKind.BPREL32:
      ({ name, typeIndex: type } = readBpRel(data));
      break;
    case LocalKind.REGISTER:
      ({ name, typeIndex: type } = readRegister(data));
      break;
    default:
      return undefined;
  }
  const f = localFacts(p, id);
  const relative = f !== undefined && (f.flags & (SymFlag.REGREL | SymFlag.FRAMEREL)) !== 0;
  return { tag: SymTag.Data, name, type, dataKind: f?.dataKind ?? (param ? DataKind.Param : DataKind.Local), offset: relative ? f.offset : undefined, parent: f?.parent };
}

function describe(m: LoadedModule, p: PdbProvider, id: number, options: number): Facts | undefined {
  const at = p.idRecord(id);
  if (!at) return undefined;
  const q = { options };
  if (at.stream === (p.pdb.dbi?.symRecordStream ?? -1)) {
    // The globals' and publics' records.
    const { kind, data } = p.pdb.symbolRecords().recordAt(at.offset);
    const fam = symFamily(kind);
    if (kind === S.PUB32) {
      const pub = readPublic(data);
      return { tag: SymTag.PublicSymbol, name: displayNames(p, m).show(pub.name, options), address: va(m, p, pub.segment, pub.offset) };
    }
    if (fam === SymFamily.Data) return dataFacts(m, p, kind, data, id);
    if (fam === SymFamily.Constant) return constantFacts(p, data, id);
    return undefined;
  }
  const mod = moduleOfStream(p, at.stream);
  const symbols = mod < 0 ? undefined : p.pdb.moduleSymbols(mod)?.symbols;
  if (!symbols) return undefined;
  const { kind, data } = symbols.recordAt(at.offset);
  const fam = symFamily(kind);
  const parentId = (parent: number) => (parent === 0 ? undefined : p.id(at.stream, parent));
  switch (fam) {
    case SymFamily.Proc: {
      const s = p.moduleSymbol(mod, at.offset, q);
      if (!s) return undefined;
      const raw = readProc(data).typeIndex;
      // *_ID procedures name an LF_FUNC_ID item; its function type is the symbol's type.
      const type = isIdProc(kind) ? p.pdb.ipi()?.functionType(raw) : raw;
      return { tag: SymTag.Function, name: s.name, type, length: s.size, address: m.base + BigInt(s.rva), scope: { mod, proc: at.offset, target: at.offset } };
    }
    case SymFamily.Thunk:
    case SymFamily.Trampoline: {
      const s = p.moduleSymbol(mod, at.offset, q);
      return s && { tag: SymTag.Thunk, name: s.name, length: s.size, address: m.base + BigInt(s.rva) };
    }
    case SymFamily.Block: {
      const b = readBlock(data);
      const proc = enclosingProc(symbols, at.offset);
      return {
        tag: SymTag.Block,
        name: b.name || undefined,
        length: b.length,
        address: va(m, p, b.segment, b.offset),
        parent: parentId(b.parent),
        scope: proc === undefined ? undefined : { mod, proc, target: at.offset },
      };
    }
    case SymFamily.Inline: {
      const parent = data.u32();
      data.seek(0);
      const site = inlineSiteFacts(p, mod, at.offset, kind, data);
      const proc = enclosingProc(symbols, at.offset);
      return {
        tag: SymTag.InlineSite,
        name: site.name,
        type: site.typeIndex,
        address: site.start === undefined ? undefined : m.base + BigInt(p.toImageRva(site.start)),
        parent: parentId(parent),
        scope: proc === undefined ? undefined : { mod, proc, target: at.offset },
      };
    }
    case SymFamily.Data:
      return dataFacts(m, p, kind, data, id);
    case SymFamily.Constant:
      return constantFacts(p, data, id);
    default:
      return localRecordFacts(p, kind, data, id);
  }
}

function asNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** SymGetTypeInfo on a symbol id (isSymbolId): undefined where DbgHelp answers FALSE. */
export function symbolTypeInfo(h: HandlerContext, base: bigint, id: number, request: number): TypeInfoValue | undefined {
  const m = moduleFor(h, base, 'getTypeInfo');
  const p = pdbOf(m);
  if (!p) return undefined;
  const f = describe(m, p, id, h.options);
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
    case TypeInfo.GET_LENGTH: {
      if (f.length !== undefined) return BigInt(f.length);
      const t = f.tag === SymTag.Data ? typeId() : undefined;
      return t ? model(p).info(t, TypeInfo.GET_LENGTH) : undefined;
    }
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
      if (f.scope) ids = scopeChildIds(p, f.scope.mod, f.scope.proc, f.scope.target, m.info.machineType, h.options & SymOpt.CASE_INSENSITIVE);
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
