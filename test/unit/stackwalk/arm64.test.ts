/**
 * ARM64 unwinding on hand-assembled .pdata/.xdata: unpacked codes (save_regp, save_next,
 * save_fplr_x, set_fp, alloc_m/alloc_l, save_reg_x, save_lrpair, freg saves), partial prologs,
 * epilog scopes and the E flag, packed entries (every CR), leaves, the fp/lr chain, PAC bits,
 * and corrupt unwind data.
 */
import { Cursor } from '../../../lib/formats/binary/cursor';
import { decodePackedUnwind } from '../../../lib/formats/pe/arm64-runtime-function';
import { readArm64UnwindCodes } from '../../../lib/formats/pe/arm64-unwind-code';
import { readArm64UnwindInfo } from '../../../lib/formats/pe/arm64-unwind-info';
import { packedOps, unwindArm64 } from '../../../lib/stackwalk/internal';
import { StepContext } from '../../../lib/stackwalk/step';
import { walkStack } from '../../../lib/stackwalk';
import { buildImage, CODE_RVA, FakeMemory, FakeStack, imageModule, modulesAt, regs, u32s, XDATA_RVA } from './fake';

const BASE = 0x140000000n;
/** A packed .pdata UnwindData word. */
const packed = (o: { len: number; regF?: number; regI?: number; h?: boolean; cr: number; frame: number; flag?: number }) =>
  (o.flag ?? 1) | ((o.len / 4) << 2) | ((o.regF ?? 0) << 13) | ((o.regI ?? 0) << 16) | ((o.h ? 1 : 0) << 20) | (o.cr << 21) | ((o.frame / 16) << 23);
const CALLER = 0x7ff600001234n;
const callerImage = buildImage({ machine: 0xaa64 });
callerImage.set([0x00, 0x00, 0x00, 0x94], 0x1230); // BL before the return address
const callerModule = imageModule(callerImage, 0x7ff600000000n, 'caller.exe');

/** .xdata: header word(s), epilog scopes, code bytes padded to words. */
function xdata(o: { length: number; e?: boolean; epilogs?: Array<[number, number]>; singleIndex?: number; codes: number[] }): number[] {
  const codeWords = Math.ceil(o.codes.length / 4);
  const epilogCount = o.e ? (o.singleIndex ?? 0) : (o.epilogs ?? []).length;
  const words = [((o.length / 4) & 0x3ffff) | ((o.e ? 1 : 0) << 21) | (epilogCount << 22) | (codeWords << 27)];
  for (const [start, index] of o.epilogs ?? []) words.push((start / 4) | (index << 22));
  const out = u32s(...words);
  const codes = [...o.codes, ...new Array(codeWords * 4 - o.codes.length).fill(0xe3)];
  return [...out, ...codes];
}

function setup(pdata: number[], xd: number[] = []) {
  const image = buildImage({ machine: 0xaa64, pdata: u32s(...pdata), xdata: Uint8Array.from(xd) });
  const mod = imageModule(image, BASE);
  const stack = new FakeStack(0x10000n, 0x2000);
  const memory = new FakeMemory().add(stack.top, stack.data);
  const ctx: StepContext = { arch: 'arm64', memory, moduleAt: modulesAt(mod, callerModule), contextFrame: false };
  return { mod, stack, memory, ctx };
}

// Prolog (execution order): stp x19,x20,[sp,#-48]! ; stp x21,x22,[sp,#16] (save_next) ;
// stp fp,lr,[sp,#32] ; add fp, sp, #32 (add_fp) ; sub sp, sp, #0x1000 (alloc_m) ; end
const prologCodes = [0xc1, 0x00 /* alloc_m 0x100*16 */, 0xe2, 0x04 /* add_fp 32 */, 0x44 /* save_fplr 32 */, 0xe6 /* save_next */, 0x26 /* save_r19r20_x 48 */, 0xe4];

