/**
 * x64 unwinding on hand-assembled .pdata/UNWIND_INFO: every UWOP code, prolog offsets, frame
 * registers, chained info (and a cycle), machine frames, epilogs read from the code bytes,
 * leaf functions, and corrupt unwind data.
 */
import { Cursor } from '../../../lib/formats/binary/cursor';
import { readUnwindInfo } from '../../../lib/formats/pe/unwind-info';
import { unwindAmd64 } from '../../../lib/stackwalk/amd64';
import { StepContext } from '../../../lib/stackwalk/step';
import { walkStack } from '../../../lib/stackwalk';
import { buildImage, CODE_RVA, FakeMemory, FakeStack, imageModule, modulesAt, regs, u32s, XDATA_RVA } from './fake';

const BASE = 0x140000000n;
const CALLER = 0x7ff600001234n; // a return address inside the caller module
const callerModule = imageModule(buildImage({ machine: 0x8664 }), 0x7ff600000000n, 'caller.exe');

interface Code {
  at: number;
  op: number;
  info: number;
  extra?: number[];
}
/** UNWIND_INFO bytes: header, codes (reverse prolog order as given), padding, trailer. */
function unwindInfo(o: { version?: number; flags?: number; prolog: number; frameReg?: number; frameOff?: number; codes: Code[]; trailer?: number[] }): number[] {
  const slots: number[] = [];
  for (const c of o.codes) {
    slots.push(c.at | ((c.op | (c.info << 4)) << 8));
    for (const e of c.extra ?? []) slots.push(e);
  }
  const out = [(o.version ?? 1) | ((o.flags ?? 0) << 3), o.prolog, slots.length, (o.frameReg ?? 0) | ((o.frameOff ?? 0) << 4)];
  for (const s of slots) out.push(s & 0xff, s >> 8);
  if (slots.length & 1) out.push(0, 0);
  for (const w of o.trailer ?? []) out.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff);
  return out;
}

function setup(fns: Array<[number, number, number]>, xdata: number[], code: number[] = []) {
  const image = buildImage({ machine: 0x8664, pdata: u32s(...fns.flat()), xdata: Uint8Array.from(xdata), code: Uint8Array.from(code) });
  const mod = imageModule(image, BASE);
  const stack = new FakeStack(0x10000n, 0x1000);
  const memory = new FakeMemory().add(stack.top, stack.data);
  const ctx: StepContext = { arch: 'amd64', memory, moduleAt: modulesAt(mod, callerModule), contextFrame: true };
  return { image, mod, stack, memory, ctx };
}

// push rbx; push rbp; sub rsp, 0x28; mov [rsp+0x10], rsi  (prolog 0xb bytes)
const classic = unwindInfo({
  prolog: 0x0b,
  codes: [
    { at: 0x0b, op: 4, info: 6, extra: [2] }, // SAVE_NONVOL rsi, 0x10
    { at: 0x06, op: 2, info: 4 }, // ALLOC_SMALL 0x28
    { at: 0x02, op: 0, info: 5 }, // PUSH_NONVOL rbp
    { at: 0x01, op: 0, info: 3 }, // PUSH_NONVOL rbx
  ],
});

