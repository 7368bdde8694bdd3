/**
 * DBI module info records: MODI_60_Persist (Microsoft dbi.h; LLVM ModuleInfoHeader), 64 bytes
 * + two NUL-terminated names, aligned to 4.
 *
 *   u32 opened  SC sc (28 bytes)  u16 flags  u16 symStream  u32 symByteSize  u32 c11ByteSize
 *   u32 c13ByteSize  u16 sourceFileCount  u16 pad  u32 unused  u32 sourceFileNameIndex
 *   u32 pdbFilePathNameIndex  char moduleName[]  char objFileName[]
 */
import { Cursor } from '../binary/cursor';

export const NO_STREAM = 0xffff;

export interface ModuleInfo {
  index: number;
  symStream: number;
  symByteSize: number;
  c11ByteSize: number;
  c13ByteSize: number;
  sourceFileCount: number;
  moduleName: string;
  objFileName: string;
}

export function readModuleInfos(c: Cursor): ModuleInfo[] {
  const out: ModuleInfo[] = [];
  while (c.remaining > 0) {
    if (c.remaining < 64) c.fail(`truncated module info record: ${c.remaining} bytes left`);
    c.skip(4 + 28 + 2);
    const symStream = c.u16();
    const symByteSize = c.u32();
    const c11ByteSize = c.u32();
    const c13ByteSize = c.u32();
    const sourceFileCount = c.u16();
    c.skip(2 + 4 + 4 + 4);
    const moduleName = c.cstring('module name');
    const objFileName = c.cstring('object file name');
    c.align(4);
    out.push({ index: out.length, symStream, symByteSize, c11ByteSize, c13ByteSize, sourceFileCount, moduleName, objFileName });
  }
  return out;
}
