/**
 * walkStack: StackWalkEx's job over a RegisterSet, a MemoryReader and the modules.
 *
 * Per frame, the methods in order (the first that gives a valid caller wins):
 * (each `cfi` method followed by the module's Breakpad STACK CFI rules, `cfi` too)
 *   amd64  .pdata/.xdata (`cfi`), then the RBP chain when its return address is a call site
 *          (`frame_pointer`), then scanning (`scan`);
 *   x86    the PDB's frame data (`cfi`), then the EBP chain (`frame_pointer`), then scanning;
 *   arm64  .pdata (`cfi`), then the fp/lr chain (`frame_pointer`), then scanning.
 * A context frame whose instruction pointer is in no module (a call through a bad pointer) is
 * scanned first (amd64, x86: the return address is at the top of the stack) or returns
 * through LR (arm64).
 * A caller is valid when its stack pointer is above the callee's (arm64's context frame may
 * keep it: a leaf returns through LR) and, for frame_pointer results, its instruction pointer is
 * in a module. A return address of 0 ends the walk. The walk never throws for bad data: corrupt
 * unwind data makes that method fail and the next one run; when none gives a caller the walk
 * stops, with `truncated` saying why unless the methods simply had nothing to go on.
 * Bounded: at most maxFrames frames, MAX_CHAIN chained entries, SCAN_WORDS words scanned.
 */
import { unwindAmd64 } from './amd64';
import { unwindArm64, unwindArm64FramePointer } from './arm64';
import { NO_CFI_RULES, unwindBreakpadCfi } from './breakpad-cfi';
import { safeRead } from './memory';
import { isReturnAddress, scanForReturnAddress, wordSize } from './scan';
import { fail, moduleOf, Step, StepContext } from './step';
import { FrameTrust, RegisterSet, WalkedFrame, WalkOptions, WalkResult } from './types';
import { unwindX86FrameData, unwindX86FramePointer } from './x86';

export const DEFAULT_MAX_FRAMES = 1024;
/** Words scanned for a return address: from a caller frame, and from the context frame. */
export const SCAN_WORDS = 40;
export const SCAN_WORDS_CONTEXT = 120;

const IP = { x86: 'eip', amd64: 'rip', arm64: 'pc' } as const;
const SP = { x86: 'esp', amd64: 'rsp', arm64: 'sp' } as const;
const FP = { x86: 'ebp', amd64: 'rbp', arm64: 'fp' } as const;

interface Attempt {
  step: Step;
  trust: FrameTrust;
}

export function walkStack(opts: WalkOptions): WalkResult {
  const { arch } = opts;
  const asked = opts.maxFrames;
  const max = typeof asked === 'number' && Number.isFinite(asked) ? Math.max(1, Math.min(Math.floor(asked), 100000)) : DEFAULT_MAX_FRAMES;
  const ip = IP[arch];
  const sp = SP[arch];
  const ctxIp = opts.context.get(ip);
  const ctxSp = opts.context.get(sp);
  if (ctxIp === undefined || ctxSp === undefined) return { frames: [], truncated: 'bad-memory', detail: `the context has no ${ip} or ${sp}` };
  const first: WalkedFrame = { instruction: ctxIp, trust: 'context', registers: new Map(opts.context) };
  const frames: WalkedFrame[] = [withModule(opts, first)];
  let calleeParams = 0; // x86: the parameter bytes of the callee just unwound
  const seen = new Set<string>();
  for (;;) {
    if (frames.length >= max) return { frames, truncated: 'frame-cap' };
    if (opts.signal?.aborted) return { frames, truncated: 'aborted' };
    const callee = frames[frames.length - 1];
    const ctx: StepContext = { arch, memory: opts.memory, moduleAt: opts.moduleAt, contextFrame: frames.length === 1 };
    const attempts: Attempt[] = [];
    let chosen: Attempt | undefined;
    let ended = false;
    const consider = (trust: FrameTrust, step: Step): boolean => {
      const a = { trust, step };
      attempts.push(a);
      if (step.kind === 'end') {
        ended = true;
        return true;
      }
      if (step.kind !== 'frame') return false;
      const why = invalid(opts, ctx, callee.registers, step.registers, trust);
      if (why) {
        a.step = fail(why.reason, why.detail);
        return false;
      }
      chosen = a;
      return true;
    };
    const regs = callee.registers;
    let done = false;
    if (arch === 'amd64') done = consider('cfi', unwindAmd64(regs, ctx));
    else if (arch === 'arm64') done = consider('cfi', unwindArm64(regs, ctx));
    else {
      const r = unwindX86FrameData(regs, ctx, calleeParams);
      done = consider('cfi', r.step);
      calleeParams = r.step.kind === 'frame' ? r.paramsSize : 0;
    }
    // Breakpad STACK CFI rules (a module whose symbols are a .sym file, often without its image).
    if (!done) {
      const s = unwindBreakpadCfi(regs, ctx);
      if (!(s.kind === 'fail' && s.detail === NO_CFI_RULES)) done = consider('cfi', s);
    }
    // A context frame outside every module (a call through a bad pointer): its caller's return
    // address is at the top of the stack, which scanning finds before any frame-pointer guess.
    const lost = ctx.contextFrame && arch !== 'arm64' && !moduleOf(ctx, callee.instruction);
    if (!done && lost) done = consider('scan', scan(opts, ctx, regs));
    if (!done) {
      if (arch === 'amd64') done = consider('frame_pointer', rbpChain(regs, ctx));
      else if (arch === 'arm64') done = consider('frame_pointer', unwindArm64FramePointer(regs, ctx));
      else done = consider('frame_pointer', unwindX86FramePointer(regs, ctx));
      if (!done && arch === 'x86') calleeParams = 0;
    }
    if (!done && !lost) done = consider('scan', scan(opts, ctx, regs));
    if (ended) return { frames };
    if (!chosen) return stop(frames, attempts);
    const caller = chosen.step as Extract<Step, { kind: 'frame' }>;
    const key = `${caller.registers.get(ip)}:${caller.registers.get(sp)}`;
    if (seen.has(key)) return { frames, truncated: 'loop', detail: `frame ${frames.length}: ${ip} and ${sp} repeat` };
    seen.add(key);
    frames.push(withModule(opts, { instruction: caller.registers.get(ip)!, trust: chosen.trust, registers: caller.registers }));
  }
}

