/**
 * MINIDUMP_HANDLE_DATA_STREAM (minidumpapiset.h), 16-byte header: u32 SizeOfHeader,
 * u32 SizeOfDescriptor, u32 NumberOfDescriptors, u32 Reserved; then MINIDUMP_HANDLE_DESCRIPTOR
 * (32 bytes: u64 Handle, RVA TypeNameRva, RVA ObjectNameRva, u32 Attributes, u32 GrantedAccess,
 * u32 HandleCount, u32 PointerCount) or MINIDUMP_HANDLE_DESCRIPTOR_2 (40 bytes: + RVA
 * ObjectInfoRva, u32 Reserved0). Names are MINIDUMP_STRINGs (RVA 0: none).
 */
import type { Cursor } from '../binary/cursor';
import type { DumpFile } from './dump-file';
import { readSizedHeader } from './sized-list';

export const HANDLE_DESCRIPTOR_SIZE = 32;
export const HANDLE_DESCRIPTOR_2_SIZE = 40;

export interface HandleDescriptor {
  handle: bigint;
  typeName?: string;
  objectName?: string;
  attributes: number;
  grantedAccess: number;
  handleCount: number;
  pointerCount: number;
  /** _2 only: the RVA of the MINIDUMP_HANDLE_OBJECT_INFORMATION chain (0: none). */
  objectInfoRva?: number;
}

export function readHandleData(c: Cursor, f: DumpFile): HandleDescriptor[] {
  const list = readSizedHeader(c, 16, HANDLE_DESCRIPTOR_SIZE, false, 'MINIDUMP_HANDLE_DESCRIPTOR');
  const out: HandleDescriptor[] = [];
  for (let i = 0; i < list.count; i++) {
    const e = list.entry(i);
    const handle = e.u64();
    const typeRva = e.u32();
    const nameRva = e.u32();
    const d: HandleDescriptor = {
      handle,
      typeName: typeRva ? f.string(typeRva, `handle ${i} type name`) : undefined,
      objectName: nameRva ? f.string(nameRva, `handle ${i} object name`) : undefined,
      attributes: e.u32(),
      grantedAccess: e.u32(),
      handleCount: e.u32(),
      pointerCount: e.u32(),
    };
    if (list.sizeOfEntry >= HANDLE_DESCRIPTOR_2_SIZE) d.objectInfoRva = e.u32();
    out.push(d);
  }
  return out;
}
