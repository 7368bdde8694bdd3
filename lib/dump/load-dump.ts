/**
 * loadDump: a symbol handler over a minidump. Opens the dump, creates a SymbolHandler and loads
 * every module of the dump at its base through the search path (images by TimeDateStamp +
 * SizeOfImage, PDBs by the dump's CodeView GUID/age), `concurrency` modules at a time, with
 * progress events and an AbortSignal. Each module gets a ModuleStatus; one bad module never
 * fails the dump, nor does a broken SystemInfo or memory list (`warnings` says what was lost). The result also serves the stack walker: the dump's memory (MemoryReader),
 * a WalkModule per module, thread contexts (RegisterSet).
 */
import { DbgHelpError } from '../api/errors';
import type { ModuleStatus } from '../api/module-status';
import type { InitializeOptions, SymbolFileProgress, SymbolServerOptions } from '../api/types';
import { SymbolHandler } from '../handler';
import { openMinidump, type Minidump } from '../formats/minidump/minidump';
import type { ThreadContext } from '../formats/minidump/context';
import { DumpMemory } from '../formats/minidump/dump-memory';
import { BufferSource } from '../formats/binary/source';
import type { MinidumpThread } from '../formats/minidump/thread-list';
import type { WalkArch } from '../stackwalk/types';
import { effectiveSearchPath } from '../symsrv/symbol-path';
import { DumpModule } from './dump-module';
import { loadDumpModule } from './load-module';
import { lastWhere } from '../formats/binary/search';

export type DumpLoadProgress =
  /** A module's search begins. */
  | { kind: 'module-start'; index: number; name: string; total: number }
  /** A module is done (loaded or not: `status` says); `completed` modules of `total` are done. */
  | { kind: 'module-done'; index: number; name: string; total: number; completed: number; status: ModuleStatus }
  /** A symbol file is being copied or downloaded for a module. */
  | { kind: 'download'; index: number; name: string; progress: SymbolFileProgress };

export interface LoadDumpOptions {
  /** The symbol search path (`srv*C:\cache*https://msdl.microsoft.com/download/symbols;D:\build`); default as SymInitialize's. */
  searchPath?: string | null;
  /** Modules searched and loaded at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: DumpLoadProgress) => void;
  /** SYMOPT_* for the handler (default: the handler's defaults). */
  options?: number;
  /** Verbose search lines (DbgHelp's wording), as SymbolHandler's 'debug' event gives them. */
  onDebug?: (line: string) => void;
  /**
   * Also find each module's image (default true): the walker's unwind data (x64 .pdata) and
   * exports come from it. False searches PDBs only; readRva then serves the dump's memory.
   */
  findImages?: boolean;
  /** HTTP symbol-server settings (headers, timeouts, proxy, miss cache). */
  symbolServer?: SymbolServerOptions;
  /** A name for a dump given as bytes (messages). */
  name?: string;
}

export interface LoadedDump {
  readonly dump: Minidump;
  /** The handler with the dump's modules loaded at their bases. Its search path is the one given. */
  readonly handler: SymbolHandler;
  /** Every module of the dump's module list, in its order. */
  readonly modules: readonly DumpModule[];
  /** The CPU architecture (from SystemInfo), when the dump has one we read contexts of. */
  readonly arch: WalkArch | undefined;
  /** Process memory from the dump (MemoryList + Memory64List). */
  readonly memory: DumpMemory;
  /** Streams that could not be read and were done without (SystemInfo, memory lists), with why. */
  readonly warnings: readonly string[];
  /** The module holding an address (a WalkModule), if any. */
  moduleAt(address: bigint): DumpModule | undefined;
  /**
   * The threads (ThreadList/ThreadExList, whose own corruption throws BAD_FORMAT) with their
   * names and contexts: the exception's context for the crashing thread; `contextError` when a
   * thread's context record could not be read.
   */
  threads(): { thread: MinidumpThread; name?: string; context?: ThreadContext; crashed: boolean; contextError?: string }[];
  /** Cleans up the handler, closes the dump and every image/PDB opened for the walker. */
  close(): void;
}

