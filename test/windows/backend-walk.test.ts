/**
 * The walk seam (lib/stack/backend-walk.ts), on any platform: the CONTEXT record handed to
 * StackWalkEx, the reads served to DbgHelp's ReadProcessMemoryRoutine, and how StackWalkEx's
 * frames become processMinidump's (inline frames folded). The walk itself runs in the Wine lane
 * (stackwalk.test.ts).
 */
import { Cursor } from '../../lib/formats/binary/cursor';
import { readContextAmd64 } from '../../lib/formats/minidump/context-amd64';
import { readContextX86 } from '../../lib/formats/minidump/context-x86';
import { contextRecord, contextRecordAmd64, contextRecordX86, MACHINE_OF_ARCH, readForDbgHelp, toWalkResult, walkThread, type BackendWalkRequest } from '../../lib/stack/backend-walk';
import type { MemoryReader, WalkModule } from '../../lib/stackwalk/types';

function context() {
  const raw = new Map<string, bigint>([
    ['mxcsr', 0x1f80n],
    ['cs', 0x33n],
    ['ss', 0x2bn],
    ['eflags', 0x10246n],
    ['rip', 0x140001079n],
    ['rsp', 0x11fd40n],
    ['rbp', 0x11fd60n],
    ['rax', 1n],
    ['r15', 0xf15n],
  ]);
  const registers = new Map<string, bigint>([
    ['rip', 0x140001079n],
    ['rsp', 0x11fd40n],
    ['rbp', 0x11fd60n],
    ['rax', 1n],
    ['r15', 0xf15n],
  ]);
  return { arch: 'amd64' as const, flags: 0x10000b, registers, raw };
}

test('contextRecordAmd64 writes a CONTEXT the minidump reader reads back field for field (1232 bytes)', () => {
  const b = contextRecordAmd64(context());
  expect(b.length).toBe(1232);
  const back = readContextAmd64(Cursor.of(b, 'test'));
  expect(back.flags).toBe(0x10000b);
  for (const [k, v] of context().raw) expect([k, back.raw.get(k)]).toEqual([k, v]);
  expect(back.raw.get('rcx')).toBe(0n);
  // Hand-checked offsets (winnt.h): ContextFlags 0x30, Rip 0xf8, Rsp 0x98, R15 0xf0.
  const v = Buffer.from(b);
  expect([v.readUInt32LE(0x30), v.readBigUInt64LE(0xf8), v.readBigUInt64LE(0x98), v.readBigUInt64LE(0xf0)]).toEqual([0x10000b, 0x140001079n, 0x11fd40n, 0xf15n]);
});

function context86() {
  const raw = new Map<string, bigint>([
    ['dr7', 0x400n],
    ['gs', 0x2bn],
    ['fs', 0x53n],
    ['es', 0x2bn],
    ['ds', 0x2bn],
    ['edi', 0x17b1a90n],
    ['esi', 0x2ccn],
    ['ebx', 0x17b1aa0n],
    ['edx', 0n],
    ['ecx', 0n],
    ['eax', 0n],
    ['ebp', 0x179f2b8n],
    ['eip', 0x771df3dcn],
    ['cs', 0x23n],
    ['eflags', 0x246n],
    ['esp', 0x179f2acn],
    ['ss', 0x2bn],
  ]);
  const registers = new Map<string, bigint>(['eip', 'esp', 'ebp', 'eax', 'ebx', 'ecx', 'edx', 'esi', 'edi'].map((n) => [n, raw.get(n)!]));
  return { arch: 'x86' as const, flags: 0x1003f, registers, raw };
}

test('contextRecordX86 writes an x86 CONTEXT (WOW64_CONTEXT, 716 bytes) the minidump reader reads back field for field', () => {
  const b = contextRecordX86(context86());
  expect(b.length).toBe(716);
  const back = readContextX86(Cursor.of(b, 'test'));
  expect(back.flags).toBe(0x1003f);
  for (const [k, v] of context86().raw) expect([k, back.raw.get(k)]).toEqual([k, v]);
  expect(back.raw.get('dr0')).toBe(0n);
  // Hand-checked offsets (winnt.h): ContextFlags 0, Dr7 0x18, SegGs 0x8c, Edi 0x9c, Ebp 0xb4, Eip 0xb8, Esp 0xc4, SegSs 0xc8.
  const v = Buffer.from(b);
  expect([0, 0x18, 0x8c, 0x9c, 0xb4, 0xb8, 0xc4, 0xc8].map((o) => v.readUInt32LE(o))).toEqual([0x1003f, 0x400, 0x2b, 0x17b1a90, 0x179f2b8, 0x771df3dc, 0x179f2ac, 0x2b]);
  // contextRecord picks the layout by the context's architecture; StackWalkEx gets I386.
  expect(contextRecord(context86()).length).toBe(716);
  expect(contextRecord(context()).length).toBe(1232);
  expect(MACHINE_OF_ARCH).toEqual({ amd64: 0x8664, x86: 0x14c });
});

