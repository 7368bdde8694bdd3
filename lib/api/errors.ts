/**
 * DbgHelpError: the one error class every backend throws.
 *
 * `code` is stable and meant for programs; `win32Error` is the GetLastError() value DbgHelp
 * would have set for the same failure (where it sets one); `file` and `offset` say where a
 * malformed file went wrong.
 */

export type DbgHelpErrorCode =
  | 'BAD_FORMAT' //          a file is malformed or truncated (file + offset in the message)
  | 'FILE_NOT_FOUND' //      an image or symbol file could not be opened
  | 'IO_ERROR' //            reading a file failed for another reason
  | 'PDB_MISMATCH' //        a PDB was found but its GUID/age does not match the image
  | 'UNSUPPORTED' //         a valid file this backend cannot use (e.g. /DEBUG:FASTLINK PDB)
  | 'INVALID_HANDLE' //      the handler was cleaned up
  | 'INVALID_PARAMETER' //   bad argument
  | 'MODULE_EXISTS' //       loadModule at a base that is already taken
  | 'MODULE_NOT_FOUND' //    no module at that base
  | 'ABORTED' //             an AbortSignal fired
  | 'BACKEND_UNAVAILABLE'; // the requested backend cannot load on this machine

/** Win32 error numbers DbgHelp reports through GetLastError. */
export const Win32Error = {
  SUCCESS: 0,
  FILE_NOT_FOUND: 2,
  PATH_NOT_FOUND: 3,
  INVALID_HANDLE: 6,
  BAD_FORMAT: 11,
  NOT_SUPPORTED: 50,
  INVALID_PARAMETER: 87,
  MOD_NOT_FOUND: 126,
  ALREADY_EXISTS: 183,
  BAD_EXE_FORMAT: 193,
  INVALID_ADDRESS: 487,
  CANCELLED: 1223,
} as const;

const defaultWin32: Partial<Record<DbgHelpErrorCode, number>> = {
  BAD_FORMAT: Win32Error.BAD_FORMAT,
  FILE_NOT_FOUND: Win32Error.FILE_NOT_FOUND,
  PDB_MISMATCH: Win32Error.FILE_NOT_FOUND,
  UNSUPPORTED: Win32Error.NOT_SUPPORTED,
  INVALID_HANDLE: Win32Error.INVALID_HANDLE,
  INVALID_PARAMETER: Win32Error.INVALID_PARAMETER,
  MODULE_EXISTS: Win32Error.ALREADY_EXISTS,
  MODULE_NOT_FOUND: Win32Error.MOD_NOT_FOUND,
  ABORTED: Win32Error.CANCELLED,
};

export interface DbgHelpErrorOptions {
  win32Error?: number;
  file?: string;
  offset?: number;
  cause?: unknown;
}

export class DbgHelpError extends Error {
  override readonly name = 'DbgHelpError';
  readonly code: DbgHelpErrorCode;
  readonly win32Error: number | undefined;
  readonly file: string | undefined;
  readonly offset: number | undefined;

  constructor(code: DbgHelpErrorCode, message: string, options: DbgHelpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.win32Error = options.win32Error ?? defaultWin32[code];
    this.file = options.file;
    this.offset = options.offset;
  }
}

/** A malformed-file error whose message names the file and the offset. */
export function badFormat(file: string, offset: number, what: string): DbgHelpError {
  return new DbgHelpError('BAD_FORMAT', `${file}: ${what} at offset 0x${offset.toString(16)}`, { file, offset });
}
