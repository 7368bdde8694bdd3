/**
 * Batch symbolication (lib/symbolicate/types.ts: Mozilla's symbolication API v5): many modules,
 * many stacks, in one request. Each module (debug name + debug id) is looked for once through
 * the symbol path (lib/symsrv: directories, caches, symbol servers) and loaded once per
 * Symbolicator; a module that cannot be found, fetched or read gets `found_modules: false` and
 * its status, and every other frame is still answered.
 */
import { DbgHelpError } from '../api/errors';
import { describeModuleStatus, hasSymbols, type ModuleStatus } from '../api/module-status';
import { SymbolHandler } from '../handler';
import { SearchObserver } from '../portable/load-status';
import { searchFile } from '../symsrv/search';
import { splitDebugId } from './debug-id';
import { inlineFrames } from './inline-frames';
import type { SymbolicatedFrame, SymbolicateOptions, SymbolicationJob, SymbolicationRequest, SymbolicationResponse, SymbolicationResult } from './types';

/** Modules are loaded this far apart (module offsets are 32-bit RVAs). */
const MODULE_SPACING = 0x1_0000_0000n;

interface Loaded {
  base: bigint | undefined;
  status: ModuleStatus;
}

export class Symbolicator {
  private readonly sym: SymbolHandler;
  private readonly modules = new Map<string, Promise<Loaded>>();
  private nextBase = MODULE_SPACING;

  constructor(private readonly options: SymbolicateOptions = {}) {
    this.sym = SymbolHandler.initialize({ searchPath: options.searchPath ?? null, symbolServer: options.symbolServer });
    if (options.homeDirectory !== undefined) this.sym.setHomeDirectory(options.homeDirectory);
  }

  /** Answers a v5 request. A malformed request is INVALID_PARAMETER; a missing module is not an error. */
  async symbolicate(request: SymbolicationRequest): Promise<SymbolicationResponse> {
    const jobs = jobsOf(request);
    const results: SymbolicationResult[] = [];
    for (const job of jobs) results.push(await this.job(job));
    return { results };
  }

  close(): void {
    this.sym.cleanup();
  }
  [Symbol.dispose](): void {
    this.close();
  }

  private async job(job: SymbolicationJob): Promise<SymbolicationResult> {
    const loaded: Loaded[] = [];
    const result: SymbolicationResult = { stacks: [], found_modules: {}, module_status: {} };
    for (const [name, id] of job.memoryMap) {
      const m = await this.load(name, id);
      loaded.push(m);
      const key = `${name}/${id}`;
      result.found_modules[key] = hasSymbols(m.status);
      result.module_status[key] = m.status;
      if (!hasSymbols(m.status)) (result.module_errors ??= {})[key] = [{ name: m.status.kind, message: describeModuleStatus(name, m.status) }];
    }
    const inlines = this.options.inlines !== false;
    for (const stack of job.stacks) {
      result.stacks.push(
        stack.map(([index, offset], i): SymbolicatedFrame => {
          const frame: SymbolicatedFrame = { frame: i, module_offset: `0x${offset.toString(16)}`, module: index >= 0 && index < job.memoryMap.length ? job.memoryMap[index][0] : '<unknown>' };
          const m = loaded[index];
          if (m?.base === undefined) return frame;
          const address = m.base + BigInt(offset);
          const hit = this.sym.fromAddr(address);
          if (!hit) return frame;
          frame.function = hit.symbol.name;
          frame.function_offset = `0x${hit.displacement.toString(16)}`;
          if (hit.symbol.size) frame.function_size = `0x${hit.symbol.size.toString(16)}`;
          const line = this.sym.getLineFromAddr(address);
          if (line) {
            frame.file = line.fileName;
            frame.line = line.lineNumber;
          }
          const inl = inlines ? inlineFrames(this.sym, address) : [];
          if (inl.length) frame.inlines = inl.map((f) => ({ function: f.symbol, ...(f.file !== undefined ? { file: f.file, line: f.line } : {}) }));
          return frame;
        }),
      );
    }
    return result;
  }

