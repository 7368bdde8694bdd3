/**
 * CONTEXT (AMD64), 1232 bytes (winnt.h):
 *   0x000 P1Home..P6Home (u64 each); 0x030 u32 ContextFlags; 0x034 u32 MxCsr;
 *   0x038 SegCs SegDs SegEs SegFs SegGs SegSs (u16 each); 0x044 u32 EFlags;
 *   0x048 Dr0 Dr1 Dr2 Dr3 Dr6 Dr7; 0x078 Rax Rcx Rdx Rbx Rsp Rbp Rsi Rdi R8..R15; 0x0f8 Rip
 *   (u64 each); 0x100 FltSave (XMM_SAVE_AREA32, 512 bytes); 0x300 VectorRegister[26] (M128A);
 *   0x4a0 VectorControl DebugControl LastBranchToRip LastBranchFromRip LastExceptionToRip
 *   LastExceptionFromRip (u64 each).
 * Flags: CONTEXT_AMD64 0x100000 | CONTROL 1 (ss rsp cs rip eflags) | INTEGER 2 (rax rcx rdx rbx
 * rbp rsi rdi r8..r15) | SEGMENTS 4 | FLOATING_POINT 8 | DEBUG_REGISTERS 0x10 | XSTATE 0x40.
 * With XSTATE a CONTEXT_EX follows the record (xstate.ts): the CET shadow stack pointer is there.
 */
import type { Cursor } from '../binary/cursor';
import type { ThreadContext } from './context';
import type { XStateConfig } from './misc-info';
import { readXState, XSTATE_CET_U } from './xstate';

export const CONTEXT_AMD64_SIZE = 1232;
const CONTROL = 1;
const INTEGER = 2;
const XSTATE = 0x40;
const GPRS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

export function readContextAmd64(c: Cursor, xstateConfig?: XStateConfig): ThreadContext {
  c.need(CONTEXT_AMD64_SIZE, `CONTEXT (AMD64, ${CONTEXT_AMD64_SIZE} bytes)`);
  const start = c.rel;
  c.skip(48); // P1Home..P6Home
  const flags = c.u32();
  const raw = new Map<string, bigint>();
  raw.set('mxcsr', BigInt(c.u32()));
  for (const n of ['cs', 'ds', 'es', 'fs', 'gs', 'ss']) raw.set(n, BigInt(c.u16()));
  raw.set('eflags', BigInt(c.u32()));
  for (const n of ['dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7']) raw.set(n, c.u64());
  for (const n of GPRS) raw.set(n, c.u64());
  raw.set('rip', c.u64());
  c.skip(512 + 26 * 16); // FltSave, VectorRegister
  for (const n of ['vectorcontrol', 'debugcontrol', 'lastbranchtorip', 'lastbranchfromrip', 'lastexceptiontorip', 'lastexceptionfromrip']) {
    raw.set(n, c.u64());
  }
  const registers = new Map<string, bigint>();
  if (flags & CONTROL) for (const n of ['rip', 'rsp']) registers.set(n, raw.get(n)!);
  if (flags & INTEGER) for (const n of GPRS) if (n !== 'rsp') registers.set(n, raw.get(n)!);
  const ctx: ThreadContext = { arch: 'amd64', flags, registers, raw };
  if (flags & XSTATE && c.remaining > 0) {
    const xs = readXState(c, start, CONTEXT_AMD64_SIZE, xstateConfig);
    if (xs) {
      ctx.xstateMask = xs.mask;
      const cet = xs.feature(XSTATE_CET_U, 16);
      if (cet) {
        ctx.cet = { uCet: cet.u64(), ssp: cet.u64() };
        raw.set('ssp', ctx.cet.ssp);
      }
    }
  }
  return ctx;
}
