/**
 * The backend-neutral stack-walk seam: processMinidump asks the active backend's handler to walk
 * a thread. On Windows (native and ffi) that is dbghelp.dll's own StackWalkEx (DllHandler.stackWalk),
 * with its memory reads served from the dump (DumpMemory, then the module images loadDump found);
 * the portable backend has no stackWalk and lib/stackwalk answers, as before.
 *
 * StackWalkEx (SYM_STKWALK_DEFAULT) gives inline frames as frames of their own (FrameType 2 in
 * InlineFrameContext's byte 1) before their physical frame; processMinidump expands inlines from
 * symbols at each physical frame, so toWalkResult folds them into the physical frame after them.
 */
import type { BackendHandler } from '../api/types';
import type { ThreadContext } from '../formats/minidump/context';
import { walkStack } from '../stackwalk';
import type { MemoryReader, RegisterSet, WalkArch, WalkModule, WalkResult, WalkedFrame } from '../stackwalk/types';

/** What a backend's walker is given: the thread's context, the process memory and its modules. */
export interface BackendWalkRequest {
  arch: WalkArch;
  context: ThreadContext;
  memory: MemoryReader;
  moduleAt(address: bigint): WalkModule | undefined;
  /** The thread's id (StackWalkEx's hThread; only x86 kernel walks read it). */
  threadId?: number;
  maxFrames?: number;
}

/** One STACKFRAME_EX as StackWalkEx left it. */
export interface BackendWalkFrame {
  /** AddrPC, AddrReturn, AddrStack, AddrFrame. */
  pc: bigint;
  ret: bigint;
  sp: bigint;
  fp: bigint;
  /**
   * InlineFrameContext: FrameId (byte 0), FrameType (byte 1: 1 STACK, 2 INLINE, | 0x80 RA at a
   * return address, so an inline frame there is 0x82), signature (bits 16-31).
   */
  inlineContext: number;
  /** FrameType is INLINE: a frame of inlined code at `pc`, before its physical frame. */
  inline: boolean;
}

export interface BackendWalk {
  /** Which walker answered, for logs and tests (`StackWalkEx (dbghelp.dll ...)`). */
  engine: string;
  frames: BackendWalkFrame[];
  /** GetLastError after the walk ended: 0 at the stack's end, 487 (ERROR_INVALID_ADDRESS) when it could not go on. */
  stopped: number;
}

/**
 * The architectures StackWalkEx is driven for (IMAGE_FILE_MACHINE_*); others use lib/stackwalk.
 * x86 (I386): the x64 dbghelp.dll walks a 32-bit stack from a WOW64_CONTEXT-shaped CONTEXT.
 */
export const MACHINE_OF_ARCH: Partial<Record<WalkArch, number>> = { amd64: 0x8664, x86: 0x14c };

/** StackWalkEx's AddrPC / AddrStack / AddrFrame registers, by architecture. */
export const WALK_REGISTERS: Partial<Record<WalkArch, readonly [pc: string, sp: string, fp: string]>> = {
  amd64: ['rip', 'rsp', 'rbp'],
  x86: ['eip', 'esp', 'ebp'],
};

/** The CONTEXT record StackWalkEx is given for a context of this architecture. */
export function contextRecord(ctx: ThreadContext): Uint8Array {
  return ctx.arch === 'x86' ? contextRecordX86(ctx) : contextRecordAmd64(ctx);
}

/**
 * A read for DbgHelp's ReadProcessMemoryRoutine: as many bytes from `address` on as the dump's
 * memory, then the module images, hold without a gap (DbgHelp accepts a short read for code).
 */
export function readForDbgHelp(memory: MemoryReader, moduleAt: (a: bigint) => WalkModule | undefined, address: bigint, size: number): Uint8Array | undefined {
  const out = new Uint8Array(size);
  let done = 0;
  while (done < size) {
    const a = address + BigInt(done);
    const piece = readPiece(memory, moduleAt, a, size - done);
    if (!piece || piece.length === 0) break;
    out.set(piece.subarray(0, size - done), done);
    done += Math.min(piece.length, size - done);
  }
  return done ? out.subarray(0, done) : undefined;
}