/** Opens a dump and loads its modules' symbols. Rejects only for the dump itself (unreadable) or an abort. */
export async function loadDump(dumpPathOrBuffer: string | Uint8Array, opts: LoadDumpOptions = {}): Promise<LoadedDump> {
  const concurrency = opts.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new DbgHelpError('INVALID_PARAMETER', 'loadDump: concurrency must be a positive integer');
  aborted(opts.signal);
  const dump = openMinidump(dumpPathOrBuffer, opts.name);
  let handler: SymbolHandler | undefined;
  const modules: DumpModule[] = [];
  try {
    // A broken SystemInfo or memory list costs the walker those, not the symbols.
    const warnings: string[] = [];
    const tolerate = <T>(what: string, read: () => T, fallback: T): T => {
      try {
        return read();
      } catch (e) {
        if (!(e instanceof DbgHelpError)) throw e;
        warnings.push(`${what}: ${e.message}`);
        return fallback;
      }
    };
    const arch = tolerate('SystemInfo', () => dump.arch(), undefined);
    const memory = tolerate('memory lists', () => dump.memory(), new DumpMemory(new BufferSource(new Uint8Array(0), dump.name), []));
    const records = dump.modules();
    const init: InitializeOptions = { searchPath: '', symbolServer: opts.symbolServer };
    if (opts.options !== undefined) init.options = opts.options;
    handler = SymbolHandler.initialize(init);
    if (opts.onDebug) handler.on('debug', opts.onDebug);
    const searchPath = effectiveSearchPath(opts.searchPath ?? null, handler.getOptions());
    records.forEach((r, i) => modules.push(new DumpModule(i, r, memory, arch === 'x86')));

    let next = 0;
    let completed = 0;
    const total = modules.length;
    const h = handler;
    const debug = (line: string) => opts.onDebug?.(line);
    const worker = async () => {
      while (next < total) {
        aborted(opts.signal);
        const mod = modules[next++];
        opts.onProgress?.({ kind: 'module-start', index: mod.index, name: mod.name, total });
        try {
          await loadDumpModule(mod, {
            handler: h,
            searchPath,
            findImages: opts.findImages ?? true,
            env: {
              options: h.getOptions(),
              homeDirectory: h.getHomeDirectory(),
              debug,
              signal: opts.signal,
              symbolServer: opts.symbolServer,
              onProgress: (p) => opts.onProgress?.({ kind: 'download', index: mod.index, name: mod.name, progress: p }),
            },
          });
        } catch (e) {
          // The search itself failed (an unreadable store, a cache that cannot be written):
          // this module only.
          if (!(e instanceof DbgHelpError) || e.code === 'ABORTED') throw e;
          mod.status = {
            kind: 'unavailable',
            wanted: { name: mod.record.debugFile?.split(/[\\/]/).pop() || mod.name, debugId: mod.record.debugId, codeId: mod.record.codeId },
            server: e.file ?? 'symbol search',
            reason: e.message,
          };
        }
        completed++;
        opts.onProgress?.({ kind: 'module-done', index: mod.index, name: mod.name, total, completed, status: mod.status });
      }
    };
    const results = await Promise.allSettled(Array.from({ length: Math.min(concurrency, total) }, worker));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    aborted(opts.signal);
    handler.setSearchPath(opts.searchPath ?? null);
    return makeLoaded(dump, handler, modules, arch, memory, warnings);
  } catch (e) {
    for (const m of modules) m.close();
    handler?.cleanup();
    dump.close();
    throw e;
  }
}

function makeLoaded(dump: Minidump, handler: SymbolHandler, modules: DumpModule[], arch: WalkArch | undefined, memory: DumpMemory, warnings: string[]): LoadedDump {
  const byBase = [...modules].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  return {
    dump,
    handler,
    modules,
    arch,
    memory,
    warnings,
    moduleAt(address: bigint): DumpModule | undefined {
      const i = lastWhere(byBase.length, (k) => byBase[k].base <= address);
      const m = i < 0 ? undefined : byBase[i];
      return m && address < m.base + BigInt(m.size) ? m : undefined;
    },
    threads() {
      const ex = dump.exception();
      const names = dump.threadNames();
      return dump.threads().map((thread) => {
        const crashed = ex !== undefined && ex.threadId === thread.threadId;
        // A thread whose context record is bad keeps its place, with the error instead.
        try {
          const context = crashed ? (dump.exceptionContext() ?? dump.threadContext(thread)) : dump.threadContext(thread);
          return { thread, name: names.get(thread.threadId), context, crashed };
        } catch (e) {
          if (!(e instanceof DbgHelpError)) throw e;
          return { thread, name: names.get(thread.threadId), crashed, contextError: e.message };
        }
      });
    },
    close() {
      for (const m of modules) m.close();
      try {
        handler.cleanup();
      } catch {
        // already cleaned up
      }
      dump.close();
    },
  };
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DbgHelpError('ABORTED', 'loading the dump was cancelled', { cause: signal.reason });
}
