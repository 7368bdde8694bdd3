/**
 * `dbghelp store add FILE... --store D [--compress] [--json]`: publish PDBs, images and .dbg
 * files into a symbol store laid out as symstore does (lib/symsrv/store-writer.ts), so that
 * `srv*D` finds them from DbgHelp, WinDbg, Visual Studio or this package.
 * Prints one line per file: `added` or `present`, the key, the stored path.
 */
import { addToStore } from '../symsrv/store-writer';
import { parseArgs, UsageError } from './args';

export async function store(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'add') throw new UsageError(sub === undefined ? 'store needs a subcommand: store add FILE... --store D' : `unknown store subcommand '${sub}' (only 'add')`);
  const a = parseArgs(rest, ['store'], ['compress', 'json']);
  const dir = a.values.get('store');
  if (!dir) throw new UsageError('store add needs --store D (the store directory)');
  if (!a.positionals.length) throw new UsageError('store add needs at least one FILE (a .pdb, .exe, .dll, .sys or .dbg)');
  const results = await addToStore(a.positionals, dir, { compress: a.flags.has('compress') });
  for (const r of results) {
    out.write(
      a.flags.has('json')
        ? JSON.stringify({ file: r.file, stored: r.stored, key: r.key, added: r.added }) + '\n'
        : `${r.added ? 'added  ' : 'present'} ${r.key} ${r.stored}\n`,
    );
  }
  return 0;
}
