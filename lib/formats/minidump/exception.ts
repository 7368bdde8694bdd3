/**
 * MINIDUMP_EXCEPTION_STREAM, 168 bytes (minidumpapiset.h):
 *   u32 ThreadId, u32 __alignment, MINIDUMP_EXCEPTION ExceptionRecord (152 bytes: u32
 *   ExceptionCode, u32 ExceptionFlags, u64 ExceptionRecord, u64 ExceptionAddress,
 *   u32 NumberParameters, u32 __unusedAlignment, u64 ExceptionInformation[15]),
 *   MINIDUMP_LOCATION_DESCRIPTOR ThreadContext.
 */
import type { Cursor } from '../binary/cursor';
import { readLocation, type Location } from './dump-file';

export const EXCEPTION_STREAM_SIZE = 168;
const MAXIMUM_PARAMETERS = 15;

export interface ExceptionStream {
  threadId: number;
  exceptionCode: number;
  exceptionFlags: number;
  /** Address of a nested EXCEPTION_RECORD in the crashed process (0 when none). */
  exceptionRecord: bigint;
  exceptionAddress: bigint;
  /** ExceptionInformation[0 .. NumberParameters) (capped at 15, as the array is). */
  parameters: bigint[];
  /** The crashing thread's context at the exception (read with Minidump.exceptionContext()). */
  contextLocation: Location;
}

export function readException(c: Cursor): ExceptionStream {
  c.need(EXCEPTION_STREAM_SIZE, `MINIDUMP_EXCEPTION_STREAM (${EXCEPTION_STREAM_SIZE} bytes)`);
  const threadId = c.u32();
  c.skip(4);
  const exceptionCode = c.u32();
  const exceptionFlags = c.u32();
  const exceptionRecord = c.u64();
  const exceptionAddress = c.u64();
  const n = c.u32();
  c.skip(4);
  const all: bigint[] = [];
  for (let i = 0; i < MAXIMUM_PARAMETERS; i++) all.push(c.u64());
  return {
    threadId,
    exceptionCode,
    exceptionFlags,
    exceptionRecord,
    exceptionAddress,
    parameters: all.slice(0, Math.min(n, MAXIMUM_PARAMETERS)),
    contextLocation: readLocation(c),
  };
}
