/** Return-address recognition (the call instruction before it) and stack scanning. */
import { isReturnAddress, walkStack, WalkArch } from '../../../lib/stackwalk';
import { scanForReturnAddress } from '../../../lib/stackwalk/scan';
import { FakeMemory, FakeStack, imageModule, modulesAt, regs } from './fake';

function codeModule(bytes: number[], at = 0x100) {
  const img = new Uint8Array(0x1000).fill(0xcc);
  img.set(bytes, at);
  return imageModule(img, 0x400000n, 'code.dll');
}
const ctxOf = (arch: WalkArch, m = codeModule([])) => ({ arch, memory: new FakeMemory(), moduleAt: modulesAt(m) });

describe('isReturnAddress (x86/amd64)', () => {
  test.each([
    ['call rel32', [0xe8, 1, 2, 3, 4]],
    ['call eax', [0xff, 0xd0]],
    ['call r11 (REX)', [0x41, 0xff, 0xd3]],
    ['call [ecx]', [0xff, 0x11]],
    ['call [esp+eax*4] (sib)', [0xff, 0x14, 0x84]],
    ['call [rip+disp32]', [0xff, 0x15, 1, 2, 3, 4]],
    ['call [eax+disp8]', [0xff, 0x50, 0x10]],
    ['call [esp+disp8] (sib)', [0xff, 0x54, 0x24, 0x10]],
    ['call [eax+disp32]', [0xff, 0x90, 1, 2, 3, 4]],
    ['call [esp+disp32] (sib)', [0xff, 0x94, 0x24, 1, 2, 3, 4]],
  ])('%s', (_n, bytes) => {
    const m = codeModule(bytes);
    for (const arch of ['x86', 'amd64'] as const) expect(isReturnAddress(ctxOf(arch, m), 0x400100n + BigInt(bytes.length))).toBe(true);
  });
  test.each([
    ['jmp rel32', [0xe9, 1, 2, 3, 4]],
    ['jmp eax (FF /4)', [0xff, 0xe0]],
    ['FF 15 without its disp32', [0xff, 0x15]],
    ['int3 padding', [0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc]],
  ])('not after %s', (_n, bytes) => {
    expect(isReturnAddress(ctxOf('amd64', codeModule(bytes)), 0x400100n + BigInt(bytes.length))).toBe(false);
  });
  test('outside every module, or in the first bytes of one', () => {
    expect(isReturnAddress(ctxOf('amd64'), 0x900000n)).toBe(false);
    expect(isReturnAddress(ctxOf('amd64', codeModule([0xe8, 0, 0, 0, 0], 0)), 0x400005n)).toBe(false);
  });
});

describe('without code bytes (a dump without module code, no image file)', () => {
  test.each(['x86', 'amd64', 'arm64'] as const)('%s: inside a module is accepted, outside is not', (arch) => {
    const m = { name: 'nocode.dll', base: 0x400000n, size: 0x1000, readRva: () => undefined };
    const ctx = { arch, memory: new FakeMemory(), moduleAt: modulesAt(m) };
    expect(isReturnAddress(ctx, 0x400100n)).toBe(true);
    expect(isReturnAddress(ctx, 0x500100n)).toBe(false);
  });
});

describe('isReturnAddress (arm64)', () => {
  const le = (w: number) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24];
  test.each([
    ['bl', 0x97fffff7],
    ['blr x8', 0xd63f0100],
    ['blraa x8, x9', 0xd73f0909],
    ['blraaz x8', 0xd63f091f],
  ])('after %s', (_n, w) => {
    expect(isReturnAddress(ctxOf('arm64', codeModule(le(w))), 0x400104n)).toBe(true);
  });
  test.each([
    ['b', 0x17fffff7],
    ['br x8', 0xd61f0100],
    ['ret', 0xd65f03c0],
  ])('not after %s', (_n, w) => {
    expect(isReturnAddress(ctxOf('arm64', codeModule(le(w))), 0x400104n)).toBe(false);
  });
  test('misaligned addresses are never return addresses', () => {
    expect(isReturnAddress(ctxOf('arm64', codeModule(le(0x97fffff7))), 0x400105n)).toBe(false);
  });
});

describe('scanForReturnAddress', () => {
  test('the first candidate within the window; none past it', () => {
    const m = codeModule([0xe8, 0, 0, 0, 0]);
    const s = new FakeStack(0x1000n, 0x200);
    s.set(0x1000n, 0x400100n); // not after a call
    s.set(0x1008n, 0x12345n); // not in a module
    s.set(0x1010n, 0x400105n);
    const ctx = { arch: 'amd64' as const, memory: new FakeMemory().add(s.top, s.data), moduleAt: modulesAt(m) };
    expect(scanForReturnAddress(ctx, 0x1000n, 8)).toEqual({ slot: 0x1010n, returnAddress: 0x400105n });
    expect(scanForReturnAddress(ctx, 0x1000n, 2)).toBeUndefined();
    expect(scanForReturnAddress(ctx, 0x11f8n, 8)).toBeUndefined(); // runs off the readable stack
  });
});

describe('a context frame outside every module (a call through a bad pointer)', () => {
  test.each([
    ['amd64', 8],
    ['x86', 4],
  ] as const)("%s: the return address at the top of the stack is found first, not the frame pointer's", (arch, word) => {
    const m = codeModule([0xe8, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0]);
    const s = new FakeStack(0x1000n, 0x200, word);
    s.set(0x1000n, 0x400105n); // return address of the bad call
    s.set(0x1100n, 0x1180n); // an EBP/RBP frame further up, returning elsewhere
    s.set(0x1100n + BigInt(word), 0x40010an);
    const [ip, sp, bp] = arch === 'amd64' ? ['rip', 'rsp', 'rbp'] : ['eip', 'esp', 'ebp'];
    const r = walkStack({ arch, context: regs({ [ip]: 0n, [sp]: 0x1000n, [bp]: 0x1100n }), memory: new FakeMemory().add(s.top, s.data), moduleAt: modulesAt(m) });
    expect(r.frames.slice(0, 2).map((f) => [f.instruction, f.trust])).toEqual([
      [0n, 'context'],
      [0x400105n, 'scan'],
    ]);
  });
  test('arm64: returns through LR', () => {
    const m = codeModule([0, 0, 0, 0x94]);
    const r = walkStack({ arch: 'arm64', context: regs({ pc: 0x10n, sp: 0x1000n, lr: 0x400104n, fp: 0n }), memory: new FakeMemory(), moduleAt: modulesAt(m) });
    expect(r.frames.map((f) => [f.instruction, f.trust])).toEqual([
      [0x10n, 'context'],
      [0x400104n, 'cfi'],
    ]);
  });
});
