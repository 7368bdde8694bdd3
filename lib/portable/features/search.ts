/**
 * SymFindFileInPath and the home directory (SymSetHomeDirectory / SymGetHomeDirectory).
 *
 * findFileInPath looks for one file by name and identity (a PDB's GUID or NB10 signature and
 * age; an image's or .dbg's TimeDateStamp and SizeOfImage) through a search path, with the
 * same element rules, store layouts, downstream copies and log lines as loadModule
 * (lib/symsrv/search.ts). Unlike DbgHelp, which without a callback takes the first file of
 * that name in a plain directory, every candidate is checked against the identity (a wrong
 * file is never answered); SYMOPT_LOAD_ANYTHING turns the check off.
 *
 * The home directory: DBGHELP_HOMEDIR when set (the variable DbgHelp reads), else the user's
 * home directory (DbgHelp's default is its install directory, which has no equivalent here;
 * mstange/symsrv chose the same). The default downstream store is `<home>/sym`.
 */
import * as os from 'os';
import type { FindFileOptions, SymbolServerOptions } from '../../api/types';
import { identityFor } from '../../symsrv/identify';
import { extensionOf } from '../../symsrv/paths';
import { searchFile } from '../../symsrv/search';
import type { HandlerContext } from './context';

/** Extensions of images, whose standard directories have `<ext>` and `symbols\<ext>` subdirectories. */
const IMAGE_EXTENSIONS = new Set(['dll', 'exe', 'sys', 'drv', 'ocx', 'cpl', 'scr', 'efi', 'mui', 'winmd']);

export function defaultHomeDirectory(): string {
  return process.env.DBGHELP_HOMEDIR || os.homedir();
}

export class SearchState {
  private home: string | null = null;

  /** `symbolServer`: the handler's HTTP symbol-server settings, handed to every search. */
  constructor(readonly symbolServer?: SymbolServerOptions) {}

  /** SymSetHomeDirectory; null restores the default. Returns the directory in effect. */
  setHome(dir: string | null): string {
    this.home = dir;
    return this.getHome();
  }
  getHome(): string {
    return this.home ?? defaultHomeDirectory();
  }

  async findFileInPath(h: HandlerContext, searchPath: string, opts: FindFileOptions): Promise<string | undefined> {
    const identity = identityFor(opts.fileName, opts.id, opts.two);
    const ext = extensionOf(opts.fileName);
    return searchFile(
      searchPath,
      {
        fileName: opts.fileName,
        identity,
        subdir: IMAGE_EXTENSIONS.has(ext) ? ext : undefined,
        mismatchWord: identity.kind === 'pdb70' || identity.kind === 'pdb20' ? 'pdb' : ext || 'file',
      },
      { options: h.options, homeDirectory: this.getHome(), debug: (l) => h.debug(l), signal: opts.signal, onProgress: opts.onProgress, symbolServer: this.symbolServer },
    );
  }
}
