/**
 * Names of Windows exception codes (NTSTATUS values raised as exceptions, winnt.h/ntstatus.h),
 * and the crash reason a minidump's MINIDUMP_EXCEPTION gives, spelled as Breakpad's
 * minidump_stackwalk and rust-minidump spell it (`EXCEPTION_ACCESS_VIOLATION_WRITE`).
 */

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x40000015, 'STATUS_FATAL_APP_EXIT'],
  [0x40010005, 'DBG_CONTROL_C'],
  [0x40010008, 'DBG_CONTROL_BREAK'],
  [0x4001000a, 'DBG_PRINTEXCEPTION_WIDE_C'],
  [0x40010006, 'DBG_PRINTEXCEPTION_C'],
  [0x406d1388, 'MS_VC_EXCEPTION'],
  [0x80000001, 'EXCEPTION_GUARD_PAGE'],
  [0x80000002, 'EXCEPTION_DATATYPE_MISALIGNMENT'],
  [0x80000003, 'EXCEPTION_BREAKPOINT'],
  [0x80000004, 'EXCEPTION_SINGLE_STEP'],
  [0x80000029, 'STATUS_UNWIND_CONSOLIDATE'],
  [0xc0000005, 'EXCEPTION_ACCESS_VIOLATION'],
  [0xc0000006, 'EXCEPTION_IN_PAGE_ERROR'],
  [0xc0000008, 'EXCEPTION_INVALID_HANDLE'],
  [0xc000000d, 'STATUS_INVALID_PARAMETER'],
  [0xc0000017, 'STATUS_NO_MEMORY'],
  [0xc000001d, 'EXCEPTION_ILLEGAL_INSTRUCTION'],
  [0xc0000025, 'EXCEPTION_NONCONTINUABLE_EXCEPTION'],
  [0xc0000026, 'EXCEPTION_INVALID_DISPOSITION'],
  [0xc000008c, 'EXCEPTION_ARRAY_BOUNDS_EXCEEDED'],
  [0xc000008d, 'EXCEPTION_FLT_DENORMAL_OPERAND'],
  [0xc000008e, 'EXCEPTION_FLT_DIVIDE_BY_ZERO'],
  [0xc000008f, 'EXCEPTION_FLT_INEXACT_RESULT'],
  [0xc0000090, 'EXCEPTION_FLT_INVALID_OPERATION'],
  [0xc0000091, 'EXCEPTION_FLT_OVERFLOW'],
  [0xc0000092, 'EXCEPTION_FLT_STACK_CHECK'],
  [0xc0000093, 'EXCEPTION_FLT_UNDERFLOW'],
  [0xc0000094, 'EXCEPTION_INT_DIVIDE_BY_ZERO'],
  [0xc0000095, 'EXCEPTION_INT_OVERFLOW'],
  [0xc0000096, 'EXCEPTION_PRIV_INSTRUCTION'],
  [0xc00000fd, 'EXCEPTION_STACK_OVERFLOW'],
  [0xc0000135, 'STATUS_DLL_NOT_FOUND'],
  [0xc0000142, 'STATUS_DLL_INIT_FAILED'],
  [0xc000013a, 'STATUS_CONTROL_C_EXIT'],
  [0xc0000194, 'EXCEPTION_POSSIBLE_DEADLOCK'],
  [0xc00002b4, 'STATUS_FLOAT_MULTIPLE_FAULTS'],
  [0xc00002b5, 'STATUS_FLOAT_MULTIPLE_TRAPS'],
  [0xc00002c9, 'STATUS_REG_NAT_CONSUMPTION'],
  [0xc0000374, 'STATUS_HEAP_CORRUPTION'],
  [0xc0000409, 'STATUS_STACK_BUFFER_OVERRUN'],
  [0xc0000417, 'STATUS_INVALID_CRUNTIME_PARAMETER'],
  [0xc0000420, 'STATUS_ASSERTION_FAILURE'],
  [0xc000041d, 'STATUS_FATAL_USER_CALLBACK_EXCEPTION'],
  [0xe06d7363, 'EXCEPTION_CPP'],
  [0xe0434352, 'EXCEPTION_CLR'],
]);

