/**
 * The native backend slot: the N-API addon over dbghelp.dll (native/). It is not built yet;
 * until it is, loading it fails with a message that says so.
 */
import { DbgHelpError } from '../api/errors';
import type { Backend } from './types';

export function loadNative(): Backend {
  if (process.platform !== 'win32') {
    throw new DbgHelpError(
      'BACKEND_UNAVAILABLE',
      `the native backend calls dbghelp.dll and runs only on Windows (this is ${process.platform}); use DBGHELP_BACKEND=portable`,
    );
  }
  throw new DbgHelpError(
    'BACKEND_UNAVAILABLE',
    `the native backend is not built in this version: no prebuilds/win32-${process.arch}/dbghelp.node and no build/Release/dbghelp.node; use DBGHELP_BACKEND=portable`,
  );
}
