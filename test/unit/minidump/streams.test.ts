/** Every stream of a synthetic dump, read back field by field. */
import { exceptionName } from '../../../lib/stack/exception-codes';
import { openMinidump } from '../../../lib/formats/minidump/minidump';
import { StreamType } from '../../../lib/formats/minidump/stream-types';
import { DumpBuilder, thread, W } from '../../helpers/minidump-synth';
import { SAMPLE, sampleDump } from './sample-dump';

const dump = () => openMinidump(sampleDump(), 'sample.dmp');

test('header and directory', () => {
  const d = dump();
  expect(d.header.version & 0xffff).toBe(0xa793);
  expect(d.header.timeDateStamp).toBe(0x5f000000);
  expect(d.directory.map((e) => e.streamType)).toContain(StreamType.CrashpadInfo);
  expect(d.entry(StreamType.ThreadList)).toBeUndefined();
});

test('SystemInfo with a service-pack string', () => {
  const s = dump().systemInfo()!;
  expect(s).toMatchObject({ processorArchitecture: 9, majorVersion: 10, minorVersion: 0, buildNumber: 19045, platformId: 2, csdVersion: 'Service Pack 1', numberOfProcessors: 4 });
  expect(s.x86Cpu!.vendorId).toBe('AuthenticAMD');
  expect(dump().arch()).toBe('amd64');
});

test('ThreadExList: threads, stacks, backing store, contexts', () => {
  const d = dump();
  const t = d.threads();
  expect(t.map((x) => x.threadId)).toEqual([0x10, 0x20]);
  expect(t[0].teb).toBe(0x7ff000n);
  expect(t[0].stack.start).toBe(SAMPLE.stack0);
  expect(t[0].stack.location.dataSize).toBe(32);
  expect(t[0].backingStore).toEqual({ start: 0n, location: { dataSize: 0, rva: 0 } });
  expect(t[1].suspendCount).toBe(1);
  const c0 = d.threadContext(t[0])!;
  expect(c0.registers.get('rip')).toBe(SAMPLE.crashAddress);
  expect(c0.registers.get('rsp')).toBe(SAMPLE.stack0 + 8n);
  expect(c0.registers.get('r15')).toBe(15n);
  expect(c0.cet).toEqual({ uCet: 1n, ssp: SAMPLE.ssp });
  // CONTROL only: no integer registers.
  const c1 = d.threadContext(t[1])!;
  expect([...c1.registers.keys()].sort()).toEqual(['rip', 'rsp']);
  expect(c1.raw.get('rax')).toBe(0n);
});

test('ModuleList: names, ids, CodeView RSDS and NB10, misc record, version', () => {
  const [a, b] = dump().modules();
  expect(a).toMatchObject({ name: 'C:\\app\\app.exe', base: 0x7ff600000000n, size: 0x9000, checkSum: 0xabcd, timeDateStamp: 0x5ab38077, version: '1.2.3.4' });
  expect(a.codeId).toBe('5AB380779000');
  expect(a.debugId).toBe('3249D99D0C4049318610F4E4FB0B69363');
  expect(a.debugFile).toBe('C:\\build\\app.pdb');
  expect(a.codeView).toMatchObject({ signature: 'RSDS', guid: SAMPLE.guid, age: 3 });
  expect(b.codeView).toMatchObject({ signature: 'NB10', timestamp: 0x3a2b1c0d, age: 2, pdbPath: 'old.pdb' });
  expect(b.debugId).toBe('3A2B1C0D2');
  expect(b.misc).toEqual({ dataType: 1, unicode: false, data: 'old.dbg' });
  expect(b.version).toBeUndefined();
  expect(dump().moduleAt(0x7ff600001234n)?.name).toBe('C:\\app\\app.exe');
  expect(dump().moduleAt(0x7ff600009000n)).toBeUndefined();
});

test('UnloadedModuleList', () => {
  expect(dump().unloadedModules()).toEqual([{ base: 0x20000000n, size: 0x4000, checkSum: 7, timeDateStamp: 0x11223344, name: 'C:\\gone.dll' }]);
});

