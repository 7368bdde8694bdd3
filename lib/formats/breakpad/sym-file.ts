/**
 * BreakpadSymbols: a Breakpad .sym file indexed (sym-index.ts: where each FUNC, PUBLIC, STACK
 * record is, not its text) and answering by module RVA, as Breakpad's processor
 * (BasicSourceLineResolver) does:
 * - lookup(rva): the FUNC covering rva with its line record and inline chain; without one, the
 *   nearest PUBLIC at or below rva when no FUNC starts between it and rva;
 * - stackWin(rva): the innermost STACK WIN record covering rva, type 4 (FRAME_DATA) before
 *   type 0 (FPO), as Breakpad prefers;
 * - cfi(rva): the STACK CFI INIT covering rva with the deltas at or below rva applied.
 *
 * Reading: `readBreakpadSymbols(path)` streams the file once to index it, then reads back the
 * records a lookup needs (a FUNC's block of lines and INLINEs, a CFI INIT with its deltas, a
 * name); the last decoded FUNC and CFI blocks are kept (BLOCK_CACHE). `parseBreakpadSymbols(text)`
 * indexes text held in memory. `close()` gives back the file descriptor (reads reopen it).
 *
 * Over 400 lines on purpose: every lookup a .sym answers (FUNC/PUBLIC, lines, inline chains,
 * STACK WIN, STACK CFI) reads back blocks of the file through one cache and one index.
 */
import * as fs from 'fs';
import { DbgHelpError } from '../../api/errors';
import { ioError } from '../binary/source';
import { containment, lastAtOrBelowIn, type RangeIndex } from './columns';
import { sortedOrder } from '../binary/search';
import { cfiRules, type CfiRules } from './cfi-rules';
import { decodeRecords, SymBytes } from './sym-bytes';
import type { SymIndex } from './sym-index';
import { SymParser } from './sym-parser';
import { NO_FILE, SymTables, type BreakpadModule } from './sym-records';

export type { BreakpadModule } from './sym-records';
export type { CfiRules } from './cfi-rules';

/** One inline frame at an address (INLINE + INLINE_ORIGIN). */
export interface BreakpadInline {
  /** The inlined function's name (its INLINE_ORIGIN). */
  name: string;
  depth: number;
  /** Where it was called from, in the frame outside it (undefined: file id 0 / unknown). */
  callFile: string | undefined;
  callLine: number;
  /** The INLINE range holding the address. */
  address: number;
  size: number;
}

export interface BreakpadLookup {
  function: string;
  functionRva: number;
  /** 0 for a PUBLIC (its extent is unknown). */
  functionSize: number;
  parameterSize: number;
  /** A PUBLIC answered (no FUNC covers the address). */
  isPublic: boolean;
  /** The record's number, as symbols() gives it. */
  index: number;
  /** The `m` flag: several names share this address (identical code folding). */
  multiple: boolean;
  /** The line record covering the address: the innermost source position. */
  file: string | undefined;
  line: number | undefined;
  lineRva: number | undefined;
  /**
   * Inline frames innermost first. The innermost runs at file:line above; inlines[i] was called
   * from inlines[i].callFile:callLine inside inlines[i + 1] (or inside `function` for the last).
   */
  inlines: BreakpadInline[];
}

/** A STACK WIN record. */
export interface BreakpadStackWin {
  /** 0 FPO, 1 TRAP, 2 TSS, 3 STANDARD, 4 FRAME_DATA. */
  type: number;
  address: number;
  codeSize: number;
  prologueSize: number;
  epilogueSize: number;
  parameterSize: number;
  savedRegisterSize: number;
  localSize: number;
  maxStackSize: number;
  programString: string | undefined;
  /** Without a program string: whether the function sets up EBP. */
  allocatesBasePointer: boolean;
}

/** What cfi(rva) answers: the INIT record's range and the rules in effect at rva. */
export interface BreakpadCfi {
  address: number;
  size: number;
  rules: CfiRules;
}

