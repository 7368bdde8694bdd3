/**
 * The walker over Breakpad STACK CFI rules (breakpad-cfi.ts, cfi-expression.ts,
 * breakpadWalkInfo): the postfix evaluator, hand-written rule sets (x64, arm64, x86), and
 * synthetic x64 stacks through every usable function of the fixture images walked twice: from
 * the image's .pdata, and from the STACK CFI records dumpSyms writes for the image with the
 * image unreadable (a .sym-only module): the frames must be the same.
 */
import * as path from 'path';
import { stackCfiRecords } from '../../../lib/breakpad';
import { parseBreakpadSymbols } from '../../../lib/formats/breakpad';
import { PeImage } from '../../../lib/formats/pe';
import { breakpadWalkInfo, evaluateCfiExpression, walkStack, WalkModule } from '../../../lib/stackwalk';
import { moduleUnwind, readUnwindInfoAt } from '../../../lib/stackwalk/internal';
import { FakeMemory, FakeStack, modulesAt, regs } from './fake';
import { FIXTURES, mapImage } from './pe-module';
import { corpusPath, haveCorpus } from '../../helpers/corpus';

const env = (vars: Record<string, bigint>, mem: Record<string, bigint> = {}, wordSize: 4 | 8 = 8) => ({
  wordSize,
  vars: new Map(Object.entries(vars)),
  readWord: (a: bigint) => mem[a.toString(16)],
});

describe('evaluateCfiExpression', () => {
  test.each([
    ['$rsp 8 +', 0x1008n],
    ['$rsp -16 +', 0xff0n],
    ['$rsp 0x10 -', 0xff0n],
    ['$rsp 3 * 2 /', 0x1800n],
    ['$rsp 7 %', 0x1000n % 7n],
    ['$rsp 5 + 16 @', 0x1000n],
    ['.cfa 8 - ^', 0xabcn],
  ])('%s', (expr, want) => {
    expect(evaluateCfiExpression(expr, env({ $rsp: 0x1000n, '.cfa': 0x1010n }, { '1008': 0xabcn }))).toEqual({ ok: true, value: want });
  });
  test('wraps at the word size', () => {
    expect(evaluateCfiExpression('$esp 8 -', env({ $esp: 4n }, {}, 4))).toEqual({ ok: true, value: 0xfffffffcn });
    expect(evaluateCfiExpression('$rsp 8 -', env({ $rsp: 4n }))).toEqual({ ok: true, value: 0xfffffffffffffffcn });
  });
  test.each([
    ['', 'syntax'],
    ['$rsp +', 'syntax'],
    ['$rsp 8', 'syntax'],
    ['$rsp 0 /', 'divide-by-zero'],
    ['$rsp 0 %', 'divide-by-zero'],
    ['$rbx 8 +', 'undefined-variable'],
    ['$rsp ^', 'memory'],
    ['^', 'syntax'],
    ['$rsp 8 + =', 'syntax'],
    ['$rsp 8 ! +', 'syntax'],
  ])('"%s" fails (%s)', (expr, reason) => {
    const r = evaluateCfiExpression(expr, env({ $rsp: 0x1000n }));
    expect(r.ok ? 'ok' : r.reason).toBe(reason);
  });
  test('bounded', () => {
    const r = evaluateCfiExpression(Array(5000).fill('1').join(' '), env({}));
    expect(r.ok).toBe(false);
  });
});

/** A module with no readable image whose unwind data is the STACK CFI text. */
function symModule(name: string, base: bigint, size: number, stackLines: string[]): WalkModule {
  const syms = parseBreakpadSymbols(`MODULE windows x86_64 0 ${name}\n${stackLines.join('\n')}\n`);
  return { name, base, size, readRva: () => undefined, ...breakpadWalkInfo(syms) };
}

