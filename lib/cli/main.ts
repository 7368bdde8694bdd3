/**
 * The `dbghelp` command: symbolize, symbolicate, symbols, info, undname, find, store
 * (docs/API.md "Command line"). `dbghelp <command> --help` prints the command's usage.
 * Exit status: 0 success, 1 something asked for was not found, 2 bad usage or bad input.
 * Errors are one line on stderr that says what to do.
 */
import { DbgHelpError } from '../api/errors';
import { SymbolHandler } from '../handler';
import { parseCommand, parseAddress, UsageError, hex, symbolServerOf, type CommandSpec, type ParsedArgs } from './args';
import { SYMBOLIZE, symbolize, lineBatches, linesOf } from './symbolize';
import { loadModules, verboseTo } from './modules';
import { isBrokenPipe, written } from './output';
// The other subcommands' modules (info, find, store, symbolicate, the undecorator) are required
// when their command runs: `symbolize` starts without them (bench/README.md, cold lookup).

const USAGE = `usage: dbghelp <command> [options]      (dbghelp <command> --help for its options)
  symbolize    addresses, module+0xOFFSET, module!symbol to function, file and line
  symbolicate  a Mozilla symbolication API v5 request (JSON) to symbolicated stacks
  stack        every thread of a minidump (.dmp), walked and symbolicated
  dump-syms    write a Breakpad symbol file (.sym) from a PDB and its image
  symbols      list the symbols of an image or a PDB
  info         what identifies an image or a PDB (GUID, age, debug id, store keys)
  find         locate or download a symbol file through the symbol path
  store add    publish files into a symstore-layout store
  cache        list or clear the downloaded symbol files and remembered misses
  undname      undecorate MSVC names
  --version    print the package version`;

type In = NodeJS.ReadableStream & { isTTY?: boolean };
type Command = { spec: CommandSpec; run: (a: ParsedArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream, input: In) => Promise<number> | number };

const SYMBOLS: CommandSpec = {
  name: 'symbols',
  usage: `usage: dbghelp symbols FILE [options]
  Lists the symbols of an image (or a PDB alone) matching a DbgHelp mask.
  --mask M          e.g. 'ns::*' (default *)
  --base ADDR       load the module at ADDR (a PDB alone: default 0x10000000)
  --pdb FILE        the image's PDB
  --json            one JSON object per symbol
  --symbol-path P   where to look for PDBs (else _NT_SYMBOL_PATH)
  --verbose         print the symbol search's log on stderr
  --no-miss-cache   ask symbol servers again for files they did not have (no 1-hour memory)
  exit: 0 some symbol listed, 1 none, 2 bad usage`,
  options: {
    mask: { type: 'string' },
    base: { type: 'string' },
    pdb: { type: 'string' },
    json: { type: 'boolean' },
    'symbol-path': { type: 'string' },
    verbose: { type: 'boolean' },
    'no-miss-cache': { type: 'boolean' },
  },
};

const INFO: CommandSpec = {
  name: 'info',
  usage: `usage: dbghelp info FILE [--json]
  What identifies a PE image or a PDB: machine, timestamp and size (the code id), GUID and age
  (the debug id, which 'dbghelp find --debug-id' takes), the PDB path, the symbol-store keys.`,
  options: { json: { type: 'boolean' }, 'symbol-path': { type: 'string' } },
};

const UNDNAME: CommandSpec = {
  name: 'undname',
  usage: `usage: dbghelp undname [--flags N] [--json] DECORATED...
  Undecorates MSVC names (UnDecorateSymbolName); names are read from stdin when none are given.
  --flags N   UNDNAME_* flags (e.g. 0x1000: name only)
  --json      one {"name","undecorated"} object per name`,
  options: { flags: { type: 'string' }, json: { type: 'boolean' } },
};

const lazy =
  <M>(id: string) =>
  () =>
    require(id) as M;
const findModule = lazy<typeof import('./find')>('./find');
const storeModule = lazy<typeof import('./store')>('./store');
const symbolicateModule = lazy<typeof import('./symbolicate')>('./symbolicate');
const stackModule = lazy<typeof import('./stack')>('./stack');
const cacheModule = lazy<typeof import('./cache')>('./cache');
const dumpSymsModule = lazy<typeof import('./dump-syms')>('./dump-syms');

const COMMANDS: Record<string, () => Command> = {
  symbolize: () => ({ spec: SYMBOLIZE, run: symbolize }),
  symbols: () => ({ spec: SYMBOLS, run: symbols }),
  info: () => ({ spec: INFO, run: info }),
  undname: () => ({ spec: UNDNAME, run: undname }),
  find: () => ({ spec: findModule().FIND, run: findModule().find }),
  store: () => ({ spec: storeModule().STORE, run: storeModule().store }),
  symbolicate: () => ({ spec: symbolicateModule().SYMBOLICATE, run: symbolicateModule().symbolicateCommand }),
  stack: () => ({ spec: stackModule().STACK, run: stackModule().stack }),
  cache: () => ({ spec: cacheModule().CACHE, run: cacheModule().cache }),
  'dump-syms': () => ({ spec: dumpSymsModule().DUMP_SYMS, run: dumpSymsModule().dumpSymsCommand }),
};

