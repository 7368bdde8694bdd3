/**
 * MINIDUMP_UNLOADED_MODULE_LIST (minidumpapiset.h), 12-byte header: u32 SizeOfHeader,
 * u32 SizeOfEntry, u32 NumberOfEntries; entries start SizeOfHeader bytes in, SizeOfEntry apart:
 * MINIDUMP_UNLOADED_MODULE (24 bytes: u64 BaseOfImage, u32 SizeOfImage, u32 CheckSum,
 * u32 TimeDateStamp, RVA ModuleNameRva).
 */
import type { Cursor } from '../binary/cursor';
import type { DumpFile } from './dump-file';
import { readSizedHeader } from './sized-list';

export const UNLOADED_MODULE_SIZE = 24;

export interface UnloadedModule {
  base: bigint;
  size: number;
  checkSum: number;
  timeDateStamp: number;
  name: string;
}

export function readUnloadedModuleList(c: Cursor, f: DumpFile): UnloadedModule[] {
  const list = readSizedHeader(c, 12, UNLOADED_MODULE_SIZE, false, 'MINIDUMP_UNLOADED_MODULE');
  const out: UnloadedModule[] = [];
  for (let i = 0; i < list.count; i++) {
    const e = list.entry(i);
    const base = e.u64();
    const size = e.u32();
    const checkSum = e.u32();
    const timeDateStamp = e.u32();
    out.push({ base, size, checkSum, timeDateStamp, name: f.string(e.u32(), `unloaded module ${i} name`) });
  }
  return out;
}
