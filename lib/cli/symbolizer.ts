/**
 * `dbghelp symbolize`'s answers for one batch of input lines: the batch's addresses are looked up
 * in address order, and the rows are written in input order.
 *
 * Why address order: 100,000 random addresses in the generated 187 MB PDB hit 415 modules'
 * indexes and 177,671 publics at random, and each lookup's binary searches then miss the cache
 * at every step. Sorted, consecutive lookups walk the same tables: the bench's 100,000
 * addresses (99,543 distinct) took 410-500 ms in input order and 120-200 ms in address order
 * once the indexes were built, and 1.52 s against 1.12 s with the building (a loaded machine;
 * bench/README.md "Session 6").
 *
 * A batch's answers wait in `Answers`, one slot per distinct address in typed arrays and a few
 * string references, until the batch is written: ~30 bytes an address, where keeping each row
 * or each lookup's objects would hold 200-300.
 */
import type { AddressFacts, FromAddrResult } from '../api/types';
import type { SymbolHandler } from '../handler';
import { lastAtOrBelow } from '../formats/binary/search';
import { hex, parseAddress, tryAddress, UsageError } from './args';
import { moduleAt, moduleNamed, type CliModule } from './modules';
import { RowWriter } from './output';
import { inlineFrames, type InlineFrame } from '../symbolicate/inline-frames';

export interface RunState {
  bad: number;
  missing: number;
  lineNo: number;
}

/** How pass one read a line (`Symbolizer.answer`). */
const enum Kind {
  /** Blank, bad, `module!symbol` or past 2^53: answered where it stands. */
  InPlace = 0,
  /** A plain address (module-relative with `--rva`). */
  Plain = 1,
  /** `module+0xOFFSET`. */
  ModuleOffset = 2,
}

/**
 * The answers for a batch's distinct addresses, by slot. Strings are what the row shows: JSON
 * text in `--json` mode (names quoted), plain text otherwise. Inline frames are kept as fields
 * (names and files are the handler's own strings, shared by every frame of the same inlinee),
 * and made into text only when their row is written: a batch's worth of frame text, built per
 * address and kept to the end of the batch, was copied by every young-generation collection.
 */
class Answers {
  n = 0;
  /** NaN: no symbol. */
  displacement = new Float64Array(0);
  flags = new Uint32Array(0);
  tag = new Uint32Array(0);
  size = new Uint32Array(0);
  /** 0: no line. */
  line = new Uint32Array(0);
  symbol: (string | undefined)[] = [];
  file: (string | undefined)[] = [];
  /** Slot s's inline frames: frameFirst[s] .. frameFirst[s] + frameCount[s] - 1. */
  frameFirst = new Uint32Array(0);
  frameCount = new Uint32Array(0);
  frames = 0;
  frameSymbol: string[] = [];
  frameAddress = new BigUint64Array(0);
  frameFile: (string | undefined)[] = [];
  /** 0: no line. */
  frameLine = new Uint32Array(0);

  /**
   * Room for slots 0..n (slot n answers the in-place lines); the strings of the last batch go.
   * The string arrays are made at their full size and kept from batch to batch: grown entry by
   * entry, each of 100,000 slots cost ~3 copies of a list in V8's large-object space, fresh
   * pages every time.
   */
  reset(n: number): void {
    this.symbol.fill(undefined, 0, this.n + 1);
    this.file.fill(undefined, 0, this.n + 1);
    this.frameSymbol.fill('', 0, this.frames);
    this.frameFile.fill(undefined, 0, this.frames);
    this.n = n;
    if (this.displacement.length <= n) {
      const cap = Math.max(n + 1, 2 * this.displacement.length);
      this.displacement = new Float64Array(cap);
      this.flags = new Uint32Array(cap);
      this.tag = new Uint32Array(cap);
      this.size = new Uint32Array(cap);
      this.line = new Uint32Array(cap);
      this.frameFirst = new Uint32Array(cap);
      this.frameCount = new Uint32Array(cap);
      this.symbol = new Array<string | undefined>(cap).fill(undefined);
      this.file = new Array<string | undefined>(cap).fill(undefined);
    }
    this.frames = 0;
  }

