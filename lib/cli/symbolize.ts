/**
 * `dbghelp symbolize`: addresses to function, file and line, one answer per input line.
 *
 * Inputs (arguments, else stdin lines): `0x140001000` (or decimal; module-relative with
 * `--rva`), `module+0x1000` (module-relative, by module or file name), `module!symbol`.
 * Stdin is answered as it arrives (lineBatches: what came until input paused for 1 ms), so a
 * co-process that sends one line and waits gets its answer, and 100,000 piped lines are
 * answered as one batch, 512 rows per write.
 * A bad line gets an error row (`--json`: {"input","error"}) or a line on stderr, and the rest
 * goes on. Exit status: 2 if any line was bad (after every good line is answered), else 1 if
 * any address had no symbol, else 0.
 */
import type { FromAddrResult, LineInfo } from '../api/types';
import { SymbolHandler } from '../handler';
import { hex, parseAddress, tryAddress, symbolServerOf, UsageError, type CommandSpec, type ParsedArgs } from './args';
import { loadModules, moduleAt, moduleNamed, moduleSpec, verboseTo, type CliModule, type ModuleSpec } from './modules';
import { written } from './output';
import { inlineFrames, type InlineFrame } from '../symbolicate/inline-frames';

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

interface RunState {
  bad: number;
  missing: number;
  lineNo: number;
}

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
  if (a.positionals.length) await ctx.answer(a.positionals, state, out);
  else {
    for await (const batch of lineBatches(input)) await ctx.answer(linesOf(batch), state, out);
    if (state.lineNo === 0) throw new UsageError('symbolize needs addresses (arguments or stdin)');
  }
  return state.bad ? 2 : state.missing ? 1 : 0;
}

/**
 * Stdin as batches of complete lines, each batch one string (its lines joined by '\n', without
 * the last newline: `linesOf` walks it). A batch is what arrives until no more comes for 1 ms
 * (a co-process's one line is answered at once), up to about 1 MB: a file or a fast pipe is
 * answered in big batches, since answering each 64 KB chunk as it comes cost 10-15% more CPU
 * and 15 MB more peak RSS at 100,000 lines (dump_syms_regtest64, measured against the
 * read-everything-first loop this replaced). One string rather than an array of lines: 85,000
 * line strings alive through a batch survived young-generation collections, which grew the
 * young generation to 16 MB (peak RSS 155 MB against 135 MB on the big PDB's 100,000 lines).
 */
