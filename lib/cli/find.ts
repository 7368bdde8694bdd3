/**
 * `dbghelp find`: locate (copying or downloading as the search path says) a symbol file, and
 * print its path.
 *
 *   dbghelp find --image X.exe                        the PDB X.exe names, searched as loadModule does
 *   dbghelp find --pdb-name N.pdb --guid G --age A    a PDB by identity (SymFindFileInPath)
 *   dbghelp find --name X.dll --timestamp T --size S  an image (or .dbg) by TimeDateStamp and SizeOfImage
 *
 * Options: --symbol-path P (else the default: `.`, _NT_SYMBOL_PATH, _NT_ALT_SYMBOL_PATH),
 * --home DIR (SymSetHomeDirectory: the default downstream store is DIR/sym), --verbose (DbgHelp's
 * SYMOPT_DEBUG lines on stderr), --json. A progress bar goes to stderr when it is a terminal.
 * Exit 0 found, 1 not found, 2 bad usage.
 */
import { SymOpt, SymType } from '../api/constants';
import { SymbolHandler } from '../handler';
import { ProgressBar } from '../symsrv/http/progress-bar';
import { splitDebugId } from '../symbolicate/debug-id';
import { symbolServerOf, UsageError, type CommandSpec, type ParsedArgs } from './args';

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export const FIND: CommandSpec = {
  name: 'find',
  usage: `usage: dbghelp find (--image X.exe | --pdb-name N.pdb (--debug-id ID | --guid G --age A) | --name X.dll --timestamp T --size S) [options]
  Locates a symbol file through the symbol path (copying or downloading it as the path says)
  and prints its path. ID is the debug id 'dbghelp info' prints (GUID without dashes, then age).
  --symbol-path P   else _NT_SYMBOL_PATH
  --home DIR        the default downstream store is DIR/sym
  --verbose         print the search's log on stderr
  --no-miss-cache   ask symbol servers again for files they did not have (no 1-hour memory)
  --json            {"file": path or null, ...what was asked}
  exit: 0 found, 1 not found, 2 bad usage`,
  options: {
    image: { type: 'string' },
    'pdb-name': { type: 'string' },
    'debug-id': { type: 'string' },
    guid: { type: 'string' },
    age: { type: 'string' },
    name: { type: 'string' },
    timestamp: { type: 'string' },
    size: { type: 'string' },
    'symbol-path': { type: 'string' },
    'no-miss-cache': { type: 'boolean' },
    home: { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
};

/** A debug id (`3249D99D0C4049318610F4E4FB0B69361`, dashes and braces allowed) as GUID and age. */
function debugId(id: string): { guid: string; age: number } {
  const r = splitDebugId(id);
  if (!r) throw new UsageError(`'${id}' is not a debug id (32 hex digits of GUID, then the age in hex, as 'dbghelp info' prints it)`);
  return r;
}

export async function find(a: ParsedArgs, out: NodeJS.WritableStream, err: Stream = process.stderr): Promise<number> {
  if (a.positionals.length) throw new UsageError(`find takes no positional arguments (got '${a.positionals[0]}')`);
  const v = (k: string) => a.values.get(k);
  const modes = [v('image') !== undefined, v('pdb-name') !== undefined, v('name') !== undefined].filter(Boolean).length;
  if (modes !== 1) throw new UsageError('find needs exactly one of --image X.exe, --pdb-name N --guid G --age A, --name X.dll --timestamp T --size S');

  using sym = SymbolHandler.initialize({ searchPath: v('symbol-path') ?? null, symbolServer: symbolServerOf(a) });
  if (v('home') !== undefined) sym.setHomeDirectory(v('home')!);
  if (a.flags.has('verbose')) {
    sym.setOptions(sym.getOptions() | SymOpt.DEBUG);
    sym.on('debug', (l) => err.write(l + '\n'));
  }
  const bar = new ProgressBar(err);
  const onProgress = (p: { bytes: number; total?: number; from: string }) => bar.update(p);
  let found: string | undefined;
  let what: Record<string, unknown>;
  try {
    if (v('image') !== undefined) {
      const image = v('image')!;
      const base = await sym.loadModule(image, { onProgress });
      const info = sym.getModuleInfo(base)!;
      found = info.symType === SymType.Pdb ? info.loadedPdbName : undefined;
      what = { image, pdb: info.cvData || null, guid: info.pdbSig70, age: info.pdbAge };
    } else if (v('pdb-name') !== undefined) {
      let guid = v('guid');
      let age: number;
      if (v('debug-id') !== undefined) {
        if (guid !== undefined || v('age') !== undefined) throw new UsageError('give either --debug-id ID or --guid G --age A');
        ({ guid, age } = debugId(v('debug-id')!));
      } else if (guid !== undefined && v('age') === undefined && guid.replace(/[{}-]/g, '').length > 32) {
        ({ guid, age } = debugId(guid)); // --guid given a debug id
      } else {
        if (guid === undefined || v('age') === undefined) throw new UsageError('find --pdb-name needs --debug-id ID, or --guid G and --age A');
        age = number(v('age')!, '--age');
      }
      const id = /^[0-9a-f{}-]+$/i.test(guid) && guid.replace(/[{}-]/g, '').length === 32 ? guid : number(guid, '--guid');
      found = await sym.findFileInPath({ fileName: v('pdb-name')!, id, two: age, onProgress });
      what = { name: v('pdb-name'), guid, age };
    } else {
      if (v('timestamp') === undefined || v('size') === undefined) throw new UsageError("find --name needs --timestamp T and --size S (the image's TimeDateStamp and SizeOfImage)");
      const timestamp = number(v('timestamp')!, '--timestamp');
      const size = number(v('size')!, '--size');
      found = await sym.findFileInPath({ fileName: v('name')!, id: timestamp, two: size, onProgress });
      what = { name: v('name'), timestamp, size };
    }
  } finally {
    bar.done();
  }
  if (a.flags.has('json')) out.write(JSON.stringify({ ...what, file: found ?? null }) + '\n');
  else if (found) out.write(found + '\n');
  else err.write(`dbghelp: not found through the search path '${sym.getSearchPath()}' (run with --verbose to see where it looked)\n`);
  return found ? 0 : 1;
}

/** A 32-bit unsigned number, hex (`0x...`) or decimal. */
function number(s: string, what: string): number {
  const t = s.trim();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) throw new UsageError(`${what} '${s}' is not a number (hex like 0x5C8AD05F or decimal)`);
  const n = Number(t);
  if (n > 0xffffffff) throw new UsageError(`${what} '${s}' does not fit in 32 bits`);
  return n;
}