/** A FUNC's block decoded: its tables (one FUNC) and its lines' address order when unsorted. */
interface FuncBlock {
  t: SymTables;
  lineOrder: Uint32Array | undefined;
}

/** How many decoded FUNC blocks, CFI blocks, PUBLICs and STACK WINs are kept (most recently used). */
const BLOCK_CACHE = 64;
/** How many decoded FILE / INLINE_ORIGIN names are kept before the cache starts over. */
const NAME_CACHE = 1 << 16;

const closer = new FinalizationRegistry<SymBytes>((b) => b.close());

export class BreakpadSymbols {
  readonly module: BreakpadModule;
  private readonly x: SymIndex;
  private readonly v: ReturnType<typeof views>;
  private readonly funcOrder: Uint32Array | undefined;
  private readonly pubOrder: Uint32Array | undefined;
  private readonly cfiOrder: Uint32Array | undefined;
  private readonly win: RangeIndex[];
  private readonly funcs = new Map<number, FuncBlock>();
  private readonly cfis = new Map<number, SymTables>();
  private readonly pubs = new Map<number, { name: string; params: number; multiple: boolean }>();
  private readonly wins = new Map<number, BreakpadStackWin>();
  private readonly fileNames = new Map<number, string | undefined>();
  private readonly originNames = new Map<number, string | undefined>();
  /** For records of one line (PUBLIC, STACK WIN, a FUNC's name). */
  private readonly one = new SymTables();

  constructor(
    index: SymIndex,
    private readonly bytes: SymBytes,
  ) {
    this.x = index;
    this.module = index.module!;
    this.one.module = this.module;
    const v = (this.v = views(index));
    this.funcOrder = sortedOrder(v.funcAddr, v.funcAddr.length);
    this.pubOrder = sortedOrder(v.pubAddr, v.pubAddr.length);
    this.cfiOrder = sortedOrder(v.cfiAddr, v.cfiAddr.length);
    this.win = [4, 0, 1, 2, 3].map((type) => containment(v.winType, v.winAddr, v.winSize, type));
    closer.register(this, bytes, this);
  }

  get counts(): { files: number; functions: number; lines: number; inlines: number; publics: number; stackWin: number; cfiInit: number; cfi: number } {
    const v = this.v;
    return {
      files: this.x.files.size,
      functions: v.funcAddr.length,
      lines: this.x.lines,
      inlines: this.x.inlines,
      publics: v.pubAddr.length,
      stackWin: v.winAddr.length,
      cfiInit: v.cfiAddr.length,
      cfi: this.x.deltas,
    };
  }

  /** Gives back the file descriptor and the decoded records; a later lookup opens the file again. */
  close(): void {
    this.bytes.close();
    for (const c of [this.funcs, this.cfis, this.pubs, this.wins, this.fileNames, this.originNames]) c.clear();
  }

  /** FILE <id>'s name. */
  file(id: number): string | undefined {
    return this.name(this.x.files, this.fileNames, id);
  }

  private name(ids: SymIndex['files'], cache: Map<number, string | undefined>, id: number): string | undefined {
    if (cache.has(id)) return cache.get(id);
    const r = ids.get(id);
    const s = r && utf8.decode(this.bytes.read(r[0], r[1]));
    if (cache.size >= NAME_CACHE) cache.clear();
    cache.set(id, s);
    return s;
  }

