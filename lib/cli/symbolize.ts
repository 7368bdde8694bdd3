/**
 * `dbghelp symbolize`: addresses to function, file and line, one answer per input line.
 *
 * Inputs (arguments, else stdin lines): `0x140001000` (or decimal; module-relative with
 * `--rva`), `module+0x1000` (module-relative, by module or file name), `module!symbol`.
 * Stdin is answered as it arrives (lineBatches: what came until input paused for 1 ms), so a
 * co-process that sends one line and waits gets its answer, and 100,000 piped lines are
 * answered in batches of up to 1 MB, each looked up in address order and written in input order
 * (symbolizer.ts).
 * A bad line gets an error row (`--json`: {"input","error"}) or a line on stderr, and the rest
 * goes on. Exit status: 2 if any line was bad (after every good line is answered), else 1 if
 * any address had no symbol, else 0.
 */
import * as fs from 'fs';
import { SymbolHandler } from '../handler';
import { parseAddress, symbolServerOf, UsageError, type CommandSpec, type ParsedArgs } from './args';
import { loadModules, moduleSpec, verboseTo, type ModuleSpec } from './modules';
import { Symbolizer, type RunState } from './symbolizer';

export const SYMBOLIZE: CommandSpec = {
  name: 'symbolize',
  usage: `usage: dbghelp symbolize (--image X.exe[@BASE]... [--pdb X.pdb] | --pdb X.pdb --rva) [options] [INPUT...]
  Answers each INPUT (or each stdin line, as it arrives) with module!function+offset file:line.
  INPUT: an address (0x140001000, or module-relative with --rva), module+0xOFFSET, module!symbol.
  --image FILE[@BASE]   a module to load (repeat for a module map; @BASE loads it there)
  --pdb FILE            the PDB for the one --image, or alone (with --rva, or --base)
  --base ADDR           load the one module at ADDR
  --rva                 addresses are module-relative (one module)
  --inlines             list inline frames (innermost first)
  --json                one JSON object per input line
  --symbol-path P       where to look for PDBs (else _NT_SYMBOL_PATH)
  --verbose             print the symbol search's log on stderr
  --no-miss-cache       ask symbol servers again for files they did not have
  exit: 0 all found, 1 some address without a symbol, 2 bad usage or a bad input line`,
  options: {
    image: { type: 'string', multiple: true },
    pdb: { type: 'string' },
    base: { type: 'string' },
    rva: { type: 'boolean' },
    inlines: { type: 'boolean' },
    json: { type: 'boolean' },
    'symbol-path': { type: 'string' },
    'no-miss-cache': { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
};

export async function symbolize(a: ParsedArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream, input: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<number> {
  const images = a.lists.get('image') ?? [];
  const pdb = a.values.get('pdb');
  const rvaMode = a.flags.has('rva');
  if (!images.length && !pdb) throw new UsageError('symbolize needs --image X.exe (or --pdb X.pdb with --rva)');
  if (images.length > 1 && (pdb || a.values.has('base') || rvaMode)) throw new UsageError('--pdb, --base and --rva go with one --image; give each image its base as --image FILE@BASE');
  const baseAddress = a.values.has('base') ? parseAddress(a.values.get('base')!) : undefined;
  let specs: ModuleSpec[];
  if (images.length) specs = images.map((t, i) => (i === 0 && images.length === 1 ? { ...moduleSpec(t), ...(baseAddress !== undefined ? { baseAddress } : {}), pdbPath: pdb } : moduleSpec(t)));
  else if (rvaMode || baseAddress !== undefined) specs = [{ file: pdb!, baseAddress: baseAddress ?? 0x10000000n }];
  else throw new UsageError('--pdb without --image needs --rva (addresses relative to the module) or --base ADDR');
  if (!a.positionals.length && input.isTTY) throw new UsageError('symbolize needs addresses (arguments or stdin)');

  using sym = SymbolHandler.initialize({ searchPath: a.values.get('symbol-path') ?? null, symbolServer: symbolServerOf(a) });
  if (a.flags.has('verbose')) verboseTo(sym, err);
  const mods = await loadModules(sym, specs, err);
  const ctx = new Symbolizer(sym, mods, a.flags.has('json'), rvaMode, a.flags.has('inlines'), err);
  const state: RunState = { bad: 0, missing: 0, lineNo: 0 };
  if (a.positionals.length) await ctx.answer(() => a.positionals, state, out);
  else {
    // A file holds all its lines already: batches are not cut where a read happened to be slow.
    for await (const batch of lineBatches(input, isRegularFile(input) ? FILE_BATCH : undefined, isRegularFile(input) ? Infinity : 1)) await ctx.answer(() => linesOf(batch), state, out);
    if (state.lineNo === 0) throw new UsageError('symbolize needs addresses (arguments or stdin)');
  }
  return state.bad ? 2 : state.missing ? 1 : 0;
}

/**
 * A batch from a file: up to about 4 MB of text (~330,000 addresses), so that the modules a
 * batch reaches are indexed for all of its addresses at once (rva-batch.ts: a module indexed
 * for one batch is indexed again, whole, when the next reaches what the first left out).
 */
const FILE_BATCH = 1 << 22;

/**
 * Stdin as batches of complete lines, each batch one string (its lines joined by '\n', without
 * the last newline: `linesOf` walks it). A batch is what arrives until no more comes for
 * `idleMs` (1: a co-process's one line is answered at once; Infinity for a file, whose reads are
 * never waited on by a writer: on a loaded machine a slow 64 KB read cut a file into 5,000-line
 * batches), up to about 1 MB: a file or a fast pipe is
 * answered in big batches, since answering each 64 KB chunk as it comes cost 10-15% more CPU
 * and 15 MB more peak RSS at 100,000 lines (dump_syms_regtest64, measured against the
 * read-everything-first loop this replaced). One string rather than an array of lines: 85,000
 * line strings alive through a batch survived young-generation collections, which grew the
 * young generation to 16 MB (peak RSS 155 MB against 135 MB on the big PDB's 100,000 lines).
 */
export async function* lineBatches(input: NodeJS.ReadableStream, maxBatch = 1 << 20, idleMs = 1): AsyncGenerator<string> {
  const it = input[Symbol.asyncIterator]() as AsyncIterator<string | Uint8Array>;
  const decoder = new TextDecoder();
  const decode = (c: string | Uint8Array) => (typeof c === 'string' ? c : decoder.decode(c, { stream: true }));
  const IDLE = Symbol('idle');
  let rest = '';
  let pending: Promise<IteratorResult<string | Uint8Array>> | undefined;
  let ended = false;
  while (!ended) {
    const first = await (pending ?? it.next());
    pending = undefined;
    if (first.done) break;
    let text = rest + decode(first.value);
    while (text.length < maxBatch) {
      const next = it.next();
      let timer: NodeJS.Timeout | undefined;
      const r = idleMs === Infinity ? await next : await Promise.race([next, new Promise<typeof IDLE>((resolve) => (timer = setTimeout(resolve, idleMs, IDLE)))]);
      clearTimeout(timer);
      if (r === IDLE) {
        pending = next;
        break;
      }
      if (r.done) {
        ended = true;
        break;
      }
      text += decode(r.value);
    }
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      rest = text;
      continue;
    }
    rest = text.slice(last + 1);
    yield text.slice(0, last);
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

/** The lines of a batch, in order, each made as it is reached. */
export function* linesOf(batch: string): Generator<string> {
  let at = 0;
  for (;;) {
    const nl = batch.indexOf('\n', at);
    if (nl < 0) return yield batch.slice(at);
    yield batch.slice(at, nl);
    at = nl + 1;
  }
}

/** Whether a stream reads a regular file (stdin redirected from one), not a pipe or terminal. */
export function isRegularFile(input: NodeJS.ReadableStream): boolean {
  const fd = (input as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return false;
  try {
    return fs.fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
