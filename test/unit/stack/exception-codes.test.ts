import { crashReason, exceptionName } from '../../../lib/stack/exception-codes';

// Expected spellings: what Breakpad's minidump_stackwalk (npm minidump@0.26.0, linux-x64) prints
// as "Crash reason" / "Crash address" for the corpus dumps these parameters come from.
describe('crash reasons', () => {
  test('access violations name the access and the data address (minidump2.dmp, null_read_av.dmp)', () => {
    expect(crashReason(0xc0000005, 0x40429en, [1n, 0x45n])).toEqual({ type: 'EXCEPTION_ACCESS_VIOLATION_WRITE', access: 'write', address: 0x45n });
    expect(crashReason(0xc0000005, 0x1000n, [0n, 0n])).toEqual({ type: 'EXCEPTION_ACCESS_VIOLATION_READ', access: 'read', address: 0n });
    expect(crashReason(0xc0000005, 0x1000n, [8n, 0x7ff0n]).type).toBe('EXCEPTION_ACCESS_VIOLATION_EXEC');
    // An unknown access kind keeps the bare name and still the data address.
    expect(crashReason(0xc0000005, 0x1000n, [3n, 0x10n])).toEqual({ type: 'EXCEPTION_ACCESS_VIOLATION', access: undefined, address: 0x10n });
  });
  test('a fast fail is named by its FAST_FAIL code (tiny-exe-fastfail.dmp)', () => {
    expect(crashReason(0xc0000409, 0x7ff75355af42n, [7n])).toEqual({ type: 'FAST_FAIL_FATAL_APP_EXIT', address: 0x7ff75355af42n });
    expect(crashReason(0xc0000409, 0x10n, [999n]).type).toBe('STATUS_STACK_BUFFER_OVERRUN');
  });
  test('other codes: their name and the exception address (stack_exhaustion.dmp)', () => {
    expect(crashReason(0xc00000fd, 0xdea637n, [1n, 0xdd2000n])).toEqual({ type: 'EXCEPTION_STACK_OVERFLOW', address: 0xdea637n });
    expect(exceptionName(0xe06d7363)).toBe('EXCEPTION_CPP');
    expect(exceptionName(0xe0000001)).toBe('0xe0000001');
    expect(exceptionName(-1073741819)).toBe('EXCEPTION_ACCESS_VIOLATION'); // signed 0xc0000005
  });
});