  lookup(rva: number): BreakpadLookup | undefined {
    const v = this.v;
    const n = v.funcAddr.length;
    const p = lastAtOrBelowIn(v.funcAddr, this.funcOrder, 0, n, rva);
    if (p >= 0) {
      const f = this.funcOrder ? this.funcOrder[p] : p;
      if (rva < v.funcAddr[f] + v.funcSize[f]) return this.funcHit(f, rva);
    }
    const q = lastAtOrBelowIn(v.pubAddr, this.pubOrder, 0, v.pubAddr.length, rva);
    if (q < 0) return undefined;
    const u = this.pubOrder ? this.pubOrder[q] : q;
    if (p >= 0 && v.pubAddr[u] <= v.funcAddr[this.funcOrder ? this.funcOrder[p] : p]) return undefined;
    const pub = this.cached(this.pubs, u, () => {
      const t = this.line(v.pubAt[u], v.pubLen[u], 'PUBLIC', v.pubAddr[u]);
      return { name: t.arena.text(t.pubNameAt.get(0), t.pubNameLen.get(0)), params: t.pubParams.get(0), multiple: t.pubMulti.get(0) === 1 };
    });
    return {
      function: pub.name,
      functionRva: v.pubAddr[u],
      functionSize: 0,
      parameterSize: pub.params,
      isPublic: true,
      index: v.funcAddr.length + u + 1,
      multiple: pub.multiple,
      file: undefined,
      line: undefined,
      lineRva: undefined,
      inlines: [],
    };
  }

  private funcHit(f: number, rva: number): BreakpadLookup {
    const { t, lineOrder } = this.funcBlock(f);
    const la = t.lineAddr.view();
    const k = lastAtOrBelowIn(la, lineOrder, 0, la.length, rva);
    const li = k >= 0 ? (lineOrder ? lineOrder[k] : k) : -1;
    const covered = li >= 0 && rva < la[li] + t.lineSize.get(li);
    return {
      function: t.arena.text(t.funcNameAt.get(0), t.funcNameLen.get(0)),
      functionRva: this.v.funcAddr[f],
      functionSize: this.v.funcSize[f],
      parameterSize: t.funcParams.get(0),
      isPublic: false,
      index: f + 1,
      multiple: t.funcMulti.get(0) === 1,
      file: covered ? this.file(t.lineFile.get(li)) : undefined,
      line: covered ? t.lineNo.get(li) : undefined,
      lineRva: covered ? la[li] : undefined,
      inlines: this.inlineChain(t, rva),
    };
  }

  /** From depth 0 down: the first INLINE (record order) under the current one holding rva. */
  private inlineChain(t: SymTables, rva: number): BreakpadInline[] {
    const chain: BreakpadInline[] = [];
    const n = t.inlDepth.length;
    const ranges = t.inlRanges.view();
    const addr = t.rangeAddr.view();
    const size = t.rangeSize.view();
    let parent = -1;
    for (let i = 0; i < n; i++) {
      if (t.inlParent.get(i) !== parent) continue;
      const r1 = i + 1 < n ? ranges[i + 1] : addr.length;
      for (let r = ranges[i]; r < r1; r++) {
        if (rva >= addr[r] && rva < addr[r] + size[r]) {
          const origin = t.inlOrigin.get(i);
          const callFile = t.inlCallFile.get(i);
          chain.unshift({
            name: this.name(this.x.origins, this.originNames, origin) ?? `<origin ${origin}>`,
            depth: t.inlDepth.get(i),
            callFile: callFile === NO_FILE ? undefined : this.file(callFile),
            callLine: t.inlCallLine.get(i),
            address: addr[r],
            size: size[r],
          });
          parent = i;
          break;
        }
      }
    }
    return chain;
  }

  /**
   * Every FUNC in address order, then every PUBLIC whose address starts no FUNC: `index` is
   * stable (FUNCs 1..n in file order, PUBLICs n+1.. in file order).
   */
  *symbols(): IterableIterator<{ name: string; rva: number; size: number; isPublic: boolean; index: number }> {
    const v = this.v;
    const nf = v.funcAddr.length;
    const starts = new Set<number>();
    for (let p = 0; p < nf; p++) {
      const f = this.funcOrder ? this.funcOrder[p] : p;
      starts.add(v.funcAddr[f]);
      const t = this.line(v.funcAt[f], v.funcLen[f], 'FUNC', v.funcAddr[f]);
      yield { name: t.arena.text(t.funcNameAt.get(0), t.funcNameLen.get(0)), rva: v.funcAddr[f], size: v.funcSize[f], isPublic: false, index: f + 1 };
    }
    for (let p = 0; p < v.pubAddr.length; p++) {
      const u = this.pubOrder ? this.pubOrder[p] : p;
      if (starts.has(v.pubAddr[u])) continue;
      const t = this.line(v.pubAt[u], v.pubLen[u], 'PUBLIC', v.pubAddr[u]);
      yield { name: t.arena.text(t.pubNameAt.get(0), t.pubNameLen.get(0)), rva: v.pubAddr[u], size: 0, isPublic: true, index: nf + u + 1 };
    }
  }