test('Exception and its context', () => {
  const d = dump();
  expect(d.exception()).toMatchObject({ threadId: 0x10, exceptionCode: 0xc0000005, exceptionAddress: SAMPLE.crashAddress, parameters: [1n, 0x45n] });
  expect(d.exceptionContext()!.registers.get('rip')).toBe(SAMPLE.crashAddress);
});

test('MiscInfo level 1', () => {
  expect(dump().miscInfo()).toEqual({ level: 1, sizeOfInfo: 24, flags1: 3, processId: 4242, processCreateTime: 1600000000, processUserTime: 5, processKernelTime: 6 });
});

test('MemoryInfoList, ThreadInfoList, ThreadNames, HandleData _2', () => {
  const d = dump();
  expect(d.memoryInfo()).toEqual([{ baseAddress: 0x9000n, allocationBase: 0x9000n, allocationProtect: 4, regionSize: 0x1000n, state: 0x1000, protect: 4, type: 0x20000 }]);
  expect(d.threadInfo()).toEqual([
    { threadId: 0x10, dumpFlags: 1, dumpError: 0, exitStatus: 259, createTime: 100n, exitTime: 0n, kernelTime: 3n, userTime: 4n, startAddress: 0x7ff600001000n, affinity: 0xffn },
  ]);
  expect(d.threadNames()).toEqual(new Map([[0x10, 'main thread']]));
  expect(d.handles()).toEqual([{ handle: 0x44n, typeName: 'Event', objectName: '\\BaseNamedObjects\\x', attributes: 0, grantedAccess: 0x1f0003, handleCount: 2, pointerCount: 3, objectInfoRva: 0 }]);
});

test('comments: W preferred, A alone', () => {
  expect(dump().comment()).toBe('wide comment é');
  const b = new DumpBuilder();
  b.stream(StreamType.CommentA, new W().ascii('only ansi'));
  expect(openMinidump(b.build()).comment()).toBe('only ansi');
});

test('Breakpad info and assertion', () => {
  const d = dump();
  expect(d.breakpadInfo()).toEqual({ validity: 3, dumpThreadId: 0x30, requestingThreadId: 0x10 });
  expect(d.assertionInfo()).toEqual({ expression: 'x != 0', function: 'f', file: 'a.cc', line: 42, type: 1 });
});

test('Crashpad info with module annotations', () => {
  const c = dump().crashpadInfo()!;
  expect(c.version).toBe(1);
  expect(c.reportId).toBe('01020304-0506-0708-090a-0b0c0d0e0f10');
  expect(c.clientId).toBe('11111111-2222-3333-4444-555555555555');
  expect(c.simpleAnnotations).toEqual(new Map([['ver', '1.0']]));
  expect(c.modules).toHaveLength(1);
  expect(c.modules[0].moduleIndex).toBe(0);
  expect(c.modules[0].listAnnotations).toEqual(['list one']);
  expect(c.modules[0].simpleAnnotations).toEqual(new Map([['mkey', 'mval']]));
  expect(c.modules[0].annotationObjects).toEqual([{ name: 'obj', type: 1, value: Uint8Array.from([0x78, 0x79, 0x7a]) }]);
});

test('an empty dump answers empty lists and undefined', () => {
  const d = openMinidump(new DumpBuilder().build());
  expect(d.threads()).toEqual([]);
  expect(d.modules()).toEqual([]);
  expect(d.exception()).toBeUndefined();
  expect(d.systemInfo()).toBeUndefined();
  expect(d.memory().read(0n, 1)).toBeUndefined();
  expect(d.threadNames().size).toBe(0);
  expect(d.comment()).toBeUndefined();
});

test('streams are read on first use', () => {
  const d = dump();
  const after = d.bytesRead;
  d.systemInfo();
  expect(d.bytesRead).toBeGreaterThan(after);
  const again = d.bytesRead;
  d.systemInfo();
  expect(d.bytesRead).toBe(again);
});

