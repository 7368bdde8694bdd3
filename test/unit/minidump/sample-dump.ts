/**
 * A synthetic amd64 dump holding every stream the reader knows, with the values the tests
 * assert (what the corpus lacks: ThreadExList, Memory64List, ThreadInfoList, comments,
 * Crashpad, assertion info, handle data _2).
 */
import { StreamType } from '../../../lib/formats/minidump/stream-types';
import { amd64Context, DumpBuilder, loc, module, rsds, systemInfo, thread, W } from '../../helpers/minidump-synth';

export const SAMPLE = {
  guid: '3249D99D-0C40-4931-8610-F4E4FB0B6936',
  stack0: 0x7ffe0000n,
  mem64a: 0x10000n,
  mem64b: 0x10010n, // touches mem64a's end
  crashAddress: 0x7ff600001234n,
  ssp: 0xcbc83fefc8n,
};

export function sampleDump(): Uint8Array {
  const b = new DumpBuilder();
  const csd = b.string('Service Pack 1');
  b.stream(StreamType.SystemInfo, systemInfo(new W(), { arch: 9, major: 10, minor: 0, build: 19045, csdRva: csd, vendor: 'AuthenticAMD' }));

  // Threads (ThreadExList only) with amd64 contexts, the first with CET.
  const ctx0 = b.add(amd64Context({ rip: SAMPLE.crashAddress, rsp: SAMPLE.stack0 + 8n, rbp: 0x1234n, rax: 1n, r15: 15n }, 0x10001f, { ssp: SAMPLE.ssp, avx: true }));
  const ctx1 = b.add(amd64Context({ rip: 0x7ff600002000n, rsp: 0x5000n }, 0x100001));
  const stack0 = b.add(new W().u64(0x1111n).u64(0x2222n).u64(0x3333n).u64(0x4444n));
  const tx = new W().u32(2);
  thread(tx, { id: 0x10, teb: 0x7ff000n, stackStart: SAMPLE.stack0, stack: stack0, context: ctx0 });
  tx.u64(0n).u32(0).u32(0); // BackingStore
  thread(tx, { id: 0x20, context: ctx1, suspend: 1 });
  tx.u64(0n).u32(0).u32(0);
  b.stream(StreamType.ThreadExList, tx);

  // Modules: RSDS with a version; NB10 with a misc record.
  const n0 = b.string('C:\\app\\app.exe');
  const n1 = b.string('C:\\Windows\\old.dll');
  const cv0 = b.add(rsds(SAMPLE.guid, 3, 'C:\\build\\app.pdb'));
  const cv1 = b.add(new W().ascii('NB10').u32(0).u32(0x3a2b1c0d).u32(2).ascii('old.pdb').u8(0));
  const misc1 = b.add(
    new W()
      .u32(1)
      .u32(12 + 8)
      .u8(0)
      .zeros(3)
      .ascii('old.dbg')
      .u8(0),
  );
  const ml = new W().u32(2);
  module(ml, { base: 0x7ff600000000n, size: 0x9000, timeDateStamp: 0x5ab38077, nameRva: n0, cv: cv0, version: [1, 2, 3, 4], checkSum: 0xabcd });
  module(ml, { base: 0x10000000n, size: 0x20000, timeDateStamp: 0x3a000000, nameRva: n1, cv: cv1, misc: misc1 });
  b.stream(StreamType.ModuleList, ml);

  const un = b.string('C:\\gone.dll');
  b.stream(StreamType.UnloadedModuleList, new W().u32(12).u32(24).u32(1).u64(0x20000000n).u32(0x4000).u32(7).u32(0x11223344).u32(un));

  const ex = new W()
    .u32(0x10)
    .u32(0)
    .u32(0xc0000005)
    .u32(0)
    .u64(0n)
    .u64(SAMPLE.crashAddress)
    .u32(2)
    .u32(0)
    .u64(1n)
    .u64(0x45n)
    .zeros(13 * 8);
  loc(ex, ctx0);
  b.stream(StreamType.Exception, ex);

  b.stream(StreamType.MiscInfo, new W().u32(24).u32(3).u32(4242).u32(1600000000).u32(5).u32(6));

  const m0 = b.add(new W().ascii('0123456789abcdef'));
  b.stream(StreamType.MemoryList, new W().u32(2).u64(0x9000n).u32(16).u32(m0.rva).u64(SAMPLE.stack0).u32(stack0.dataSize).u32(stack0.rva));
  const m64 = b.add(new W().ascii('AAAAAAAAAAAAAAAA').ascii('BBBBBBBB'));
  b.stream(StreamType.Memory64List, new W().u64(2n).u64(BigInt(m64.rva)).u64(SAMPLE.mem64a).u64(16n).u64(SAMPLE.mem64b).u64(8n));

  b.stream(StreamType.MemoryInfoList, new W().u32(16).u32(48).u64(1n).u64(0x9000n).u64(0x9000n).u32(4).u32(0).u64(0x1000n).u32(0x1000).u32(4).u32(0x20000).u32(0));
  b.stream(StreamType.ThreadInfoList, new W().u32(12).u32(64).u32(1).u32(0x10).u32(1).u32(0).u32(259).u64(100n).u64(0n).u64(3n).u64(4n).u64(0x7ff600001000n).u64(0xffn));
  const tn = b.string('main thread');
  b.stream(StreamType.ThreadNames, new W().u32(1).u32(0x10).u64(BigInt(tn)));
  const ht = b.string('Event');
  const ho = b.string('\\BaseNamedObjects\\x');
  b.stream(StreamType.HandleData, new W().u32(16).u32(40).u32(1).u32(0).u64(0x44n).u32(ht).u32(ho).u32(0).u32(0x1f0003).u32(2).u32(3).u32(0).u32(0));
  b.stream(StreamType.CommentW, new W().utf16('wide comment é').u16(0));
  b.stream(StreamType.CommentA, new W().ascii('ansi comment').u8(0));
  b.stream(StreamType.BreakpadInfo, new W().u32(3).u32(0x30).u32(0x10));
  b.stream(StreamType.AssertionInfo, new W().utf16('x != 0', 128).utf16('f', 128).utf16('a.cc', 128).u32(42).u32(1));

  // Crashpad: a simple annotation, one module with all three kinds.
  const k = b.utf8('ver');
  const v = b.utf8('1.0');
  const dict = b.add(new W().u32(1).u32(k).u32(v));
  const la = b.utf8('list one');
  const rvaList = b.add(new W().u32(1).u32(la));
  const an = b.utf8('obj');
  const av = b.add(new W().u32(3).ascii('xyz'));
  const objs = b.add(new W().u32(1).u32(an).u16(1).u16(0).u32(av.rva));
  const mk = b.utf8('mkey');
  const mv = b.utf8('mval');
  const mdict = b.add(new W().u32(1).u32(mk).u32(mv));
  const modInfo = b.add(loc(loc(loc(new W().u32(1), rvaList), mdict), objs));
  const modList = b.add(loc(new W().u32(1).u32(0), modInfo));
  const cp = new W().u32(1).guid('01020304-0506-0708-090A-0B0C0D0E0F10').guid('11111111-2222-3333-4444-555555555555');
  loc(loc(cp, dict), modList);
  b.stream(StreamType.CrashpadInfo, cp);
  return b.build();
}