  stackWin(rva: number): BreakpadStackWin | undefined {
    for (const idx of this.win.slice(0, 2)) {
      const hit = this.innermost(idx, rva);
      if (hit >= 0) return this.winRecord(hit);
    }
    return undefined;
  }

  /** Every STACK WIN type's innermost record at rva (types 1-3 are kept but not preferred). */
  stackWinAll(rva: number): BreakpadStackWin[] {
    return this.win
      .map((idx) => this.innermost(idx, rva))
      .filter((i) => i >= 0)
      .map((i) => this.winRecord(i));
  }

  private innermost(idx: RangeIndex, rva: number): number {
    const v = this.v;
    let p = lastAtOrBelowIn(v.winAddr, idx.order, 0, idx.order.length, rva);
    while (p >= 0) {
      const w = idx.order[p];
      if (rva < v.winAddr[w] + v.winSize[w]) return w;
      p = idx.parent[p];
    }
    return -1;
  }

  private winRecord(w: number): BreakpadStackWin {
    return { ...this.cached(this.wins, w, () => this.decodeWin(w)) };
  }

  private decodeWin(w: number): BreakpadStackWin {
    const t = this.line(this.v.winAt[w], this.v.winLen[w], 'STACK WIN', this.v.winAddr[w]);
    const has = t.winHasProgram.get(0) === 1;
    const field = (i: number): number => t.winFields.get(i);
    return {
      type: t.winType.get(0),
      address: t.winAddr.get(0),
      codeSize: field(0),
      prologueSize: field(1),
      epilogueSize: field(2),
      parameterSize: field(3),
      savedRegisterSize: field(4),
      localSize: field(5),
      maxStackSize: field(6),
      programString: has ? t.arena.text(t.winProgramAt.get(0), t.winProgramLen.get(0)) : undefined,
      allocatesBasePointer: !has && t.winProgramAt.get(0) === 1,
    };
  }

  cfi(rva: number): BreakpadCfi | undefined {
    const v = this.v;
    const p = lastAtOrBelowIn(v.cfiAddr, this.cfiOrder, 0, v.cfiAddr.length, rva);
    if (p < 0) return undefined;
    const c = this.cfiOrder ? this.cfiOrder[p] : p;
    if (rva >= v.cfiAddr[c] + v.cfiSize[c]) return undefined;
    const t = this.cached(this.cfis, c, (old) => this.block(v.cfiAt[c], v.cfiLen[c], 'STACK CFI INIT', v.cfiAddr[c], old));
    const rules = cfiRules(t.arena.text(t.cfiRulesAt.get(0), t.cfiRulesLen.get(0)));
    for (let d = 0; d < t.deltaAddr.length; d++) {
      if (t.deltaAddr.get(d) > rva) continue;
      Object.assign(rules, cfiRules(t.arena.text(t.deltaRulesAt.get(d), t.deltaRulesLen.get(d))));
    }
    return { address: v.cfiAddr[c], size: v.cfiSize[c], rules };
  }

  private funcBlock(f: number): FuncBlock {
    return this.cached(this.funcs, f, (old) => {
      const t = this.block(this.v.funcAt[f], this.v.funcLen[f], 'FUNC', this.v.funcAddr[f], old?.t);
      return { t, lineOrder: sortedOrder(t.lineAddr.view(), t.lineAddr.length) };
    });
  }

