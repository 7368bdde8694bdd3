/**
 * One module of a dump: find its image (store key TIMESTAMP+SizeOfImage) and its PDB (GUID+age
 * from the dump's CodeView record) through the search path, load it into the handler at the
 * dump's base, and say why it has the symbols it has (ModuleStatus). Never throws for the
 * module's own trouble: only an abort escapes.
 *
 * Loading: image and PDB found → the image with that PDB; PDB only → the PDB alone at the
 * module's base and size (SymLoadModuleEx of a .pdb with BaseOfDll); image only → the image
 * (exports, or nothing). The handler's own search path is empty while loading (loadDump sets
 * it afterwards), so a load never searches or downloads a second time.
 */
import { DbgHelpError } from '../api/errors';
import type { ModuleStatus, SymbolFileIdentity } from '../api/module-status';
import { SymType } from '../api/constants';
import type { SymbolHandler } from '../handler';
import { searchFile, storeKey, type SearchEnv } from '../symsrv/search';
import type { FileIdentity } from '../symsrv/identify';
import { baseName, dirName, extensionOf } from '../symsrv/paths';
import type { DumpModule } from './dump-module';
import { SearchObserver } from '../portable/load-status';
import { findBreakpadSymbols, openBreakpadSymbols } from '../breakpad/symbol-source';
import { breakpadWalkInfo } from '../stackwalk/breakpad-walk-info';
import { parseSymbolPath, type StoreLocation } from '../symsrv/symbol-path';
import { PeImage } from '../formats/pe/pe-image';
import type { CodeViewRecord } from '../formats/pe/debug-directory';

export interface ModuleLoadContext {
  handler: SymbolHandler;
  searchPath: string;
  /** Search for the image too (else the PDB only). */
  findImages: boolean;
  env: SearchEnv;
}

export async function loadDumpModule(mod: DumpModule, ctx: ModuleLoadContext): Promise<void> {
  const rec = mod.record;
  const imageName = mod.name;
  const imageId: FileIdentity = { kind: 'image', timeDateStamp: rec.timeDateStamp, sizeOfImage: rec.size };
  const wantImage: SymbolFileIdentity = { name: imageName, codeId: rec.codeId };
  const imageTrace = new SearchObserver();
  const imagePath = ctx.findImages ? await searchFile(ctx.searchPath, { fileName: imageName, identity: imageId, mismatchWord: 'image', ...imageTrace.callbacks }, ctx.env) : undefined;
  mod.imageFile = imagePath;

  // The PDB's identity: the dump's CodeView record, else (Wine's MiniDumpWriteDump writes none)
  // the one in the image found, so the PDB is searched on the same path as the image.
  const cv = (rec.codeView && rec.codeView.signature !== 'other' ? rec.codeView : undefined) ?? (imagePath ? imageCodeView(imagePath) : undefined);
  const pdbName = cv ? baseName(cv.pdbPath) || `${imageName.replace(/\.[^.]*$/, '')}.pdb` : undefined;
  const pdbId: FileIdentity | undefined = cv && (cv.signature === 'RSDS' ? { kind: 'pdb70', guid: cv.guid, age: cv.age } : { kind: 'pdb20', signature: cv.timestamp, age: cv.age });
  const wantPdb: SymbolFileIdentity | undefined = pdbName && pdbId ? { name: pdbName, debugId: rec.debugId ?? storeKey(pdbId) } : undefined;

  let pdbPath: string | undefined;
  const pdbTrace = pdbName ? new SearchObserver() : undefined;
  if (pdbName && pdbTrace) {
    pdbPath = await searchFile(
      ctx.searchPath,
      {
        fileName: pdbName,
        identity: pdbId!,
        subdir: extensionOf(imageName) || undefined,
        first: cv!.pdbPath ? [cv!.pdbPath] : [],
        imageDir: imagePath ? dirName(imagePath) || '.' : undefined,
        ...pdbTrace.callbacks,
      },
      ctx.env,
    );
    mod.symbolFile = pdbPath;
  }

  const opts = { baseAddress: rec.base, size: rec.size, moduleName: imageName.replace(/\.[^.]*$/, '') || imageName, signal: ctx.env.signal };
  let loadError: DbgHelpError | undefined;
  let loadedFrom: string | undefined;
  const load = async (file: string, pdb?: string): Promise<boolean> => {
    try {
      await ctx.handler.loadModule(file, { ...opts, pdbPath: pdb });
      mod.loaded = true;
      loadedFrom = file;
      return true;
    } catch (e) {
      if (!(e instanceof DbgHelpError) || e.code === 'ABORTED') throw e;
      loadError = e;
      return false;
    }
  };
  // No PDB: a Breakpad .sym in a store layout (DIR/<pdb>/<debug id>/<name>.sym) under one of the
  // path's directories answers instead (the image, when found, still serves the walker).
  const symFile = !pdbPath && pdbName && wantPdb?.debugId ? findBreakpadSymbols(localDirectories(ctx.searchPath), { debugFile: pdbName, debugId: wantPdb.debugId.toUpperCase() }) : undefined;
  if (symFile && (await load(symFile))) {
    mod.breakpadFile = symFile;
    // Its STACK WIN / STACK CFI records serve the walker (the same parse the loader made).
    mod.breakpad = breakpadWalkInfo(await openBreakpadSymbols(symFile, { signal: ctx.env.signal }));
    mod.status = { kind: 'loaded', source: 'breakpad', symbolFile: symFile, imageFile: imagePath };
    return;
  }
  if (imagePath) {
    // A bad image: the PDB alone still gives symbols.
    if (!(await load(imagePath, pdbPath))) {
      mod.imageError = loadError?.message;
      if (pdbPath) await load(pdbPath);
    }
  } else if (pdbPath) {
    await load(pdbPath);
  }
  mod.status = statusOf(mod, { imagePath, pdbPath, wantImage, wantPdb, imageTrace, pdbTrace, loadError, loadedFrom, ctx });
}

