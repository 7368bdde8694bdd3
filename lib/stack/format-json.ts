/**
 * `dbghelp stack --json`: rust-minidump's stable JSON schema (minidump-processor's
 * json-schema.md), so tools written for minidump-stackwalk read ours. Hex values are strings
 * padded to the crashing platform's pointer width. Additions, as the schema allows: each module's
 * `symbol_status` (the package's ModuleStatus, docs/API.md), each thread's `thread_id` and
 * `truncated`, each frame's `line_offset`.
 */
import { hasSymbols } from '../api/module-status';
import type { FrameOut, ModuleOut, ProcessState, ThreadOut } from './process-state';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function toRustMinidumpJson(p: ProcessState): { [k: string]: Json } {
  const width = p.system.cpuArch === 'x86' ? 8 : 16;
  const hx = (v: bigint | number | undefined): Json => (v === undefined ? null : `0x${v.toString(16).padStart(width, '0')}`);
  const frame = (f: FrameOut, i: number): Json => ({
    frame: i,
    trust: f.trust,
    offset: hx(f.instruction),
    module: f.module?.filename ?? null,
    module_offset: hx(f.moduleOffset),
    function: f.function ?? null,
    function_offset: hx(f.functionOffset),
    file: f.file ?? null,
    line: f.line ?? null,
    line_offset: hx(f.lineOffset),
    missing_symbols: f.module ? !hasSymbols(f.module.status) : true,
    inlines: f.inlines.map((x) => ({ function: x.function, file: x.file ?? null, line: x.line ?? null })),
  });
  const thread = (t: ThreadOut): { [k: string]: Json } => ({
    thread_id: t.id,
    thread_name: t.name ?? null,
    last_error_value: t.lastError === undefined ? null : `0x${t.lastError.toString(16).padStart(8, '0')}`,
    frame_count: t.frames.length,
    frames: t.frames.map(frame),
    truncated: t.truncated ?? null,
  });
  const module = (m: ModuleOut): Json => ({
    base_addr: hx(m.base),
    end_addr: hx(m.base + BigInt(m.size)),
    debug_file: m.debugFile ?? null,
    debug_id: m.debugId ?? null,
    filename: m.filename,
    code_id: m.codeId ?? null,
    version: m.version ?? null,
    cert_subject: null,
    missing_symbols: m.status.kind === 'symbols-missing' || m.status.kind === 'image-missing' || m.status.kind === 'unavailable' || m.status.kind === 'mismatched',
    loaded_symbols: hasSymbols(m.status),
    corrupt_symbols: m.status.kind === 'malformed',
    symbol_url: null,
    symbol_status: m.status as unknown as Json,
  });
  const crashing = p.crashingThread !== undefined ? p.threads[p.crashingThread] : undefined;
  const registers: { [k: string]: Json } = {};
  if (crashing?.frames[0]) for (const [k, v] of crashing.frames[0].registers) registers[k] = hx(v);
  const main = p.modules.findIndex((m) => m.isMain);
  return {
    status: 'OK',
    pid: p.pid ?? null,
    crash_info: {
      type: p.crash?.type ?? null,
      address: hx(p.crash?.address),
      crashing_thread: p.crashingThread ?? null,
      assertion: p.assertion ?? null,
    },
    system_info: {
      os: p.system.os,
      os_ver: p.system.osVersion,
      cpu_arch: p.system.cpuArch,
      cpu_info: p.system.cpuInfo ?? null,
      cpu_count: p.system.cpuCount ?? null,
      cpu_microcode_version: null,
    },
    thread_count: p.threads.length,
    threads: p.threads.map(thread),
    crashing_thread: crashing ? { threads_index: p.crashingThread!, registers, ...thread(crashing) } : null,
    main_module: main >= 0 ? main : null,
    modules_contains_cert_info: false,
    modules: p.modules.map(module),
    unloaded_modules: p.unloadedModules.map((m) => ({ base_addr: hx(m.base), end_addr: hx(m.base + BigInt(m.size)), code_id: m.codeId ?? null, filename: m.filename, cert_subject: null })),
  };
}

/** JSON text for `--json`: values as rust-minidump writes them, bigints never leaked. */
export function formatJson(p: ProcessState, pretty = true): string {
  return JSON.stringify(toRustMinidumpJson(p), null, pretty ? 2 : undefined) + '\n';
}