describe('ARM64 unwind codes', () => {
  test('decode, with save_next resolved against the pair after it', () => {
    const ops = readArm64UnwindCodes(Cursor.of(Uint8Array.from(prologCodes), 't'));
    expect(ops).toEqual([
      { kind: 'alloc', size: 0x1000 },
      { kind: 'add_fp', offset: 32 },
      { kind: 'save', regs: ['fp', 'lr'], offset: 32, writeback: 0, float: false },
      { kind: 'save', regs: ['x21', 'x22'], offset: 16, writeback: 0, float: false, pairNext: true },
      { kind: 'save', regs: ['x19', 'x20'], offset: 0, writeback: 48, float: false },
      { kind: 'end', chained: false },
    ]);
  });
  test('the rest of the table', () => {
    const b = [
      0xcc, 0x83 /* save_regp_x x21,x22 (3+1)*8 */, 0xd0, 0x85 /* save_reg x21 @40 */, 0xd4, 0x42 /* save_reg_x x21 -24 */, 0xd6, 0x42 /* save_lrpair x21,lr @16 */, 0xd8,
      0x42 /* save_fregp d9,d10 @16 */, 0xda, 0x01 /* save_fregp_x d8,d9 16 */, 0xdc, 0x43, 0xde, 0x21 /* save_freg_x d9 -16 */, 0xe0, 0x00, 0x01, 0x00 /* alloc_l 4096 */, 0xe1, 0xe3, 0xfc, 0xec,
      0xe9, 0xe7, 0x13, 0x02 /* save_any_reg x19 @16 */, 0xe5,
    ];
    const ops = readArm64UnwindCodes(Cursor.of(Uint8Array.from(b), 't'));
    expect(ops).toEqual([
      { kind: 'save', regs: ['x21', 'x22'], offset: 0, writeback: 32, float: false },
      { kind: 'save', regs: ['x21'], offset: 40, writeback: 0, float: false },
      { kind: 'save', regs: ['x21'], offset: 0, writeback: 24, float: false },
      { kind: 'save', regs: ['x21', 'lr'], offset: 16, writeback: 0, float: false },
      { kind: 'save', regs: ['d9', 'd10'], offset: 16, writeback: 0, float: true },
      { kind: 'save', regs: ['d8', 'd9'], offset: 0, writeback: 16, float: true },
      { kind: 'save', regs: ['d9'], offset: 24, writeback: 0, float: true },
      { kind: 'save', regs: ['d9'], offset: 0, writeback: 16, float: true },
      { kind: 'alloc', size: 4096 },
      { kind: 'set_fp' },
      { kind: 'nop', what: 'nop' },
      { kind: 'nop', what: 'pac_sign_lr' },
      { kind: 'nop', what: 'clear_unwound_to_call' },
      { kind: 'special', what: 'machine_frame' },
      { kind: 'save', regs: ['x19'], offset: 16, writeback: 0, float: false },
      { kind: 'end', chained: true },
    ]);
  });
  test("end_c closes a chained scope: the parent's codes follow, up to end", () => {
    const ops = readArm64UnwindCodes(Cursor.of(Uint8Array.from([0x02, 0xe5, 0x81, 0xe4, 0x01]), 't'));
    expect(ops).toEqual([
      { kind: 'alloc', size: 32 },
      { kind: 'end', chained: true },
      { kind: 'save', regs: ['fp', 'lr'], offset: 0, writeback: 16, float: false },
      { kind: 'end', chained: false },
    ]);
  });
  test.each([
    ['reserved 0xf0', [0xf0], /reserved ARM64 unwind code 0xf0/],
    ['save_next first', [0xe6, 0xe4], /save_next without a register pair/],
    ['save_next after a single register', [0xe6, 0xd0, 0x85, 0xe4], /save_next without a register pair/],
    ['truncated alloc_l', [0xe0, 0x00], /truncated/],
  ])('%s is BAD_FORMAT', (_n, b, msg) => {
    expect(() => readArm64UnwindCodes(Cursor.of(Uint8Array.from(b), 'x.dll .xdata', 0x1800))).toThrow(msg);
  });
  test('.xdata header, epilog scopes and the extension word', () => {
    const info = readArm64UnwindInfo(Cursor.of(Uint8Array.from(xdata({ length: 0x80, epilogs: [[0x70, 8]], codes: [...prologCodes, 0x26, 0xe4] })), 't'));
    expect(info).toMatchObject({ functionLength: 0x80, version: 0, hasHandler: false, epilogs: [{ start: 0x70, codeIndex: 8 }], singleEpilogCodeIndex: undefined });
    expect(info.codes.length).toBe(12);
    const ext = Uint8Array.from([...u32s(0x40 / 4, 1 | (1 << 16)), ...u32s(0x10 | (0 << 22)), 0xe4, 0xe3, 0xe3, 0xe3]);
    expect(readArm64UnwindInfo(Cursor.of(ext, 't'))).toMatchObject({ functionLength: 0x40, epilogs: [{ start: 0x40, codeIndex: 0 }] });
  });
  test.each([
    ['version 1', u32s(0x10 | (1 << 18)), /version 1/],
    ['epilog index past the codes', Uint8Array.from(xdata({ length: 0x40, epilogs: [[0x30, 9]], codes: [0xe4] })), /code index 9 past/],
    ['codes past the record', u32s(0x10 | (3 << 27)), /truncated/],
  ])('%s is BAD_FORMAT', (_n, b, msg) => {
    expect(() => readArm64UnwindInfo(Cursor.of(b, 'x.dll .xdata', 0x1800))).toThrow(msg);
  });
  test('packed entry fields', () => {
    // Flag 1, FunctionLength 0x40/4, RegF 1, RegI 2, H 0, CR 3, FrameSize 64/16
    const w = 1 | (0x10 << 2) | (1 << 13) | (2 << 16) | (3 << 21) | (4 << 23);
    expect(decodePackedUnwind(w)).toEqual({ fragment: false, functionLength: 0x40, regF: 1, regI: 2, homesParameters: false, cr: 3, frameSize: 64 });
  });
});

