/**
 * `dbghelp stack`'s human format, in the style users know from Breakpad's minidump_stackwalk:
 * the system, the crash reason, every thread (the crashing one first) with frames as
 * `N  module!function [file : line + 0xoff]` and how each was found, then the module list with
 * each module's symbol status.
 */
import { describeModuleStatus, hasSymbols } from '../api/module-status';
import type { FrameTrust, RegisterSet } from '../stackwalk/types';
import type { FrameOut, ProcessState, ThreadOut } from './process-state';

const FOUND_BY: Record<FrameTrust, string> = {
  context: 'given as instruction pointer in context',
  cfi: 'call frame info',
  frame_pointer: "previous frame's frame pointer",
  cfi_scan: 'call frame info with scanning',
  scan: 'stack scanning',
  prewalked: 'recovered by external stack walker',
  none: 'unknown',
};

const hex = (v: bigint | number, width = 0) => `0x${v.toString(16).padStart(width, '0')}`;
/** The file name without directories (Windows or POSIX), as minidump_stackwalk prints it; JSON keeps the path. */
const fileName = (p: string) => p.slice(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1);

/** `module!function [file : line + 0xoff]`, `module!function + 0xoff`, `module + 0xoff` or `0xaddr`. */
export function frameLabel(f: FrameOut): string {
  if (!f.module) return hex(f.instruction);
  const m = f.module.filename;
  if (f.function === undefined) return `${m} + ${hex(f.moduleOffset ?? 0n)}`;
  if (f.file !== undefined && f.line !== undefined) return `${m}!${f.function} [${fileName(f.file)} : ${f.line} + ${hex(f.lineOffset ?? 0n)}]`;
  return `${m}!${f.function} + ${hex(f.functionOffset ?? 0n)}`;
}

function registerLines(regs: RegisterSet, width: number): string[] {
  const cells = [...regs].map(([name, v]) => `${name.padStart(3)} = ${hex(v, width)}`);
  const out: string[] = [];
  for (let i = 0; i < cells.length; i += 4) out.push(`    ${cells.slice(i, i + 4).join('   ')}`);
  return out;
}

function threadLines(t: ThreadOut, index: number, crashed: boolean, width: number, withRegisters: boolean): string[] {
  const head = `Thread ${index}${crashed ? ' (crashed)' : ''}${t.name ? ` ${t.name}` : ''} (id ${t.id})`;
  const out = [head];
  t.frames.forEach((f, i) => {
    const n = String(i).padStart(2);
    const m = f.module?.filename;
    for (const inl of f.inlines) {
      const where = inl.file !== undefined && inl.line !== undefined ? ` [${fileName(inl.file)} : ${inl.line}]` : '';
      out.push(`${n}  ${m}!${inl.function}${where} (inlined)`);
    }
    out.push(`${n}  ${frameLabel(f)}`);
    if (withRegisters) out.push(...registerLines(f.registers, width));
    out.push(`    Found by: ${FOUND_BY[f.trust]}`);
  });
  if (t.truncated) out.push(`    (walk stopped: ${t.truncated})`);
  return out;
}

export function formatText(p: ProcessState, opts: { registers?: boolean } = {}): string {
  const width = p.system.cpuArch === 'x86' ? 8 : 16;
  const out: string[] = [];
  out.push(`Operating system: ${p.system.os}`);
  out.push(`                  ${p.system.osVersion}${p.system.servicePack ? ` ${p.system.servicePack}` : ''}`);
  out.push(`CPU: ${p.system.cpuArch}`);
  if (p.system.cpuInfo) out.push(`     ${p.system.cpuInfo}`);
  if (p.system.cpuCount !== undefined) out.push(`     ${p.system.cpuCount} CPU${p.system.cpuCount === 1 ? '' : 's'}`);
  out.push('');
  if (p.crash) {
    out.push(`Crash reason:  ${p.crash.type}`);
    out.push(`Crash address: ${hex(p.crash.address)}`);
    if (p.crash.access) out.push(`Crash access:  ${p.crash.access}`);
  } else {
    out.push('No crash');
  }
  if (p.assertion) out.push(`Assertion: ${p.assertion}`);
  out.push('');
  const order = p.threads.map((_, i) => i);
  if (p.crashingThread !== undefined) {
    order.splice(p.crashingThread, 1);
    order.unshift(p.crashingThread);
  }
  for (const i of order) {
    out.push(...threadLines(p.threads[i], i, i === p.crashingThread, width, opts.registers ?? i === p.crashingThread));
    out.push('');
  }
  out.push('Loaded modules:');
  for (const m of p.modules) {
    const end = m.base + BigInt(m.size) - 1n;
    const status = hasSymbols(m.status) ? '' : `  (WARNING: ${describeModuleStatus(m.filename, m.status).replace(`${m.filename}: `, '')})`;
    out.push(`${hex(m.base, width)} - ${hex(end, width)}  ${m.filename}  ${m.version ?? '???'}${m.isMain ? '  (main)' : ''}${status}`);
  }
  return out.join('\n') + '\n';
}