/** The longest read at `a` that one source answers: whole, else halving down to one byte. */
function readPiece(memory: MemoryReader, moduleAt: (a: bigint) => WalkModule | undefined, a: bigint, want: number): Uint8Array | undefined {
  const m = moduleAt(a);
  for (let n = want; n >= 1; n = n > 16 ? n >> 1 : n - 1) {
    const b = tryRead(() => memory.read(a, n));
    if (b && b.length >= n) return b.subarray(0, n);
    if (m && a >= m.base && a + BigInt(n) <= m.base + BigInt(m.size)) {
      const r = tryRead(() => m.readRva(Number(a - m.base), n));
      if (r && r.length >= n) return r.subarray(0, n);
    }
  }
  return undefined;
}

function tryRead(f: () => Uint8Array | undefined): Uint8Array | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** CONTEXT (AMD64), 1232 bytes, from a context's fields (context-amd64.ts names the offsets). */
export function contextRecordAmd64(ctx: ThreadContext): Uint8Array {
  const b = Buffer.alloc(1232);
  const v = (n: string) => ctx.raw.get(n) ?? ctx.registers.get(n) ?? 0n;
  b.writeUInt32LE(ctx.flags >>> 0, 0x30);
  b.writeUInt32LE(Number(v('mxcsr') & 0xffffffffn), 0x34);
  ['cs', 'ds', 'es', 'fs', 'gs', 'ss'].forEach((n, i) => b.writeUInt16LE(Number(v(n) & 0xffffn), 0x38 + 2 * i));
  b.writeUInt32LE(Number(v('eflags') & 0xffffffffn), 0x44);
  ['dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7'].forEach((n, i) => b.writeBigUInt64LE(v(n), 0x48 + 8 * i));
  ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip'].forEach((n, i) => b.writeBigUInt64LE(v(n), 0x78 + 8 * i));
  return b;
}

/**
 * CONTEXT (i386) = WOW64_CONTEXT, 716 bytes, from a context's fields (context-x86.ts names the
 * offsets). The floating-point and extended (FXSAVE) areas are left zero: the reader does not
 * keep them and StackWalkEx does not read them.
 */
export function contextRecordX86(ctx: ThreadContext): Uint8Array {
  const b = Buffer.alloc(716);
  const v = (n: string) => Number((ctx.raw.get(n) ?? ctx.registers.get(n) ?? 0n) & 0xffffffffn);
  b.writeUInt32LE(ctx.flags >>> 0, 0);
  ['dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7'].forEach((n, i) => b.writeUInt32LE(v(n), 0x04 + 4 * i));
  ['gs', 'fs', 'es', 'ds', 'edi', 'esi', 'ebx', 'edx', 'ecx', 'eax', 'ebp', 'eip', 'cs', 'eflags', 'esp', 'ss'].forEach((n, i) => b.writeUInt32LE(v(n), 0x8c + 4 * i));
  return b;
}

/**
 * The walk processMinidump prints: the backend's own walker when it has one for this
 * architecture, else lib/stackwalk. Inline frames are folded into their physical frame.
 */
export function walkThread(handler: BackendHandler | undefined, req: BackendWalkRequest, signal?: AbortSignal): WalkResult & { engine: string } {
  if (handler?.stackWalk && MACHINE_OF_ARCH[req.arch] !== undefined) {
    return { ...toWalkResult(handler.stackWalk(req), req), engine: 'StackWalkEx' };
  }
  const r = walkStack({ arch: req.arch, context: req.context.registers, memory: req.memory, moduleAt: req.moduleAt, maxFrames: req.maxFrames, signal });
  return { ...r, engine: 'lib/stackwalk' };
}

/** StackWalkEx's frames as the portable walker's: physical frames only, registers pc/sp/fp. */
export function toWalkResult(walk: BackendWalk, req: BackendWalkRequest): WalkResult {
  const names = WALK_REGISTERS[req.arch] ?? ['pc', 'sp', 'fp'];
  const frames: WalkedFrame[] = [];
  for (const f of walk.frames) {
    if (f.inline) continue;
    const first = frames.length === 0;
    const registers: RegisterSet = first
      ? new Map(req.context.registers)
      : new Map([
          [names[0], f.pc],
          [names[1], f.sp],
        ]);
    if (!first && f.fp) registers.set(names[2], f.fp);
    frames.push({ instruction: f.pc, trust: first ? 'context' : 'cfi', registers, module: req.moduleAt(f.pc) });
  }
  const out: WalkResult = { frames };
  if (req.maxFrames !== undefined && walk.frames.length >= req.maxFrames) out.truncated = 'frame-cap';
  if (walk.stopped) out.detail = `${walk.engine} stopped with Win32 error ${walk.stopped}`;
  return out;
}