describe('unwindArm64 (unpacked)', () => {
  const len = 0x80;
  const entry = [CODE_RVA, XDATA_RVA];
  const xd = xdata({ length: len, epilogs: [[0x70, 8]], codes: [...prologCodes, 0x26 /* epilog: save_r19r20_x 48 */, 0xe4] });
  /** The frame the full prolog builds, below caller SP 0x11000. */
  function frame(stack: FakeStack) {
    const callerSp = 0x11000n;
    const saveArea = callerSp - 48n; // x19,x20 @0; x21,x22 @16; fp,lr @32
    stack.set(saveArea, 0x19n);
    stack.set(saveArea + 8n, 0x20n);
    stack.set(saveArea + 16n, 0x21n);
    stack.set(saveArea + 24n, 0x22n);
    stack.set(saveArea + 32n, 0xf0n);
    stack.set(saveArea + 40n, CALLER);
    return { callerSp, saveArea, fp: saveArea + 32n, sp: saveArea - 0x1000n };
  }
  test('function body: all prolog codes undone; SP from fp (add_fp), registers restored', () => {
    const { stack, ctx } = setup(entry, xd);
    const f = frame(stack);
    const r = unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 0x40), sp: f.sp - 0x200n /* alloca */, fp: f.fp, lr: 5n, x0: 1n }), ctx);
    expect(r).toEqual({ kind: 'frame', note: 'xdata', registers: regs({ fp: 0xf0n, x19: 0x19n, x20: 0x20n, x21: 0x21n, x22: 0x22n, pc: CALLER, sp: f.callerSp }) });
  });
  test.each([
    [0, {}],
    [4, { x19: 0x19n, x20: 0x20n }],
    [8, { x19: 0x19n, x20: 0x20n, x21: 0x21n, x22: 0x22n }],
  ])('prolog at +%d: only the instructions run are undone', (off, restored) => {
    const { stack, ctx } = setup(entry, xd);
    const f = frame(stack);
    const sp = off === 0 ? f.callerSp : f.saveArea;
    const r = unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + off), sp, lr: CALLER, x19: 1n, x20: 2n, x21: 3n, x22: 4n }), { ...ctx, contextFrame: true });
    expect(r).toEqual({ kind: 'frame', note: 'prolog', registers: regs({ x19: 1n, x20: 2n, x21: 3n, x22: 4n, ...restored, pc: CALLER, sp: f.callerSp }) });
  });
  test('epilog scope: at its first instruction, then at the ret', () => {
    const { stack, ctx } = setup(entry, xd);
    const f = frame(stack);
    const r = unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 0x70), sp: f.saveArea, lr: CALLER }), ctx);
    expect(r).toMatchObject({ kind: 'frame', note: 'epilog', registers: regs({ x19: 0x19n, x20: 0x20n, pc: CALLER, sp: f.callerSp }) });
    const atRet = unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 0x74), sp: f.callerSp, lr: CALLER, x19: 7n }), ctx);
    expect(atRet).toEqual({ kind: 'frame', note: 'epilog', registers: regs({ x19: 7n, pc: CALLER, sp: f.callerSp }) });
  });
  test('E flag: the single epilog at the end shares the prolog codes (index 0)', () => {
    const codes = [0x81 /* save_fplr_x 16 */, 0xe4];
    const { stack, ctx } = setup(entry, xdata({ length: 0x40, e: true, singleIndex: 0, codes }));
    stack.set(0x10ff0n, 0xf0n);
    stack.set(0x10ff8n, CALLER);
    // Epilog = ldp fp, lr, [sp], #16 ; ret at 0x38, 0x3c.
    expect(unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 0x38), sp: 0x10ff0n, lr: 1n }), ctx)).toMatchObject({ note: 'epilog', registers: regs({ fp: 0xf0n, pc: CALLER, sp: 0x11000n }) });
    expect(unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 0x3c), sp: 0x11000n, lr: CALLER }), ctx)).toMatchObject({ note: 'epilog', registers: regs({ pc: CALLER, sp: 0x11000n }) });
    expect(unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 0x20), sp: 0x10ff0n, lr: 1n }), ctx)).toMatchObject({ note: 'xdata', registers: regs({ fp: 0xf0n, pc: CALLER, sp: 0x11000n }) });
  });
  test('corrupt .xdata: bad-unwind, no exception; an MSFT_OP_MACHINE_FRAME is not supported', () => {
    const bad = setup(entry, [...u32s(0x10 | (1 << 27)), 0xf1, 0, 0, 0]);
    expect(unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 8), sp: 0x11000n, lr: CALLER }), bad.ctx)).toMatchObject({ kind: 'fail', reason: 'bad-unwind' });
    const mf = setup(entry, xdata({ length: 0x40, codes: [0xe9, 0xe4] }));
    expect(unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 8), sp: 0x11000n, lr: CALLER }), mf.ctx)).toMatchObject({ kind: 'fail', reason: 'bad-unwind' });
    const outside = setup([CODE_RVA, 0x7fff0], []);
    expect(unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 8), sp: 0x11000n, lr: CALLER }), outside.ctx)).toMatchObject({ kind: 'fail', reason: 'bad-unwind' });
  });
});

