/**
 * The contract's error code for each GetLastError number dbghelp.dll reports, shared by the
 * native addon (handed over at start-up with the DbgHelpError class) and the ffi backend.
 * Numbers not listed become IO_ERROR, with the number kept in `win32Error`.
 */
import type { DbgHelpErrorCode } from '../api/errors';
import { DbgHelpError } from '../api/errors';

export const CODE_BY_WIN32: Readonly<Record<number, DbgHelpErrorCode>> = {
  2: 'FILE_NOT_FOUND', //     ERROR_FILE_NOT_FOUND
  3: 'FILE_NOT_FOUND', //     ERROR_PATH_NOT_FOUND
  6: 'INVALID_HANDLE', //     ERROR_INVALID_HANDLE
  11: 'BAD_FORMAT', //        ERROR_BAD_FORMAT
  50: 'UNSUPPORTED', //       ERROR_NOT_SUPPORTED
  87: 'INVALID_PARAMETER', // ERROR_INVALID_PARAMETER
  126: 'MODULE_NOT_FOUND', // ERROR_MOD_NOT_FOUND
  183: 'MODULE_EXISTS', //    ERROR_ALREADY_EXISTS
  193: 'BAD_FORMAT', //       ERROR_BAD_EXE_FORMAT
  1223: 'ABORTED', //         ERROR_CANCELLED
};

/** A DbgHelpError for a failed DbgHelp call, as the addon builds it. */
export function win32Error(what: string, win32: number, fallback: DbgHelpErrorCode = 'IO_ERROR'): DbgHelpError {
  return new DbgHelpError(CODE_BY_WIN32[win32] ?? fallback, `${what} failed (Win32 error ${win32})`, { win32Error: win32 });
}
