/**
 * BreakpadSymbols: a Breakpad .sym file read into compact indexes and answering by module
 * RVA, as Breakpad's processor (BasicSourceLineResolver) does:
 * - lookup(rva): the FUNC covering rva with its line record and inline chain; without one, the
 *   nearest PUBLIC at or below rva when no FUNC starts between it and rva;
 * - stackWin(rva): the innermost STACK WIN record covering rva, type 4 (FRAME_DATA) before
 *   type 0 (FPO), as Breakpad prefers;
 * - cfi(rva): the STACK CFI INIT covering rva with the deltas at or below rva applied.
 *
 * Reading: `readBreakpadSymbols(path)` streams the file (bounded memory: typed-array columns,
 * names as bytes decoded on a hit); `parseBreakpadSymbols(text)` takes it whole.
 */
import * as fs from 'fs';
import { lastAtOrBelowIn, sortedOrder } from './columns';
import { cfiRules, type CfiRules } from './cfi-rules';
import { SymParser } from './sym-parser';
import { NO_FILE, type BreakpadModule, type SymTables } from './sym-records';

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

interface RangeIndex {
  /** Record indexes in address order, and each one's enclosing record (position in order, -1). */
  order: Uint32Array;
  parent: Int32Array;
}

export class BreakpadSymbols {
  readonly module: BreakpadModule;
  private readonly t: SymTables;
  private readonly funcOrder: Uint32Array | undefined;
  private readonly pubOrder: Uint32Array | undefined;
  private readonly cfiOrder: Uint32Array | undefined;
  private readonly lineOrder: Uint32Array | undefined;
  private readonly win: RangeIndex[];
  private readonly v: ReturnType<typeof views>;

  constructor(tables: SymTables) {
    this.t = tables;
    this.module = tables.module!;
    tables.arena.trim();
    const v = (this.v = views(tables));
    this.funcOrder = sortedOrder(v.funcAddr, v.funcAddr.length);
    this.pubOrder = sortedOrder(v.pubAddr, v.pubAddr.length);
    this.cfiOrder = sortedOrder(v.cfiAddr, v.cfiAddr.length);
    this.lineOrder = lineOrder(v);
    this.win = [4, 0, 1, 2, 3].map((type) => containment(v, type));
  }

  get counts(): { files: number; functions: number; lines: number; inlines: number; publics: number; stackWin: number; cfiInit: number; cfi: number } {
    const v = this.v;
    return {
      files: this.t.files.size,
      functions: v.funcAddr.length,
      lines: v.lineAddr.length,
      inlines: v.inlDepth.length,
      publics: v.pubAddr.length,
      stackWin: v.winAddr.length,
      cfiInit: v.cfiAddr.length,
      cfi: v.deltaAddr.length,
    };
  }

  /** FILE <id>'s name. */
  file(id: number): string | undefined {
    const f = this.t.files.get(id);
    return f && this.t.arena.text(f[0], f[1]);
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
    return {
      function: this.t.arena.text(v.pubNameAt[u], v.pubNameLen[u]),
      functionRva: v.pubAddr[u],
      functionSize: 0,
      parameterSize: v.pubParams[u],
      isPublic: true,
      index: v.funcAddr.length + u + 1,
      multiple: v.pubMulti[u] === 1,
      file: undefined,
      line: undefined,
      lineRva: undefined,
      inlines: [],
    };
  }

  private funcHit(f: number, rva: number): BreakpadLookup {
    const v = this.v;
    const lo = v.funcLines[f];
    const hi = f + 1 < v.funcLines.length ? v.funcLines[f + 1] : v.lineAddr.length;
    const k = lastAtOrBelowIn(v.lineAddr, this.lineOrder, lo, hi, rva);
    const li = k >= lo ? (this.lineOrder ? this.lineOrder[k] : k) : -1;
    const covered = li >= 0 && rva < v.lineAddr[li] + v.lineSize[li];
    return {
      function: this.t.arena.text(v.funcNameAt[f], v.funcNameLen[f]),
      functionRva: v.funcAddr[f],
      functionSize: v.funcSize[f],
      parameterSize: v.funcParams[f],
      isPublic: false,
      index: f + 1,
      multiple: v.funcMulti[f] === 1,
      file: covered ? this.file(v.lineFile[li]) : undefined,
      line: covered ? v.lineNo[li] : undefined,
      lineRva: covered ? v.lineAddr[li] : undefined,
      inlines: this.inlineChain(f, rva),
    };
  }

