/**
 * The backends the conformance suite runs over. Each is loaded in isolation with
 * DBGHELP_BACKEND forcing it; one that cannot load on this machine is reported with its reason
 * (a declared gap, never a silent skip).
 */
import type * as Lib from '../../lib';

export const BACKENDS = ['portable', 'native', 'ffi'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function loadBackend(name: BackendName): { lib: typeof Lib } | { error: Error } {
  const saved = process.env.DBGHELP_BACKEND;
  let out: { lib: typeof Lib } | { error: Error } = { error: new Error('not loaded') };
  try {
    process.env.DBGHELP_BACKEND = name;
    jest.isolateModules(() => {
      try {
        out = { lib: require('../../lib') as typeof Lib };
      } catch (e) {
        out = { error: e as Error };
      }
    });
  } finally {
    if (saved === undefined) delete process.env.DBGHELP_BACKEND;
    else process.env.DBGHELP_BACKEND = saved;
  }
  return out;
}

/**
 * Known differences per backend, each with its reason. A test named here runs as
 * `test.failing` on that backend, so it fails loudly the day the difference disappears.
 */
export const KNOWN_GAPS: Record<BackendName, Record<string, string>> = {
  portable: {},
  native: {},
  ffi: {},
};