describe('a corrupt .xdata with 65535 epilog scopes and 255 code words', () => {
  test('one frame is unwound in bounded time', () => {
    const image = buildImage({ machine: 0xaa64, pdata: u32s(CODE_RVA, 0x10000), size: 0x60000 });
    const words = [0x40 / 4, 0xffff | (0xff << 16)];
    for (let i = 0; i < 0xffff; i++) words.push((0x10 / 4) | (0 << 22));
    const head = u32s(...words);
    image.set(head, 0x10000);
    image.fill(0xe3, 0x10000 + head.length, 0x10000 + head.length + 255 * 4 - 1);
    image[0x10000 + head.length + 255 * 4 - 1] = 0xe4;
    const mod = imageModule(image, BASE);
    const stack = new FakeStack(0x10000n, 0x2000);
    const ctx: StepContext = { arch: 'arm64', memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(mod, callerModule), contextFrame: false };
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) expect(unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 0x20), sp: 0x10800n, lr: CALLER }), ctx)).toMatchObject({ kind: 'frame', note: 'epilog' });
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('unwindArm64 (packed)', () => {
  test('packedOps: CR 3 with RegI 2, RegF 1 and a large frame', () => {
    const ops = packedOps(decodePackedUnwind(packed({ len: 0x100, regI: 2, regF: 1, cr: 3, frame: 640 })));
    // intsz 16, fpsz 16, savsz 32, locsz 608 (> 512): sub sp; stp fp, lr, [sp]; mov fp, sp
    expect(ops.prolog).toEqual([
      { kind: 'set_fp' },
      { kind: 'save', regs: ['fp', 'lr'], offset: 0, writeback: 0, float: false },
      { kind: 'alloc', size: 608 },
      { kind: 'save', regs: ['d8', 'd9'], offset: 16, writeback: 0, float: true },
      { kind: 'save', regs: ['x19', 'x20'], offset: 0, writeback: 32, float: false },
    ]);
    expect(ops.epilog.map((o) => o.kind)).toEqual(['save', 'alloc', 'save', 'save']);
  });
  test('body of a CR 3 function: from fp, pairs restored', () => {
    const { stack, ctx } = setup([CODE_RVA, packed({ len: 0x100, regI: 2, cr: 3, frame: 64 })]);
    // savsz 16 (x19,x20 @ callerSp-16), locsz 48: stp fp,lr,[sp,#-48]! ; mov fp,sp
    const callerSp = 0x11000n;
    stack.set(callerSp - 16n, 0x19n);
    stack.set(callerSp - 8n, 0x20n);
    const fp = callerSp - 64n;
    stack.set(fp, 0xf0n);
    stack.set(fp + 8n, CALLER);
    expect(unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + 0x40), sp: fp - 0x100n, fp, lr: 3n }), ctx)).toEqual({
      kind: 'frame',
      note: 'packed',
      registers: regs({ x19: 0x19n, x20: 0x20n, fp: 0xf0n, pc: CALLER, sp: callerSp }),
    });
  });
  test('CR 1 with RegI 0 (str lr, [sp, #-16]!), in the prolog, body and epilog', () => {
    const { stack, ctx } = setup([CODE_RVA, packed({ len: 0x20, cr: 1, frame: 16 })]);
    stack.set(0x10ff0n, CALLER);
    const at = (off: number, sp: bigint, lr = 9n) => unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA + off), sp, lr }), { ...ctx, contextFrame: true });
    expect(at(0, 0x11000n, CALLER)).toMatchObject({ note: 'packed prolog', registers: regs({ pc: CALLER, sp: 0x11000n }) });
    expect(at(8, 0x10ff0n)).toMatchObject({ note: 'packed', registers: regs({ pc: CALLER, sp: 0x11000n }) });
    expect(at(0x18, 0x10ff0n)).toMatchObject({ note: 'packed epilog', registers: regs({ pc: CALLER, sp: 0x11000n }) });
    expect(at(0x1c, 0x11000n, CALLER)).toMatchObject({ note: 'packed epilog', registers: regs({ pc: CALLER, sp: 0x11000n }) });
  });
  test('a fragment (Flag 2) has no prolog: every code applies at its first instruction', () => {
    const { stack, ctx } = setup([CODE_RVA, packed({ len: 0x40, cr: 1, frame: 16, flag: 2 })]);
    stack.set(0x10ff0n, CALLER);
    expect(unwindArm64(regs({ pc: BASE + BigInt(CODE_RVA), sp: 0x10ff0n, lr: 1n }), ctx)).toMatchObject({ registers: regs({ pc: CALLER, sp: 0x11000n }) });
  });
});

