/**
 * symsrv's codes, checked against lines copied from real SYMSRV logs (WinDbg issue threads,
 * symstore's tracker): HTTP status as 0x8019xxxx in lower case, WinINet errors as 0x800Cxxxx.
 */
import { InternetError, internetHresult, queryInfoLine, resultLine, statusHresult, transportLine } from '../../../../lib/symsrv/http/wininet';

describe('symsrv HTTP codes', () => {
  test.each([
    [404, 'SYMSRV:  HttpQueryInfo: 80190194 - HTTP_STATUS_NOT_FOUND'],
    [200, 'SYMSRV:  HttpQueryInfo: 801900c8 - HTTP_STATUS_OK'],
    [500, 'SYMSRV:  HttpQueryInfo: 801901f4 - HTTP_STATUS_SERVER_ERROR'],
    [503, 'SYMSRV:  HttpQueryInfo: 801901f7 - HTTP_STATUS_SERVICE_UNAVAIL'],
    [403, 'SYMSRV:  HttpQueryInfo: 80190193 - HTTP_STATUS_FORBIDDEN'],
    [401, 'SYMSRV:  HttpQueryInfo: 80190191 - HTTP_STATUS_DENIED'],
  ])('status %d reads as symsrv prints it', (status, line) => {
    expect(queryInfoLine(status)).toBe(line);
  });

  test('an unnamed status still gets its code', () => {
    expect(queryInfoLine(418)).toBe('SYMSRV:  HttpQueryInfo: 801901a2 - HTTP_STATUS_418');
  });

  test('WinINet errors: the sample "HttpSendRequest: 800C2EFD - ERROR_INTERNET_CANNOT_CONNECT"', () => {
    expect(transportLine('send', InternetError.CANNOT_CONNECT)).toBe('SYMSRV:  HttpSendRequest: 800C2EFD - ERROR_INTERNET_CANNOT_CONNECT');
    expect(transportLine('send', InternetError.TIMEOUT)).toBe('SYMSRV:  HttpSendRequest: 800C2EE2 - ERROR_INTERNET_TIMEOUT');
    expect(transportLine('read', InternetError.CONNECTION_RESET)).toBe('SYMSRV:  InternetReadFile: 800C2EFF - ERROR_INTERNET_CONNECTION_RESET');
    expect(internetHresult(12150)).toBe(0x800c2f76); // the sample's ERROR_HTTP_HEADER_NOT_FOUND
  });

  test('RESULT lines: upper case, 8 digits (samples: RESULT: 0x80190194, RESULT: 0x00000000)', () => {
    expect(resultLine(statusHresult(404))).toBe('SYMSRV:  RESULT: 0x80190194');
    expect(resultLine(statusHresult(500))).toBe('SYMSRV:  RESULT: 0x801901F4');
    expect(resultLine(0)).toBe('SYMSRV:  RESULT: 0x00000000');
  });
});