describe('hand-written rules', () => {
  test('x64: .cfa/.ra and a saved register; unwritten callee-saved registers kept', () => {
    const m = symModule('a.dll', 0x10000n, 0x1000, ['STACK CFI INIT 100 40 .cfa: $rsp 8 + .ra: .cfa 8 - ^', 'STACK CFI 101 .cfa: $rsp 16 + $rbx: .cfa 16 - ^', 'STACK CFI 105 .cfa: $rsp 48 +']);
    const stack = new FakeStack(0x8000n, 0x100, 8);
    // rip 0x10120 (past both deltas): CFA = rsp + 48; [CFA-8] = return address; [CFA-16] = rbx.
    stack.set(0x8000n + 48n - 8n, 0x10300n);
    stack.set(0x8000n + 48n - 16n, 0x1234n);
    const r = walkStack({
      arch: 'amd64',
      context: regs({ rip: 0x10120n, rsp: 0x8000n, rbx: 7n, r12: 9n, rax: 1n }),
      memory: new FakeMemory().add(stack.top, stack.data),
      moduleAt: modulesAt(m),
      maxFrames: 2,
    });
    expect(r.frames[1].trust).toBe('cfi');
    expect(Object.fromEntries(r.frames[1].registers)).toEqual({ rip: 0x10300n, rsp: 0x8030n, rbx: 0x1234n, r12: 9n });
    // At 0x10101 only the first delta applies: CFA = rsp + 16.
    stack.set(0x8000n + 8n, 0x10310n);
    const r2 = walkStack({ arch: 'amd64', context: regs({ rip: 0x10101n, rsp: 0x8000n }), memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(m), maxFrames: 2 });
    expect(r2.frames[1].registers.get('rip')).toBe(0x10310n);
    expect(r2.frames[1].registers.get('rsp')).toBe(0x8010n);
  });

  test('caller frames look the rules up at the return address - 1', () => {
    // The return address 0x10140 is one past the function [0x100, 0x140): its rules still apply.
    const m = symModule('a.dll', 0x10000n, 0x1000, ['STACK CFI INIT 100 40 .cfa: $rsp 8 + .ra: .cfa 8 - ^', 'STACK CFI INIT 200 10 .cfa: $rsp 8 + .ra: .cfa 8 - ^', 'STACK CFI 200 .cfa: $rsp 24 +']);
    const stack = new FakeStack(0x8000n, 0x100, 8);
    stack.set(0x8010n, 0x10140n); // [CFA-8] of the 0x200 frame (CFA = rsp + 24)
    stack.set(0x8018n, 0x10ff0n); // the 0x100 frame: CFA = 0x8020, [CFA-8]
    const r = walkStack({ arch: 'amd64', context: regs({ rip: 0x10205n, rsp: 0x8000n }), memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(m), maxFrames: 3 });
    expect(r.frames.map((f) => [f.instruction, f.registers.get('rsp'), f.trust])).toEqual([
      [0x10205n, 0x8000n, 'context'],
      [0x10140n, 0x8018n, 'cfi'],
      [0x10ff0n, 0x8020n, 'cfi'],
    ]);
  });

  test('arm64 register names (sp, x29, x30)', () => {
    const m = symModule('a.dll', 0x10000n, 0x1000, ['STACK CFI INIT 100 40 .cfa: sp 0 + .ra: x30', 'STACK CFI 104 .cfa: sp 16 + x29: .cfa -16 + ^ .ra: .cfa -8 + ^']);
    const stack = new FakeStack(0x8000n, 0x100, 8);
    stack.set(0x8000n, 0x9999n);
    stack.set(0x8008n, 0x10400n);
    const r = walkStack({
      arch: 'arm64',
      context: regs({ pc: 0x10110n, sp: 0x8000n, fp: 0x8000n, lr: 0x10500n, x19: 3n }),
      memory: new FakeMemory().add(stack.top, stack.data),
      moduleAt: modulesAt(m),
      maxFrames: 2,
    });
    expect(Object.fromEntries(r.frames[1].registers)).toEqual({ pc: 0x10400n, sp: 0x8010n, fp: 0x9999n, x19: 3n });
    expect(r.frames[1].trust).toBe('cfi');
  });

  test('x86 STACK CFI (32-bit words)', () => {
    const m = symModule('a.dll', 0x10000n, 0x1000, ['STACK CFI INIT 100 40 .cfa: $esp 4 + .ra: .cfa 4 - ^', 'STACK CFI 101 .cfa: $esp 8 + $ebp: .cfa 8 - ^']);
    const stack = new FakeStack(0x8000n, 0x100, 4);
    stack.set(0x8000n, 0x7777n);
    stack.set(0x8004n, 0x10400n);
    const r = walkStack({ arch: 'x86', context: regs({ eip: 0x10110n, esp: 0x8000n, ebp: 0x8000n }), memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(m), maxFrames: 2 });
    expect(Object.fromEntries(r.frames[1].registers)).toEqual({ eip: 0x10400n, esp: 0x8008n, ebp: 0x7777n });
  });

  test('a return address of 0 ends the walk; unreadable memory and bad rules fall through', () => {
    const stack = new FakeStack(0x8000n, 0x100, 8);
    const ok = symModule('a.dll', 0x10000n, 0x1000, ['STACK CFI INIT 100 40 .cfa: $rsp 8 + .ra: .cfa 8 - ^']);
    const r = walkStack({ arch: 'amd64', context: regs({ rip: 0x10110n, rsp: 0x8000n }), memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(ok) });
    expect(r.frames.length).toBe(1);
    expect(r.truncated).toBeUndefined();
    const noMem = walkStack({ arch: 'amd64', context: regs({ rip: 0x10110n, rsp: 0x9000n }), memory: new FakeMemory(), moduleAt: modulesAt(ok) });
    expect(noMem.frames.length).toBe(1);
    expect(noMem.detail).toMatch(/cfi: .*\.ra: .*no word at 0x9000/);
    for (const bad of ['.cfa: $rsp 8 + .ra: $zzz', '.cfa: $rsp + .ra: .cfa 8 - ^', '.cfa: $rsp 0 / .ra: 1', '.ra: .cfa 8 - ^', '$rbx: 1']) {
      const m = symModule('a.dll', 0x10000n, 0x1000, [`STACK CFI INIT 100 40 ${bad}`]);
      const w = walkStack({ arch: 'amd64', context: regs({ rip: 0x10110n, rsp: 0x8000n }), memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(m) });
      expect(w.frames.length).toBe(1);
      expect(w.truncated).toBe('bad-unwind-info');
    }
  });

  test('a throwing cfiRules is a failed method, not a throw', () => {
    const m: WalkModule = {
      name: 'x',
      base: 0x10000n,
      size: 0x1000,
      readRva: () => undefined,
      cfiRules: () => {
        throw new Error('boom');
      },
    };
    const r = walkStack({ arch: 'amd64', context: regs({ rip: 0x10110n, rsp: 0x8000n }), memory: new FakeMemory(), moduleAt: modulesAt(m) });
    expect(r.detail).toMatch(/boom/);
  });
});