describe('UNWIND_INFO parsing', () => {
  test('the classic prolog decodes as written', () => {
    const info = readUnwindInfo(Cursor.of(Uint8Array.from(classic), 't'));
    expect(info).toMatchObject({ version: 1, flags: 0, sizeOfProlog: 0x0b, frameRegister: 0 });
    expect(info.codes.map((c) => [c.codeOffset, c.op, c.info, c.value, c.slots])).toEqual([
      [0x0b, 4, 6, 0x10, 2],
      [0x06, 2, 4, 0x28, 1],
      [0x02, 0, 5, 0, 1],
      [0x01, 0, 3, 0, 1],
    ]);
  });
  test('ALLOC_LARGE both forms, SAVE_NONVOL_FAR, SAVE_XMM128(_FAR), PUSH_MACHFRAME, EPILOG', () => {
    const b = unwindInfo({
      version: 2,
      prolog: 0x30,
      codes: [
        { at: 0x01, op: 6, info: 1, extra: [0x0004] },
        { at: 0x30, op: 9, info: 7, extra: [0x5678, 0x0001] },
        { at: 0x28, op: 8, info: 6, extra: [3] },
        { at: 0x20, op: 5, info: 12, extra: [0x1234, 0x0002] },
        { at: 0x18, op: 1, info: 1, extra: [0x0000, 0x0010] },
        { at: 0x10, op: 1, info: 0, extra: [0x200] },
        { at: 0x00, op: 10, info: 1 },
      ],
    });
    const info = readUnwindInfo(Cursor.of(Uint8Array.from(b), 't'));
    expect(info.codes.map((c) => [c.op, c.value, c.slots])).toEqual([
      [6, 4, 2],
      [9, 0x15678, 3],
      [8, 48, 2],
      [5, 0x21234, 3],
      [1, 0x100000, 3],
      [1, 0x1000, 2],
      [10, 0, 1],
    ]);
  });
  test('chained info and handler trailers', () => {
    const ch = readUnwindInfo(Cursor.of(Uint8Array.from(unwindInfo({ flags: 4, prolog: 0, codes: [{ at: 1, op: 0, info: 3 }], trailer: [0x2000, 0x2010, 0x1820] })), 't'));
    expect(ch.chained).toEqual({ begin: 0x2000, end: 0x2010, unwindInfo: 0x1820 });
    const eh = readUnwindInfo(Cursor.of(Uint8Array.from(unwindInfo({ flags: 1, prolog: 0, codes: [], trailer: [0x3000] })), 't'));
    expect(eh.handler).toBe(0x3000);
  });
  test.each([
    ['version 3', [3, 0, 0, 0], /version 3/],
    ['unknown op 11', [1, 2, 1, 0, 2, 0x0b, 0, 0], /unknown UNWIND_CODE operation 11/],
    ['ALLOC_LARGE OpInfo 2', [1, 2, 2, 0, 2, 0x21, 0, 0], /OpInfo 2/],
    ['operand past the array', [1, 2, 1, 0, 2, 0x04, 0, 0], /needs 1 more slots/],
    ['truncated codes', [1, 2, 4, 0, 2, 0x02], /truncated/],
    ['chain with handler', [1 | (5 << 3), 0, 0, 0], /chained info with a handler/],
  ])('%s is BAD_FORMAT with an offset', (_n, b, msg) => {
    expect(() => readUnwindInfo(Cursor.of(Uint8Array.from(b), 'x.dll UNWIND_INFO', 0x1800))).toThrow(msg);
    try {
      readUnwindInfo(Cursor.of(Uint8Array.from(b), 'x.dll UNWIND_INFO', 0x1800));
    } catch (e) {
      expect((e as { code: string }).code).toBe('BAD_FORMAT');
      expect((e as Error).message).toMatch(/x\.dll UNWIND_INFO: .* at offset 0x18/);
    }
  });
});