describe('readForDbgHelp', () => {
  // Dump memory [0x1000, 0x1010); a module image [0x1010, 0x1020) (rva 0 at 0x1010).
  const mem: MemoryReader = { read: (a, n) => (a >= 0x1000n && a + BigInt(n) <= 0x1010n ? Uint8Array.from({ length: n }, (_, i) => Number(a - 0x1000n) + i) : undefined) };
  const mod: WalkModule = { name: 'm', base: 0x1010n, size: 0x10, readRva: (r, n) => (r + n <= 0x10 ? Uint8Array.from({ length: n }, (_, i) => 0x80 + r + i) : undefined) };
  const at = (a: bigint) => (a >= mod.base && a < mod.base + 0x10n ? mod : undefined);
  test('joins the dump and the image without a gap, stops at the first hole, answers a prefix', () => {
    expect(Array.from(readForDbgHelp(mem, at, 0x100cn, 8)!)).toEqual([12, 13, 14, 15, 0x80, 0x81, 0x82, 0x83]);
    expect(Array.from(readForDbgHelp(mem, at, 0x101cn, 16)!)).toEqual([0x8c, 0x8d, 0x8e, 0x8f]);
    expect(readForDbgHelp(mem, at, 0x3000n, 4)).toBeUndefined();
  });
  test('a reader that throws is a hole, not an exception', () => {
    const bad: MemoryReader = {
      read: () => {
        throw new RangeError('x');
      },
    };
    expect(readForDbgHelp(bad, () => undefined, 0x1000n, 4)).toBeUndefined();
  });
});

describe('toWalkResult / walkThread', () => {
  const req = (maxFrames?: number): BackendWalkRequest => ({ arch: 'amd64', context: context(), memory: { read: () => undefined }, moduleAt: () => undefined, maxFrames });
  const walk = {
    engine: 'StackWalkEx (test)',
    stopped: 487,
    frames: [
      { pc: 0x140001079n, ret: 0n, sp: 0x11fd40n, fp: 0n, inlineContext: 0x200, inline: true },
      { pc: 0x140001079n, ret: 0n, sp: 0x11fd40n, fp: 0n, inlineContext: 0x201, inline: true },
      { pc: 0x140001079n, ret: 0x14000109en, sp: 0x11fd40n, fp: 0x11fd60n, inlineContext: 0x100, inline: false },
      { pc: 0x14000109en, ret: 0n, sp: 0x11fd70n, fp: 0x11fd90n, inlineContext: 0x8100, inline: false },
    ],
  };
  test('inline frames fold into their physical frame; frame 0 keeps the context, callers pc/sp/fp', () => {
    const r = toWalkResult(walk, req());
    expect(r.frames.map((f) => [f.instruction, f.trust])).toEqual([
      [0x140001079n, 'context'],
      [0x14000109en, 'cfi'],
    ]);
    expect(r.frames[0].registers.get('r15')).toBe(0xf15n);
    expect([...r.frames[1].registers]).toEqual([
      ['rip', 0x14000109en],
      ['rsp', 0x11fd70n],
      ['rbp', 0x11fd90n],
    ]);
    expect(r.truncated).toBeUndefined();
    expect(r.detail).toMatch(/487/);
    expect(toWalkResult(walk, req(4)).truncated).toBe('frame-cap');
  });
  test('x86: callers get eip/esp/ebp; an inline frame at a return address (FrameType 0x82) folds too', () => {
    const r86: BackendWalkRequest = { arch: 'x86', context: context86(), memory: { read: () => undefined }, moduleAt: () => undefined };
    const w = {
      engine: 'StackWalkEx (test)',
      stopped: 0,
      frames: [
        { pc: 0x771df3dcn, ret: 0x2a2d97n, sp: 0x179f2acn, fp: 0x179f2b8n, inlineContext: 0x100, inline: false },
        { pc: 0x2a2d97n, ret: 0x750662c4n, sp: 0x10ff744n, fp: 0x10ff784n, inlineContext: 0x8200, inline: true },
        { pc: 0x2a2d97n, ret: 0x750662c4n, sp: 0x10ff744n, fp: 0x10ff784n, inlineContext: 0x8100, inline: false },
      ],
    };
    const r = toWalkResult(w, r86);
    expect(r.frames.map((f) => f.instruction)).toEqual([0x771df3dcn, 0x2a2d97n]);
    expect([...r.frames[1].registers]).toEqual([
      ['eip', 0x2a2d97n],
      ['esp', 0x10ff744n],
      ['ebp', 0x10ff784n],
    ]);
  });
  test('without a backend walker (portable), lib/stackwalk answers', () => {
    const r = walkThread(undefined, req());
    expect(r.engine).toBe('lib/stackwalk');
    expect(r.frames[0].instruction).toBe(0x140001079n);
  });
});