/**
 * V8 settings the bin applies for the command it runs: it owns its process, where the library
 * never changes V8's flags. `symbolize` keeps the young generation at its first size (1 MB
 * semi-spaces) instead of letting it grow to 16 MB: the young objects of a lookup die young, and
 * fresh pages cost ~16 µs each here (bench/README.md "Session 6": the bench's 100,000 big-PDB
 * addresses peak at 110 MB instead of 145; callgrind counts 3.7% more instructions). With
 * `--inlines` too, since inline frames are kept as fields until their row is written (session
 * 7): 8 alternated runs, min wall 1787 against 1855 ms, 152 MB against 185 MB (it was the
 * other way while each address's frame text was kept: +60-80 ms then). `dump-syms` keeps
 * V8's default: it ran 18-22 s against 24 s with the small young generation.
 * The flag is read each time V8 would grow the space, so it works when set at run time.
 */
export function tuneProcessFor(argv: readonly string[]): void {
  if (argv[0] === 'symbolize') (require('v8') as typeof import('v8')).setFlagsFromString('--semi-space-growth-factor=1');
}

export function version(): string {
  // dist/cli/main.js and lib/cli/main.ts are both two levels below package.json.
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr, input: In = process.stdin): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      const topic = cmd === 'help' ? rest[0] : undefined;
      if (topic && COMMANDS[topic]) out.write(COMMANDS[topic]().spec.usage + '\n');
      else (cmd ? out : err).write(USAGE + '\n');
      return cmd ? 0 : 2;
    }
    if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
      out.write(version() + '\n');
      return 0;
    }
    const make = COMMANDS[cmd];
    if (!make) throw new UsageError(`unknown command '${cmd}' (commands: ${Object.keys(COMMANDS).join(', ')}; dbghelp --help)`);
    const c = make();
    const a = parseCommand(c.spec, rest);
    if (a.help) {
      out.write(c.spec.usage + '\n');
      return 0;
    }
    return await c.run(a, out, err, input);
  } catch (e) {
    if (e instanceof UsageError) {
      const where = e.command ?? (cmd && COMMANDS[cmd] ? cmd : undefined);
      err.write(`dbghelp: ${e.message}${where ? ` (dbghelp ${where} --help)` : ''}\n`);
      return 2;
    }
    if (e instanceof DbgHelpError) {
      err.write(`dbghelp: ${e.message} [${e.code}]\n`);
      return e.code === 'FILE_NOT_FOUND' || e.code === 'PDB_MISMATCH' ? 1 : 2;
    }
    if (isBrokenPipe(e)) return 0;
    throw e;
  }
}

async function symbols(a: ParsedArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const file = a.positionals[0];
  if (!file || a.positionals.length > 1) throw new UsageError('symbols needs exactly one FILE (an image or a PDB)');
  using sym = SymbolHandler.initialize({ searchPath: a.values.get('symbol-path') ?? null, symbolServer: symbolServerOf(a) });
  if (a.flags.has('verbose')) verboseTo(sym, err);
  const isPdb = /\.pdb$/i.test(file);
  const baseAddress = a.values.has('base') ? parseAddress(a.values.get('base')!) : isPdb ? 0x10000000n : undefined;
  const [mod] = await loadModules(sym, [{ file, baseAddress, pdbPath: a.values.get('pdb') }], err);
  const mask = a.values.get('mask') ?? '*';
  const json = a.flags.has('json');
  let n = 0;
  let buf: string[] = [];
  for (const s of sym.enumSymbols({ base: mod.base, mask })) {
    n++;
    buf.push(
      json
        ? JSON.stringify({ name: s.name, address: hex(s.address), size: s.size, tag: s.tag, flags: s.flags, typeIndex: s.typeIndex, index: s.index, ...(s.value ? { value: s.value.toString() } : {}) })
        : `${hex(s.address).padEnd(18)} ${String(s.size).padStart(6)} ${tagName(s.tag).padEnd(12)} ${s.name}`,
    );
    if (buf.length >= 4096) {
      await written(out, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) await written(out, buf.join('\n') + '\n');
  return n ? 0 : 1;
}

function tagName(tag: number): string {
  return ({ 5: 'Function', 7: 'Data', 9: 'Label', 10: 'Public', 27: 'Thunk' } as Record<number, string>)[tag] ?? `Tag${tag}`;
}

function info(a: ParsedArgs, out: NodeJS.WritableStream): number {
  const file = a.positionals[0];
  if (!file || a.positionals.length > 1) throw new UsageError('info needs exactly one FILE (an image or a PDB)');
  const facts = (require('./info') as typeof import('./info')).describeFile(file);
  if (a.flags.has('json')) out.write(JSON.stringify(facts) + '\n');
  else for (const [k, v] of Object.entries(facts)) out.write(`${k.padEnd(16)} ${v}\n`);
  return 0;
}

async function undname(a: ParsedArgs, out: NodeJS.WritableStream, _err: NodeJS.WritableStream, input: In): Promise<number> {
  const flagsText = a.values.get('flags') ?? '0';
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(flagsText)) throw new UsageError(`--flags '${flagsText}' is not a number`);
  const flags = Number(flagsText);
  const { undecorateSymbolName } = require('../demangle') as typeof import('../demangle');
  const json = a.flags.has('json');
  const answer = (names: string[]) =>
    names
      .map((n) => n.trim())
      .filter(Boolean)
      .map((n) => (json ? JSON.stringify({ name: n, undecorated: undecorateSymbolName(n, flags) }) : undecorateSymbolName(n, flags)));
  if (a.positionals.length) {
    out.write(answer(a.positionals).join('\n') + '\n');
    return 0;
  }
  if (input.isTTY) throw new UsageError('undname needs decorated names (arguments or stdin)');
  let any = false;
  for await (const batch of lineBatches(input)) {
    const rows = answer([...linesOf(batch)]);
    if (rows.length) await written(out, rows.join('\n') + '\n');
    any ||= rows.length > 0;
  }
  if (!any) throw new UsageError('undname needs decorated names (arguments or stdin)');
  return 0;
}
