/**
 * Truncated and corrupted dumps (the synthetic one with every stream, and every corpus dump):
 * each accessor either answers or throws DbgHelpError BAD_FORMAT naming the file and an offset.
 * Never a RangeError or TypeError, a hang, or an allocation sized by a corrupt count.
 */
import * as fs from 'fs';
import { DbgHelpError } from '../../../lib/api/errors';
import { openMinidump, type Minidump } from '../../../lib/formats/minidump/minidump';
import { StreamType } from '../../../lib/formats/minidump/stream-types';
import { corpusPath, describeCorpus, manifest } from '../../helpers/corpus';
import { DumpBuilder, W } from '../../helpers/minidump-synth';
import { corruptions, truncations, withU32 } from '../../helpers/mutate';
import { sampleDump } from './sample-dump';

/** Copies whose reading hit at least one BAD_FORMAT (so the mutations do reach the parsers). */
let failedCopies = 0;

function exercise(buf: Uint8Array, name: string): string[] {
  const bad: string[] = [];
  let failures = 0;
  const check = (what: string, fn: () => unknown): void => {
    try {
      fn();
    } catch (e) {
      failures++;
      const ok = e instanceof DbgHelpError && e.code === 'BAD_FORMAT' && e.message.includes(name) && typeof e.offset === 'number';
      if (!ok) bad.push(`${name} ${what}: ${e instanceof Error ? `${e.name} ${(e as DbgHelpError).code ?? ''} ${e.message}` : String(e)}`);
    }
  };
  let d: Minidump | undefined;
  check('open', () => (d = openMinidump(buf, name)));
  if (!d) {
    failedCopies++;
    return bad;
  }
  const m = d;
  const accessors: (keyof Minidump)[] = [
    'threads',
    'modules',
    'unloadedModules',
    'exception',
    'systemInfo',
    'miscInfo',
    'memoryList',
    'memory64List',
    'memoryInfo',
    'threadInfo',
    'threadNames',
    'handles',
    'comment',
    'breakpadInfo',
    'assertionInfo',
    'crashpadInfo',
    'exceptionContext',
  ];
  for (const a of accessors) check(String(a), () => (m[a] as () => unknown).call(m));
  check('thread contexts', () => m.threads().forEach((t) => m.threadContext(t)));
  check('memory', () => {
    const mem = m.memory();
    for (const t of m.threads()) mem.read(t.stack.start, 64);
  });
  for (const e of m.directory) check(`raw ${e.streamType}`, () => m.rawStream(e.streamType));
  if (failures) failedCopies++;
  return bad;
}

