/**
 * `dbghelp store add FILE... --store D [--compress] [--json]`: publish PDBs, images and .dbg
 * files into a symbol store laid out as symstore does (lib/symsrv/store-writer.ts), so that
 * `srv*D` finds them from DbgHelp, WinDbg, Visual Studio or this package.
 * Prints one line per file: `added` or `present`, the key, the stored path.
 */
import { addToStore } from '../symsrv/store-writer';
import { UsageError, type CommandSpec, type ParsedArgs } from './args';

export const STORE: CommandSpec = {
  name: 'store',
  usage: `usage: dbghelp store add FILE... --store D [--compress] [--json]
  Publishes PDBs, images and .dbg files into a symbol store laid out as symstore does
  (name.pdb/<GUID><age>/name.pdb, name.exe/<TIMESTAMP><size>/name.exe).
  --store D      the store directory (created with pingme.txt)
  --compress     write CAB-compressed name.pd_ files
  --json         one {"file","stored","key","added"} object per file`,
  options: { store: { type: 'string' }, compress: { type: 'boolean' }, json: { type: 'boolean' } },
};

export async function store(a: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const [sub, ...files] = a.positionals;
  if (sub !== 'add') throw new UsageError(sub === undefined ? 'store needs a subcommand: store add FILE... --store D' : `unknown store subcommand '${sub}' (only 'add')`);
  const dir = a.values.get('store');
  if (!dir) throw new UsageError('store add needs --store D (the store directory)');
  if (!files.length) throw new UsageError('store add needs at least one FILE (a .pdb, .exe, .dll, .sys or .dbg)');
  const results = await addToStore(files, dir, { compress: a.flags.has('compress') });
  for (const r of results) {
    out.write(a.flags.has('json') ? JSON.stringify({ file: r.file, stored: r.stored, key: r.key, added: r.added }) + '\n' : `${r.added ? 'added  ' : 'present'} ${r.key} ${r.stored}\n`);
  }
  return 0;
}
