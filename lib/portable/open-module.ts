/**
 * SymLoadModuleEx for the portable backend: open an image (and find its PDB) or a PDB alone,
 * and describe the result as IMAGEHLP_MODULE64.
 *
 * An image's PDB is tried, in order: the PDB the caller named; the path in the image's
 * CodeView record; that file name in each directory of the search path; then in the image's
 * directory. A PDB whose GUID (or NB10 signature) and DBI age differ from the image's is not
 * used (SYMOPT_LOAD_ANYTHING overrides), and the module falls back to the image's exports
 * with pdbUnmatched set. A /DEBUG:FASTLINK PDB is refused with an error saying why.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymOpt, SymType } from '../api/constants';
import { DbgHelpError } from '../api/errors';
import type { LoadModuleOptions, ModuleInfo } from '../api/types';
import { badFormat } from '../api/errors';
import { FileSource, type ByteSource } from '../formats/binary/source';
import { MSF7_MAGIC, MSF2_MAGIC_PREFIX } from '../formats/msf/superblock';
import type { CodeViewRecord } from '../formats/pe/debug-directory';
import { PeImage } from '../formats/pe/pe-image';
import { PdbFile, STREAM_TPI } from '../formats/pdb/pdb-file';
import { ExportProvider } from './export-provider';
import { LoadedModule } from './loaded-module';
import { PdbProvider } from './pdb-provider';
import type { SymbolProvider } from './provider';

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
/** Base DbgHelp needs for a PDB loaded alone when the caller gives no size. */
const DEFAULT_PDB_ONLY_SIZE = 0x10000000;

export interface OpenContext {
  options: number;
  /** Directories of the search path (already split). */
  searchDirs: string[];
  debug(line: string): void;
  signal?: AbortSignal;
}

type FileKind = 'pe' | 'pdb';

function sniff(src: ByteSource): FileKind {
  const n = Math.min(src.size, 64);
  const head = src.read(0, n);
  if (n >= 2 && head[0] === 0x4d && head[1] === 0x5a) return 'pe';
  const text = String.fromCharCode(...head.subarray(0, Math.min(n, 40)));
  if (text.startsWith(MSF7_MAGIC.slice(0, 24)) || text.startsWith(MSF2_MAGIC_PREFIX.slice(0, 24))) return 'pdb';
  throw badFormat(src.name, 0, 'neither a PE image (no MZ signature) nor a PDB (no MSF signature)');
}

export function moduleNameOf(file: string): string {
  const base = path.basename(file.replace(/\\/g, '/'));
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export function openModule(file: string, opts: LoadModuleOptions, ctx: OpenContext): LoadedModule {
  const src = FileSource.open(file);
  let kind: FileKind;
  try {
    kind = sniff(src);
  } catch (e) {
    src.close();
    throw e;
  }
  return kind === 'pe' ? openImage(src, opts, ctx) : openPdbAlone(src, opts, ctx);
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
    rejectFastLink(pdb);
    const sections = pdb.sectionHeaders();
    // A loop, not Math.max(...spread): the section header stream is as long as the file says.
    let derived = 0;
    for (const s of sections ?? []) derived = Math.max(derived, s.virtualAddress + Math.max(s.virtualSize, s.sizeOfRawData));
    const size = opts.size ?? (derived || DEFAULT_PDB_ONLY_SIZE);
    const name = opts.moduleName ?? moduleNameOf(src.name);
    const provider = new PdbProvider(pdb, undefined, pdb.machine);
    ctx.debug(`DBGHELP: ${name} - private symbols & lines \r\n        ${src.name}`);
    const info = baseInfo(opts.baseAddress, size, name, src.name);
    Object.assign(info, pdbFacts(pdb), {
      symType: SymType.Pdb,
      loadedPdbName: src.name,
      pdbSig70: pdb.info.guid,
      pdbAge: pdb.matchAge,
      machineType: pdb.machine,
    });
    return new LoadedModule(opts.baseAddress, size, name, provider, info);
  } catch (e) {
    pdb.close();
    throw e;
  }
}

