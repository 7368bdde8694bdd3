/**
 * Names of the exception codes a Windows crash records (NTSTATUS values, winnt.h / ntstatus.h),
 * for reports. Access violations and in-page errors are qualified by ExceptionInformation[0]
 * (0 read, 1 write, 8 execute: DEP), as Breakpad's minidump_stackwalk prints them.
 */
const NAMES: Record<number, string> = {
  0x80000001: 'EXCEPTION_GUARD_PAGE',
  0x80000002: 'EXCEPTION_DATATYPE_MISALIGNMENT',
  0x80000003: 'EXCEPTION_BREAKPOINT',
  0x80000004: 'EXCEPTION_SINGLE_STEP',
  0xc0000005: 'EXCEPTION_ACCESS_VIOLATION',
  0xc0000006: 'EXCEPTION_IN_PAGE_ERROR',
  0xc0000008: 'EXCEPTION_INVALID_HANDLE',
  0xc000001d: 'EXCEPTION_ILLEGAL_INSTRUCTION',
  0xc0000025: 'EXCEPTION_NONCONTINUABLE_EXCEPTION',
  0xc0000026: 'EXCEPTION_INVALID_DISPOSITION',
  0xc000008c: 'EXCEPTION_ARRAY_BOUNDS_EXCEEDED',
  0xc000008d: 'EXCEPTION_FLT_DENORMAL_OPERAND',
  0xc000008e: 'EXCEPTION_FLT_DIVIDE_BY_ZERO',
  0xc000008f: 'EXCEPTION_FLT_INEXACT_RESULT',
  0xc0000090: 'EXCEPTION_FLT_INVALID_OPERATION',
  0xc0000091: 'EXCEPTION_FLT_OVERFLOW',
  0xc0000092: 'EXCEPTION_FLT_STACK_CHECK',
  0xc0000093: 'EXCEPTION_FLT_UNDERFLOW',
  0xc0000094: 'EXCEPTION_INT_DIVIDE_BY_ZERO',
  0xc0000095: 'EXCEPTION_INT_OVERFLOW',
  0xc0000096: 'EXCEPTION_PRIV_INSTRUCTION',
  0xc00000fd: 'EXCEPTION_STACK_OVERFLOW',
  0xc0000194: 'EXCEPTION_POSSIBLE_DEADLOCK',
  0xc0000374: 'STATUS_HEAP_CORRUPTION',
  0xc0000409: 'STATUS_STACK_BUFFER_OVERRUN',
  0xc0000417: 'STATUS_INVALID_CRUNTIME_PARAMETER',
  0xe06d7363: 'Unhandled C++ Exception',
};

/** `EXCEPTION_ACCESS_VIOLATION_WRITE`, `EXCEPTION_STACK_OVERFLOW`, or the code in hex. */
export function exceptionName(code: number, parameters: readonly bigint[] = []): string {
  const name = NAMES[code >>> 0];
  if (!name) return `0x${(code >>> 0).toString(16).padStart(8, '0')}`;
  if ((code >>> 0 === 0xc0000005 || code >>> 0 === 0xc0000006) && parameters.length > 0) {
    const kind = parameters[0] === 0n ? 'READ' : parameters[0] === 1n ? 'WRITE' : parameters[0] === 8n ? 'EXEC' : undefined;
    if (kind) return `${name}_${kind}`;
  }
  return name;
}