  /**
   * Slot s's inline frames (innermost first), after any kept before; names and files as `show`
   * gives them for frame depth d (JSON text in --json mode).
   */
  setFrames(s: number, list: InlineFrame[], show: (text: string, d: number) => string): void {
    this.frameFirst[s] = this.frames;
    this.frameCount[s] = list.length;
    if (this.frames + list.length > this.frameLine.length) {
      const cap = Math.max(1024, 2 * (this.frames + list.length));
      const address = new BigUint64Array(cap);
      address.set(this.frameAddress.subarray(0, this.frames));
      const line = new Uint32Array(cap);
      line.set(this.frameLine.subarray(0, this.frames));
      this.frameAddress = address;
      this.frameLine = line;
      const symbol = new Array<string>(cap).fill('');
      const file = new Array<string | undefined>(cap).fill(undefined);
      for (let k = 0; k < this.frames; k++) {
        symbol[k] = this.frameSymbol[k];
        file[k] = this.frameFile[k];
      }
      this.frameSymbol = symbol;
      this.frameFile = file;
    }
    for (let d = 0; d < list.length; d++) {
      const f = list[d];
      const k = this.frames++;
      this.frameSymbol[k] = show(f.symbol, 2 * d);
      this.frameAddress[k] = f.address;
      this.frameFile[k] = f.file !== undefined ? show(f.file, 2 * d + 1) : undefined;
      this.frameLine[k] = f.file !== undefined ? f.line! : 0;
    }
  }
}

export class Symbolizer {
  private readonly quoted = new Map<string, string>();
  private lastName: string | undefined;
  private lastQuoted = '';
  private last: CliModule | undefined;
  private readonly answers = new Answers();
  private keys = new Float64Array(0);
  private kinds = new Uint8Array(0);
  private writer: RowWriter | undefined;

  constructor(
    private readonly sym: SymbolHandler,
    private readonly mods: CliModule[],
    private readonly json: boolean,
    private readonly rvaMode: boolean,
    private readonly withInlines: boolean,
    private readonly err: NodeJS.WritableStream,
  ) {}

  /**
   * Answers the lines `each()` gives (called twice: once to read the addresses, once to write
   * the rows, through a RowWriter).
   */
  async answer(each: () => Iterable<string>, state: RunState, out: NodeJS.WritableStream): Promise<void> {
    // Pass one: each line's address, where it has one that can be looked up ahead.
    let n = 0;
    for (const raw of each()) {
      if (n === this.keys.length) this.grow(n);
      this.keys[n] = this.key(raw.trim(), n);
      n++;
    }
    // The distinct addresses in order, each looked up once.
    const sorted = this.keys.slice(0, n).sort();
    let u = 0;
    for (let i = 0; i < n && sorted[i] === sorted[i]; i++) if (u === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i];
    const addresses = sorted.subarray(0, u);
    const answers = this.answers;
    answers.reset(u);
    // The backend may build only what these addresses reach (BackendHandler.beginBatch).
    const backend = this.sym.backendHandler;
    backend.beginBatch?.(addresses);
    try {
      for (let s = 0; s < u; s++) this.resolve(s, BigInt(addresses[s]));
    } finally {
      backend.endBatch?.();
    }

    // Pass two: the rows, in input order.
    // One writer (and its buffer) for every batch written to the same stream.
    const rows = this.writer?.out === out ? this.writer : (this.writer = new RowWriter(out));
    let j = 0;
    for (const raw of each()) {
      const kind = this.kinds[j] as Kind;
      const key = this.keys[j++];
      state.lineNo++;
      if (kind === Kind.InPlace) {
        const text = raw.trim();
        if (!text) continue;
        let row: string | undefined;
        try {
          row = this.inPlace(text, state);
        } catch (e) {
          if (!(e instanceof UsageError)) throw e;
          state.bad++;
          if (this.json) row = `{"input":${JSON.stringify(text)},"error":${JSON.stringify(e.message)}}`;
          else this.err.write(`dbghelp: input line ${state.lineNo}: ${e.message}\n`);
        }
        if (row === undefined) continue;
        if (!rows.fits(row.length)) await rows.flush();
        rows.add(row);
      } else {
        const slot = lastAtOrBelow(addresses, key);
        const address = BigInt(key);
        const row =
          kind === Kind.Plain ? this.row(slot, undefined, hex(this.rvaMode ? address - this.mods[0].base : address), address, state) : this.row(slot, raw.trim(), hex(address), address, state);
        if (!rows.fits(row.length)) await rows.flush();
        rows.add(row);
      }
    }
    await rows.end();
    // The batch's strings can go now, not when the next batch comes (a co-process may idle).
    this.answers.reset(0);
  }

