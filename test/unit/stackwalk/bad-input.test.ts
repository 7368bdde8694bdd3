/**
 * Bad data never throws past walkStack and never hangs: corrupted and truncated .pdata/.xdata of
 * real images (fixtures, corpus x64 DLLs), random stacks, throwing readers, cyclic chains.
 * Every walk must end (frames within the cap) with any failure reported in `truncated`/`detail`.
 */
import * as path from 'path';
import { DbgHelpError } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { arm64OpsAt, readArm64UnwindInfo } from '../../../lib/formats/pe/arm64-unwind-info';
import { readUnwindInfo, UNWIND_INFO_MAX_SIZE } from '../../../lib/formats/pe/unwind-info';
import { runFrameProgram } from '../../../lib/formats/pdb/frame-program';
import { walkStack, WalkArch, WalkModule } from '../../../lib/stackwalk';
import { moduleUnwind } from '../../../lib/stackwalk/internal';
import { corpusPath, haveCorpus } from '../../helpers/corpus';
import { corruptions, rng, truncations } from '../../helpers/mutate';
import { FakeMemory, FakeStack, imageModule, modulesAt, regs } from './fake';
import { FIXTURES, mapImage } from './pe-module';

const images: Array<[string, string, WalkArch]> = [
  ['basic-x64.exe', path.join(FIXTURES, 'basic-x64.exe'), 'amd64'],
  ['cppfeatures-x64.exe', path.join(FIXTURES, 'cppfeatures-x64.exe'), 'amd64'],
  ['basic-arm64.exe', path.join(FIXTURES, 'basic-arm64.exe'), 'arm64'],
  ['cppfeatures-arm64.exe', path.join(FIXTURES, 'cppfeatures-arm64.exe'), 'arm64'],
  ...(haveCorpus ? ([['softokn3.dll', corpusPath('mstange_samply/fixtures/win64-ci/softokn3.dll'), 'amd64']] as Array<[string, string, WalkArch]>) : []),
];

/** A stack of random words, a third of them addresses inside the image. */
function randomStack(seed: number, base: bigint, size: number, word: 4 | 8): FakeStack {
  const r = rng(seed);
  const s = new FakeStack(0x100000n, 0x4000, word);
  for (let a = s.top; a < s.top + BigInt(s.size); a += BigInt(word)) {
    const p = r();
    s.set(a, p < 0.33 ? base + BigInt(Math.floor(r() * size)) : p < 0.5 ? s.top + BigInt(Math.floor(r() * s.size)) : BigInt(Math.floor(r() * 0xffffffff)));
  }
  return s;
}

/** Context points: starts, middles and ends of the functions the table lists (or spread RVAs). */
function contextRvas(m: WalkModule, count: number): number[] {
  const u = moduleUnwind(m);
  const out: number[] = [];
  const n = u.x64?.count ?? u.arm64?.count ?? 0;
  for (let i = 0; i < n && out.length < count; i += Math.max(1, Math.floor(n / count))) {
    const b = u.x64 ? u.x64.at(i).begin : u.arm64!.at(i).begin;
    out.push(b, b + 4, b + 0x11);
  }
  return out;
}

function walkAll(m: WalkModule, arch: WalkArch, seed: number, rvas: number[]) {
  const stack = randomStack(seed, m.base, m.size, arch === 'x86' ? 4 : 8);
  const memory = new FakeMemory().add(stack.top, stack.data);
  let frames = 0;
  const t0 = Date.now();
  for (const rva of rvas) {
    const ip = arch === 'amd64' ? 'rip' : 'pc';
    const sp = arch === 'amd64' ? 'rsp' : 'sp';
    const ctx = regs({ [ip]: m.base + BigInt(rva), [sp]: stack.top + 0x100n, ...(arch === 'arm64' ? { fp: stack.top + 0x200n, lr: m.base + BigInt(rva + 8) } : { rbp: stack.top + 0x200n }) });
    const r = walkStack({ arch, context: ctx, memory, moduleAt: modulesAt(m), maxFrames: 256 });
    expect(r.frames.length).toBeGreaterThanOrEqual(1);
    expect(r.frames.length).toBeLessThanOrEqual(256);
    for (let i = 1; i < r.frames.length; i++) {
      const a = r.frames[i - 1].registers.get(sp)!;
      const b = r.frames[i].registers.get(sp)!;
      expect(b >= a).toBe(true);
    }
    frames += r.frames.length;
  }
  return { frames, ms: Date.now() - t0 };
}

