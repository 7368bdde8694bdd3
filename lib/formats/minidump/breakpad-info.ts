/**
 * Breakpad's streams (google_breakpad/common/minidump_format.h):
 *   MDRawBreakpadInfo (MD_BREAKPAD_INFO_STREAM 0x47670001), 12 bytes: u32 validity
 *     (1: dump_thread_id valid, 2: requesting_thread_id valid), u32 dump_thread_id (the thread
 *     that wrote the dump), u32 requesting_thread_id (the thread that crashed or asked).
 *   MDRawAssertionInfo (MD_ASSERTION_INFO_STREAM 0x47670002), 776 bytes: u16 expression[128],
 *     u16 function[128], u16 file[128] (UTF-16, NUL-terminated), u32 line, u32 type
 *     (1 invalid parameter, 2 pure virtual call).
 */
import type { Cursor } from '../binary/cursor';
import { fixedUtf16 } from './dump-file';

export const BREAKPAD_INFO_SIZE = 12;
export const ASSERTION_INFO_SIZE = 776;

export interface BreakpadInfo {
  validity: number;
  dumpThreadId?: number;
  requestingThreadId?: number;
}

export interface AssertionInfo {
  expression: string;
  function: string;
  file: string;
  line: number;
  /** 1: MD_ASSERTION_INFO_TYPE_INVALID_PARAMETER, 2: PURE_VIRTUAL_CALL. */
  type: number;
}

export function readBreakpadInfo(c: Cursor): BreakpadInfo {
  c.need(BREAKPAD_INFO_SIZE, 'MDRawBreakpadInfo (12 bytes)');
  const validity = c.u32();
  const dump = c.u32();
  const requesting = c.u32();
  const out: BreakpadInfo = { validity };
  if (validity & 1) out.dumpThreadId = dump;
  if (validity & 2) out.requestingThreadId = requesting;
  return out;
}

export function readAssertionInfo(c: Cursor): AssertionInfo {
  c.need(ASSERTION_INFO_SIZE, 'MDRawAssertionInfo (776 bytes)');
  return { expression: fixedUtf16(c, 128), function: fixedUtf16(c, 128), file: fixedUtf16(c, 128), line: c.u32(), type: c.u32() };
}
