/** DumpMemory over MemoryList and Memory64List. */
import { openMinidump } from '../../../lib/formats/minidump/minidump';
import { StreamType } from '../../../lib/formats/minidump/stream-types';
import { DumpBuilder, thread, W } from '../../helpers/minidump-synth';
import { SAMPLE, sampleDump } from './sample-dump';

const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('latin1') : undefined);

test('MemoryList ranges: inside, at the edges, outside', () => {
  const m = openMinidump(sampleDump()).memory();
  expect(text(m.read(0x9000n, 4))).toBe('0123');
  expect(text(m.read(0x900cn, 4))).toBe('cdef');
  expect(m.read(0x900dn, 4)).toBeUndefined();
  expect(m.read(0x8fffn, 2)).toBeUndefined();
  expect(m.read(0x9000n, 0)).toEqual(new Uint8Array(0));
  const stack = m.read(SAMPLE.stack0 + 8n, 8)!;
  expect(Buffer.from(stack).readBigUInt64LE(0)).toBe(0x2222n);
});

test('Memory64List: offsets from BaseRva, reads spanning two touching ranges', () => {
  const d = openMinidump(sampleDump());
  expect(d.memory64List().map((r) => [r.start, r.size])).toEqual([
    [SAMPLE.mem64a, 16n],
    [SAMPLE.mem64b, 8n],
  ]);
  const m = d.memory();
  expect(text(m.read(SAMPLE.mem64b, 8))).toBe('BBBBBBBB');
  expect(text(m.read(SAMPLE.mem64a + 12n, 8))).toBe('AAAABBBB');
  expect(m.read(SAMPLE.mem64a + 12n, 13)).toBeUndefined();
});

test('bad arguments answer undefined, never throw', () => {
  const m = openMinidump(sampleDump()).memory();
  expect(m.read(-1n, 4)).toBeUndefined();
  expect(m.read(0x9000n, -1)).toBeUndefined();
  expect(m.read(0x9000n, 1.5)).toBeUndefined();
});

test('a Memory64List range past the end of the file is BAD_FORMAT', () => {
  const b = new DumpBuilder();
  b.stream(StreamType.Memory64List, new W().u64(1n).u64(100n).u64(0x1000n).u64(0x100000n));
  expect(() => openMinidump(b.build()).memory()).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
});

test('a path is read on demand, not whole', () => {
  const fs = require('fs') as typeof import('fs');
  const os = require('os') as typeof import('os');
  const path = require('path') as typeof import('path');
  const big = new DumpBuilder();
  const blob = big.add(new Uint8Array(4 << 20).fill(0x5a));
  big.stream(StreamType.MemoryList, new W().u32(1).u64(0x100000n).u32(blob.dataSize).u32(blob.rva));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'md-')), 'big.dmp');
  fs.writeFileSync(file, big.build());
  const d = openMinidump(file);
  try {
    expect(Array.from(d.memory().read(0x100000n + 4096n, 8)!)).toEqual(Array(8).fill(0x5a));
    expect(d.bytesRead).toBeLessThan(4096);
  } finally {
    d.close();
    fs.rmSync(path.dirname(file), { recursive: true });
  }
});

test('a thread stack recorded only in the thread list is readable', () => {
  const b = new DumpBuilder();
  const stack = b.add(new W().ascii('STACKSTACKSTACK!'));
  b.stream(StreamType.ThreadList, thread(new W().u32(1), { id: 1, stackStart: 0x7000n, stack }));
  const other = b.add(new W().ascii('other'));
  b.stream(StreamType.MemoryList, new W().u32(1).u64(0x100n).u32(other.dataSize).u32(other.rva));
  const m = openMinidump(b.build()).memory();
  expect(text(m.read(0x7005n, 5))).toBe('STACK');
  expect(text(m.read(0x100n, 5))).toBe('other');
  expect(m.ranges).toHaveLength(2);
});