  /** One search and one load per (debug name, debug id), shared by every job and request. */
  private load(name: string, id: string): Promise<Loaded> {
    const key = `${name.toLowerCase()}/${id.toUpperCase()}`;
    let p = this.modules.get(key);
    if (!p) {
      p = this.find(name, id);
      this.modules.set(key, p);
    }
    return p;
  }

  private async find(name: string, id: string): Promise<Loaded> {
    const wanted = { name, debugId: id };
    const parsed = splitDebugId(id);
    if (!parsed) return { base: undefined, status: { kind: 'unsupported', reason: `'${id}' is not a PDB debug id (GUID then age, in hex)` } };
    if (!/\.pdb$/i.test(name)) return { base: undefined, status: { kind: 'unsupported', reason: `${name}: only PDBs are looked up (debug names ending in .pdb)` } };
    const seen = new SearchObserver();
    const debug = this.options.onDebug;
    if (debug) this.sym.on('debug', debug);
    let file: string | undefined;
    try {
      file = await searchFile(
        this.sym.getSearchPath(),
        { fileName: name, identity: { kind: 'pdb70', guid: parsed.guid, age: parsed.age }, ...seen.callbacks },
        { options: this.sym.getOptions(), homeDirectory: this.sym.getHomeDirectory(), debug: debug ?? (() => undefined), signal: this.options.signal, symbolServer: this.options.symbolServer },
      );
    } catch (e) {
      if (e instanceof DbgHelpError && e.code === 'ABORTED') throw e;
      if (!(e instanceof DbgHelpError)) throw e;
      return { base: undefined, status: { kind: 'malformed', path: e.file ?? name, error: e.message } };
    } finally {
      if (debug) this.sym.off('debug', debug);
    }
    if (!file) return { base: undefined, status: seen.missing(wanted) };
    const base = this.nextBase;
    this.nextBase += MODULE_SPACING;
    return this.sym.tryLoadModule(file, { baseAddress: base });
  }
}

/** Answers one v5 request with a Symbolicator made for it (modules loaded once, then closed). */
export async function symbolicate(request: SymbolicationRequest, options: SymbolicateOptions = {}): Promise<SymbolicationResponse> {
  const s = new Symbolicator(options);
  try {
    return await s.symbolicate(request);
  } finally {
    s.close();
  }
}

/** The request's jobs, checked: memoryMap entries are [string, string], frames [int, int >= 0]. */
function jobsOf(request: unknown): SymbolicationJob[] {
  const bad = (what: string) => new DbgHelpError('INVALID_PARAMETER', `symbolication request: ${what}`);
  if (!request || typeof request !== 'object') throw bad('must be a JSON object with "jobs" (or "memoryMap" and "stacks")');
  const r = request as { jobs?: unknown };
  const jobs = Array.isArray(r.jobs) ? r.jobs : 'memoryMap' in r ? [r] : undefined;
  if (!jobs) throw bad('"jobs" must be an array of {"memoryMap", "stacks"}');
  return jobs.map((j, n) => {
    const job = j as { memoryMap?: unknown; stacks?: unknown };
    if (!job || !Array.isArray(job.memoryMap) || !Array.isArray(job.stacks)) throw bad(`job ${n} needs "memoryMap" and "stacks" arrays`);
    job.memoryMap.forEach((m, i) => {
      if (!Array.isArray(m) || m.length < 2 || typeof m[0] !== 'string' || typeof m[1] !== 'string') throw bad(`job ${n} memoryMap[${i}] must be [debugName, debugId]`);
    });
    job.stacks.forEach((s, i) => {
      if (!Array.isArray(s)) throw bad(`job ${n} stacks[${i}] must be an array of [moduleIndex, moduleOffset]`);
      s.forEach((f, k) => {
        if (!Array.isArray(f) || f.length < 2 || !Number.isInteger(f[0]) || !Number.isInteger(f[1]) || f[1] < 0) {
          throw bad(`job ${n} stacks[${i}][${k}] must be [moduleIndex, moduleOffset] (integers, offset >= 0)`);
        }
      });
    });
    return job as SymbolicationJob;
  });
}