describe.each(images)('%s', (_n, file, arch) => {
  const mapped = mapImage(file);
  const rvas = contextRvas(mapped.module, 40);

  test('random stacks: every walk ends, stack pointers never go down', () => {
    expect(rvas.length).toBeGreaterThan(3);
    const { frames, ms } = walkAll(mapped.module, arch, 7, rvas);
    expect(frames).toBeGreaterThan(rvas.length);
    expect(ms).toBeLessThan(20000);
  });

  test('corrupted .pdata and unwind data: no exception, bounded', () => {
    const dir = (() => {
      const t = moduleUnwind(mapped.module);
      const count = t.x64?.count ?? t.arm64!.count;
      return count;
    })();
    expect(dir).toBeGreaterThan(0);
    // The exception directory and everything after .text that holds unwind data: corrupt the
    // whole image except the headers: 24 copies with 256 bytes each overwritten.
    for (const [k, img] of corruptions(mapped.image, 24, 256, 11, 0x400, mapped.image.length).entries()) {
      const m = imageModule(img, mapped.module.base, `corrupt-${k}`);
      walkAll(m, arch, k, rvas.slice(0, 30));
    }
  });

  test('image cut short (a dump holding part of the module): no exception', () => {
    for (const cut of [0x40, 0x200, 0x1000, 0x2000, mapped.image.length >> 1]) {
      const part = mapped.image.subarray(0, cut);
      const m: WalkModule = { ...mapped.module, name: `cut-${cut}`, readRva: (rva, size) => (rva + size <= part.length ? part.subarray(rva, rva + size) : undefined) };
      walkAll(m, arch, cut, rvas.slice(0, 20));
    }
  });

  test('readers that throw are treated as unreadable', () => {
    const m: WalkModule = {
      ...mapped.module,
      name: 'throws',
      readRva: () => {
        throw new Error('boom');
      },
    };
    const memory = {
      read: () => {
        throw new RangeError('boom');
      },
    };
    const ip = arch === 'amd64' ? 'rip' : 'pc';
    const sp = arch === 'amd64' ? 'rsp' : 'sp';
    const r = walkStack({ arch, context: regs({ [ip]: m.base + 0x1000n, [sp]: 0x1000n }), memory, moduleAt: () => m });
    expect(r.frames.length).toBe(1);
    const thrower = walkStack({
      arch,
      context: regs({ [ip]: m.base + 0x1000n, [sp]: 0x1000n }),
      memory: new FakeMemory(),
      moduleAt: () => {
        throw new Error('x');
      },
    });
    expect(thrower.frames.length).toBe(1);
  });
});

describe('cyclic and self-referencing unwind data in the corpus', () => {
  (haveCorpus ? test : test.skip)('cfi_chained_loop.exe: a RUNTIME_FUNCTION chained to itself stops the walk, reported', () => {
    // Its SizeOfImage is 0x400 but its one RUNTIME_FUNCTION covers [0x1000, 0x2000): map it larger.
    const { image, pe } = mapImage(corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/cfi_chained_loop.exe'));
    const big = new Uint8Array(0x3000);
    big.set(image);
    const module = imageModule(big, pe.imageBase, 'cfi_chained_loop.exe');
    const stack = new FakeStack(0x100000n, 0x1000);
    const t0 = Date.now();
    const r = walkStack({ arch: 'amd64', context: regs({ rip: module.base + 0x1010n, rsp: 0x100100n }), memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(module) });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.frames.length).toBe(1);
    expect(r.truncated).toBe('bad-unwind-info');
    expect(r.detail).toMatch(/chained unwind info deeper than 32/);
  });
});

describe('frame cap', () => {
  test.each([NaN, Infinity, -5, 0, 2.7])('maxFrames %p is sanitised (default, or at least 1)', (maxFrames) => {
    const img = new Uint8Array(0x4000).fill(0xe8);
    const m = imageModule(img, 0x400000n, 'calls.dll');
    const stack = new FakeStack(0x100000n, 0x10000);
    for (let a = stack.top; a < stack.top + 0x10000n; a += 8n) stack.set(a, 0x401005n);
    const r = walkStack({ arch: 'amd64', context: regs({ rip: 0x401005n, rsp: stack.top }), memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(m), maxFrames });
    expect(r.frames.length).toBe(Number.isFinite(maxFrames) ? Math.max(1, Math.floor(maxFrames)) : 1024);
    expect(r.truncated).toBe('frame-cap');
  });
  test('a stack of return addresses to a leaf stops at maxFrames, reported', () => {
    // Every word is a return address into a module whose code is all `call rel32`.
    const img = new Uint8Array(0x4000).fill(0xe8);
    const m = imageModule(img, 0x400000n, 'calls.dll');
    const stack = new FakeStack(0x100000n, 0x10000);
    for (let a = stack.top; a < stack.top + 0x10000n; a += 8n) stack.set(a, 0x401005n);
    const r = walkStack({ arch: 'amd64', context: regs({ rip: 0x401005n, rsp: stack.top }), memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(m), maxFrames: 500 });
    expect(r.frames.length).toBe(500);
    expect(r.truncated).toBe('frame-cap');
    expect(r.frames.slice(1).every((f) => f.trust === 'scan')).toBe(true);
  });
});

