/** CONTEXT records: x86 (716), amd64 (1232, XSTATE/CET), arm64 (912), by SystemInfo or by shape. */
import { DbgHelpError } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { guessArch, readContext } from '../../../lib/formats/minidump/context';
import { openMinidump } from '../../../lib/formats/minidump/minidump';
import { StreamType } from '../../../lib/formats/minidump/stream-types';
import { amd64Context, arm64Context, DumpBuilder, systemInfo, thread, W, x86Context } from '../../helpers/minidump-synth';

function oneThread(ctx: Uint8Array, arch?: number) {
  const b = new DumpBuilder();
  if (arch !== undefined) b.stream(StreamType.SystemInfo, systemInfo(new W(), { arch, major: 10, minor: 0, build: 1 }));
  const c = b.add(ctx);
  b.stream(StreamType.ThreadList, thread(new W().u32(1), { id: 1, context: c }));
  const d = openMinidump(b.build());
  return d.threadContext(d.threads()[0])!;
}

test('x86: CONTROL and INTEGER registers by name, raw segments and flags', () => {
  const regs = { eip: 0x40429e, esp: 0x12fe84, ebp: 0x12fe88, eax: 0x45, ebx: 0x7c80abc1, ecx: 0x12fe94, edx: 0x42bc58, esi: 2, edi: 0xa28, eflags: 0x10246, cs: 0x1b, fs: 0x3b };
  const c = oneThread(x86Context(regs), 0);
  expect(c.arch).toBe('x86');
  expect(c.flags).toBe(0x1003f);
  expect(Object.fromEntries(c.registers)).toEqual(Object.fromEntries(['eip', 'esp', 'ebp', 'eax', 'ebx', 'ecx', 'edx', 'esi', 'edi'].map((n) => [n, BigInt(regs[n as keyof typeof regs])])));
  expect(c.raw.get('eflags')).toBe(0x10246n);
  expect(c.raw.get('fs')).toBe(0x3bn);
});

test('x86: INTEGER only leaves eip/esp/ebp out', () => {
  const c = oneThread(x86Context({ eip: 1, eax: 2 }, 0x10002), 0);
  expect(c.registers.has('eip')).toBe(false);
  expect(c.registers.get('eax')).toBe(2n);
});

test('amd64: all sixteen GPRs and rip', () => {
  const regs: Record<string, bigint> = { rip: 0x7ff9111e39e4n };
  ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'].forEach((n, i) => (regs[n] = BigInt(i + 1) << 40n));
  const c = oneThread(amd64Context(regs, 0x100003), 9);
  expect(c.arch).toBe('amd64');
  expect(c.registers.size).toBe(17);
  for (const [n, v] of Object.entries(regs)) expect([n, c.registers.get(n)]).toEqual([n, v]);
  expect(c.cet).toBeUndefined();
});

test('amd64 CET: the shadow stack pointer after CONTEXT_EX, with and without AVX before it', () => {
  expect(oneThread(amd64Context({ rip: 1n }, 0x10001f, { ssp: 0x1000n }), 9).cet).toEqual({ uCet: 1n, ssp: 0x1000n });
  const c = oneThread(amd64Context({ rip: 1n }, 0x10001f, { ssp: 0xcbc83fefc8n, uCet: 3n, avx: true }), 9);
  expect(c.cet).toEqual({ uCet: 3n, ssp: 0xcbc83fefc8n });
  expect(c.xstateMask).toBe(0x804n);
  expect(c.raw.get('ssp')).toBe(0xcbc83fefc8n);
});

test('amd64: XSTATE flag without a CONTEXT_EX (a 1232-byte record) is fine', () => {
  const c = oneThread(amd64Context({ rip: 5n }, 0x10005f), 9);
  expect(c.registers.get('rip')).toBe(5n);
  expect(c.cet).toBeUndefined();
});

test('amd64: an XState chunk pointing outside the record is BAD_FORMAT with the offset', () => {
  const ctx = amd64Context({ rip: 1n }, 0x10001f, { ssp: 1n });
  new DataView(ctx.buffer).setInt32(1232 + 16, 5000, true);
  expect(() => oneThread(ctx, 9)).toThrow(expect.objectContaining({ code: 'BAD_FORMAT', offset: expect.any(Number) }));
});

test('arm64: pc sp fp lr x0..x28', () => {
  const regs: Record<string, bigint> = { pc: 0x7ff612340000n, sp: 0x1000n, fp: 0x1010n, lr: 0x7ff612340100n, cpsr: 0x60000000n };
  for (let i = 0; i < 29; i++) regs[`x${i}`] = BigInt(i * 3);
  const c = oneThread(arm64Context(regs), 12);
  expect(c.arch).toBe('arm64');
  expect(c.registers.size).toBe(33);
  for (const n of ['pc', 'sp', 'fp', 'lr', 'x0', 'x17', 'x28']) expect([n, c.registers.get(n)]).toEqual([n, regs[n]]);
  expect(c.raw.get('cpsr')).toBe(0x60000000n);
});

test('without SystemInfo the architecture comes from the record', () => {
  expect(oneThread(x86Context({ eip: 7 })).arch).toBe('x86');
  expect(oneThread(amd64Context({ rip: 7n })).arch).toBe('amd64');
  expect(oneThread(arm64Context({ pc: 7n })).arch).toBe('arm64');
  expect(guessArch(Cursor.of(new Uint8Array(100), 'x'))).toBeUndefined();
});

test('a short record is BAD_FORMAT naming the structure', () => {
  for (const arch of ['x86', 'amd64', 'arm64'] as const) {
    let err: unknown;
    try {
      readContext(Cursor.of(new Uint8Array(700), 'ctx', 0x100), arch);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DbgHelpError);
    expect((err as DbgHelpError).code).toBe('BAD_FORMAT');
    expect((err as DbgHelpError).message).toMatch(/CONTEXT/);
    expect((err as DbgHelpError).offset).toBe(0x100);
  }
});

test('WoW64: SystemInfo says AMD64, a 716-byte record is read as x86', () => {
  const c = oneThread(x86Context({ eip: 0x401000, esp: 0x19ff00 }), 9);
  expect(c.arch).toBe('x86');
  expect(c.registers.get('eip')).toBe(0x401000n);
});
