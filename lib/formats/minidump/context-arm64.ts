/**
 * CONTEXT (ARM64), 912 bytes (winnt.h ARM64_NT_CONTEXT):
 *   0x000 u32 ContextFlags; 0x004 u32 Cpsr; 0x008 X0..X28 (u64 each); 0x0f0 Fp (x29);
 *   0x0f8 Lr (x30); 0x100 Sp; 0x108 Pc; 0x110 V[32] (NEON128, 16 bytes each); 0x310 u32 Fpcr;
 *   0x314 u32 Fpsr; 0x318 u32 Bcr[8]; 0x338 u64 Bvr[8]; 0x378 u32 Wcr[2]; 0x380 u64 Wvr[2].
 * Flags: CONTEXT_ARM64 0x400000 | CONTROL 1 (fp lr sp pc cpsr) | INTEGER 2 (x0..x28) |
 * FLOATING_POINT 4 | DEBUG 8 | X18 0x10.
 */
import type { Cursor } from '../binary/cursor';
import type { ThreadContext } from './context';

export const CONTEXT_ARM64_SIZE = 912;
const CONTROL = 1;
const INTEGER = 2;

export function readContextArm64(c: Cursor): ThreadContext {
  c.need(CONTEXT_ARM64_SIZE, `CONTEXT (ARM64, ${CONTEXT_ARM64_SIZE} bytes)`);
  const flags = c.u32();
  const raw = new Map<string, bigint>();
  raw.set('cpsr', BigInt(c.u32()));
  for (let i = 0; i < 29; i++) raw.set(`x${i}`, c.u64());
  for (const n of ['fp', 'lr', 'sp', 'pc']) raw.set(n, c.u64());
  c.skip(512); // V[32]
  raw.set('fpcr', BigInt(c.u32()));
  raw.set('fpsr', BigInt(c.u32()));
  c.skip(8 * 4 + 8 * 8 + 2 * 4 + 2 * 8); // Bcr, Bvr, Wcr, Wvr
  const registers = new Map<string, bigint>();
  if (flags & CONTROL) for (const n of ['pc', 'sp', 'fp', 'lr']) registers.set(n, raw.get(n)!);
  if (flags & INTEGER) for (let i = 0; i < 29; i++) registers.set(`x${i}`, raw.get(`x${i}`)!);
  return { arch: 'arm64', flags, registers, raw };
}
