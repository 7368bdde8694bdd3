/**
 * A module's exception directory as the unwinders use it, read once per module (WeakMap) through
 * `WalkModule.readRva`: IMAGE_DOS_HEADER at RVA 0, the NT headers at e_lfanew, the optional
 * header's IMAGE_DIRECTORY_ENTRY_EXCEPTION, then the directory's bytes. Works the same whether
 * the image came from a file or from dump memory; headers or a directory that cannot be read
 * leave the module without unwind data (the walker then uses its fallbacks).
 */
import { DbgHelpError } from '../api/errors';
import { Cursor } from '../formats/binary/cursor';
import { Arm64RuntimeFunctionTable } from '../formats/pe/arm64-runtime-function';
import { IMAGE_DOS_HEADER_SIZE, readDosHeader } from '../formats/pe/dos-header';
import { IMAGE_FILE_HEADER_SIZE, ImageFileMachine, readFileHeader } from '../formats/pe/file-header';
import { ImageDirectoryEntry, readOptionalHeader } from '../formats/pe/optional-header';
import { RuntimeFunctionTable } from '../formats/pe/runtime-function';
import { safeReadRva } from './memory';
import { WalkModule } from './types';

/** Exception directories larger than this are refused as corrupt (Windows' largest DLLs hold a few MB). */
export const MAX_EXCEPTION_DIRECTORY = 64 * 1024 * 1024;

export interface ModuleUnwind {
  machine?: number;
  x64?: RuntimeFunctionTable;
  arm64?: Arm64RuntimeFunctionTable;
  /** Why there is no table (headers unreadable, malformed, no directory). */
  problem?: string;
}

const cache = new WeakMap<WalkModule, ModuleUnwind>();

export function moduleUnwind(module: WalkModule): ModuleUnwind {
  let u = cache.get(module);
  if (!u) {
    u = load(module);
    cache.set(module, u);
  }
  return u;
}

function load(m: WalkModule): ModuleUnwind {
  const origin = `${m.name} (image memory)`;
  try {
    const dos = safeReadRva(m, 0, IMAGE_DOS_HEADER_SIZE);
    if (!dos) return { problem: 'headers not readable' };
    const lfanew = readDosHeader(Cursor.of(dos, origin)).lfanew;
    const nt = safeReadRva(m, lfanew, 4 + IMAGE_FILE_HEADER_SIZE);
    if (!nt) return { problem: `NT headers at 0x${lfanew.toString(16)} not readable` };
    const c = Cursor.of(nt, origin, lfanew);
    if (c.u32() !== 0x4550) c.fail("no 'PE\\0\\0' signature at e_lfanew", 0);
    const fh = readFileHeader(c);
    const optAt = lfanew + 4 + IMAGE_FILE_HEADER_SIZE;
    const opt = safeReadRva(m, optAt, fh.sizeOfOptionalHeader);
    if (!opt) return { machine: fh.machine, problem: 'optional header not readable' };
    const oh = readOptionalHeader(Cursor.of(opt, origin, optAt));
    const dir = oh.dataDirectories[ImageDirectoryEntry.EXCEPTION];
    if (!dir || dir.size === 0) return { machine: fh.machine, problem: 'no exception directory' };
    if (dir.size > MAX_EXCEPTION_DIRECTORY || dir.rva + dir.size > m.size) {
      return { machine: fh.machine, problem: `exception directory [0x${dir.rva.toString(16)}, +0x${dir.size.toString(16)}) outside the ${m.size}-byte image` };
    }
    const bytes = safeReadRva(m, dir.rva, dir.size);
    if (!bytes) return { machine: fh.machine, problem: 'exception directory not readable' };
    if (fh.machine === ImageFileMachine.AMD64) return { machine: fh.machine, x64: new RuntimeFunctionTable(bytes, `${m.name} .pdata`, dir.rva) };
    if (fh.machine === ImageFileMachine.ARM64) return { machine: fh.machine, arm64: new Arm64RuntimeFunctionTable(bytes, `${m.name} .pdata`, dir.rva) };
    return { machine: fh.machine, problem: `no unwind tables for machine 0x${fh.machine.toString(16)}` };
  } catch (e) {
    if (e instanceof DbgHelpError) return { problem: e.message };
    throw e;
  }
}

/** Parsed unwind records kept per module and kind (at most MAX_MEMO each; errors kept too). */
const MAX_MEMO = 4096;
const memos = new WeakMap<WalkModule, Map<string, Map<number, { value?: unknown; error?: unknown }>>>();

export function memoRecord<T>(module: WalkModule, kind: string, rva: number, read: () => T): T {
  let byKind = memos.get(module);
  if (!byKind) memos.set(module, (byKind = new Map()));
  let m = byKind.get(kind);
  if (!m) byKind.set(kind, (m = new Map()));
  let e = m.get(rva);
  if (!e) {
    try {
      e = { value: read() };
    } catch (err) {
      if (!(err instanceof DbgHelpError)) throw err;
      e = { error: err };
    }
    if (m.size >= MAX_MEMO) m.clear();
    m.set(rva, e);
  }
  if (e.error) throw e.error;
  return e.value as T;
}