  private grow(n: number): void {
    const keys = new Float64Array(Math.max(1024, 2 * n));
    keys.set(this.keys);
    this.keys = keys;
    const kinds = new Uint8Array(keys.length);
    kinds.set(this.kinds);
    this.kinds = kinds;
  }

  /**
   * Line `j`'s address as a number (its kind in `kinds[j]`), or NaN for a line answered in place:
   * blank, bad, `module!symbol` (its address comes from a name lookup), or an address a double
   * cannot hold exactly.
   */
  private key(text: string, j: number): number {
    this.kinds[j] = Kind.InPlace;
    let a: { address: bigint; plain: bigint | undefined } | undefined;
    try {
      a = this.addressOf(text);
    } catch (e) {
      if (e instanceof UsageError) return NaN; // the in-place pass says what is wrong
      throw e;
    }
    if (!a || a.address > MAX_EXACT) return NaN;
    this.kinds[j] = a.plain !== undefined ? Kind.Plain : Kind.ModuleOffset;
    return Number(a.address);
  }

  /**
   * The address a plain address (`plain`: as written, module-relative with --rva) or a
   * `module+0xOFFSET` line names; undefined for any other line; a UsageError for an unknown
   * module or a bad offset.
   */
  private addressOf(text: string): { address: bigint; plain: bigint | undefined } | undefined {
    const plain = tryAddress(text);
    if (plain !== undefined) return { address: this.rvaMode ? this.mods[0].base + plain : plain, plain };
    const plus = MODULE_OFFSET.exec(text);
    return plus ? { address: moduleNamed(this.mods, plus[1]).base + parseAddress(plus[2]), plain: undefined } : undefined;
  }

  /** A line that pass one left (`module!symbol`, an address past 2^53, or a usage error): its row. */
  private inPlace(text: string, state: RunState): string {
    const a = this.addressOf(text);
    if (a) {
      this.resolve(this.answers.n, a.address);
      return a.plain !== undefined ? this.row(this.answers.n, undefined, hex(a.plain), a.address, state) : this.row(this.answers.n, text, hex(a.address), a.address, state);
    }
    const bang = /^([^!\s]+)!(.+)$/.exec(text);
    if (!bang) throw new UsageError(`'${text}' is not an address (0x140001000), module+0xOFFSET or module!symbol`);
    const m = moduleNamed(this.mods, bang[1]);
    const s = this.sym.fromName(`${m.name}!${bang[2]}`);
    if (!s) {
      state.missing++;
      return this.json ? `{"input":${JSON.stringify(text)},"address":null,"module":${m.json},"symbol":null,"displacement":null}` : `${text} ??`;
    }
    this.resolve(this.answers.n, s.address, { symbol: s, displacement: 0n });
    return this.row(this.answers.n, text, hex(s.address), s.address, state);
  }

  /** Looks `address` up into slot `s` (`forced`: the symbol a name lookup already found). */
  private resolve(s: number, address: bigint, forced?: FromAddrResult): void {
    const a = this.answers;
    const f = this.facts;
    // The symbol and the physical frame's line (for inlined code, the call site in the enclosing
    // function); a name lookup's symbol stands for the first.
    if (!forced) this.sym.addressFacts(address, f);
    else {
      f.name = forced.symbol.name;
      f.displacement = Number(forced.displacement);
      f.flags = forced.symbol.flags;
      f.tag = forced.symbol.tag;
      f.size = forced.symbol.size;
      const line = this.sym.getLineFromAddr(address);
      f.fileName = line?.fileName;
      f.lineNumber = line ? line.lineNumber : 0;
    }
    const name = f.name;
    if (name !== undefined) {
      a.displacement[s] = f.displacement;
      a.flags[s] = f.flags >>> 0;
      a.tag[s] = f.tag;
      a.size[s] = f.size;
      // Addresses in order land in one function after another: its quoted name is reused.
      if (this.json && name !== this.lastName) this.lastQuoted = JSON.stringify((this.lastName = name));
      a.symbol[s] = this.json ? this.lastQuoted : name;
    } else {
      a.displacement[s] = NaN;
      a.symbol[s] = undefined;
    }
    a.file[s] = f.fileName !== undefined ? this.show(f.fileName, -1) : undefined;
    a.line[s] = f.fileName !== undefined ? f.lineNumber : 0;
    if (this.withInlines) a.setFrames(s, inlineFrames(this.sym, address), this.show);
  }
  private readonly facts: AddressFacts = { name: undefined, displacement: 0, flags: 0, tag: 0, size: 0, fileName: undefined, lineNumber: 0 };