  /** From depth 0 down: the first INLINE (record order) under the current one holding rva. */
  private inlineChain(f: number, rva: number): BreakpadInline[] {
    const v = this.v;
    const lo = v.funcInlines[f];
    const hi = f + 1 < v.funcInlines.length ? v.funcInlines[f + 1] : v.inlDepth.length;
    const chain: BreakpadInline[] = [];
    let parent = -1;
    for (let i = lo; i < hi; i++) {
      if (v.inlParent[i] !== parent) continue;
      const r0 = v.inlRanges[i];
      const r1 = i + 1 < v.inlRanges.length ? v.inlRanges[i + 1] : v.rangeAddr.length;
      for (let r = r0; r < r1; r++) {
        if (rva >= v.rangeAddr[r] && rva < v.rangeAddr[r] + v.rangeSize[r]) {
          const o = this.t.origins.get(v.inlOrigin[i]);
          chain.unshift({
            name: o ? this.t.arena.text(o[0], o[1]) : `<origin ${v.inlOrigin[i]}>`,
            depth: v.inlDepth[i],
            callFile: v.inlCallFile[i] === NO_FILE ? undefined : this.file(v.inlCallFile[i]),
            callLine: v.inlCallLine[i],
            address: v.rangeAddr[r],
            size: v.rangeSize[r],
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
      yield { name: this.t.arena.text(v.funcNameAt[f], v.funcNameLen[f]), rva: v.funcAddr[f], size: v.funcSize[f], isPublic: false, index: f + 1 };
    }
    for (let p = 0; p < v.pubAddr.length; p++) {
      const u = this.pubOrder ? this.pubOrder[p] : p;
      if (starts.has(v.pubAddr[u])) continue;
      yield { name: this.t.arena.text(v.pubNameAt[u], v.pubNameLen[u]), rva: v.pubAddr[u], size: 0, isPublic: true, index: nf + u + 1 };
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
    return this.win.map((idx) => this.innermost(idx, rva)).filter((i) => i >= 0).map((i) => this.winRecord(i));
  }

  private innermost(idx: RangeIndex, rva: number): number {
    const v = this.v;
    let p = lastAtOrBelowIn(v.winAddr, idx.order, 0, idx.order.length, rva);
    while (p >= 0) {
      const w = idx.order[p];
      if (rva < v.winAddr[w] + v.winFields[w * 7]) return w;
      p = idx.parent[p];
    }
    return -1;
  }

  private winRecord(w: number): BreakpadStackWin {
    const v = this.v;
    const has = v.winHasProgram[w] === 1;
    return {
      type: v.winType[w],
      address: v.winAddr[w],
      codeSize: v.winFields[w * 7],
      prologueSize: v.winFields[w * 7 + 1],
      epilogueSize: v.winFields[w * 7 + 2],
      parameterSize: v.winFields[w * 7 + 3],
      savedRegisterSize: v.winFields[w * 7 + 4],
      localSize: v.winFields[w * 7 + 5],
      maxStackSize: v.winFields[w * 7 + 6],
      programString: has ? this.t.arena.text(v.winProgramAt[w], v.winProgramLen[w]) : undefined,
      allocatesBasePointer: !has && v.winProgramAt[w] === 1,
    };
  }

  cfi(rva: number): BreakpadCfi | undefined {
    const v = this.v;
    const p = lastAtOrBelowIn(v.cfiAddr, this.cfiOrder, 0, v.cfiAddr.length, rva);
    if (p < 0) return undefined;
    const c = this.cfiOrder ? this.cfiOrder[p] : p;
    if (rva >= v.cfiAddr[c] + v.cfiSize[c]) return undefined;
    const rules = cfiRules(this.t.arena.text(v.cfiRulesAt[c], v.cfiRulesLen[c]));
    const d1 = c + 1 < v.cfiDeltas.length ? v.cfiDeltas[c + 1] : v.deltaAddr.length;
    for (let d = v.cfiDeltas[c]; d < d1; d++) {
      if (v.deltaAddr[d] > rva) continue;
      Object.assign(rules, cfiRules(this.t.arena.text(v.deltaRulesAt[d], v.deltaRulesLen[d])));
    }
    return { address: v.cfiAddr[c], size: v.cfiSize[c], rules };
  }
}

function views(t: SymTables) {
  const o: Record<string, unknown> = {};
  const names = [
    'funcAddr', 'funcSize', 'funcParams', 'funcNameAt', 'funcNameLen', 'funcMulti', 'funcLines', 'funcInlines',
    'lineAddr', 'lineSize', 'lineNo', 'lineFile',
    'inlDepth', 'inlCallLine', 'inlCallFile', 'inlOrigin', 'inlParent', 'inlRanges', 'rangeAddr', 'rangeSize',
    'pubAddr', 'pubParams', 'pubNameAt', 'pubNameLen', 'pubMulti',
    'winType', 'winAddr', 'winFields', 'winHasProgram', 'winProgramAt', 'winProgramLen',
    'cfiAddr', 'cfiSize', 'cfiRulesAt', 'cfiRulesLen', 'cfiDeltas', 'deltaAddr', 'deltaRulesAt', 'deltaRulesLen',
  ] as const;
  for (const n of names) o[n] = t[n].view();
  return o as unknown as { [K in (typeof names)[number]]: ReturnType<SymTables[K]['view']> };
}

type Views = ReturnType<typeof views>;

/** Line records in address order within each FUNC; undefined when they already are. */
function lineOrder(v: Views): Uint32Array | undefined {
  let order: Uint32Array | undefined;
  const nf = v.funcLines.length;
  for (let f = 0; f < nf; f++) {
    const lo = v.funcLines[f];
    const hi = f + 1 < nf ? v.funcLines[f + 1] : v.lineAddr.length;
    let sorted = true;
    for (let i = lo + 1; i < hi && sorted; i++) sorted = v.lineAddr[i] >= v.lineAddr[i - 1];
    if (sorted) continue;
    order ??= Uint32Array.from({ length: v.lineAddr.length }, (_, i) => i);
    const slice = Array.from(order.subarray(lo, hi)).sort((a, b) => v.lineAddr[a] - v.lineAddr[b] || a - b);
    order.set(slice, lo);
  }
  return order;
}

/** STACK WIN records of one type in address order, each with its enclosing record. */
function containment(v: Views, type: number): RangeIndex {
  const idx: number[] = [];
  for (let i = 0; i < v.winType.length; i++) if (v.winType[i] === type) idx.push(i);
  idx.sort((a, b) => v.winAddr[a] - v.winAddr[b] || v.winFields[b * 7] - v.winFields[a * 7] || a - b);
  const order = Uint32Array.from(idx);
  const parent = new Int32Array(order.length);
  const stack: number[] = [];
  for (let p = 0; p < order.length; p++) {
    const w = order[p];
    const start = v.winAddr[w];
    while (stack.length) {
      const top = order[stack[stack.length - 1]];
      if (v.winAddr[top] + v.winFields[top * 7] > start) break;
      stack.pop();
    }
    parent[p] = stack.length ? stack[stack.length - 1] : -1;
    stack.push(p);
  }
  return { order, parent };
}

/** Parses a whole .sym text (or its bytes). */
export function parseBreakpadSymbols(text: string | Uint8Array, origin = '<breakpad symbols>'): BreakpadSymbols {
  const p = new SymParser(origin);
  p.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  return new BreakpadSymbols(p.end());
}

/** Reads a .sym file as a stream (bounded memory, whatever its size). */
export async function readBreakpadSymbols(path: string, opts: { signal?: AbortSignal } = {}): Promise<BreakpadSymbols> {
  const p = new SymParser(path);
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 20, signal: opts.signal });
  for await (const chunk of stream) p.push(chunk as Buffer);
  return new BreakpadSymbols(p.end());
}
