/**
 * processMinidump: a minidump, walked and symbolicated (what `dbghelp stack` prints). Loads the
 * dump's modules through the search path (lib/dump/load-dump.ts), walks every thread from its
 * context (the exception's for the crashing thread) with the backend's walker (backend-walk.ts), and symbolicates each
 * frame (symbolicate-frame.ts). The thread that wrote the dump (Breakpad's info stream names it)
 * is left out, as Breakpad and rust-minidump do. A module without symbols never fails the dump:
 * its frames carry `module + offset` and its status says why.
 */
import { loadDump, type LoadDumpOptions, type LoadedDump } from '../dump/load-dump';
import type { DumpModule } from '../dump/dump-module';
import type { WalkArch } from '../stackwalk/types';
import { crashReason } from './exception-codes';
import type { FrameOut, ModuleOut, ProcessState, SystemOut, ThreadOut } from './process-state';
import { symbolicateAt } from './symbolicate-frame';
import { walkThread } from './backend-walk';

export interface ProcessOptions extends LoadDumpOptions {
  /** Expand inline frames (default true). */
  inlines?: boolean;
  /** Frames per thread at most (default 1024). */
  maxFrames?: number;
}

export async function processMinidump(dumpPathOrBuffer: string | Uint8Array, opts: ProcessOptions = {}): Promise<ProcessState> {
  const loaded = await loadDump(dumpPathOrBuffer, opts);
  try {
    return processLoaded(loaded, opts);
  } finally {
    loaded.close();
  }
}

export function processLoaded(loaded: LoadedDump, opts: ProcessOptions = {}): ProcessState {
  const { dump } = loaded;
  const withInlines = opts.inlines ?? true;
  const modules = new Map<DumpModule, ModuleOut>();
  const mainRecord = mainModule(loaded);
  for (const m of loaded.modules) {
    const r = m.record;
    modules.set(m, {
      base: m.base,
      size: m.size,
      filename: m.name,
      path: r.name,
      debugFile: r.debugFile,
      debugId: r.debugId,
      codeId: r.codeId,
      version: r.version,
      status: m.status,
      isMain: m === mainRecord,
    });
  }

  const ex = dump.exception();
  const skip = dump.breakpadInfo()?.dumpThreadId;
  const threads: ThreadOut[] = [];
  let crashingThread: number | undefined;
  for (const t of loaded.threads()) {
    if (skip !== undefined && t.thread.threadId === skip && !t.crashed) continue;
    const out: ThreadOut = { id: t.thread.threadId, name: t.name, frames: [] };
    if (t.crashed) crashingThread = threads.length;
    threads.push(out);
    if (!t.context || !loaded.arch) {
      out.truncated = t.context ? 'the dump names no CPU architecture' : 'the thread has no context';
      continue;
    }
    // The active backend's walker: StackWalkEx on native/ffi, lib/stackwalk on portable (backend-walk.ts).
    const walk = walkThread(
      loaded.handler.backendHandler,
      { arch: loaded.arch, context: t.context, memory: loaded.memory, moduleAt: (a) => loaded.moduleAt(a), threadId: t.thread.threadId, maxFrames: opts.maxFrames },
      opts.signal,
    );
    if (walk.truncated) out.truncated = walk.truncated;
    walk.frames.forEach((w, i) => {
      // Callers are looked up at return address - 1 (inside the call), and their offsets are
      // printed from the return address, as Breakpad's minidump_stackwalk prints them.
      const instruction = w.instruction;
      const lookup = i === 0 || w.trust === 'context' ? instruction : instruction - 1n;
      const dm = loaded.moduleAt(lookup);
      const module = dm ? modules.get(dm) : undefined;
      const f: FrameOut = { trust: w.trust, instruction, registers: w.registers, inlines: [] };
      if (module && dm) {
        f.module = module;
        f.moduleOffset = instruction - module.base;
        if (dm.loaded) {
          const s = symbolicateAt(loaded.handler, lookup, withInlines);
          const shift = instruction - lookup;
          Object.assign(f, s, {
            functionOffset: s.functionOffset === undefined ? undefined : s.functionOffset + shift,
            lineOffset: s.lineOffset === undefined ? undefined : s.lineOffset + shift,
          });
        }
      }
      out.frames.push(f);
    });
  }
  // A dump written without an exception (a hang report, Breakpad's on-request dumps) names the
  // requesting thread instead.
  if (crashingThread === undefined) {
    const req = dump.breakpadInfo()?.requestingThreadId;
    const i = req === undefined ? -1 : threads.findIndex((t) => t.id === req);
    if (i >= 0) crashingThread = i;
  }

  const sys = dump.systemInfo();
  const arch: WalkArch | 'unknown' = loaded.arch ?? 'unknown';
  const system: SystemOut = sys
    ? {
        os: sys.platformId === 2 ? 'Windows NT' : `0x${sys.platformId.toString(16).padStart(8, '0')}`,
        osVersion: `${sys.majorVersion}.${sys.minorVersion}.${sys.buildNumber}`,
        servicePack: sys.csdVersion || undefined,
        cpuArch: arch,
        // Wine's dumps leave the CPUID vendor as uninitialised bytes: print it only when it is text.
        cpuInfo: cpuInfo(/^[\x20-\x7e]+$/.test(sys.x86Cpu?.vendorId ?? '') ? sys.x86Cpu?.vendorId : undefined, sys.processorLevel, sys.processorRevision, arch),
        cpuCount: sys.numberOfProcessors,
      }
    : { os: 'unknown', osVersion: '', cpuArch: arch };

  const state: ProcessState = {
    pid: dump.miscInfo()?.processId,
    time: new Date(dump.header.timeDateStamp * 1000),
    system,
    threads,
    crashingThread,
    modules: [...modules.values()],
    unloadedModules: dump
      .unloadedModules()
      .map((u) => ({ base: u.base, size: u.size, filename: u.name.split(/[\\/]/).pop() || u.name, codeId: `${u.timeDateStamp.toString(16).toUpperCase().padStart(8, '0')}${u.size.toString(16)}` })),
  };
  if (ex) {
    state.crash = { ...crashReason(ex.exceptionCode, ex.exceptionAddress, ex.parameters), code: ex.exceptionCode >>> 0, threadId: ex.threadId, parameters: ex.parameters };
  }
  const assertion = dump.assertionInfo();
  if (assertion && (assertion.expression || assertion.function))
    state.assertion = [assertion.expression, assertion.function, assertion.file && `${assertion.file}:${assertion.line}`].filter(Boolean).join(' ');
  return state;
}

/** The main module: the first module whose name ends in .exe, else the first (Breakpad's rule). */
function mainModule(loaded: LoadedDump): DumpModule | undefined {
  return loaded.modules.find((m) => /\.exe$/i.test(m.name)) ?? loaded.modules[0];
}

/** `GenuineIntel family 6 model 13 stepping 8`, as Breakpad prints it for x86 and amd64. */
function cpuInfo(vendor: string | undefined, level: number, revision: number, arch: WalkArch | 'unknown'): string | undefined {
  if (arch !== 'x86' && arch !== 'amd64') return undefined;
  const model = revision >> 8;
  const stepping = revision & 0xff;
  return `${vendor ? `${vendor} ` : ''}family ${level} model ${model} stepping ${stepping}`;
}