const CORPUS_X64 = [
  'google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest64.exe',
  'getsentry_symbolic/symbolic-testutils/fixtures/windows/CrashWithException.exe',
  'mozilla_dump_syms/test_data/windows/basic64.dll',
  'mstange_samply/fixtures/win64-ci/softokn3.dll',
];
const X64_IMAGES: Array<[string, string, number]> = [
  // (cppfeatures-x64 and inline-x64 call only leaf functions and imports: no usable chain.)
  ...['basic', 'locals', 'types'].map((n): [string, string, number] => [`${n}-x64.exe`, path.join(FIXTURES, `${n}-x64.exe`), 1]),
  ...(haveCorpus ? CORPUS_X64.map((f): [string, string, number] => [path.basename(f), corpusPath(f), 10]) : []),
];

describe.each(X64_IMAGES)('%s: .pdata walk = STACK CFI walk', (_name, file, atLeast) => {
  test('synthetic stack through every usable function', () => {
    const { module, image, pe } = mapImage(file);
    const base = pe.imageBase;
    const peFile = PeImage.open(file);
    let lines: string[];
    try {
      lines = [...stackCfiRecords(peFile)];
    } finally {
      peFile.close();
    }
    const table = moduleUnwind(module).x64!;
    // Usable: plain unwind data (no chain, frame register or machine frame) and a call after the prolog.
    const usable: Array<{ site: number; frame: number }> = [];
    for (let i = 0; i < table.count; i++) {
      const rf = table.at(i);
      if (rf.unwindInfo & 1) continue;
      const info = readUnwindInfoAt(module, rf.unwindInfo);
      if (info.chained || info.frameRegister || info.codes.some((c) => c.op >= 6)) continue;
      let frame = 8;
      for (const c of info.codes) frame += c.op === 0 ? 8 : c.op === 1 || c.op === 2 ? c.value : 0;
      for (let p = rf.begin + info.sizeOfProlog; p + 5 <= rf.end; p++) {
        // A real call: E8 rel32 whose target is a function's first byte.
        const target = p + 5 + new DataView(image.buffer, image.byteOffset + p + 1, 4).getInt32(0, true);
        if (image[p] === 0xe8 && table.find(target)?.begin === target) {
          if (p + 5 < rf.end) usable.push({ site: p + 5, frame });
          break;
        }
      }
    }
    expect(usable.length).toBeGreaterThanOrEqual(atLeast);
    const stack = new FakeStack(0x7ff000000n, 0x800000, 8);
    let rsp = 0x7ff7fff00n;
    stack.set(rsp, 0n); // the outermost function returns to 0: the stack's end
    const entry: bigint[] = [];
    // Outermost first: each function entered (rsp at its return address), its prolog's
    // pushes and allocation (filled with a marker), then the call into the next one.
    usable.forEach((f, i) => {
      entry.push(rsp);
      rsp -= BigInt(f.frame - 8);
      for (let a = rsp; a < entry[i]; a += 8n) stack.set(a, 0x5a5a5a5an);
      if (i + 1 < usable.length) {
        rsp -= 8n;
        stack.set(rsp, base + BigInt(f.site));
      }
    });
    const n = usable.length;
    const want = usable.map((_, k) => [base + BigInt(usable[n - 1 - k].site), k === 0 ? rsp : entry[n - k] + 8n, k === 0 ? 'context' : 'cfi']);
    const context = regs({ rip: want[0][0] as bigint, rsp });
    const memory = new FakeMemory().add(stack.top, stack.data);
    const rows = (w: ReturnType<typeof walkStack>) => w.frames.map((f) => [f.instruction, f.registers.get('rsp'), f.trust]);
    const pdata = walkStack({ arch: 'amd64', context, memory, moduleAt: modulesAt(module), maxFrames: 100000 });
    expect(rows(pdata)).toEqual(want);
    const symOnly = symModule(path.basename(file), base, pe.sizeOfImage, lines);
    const cfi = walkStack({ arch: 'amd64', context, memory, moduleAt: modulesAt(symOnly), maxFrames: 100000 });
    expect(rows(cfi)).toEqual(want);
    expect(cfi.truncated).toBeUndefined();
  });
});
