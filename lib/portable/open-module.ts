/**
 * SymLoadModuleEx for the portable backend: open an image (and find its PDB) or a PDB alone,
 * and describe the result as IMAGEHLP_MODULE64.
 *
 * An image's PDB is the one the caller named (`pdbPath`), else the one the symbol search finds
 * (lib/symsrv/search.ts): the path in the image's CodeView record, then every element of the
 * search path (directories, `cache*` and `srv*` stores, which may copy or download it), then the
 * image's directory. A PDB whose GUID (or NB10 signature) and DBI age differ from the image's is
 * not used (SYMOPT_LOAD_ANYTHING overrides): the search goes on, and if nothing matches the
 * module falls back to the image's exports (not under SYMOPT_EXACT_SYMBOLS), its ModuleStatus
 * `mismatched`. pdbUnmatched is Microsoft's: set when the PDB in use does not match (loaded
 * anyway, or alone), not for one skipped. A /DEBUG:FASTLINK PDB is loaded as dbghelp.dll loads it: its publics and C13 lines
 * answer by address (pdb-provider.ts); enumerating its symbols fails.
 */
import { SymOpt, SymType } from '../api/constants';
import { DbgHelpError } from '../api/errors';
import type { LoadModuleOptions, ModuleInfo, SymbolServerOptions } from '../api/types';
import { badFormat } from '../api/errors';
import { FileSource, type ByteSource } from '../formats/binary/source';
import { MSF7_MAGIC, MSF2_MAGIC_PREFIX } from '../formats/msf/superblock';
import type { CodeViewRecord } from '../formats/pe/debug-directory';
import { PeImage } from '../formats/pe/pe-image';
import { PdbFile, STREAM_TPI } from '../formats/pdb/pdb-file';
import { LoadedModule } from './loaded-module';
import { PdbProvider } from './pdb-provider';
import type { SymbolProvider } from './provider';
import { searchFile } from '../symsrv/search';
import type { FetchProgress } from '../symsrv/store';
import type { FileIdentity } from '../symsrv/identify';
import { baseName, dirName, extensionOf } from '../symsrv/paths';
import { attachStatus, type ModuleStatus } from '../api/module-status';
import { imageKey } from '../symsrv/keys';
import { pdbIdentity, SearchObserver, wantedPdb } from './load-status';
import { lazy } from '../lazy';

/** The export table's provider, required when a module has no PDB (lib/lazy.ts). */
const exportProvider = lazy(() => require('./export-provider') as typeof import('./export-provider'));

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
/** Base DbgHelp needs for a PDB loaded alone when the caller gives no size. */
const DEFAULT_PDB_ONLY_SIZE = 0x10000000;

export interface OpenContext {
  options: number;
  /** The handler's search path (SymGetSearchPath's answer). */
  searchPath: string;
  /** SymGetHomeDirectory (the default downstream store is `<home>/sym`). */
  homeDirectory: string;
  /** The handler's HTTP symbol-server settings. */
  symbolServer?: SymbolServerOptions;
  debug(line: string): void;
  signal?: AbortSignal;
  onProgress?(p: FetchProgress): void;
}

type FileKind = 'pe' | 'pdb' | 'sym';

function sniff(src: ByteSource): FileKind {
  const n = Math.min(src.size, 64);
  const head = src.read(0, n);
  if (n >= 2 && head[0] === 0x4d && head[1] === 0x5a) return 'pe';
  const text = String.fromCharCode(...head.subarray(0, Math.min(n, 40)));
  if (text.startsWith(MSF7_MAGIC.slice(0, 24)) || text.startsWith(MSF2_MAGIC_PREFIX.slice(0, 24))) return 'pdb';
  if (text.startsWith('MODULE ')) return 'sym';
  throw badFormat(src.name, 0, 'neither a PE image (no MZ signature), a PDB (no MSF signature) nor a Breakpad .sym (no MODULE line)');
}

