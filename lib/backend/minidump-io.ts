/**
 * MiniDumpWriteDump and MiniDumpReadDumpStream through the Windows backends, and the package's
 * `writeMinidump`. Microsoft's dbghelp.dll (10.0.19041.685 and later) forwards both exports to
 * dbgcore.dll; where that DLL is missing (Wine has none) the forwarder cannot resolve, so the
 * backends look the function up when it is called (GetProcAddress) and throw UNSUPPORTED here,
 * instead of importing it (a call through an unresolved forwarder aborts the process under Wine).
 */
import { DbgHelpError } from '../api/errors';
import { activeBackend } from './select';
import type { WriteMinidumpOptions } from './types';
import type { DllImage } from './wine';

/** Throws UNSUPPORTED when the DLL did not resolve `fn`. */
export function dumpFunction(fn: string, dllPath: string | undefined, image: DllImage, resolved: boolean): void {
  if (resolved) return;
  const whose = image.kind === 'microsoft' ? `Microsoft's ${image.version ?? ''}`.trim() : image.kind === 'wine' ? "Wine's" : 'this';
  throw new DbgHelpError(
    'UNSUPPORTED',
    `${fn}: ${dllPath ?? 'dbghelp.dll'} (${whose} dbghelp.dll) does not resolve it: Microsoft's dbghelp.dll forwards it to dbgcore.dll, ` +
      'which this system lacks. Put dbgcore.dll beside that dbghelp.dll (the Debugging Tools for Windows ship both) or use the system32 pair.',
  );
}

/** Checked arguments for the addon: path, process id (0: this process), MINIDUMP_TYPE. */
export function writeMinidumpArgs(file: string, opts: WriteMinidumpOptions): [string, number, number] {
  if (typeof file !== 'string' || !file) throw new DbgHelpError('INVALID_PARAMETER', 'writeMinidump: the file must be a non-empty string');
  const pid = opts.processId ?? 0;
  if (!Number.isInteger(pid) || pid < 0 || pid > 0xffffffff) throw new DbgHelpError('INVALID_PARAMETER', 'writeMinidump: processId must be a process id');
  const type = opts.type ?? 0;
  if (!Number.isInteger(type) || type < 0 || type > 0xffffffff) throw new DbgHelpError('INVALID_PARAMETER', 'writeMinidump: type must be MINIDUMP_TYPE flags');
  return [file, pid, type];
}

/**
 * MiniDumpWriteDump: writes a minidump of a process (default: this one) to `file`. Windows only
 * (the native or ffi backend); the portable backend throws UNSUPPORTED.
 */
export function writeMinidump(file: string, opts: WriteMinidumpOptions = {}): void {
  const backend = activeBackend();
  if (!backend.writeMinidump) {
    throw new DbgHelpError(
      'UNSUPPORTED',
      `writeMinidump needs Windows: it calls dbghelp.dll's MiniDumpWriteDump (native or ffi backend); the ${backend.name} backend cannot read another process's memory`,
    );
  }
  backend.writeMinidump(file, opts);
}
