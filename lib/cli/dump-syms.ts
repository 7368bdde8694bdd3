/**
 * `dbghelp dump-syms FILE [--image X.exe] [-o OUT.sym | --store DIR]`: a Breakpad symbol file from
 * a PDB and its image (lib/breakpad/dump-syms.ts), written as it is produced (never the whole
 * text in memory). FILE is a PDB, or an image whose PDB is found through the symbol path.
 */
import * as fs from 'fs';
import { DbgHelpError } from '../api/errors';
import { SymbolHandler } from '../handler';
import { symbolServerOf, UsageError, type CommandSpec, type ParsedArgs } from './args';

export const DUMP_SYMS: CommandSpec = {
  name: 'dump-syms',
  usage: `usage: dbghelp dump-syms FILE [options]
  Writes a Breakpad symbol file (MODULE, INFO, FILE, FUNC + lines, PUBLIC, INLINE) for a PDB, as
  Breakpad's dump_syms does; names as its DIA-based output spells them (UnDecorateSymbolName
  flags 0x87FE). FILE is a .pdb, or an image (.exe/.dll) whose PDB is found on the symbol path.
  --image FILE      the PDB's image (INFO CODE_ID); found beside the PDB when not given
  -o, --output F    write to F (default stdout)
  --store DIR       write DIR/<name>.pdb/<ID>/<name>.sym (Breakpad's symbol store layout)
  --inlines         INLINE and INLINE_ORIGIN records (dump_syms -i)
  --symbol-path P   where to look for the image's PDB (else _NT_SYMBOL_PATH)
  --no-miss-cache   ask symbol servers again for files they did not have
  --json            print {"path","module","functions","lines","publics",...} to stdout (with -o/--store)
  exit: 0 written, 1 no PDB found for the image, 2 bad usage or a malformed file`,
  options: {
    image: { type: 'string' },
    output: { type: 'string', short: 'o' },
    store: { type: 'string' },
    inlines: { type: 'boolean' },
    'symbol-path': { type: 'string' },
    'no-miss-cache': { type: 'boolean' },
    json: { type: 'boolean' },
  },
};

export async function dumpSymsCommand(a: ParsedArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if (a.positionals.length !== 1) throw new UsageError('dump-syms takes one FILE (a .pdb, or an image whose PDB is on the symbol path)');
  if (a.values.has('output') && a.values.has('store')) throw new UsageError('give -o FILE or --store DIR, not both');
  if (a.flags.has('json') && !a.values.has('output') && !a.values.has('store')) throw new UsageError('--json prints a summary: it needs -o FILE or --store DIR for the .sym itself');
  let pdb = a.positionals[0];
  let image = a.values.get('image');
  if (!/\.pdb$/i.test(pdb)) {
    // An image: its PDB through the symbol path, as loadModule finds it.
    image = pdb;
    using sym = SymbolHandler.initialize({ searchPath: a.values.get('symbol-path') ?? null, symbolServer: symbolServerOf(a) });
    const { base, status } = await sym.tryLoadModule(image);
    const info = base !== undefined ? sym.getModuleInfo(base) : undefined;
    if (!info?.loadedPdbName) {
      const { describeModuleStatus } = require('../api/module-status') as typeof import('../api/module-status');
      err.write(`dbghelp: ${describeModuleStatus(image, status)}\n`);
      return 1;
    }
    pdb = info.loadedPdbName;
  } else if (image === undefined) {
    // The image beside the PDB, when there is one: INFO CODE_ID needs it.
    const stem = pdb.replace(/\.pdb$/i, '');
    image = ['.exe', '.dll', '.sys'].map((e) => stem + e).find((f) => fs.existsSync(f));
  }
  const { dumpSyms, dumpSymsToStore } = require('../breakpad') as typeof import('../breakpad');
  const opts = { pdb, image, inlines: a.flags.has('inlines') };
  const store = a.values.get('store');
  if (store) {
    const { path, result } = await dumpSymsToStore({ ...opts, store });
    out.write(a.flags.has('json') ? JSON.stringify({ path, ...result }) + '\n' : `${path}\n`);
    return 0;
  }
  const file = a.values.get('output');
  const sink = file ? fs.createWriteStream(file) : out;
  const done = file ? new Promise<void>((resolve, reject) => (sink as fs.WriteStream).on('finish', resolve).on('error', reject)) : Promise.resolve();
  try {
    const result = await dumpSyms({ ...opts, out: sink as import('stream').Writable });
    if (file) {
      (sink as fs.WriteStream).end();
      await done;
      if (a.flags.has('json')) out.write(JSON.stringify({ path: file, ...result }) + '\n');
    }
    return 0;
  } catch (e) {
    if (file) (sink as fs.WriteStream).destroy();
    if (e instanceof DbgHelpError) throw e;
    throw e;
  }
}