interface Outcome {
  imagePath?: string;
  pdbPath?: string;
  wantImage: SymbolFileIdentity;
  wantPdb?: SymbolFileIdentity;
  imageTrace: SearchObserver;
  pdbTrace?: SearchObserver;
  loadError?: DbgHelpError;
  loadedFrom?: string;
  ctx: ModuleLoadContext;
}

function statusOf(mod: DumpModule, o: Outcome): ModuleStatus {
  if (o.loadError && !mod.loaded) {
    const e = o.loadError;
    const path = e.file ?? o.pdbPath ?? o.imagePath ?? '';
    if (e.code !== 'BAD_FORMAT') return { kind: 'unsupported', path, reason: e.message };
    return { kind: 'malformed', path, error: e.message, offset: e.offset };
  }
  if (o.pdbPath && mod.loaded && o.loadedFrom) {
    return { kind: 'loaded', source: 'pdb', symbolFile: o.pdbPath, imageFile: o.imagePath };
  }
  if (o.wantPdb && o.pdbTrace) return o.pdbTrace.missing(o.wantPdb, [...o.imageTrace.searched, ...o.pdbTrace.searched]);
  // No CodeView record: the image is all there is.
  if (!o.imagePath) return o.imageTrace.missing(o.wantImage, o.imageTrace.searched, 'image');
  const info = o.ctx.handler.getModuleInfo(mod.base);
  // The dump had no CodeView record (Wine's MiniDumpWriteDump writes none), but the image names
  // its PDB and the load found it beside the image.
  if (info?.symType === SymType.Pdb && info.loadedPdbName) {
    mod.symbolFile = info.loadedPdbName;
    return { kind: 'loaded', source: 'pdb', symbolFile: info.loadedPdbName, imageFile: o.imagePath };
  }
  return { kind: 'loaded', source: info?.symType === SymType.Export ? 'exports' : 'none', imageFile: o.imagePath };
}

/** The CodeView record of an image file, or undefined when it has none or cannot be read. */
function imageCodeView(file: string): CodeViewRecord | undefined {
  let img: PeImage | undefined;
  try {
    img = PeImage.open(file);
    return img.codeView();
  } catch {
    return undefined; // a bad image: its load reports it
  } finally {
    img?.close();
  }
}

/** The local directories a symbol path names: plain directories and the local stores of srv and cache elements. */
function localDirectories(searchPath: string): string[] {
  const out: string[] = [];
  const add = (l: StoreLocation) => {
    if (l.kind === 'dir') out.push(l.path);
  };
  for (const e of parseSymbolPath(searchPath)) {
    if (e.kind === 'dir') out.push(e.path);
    else if (e.kind === 'cache') add(e.store);
    else if (e.kind === 'chain') e.stores.forEach(add);
  }
  return out;
}
