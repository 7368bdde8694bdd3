/**
 * The `dbghelp` command: symbolize, symbols, info, undname (API.md "Command line").
 * Exit status: 0 success, 1 something asked for was not found, 2 bad usage or bad input.
 * Errors are one line on stderr that says what to do.
 */
import { InlineFrameContext, SymTag } from '../api/constants';
import { DbgHelpError } from '../api/errors';
import { SymbolHandler } from '../handler';
import { parseArgs, parseAddress, UsageError, hex } from './args';
// The other subcommands' modules (info, find, store, the undecorator) are required when their
// command runs: `symbolize` starts without them (bench/README.md, cold lookup).

const USAGE = `usage: dbghelp <command> [options]
  symbolize --image X.exe [--pdb X.pdb] [--base ADDR] [--rva] [--inlines] [--json] ADDR...   (addresses on stdin when none given)
  symbols FILE [--mask 'ns::*'] [--base ADDR] [--pdb X.pdb] [--json]
  info FILE [--json]
  undname DECORATED... [--flags N]                                                 (names on stdin when none given)
  find --image X.exe | --pdb-name N --guid G --age A | --name X.dll --timestamp T --size S [--home DIR] [--verbose] [--json]
  store add FILE... --store D [--compress] [--json]                                 (publish into a symstore-layout store)
common: --symbol-path P (else _NT_SYMBOL_PATH)`;

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'symbolize':
        return await symbolize(rest, out);
      case 'symbols':
        return await symbols(rest, out);
      case 'info':
        return info(rest, out);
      case 'undname':
        return await undname(rest, out);
      case 'find':
        return await (require('./find') as typeof import('./find')).find(rest, out, err);
      case 'store':
        return await (require('./store') as typeof import('./store')).store(rest, out);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        (cmd ? out : err).write(USAGE + '\n');
        return cmd ? 0 : 2;
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`dbghelp: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof DbgHelpError) {
      err.write(`dbghelp: ${e.message} [${e.code}]\n`);
      return e.code === 'FILE_NOT_FOUND' || e.code === 'PDB_MISMATCH' ? 1 : 2;
    }
    throw e;
  }
}

/** `--symbol-path P`, else null: the handler then builds DbgHelp's default from _NT_SYMBOL_PATH / _NT_ALT_SYMBOL_PATH. */
function symbolPath(values: Map<string, string>): string | null {
  return values.get('symbol-path') ?? null;
}

async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function readStdinLines(): Promise<string[]> {
  return (await readStdin()).toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

/**
 * The addresses given as arguments, else one per stdin line (blank lines skipped), all parsed
 * before anything is looked up (a bad one is a usage error, exit 2, with no output). Kept in a
 * BigUint64Array: 100,000 addresses as 800 KB outside the JS heap rather than 100,000 strings
 * and bigints the collector would copy and promote for the whole run.
 */
async function readAddresses(positionals: string[]): Promise<BigUint64Array> {
  if (positionals.length) return BigUint64Array.from(positionals, parseAddress);
  const text = (await readStdin()).toString('utf8');
  let out = new BigUint64Array(1024);
  let n = 0;
  for (let from = 0; from < text.length; ) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    const line = text.slice(from, to).trim();
    from = to + 1;
    if (!line) continue;
    if (n === out.length) {
      const bigger = new BigUint64Array(n * 2);
      bigger.set(out);
      out = bigger;
    }
    out[n++] = parseAddress(line);
  }
  return out.subarray(0, n);
}

async function symbolize(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const a = parseArgs(argv, ['image', 'pdb', 'base', 'symbol-path'], ['rva', 'json', 'inlines']);
  const image = a.values.get('image');
  if (!image) throw new UsageError('symbolize needs --image X.exe');
  const addrs = await readAddresses(a.positionals);
  if (!addrs.length) throw new UsageError('symbolize needs addresses (arguments or stdin)');
  using sym = SymbolHandler.initialize({ searchPath: symbolPath(a.values) });
  const base = await sym.loadModule(image, {
    baseAddress: a.values.has('base') ? parseAddress(a.values.get('base')!) : undefined,
    pdbPath: a.values.get('pdb'),
  });
  const mod = sym.getModuleInfo(base)!;
  const json = a.flags.has('json');
  const rvaMode = a.flags.has('rva');
  const withInlines = a.flags.has('inlines');
  let missing = 0;
  const lines: string[] = [];
  // JSON lines are written field by field (the same text JSON.stringify gives for the object
  // {address, module, symbol, displacement, file?, line?, inlines?}): at 100,000 addresses the
  // object and its spreads cost more than the lookup. File names repeat, so each is quoted once.
  const moduleJson = JSON.stringify(mod.moduleName);
  const quoted = new Map<string, string>();
  const quote = (s: string) => {
    let q = quoted.get(s);
    if (q === undefined) quoted.set(s, (q = JSON.stringify(s)));
    return q;
  };
  for (const given of addrs) {
    const address = rvaMode ? base + given : given;
    const hit = sym.fromAddr(address);
    if (!hit) missing++;
    // The physical frame's line: for inlined code, the call site in the enclosing function.
    const line = sym.getLineFromAddr(address);
    const inlines = withInlines ? inlineFrames(sym, address, rvaMode ? base : 0n) : [];
    if (json) {
      let row = `{"address":"${hex(given)}","module":${moduleJson},"symbol":${hit ? JSON.stringify(hit.symbol.name) : 'null'},"displacement":${hit ? Number(hit.displacement) : 'null'}`;
      // SYMBOL_INFO's Flags, Tag and Size, as SymFromAddr answered them.
      if (hit) row += `,"flags":${hit.symbol.flags >>> 0},"tag":${hit.symbol.tag},"size":${hit.symbol.size}`;
      if (line) row += `,"file":${quote(line.fileName)},"line":${line.lineNumber}`;
      if (withInlines) row += `,"inlines":${JSON.stringify(inlines)}`;
      lines.push(row + '}');
    } else {
      const where = line ? ` ${line.fileName}:${line.lineNumber}` : '';
      lines.push(hit ? `${hex(given)} ${mod.moduleName}!${hit.symbol.name}${hit.displacement ? `+${hex(hit.displacement)}` : ''}${where}` : `${hex(given)} ??${where}`);
      for (const f of inlines) lines.push(`  inlined ${f.symbol}${f.file !== undefined ? ` ${f.file}:${f.line}` : ''}`);
    }
    // Written in small batches: rows kept longer would outlive young-generation collections
    // and be copied into the old generation (peak memory) before they are dropped.
    if (lines.length >= 512) {
      await written(out, lines.join('\n') + '\n');
      lines.length = 0;
    }
  }
  if (lines.length) await written(out, lines.join('\n') + '\n');
  return missing ? 1 : 0;
}

/**
 * Writes `text`, waiting for 'drain' when the stream asks to: a pipe read slower than we write
 * (stdout into another process) would otherwise queue every row in memory (50 MB more peak RSS
 * for 100,000 rows, bench/README.md).
 */
async function written(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

interface InlineFrame {
  symbol: string;
  /** SymFromInlineContext's SYMBOL_INFO.Address (`--rva`: module-relative), hex. */
  address: string;
  file?: string;
  line?: number;
}

/**
 * The inline frames at an address, innermost first, walked the way DbgHelp users do:
 * SymAddrIncludeInlineTrace gives the count, SymQueryInlineTrace the innermost frame's context,
 * and `context + i` each frame further out (SymFromInlineContext, SymGetLineFromInlineContext).
 * The physical frame is the caller's SymFromAddr answer and is never listed here: a context
 * that answers with something other than an inline site (a backend falling back to SymFromAddr,
 * which is what context 0 gives) ends the walk instead of repeating the function.
 */
function inlineFrames(sym: SymbolHandler, address: bigint, base: bigint): InlineFrame[] {
  const n = sym.addrIncludeInlineTrace(address);
  if (!n) return [];
  const q = sym.queryInlineTrace({ startAddress: address, startContext: InlineFrameContext.INIT, startRetAddress: address, curAddress: address });
  if (!q) return [];
  const out: InlineFrame[] = [];
  for (let i = 0; i < n; i++) {
    const ctx = (q.curContext + i) >>> 0;
    const hit = sym.fromInlineContext(address, ctx);
    if (!hit || hit.symbol.tag !== SymTag.InlineSite) break;
    const line = sym.getLineFromInlineContext(address, ctx);
    const at = hex(hit.symbol.address - base);
    out.push(line ? { symbol: hit.symbol.name, address: at, file: line.fileName, line: line.lineNumber } : { symbol: hit.symbol.name, address: at });
  }
  return out;
}

async function symbols(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const a = parseArgs(argv, ['mask', 'base', 'pdb', 'symbol-path'], ['json']);
  const file = a.positionals[0];
  if (!file || a.positionals.length > 1) throw new UsageError('symbols needs exactly one FILE (an image or a PDB)');
  using sym = SymbolHandler.initialize({ searchPath: symbolPath(a.values) });
  const isPdb = /\.pdb$/i.test(file);
  const baseAddress = a.values.has('base') ? parseAddress(a.values.get('base')!) : isPdb ? 0x10000000n : undefined;
  const base = await sym.loadModule(file, { baseAddress, pdbPath: a.values.get('pdb') });
  const mask = a.values.get('mask') ?? '*';
  const json = a.flags.has('json');
  let n = 0;
  let buf: string[] = [];
  for (const s of sym.enumSymbols({ base, mask })) {
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

function info(argv: string[], out: NodeJS.WritableStream): number {
  const a = parseArgs(argv, ['symbol-path'], ['json']);
  const file = a.positionals[0];
  if (!file || a.positionals.length > 1) throw new UsageError('info needs exactly one FILE (an image or a PDB)');
  const facts = (require('./info') as typeof import('./info')).describeFile(file);
  if (a.flags.has('json')) out.write(JSON.stringify(facts) + '\n');
  else for (const [k, v] of Object.entries(facts)) out.write(`${k.padEnd(16)} ${v}\n`);
  return 0;
}

async function undname(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const a = parseArgs(argv, ['flags'], []);
  const flagsText = a.values.get('flags') ?? '0';
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(flagsText)) throw new UsageError(`--flags '${flagsText}' is not a number`);
  const flags = Number(flagsText);
  const names = a.positionals.length ? a.positionals : await readStdinLines();
  if (!names.length) throw new UsageError('undname needs decorated names (arguments or stdin)');
  const { undecorateSymbolName } = require('../demangle') as typeof import('../demangle');
  out.write(names.map((n) => undecorateSymbolName(n, flags)).join('\n') + '\n');
  return 0;
}
