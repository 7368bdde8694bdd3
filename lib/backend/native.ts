/**
 * The native backend: the N-API addon (native/, built by cmake-js) over dbghelp.dll, found by
 * node-gyp-build in prebuilds/win32-<arch>/ or a local build/Release/. Its surface is typed in
 * dbghelp-session.ts; DllHandler maps the contract onto it.
 */
import * as path from 'path';
import { DEFAULT_SYMOPTS } from '../api/constants';
import { DbgHelpError } from '../api/errors';
import type { InitializeOptions } from '../api/types';
import type { DbgHelpSession, SessionInit } from './dbghelp-session';
import { DllHandler } from './dll-handler';
import type { Backend } from './types';
import { CODE_BY_WIN32 } from './win32-codes';
import { identifyDll, unusableFunctions } from './wine';
import { dumpFunction, writeMinidumpArgs } from './minidump-io';
import { dllReadsStores } from './store-search';

/** The addon's exports (native/addon.cc). */
interface Addon {
  Session: new (searchPath: string | null, options: number, invadePid: number) => DbgHelpSession;
  setup(errorClass: typeof DbgHelpError, codes: Readonly<Record<number, string>>): void;
  /** The dbghelp.dll the process loaded. */
  dllPath(): string | undefined;
  /** The version resource of the dbghelp.dll image in memory. */
  versionResource(): Uint8Array | undefined;
  /** Whether dbghelp.dll resolves this export now (native/stackwalk.cc). */
  hasExport(name: string): boolean;
  writeMinidump(file: string, pid: number, type: number): void;
  readDumpStream(dump: Uint8Array, type: number): { offset: number; size: number } | undefined;
}

/** The package root: this file is lib/backend/native.ts or dist/backend/native.js. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

export function loadNative(): Backend {
  if (process.platform !== 'win32') {
    throw new DbgHelpError('BACKEND_UNAVAILABLE', `the native backend calls dbghelp.dll and runs only on Windows (this is ${process.platform}); use DBGHELP_BACKEND=portable`);
  }
  const addon = requireAddon();
  addon.setup(DbgHelpError, CODE_BY_WIN32);
  const dllPath = addon.dllPath();
  const dllImage = identifyDll(addon.versionResource());
  const unusable = unusableFunctions(dllImage);
  const readsStores = dllReadsStores(dllPath, dllImage.kind);
  return {
    name: 'native',
    dllPath,
    dllImage,
    createHandler: (options: InitializeOptions) => new DllHandler(new addon.Session(...sessionArgs(options)), unusable, dllPath, readsStores, options.symbolServer, dllImage.kind),
    writeMinidump(file, opts) {
      dumpFunction('MiniDumpWriteDump', dllPath, dllImage, addon.hasExport('MiniDumpWriteDump'));
      addon.writeMinidump(...writeMinidumpArgs(file, opts));
    },
    readDumpStream(dump, streamType) {
      dumpFunction('MiniDumpReadDumpStream', dllPath, dllImage, addon.hasExport('MiniDumpReadDumpStream'));
      const at = addon.readDumpStream(dump, streamType >>> 0);
      return at && Uint8Array.prototype.slice.call(dump, at.offset, at.offset + at.size);
    },
  };
}

export function sessionArgs(options: InitializeOptions): [string | null, number, number] {
  const init: SessionInit = {
    searchPath: options.searchPath ?? null,
    options: (options.options ?? DEFAULT_SYMOPTS) >>> 0,
    invadePid: options.invadeProcess ? (options.processId ?? process.pid) : 0,
  };
  return [init.searchPath, init.options, init.invadePid];
}

function requireAddon(): Addon {
  const tried = [path.join(PACKAGE_ROOT, 'build', 'Release', 'dbghelp.node'), path.join(PACKAGE_ROOT, 'prebuilds', `${process.platform}-${process.arch}`, '*.node')];
  try {
    // node-gyp-build looks in build/Release, build/Debug, then prebuilds/<platform>-<arch>/.

    const load = require('node-gyp-build') as (dir: string) => unknown;
    return load(PACKAGE_ROOT) as Addon;
  } catch (e) {
    throw new DbgHelpError(
      'BACKEND_UNAVAILABLE',
      `the native backend could not load its addon for ${process.platform}-${process.arch} (node ${process.versions.node}, N-API ${process.versions.napi}): ` +
        `${firstLine(e)}. Looked for ${tried.join(' and ')}. Possible solutions: reinstall the package so its prebuild for ` +
        `${process.platform}-${process.arch} is present; or build the addon with \`npx cmake-js build\` (needs CMake and a C++ compiler); ` +
        'or use DBGHELP_BACKEND=ffi (needs the optional dependency koffi) or DBGHELP_BACKEND=portable.',
      { cause: e },
    );
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}