/** FAST_FAIL_* codes (winnt.h) carried in ExceptionInformation[0] of STATUS_STACK_BUFFER_OVERRUN. */
const FAST_FAIL: ReadonlyMap<number, string> = new Map([
  [0, 'FAST_FAIL_LEGACY_GS_VIOLATION'],
  [1, 'FAST_FAIL_VTGUARD_CHECK_FAILURE'],
  [2, 'FAST_FAIL_STACK_COOKIE_CHECK_FAILURE'],
  [3, 'FAST_FAIL_CORRUPT_LIST_ENTRY'],
  [4, 'FAST_FAIL_INCORRECT_STACK'],
  [5, 'FAST_FAIL_INVALID_ARG'],
  [6, 'FAST_FAIL_GS_COOKIE_INIT'],
  [7, 'FAST_FAIL_FATAL_APP_EXIT'],
  [8, 'FAST_FAIL_RANGE_CHECK_FAILURE'],
  [9, 'FAST_FAIL_UNSAFE_REGISTRY_ACCESS'],
  [10, 'FAST_FAIL_GUARD_ICALL_CHECK_FAILURE'],
  [11, 'FAST_FAIL_GUARD_WRITE_CHECK_FAILURE'],
  [12, 'FAST_FAIL_INVALID_FIBER_SWITCH'],
  [13, 'FAST_FAIL_INVALID_SET_OF_CONTEXT'],
  [14, 'FAST_FAIL_INVALID_REFERENCE_COUNT'],
  [18, 'FAST_FAIL_INVALID_JUMP_BUFFER'],
  [19, 'FAST_FAIL_MRDATA_MODIFIED'],
  [20, 'FAST_FAIL_CERTIFICATION_FAILURE'],
  [21, 'FAST_FAIL_INVALID_EXCEPTION_CHAIN'],
  [22, 'FAST_FAIL_CRYPTO_LIBRARY'],
  [23, 'FAST_FAIL_INVALID_CALL_IN_DLL_CALLOUT'],
  [24, 'FAST_FAIL_INVALID_IMAGE_BASE'],
  [25, 'FAST_FAIL_DLOAD_PROTECTION_FAILURE'],
  [26, 'FAST_FAIL_UNSAFE_EXTENSION_CALL'],
  [27, 'FAST_FAIL_DEPRECATED_SERVICE_INVOKED'],
  [28, 'FAST_FAIL_INVALID_BUFFER_ACCESS'],
  [29, 'FAST_FAIL_INVALID_BALANCED_TREE'],
  [30, 'FAST_FAIL_INVALID_NEXT_THREAD'],
  [31, 'FAST_FAIL_GUARD_ICALL_CHECK_SUPPRESSED'],
  [32, 'FAST_FAIL_APCS_DISABLED'],
  [33, 'FAST_FAIL_INVALID_IDLE_STATE'],
  [34, 'FAST_FAIL_MRDATA_PROTECTION_FAILURE'],
  [35, 'FAST_FAIL_UNEXPECTED_HEAP_EXCEPTION'],
  [36, 'FAST_FAIL_INVALID_LOCK_STATE'],
  [37, 'FAST_FAIL_GUARD_JUMPTABLE'],
  [38, 'FAST_FAIL_INVALID_LONGJUMP_TARGET'],
  [39, 'FAST_FAIL_INVALID_DISPATCH_CONTEXT'],
  [40, 'FAST_FAIL_INVALID_THREAD'],
  [41, 'FAST_FAIL_INVALID_SYSCALL_NUMBER'],
  [42, 'FAST_FAIL_INVALID_FILE_OPERATION'],
  [43, 'FAST_FAIL_LPAC_ACCESS_DENIED'],
  [44, 'FAST_FAIL_GUARD_SS_FAILURE'],
  [45, 'FAST_FAIL_LOADER_CONTINUITY_FAILURE'],
  [46, 'FAST_FAIL_GUARD_EXPORT_SUPPRESSION_FAILURE'],
  [47, 'FAST_FAIL_INVALID_CONTROL_STACK'],
  [48, 'FAST_FAIL_SET_CONTEXT_DENIED'],
  [49, 'FAST_FAIL_INVALID_IAT'],
  [50, 'FAST_FAIL_HEAP_METADATA_CORRUPTION'],
  [51, 'FAST_FAIL_PAYLOAD_RESTRICTION_VIOLATION'],
  [52, 'FAST_FAIL_LOW_LABEL_ACCESS_DENIED'],
  [53, 'FAST_FAIL_ENCLAVE_CALL_FAILURE'],
  [54, 'FAST_FAIL_UNHANDLED_LSS_EXCEPTON'],
  [55, 'FAST_FAIL_ADMINLESS_ACCESS_DENIED'],
  [56, 'FAST_FAIL_UNEXPECTED_CALL'],
  [57, 'FAST_FAIL_CONTROL_INVALID_RETURN_ADDRESS'],
  [58, 'FAST_FAIL_UNEXPECTED_HOST_BEHAVIOR'],
  [59, 'FAST_FAIL_FLAGS_CORRUPTION'],
  [60, 'FAST_FAIL_VEH_CORRUPTION'],
  [61, 'FAST_FAIL_ETW_CORRUPTION'],
  [62, 'FAST_FAIL_RIO_ABORT'],
  [63, 'FAST_FAIL_INVALID_PFN'],
]);

