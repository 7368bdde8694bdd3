/**
 * The ffi backend slot: koffi calling dbghelp.dll. Not implemented yet; loading it fails with
 * a message that says so.
 */
import { DbgHelpError } from '../api/errors';
import type { Backend } from './types';

export function loadFfi(): Backend {
  if (process.platform !== 'win32') {
    throw new DbgHelpError(
      'BACKEND_UNAVAILABLE',
      `the ffi backend calls dbghelp.dll through koffi and runs only on Windows (this is ${process.platform}); use DBGHELP_BACKEND=portable`,
    );
  }
  throw new DbgHelpError(
    'BACKEND_UNAVAILABLE',
    'the ffi (koffi) backend is not implemented in this version; use DBGHELP_BACKEND=portable',
  );
}