export async function* lineBatches(input: NodeJS.ReadableStream, maxBatch = 1 << 20): AsyncGenerator<string> {
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
      const r = await Promise.race([next, new Promise<typeof IDLE>((resolve) => (timer = setTimeout(resolve, 1, IDLE)))]);
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

class Symbolizer {
  private readonly quoted = new Map<string, string>();
  private last: CliModule | undefined;

  constructor(
    private readonly sym: SymbolHandler,
    private readonly mods: CliModule[],
    private readonly json: boolean,
    private readonly rvaMode: boolean,
    private readonly withInlines: boolean,
    private readonly err: NodeJS.WritableStream,
  ) {}

  /** Answers `lines`, writing at most 512 rows at a time (rows kept longer cost peak memory). */
  async answer(lines: Iterable<string>, state: RunState, out: NodeJS.WritableStream): Promise<void> {
    const rows: string[] = [];
    for (const raw of lines) {
      const text = raw.trim();
      state.lineNo++;
      if (!text) continue;
      try {
        this.one(text, rows, state);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        state.bad++;
        if (this.json) rows.push(`{"input":${JSON.stringify(text)},"error":${JSON.stringify(e.message)}}`);
        else this.err.write(`dbghelp: input line ${state.lineNo}: ${e.message}\n`);
      }
      if (rows.length >= 512) {
        await written(out, rows.join('\n') + '\n');
        rows.length = 0;
      }
    }
    if (rows.length) await written(out, rows.join('\n') + '\n');
  }

  private one(text: string, rows: string[], state: RunState): void {
    const plain = tryAddress(text);
    let address: bigint;
    let shown: string;
    let input: string | undefined;
    let forced: FromAddrResult | undefined;
    if (plain !== undefined) {
      address = this.rvaMode ? this.mods[0].base + plain : plain;
      shown = hex(plain);
    } else {
      const plus = /^(.+?)\s*\+\s*(0x[0-9a-f]+|[0-9]+)$/i.exec(text);
      const bang = plus ? null : /^([^!\s]+)!(.+)$/.exec(text);
      if (plus) {
        const m = moduleNamed(this.mods, plus[1]);
        address = m.base + parseAddress(plus[2]);
      } else if (bang) {
        const m = moduleNamed(this.mods, bang[1]);
        const s = this.sym.fromName(`${m.name}!${bang[2]}`);
        if (!s) {
          state.missing++;
          rows.push(this.json ? `{"input":${JSON.stringify(text)},"address":null,"module":${m.json},"symbol":null,"displacement":null}` : `${text} ??`);
          return;
        }
        address = s.address;
        forced = { symbol: s, displacement: 0n };
      } else {
        throw new UsageError(`'${text}' is not an address (0x140001000), module+0xOFFSET or module!symbol`);
      }
      input = text;
      shown = hex(address);
    }
    const hit = forced ?? this.sym.fromAddr(address);
    if (!hit) state.missing++;
    // The physical frame's line: for inlined code, the call site in the enclosing function.
    const line = this.sym.getLineFromAddr(address);
    const inlines = this.withInlines ? inlineFrames(this.sym, address) : undefined;
    const mod = this.moduleOf(address);
    if (this.json) rows.push(jsonRow(input, shown, mod?.json ?? 'null', hit, line, inlines, this.quote, this.rvaMode ? this.mods[0].base : 0n));
    else {
      const where = line ? ` ${line.fileName}:${line.lineNumber}` : '';
      rows.push(hit ? `${input ?? shown} ${mod?.name ?? '?'}!${hit.symbol.name}${hit.displacement ? `+${hex(hit.displacement)}` : ''}${where}` : `${input ?? shown} ??${where}`);
      for (const f of inlines ?? []) rows.push(`  inlined ${f.symbol}${f.file !== undefined ? ` ${f.file}:${f.line}` : ''}`);
    }
  }

  private moduleOf(address: bigint): CliModule | undefined {
    const l = this.last;
    if (l && address >= l.base && address < l.end) return l;
    return (this.last = moduleAt(this.mods, address));
  }

  /** File names repeat: each is quoted once. */
  private readonly quote = (s: string): string => {
    let q = this.quoted.get(s);
    if (q === undefined) this.quoted.set(s, (q = JSON.stringify(s)));
    return q;
  };
}

/**
 * One `--json` row, written field by field (the text JSON.stringify gives for
 * {input?, address, module, symbol, displacement, file?, line?, inlines?}): at 100,000
 * addresses an object and its spreads cost more than the lookup.
 */
export function jsonRow(
  input: string | undefined,
  address: string,
  moduleJson: string,
  hit: FromAddrResult | undefined,
  line: LineInfo | undefined,
  inlines: InlineFrame[] | undefined,
  quote: (s: string) => string,
  /** Subtracted from inline frames' addresses (`--rva`: they are module-relative too). */
  base = 0n,
): string {
  let row = input === undefined ? '{' : `{"input":${JSON.stringify(input)},`;
  row += `"address":"${address}","module":${moduleJson},"symbol":${hit ? JSON.stringify(hit.symbol.name) : 'null'},"displacement":${hit ? Number(hit.displacement) : 'null'}`;
  // SYMBOL_INFO's Flags, Tag and Size, as SymFromAddr answered them.
  if (hit) row += `,"flags":${hit.symbol.flags >>> 0},"tag":${hit.symbol.tag},"size":${hit.symbol.size}`;
  if (line) row += `,"file":${quote(line.fileName)},"line":${line.lineNumber}`;
  if (inlines) {
    const frames = inlines.map((f) => {
      const at = `"symbol":${JSON.stringify(f.symbol)},"address":"${hex(f.address - base)}"`;
      return f.file !== undefined ? `{${at},"file":${quote(f.file)},"line":${f.line}}` : `{${at}}`;
    });
    row += `,"inlines":[${frames.join(',')}]`;
  }
  return row + '}';
}