test('the package exports the reader and loadDump', async () => {
  const pkg = await import('../../../lib');
  const d = pkg.openMinidump(sampleDump());
  expect(d).toBeInstanceOf(pkg.Minidump);
  expect(d.entry(pkg.StreamType.SystemInfo)).toBeDefined();
  expect(pkg.streamTypeName(0x43500001)).toBe('CrashpadInfo');
  expect(typeof pkg.loadDump).toBe('function');
});

test('MiscInfo levels 2, 3 and 4: processor power, integrity, time zone, build strings', () => {
  const tz = (w: W) =>
    w
      .u32(-60 >>> 0)
      .utf16('W. Europe Standard Time', 32)
      .zeros(16 + 4)
      .utf16('W. Europe Daylight Time', 32)
      .zeros(16 + 4);
  const level4 = tz(new W().u32(832).u32(0x1f7).u32(99).u32(1).u32(2).u32(3).u32(2900).u32(2800).u32(2700).u32(1).u32(0).u32(0x2000).u32(0x32).u32(0).u32(2))
    .utf16('10.0.19041.1 (WinBuild.160101.0800)', 260)
    .utf16('dbgcore.amd64,10.0.19041.1', 40);
  const read = (w: W) => {
    const b = new DumpBuilder();
    b.stream(StreamType.MiscInfo, w);
    return openMinidump(b.build()).miscInfo()!;
  };
  const m4 = read(level4);
  expect(m4).toEqual({
    level: 4,
    sizeOfInfo: 832,
    flags1: 0x1f7,
    processId: 99,
    processCreateTime: 1,
    processUserTime: 2,
    processKernelTime: 3,
    processor: { maxMhz: 2900, currentMhz: 2800, mhzLimit: 2700, maxIdleState: 1, currentIdleState: 0 },
    processIntegrityLevel: 0x2000,
    processExecuteFlags: 0x32,
    protectedProcess: 0,
    timeZone: { id: 2, bias: -60, standardName: 'W. Europe Standard Time', daylightName: 'W. Europe Daylight Time' },
    buildString: '10.0.19041.1 (WinBuild.160101.0800)',
    dbgBuildString: 'dbgcore.amd64,10.0.19041.1',
  });
  // Level 2: the first 44 bytes; flags without PROCESSOR_POWER_INFO hide the processor fields.
  const l2 = level4.done().slice(0, 44);
  l2[0] = 44;
  l2[1] = 0;
  expect(read(new W().bytes(l2))).toMatchObject({ level: 2, processor: { maxMhz: 2900 } });
  l2[4] = 0x3;
  expect(read(new W().bytes(l2)).processor).toBeUndefined();
  // SizeOfInfo larger than the bytes: truncated.
  const short = level4.done().slice(0, 200);
  expect(() => read(new W().bytes(short))).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
});

test('list streams padded with 4 bytes after the count (Breakpad writers on 64-bit ABIs)', () => {
  const b = new DumpBuilder();
  const ctx = b.add(new Uint8Array(0));
  b.stream(StreamType.ThreadList, thread(new W().u32(1).u32(0), { id: 0x42, context: ctx }));
  b.stream(StreamType.MemoryList, new W().u32(1).u32(0).u64(0x1000n).u32(0).u32(0));
  const d = openMinidump(b.build());
  expect(d.threads().map((t) => t.threadId)).toEqual([0x42]);
  expect(d.memoryList().map((r) => r.start)).toEqual([0x1000n]);
});

test('exception names', () => {
  expect(exceptionName(0xc0000005, [0n, 0x10n])).toBe('EXCEPTION_ACCESS_VIOLATION_READ');
  expect(exceptionName(0xc0000005, [8n, 0x10n])).toBe('EXCEPTION_ACCESS_VIOLATION_EXEC');
  expect(exceptionName(0xc0000005, [])).toBe('EXCEPTION_ACCESS_VIOLATION');
  expect(exceptionName(0xc00000fd)).toBe('EXCEPTION_STACK_OVERFLOW');
  expect(exceptionName(0x12345)).toBe('0x00012345');
  expect(exceptionName(-0x3ffffffb)).toBe('EXCEPTION_ACCESS_VIOLATION'); // 0xc0000005 as a signed int
});