describe('bad input: the synthetic dump', () => {
  const buf = sampleDump();

  test('it is whole to begin with', () => {
    expect(exercise(buf, 'sample.dmp')).toEqual([]);
    // …and every accessor answers (no silent failure hidden in the loop above).
    const d = openMinidump(buf, 'sample.dmp');
    expect(d.crashpadInfo()).toBeDefined();
  });

  test('every truncation', () => {
    failedCopies = 0;
    const cuts = truncations(buf, 7);
    const bad = cuts.flatMap((t) => exercise(t, 'sample.dmp'));
    expect(bad).toEqual([]);
    expect(failedCopies).toBe(cuts.length); // every cut loses the directory or a stream
  });

  test('corruptions (400 copies)', () => {
    const t0 = Date.now();
    failedCopies = 0;
    const bad = corruptions(buf, 400, 6, 11).flatMap((t) => exercise(t, 'sample.dmp'));
    expect(bad).toEqual([]);
    expect(failedCopies).toBeGreaterThan(100);
    expect(Date.now() - t0).toBeLessThan(30000);
  });

  test('truncating each stream alone gives BAD_FORMAT at an offset inside the dump', () => {
    const d = openMinidump(buf, 'sample.dmp');
    const accessorOf: Record<number, (m: Minidump) => unknown> = {
      [StreamType.ThreadExList]: (m) => m.threads(),
      [StreamType.ModuleList]: (m) => m.modules(),
      [StreamType.UnloadedModuleList]: (m) => m.unloadedModules(),
      [StreamType.Exception]: (m) => m.exception(),
      [StreamType.SystemInfo]: (m) => m.systemInfo(),
      [StreamType.MiscInfo]: (m) => m.miscInfo(),
      [StreamType.MemoryList]: (m) => m.memoryList(),
      [StreamType.Memory64List]: (m) => m.memory64List(),
      [StreamType.MemoryInfoList]: (m) => m.memoryInfo(),
      [StreamType.ThreadInfoList]: (m) => m.threadInfo(),
      [StreamType.ThreadNames]: (m) => m.threadNames(),
      [StreamType.HandleData]: (m) => m.handles(),
      [StreamType.BreakpadInfo]: (m) => m.breakpadInfo(),
      [StreamType.AssertionInfo]: (m) => m.assertionInfo(),
      [StreamType.CrashpadInfo]: (m) => m.crashpadInfo(),
    };
    for (const e of d.directory) {
      const read = accessorOf[e.streamType];
      if (!read) continue;
      // DataSize of this stream minus 1 (in the directory entry).
      const cut = withU32(buf, d.header.streamDirectoryRva + e.index * 12 + 4, e.location.dataSize - 1);
      let err: unknown;
      try {
        read(openMinidump(cut, 'cut.dmp'));
      } catch (x) {
        err = x;
      }
      expect([e.streamType, err instanceof DbgHelpError && err.code]).toEqual([e.streamType, 'BAD_FORMAT']);
      expect((err as DbgHelpError).offset).toBeGreaterThanOrEqual(e.location.rva);
      expect((err as DbgHelpError).offset).toBeLessThanOrEqual(e.location.rva + e.location.dataSize);
    }
  });

  test('absurd counts are refused before anything is allocated', () => {
    const lists: [number, W][] = [
      [StreamType.ThreadList, new W().u32(0xffffffff)],
      [StreamType.ModuleList, new W().u32(0x7fffffff)],
      [StreamType.MemoryList, new W().u32(0x10000000)],
      [StreamType.Memory64List, new W().u64(0xffffffffffffn).u64(0n)],
      [StreamType.MemoryInfoList, new W().u32(16).u32(48).u64(0xffffffffffn)],
      [StreamType.ThreadInfoList, new W().u32(12).u32(64).u32(0xffffffff)],
      [StreamType.UnloadedModuleList, new W().u32(12).u32(24).u32(0x40000000)],
      [StreamType.HandleData, new W().u32(16).u32(0xffffffff).u32(0xffffffff).u32(0)],
      [StreamType.ThreadNames, new W().u32(0xfffffff0)],
    ];
    for (const [type, w] of lists) {
      const b = new DumpBuilder();
      b.stream(type, w);
      const d = openMinidump(b.build(), 'absurd.dmp');
      const t0 = Date.now();
      const heap = process.memoryUsage().heapUsed;
      expect(() => {
        d.threads();
        d.modules();
        d.memory();
        d.memoryInfo();
        d.threadInfo();
        d.unloadedModules();
        d.handles();
        d.threadNames();
      }).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 << 20);
    }
    // A directory claiming 2^32-1 streams.
    const head = withU32(new DumpBuilder().build(), 8, 0xffffffff);
    expect(() => openMinidump(head, 'dir.dmp')).toThrow(expect.objectContaining({ code: 'BAD_FORMAT', offset: 8 }));
  });

  test('not a minidump', () => {
    expect(() => openMinidump(new Uint8Array(10), 'x.dmp')).toThrow(expect.objectContaining({ code: 'BAD_FORMAT', offset: 0 }));
    expect(() => openMinidump(withU32(sampleDump(), 0, 0x5a4d), 'x.dmp')).toThrow(/not a minidump/);
    expect(() => openMinidump(withU32(sampleDump(), 4, 0x1234), 'x.dmp')).toThrow(expect.objectContaining({ offset: 4 }));
    expect(() => openMinidump('/nonexistent/x.dmp')).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
  });
});

describeCorpus('bad input: corpus dumps', () => {
  const files = manifest()
    .filter((m) => m.kind === 'dmp')
    .map((m) => m.local_path);

  test.each(files)('%s', (file) => {
    const buf = fs.readFileSync(corpusPath(file));
    const name = file.split('/').pop()!;
    expect(exercise(buf, name)).toEqual([]);
    const bad = [
      ...truncations(buf, Math.max(97, Math.floor(buf.length / 150)), 1 << 20).flatMap((t) => exercise(t, name)),
      ...corruptions(buf, 60, 8, 3, 0, Math.min(buf.length, 0x4000)).flatMap((t) => exercise(t, name)),
    ];
    expect(bad).toEqual([]);
  });
});
