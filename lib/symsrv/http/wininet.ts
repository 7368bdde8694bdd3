/**
 * The codes symsrv.dll prints for HTTP stores, so our SYMSRV debug lines read like DbgHelp's.
 *
 * symsrv talks HTTP through WinINet and reports two kinds of HRESULT:
 *   - a response status as 0x8019xxxx (FACILITY_HTTP, status in the low word), named after
 *     WinINet's HTTP_STATUS_* constants (wininet.h): `HttpQueryInfo: 80190194 - HTTP_STATUS_NOT_FOUND`;
 *   - a transport failure as 0x800Cxxxx (FACILITY_INTERNET, WinINet's ERROR_INTERNET_* number):
 *     `HttpSendRequest: 800C2EFD - ERROR_INTERNET_CANNOT_CONNECT`.
 * Samples of real logs (symstore, WinDbg issue threads): the status code is printed in lower-case
 * hex (`801901f4 - HTTP_STATUS_SERVER_ERROR`, `801900c8 - HTTP_STATUS_OK`), the RESULT line in
 * upper case (`RESULT: 0x801901F4`), a success `RESULT: 0x00000000`, a download
 * `ntdll.pdb from https://msdl.microsoft.com/download/symbols: 570542 bytes - copied`.
 */

/** WinINet's HTTP_STATUS_* names (wininet.h). */
const STATUS_NAMES: Record<number, string> = {
  200: 'HTTP_STATUS_OK',
  201: 'HTTP_STATUS_CREATED',
  202: 'HTTP_STATUS_ACCEPTED',
  203: 'HTTP_STATUS_PARTIAL',
  204: 'HTTP_STATUS_NO_CONTENT',
  205: 'HTTP_STATUS_RESET_CONTENT',
  206: 'HTTP_STATUS_PARTIAL_CONTENT',
  300: 'HTTP_STATUS_AMBIGUOUS',
  301: 'HTTP_STATUS_MOVED',
  302: 'HTTP_STATUS_REDIRECT',
  303: 'HTTP_STATUS_REDIRECT_METHOD',
  304: 'HTTP_STATUS_NOT_MODIFIED',
  305: 'HTTP_STATUS_USE_PROXY',
  307: 'HTTP_STATUS_REDIRECT_KEEP_VERB',
  308: 'HTTP_STATUS_PERMANENT_REDIRECT',
  400: 'HTTP_STATUS_BAD_REQUEST',
  401: 'HTTP_STATUS_DENIED',
  402: 'HTTP_STATUS_PAYMENT_REQ',
  403: 'HTTP_STATUS_FORBIDDEN',
  404: 'HTTP_STATUS_NOT_FOUND',
  405: 'HTTP_STATUS_BAD_METHOD',
  406: 'HTTP_STATUS_NONE_ACCEPTABLE',
  407: 'HTTP_STATUS_PROXY_AUTH_REQ',
  408: 'HTTP_STATUS_REQUEST_TIMEOUT',
  409: 'HTTP_STATUS_CONFLICT',
  410: 'HTTP_STATUS_GONE',
  411: 'HTTP_STATUS_LENGTH_REQUIRED',
  412: 'HTTP_STATUS_PRECOND_FAILED',
  413: 'HTTP_STATUS_REQUEST_TOO_LARGE',
  414: 'HTTP_STATUS_URI_TOO_LONG',
  415: 'HTTP_STATUS_UNSUPPORTED_MEDIA',
  449: 'HTTP_STATUS_RETRY_WITH',
  500: 'HTTP_STATUS_SERVER_ERROR',
  501: 'HTTP_STATUS_NOT_SUPPORTED',
  502: 'HTTP_STATUS_BAD_GATEWAY',
  503: 'HTTP_STATUS_SERVICE_UNAVAIL',
  504: 'HTTP_STATUS_GATEWAY_TIMEOUT',
  505: 'HTTP_STATUS_VERSION_NOT_SUP',
};

/** WinINet's ERROR_INTERNET_* numbers for the transport failures we can tell apart. */
export const InternetError = {
  TIMEOUT: 12002, //             ERROR_INTERNET_TIMEOUT
  NAME_NOT_RESOLVED: 12007, //   ERROR_INTERNET_NAME_NOT_RESOLVED
  OPERATION_CANCELLED: 12017, // ERROR_INTERNET_OPERATION_CANCELLED
  CANNOT_CONNECT: 12029, //      ERROR_INTERNET_CANNOT_CONNECT
  CONNECTION_ABORTED: 12030, //  ERROR_INTERNET_CONNECTION_ABORTED
  CONNECTION_RESET: 12031, //    ERROR_INTERNET_CONNECTION_RESET
  INVALID_CA: 12045, //          ERROR_INTERNET_INVALID_CA
  SECURITY_CHANNEL_ERROR: 12157, // ERROR_INTERNET_SECURITY_CHANNEL_ERROR
  REDIRECT_FAILED: 12156, //     ERROR_HTTP_REDIRECT_FAILED
  INVALID_SERVER_RESPONSE: 12152, // ERROR_HTTP_INVALID_SERVER_RESPONSE
} as const;

const INTERNET_NAMES: Record<number, string> = {
  12002: 'ERROR_INTERNET_TIMEOUT',
  12007: 'ERROR_INTERNET_NAME_NOT_RESOLVED',
  12017: 'ERROR_INTERNET_OPERATION_CANCELLED',
  12029: 'ERROR_INTERNET_CANNOT_CONNECT',
  12030: 'ERROR_INTERNET_CONNECTION_ABORTED',
  12031: 'ERROR_INTERNET_CONNECTION_RESET',
  12045: 'ERROR_INTERNET_INVALID_CA',
  12152: 'ERROR_HTTP_INVALID_SERVER_RESPONSE',
  12156: 'ERROR_HTTP_REDIRECT_FAILED',
  12157: 'ERROR_INTERNET_SECURITY_CHANNEL_ERROR',
};

/** HRESULT symsrv reports for an HTTP status: 0x80190000 | status. */
export function statusHresult(status: number): number {
  return (0x80190000 | (status & 0xffff)) >>> 0;
}

/** HRESULT for a WinINet transport error: 0x800C0000 | code. */
export function internetHresult(code: number): number {
  return (0x800c0000 | (code & 0xffff)) >>> 0;
}

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `HTTP_STATUS_${status}`;
}

export function internetErrorName(code: number): string {
  return INTERNET_NAMES[code] ?? `ERROR_INTERNET_${code}`;
}

/** `HttpQueryInfo: 80190194 - HTTP_STATUS_NOT_FOUND` (lower-case hex, as symsrv prints it). */
export function queryInfoLine(status: number): string {
  return `SYMSRV:  HttpQueryInfo: ${statusHresult(status).toString(16)} - ${statusName(status)}`;
}

/**
 * `HttpSendRequest: 800C2EFD - ERROR_INTERNET_CANNOT_CONNECT` for a failure before the
 * response headers; `InternetReadFile: ...` for one while reading the body.
 */
export function transportLine(phase: 'send' | 'read', code: number): string {
  const call = phase === 'send' ? 'HttpSendRequest' : 'InternetReadFile';
  return `SYMSRV:  ${call}: ${internetHresult(code).toString(16).toUpperCase()} - ${internetErrorName(code)}`;
}

/** `RESULT: 0x80190194` (upper-case hex, 8 digits). */
export function resultLine(hresult: number): string {
  return `SYMSRV:  RESULT: 0x${(hresult >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}
