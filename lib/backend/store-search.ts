/**
 * Symbol stores for a dbghelp.dll that cannot read them itself.
 *
 * DbgHelp hands `srv*`, `symsrv*` and `cache*` elements (and directories holding pingme.txt) to
 * symsrv.dll, which it loads from its own directory ("DbgHelp.dll and SymSrv.dll must be in the
 * same directory": Microsoft's Symbol Server installation notes). The dbghelp.dll in System32
 * has no symsrv.dll beside it, and Wine's dbghelp.dll has none at all, so there those elements
 * silently find nothing. For such a DLL the handler resolves the file with the package's own
 * symbol search first (lib/symsrv: the same element order, store layouts, downstream copies,
 * identity checks and log lines as the portable backend) and then lets dbghelp.dll read the file
 * it found, from that file's directory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymOpt } from '../api/constants';
import { PeImage } from '../formats/pe/pe-image';
import { identityFor, type FileIdentity } from '../symsrv/identify';
import { isFile, PINGME_FILE } from '../symsrv/local-store';
import { baseName, dirName, extensionOf, joinHost } from '../symsrv/paths';
import { searchFile, type SearchEnv } from '../symsrv/search';
import { parseSymbolPath } from '../symsrv/symbol-path';
import type { DllKind } from './wine';

/**
 * Whether dbghelp.dll at `dllPath` can use symbol stores itself: a symsrv.dll lies beside it
 * and the image in memory is not Wine's (`kind`, wine.ts; Wine's dbghelp.dll never loads symsrv.dll).
 */
export function dllReadsStores(dllPath: string | undefined, kind: DllKind): boolean {
  if (!dllPath || kind === 'wine') return false;
  return fs.existsSync(path.join(path.dirname(dllPath), 'symsrv.dll'));
}

/** Whether a search path has an element only symsrv.dll can serve. */
export function hasStoreElements(searchPath: string, options: number): boolean {
  for (const el of parseSymbolPath(searchPath)) {
    if (el.kind === 'cache' || el.kind === 'chain') return true;
    if (el.kind === 'dir' && !(options & SymOpt.DISABLE_SYMSRV_AUTODETECT) && isFile(joinHost(el.path, PINGME_FILE))) return true;
  }
  return false;
}

export interface PdbSearchResult {
  /** The matching PDB (in a store, a downstream copy, or wherever the search found it). */
  found?: string;
  /** A file by that name was found that belongs to another build. */
  mismatched: boolean;
}

/**
 * Finds the PDB an image names, as SymLoadModuleEx with symsrv.dll would: the CodeView path
 * (unless SYMOPT_IGNORE_CVREC), the search path's elements, the image's directory (unless
 * SYMOPT_IGNORE_IMAGEDIR), each candidate checked against the image's GUID (or NB10 signature)
 * and age. An image without a CodeView record has nothing to find: `{ mismatched: false }`.
 */
export async function findImagePdb(imagePath: string, searchPath: string, env: SearchEnv): Promise<PdbSearchResult> {
  const image = PeImage.open(imagePath);
  let cv;
  try {
    cv = image.codeView();
  } finally {
    image.close();
  }
  if (!cv) return { mismatched: false };
  const identity: FileIdentity = cv.signature === 'RSDS' ? { kind: 'pdb70', guid: cv.guid, age: cv.age } : { kind: 'pdb20', signature: cv.timestamp, age: cv.age };
  const stem = baseName(imagePath).replace(/\.[^.]*$/, '');
  let mismatched = false;
  const found = await searchFile(
    searchPath,
    {
      fileName: baseName(cv.pdbPath) || `${stem}.pdb`,
      identity,
      subdir: extensionOf(imagePath) || undefined,
      first: cv.pdbPath && !(env.options & SymOpt.IGNORE_CVREC) ? [cv.pdbPath] : [],
      imageDir: dirName(imagePath) || '.',
      onMismatch: () => {
        mismatched = true;
      },
    },
    env,
  );
  return { found, mismatched };
}

/** Extensions of images, whose standard directories have `<ext>` and `symbols\<ext>` subdirectories. */
const IMAGE_EXTENSIONS = new Set(['dll', 'exe', 'sys', 'drv', 'ocx', 'cpl', 'scr', 'efi', 'mui', 'winmd']);

/**
 * SymFindFileInPath through stores: one file by name and identity (a PDB's GUID or signature
 * and age; an image's or .dbg's TimeDateStamp and SizeOfImage), every candidate checked.
 */
export async function findFile(searchPath: string, fileName: string, id: string | number, two: number, env: SearchEnv): Promise<string | undefined> {
  const identity = identityFor(fileName, id, two);
  const ext = extensionOf(fileName);
  return searchFile(
    searchPath,
    {
      fileName,
      identity,
      subdir: IMAGE_EXTENSIONS.has(ext) ? ext : undefined,
      mismatchWord: identity.kind === 'pdb70' || identity.kind === 'pdb20' ? 'pdb' : ext || 'file',
    },
    env,
  );
}
