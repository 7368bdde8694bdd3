/**
 * MINIDUMP_THREAD_NAME_LIST (minidumpapiset.h): u32 NumberOfThreadNames, then
 * MINIDUMP_THREAD_NAME entries (12 bytes each, packed: u32 ThreadId, RVA64 RvaOfThreadName,
 * a MINIDUMP_STRING).
 */
import { badFormat } from '../../api/errors';
import type { Cursor } from '../binary/cursor';
import type { DumpFile } from './dump-file';

export const THREAD_NAME_SIZE = 12;

export function readThreadNames(c: Cursor, f: DumpFile): Map<number, string> {
  const n = c.count(c.u32(), THREAD_NAME_SIZE, 'MINIDUMP_THREAD_NAME');
  const out = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const at = c.offset;
    const id = c.u32();
    const rva = c.u64();
    if (rva > BigInt(f.size)) throw badFormat(f.name, at + 4, `thread 0x${id.toString(16)} name RVA 0x${rva.toString(16)} is past the end of the ${f.size}-byte file`);
    if (!out.has(id)) out.set(id, f.string(Number(rva), `thread 0x${id.toString(16)} name`));
  }
  return out;
}
