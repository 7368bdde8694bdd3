/**
 * What `dbghelp stack` knows about a crashed process once its dump is walked and symbolicated:
 * the model the text and JSON formats print (rust-minidump's ProcessState, trimmed to Windows).
 */
import type { ModuleStatus } from '../api/module-status';
import type { FrameTrust, RegisterSet, WalkArch } from '../stackwalk/types';
import type { CrashReason } from './exception-codes';

export interface InlineFrameOut {
  function: string;
  file?: string;
  line?: number;
}

export interface FrameOut {
  trust: FrameTrust;
  /** The frame's instruction pointer: the context's for frame 0, a return address further out. */
  instruction: bigint;
  module?: ModuleOut;
  /** `instruction - module.base`. */
  moduleOffset?: bigint;
  function?: string;
  /** From the function's start to `instruction` (symbols are looked up at return address - 1). */
  functionOffset?: bigint;
  file?: string;
  line?: number;
  /** From the line's first byte to the instruction. */
  lineOffset?: bigint;
  /** Inline frames at this address, innermost first; the physical frame (`function`) is not among them. */
  inlines: InlineFrameOut[];
  /** Registers the unwind recovered for this frame. */
  registers: RegisterSet;
}

export interface ThreadOut {
  id: number;
  name?: string;
  /** The thread's last Win32 error (from its TEB), when the dump holds it. */
  lastError?: number;
  frames: FrameOut[];
  /** Why the walk stopped early, when it did. */
  truncated?: string;
}

export interface ModuleOut {
  base: bigint;
  size: number;
  /** The image's file name (`crash.exe`), as the dump records it, without directories. */
  filename: string;
  /** The full path the dump records. */
  path: string;
  debugFile?: string;
  debugId?: string;
  codeId?: string;
  version?: string;
  status: ModuleStatus;
  isMain: boolean;
}

export interface SystemOut {
  os: string;
  osVersion: string;
  servicePack?: string;
  cpuArch: WalkArch | 'unknown';
  cpuInfo?: string;
  cpuCount?: number;
}

export interface ProcessState {
  pid?: number;
  /** When the dump was written (its header's TimeDateStamp). */
  time?: Date;
  crash?: CrashReason & { code: number; threadId: number; parameters: bigint[] };
  /** The assertion a Breakpad/Crashpad client recorded, when one did. */
  assertion?: string;
  system: SystemOut;
  /** Threads in dump order. */
  threads: ThreadOut[];
  /** Index in `threads` of the thread that crashed (or asked for the dump). */
  crashingThread?: number;
  modules: ModuleOut[];
  unloadedModules: { base: bigint; size: number; filename: string; codeId?: string }[];
}