/**
 * The name of an exception code, or `0x<hex>` when it has none here. With the exception's
 * parameters, the crash reason's spelling (`EXCEPTION_ACCESS_VIOLATION_WRITE`, `FAST_FAIL_...`).
 */
export function exceptionName(code: number, parameters?: readonly bigint[]): string {
  if (parameters) return crashReason(code, 0n, parameters).type;
  return NAMES.get(code >>> 0) ?? `0x${(code >>> 0).toString(16).padStart(8, '0')}`;
}

export interface CrashReason {
  /** `EXCEPTION_ACCESS_VIOLATION_WRITE`, `FAST_FAIL_FATAL_APP_EXIT`, `0xe0000001`. */
  type: string;
  /** For an access violation: what the faulting instruction did. */
  access?: 'read' | 'write' | 'exec';
  /** The address implicated: the data address of an access violation, else the exception address. */
  address: bigint;
}

/**
 * The crash reason of a MINIDUMP_EXCEPTION: access violations and in-page errors name the access
 * (ExceptionInformation[0]: 0 read, 1 write, 8 DEP execute) and the data address
 * (ExceptionInformation[1]); a fast-fail (__fastfail, STATUS_STACK_BUFFER_OVERRUN) is named by its
 * FAST_FAIL_* code alone, as Breakpad's minidump_stackwalk prints it.
 */
export function crashReason(code: number, exceptionAddress: bigint, info: readonly bigint[]): CrashReason {
  const c = code >>> 0;
  const base = exceptionName(c);
  if ((c === 0xc0000005 || c === 0xc0000006) && info.length >= 2) {
    const access = info[0] === 0n ? 'read' : info[0] === 1n ? 'write' : info[0] === 8n ? 'exec' : undefined;
    const suffix = access === 'read' ? '_READ' : access === 'write' ? '_WRITE' : access === 'exec' ? '_EXEC' : '';
    return { type: base + suffix, access, address: info[1] };
  }
  if (c === 0xc0000409 && info.length >= 1) {
    const ff = FAST_FAIL.get(Number(info[0]));
    return { type: ff ?? base, address: exceptionAddress };
  }
  return { type: base, address: exceptionAddress };
}