  /** Slot s's inline frames as the row shows them: JSON array items, or `  inlined` lines. */
  private inlineText(s: number): string {
    const a = this.answers;
    const first = a.frameFirst[s];
    const end = first + a.frameCount[s];
    let text = '';
    if (!this.json) {
      for (let k = first; k < end; k++) {
        const file = a.frameFile[k];
        text += file !== undefined ? `\n  inlined ${a.frameSymbol[k]} ${file}:${a.frameLine[k]}` : `\n  inlined ${a.frameSymbol[k]}`;
      }
      return text;
    }
    const base = this.rvaMode ? this.mods[0].base : 0n;
    for (let k = first; k < end; k++) {
      if (k > first) text += ',';
      text += `{"symbol":${a.frameSymbol[k]},"address":"${hex(a.frameAddress[k] - base)}"`;
      const file = a.frameFile[k];
      text += file !== undefined ? `,"file":${file},"line":${a.frameLine[k]}}` : '}';
    }
    return text;
  }

  /**
   * One row from slot `s`: in `--json` mode the text JSON.stringify gives for {input?, address,
   * module, symbol, displacement, flags?, tag?, size?, file?, line?, inlines?}, written field by
   * field (at 100,000 addresses an object and its spreads cost more than the lookup).
   */
  private row(s: number, input: string | undefined, shown: string, address: bigint, state: RunState): string {
    const a = this.answers;
    const disp = a.displacement[s];
    const found = disp === disp;
    if (!found) state.missing++;
    const mod = this.moduleOf(address);
    const file = a.file[s];
    const inl = this.withInlines ? this.inlineText(s) : undefined;
    if (this.json) {
      let row = input === undefined ? '{' : `{"input":${JSON.stringify(input)},`;
      row += `"address":"${shown}","module":${mod?.json ?? 'null'},"symbol":${found ? a.symbol[s] : 'null'},"displacement":${found ? disp : 'null'}`;
      // SYMBOL_INFO's Flags, Tag and Size, as SymFromAddr answered them.
      if (found) row += `,"flags":${a.flags[s]},"tag":${a.tag[s]},"size":${a.size[s]}`;
      if (file !== undefined) row += `,"file":${file},"line":${a.line[s]}`;
      if (inl !== undefined) row += `,"inlines":[${inl}]`;
      return row + '}';
    }
    const where = file !== undefined ? ` ${file}:${a.line[s]}` : '';
    const head = found ? `${input ?? shown} ${mod?.name ?? '?'}!${a.symbol[s]}${disp ? `+${hex(disp)}` : ''}${where}` : `${input ?? shown} ??${where}`;
    return inl ? head + inl : head;
  }

  private moduleOf(address: bigint): CliModule | undefined {
    const l = this.last;
    if (l && address >= l.base && address < l.end) return l;
    return (this.last = moduleAt(this.mods, address));
  }

  /** File names and inlinee names repeat: each is quoted once. */
  private readonly quote = (s: string): string => {
    let q = this.quoted.get(s);
    if (q === undefined) this.quoted.set(s, (q = JSON.stringify(s)));
    return q;
  };

  /**
   * A file or inlinee name as rows show it (quoted in --json mode). Addresses in order meet the
   * same names at the same place one after another (slot `at`: the physical line's file is -1,
   * inline frame d's name 2d and file 2d + 1): the last one shown there is reused, without a
   * lookup in `quoted` (two to four a frame cost ~3% of a --inlines run).
   */
  private readonly show = (text: string, at: number): string => {
    if (!this.json) return text;
    const k = at + 1;
    if (this.shownText[k] === text) return this.shownAs[k];
    const q = this.quote(text);
    this.shownText[k] = text;
    this.shownAs[k] = q;
    return q;
  };
  private readonly shownText: string[] = [];
  private readonly shownAs: string[] = [];
}

const MODULE_OFFSET = /^(.+?)\s*\+\s*(0x[0-9a-f]+|[0-9]+)$/i;
/** The largest address a double holds exactly (beyond it a line is answered in place). */
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