describe('unwindAmd64', () => {
  const fnEnd = CODE_RVA + 0x100;
  test('function body: pushes, allocation and a MOV save undone; volatile registers dropped', () => {
    const { stack, ctx } = setup([[CODE_RVA, fnEnd, XDATA_RVA]], classic);
    const S = 0x10400n;
    stack.set(S + 0x10n, 0x51n);
    stack.set(S + 0x28n, 0xb0n);
    stack.set(S + 0x30n, 0xb1n);
    stack.set(S + 0x38n, CALLER);
    const r = unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 0x20), rsp: S, rax: 1n, rdi: 0xd1n, rbx: 9n, rbp: 9n, rsi: 9n }), ctx);
    expect(r).toEqual({ kind: 'frame', note: undefined, registers: regs({ rdi: 0xd1n, rbx: 0xb1n, rbp: 0xb0n, rsi: 0x51n, rip: CALLER, rsp: S + 0x40n }) });
  });
  test.each([
    [0, 0n, {}],
    [1, 8n, { rbx: 0xb1n }],
    [2, 16n, { rbx: 0xb1n, rbp: 0xb0n }],
    [6, 0x38n, { rbx: 0xb1n, rbp: 0xb0n }],
  ])('inside the prolog at offset %d only the instructions run are undone', (off, frame, restored) => {
    const { stack, ctx } = setup([[CODE_RVA, fnEnd, XDATA_RVA]], classic);
    const S = 0x10400n;
    const top = S + frame; // where the return address is
    stack.set(top, CALLER);
    if (frame >= 8n) stack.set(top - 8n, 0xb1n);
    if (frame >= 16n) stack.set(top - 16n, 0xb0n);
    const r = unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + off), rsp: S, rsi: 7n }), ctx);
    expect(r).toEqual({ kind: 'frame', note: undefined, registers: regs({ rsi: 7n, ...restored, rip: CALLER, rsp: top + 8n }) });
  });
  test('SET_FPREG: the frame register, not RSP, locates the frame (alloca moved RSP)', () => {
    // push rbp; sub rsp, 0x40; lea rbp, [rsp+0x20]  → FrameRegister rbp, FrameOffset 2 (0x20)
    const info = unwindInfo({
      prolog: 10,
      frameReg: 5,
      frameOff: 2,
      codes: [
        { at: 10, op: 3, info: 0 },
        { at: 5, op: 2, info: 7 },
        { at: 1, op: 0, info: 5 },
      ],
    });
    const { stack, ctx } = setup([[CODE_RVA, fnEnd, XDATA_RVA]], info);
    const S = 0x10400n; // RSP after the prolog
    const rbp = S + 0x20n;
    stack.set(S + 0x40n, 0xb0n);
    stack.set(S + 0x48n, CALLER);
    const r = unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 0x30), rsp: S - 0x200n, rbp }), ctx);
    expect(r).toMatchObject({ kind: 'frame', registers: regs({ rbp: 0xb0n, rip: CALLER, rsp: S + 0x50n }) });
  });
  test('ALLOC_LARGE (both forms) and SAVE_NONVOL_FAR, XMM saves skipped', () => {
    const info = unwindInfo({
      prolog: 0x20,
      codes: [
        { at: 0x20, op: 9, info: 6, extra: [0x0100, 0] }, // SAVE_XMM128_FAR
        { at: 0x18, op: 8, info: 7, extra: [2] }, // SAVE_XMM128
        { at: 0x10, op: 5, info: 12, extra: [0x0018, 0x0001] }, // SAVE_NONVOL_FAR r12 at 0x10018
        { at: 0x08, op: 1, info: 1, extra: [0x0000, 0x0001] }, // ALLOC_LARGE 0x10000
        { at: 0x04, op: 1, info: 0, extra: [0x10] }, // ALLOC_LARGE 0x80
      ],
    });
    const { ctx, memory } = setup([[CODE_RVA, fnEnd, XDATA_RVA]], info);
    const big = new FakeStack(0x100000n, 0x20000);
    memory.add(big.top, big.data);
    const S = 0x100000n;
    big.set(S + 0x10018n, 0x1212n);
    big.set(S + 0x10080n, CALLER);
    const r = unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 0x40), rsp: S }), ctx);
    expect(r).toMatchObject({ kind: 'frame', registers: regs({ r12: 0x1212n, rip: CALLER, rsp: S + 0x10088n }) });
  });
  test.each([
    [0, 0n],
    [1, 8n],
  ])('PUSH_MACHFRAME (error code %d): RIP and RSP from the machine frame', (err, skip) => {
    const info = unwindInfo({ prolog: 0, codes: [{ at: 0, op: 10, info: err }] });
    const { stack, ctx } = setup([[CODE_RVA, fnEnd, XDATA_RVA]], info);
    const S = 0x10400n;
    stack.set(S + skip, CALLER);
    stack.set(S + skip + 24n, 0x10800n);
    expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 4), rsp: S }), ctx)).toMatchObject({ kind: 'frame', note: 'machine frame', registers: regs({ rip: CALLER, rsp: 0x10800n }) });
  });
  test('chained unwind info: the fragment, then the primary function, in full', () => {
    // Fragment at +0x80 chains to the primary at +0 (push rbx; sub rsp, 0x20). The fragment saved rsi.
    const primary = unwindInfo({
      prolog: 5,
      codes: [
        { at: 5, op: 2, info: 3 },
        { at: 1, op: 0, info: 3 },
      ],
    });
    const frag = unwindInfo({ flags: 4, prolog: 0, codes: [{ at: 0, op: 0, info: 6 }], trailer: [CODE_RVA, CODE_RVA + 0x80, XDATA_RVA] });
    const { stack, ctx } = setup(
      [
        [CODE_RVA, CODE_RVA + 0x80, XDATA_RVA],
        [CODE_RVA + 0x80, CODE_RVA + 0xc0, XDATA_RVA + 0x20],
      ],
      [...primary, ...new Array(0x20 - primary.length).fill(0), ...frag],
    );
    const S = 0x10400n;
    stack.set(S, 0x51n); // rsi pushed by the fragment's code
    stack.set(S + 0x28n, 0xb1n);
    stack.set(S + 0x30n, CALLER);
    const r = unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 0x90), rsp: S }), ctx);
    expect(r).toMatchObject({ kind: 'frame', registers: regs({ rsi: 0x51n, rbx: 0xb1n, rip: CALLER, rsp: S + 0x38n }) });
  });
  test("chained: the primary's SET_FPREG uses its own frame register (the fragment has none)", () => {
    const primary = unwindInfo({
      prolog: 10,
      frameReg: 5,
      frameOff: 2,
      codes: [
        { at: 10, op: 3, info: 0 },
        { at: 5, op: 2, info: 7 },
        { at: 1, op: 0, info: 5 },
      ],
    });
    const frag = unwindInfo({ flags: 4, prolog: 0, codes: [{ at: 0, op: 0, info: 6 }], trailer: [CODE_RVA, CODE_RVA + 0x80, XDATA_RVA] });
    const { stack, ctx } = setup(
      [
        [CODE_RVA, CODE_RVA + 0x80, XDATA_RVA],
        [CODE_RVA + 0x80, CODE_RVA + 0xc0, XDATA_RVA + 0x20],
      ],
      [...primary, ...new Array(0x20 - primary.length).fill(0), ...frag],
    );
    const S = 0x10600n; // RSP after the primary's prolog; RBP = S + 0x20
    const R = 0x10300n; // RSP in the fragment (an alloca moved it far below)
    stack.set(R, 0x51n);
    stack.set(S + 0x40n, 0xb0n);
    stack.set(S + 0x48n, CALLER);
    const r = unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 0x90), rsp: R, rbp: S + 0x20n }), ctx);
    expect(r).toMatchObject({ kind: 'frame', registers: regs({ rsi: 0x51n, rbp: 0xb0n, rip: CALLER, rsp: S + 0x50n }) });
  });
  test('a chain that loops on itself stops with bad-unwind, in bounded time', () => {
    const self = unwindInfo({ flags: 4, prolog: 0, codes: [], trailer: [CODE_RVA, fnEnd, XDATA_RVA] });
    const { ctx } = setup([[CODE_RVA, fnEnd, XDATA_RVA]], self);
    const r = unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 4), rsp: 0x10400n }), ctx);
    expect(r).toMatchObject({ kind: 'fail', reason: 'bad-unwind' });
    expect((r as { detail: string }).detail).toMatch(/deeper than 32/);
  });
  test('leaf function (no .pdata entry): the return address is at [RSP]', () => {
    const { stack, ctx } = setup([[CODE_RVA, CODE_RVA + 0x10, XDATA_RVA]], classic);
    stack.set(0x10400n, CALLER);
    expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 0x40), rsp: 0x10400n, rbx: 3n }), ctx)).toEqual({ kind: 'frame', note: 'leaf', registers: regs({ rbx: 3n, rip: CALLER, rsp: 0x10408n }) });
  });
  describe('epilogs are read from the code at RIP', () => {
    const at = 0x40;
    const withCode = (epilog: number[], info = classic) => {
      const code = new Array(at).fill(0x90).concat(epilog);
      return setup([[CODE_RVA, fnEnd, XDATA_RVA]], info, code);
    };
    test('add rsp, 0x28; pop rbp; pop rbx; ret', () => {
      const { stack, ctx } = withCode([0x48, 0x83, 0xc4, 0x28, 0x5d, 0x5b, 0xc3]);
      const S = 0x10400n;
      stack.set(S + 0x28n, 0xb0n);
      stack.set(S + 0x30n, 0xb1n);
      stack.set(S + 0x38n, CALLER);
      // The SAVE_NONVOL of rsi is not undone: the epilog restored it already.
      expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + at), rsp: S, rsi: 0x77n }), ctx)).toEqual({
        kind: 'frame',
        note: 'epilog',
        registers: regs({ rbp: 0xb0n, rbx: 0xb1n, rsi: 0x77n, rip: CALLER, rsp: S + 0x40n }),
      });
    });
    test('part way: pop rbx; ret (r15 pop with REX) and rep ret', () => {
      const { stack, ctx } = withCode([0x41, 0x5f, 0x5b, 0xf3, 0xc3]);
      stack.set(0x10400n, 0xf15n);
      stack.set(0x10408n, 0xb1n);
      stack.set(0x10410n, CALLER);
      expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + at), rsp: 0x10400n }), ctx)).toMatchObject({ note: 'epilog', registers: regs({ r15: 0xf15n, rbx: 0xb1n, rip: CALLER, rsp: 0x10418n }) });
    });
    test('lea rsp, [rbp+disp8] needs the frame register; then pops and ret imm16', () => {
      const info = unwindInfo({
        prolog: 10,
        frameReg: 5,
        frameOff: 2,
        codes: [
          { at: 10, op: 3, info: 0 },
          { at: 5, op: 2, info: 7 },
          { at: 1, op: 0, info: 5 },
        ],
      });
      const { stack, ctx } = withCode([0x48, 0x8d, 0x65, 0x20, 0x5d, 0xc2, 0x08, 0x00], info);
      const rbp = 0x10400n;
      stack.set(rbp + 0x20n, 0xb0n);
      stack.set(rbp + 0x28n, CALLER);
      expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + at), rsp: 0x10100n, rbp }), ctx)).toMatchObject({ note: 'epilog', registers: regs({ rbp: 0xb0n, rip: CALLER, rsp: rbp + 0x30n }) });
    });
    test.each([
      ['rex64 jmp rax', [0x48, 0xff, 0xe0]],
      ['jmp [rip+n]', [0xff, 0x25, 0, 0, 0, 0]],
      ['rex64 jmp [rip+n]', [0x48, 0xff, 0x25, 0, 0, 0, 0]],
    ])('pop rbx; %s (an indirect tail call)', (_n, jmp) => {
      const { stack, ctx } = withCode([0x5b, ...jmp]);
      stack.set(0x10400n, 0xb1n);
      stack.set(0x10408n, CALLER);
      expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + at), rsp: 0x10400n }), ctx)).toMatchObject({ note: 'epilog', registers: regs({ rbx: 0xb1n, rip: CALLER, rsp: 0x10410n }) });
    });
    test('a jmp out of the function is a tail call (epilog); a jmp inside it is not', () => {
      const out = withCode([0x5b, 0xe9, 0x00, 0x10, 0x00, 0x00]);
      out.stack.set(0x10400n, 0xb1n);
      out.stack.set(0x10408n, CALLER);
      expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + at), rsp: 0x10400n }), out.ctx)).toMatchObject({ note: 'epilog', registers: regs({ rbx: 0xb1n, rip: CALLER, rsp: 0x10410n }) });
      const inside = withCode([0x5b, 0xeb, 0x10]);
      // Not an epilog: the unwind codes apply (function body).
      const S = 0x10400n;
      inside.stack.set(S + 0x10n, 0x51n);
      inside.stack.set(S + 0x28n, 0xb0n);
      inside.stack.set(S + 0x30n, 0xb1n);
      inside.stack.set(S + 0x38n, CALLER);
      expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + at), rsp: S }), inside.ctx)).toMatchObject({
        note: undefined,
        registers: regs({ rbx: 0xb1n, rbp: 0xb0n, rsi: 0x51n, rip: CALLER, rsp: S + 0x40n }),
      });
    });
  });
  test('version 2 EPILOG codes are skipped', () => {
    const info = unwindInfo({
      version: 2,
      prolog: 1,
      codes: [
        { at: 1, op: 6, info: 1, extra: [0] },
        { at: 1, op: 0, info: 3 },
      ],
    });
    const { stack, ctx } = setup([[CODE_RVA, fnEnd, XDATA_RVA]], info);
    stack.set(0x10400n, 0xb1n);
    stack.set(0x10408n, CALLER);
    expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 0x20), rsp: 0x10400n }), ctx)).toMatchObject({ registers: regs({ rbx: 0xb1n, rip: CALLER, rsp: 0x10410n }) });
  });
  test('a return address of 0 ends the stack; unreadable stack is a memory failure', () => {
    const { ctx } = setup([[CODE_RVA, fnEnd, XDATA_RVA]], classic);
    expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 0x20), rsp: 0x10400n }), ctx)).toEqual({ kind: 'end' });
    expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 0x20), rsp: 0x90000n }), ctx)).toMatchObject({ kind: 'fail', reason: 'memory' });
  });
  test.each([
    ['unwind info outside the image', [[CODE_RVA, fnEnd, 0x7ffff]]],
    ['unknown operation', [[CODE_RVA, fnEnd, XDATA_RVA + 0x40]]],
    ['indirect entry pointing outside', [[CODE_RVA, fnEnd, 0x7fff1]]],
  ])('%s: bad-unwind, no exception', (_n, fns) => {
    const x = [...classic, ...new Array(0x40 - classic.length).fill(0), 1, 2, 1, 0, 2, 0x0f, 0, 0];
    const { ctx } = setup(fns as Array<[number, number, number]>, x);
    expect(unwindAmd64(regs({ rip: BASE + BigInt(CODE_RVA + 0x20), rsp: 0x10400n }), ctx)).toMatchObject({ kind: 'fail', reason: 'bad-unwind' });
  });
});