  /** The most recently used entries; `make` may reuse the one it evicts. */
  private cached<T>(cache: Map<number, T>, key: number, make: (evicted: T | undefined) => T): T {
    let hit = cache.get(key);
    if (hit !== undefined) {
      cache.delete(key);
    } else {
      let evicted: T | undefined;
      if (cache.size >= BLOCK_CACHE) {
        const k = cache.keys().next().value!;
        evicted = cache.get(k);
        cache.delete(k);
      }
      hit = make(evicted);
    }
    cache.set(key, hit);
    return hit;
  }

  /** The one-line record at [at, at + len) in the reused tables. */
  private line(at: number, len: number, what: string, addr: number): SymTables {
    this.one.clear();
    return decodeRecords(this.one, this.bytes.firstLine(at, len), at, this.bytes.name, what, addr);
  }

  /** A FUNC or STACK CFI INIT block read back into tables of its own. */
  private block(at: number, len: number, what: string, addr: number, reuse: SymTables | undefined): SymTables {
    const t = reuse ?? new SymTables();
    t.clear();
    t.module = this.module;
    return decodeRecords(t, this.bytes.read(at, len), at, this.bytes.name, what, addr);
  }
}

const utf8 = new TextDecoder('utf-8');

function views(x: SymIndex) {
  const o: Record<string, unknown> = {};
  const names = ['funcAddr', 'funcSize', 'funcAt', 'funcLen', 'pubAddr', 'pubAt', 'pubLen', 'winType', 'winAddr', 'winSize', 'winAt', 'winLen', 'cfiAddr', 'cfiSize', 'cfiAt', 'cfiLen'] as const;
  for (const n of names) o[n] = x[n].view();
  return o as unknown as { [K in (typeof names)[number]]: ReturnType<SymIndex[K]['view']> };
}

/** Indexes a whole .sym text (or its bytes), held in memory. */
export function parseBreakpadSymbols(text: string | Uint8Array, origin = '<breakpad symbols>'): BreakpadSymbols {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const p = new SymParser(origin);
  p.push(bytes);
  return new BreakpadSymbols(p.end(), SymBytes.of(bytes, origin));
}

/** Files up to this size are kept in memory once indexed (lookups then read no file). */
export const HOLD_BYTES = 32 << 20;

/**
 * Reads a .sym file in 1 MiB pieces and indexes it. A file of up to `holdBytes` (HOLD_BYTES) is
 * read into memory and kept; a larger one goes through one reused buffer and is read back on
 * demand (memory bounded by the index, not the file).
 */
export async function readBreakpadSymbols(path: string, opts: { signal?: AbortSignal; holdBytes?: number } = {}): Promise<BreakpadSymbols> {
  const p = new SymParser(path);
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(path, 'r');
  } catch (e) {
    throw ioError(path, e);
  }
  let held: Buffer | undefined;
  let size = 0;
  try {
    size = (await fh.stat()).size;
    held = size <= (opts.holdBytes ?? HOLD_BYTES) ? Buffer.allocUnsafe(size) : undefined;
    const piece = held ? undefined : Buffer.allocUnsafe(CHUNK);
    for (let at = 0; ;) {
      opts.signal?.throwIfAborted();
      const into = held ? held.subarray(at, Math.min(at + CHUNK, size)) : piece!;
      const { bytesRead } = into.length ? await fh.read(into, 0, into.length, at) : { bytesRead: 0 };
      if (bytesRead === 0) break;
      p.push(into.subarray(0, bytesRead));
      at += bytesRead;
    }
  } catch (e) {
    throw e instanceof DbgHelpError || (e as Error).name === 'AbortError' ? e : ioError(path, e);
  } finally {
    await fh.close();
  }
  const index = p.end();
  if (held && index.bytes === size) return new BreakpadSymbols(index, SymBytes.of(held, path));
  return new BreakpadSymbols(index, SymBytes.file(path, index.bytes));
}

const CHUNK = 1 << 20;
