/**
 * CONTEXT (i386), 716 bytes (winnt.h; Breakpad's MDRawContextX86):
 *   0x00 u32 ContextFlags; 0x04 Dr0 Dr1 Dr2 Dr3 Dr6 Dr7 (u32 each);
 *   0x1c FLOATING_SAVE_AREA (112 bytes: ControlWord, StatusWord, TagWord, ErrorOffset,
 *        ErrorSelector, DataOffset, DataSelector, RegisterArea[80], Cr0NpxState);
 *   0x8c SegGs SegFs SegEs SegDs; 0x9c Edi Esi Ebx Edx Ecx Eax; 0xb4 Ebp Eip SegCs EFlags Esp
 *   SegSs (u32 each); 0xcc ExtendedRegisters[512] (FXSAVE).
 * Flags: CONTEXT_i386 0x10000 | CONTROL 1 (ebp eip cs eflags esp ss) | INTEGER 2 (edi esi ebx
 * edx ecx eax) | SEGMENTS 4 | FLOATING_POINT 8 | DEBUG_REGISTERS 0x10 | EXTENDED_REGISTERS 0x20.
 */
import type { Cursor } from '../binary/cursor';
import type { ThreadContext } from './context';

export const CONTEXT_X86_SIZE = 716;
const CONTROL = 1;
const INTEGER = 2;

export function readContextX86(c: Cursor): ThreadContext {
  c.need(CONTEXT_X86_SIZE, `CONTEXT (x86, ${CONTEXT_X86_SIZE} bytes)`);
  const flags = c.u32();
  const raw = new Map<string, bigint>();
  for (const n of ['dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7']) raw.set(n, BigInt(c.u32()));
  c.skip(112); // FLOATING_SAVE_AREA
  for (const n of ['gs', 'fs', 'es', 'ds', 'edi', 'esi', 'ebx', 'edx', 'ecx', 'eax', 'ebp', 'eip', 'cs', 'eflags', 'esp', 'ss']) {
    raw.set(n, BigInt(c.u32()));
  }
  c.skip(512); // ExtendedRegisters
  const registers = new Map<string, bigint>();
  const take = (names: string[]) => names.forEach((n) => registers.set(n, raw.get(n)!));
  if (flags & CONTROL) take(['eip', 'esp', 'ebp']);
  if (flags & INTEGER) take(['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi']);
  return { arch: 'x86', flags, registers, raw };
}