describe('walkStack (amd64, hand-assembled)', () => {
  test('a corrupt entry falls back to scanning, marked scan; a loop is caught', () => {
    const { mod, stack, memory } = setup([[CODE_RVA, CODE_RVA + 0x100, 0x7ffff]], classic);
    // The caller module has code with a call before CALLER.
    const callerImg = buildImage({ machine: 0x8664 });
    callerImg.set([0xe8, 0, 0, 0, 0], 0x1234 - 5);
    const cm = imageModule(callerImg, 0x7ff600000000n, 'caller.exe');
    stack.set(0x10418n, CALLER);
    const r = walkStack({ arch: 'amd64', context: regs({ rip: BASE + BigInt(CODE_RVA + 0x20), rsp: 0x10400n }), memory, moduleAt: modulesAt(mod, cm) });
    expect(r.frames.map((f) => [f.instruction, f.trust])).toEqual([
      [BASE + BigInt(CODE_RVA + 0x20), 'context'],
      [CALLER, 'scan'],
    ]);
    expect(r.frames[1].registers.get('rsp')).toBe(0x10420n);
    expect(r.frames[1].module?.name).toBe('caller.exe');
    expect(r.truncated).toBeUndefined();
  });
  test('frame cap and abort', () => {
    const { mod, memory } = setup([], []);
    const ctx = regs({ rip: BASE + 0x2000n, rsp: 0x10400n });
    expect(walkStack({ arch: 'amd64', context: ctx, memory, moduleAt: modulesAt(mod), maxFrames: 1 })).toMatchObject({ truncated: 'frame-cap' });
    const ac = new AbortController();
    ac.abort();
    expect(walkStack({ arch: 'amd64', context: ctx, memory, moduleAt: modulesAt(mod), signal: ac.signal })).toMatchObject({ truncated: 'aborted' });
  });
  test('a context without rip gives no frames and says why', () => {
    const r = walkStack({ arch: 'amd64', context: regs({ rsp: 1n }), memory: new FakeMemory(), moduleAt: () => undefined });
    expect(r.frames).toEqual([]);
    expect(r.detail).toMatch(/no rip/);
  });
});
