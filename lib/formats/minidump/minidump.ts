/**
 * Minidump: a Windows minidump (.dmp), MiniDumpReadDumpStream's job. Opening reads the header
 * and the stream directory only; each stream is parsed on first use and kept. A path is read
 * through FileSource (positional reads), so a multi-gigabyte full dump is never read whole:
 * memory reads fetch just the bytes asked for.
 *
 * A stream type present twice answers with its first entry (as MiniDumpReadDumpStream does).
 */
import { DbgHelpError } from '../../api/errors';
import type { MemoryReader, WalkArch } from '../../stackwalk/types';
import { BufferSource, FileSource, type ByteSource } from '../binary/source';
import { readAssertionInfo, readBreakpadInfo, type AssertionInfo, type BreakpadInfo } from './breakpad-info';
import { readComment } from './comment';
import { archOfProcessor, guessArch, readContext, type ThreadContext } from './context';
import { CONTEXT_AMD64_SIZE } from './context-amd64';
import { CONTEXT_ARM64_SIZE } from './context-arm64';
import { CONTEXT_X86_SIZE } from './context-x86';
import { readCrashpadInfo, type CrashpadInfo } from './crashpad-info';
import { DumpFile, type Location } from './dump-file';
import { DumpMemory, type DumpMemoryRange } from './dump-memory';
import { readException, type ExceptionStream } from './exception';
import { readHandleData, type HandleDescriptor } from './handle-data';
import { readDirectory, readHeader, type DirectoryEntry, type MinidumpHeader } from './header';
import { readMemory64List, type Memory64Range } from './memory64-list';
import { readMemoryInfoList, type MemoryInfo } from './memory-info-list';
import { readMemoryList, type MemoryDescriptor } from './memory-list';
import { readMiscInfo, type MiscInfo } from './misc-info';
import { readModuleList, type MinidumpModule } from './module-list';
import { StreamType, streamTypeName } from './stream-types';
import { readSystemInfo, type SystemInfo } from './system-info';
import { readThreadExList } from './thread-ex-list';
import { readThreadInfoList, type ThreadInfo } from './thread-info-list';
import { readThreadList, type MinidumpThread } from './thread-list';
import { readThreadNames } from './thread-names';
import { readUnloadedModuleList, type UnloadedModule } from './unloaded-module-list';
import type { Cursor } from '../binary/cursor';

const CONTEXT_SIZES: Record<WalkArch, number> = { x86: CONTEXT_X86_SIZE, amd64: CONTEXT_AMD64_SIZE, arm64: CONTEXT_ARM64_SIZE };

export class Minidump {
  readonly header: MinidumpHeader;
  readonly directory: readonly DirectoryEntry[];
  private readonly file: DumpFile;
  private readonly memo = new Map<string, unknown>();

  constructor(source: ByteSource) {
    this.file = new DumpFile(source);
    this.header = readHeader(this.file);
    this.directory = readDirectory(this.file, this.header);
  }

  get name(): string {
    return this.file.name;
  }
  /** Bytes read from the file so far (laziness checks). */
  get bytesRead(): number {
    return this.file.source.bytesRead;
  }

  /** The first directory entry of a stream type. */
  entry(type: number): DirectoryEntry | undefined {
    return this.directory.find((d) => d.streamType === type && type !== StreamType.Unused);
  }
  /** A stream's bytes as written (for streams without a parser here), or undefined when absent. */
  rawStream(type: number): Uint8Array | undefined {
    const e = this.entry(type);
    return e && this.cursorOf(e).bytes(e.location.dataSize);
  }

  private once<T>(key: string, make: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = make();
    this.memo.set(key, v);
    return v;
  }
  private cursorOf(e: DirectoryEntry): Cursor {
    return this.file.at(e.location, `${streamTypeName(e.streamType)} stream`);
  }
  private parse<T>(type: number, read: (c: Cursor) => T): T | undefined {
    return this.once(`s${type}`, () => {
      const e = this.entry(type);
      return e ? read(this.cursorOf(e)) : undefined;
    });
  }

