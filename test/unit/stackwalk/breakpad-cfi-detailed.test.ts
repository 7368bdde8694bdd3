/**
 * detailedStackCfiRecords (lib/breakpad/stack-cfi-detailed.ts) against the .pdata unwinder: for
 * every RUNTIME_FUNCTION of the x64 fixtures and corpus images and every point of its prolog
 * (its start and after each prolog instruction), a context frame there over a
 * stack whose every slot holds a distinct value is unwound once from .pdata and once from the
 * detailed STACK CFI of a .sym-only module: the caller's RIP, RSP and every callee-saved register
 * the .pdata unwind recovered must be equal (the distinct slot values make a wrong CFA or save
 * offset visible). Entries with a frame register get RBP = RSP + the frame offset once set.
 */
import * as path from 'path';
import { detailedStackCfiRecords } from '../../../lib/breakpad';
import { parseBreakpadSymbols } from '../../../lib/formats/breakpad';
import { PeImage } from '../../../lib/formats/pe';
import { breakpadWalkInfo, walkStack, WalkModule } from '../../../lib/stackwalk';
import { moduleUnwind, readUnwindInfoAt } from '../../../lib/stackwalk/internal';
import { corpusPath, haveCorpus } from '../../helpers/corpus';
import { FakeMemory, FakeStack, modulesAt, regs } from './fake';
import { FIXTURES, mapImage } from './pe-module';

const SAVED = ['rbx', 'rbp', 'rsi', 'rdi', 'r12', 'r13', 'r14', 'r15'];
const IMAGES: Array<[string, string]> = [
  ...['basic', 'cppfeatures', 'locals', 'types'].map((n): [string, string] => [`${n}-x64.exe`, path.join(FIXTURES, `${n}-x64.exe`)]),
  ...(haveCorpus
    ? [
        'google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest64.exe',
        'getsentry_symbolic/symbolic-testutils/fixtures/windows/CrashWithException.exe',
        'mstange_samply/fixtures/win64-ci/softokn3.dll',
        'mozilla_dump_syms/test_data/windows/basic-opt64.dll',
        'mstange_samply/fixtures/win64-ci/WriteArgument.exe',
      ].map((f): [string, string] => [path.basename(f), corpusPath(f)])
    : []),
];

/** ret, pop r64, add rsp: the first instruction of an epilog. */
function startsEpilog(image: Uint8Array, at: number): boolean {
  const b = image[at];
  const rex = b === 0x41 ? image[at + 1] : -1;
  return b === 0xc3 || b === 0xc2 || (b >= 0x58 && b <= 0x5f) || (rex >= 0x58 && rex <= 0x5f) || (b === 0x48 && (image[at + 1] === 0x83 || image[at + 1] === 0x81) && image[at + 2] === 0xc4);
}

describe.each(IMAGES)('%s: detailed STACK CFI = .pdata at every prolog step', (_n, file) => {
  test('caller registers equal', () => {
    const { module, pe, image } = mapImage(file);
    const base = pe.imageBase;
    const img = PeImage.open(file);
    let lines: string[];
    try {
      lines = [...detailedStackCfiRecords(img)];
    } finally {
      img.close();
    }
    const syms = parseBreakpadSymbols(`MODULE windows x86_64 0 x.pdb\n${lines.join('\n')}\n`);
    const symOnly: WalkModule = { name: 'sym', base, size: pe.sizeOfImage, readRva: () => undefined, ...breakpadWalkInfo(syms) };
    // Every 8-byte slot holds a distinct address inside the image (a plausible return address).
    const top = 0x7ff000000n;
    const stack = new FakeStack(top, 0x20000, 8);
    for (let k = 0; k < 0x20000 / 8; k++) stack.set(top + BigInt(k * 8), base + 0x1000n + BigInt((k * 8) % (pe.sizeOfImage - 0x1000)));
    const memory = new FakeMemory().add(top, stack.data);
    const table = moduleUnwind(module).x64!;
    let checked = 0;
    let chained = 0;
    let epilogs = 0;
    for (let i = 0; i < table.count; i++) {
      const rf = table.at(i);
      if (rf.unwindInfo & 1) continue;
      const info = readUnwindInfoAt(module, rf.unwindInfo);
      if (info.codes.some((c) => c.op === 10)) continue; // machine frames: dump_syms' form
      if (info.chained) chained++;
      // The start and the end of each prolog instruction (v2 EPILOG codes hold epilog offsets).
      const points = new Set([0, ...info.codes.filter((c) => c.op !== 6 && c.op !== 7).map((c) => c.codeOffset)]);
      for (const o of points) {
        const rip = base + BigInt(rf.begin + o);
        if (rf.begin + o >= rf.end) continue;
        // Code that is an epilog (a chained fragment holding a function's `ret` or pops): the
        // .pdata unwinder emulates it from the bytes; STACK CFI, like dump_syms', describes the
        // body only.
        if (o === info.sizeOfProlog && startsEpilog(image, rf.begin + o)) {
          epilogs++;
          continue;
        }
        const rsp = top + 0x8000n;
        const ctx = regs({ rip, rsp, rax: 1n, rcx: 2n, rdx: 3n, rbx: 4n, rbp: 5n, rsi: 6n, rdi: 7n, r12: 8n, r13: 9n, r14: 10n, r15: 11n });
        // A frame register set by this point holds RSP + its offset.
        const fp = info.codes.find((c) => c.op === 3 && (info.chained ? true : c.codeOffset <= o));
        if (fp) ctx.set(['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'][info.frameRegister], rsp + BigInt(info.frameOffset));
        const a = walkStack({ arch: 'amd64', context: ctx, memory, moduleAt: modulesAt(module), maxFrames: 2 });
        const b = walkStack({ arch: 'amd64', context: ctx, memory, moduleAt: modulesAt(symOnly), maxFrames: 2 });
        if (a.frames.length < 2 || a.frames[1].trust !== 'cfi') continue;
        const pick = (r: Map<string, bigint>) => Object.fromEntries(['rip', 'rsp', ...SAVED.filter((n) => a.frames[1].registers.has(n))].map((n) => [n, r.get(n)]));
        expect({ at: `${rf.begin.toString(16)}+${o}`, ...pick(b.frames[1]?.registers ?? new Map()) }).toEqual({ at: `${rf.begin.toString(16)}+${o}`, ...pick(a.frames[1].registers) });
        expect(b.frames[1].trust).toBe('cfi');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);

    if (process.env.STACKREC_COUNTS) console.log(file, { checked, chained, epilogs });
  });
});
