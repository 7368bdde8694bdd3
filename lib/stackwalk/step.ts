/**
 * What one unwinding method answers for one frame, and what it is given. Internal to the walker.
 */
import { MemoryReader, RegisterSet, WalkArch, WalkModule } from './types';

export interface StepContext {
  arch: WalkArch;
  memory: MemoryReader;
  moduleAt(address: bigint): WalkModule | undefined;
  /** The callee is the context frame (its instruction pointer is where it stopped, not a return address). */
  contextFrame: boolean;
}

export type StepFailure = 'no-info' | 'memory' | 'bad-unwind';

export type Step =
  /** The caller's registers (instruction pointer and stack pointer included). */
  | { kind: 'frame'; registers: RegisterSet; note?: string }
  /** The return address is 0: the stack's end. */
  | { kind: 'end' }
  | { kind: 'fail'; reason: StepFailure; detail: string };

export const fail = (reason: StepFailure, detail: string): Step => ({ kind: 'fail', reason, detail });

/** The registers in `names` that `from` knows, copied. */
export function keep(from: RegisterSet, names: readonly string[]): RegisterSet {
  const out: RegisterSet = new Map();
  for (const n of names) {
    const v = from.get(n);
    if (v !== undefined) out.set(n, v);
  }
  return out;
}

export function moduleOf(ctx: StepContext, address: bigint): WalkModule | undefined {
  try {
    const m = ctx.moduleAt(address);
    return m && address >= m.base && address - m.base < BigInt(m.size) ? m : undefined;
  } catch {
    return undefined;
  }
}