function withModule(opts: WalkOptions, f: WalkedFrame): WalkedFrame {
  let module;
  try {
    module = opts.moduleAt(f.instruction);
  } catch {
    module = undefined;
  }
  return module ? { ...f, module } : f;
}

/** Why a caller is not acceptable, or undefined. */
function invalid(opts: WalkOptions, ctx: StepContext, callee: RegisterSet, caller: RegisterSet, trust: FrameTrust): { reason: 'bad-unwind'; detail: string } | undefined {
  const ip = caller.get(IP[opts.arch]);
  const newSp = caller.get(SP[opts.arch]);
  const oldSp = callee.get(SP[opts.arch])!;
  if (ip === undefined || newSp === undefined) return { reason: 'bad-unwind', detail: 'no instruction or stack pointer' };
  const leaf = opts.arch === 'arm64' && ctx.contextFrame && newSp === oldSp;
  if (newSp <= oldSp && !leaf) return { reason: 'bad-unwind', detail: `stack pointer 0x${newSp.toString(16)} not above 0x${oldSp.toString(16)} (a loop)` };
  if (opts.arch === 'x86' && (ip > 0xffffffffn || newSp > 0xffffffffn)) return { reason: 'bad-unwind', detail: 'a 32-bit register above 4 GiB' };
  if (trust === 'frame_pointer' && !moduleOf(ctx, ip)) return { reason: 'bad-unwind', detail: `frame pointer return address 0x${ip.toString(16)} is in no module` };
  if (trust === 'cfi' && !moduleOf(ctx, ip) && !moduleOf(ctx, ip - 1n)) return { reason: 'bad-unwind', detail: `unwound return address 0x${ip.toString(16)} is in no module` };
  return undefined;
}

/** The walk could not continue: say why, unless every method simply had nothing to go on. */
function stop(frames: WalkedFrame[], attempts: Attempt[]): WalkResult {
  const failures = attempts.map((a) => a.step).filter((s): s is Extract<Step, { kind: 'fail' }> => s.kind === 'fail');
  const detail = attempts.map((a) => `${a.trust}: ${a.step.kind === 'fail' ? a.step.detail : a.step.kind}`).join('; ');
  if (failures.some((f) => f.detail.includes('(a loop)'))) return { frames, truncated: 'loop', detail };
  if (failures.some((f) => f.reason === 'bad-unwind')) return { frames, truncated: 'bad-unwind-info', detail };
  if (failures.some((f) => f.reason === 'memory') && attempts[0].step.kind === 'fail' && attempts[0].step.reason === 'memory') return { frames, truncated: 'bad-memory', detail };
  return { frames, detail };
}

/** amd64's RBP chain, accepted only when [rbp+8] is a call site (RBP is rarely a frame pointer on x64). */
function rbpChain(regs: RegisterSet, ctx: StepContext): Step {
  const rbp = regs.get('rbp');
  const rsp = regs.get('rsp');
  if (rbp === undefined || rsp === undefined) return fail('no-info', 'rbp or rsp unknown');
  if (rbp <= rsp || rbp & 7n) return fail('no-info', 'rbp is not a frame pointer');
  const b = safeRead(ctx.memory, rbp, 16);
  if (!b) return fail('no-info', 'no frame record at rbp');
  const dv = new DataView(b.buffer, b.byteOffset, 16);
  const saved = dv.getBigUint64(0, true);
  const ret = dv.getBigUint64(8, true);
  if (!isReturnAddress(ctx, ret)) return fail('no-info', '[rbp+8] is not a return address');
  const out: RegisterSet = new Map();
  for (const n of ['rbx', 'rdi', 'rsi', 'r12', 'r13', 'r14', 'r15']) {
    const v = regs.get(n);
    if (v !== undefined) out.set(n, v);
  }
  out.set('rbp', saved);
  out.set('rip', ret);
  out.set('rsp', rbp + 16n);
  return { kind: 'frame', registers: out };
}

function scan(opts: WalkOptions, ctx: StepContext, regs: RegisterSet): Step {
  const spName = SP[opts.arch];
  const sp = regs.get(spName);
  if (sp === undefined) return fail('no-info', `${spName} unknown`);
  // From a caller frame the scan starts above the slot its return address came from.
  const hit = scanForReturnAddress(ctx, sp, ctx.contextFrame ? SCAN_WORDS_CONTEXT : SCAN_WORDS);
  if (!hit) return fail('no-info', `no return address in ${ctx.contextFrame ? SCAN_WORDS_CONTEXT : SCAN_WORDS} words above 0x${sp.toString(16)}`);
  const out: RegisterSet = new Map();
  const newSp = hit.slot + BigInt(wordSize(opts.arch));
  const fp = regs.get(FP[opts.arch]);
  if (fp !== undefined && fp >= newSp) out.set(FP[opts.arch], fp);
  out.set(IP[opts.arch], hit.returnAddress);
  out.set(spName, newSp);
  return { kind: 'frame', registers: out };
}