/** Each parser on truncated and corrupted copies of real records: a value or BAD_FORMAT with an offset. */
describe('parsers on truncated and corrupted real records', () => {
  const expectBadFormatOrValue = (fn: () => unknown, what: string) => {
    try {
      fn();
    } catch (e) {
      const ok = e instanceof DbgHelpError && e.code === 'BAD_FORMAT' && /at offset 0x[0-9a-f]+/.test(e.message);
      if (!ok) throw new Error(`${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
  };
  const x64 = [path.join(FIXTURES, 'cppfeatures-x64.exe'), ...(haveCorpus ? [corpusPath('mstange_samply/fixtures/win64-ci/softokn3.dll')] : [])];
  test.each(x64)('UNWIND_INFO of %s', (file) => {
    const { module } = mapImage(file);
    const t = moduleUnwind(module).x64!;
    let n = 0;
    for (let i = 0; i < t.count; i += t.count > 100 ? 3 : 1) {
      const f = t.at(i);
      const full = module.readRva(f.unwindInfo, Math.min(UNWIND_INFO_MAX_SIZE, module.size - f.unwindInfo))!;
      for (const cut of truncations(full, 2, 40)) expectBadFormatOrValue(() => readUnwindInfo(Cursor.of(cut, 'u', f.unwindInfo)), `${file} #${i} cut ${cut.length}`);
      for (const bad of corruptions(full.subarray(0, 40), 4, 3, i)) expectBadFormatOrValue(() => readUnwindInfo(Cursor.of(bad, 'u', f.unwindInfo)), `${file} #${i} corrupt`);
      n++;
    }
    expect(n).toBeGreaterThan(0);
  });
  const arm = [path.join(FIXTURES, 'cppfeatures-arm64.exe'), ...(haveCorpus ? [corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/arm64/test.exe')] : [])];
  test.each(arm)('.xdata of %s', (file) => {
    const { module } = mapImage(file);
    const t = moduleUnwind(module).arm64!;
    let n = 0;
    for (let i = 0; i < t.count; i++) {
      const f = t.at(i);
      if (f.xdata === undefined) continue;
      const full = module.readRva(f.xdata, 64)!;
      const parse = (b: Uint8Array) => {
        const info = readArm64UnwindInfo(Cursor.of(b, 'x', f.xdata!));
        arm64OpsAt(info, 0);
        for (const e of info.epilogs) arm64OpsAt(info, e.codeIndex);
      };
      for (const cut of truncations(full, 1, 48)) expectBadFormatOrValue(() => parse(cut), `${file} #${i} cut ${cut.length}`);
      for (const bad of corruptions(full, 4, 4, i, 0, 48)) expectBadFormatOrValue(() => parse(bad), `${file} #${i} corrupt`);
      n++;
    }
    expect(n).toBeGreaterThan(0);
  });
  test('frame programs with tokens dropped, swapped and mangled never throw', () => {
    const programs = [
      '$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + = $20 $T0 16 - ^ =',
      '$T1 .raSearch = $T0  $T1 4 - 8 @ = $ebp $T1 4 - ^ = $eip $T1 ^ = $esp $T1 4 + =',
      '$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =',
    ];
    const r = rng(5);
    let failures = 0;
    for (let k = 0; k < 2000; k++) {
      const toks = programs[k % 3].split(' ');
      const i = Math.floor(r() * toks.length);
      const j = Math.floor(r() * toks.length);
      const pick = r();
      if (pick < 0.3) toks.splice(i, 1);
      else if (pick < 0.6) [toks[i], toks[j]] = [toks[j], toks[i]];
      else toks[i] = ['^', '=', '/', '%', '@', '0', '$T9', '=$eip', '4294967295', '-1', '$'][Math.floor(r() * 11)];
      const res = runFrameProgram(toks.join(' '), {
        vars: new Map([
          ['$ebp', 0x1000],
          ['$esp', 0x1000],
          ['.raSearch', 0x1000],
        ]),
        readU32: (a) => (a >= 0x800 && a < 0x2000 ? a : undefined),
      });
      if (!res.ok) failures++;
    }
    expect(failures).toBeGreaterThan(100);
  });
});