describe('walkStack (arm64)', () => {
  test('leaf context frame (no .pdata): PC = LR, SP unchanged; then the fp/lr chain; PAC bits stripped', () => {
    const { mod, stack, memory } = setup([CODE_RVA + 0x100, packed({ len: 0x20, cr: 1, frame: 16 })]);
    // Frame 1 (the caller, in caller.exe: no unwind data) has a frame record at fp.
    const fp = 0x10800n;
    stack.set(fp, 0n);
    stack.set(fp + 8n, 0x0012000000000000n | 0x7ff600001234n); // a PAC-signed return address
    callerImage.set([0x00, 0x00, 0x00, 0x94], 0x1230);
    const r = walkStack({ arch: 'arm64', context: regs({ pc: BASE + BigInt(CODE_RVA + 8), sp: 0x10400n, fp, lr: CALLER }), memory, moduleAt: modulesAt(mod, callerModule) });
    expect(r.frames.map((f) => [f.instruction, f.trust])).toEqual([
      [BASE + BigInt(CODE_RVA + 8), 'context'],
      [CALLER, 'cfi'],
      [CALLER, 'frame_pointer'],
    ]);
    expect(r.frames[1].registers.get('sp')).toBe(0x10400n);
    expect(r.frames[2].registers.get('sp')).toBe(fp + 16n);
  });
  test('scanning finds a return address after a BL', () => {
    const { mod, stack, memory } = setup([]);
    stack.set(0x10430n, CALLER);
    const r = walkStack({ arch: 'arm64', context: regs({ pc: BASE + BigInt(CODE_RVA + 8), sp: 0x10400n, fp: 0n }), memory, moduleAt: modulesAt(mod, callerModule) });
    expect(r.frames.map((f) => [f.instruction, f.trust])).toEqual([
      [BASE + BigInt(CODE_RVA + 8), 'context'],
      [CALLER, 'scan'],
    ]);
  });
});
