/**
 * Backend selection: the only file that reads process.platform or DBGHELP_BACKEND.
 *
 * Windows: native (the N-API addon over dbghelp.dll), then ffi (koffi), then portable, with a
 * warning naming what failed. Elsewhere: portable. DBGHELP_BACKEND=native|ffi|portable forces
 * one and fails loudly when it cannot load.
 */
import { DbgHelpError } from '../api/errors';
import type { Backend, BackendName } from './types';
import { portableBackend } from '../portable/backend';

// The Windows backends are required only when tried: elsewhere they never load, which keeps
// start-up (the CLI's cold lookup) to the portable backend's modules.
const loaders: Record<BackendName, () => Backend> = {
  native: () => (require('./native') as typeof import('./native')).loadNative(),
  ffi: () => (require('./ffi') as typeof import('./ffi')).loadFfi(),
  portable: () => portableBackend,
};

let chosen: Backend | undefined;

export function activeBackend(): Backend {
  if (!chosen) chosen = select(process.env.DBGHELP_BACKEND, process.platform);
  return chosen;
}

export function select(forced: string | undefined, platform: NodeJS.Platform): Backend {
  if (forced) {
    if (!(forced in loaders)) {
      throw new DbgHelpError('INVALID_PARAMETER', `DBGHELP_BACKEND=${forced} is not a backend; use native, ffi or portable`);
    }
    return loaders[forced as BackendName]();
  }
  if (platform !== 'win32') return portableBackend;
  const failures: string[] = [];
  for (const name of ['native', 'ffi'] as const) {
    try {
      const b = loaders[name]();
      if (failures.length) {
        process.emitWarning(`dbghelp: using the ${name} backend; tried ${failures.join('; ')}. Set DBGHELP_BACKEND=${name} to silence this.`, { code: 'DBGHELP_BACKEND_FALLBACK' });
      }
      return b;
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
  process.emitWarning(`dbghelp: using the portable backend; tried ${failures.join('; ')}. ` + 'Reinstall the package to get its prebuild, or set DBGHELP_BACKEND=portable to silence this.', {
    code: 'DBGHELP_BACKEND_FALLBACK',
  });
  return portableBackend;
}
