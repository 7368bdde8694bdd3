/**
 * The stack walker's contract (StackWalkEx's job): what it is given and what it answers.
 * The minidump reader produces RegisterSet and MemoryReader; the dump handler produces
 * WalkModule; the unwinders in this directory consume them.
 */

export type WalkArch = 'x86' | 'amd64' | 'arm64';

/**
 * Register values by lower-case name: x86 `eip esp ebp eax ebx ecx edx esi edi`; amd64 `rip rsp
 * rbp rax rbx rcx rdx rsi rdi r8`..`r15`; arm64 `pc sp fp lr x0`..`x28`. A register missing from
 * the set is unknown (not recovered by the unwind that produced this frame).
 */
export type RegisterSet = Map<string, bigint>;

/** Reads process memory (from a dump's memory lists or a module image). */
export interface MemoryReader {
  /** `size` bytes at `address`, or undefined when any of them is not available. */
  read(address: bigint, size: number): Uint8Array | undefined;
}

/** One x86 frame-data record for an address (FPO_DATA or FRAMEDATA from the PDB). */
export interface X86FrameInfo {
  kind: 'fpo' | 'framedata';
  /** RVA and length of the code block it covers. */
  rvaStart: number;
  codeSize: number;
  prologSize: number;
  savedRegsSize: number;
  localsSize: number;
  paramsSize: number;
  maxStackSize?: number;
  /** FRAMEDATA: the postfix program (`$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + = ...`). */
  program?: string;
  allocatesBasePointer: boolean;
  hasSeh?: boolean;
  /** FPO_DATA frame type (0 FPO, 1 TRAP, 2 TSS, 3 non-FPO). */
  fpoFrameType?: number;
}

/** A module as the walker sees it. */
export interface WalkModule {
  name: string;
  base: bigint;
  size: number;
  /**
   * Image bytes at an RVA: from the image file when it was found, else from the dump's memory
   * (modules are often captured in part). Headers at RVA 0 give the exception directory.
   */
  readRva(rva: number, size: number): Uint8Array | undefined;
  /** x86: the frame data covering an RVA, from the PDB, when symbols are loaded. */
  x86FrameInfo?(rva: number): X86FrameInfo | undefined;
  /**
   * Breakpad STACK CFI rules in effect at an RVA (register → postfix expression: `.cfa`, `.ra`,
   * `$rbx`, `x29`...), e.g. from a module's .sym file (`breakpadWalkInfo`). The walker uses them
   * after the image's own unwind data (.pdata) and before frame pointers and scanning.
   */
  cfiRules?(rva: number): Readonly<Record<string, string>> | undefined;
}

/** How a frame was found (rust-minidump's `trust` names). */
export type FrameTrust = 'context' | 'cfi' | 'frame_pointer' | 'cfi_scan' | 'scan' | 'prewalked' | 'none';

export interface WalkedFrame {
  /**
   * The frame's instruction pointer: where the context frame stopped, and for every caller frame
   * the return address itself (the instruction after the call). Looking up the calling function
   * or line is the symbolizer's job and must use `instruction - 1` for caller frames (trust other
   * than 'context'), as DbgHelp's users do with STACKFRAME_EX.AddrPC: the return address can be
   * the first byte of the next function when the call is a function's last instruction.
   */
  instruction: bigint;
  trust: FrameTrust;
  /** Registers recovered for this frame (all of them for the context frame). */
  registers: RegisterSet;
  /** The module holding `instruction`, when one does. */
  module?: WalkModule;
}

export interface WalkOptions {
  arch: WalkArch;
  context: RegisterSet;
  memory: MemoryReader;
  moduleAt(address: bigint): WalkModule | undefined;
  /** Frame cap (default 1024). */
  maxFrames?: number;
  signal?: AbortSignal;
}

export interface WalkResult {
  frames: WalkedFrame[];
  /**
   * Set when the walk stopped early for a reason other than reaching the stack's end:
   * 'frame-cap' maxFrames reached; 'loop' a caller's stack pointer not above its callee's (or a
   * frame repeated); 'bad-memory' the unwind data said where the caller's registers were saved
   * and that memory is not readable (and no fallback found a caller); 'bad-unwind-info' the
   * unwind data is corrupt (and no fallback found a caller); 'aborted' the signal fired.
   * Unset when a return address of 0 ended the walk, or when no method had anything to go on.
   */
  truncated?: 'frame-cap' | 'loop' | 'bad-memory' | 'bad-unwind-info' | 'aborted';
  /** Why the walk stopped (each method tried for the last frame and what it said), for logs. */
  detail?: string;
}