  /** ThreadList, else ThreadExList; [] when the dump has neither. */
  threads(): MinidumpThread[] {
    return this.parse(StreamType.ThreadList, readThreadList) ?? this.parse(StreamType.ThreadExList, readThreadExList) ?? [];
  }
  modules(): MinidumpModule[] {
    return this.parse(StreamType.ModuleList, (c) => readModuleList(c, this.file)) ?? [];
  }
  unloadedModules(): UnloadedModule[] {
    return this.parse(StreamType.UnloadedModuleList, (c) => readUnloadedModuleList(c, this.file)) ?? [];
  }
  exception(): ExceptionStream | undefined {
    return this.parse(StreamType.Exception, readException);
  }
  systemInfo(): SystemInfo | undefined {
    return this.parse(StreamType.SystemInfo, (c) => readSystemInfo(c, this.file));
  }
  miscInfo(): MiscInfo | undefined {
    return this.parse(StreamType.MiscInfo, readMiscInfo);
  }
  memoryList(): MemoryDescriptor[] {
    return this.parse(StreamType.MemoryList, readMemoryList) ?? [];
  }
  memory64List(): Memory64Range[] {
    return this.parse(StreamType.Memory64List, (c) => readMemory64List(c, this.file.size)) ?? [];
  }
  memoryInfo(): MemoryInfo[] {
    return this.parse(StreamType.MemoryInfoList, readMemoryInfoList) ?? [];
  }
  threadInfo(): ThreadInfo[] {
    return this.parse(StreamType.ThreadInfoList, readThreadInfoList) ?? [];
  }
  /** Thread names by thread id (ThreadNames stream). */
  threadNames(): Map<number, string> {
    return this.parse(StreamType.ThreadNames, (c) => readThreadNames(c, this.file)) ?? new Map();
  }
  handles(): HandleDescriptor[] {
    return this.parse(StreamType.HandleData, (c) => readHandleData(c, this.file)) ?? [];
  }
  /** CommentStreamW, else CommentStreamA. */
  comment(): string | undefined {
    return this.parse(StreamType.CommentW, (c) => readComment(c, true)) ?? this.parse(StreamType.CommentA, (c) => readComment(c, false));
  }
  breakpadInfo(): BreakpadInfo | undefined {
    return this.parse(StreamType.BreakpadInfo, readBreakpadInfo);
  }
  assertionInfo(): AssertionInfo | undefined {
    return this.parse(StreamType.AssertionInfo, readAssertionInfo);
  }
  crashpadInfo(): CrashpadInfo | undefined {
    return this.parse(StreamType.CrashpadInfo, (c) => readCrashpadInfo(c, this.file));
  }

  /** The CPU architecture from SystemInfo (undefined for one we cannot read contexts of). */
  arch(): WalkArch | undefined {
    const s = this.systemInfo();
    return s ? archOfProcessor(s.processorArchitecture) : undefined;
  }

  /** A context record at a location (a thread's, the exception's). */
  context(loc: Location, what = 'thread context'): ThreadContext | undefined {
    if (!loc.dataSize) return undefined;
    const c = this.file.at(loc, what);
    // A 32-bit process dumped on 64-bit Windows (WoW64): SystemInfo says AMD64, the records are
    // x86. A record too short for SystemInfo's layout is read as what its shape says.
    let arch = this.arch();
    if (!arch || c.length < CONTEXT_SIZES[arch]) arch = guessArch(c) ?? arch;
    if (!arch) return undefined;
    return readContext(c, arch, { xstate: this.miscInfo()?.xstate });
  }
  threadContext(t: MinidumpThread): ThreadContext | undefined {
    return this.context(t.contextLocation, `thread 0x${t.threadId.toString(16)} context`);
  }
  /** The crashing thread's context at the exception (Exception stream), if any. */
  exceptionContext(): ThreadContext | undefined {
    const e = this.exception();
    return e && this.context(e.contextLocation, 'exception context');
  }

  /** Process memory from MemoryList and Memory64List (and thread stacks the lists lack). */
  memory(): DumpMemory {
    return this.once('memory', () => {
      const ranges: DumpMemoryRange[] = [];
      for (const d of this.memoryList()) {
        this.file.check(d.location.rva, d.location.dataSize, `memory at 0x${d.start.toString(16)}`);
        ranges.push({ start: d.start, size: d.location.dataSize, fileOffset: d.location.rva });
      }
      for (const r of this.memory64List()) {
        ranges.push({ start: r.start, size: Number(r.size > 0x7fffffffn ? 0x7fffffffn : r.size), fileOffset: Number(r.fileOffset) });
      }
      const mem = new DumpMemory(this.file.source, ranges);
      // Thread stacks missing from the lists (writers that record them only in the thread list).
      const extra = this.stacksOutside(mem);
      return extra.length ? new DumpMemory(this.file.source, [...ranges, ...extra]) : mem;
    });
  }

  private stacksOutside(mem: DumpMemory): DumpMemoryRange[] {
    let threads: MinidumpThread[];
    try {
      threads = this.threads();
    } catch (e) {
      if (e instanceof DbgHelpError) return []; // threads() reports it to whoever asks for threads
      throw e;
    }
    const out: DumpMemoryRange[] = [];
    for (const t of threads) {
      const { start, location } = t.stack;
      if (!location.dataSize || mem.rangeAt(start) || mem.rangeAt(start + BigInt(location.dataSize - 1))) continue;
      if (location.rva + location.dataSize > this.file.size) continue; // an extra: a bad one is left out
      out.push({ start, size: location.dataSize, fileOffset: location.rva });
    }
    return out;
  }

  /** The module holding an address. */
  moduleAt(address: bigint): MinidumpModule | undefined {
    return this.modules().find((m) => address >= m.base && address < m.base + BigInt(m.size));
  }

  close(): void {
    this.file.source.close();
  }
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Opens a minidump from a path (read on demand) or from bytes. Throws BAD_FORMAT (with the
 * offset) when the header or directory is malformed, FILE_NOT_FOUND / IO_ERROR for the file.
 */
export function openMinidump(pathOrBuffer: string | Uint8Array, name = '<minidump buffer>'): Minidump {
  let source: ByteSource;
  if (typeof pathOrBuffer === 'string') source = FileSource.open(pathOrBuffer);
  else if (pathOrBuffer instanceof Uint8Array) source = new BufferSource(pathOrBuffer, name);
  else throw new DbgHelpError('INVALID_PARAMETER', 'openMinidump: pass a path or a Uint8Array');
  try {
    return new Minidump(source);
  } catch (e) {
    source.close();
    throw e;
  }
}

export type { MemoryReader };