function openImage(src: ByteSource, opts: LoadModuleOptions, ctx: OpenContext): LoadedModule {
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

    const found = findPdb(src.name, image, cv, opts, ctx, info);
    let provider: SymbolProvider;
    if (found) {
      provider = new PdbProvider(found, image.sections, image.machine);
      Object.assign(info, pdbFacts(found), { symType: SymType.Pdb, loadedPdbName: found.name, pdbUnmatched: false });
      ctx.debug(`DBGHELP: ${name} - private symbols & lines \r\n        ${found.name}`);
    } else {
      const exp = new ExportProvider(image.exports(), image.machine);
      provider = exp;
      Object.assign(info, { symType: exp.symType, numSyms: exp.count });
      ctx.debug(`DBGHELP: ${name} - ${exp.count ? 'export symbols' : 'no symbols loaded'}`);
    }
    image.close();
    return new LoadedModule(base, size, name, provider, info);
  } catch (e) {
    image.close();
    throw e;
  }
}

function findPdb(
  imagePath: string,
  image: PeImage,
  cv: CodeViewRecord | undefined,
  opts: LoadModuleOptions,
  ctx: OpenContext,
  info: ModuleInfo,
): PdbFile | undefined {
  const loadAnything = (ctx.options & SymOpt.LOAD_ANYTHING) !== 0;
  if (opts.pdbPath) {
    const pdb = PdbFile.open(opts.pdbPath);
    try {
      rejectFastLink(pdb);
      const why = mismatch(pdb, cv);
      if (why && !loadAnything) {
        throw new DbgHelpError('PDB_MISMATCH', `${opts.pdbPath} does not match ${imagePath}: ${why}`, { file: opts.pdbPath });
      }
      return pdb;
    } catch (e) {
      pdb.close();
      throw e;
    }
  }
  if (!cv && !loadAnything) return undefined;
  const pdbName = cv ? path.win32.basename(cv.pdbPath) : `${moduleNameOf(imagePath)}.pdb`;
  const candidates: string[] = [];
  if (cv && !(ctx.options & SymOpt.IGNORE_CVREC)) candidates.push(cv.pdbPath);
  for (const dir of ctx.searchDirs) candidates.push(path.join(dir, pdbName));
  candidates.push(path.join(path.dirname(imagePath), pdbName));
  const tried = new Set<string>();
  for (const c of candidates) {
    if (ctx.signal?.aborted) throw new DbgHelpError('ABORTED', `loading ${imagePath} was cancelled`, { cause: ctx.signal.reason });
    const p = path.resolve(c);
    if (tried.has(p)) continue;
    tried.add(p);
    if (!isFile(p)) {
      ctx.debug(`DBGHELP: ${c} - file not found`);
      continue;
    }
    const pdb = PdbFile.open(p);
    try {
      rejectFastLink(pdb);
      const why = mismatch(pdb, cv);
      if (why && !loadAnything) {
        ctx.debug(`DBGHELP: ${c} - mismatched pdb (${why})`);
        info.pdbUnmatched = true;
        pdb.close();
        continue;
      }
      return pdb;
    } catch (e) {
      pdb.close();
      throw e;
    }
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
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

function rejectFastLink(pdb: PdbFile): void {
  if (pdb.info.fastLink) {
    throw new DbgHelpError(
      'UNSUPPORTED',
      `${pdb.name} was linked with /DEBUG:FASTLINK: its symbols stay in the object files, which this reader does not open; relink with /DEBUG:FULL`,
      { file: pdb.name },
    );
  }
}

function pdbFacts(pdb: PdbFile): Partial<ModuleInfo> {
  const mods = pdb.modules();
  return {
    lineNumbers: mods.some((m) => m.c13ByteSize > 0 || m.c11ByteSize > 0),
    globalSymbols: pdb.dbi !== undefined && pdb.dbi.globalStreamIndex !== 0xffff && !pdb.isStripped,
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