export function moduleNameOf(file: string): string {
  const base = baseName(file);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export async function openModule(file: string, opts: LoadModuleOptions, ctx: OpenContext): Promise<LoadedModule> {
  const src = FileSource.open(file);
  let kind: FileKind;
  try {
    kind = sniff(src);
  } catch (e) {
    src.close();
    throw e;
  }
  if (kind === 'sym') {
    src.close();
    return openBreakpadSymbols(file, opts, ctx);
  }
  return kind === 'pe' ? openImage(src, opts, ctx) : openPdbAlone(src, opts, ctx);
}

/**
 * A Breakpad .sym loaded as a module's symbols (SymType SymSym): FUNC, line, PUBLIC and INLINE
 * records answer fromAddr, lines and inline frames (lib/breakpad/symbol-source.ts). Like a PDB
 * alone, it needs the base the module was loaded at. Read streamed (bounded memory).
 */
async function openBreakpadSymbols(file: string, opts: LoadModuleOptions, ctx: OpenContext): Promise<LoadedModule> {
  if (opts.baseAddress === undefined || opts.baseAddress === 0n) {
    throw new DbgHelpError('INVALID_PARAMETER', `${file}: loading a Breakpad .sym needs a baseAddress (SymLoadModuleEx's BaseOfDll)`);
  }
  const { BreakpadProvider, openBreakpadSymbols } = require('../breakpad/symbol-source') as typeof import('../breakpad/symbol-source');
  const symbols = await openBreakpadSymbols(file, { signal: opts.signal });
  const m = symbols.module;
  const name = opts.moduleName ?? moduleNameOf(m.name || file);
  const size = opts.size ?? DEFAULT_PDB_ONLY_SIZE;
  ctx.debug(`DBGHELP: ${name} - Breakpad symbols`);
  ctx.debug(`        ${file}`);
  const info = baseInfo(opts.baseAddress, size, name, file);
  const guid = /^[0-9A-F]{33,}$/i.test(m.id)
    ? m.id
        .slice(0, 32)
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')
        .toUpperCase()
    : ZERO_GUID;
  Object.assign(info, {
    symType: SymType.Sym,
    loadedPdbName: file,
    pdbSig70: guid,
    pdbAge: guid === ZERO_GUID ? 0 : parseInt(m.id.slice(32), 16),
    lineNumbers: true,
    publics: true,
    globalSymbols: true,
    machineType: ({ x86: 0x14c, x86_64: 0x8664, arm64: 0xaa64 } as Record<string, number>)[m.arch] ?? 0,
  });
  const mod = new LoadedModule(opts.baseAddress, size, name, new BreakpadProvider(symbols), info);
  mod.status = { kind: 'loaded', source: 'breakpad', symbolFile: file };
  return mod;
}

function openPdbAlone(src: ByteSource, opts: LoadModuleOptions, ctx: OpenContext): LoadedModule {
  let pdb: PdbFile;
  try {
    pdb = new PdbFile(src);
  } catch (e) {
    src.close();
    throw e;
  }
  try {
    if (opts.baseAddress === undefined || opts.baseAddress === 0n) {
      throw new DbgHelpError('INVALID_PARAMETER', `${src.name}: loading a PDB without its image needs a baseAddress (SymLoadModuleEx's BaseOfDll)`);
    }
    rejectTypesOnly(pdb);
    const sections = pdb.sectionHeaders();
    // A loop, not Math.max(...spread): the section header stream is as long as the file says.
    let derived = 0;
    for (const s of sections ?? []) derived = Math.max(derived, s.virtualAddress + Math.max(s.virtualSize, s.sizeOfRawData));
    const size = opts.size ?? (derived || DEFAULT_PDB_ONLY_SIZE);
    const name = opts.moduleName ?? moduleNameOf(src.name);
    const provider = new PdbProvider(pdb, undefined, pdb.machine);
    symbolsLine(ctx, name, pdb, src.name);
    const info = baseInfo(opts.baseAddress, size, name, src.name);
    Object.assign(info, pdbFacts(pdb), {
      symType: SymType.Pdb,
      loadedPdbName: src.name,
      pdbSig70: pdb.info.guid,
      pdbAge: pdb.matchAge,
      machineType: pdb.machine,
      // Microsoft's dbghelp.dll: a PDB in use that no image matched.
      pdbUnmatched: true,
    });
    const mod = new LoadedModule(opts.baseAddress, size, name, provider, info);
    mod.status = { kind: 'loaded', source: 'pdb', symbolFile: src.name };
    return mod;
  } catch (e) {
    pdb.close();
    throw e;
  }
}

async function openImage(src: ByteSource, opts: LoadModuleOptions, ctx: OpenContext): Promise<LoadedModule> {
  let image: PeImage;
  try {
    image = PeImage.fromSource(src);
  } catch (e) {
    src.close();
    throw e;
  }
  try {
    const base = opts.baseAddress && opts.baseAddress !== 0n ? opts.baseAddress : image.imageBase;
    const size = opts.size ?? image.sizeOfImage;
    const name = opts.moduleName ?? moduleNameOf(src.name);
    const cv = image.codeView();
    const info = baseInfo(base, size, name, src.name);
    Object.assign(info, {
      timeDateStamp: image.timeDateStamp,
      checkSum: image.checkSum,
      machineType: image.machine,
      cvSig: cv ? (cv.signature === 'RSDS' ? 0x53445352 : 0x3031424e) : 0,
      cvData: cv?.pdbPath ?? '',
      pdbSig70: cv?.signature === 'RSDS' ? cv.guid : ZERO_GUID,
      pdbAge: cv?.age ?? 0,
    });

    const codeId = imageKey(image.timeDateStamp, image.sizeOfImage);
    const search = await findPdb(src.name, cv, opts, ctx, codeId);
    const found = search.pdb;
    let provider: SymbolProvider;
    if (found) {
      provider = new PdbProvider(found, image.sections, image.machine);
      // PdbUnmatched: the PDB in use does not match the image (SYMOPT_LOAD_ANYTHING); a
      // mismatched PDB that was skipped leaves it FALSE (Microsoft's dbghelp.dll: the search
      // logs it, ModuleStatus says `mismatched`).
      Object.assign(info, pdbFacts(found), { symType: SymType.Pdb, loadedPdbName: found.name, pdbUnmatched: mismatch(found, cv) !== undefined });
      symbolsLine(ctx, name, found, found.name);
    } else {
      // SYMOPT_EXACT_SYMBOLS: "do not load export symbols if all else fails".
      const exact = (ctx.options & SymOpt.EXACT_SYMBOLS) !== 0;
      const exp = new (exportProvider().ExportProvider)(exact ? undefined : image.exports(), image.machine);
      provider = exp;
      Object.assign(info, { symType: exp.symType, numSyms: exp.count });
      ctx.debug(`DBGHELP: ${name} - ${exp.count ? 'export symbols' : 'no symbols loaded'}`);
    }
    image.close();
    const mod = new LoadedModule(base, size, name, provider, info);
    mod.status = found ? { kind: 'loaded', source: 'pdb', symbolFile: found.name, imageFile: src.name } : search.status;
    return mod;
  } catch (e) {
    image.close();
    throw e;
  }
}

async function findPdb(imagePath: string, cv: CodeViewRecord | undefined, opts: LoadModuleOptions, ctx: OpenContext, codeId: string): Promise<{ pdb?: PdbFile; status: ModuleStatus }> {
  const loadAnything = (ctx.options & SymOpt.LOAD_ANYTHING) !== 0;
  const exportsOnly: ModuleStatus = { kind: 'loaded', source: 'exports', imageFile: imagePath };
  if (opts.pdbPath) {
    const pdb = PdbFile.open(opts.pdbPath);
    try {
      rejectTypesOnly(pdb);
      const why = mismatch(pdb, cv);
      if (why && !loadAnything) {
        const err = new DbgHelpError('PDB_MISMATCH', `${opts.pdbPath} does not match ${imagePath}: ${why}`, { file: opts.pdbPath });
        throw attachStatus(err, { kind: 'mismatched', wanted: wantedPdb(baseName(cv?.pdbPath ?? '') || baseName(opts.pdbPath), cv, codeId), found: pdbIdentity(opts.pdbPath) });
      }
      return { pdb, status: exportsOnly };
    } catch (e) {
      pdb.close();
      throw e;
    }
  }
  if (!cv && !loadAnything) return { status: exportsOnly };
  const identity: FileIdentity = !cv ? { kind: 'any' } : cv.signature === 'RSDS' ? { kind: 'pdb70', guid: cv.guid, age: cv.age } : { kind: 'pdb20', signature: cv.timestamp, age: cv.age };
  const fileName = cv && baseName(cv.pdbPath) ? baseName(cv.pdbPath) : `${moduleNameOf(imagePath)}.pdb`;
  const seen = new SearchObserver();
  // The PDBs the search opened to check (the one found is loaded from its open file: no
  // second open of a big PDB's stream directory); the others are closed.
  const checked = new Map<string, PdbFile>();
  let found: string | undefined;
  let pdb: PdbFile | undefined;
  try {
    found = await searchFile(
      ctx.searchPath,
      {
        fileName,
        identity,
        subdir: extensionOf(imagePath) || undefined,
        first: cv && cv.pdbPath && !(ctx.options & SymOpt.IGNORE_CVREC) ? [cv.pdbPath] : [],
        imageDir: dirName(imagePath) || '.',
        ...seen.callbacks,
        keepPdb: (file, opened) => {
          checked.get(file)?.close();
          checked.set(file, opened);
        },
      },
      { options: ctx.options, homeDirectory: ctx.homeDirectory, debug: ctx.debug, signal: ctx.signal, onProgress: ctx.onProgress, symbolServer: ctx.symbolServer },
    );
    pdb = found === undefined ? undefined : checked.get(found);
  } finally {
    for (const other of checked.values()) if (other !== pdb) other.close();
  }
  if (!found) return { status: seen.missing(wantedPdb(fileName, cv, codeId)) };
  pdb ??= PdbFile.open(found);
  try {
    rejectTypesOnly(pdb);
    return { pdb, status: exportsOnly };
  } catch (e) {
    pdb.close();
    throw e;
  }
}

/** DbgHelp's closing line for a module with a PDB, then the PDB's path on its own line. */
function symbolsLine(ctx: OpenContext, name: string, pdb: PdbFile, file: string): void {
  ctx.debug(`DBGHELP: ${name} - ${pdb.isStripped ? 'public symbols' : 'private symbols & lines'}`);
  ctx.debug(`        ${file}`);
}

/** Why a PDB does not match the image's CodeView record, or undefined when it does. */
export function mismatch(pdb: PdbFile, cv: CodeViewRecord | undefined): string | undefined {
  if (!cv) return 'the image has no CodeView record';
  if (cv.signature === 'RSDS') {
    if (cv.guid !== pdb.info.guid) return `GUID ${pdb.info.guid} is not the image's ${cv.guid}`;
  } else if (cv.timestamp !== pdb.info.signature) {
    return `signature ${pdb.info.signature.toString(16)} is not the image's ${cv.timestamp.toString(16)}`;
  }
  if (cv.age !== pdb.matchAge) return `age ${pdb.matchAge} is not the image's ${cv.age}`;
  return undefined;
}

/**
 * A PDB without a DBI stream is what the compiler writes alone (cl /Zi's vc140.pdb, /Fd):
 * types and ids only, no modules, symbols, publics or lines. Its identity reads (`info`), but
 * there is nothing to answer addresses with.
 */
function rejectTypesOnly(pdb: PdbFile): void {
  if (!pdb.dbi) {
    throw new DbgHelpError(
      'UNSUPPORTED',
      `${pdb.name} has no DBI stream: it holds types only, as the compiler writes it (cl /Zi, /Fd) before linking; its symbols are in the PDB the linker writes (/DEBUG)`,
      { file: pdb.name },
    );
  }
}

function pdbFacts(pdb: PdbFile): Partial<ModuleInfo> {
  const mods = pdb.modules();
  return {
    lineNumbers: mods.some((m) => m.c13ByteSize > 0 || m.c11ByteSize > 0),
    // A /DEBUG:FASTLINK PDB holds publics and lines only (dbghelp.dll: globalSymbols 0).
    globalSymbols: pdb.dbi !== undefined && pdb.dbi.globalStreamIndex !== 0xffff && !pdb.isStripped && !pdb.info.fastLink,
    typeInfo: (pdb.msf.streamSize(STREAM_TPI) ?? 0) > 56,
    sourceIndexed: pdb.info.namedStreams.has('srcsrv'),
    publics: pdb.dbi !== undefined && pdb.dbi.publicStreamIndex !== 0xffff,
  };
}

function baseInfo(base: bigint, size: number, name: string, file: string): ModuleInfo {
  return {
    baseOfImage: base,
    imageSize: size,
    timeDateStamp: 0,
    checkSum: 0,
    numSyms: 0,
    symType: SymType.None,
    moduleName: name,
    imageName: file,
    loadedImageName: file,
    loadedPdbName: '',
    cvSig: 0,
    cvData: '',
    pdbSig70: ZERO_GUID,
    pdbAge: 0,
    pdbUnmatched: false,
    dbgUnmatched: false,
    lineNumbers: false,
    globalSymbols: false,
    typeInfo: false,
    sourceIndexed: false,
    publics: false,
    machineType: 0,
  };
}
