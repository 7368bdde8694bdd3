/**
 * Test helper only: the few minidump pieces the walker tests need (MINIDUMP_HEADER, the stream
 * directory, the exception stream's context, the module list, the memory list and thread
 * stacks), read with DataView. The project's minidump reader (lib/formats/minidump, another
 * engineer's) replaces this once it lands; nothing outside test/unit/stackwalk uses it.
 */
import { MemoryReader, RegisterSet } from '../../../lib/stackwalk';

export interface LiteDump {
  memory: MemoryReader;
  modules: Array<{ base: bigint; size: number; name: string }>;
  /** The exception thread's CONTEXT bytes. */
  exceptionContext?: Uint8Array;
}

export function readLiteDump(buf: Uint8Array): LiteDump {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(0, true) !== 0x504d444d) throw new Error('not a minidump');
  const count = dv.getUint32(8, true);
  const dir = dv.getUint32(12, true);
  const regions: Array<{ at: bigint; data: Uint8Array }> = [];
  const modules: LiteDump['modules'] = [];
  let exceptionContext: Uint8Array | undefined;
  const str = (rva: number) => {
    const n = dv.getUint32(rva, true);
    return new TextDecoder('utf-16le').decode(buf.subarray(rva + 4, rva + 4 + n));
  };
  const mem = (at: number) => ({ start: dv.getBigUint64(at, true), size: dv.getUint32(at + 8, true), rva: dv.getUint32(at + 12, true) });
  for (let i = 0; i < count; i++) {
    const e = dir + i * 12;
    const type = dv.getUint32(e, true);
    const rva = dv.getUint32(e + 8, true);
    if (type === 3) {
      // ThreadListStream: MINIDUMP_THREAD (48 bytes), the stack descriptor at +24
      const n = dv.getUint32(rva, true);
      for (let t = 0; t < n; t++) {
        const d = mem(rva + 4 + t * 48 + 24);
        regions.push({ at: d.start, data: buf.subarray(d.rva, d.rva + d.size) });
      }
    } else if (type === 4) {
      // ModuleListStream: MINIDUMP_MODULE (108 bytes)
      const n = dv.getUint32(rva, true);
      for (let m = 0; m < n; m++) {
        const at = rva + 4 + m * 108;
        modules.push({
          base: dv.getBigUint64(at, true),
          size: dv.getUint32(at + 8, true),
          name: str(dv.getUint32(at + 20, true))
            .split('\\')
            .pop()!,
        });
      }
    } else if (type === 5) {
      const n = dv.getUint32(rva, true);
      for (let m = 0; m < n; m++) {
        const d = mem(rva + 4 + m * 16);
        regions.push({ at: d.start, data: buf.subarray(d.rva, d.rva + d.size) });
      }
    } else if (type === 6) {
      // MINIDUMP_EXCEPTION_STREAM: ThreadId, pad, MINIDUMP_EXCEPTION (152), context location
      const size = dv.getUint32(rva + 160, true);
      const at = dv.getUint32(rva + 164, true);
      exceptionContext = buf.subarray(at, at + size);
    }
  }
  const memory: MemoryReader = {
    read(address, size) {
      for (const r of regions) {
        if (address >= r.at && address + BigInt(size) <= r.at + BigInt(r.data.length)) {
          const o = Number(address - r.at);
          return r.data.subarray(o, o + size);
        }
      }
      return undefined;
    },
  };
  return { memory, modules, exceptionContext };
}

/** The integer registers of an x86 CONTEXT (716 bytes). */
export function x86Context(c: Uint8Array): RegisterSet {
  const dv = new DataView(c.buffer, c.byteOffset, c.byteLength);
  const at: Record<string, number> = { edi: 156, esi: 160, ebx: 164, edx: 168, ecx: 172, eax: 176, ebp: 180, eip: 184, esp: 196 };
  return new Map(Object.entries(at).map(([k, o]) => [k, BigInt(dv.getUint32(o, true))]));
}

/** The integer registers of an AMD64 CONTEXT (1232 bytes). */
export function amd64Context(c: Uint8Array): RegisterSet {
  const dv = new DataView(c.buffer, c.byteOffset, c.byteLength);
  const names = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
  const out: RegisterSet = new Map(names.map((n, i) => [n, dv.getBigUint64(0x78 + 8 * i, true)]));
  out.set('rip', dv.getBigUint64(0xf8, true));
  return out;
}
