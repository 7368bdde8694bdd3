/**
 * x86: the FRAMEDATA program evaluator, the PDB's frame data against breakpad's DIA-made STACK WIN
 * lines (crash.pdb, basic32.pdb), every corpus program evaluated, and walks of synthetic stacks
 * through crash.exe's real call sites.
 */
import * as fs from 'fs';
import { runFrameProgram } from '../../../lib/formats/pdb/frame-program';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { isReturnAddress, pdbX86FrameInfo, pdbX86FrameTables, walkStack, WalkModule, X86FrameInfo } from '../../../lib/stackwalk';
import { programFor } from '../../../lib/stackwalk/internal';
import { corpusPath, describeCorpus } from '../../helpers/corpus';
import { FakeMemory, FakeStack, modulesAt, regs } from './fake';
import { mapImage } from './pe-module';

const words = (o: Record<number, number>) => (a: number) => o[a];

describe('frame program evaluator', () => {
  const run = (p: string, vars: Record<string, number>, mem: Record<number, number> = {}) => runFrameProgram(p, { vars: new Map(Object.entries(vars)), readU32: words(mem) });
  test('the standard FPO program', () => {
    const r = run('$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + = $20 $T0 16 - ^ =', { '.raSearch': 0x1000, $esp: 0xff0 }, { 0x1000: 0x401234, 0xff0: 0x77 });
    expect(r.ok && [...r.vars].filter(([k]) => k.startsWith('$'))).toEqual([
      ['$esp', 0x1004],
      ['$T0', 0x1000],
      ['$eip', 0x401234],
      ['$ebx', 0x77],
    ]);
  });
  test('operators: + - * / % @ on unsigned 32-bit values', () => {
    const r = run('$a 7 3 - = $b 0 1 - = $c 65536 65536 * 5 + = $d 17 5 / = $e 17 5 % = $f 4103 8 @ = $g 0x10 1 + =', {});
    expect(r.ok && Object.fromEntries(r.vars)).toEqual({ $a: 4, $b: 0xffffffff, $c: 5, $d: 3, $e: 2, $f: 4096, $g: 17 });
  });
  test('an aligned frame (basic32: $T1 .raSearch = $T0 $T1 4 - 8 @ = ...)', () => {
    const r = run('$T1 .raSearch = $T0  $T1 4 - 8 @ = $ebp $T1 4 - ^ = $eip $T1 ^ = $esp $T1 4 + =', { '.raSearch': 0x100c }, { 0x1008: 0xeb, 0x100c: 0x401000 });
    expect(r.ok && [r.vars.get('$T0'), r.vars.get('$ebp'), r.vars.get('$eip'), r.vars.get('$esp')]).toEqual([0x1008, 0xeb, 0x401000, 0x1010]);
  });
  test.each([
    ['$esp ^', 'syntax', /values left/],
    ['=', 'syntax', /stack underflow/],
    ['$esp =', 'syntax', /without a \$variable/],
    ['$eip $T9 =', 'undefined-variable', /\$T9/],
    ['$eip 1 0 / =', 'divide-by-zero', /division by 0/],
    ['$eip 1 0 % =', 'divide-by-zero', /remainder by 0/],
    ['$eip 64 ^ =', 'memory', /cannot read the word at 0x40/],
    ['$eip 1 & =', 'syntax', /bad token '&'/],
    ['1 2 =', 'syntax', /without a \$variable/],
    ['.raSearch 2 =', 'syntax', /without a \$variable/],
  ])('%s fails (%s), never throws', (p, reason, detail) => {
    const r = run(p, { $esp: 0x1000 }, { 0x1000: 5 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.detail).toMatch(detail);
    }
  });
  test('a program over the token cap is refused', () => {
    expect(run('1 '.repeat(5000), {})).toMatchObject({ ok: false, reason: 'syntax' });
  });
});

/** STACK WIN lines of a breakpad .sym: type 4 (FRAMEDATA) and 0 (FPO). */
function stackWin(sym: string) {
  return fs
    .readFileSync(sym, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('STACK WIN '))
    .map((l) => {
      const f = l.split(' ');
      const n = (i: number) => parseInt(f[i], 16);
      return {
        type: n(2),
        rva: n(3),
        codeSize: n(4),
        prolog: n(5),
        params: n(7),
        savedRegs: n(8),
        locals: n(9),
        maxStack: n(10),
        hasProgram: f[11] === '1',
        rest: f.slice(12).join(' ').trim().replace(/\s+/g, ' '),
      };
    });
}

const norm = (p: string | undefined) => (p ?? '').trim().replace(/\s+/g, ' ');

describeCorpus('x86 frame data from PDBs vs breakpad STACK WIN (DIA)', () => {
  const cases = [
    ['crash.pdb', 'getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.pdb', 'getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.sym', 152],
    ['basic32.pdb', 'derived/mozilla_dump_syms/test_data/windows/basic32.pdb', 'mozilla_dump_syms/test_data/windows/basic32.old.sym', 4972],
  ] as const;
  test.each(cases)('%s: every FRAMEDATA record, its program, and every FPO record', (_n, pdbPath, symPath, framedata) => {
    const pdb = PdbFile.open(corpusPath(pdbPath));
    try {
      const tables = pdbX86FrameTables(pdb);
      const lines = stackWin(corpusPath(symPath));
      expect(lines.filter((l) => l.type === 4).length).toBe(framedata);
      let programs = 0;
      for (const l of lines) {
        const got = l.type === 4 ? tables.frameData(l.rva) : tables.fpo(l.rva);
        const want: Partial<X86FrameInfo> = {
          kind: l.type === 4 ? 'framedata' : 'fpo',
          rvaStart: l.rva,
          codeSize: l.codeSize,
          prologSize: l.prolog,
          paramsSize: l.params,
          savedRegsSize: l.savedRegs,
          localsSize: l.locals,
        };
        expect({ rva: l.rva, ...got, program: undefined }).toMatchObject({ rva: l.rva, ...want });
        if (l.type === 4) {
          expect({ rva: l.rva, program: norm(got?.program) }).toEqual({ rva: l.rva, program: l.rest });
          expect(got?.maxStackSize).toBe(l.maxStack);
          programs++;
        } else expect(got?.allocatesBasePointer).toBe(l.rest === '1');
      }
      expect(programs).toBe(framedata);
    } finally {
      pdb.close();
    }
  });
  test.each(cases)("%s: every record's program evaluates on a synthetic stack", (_n, pdbPath) => {
    const pdb = PdbFile.open(corpusPath(pdbPath));
    try {
      const lookup = pdbX86FrameInfo(pdb);
      const all = [...pdb.frameData().map((f) => f.rvaStart), ...pdb.fpo().map((f) => f.start)];
      const esp = 0x180000;
      const readU32 = (a: number) => (a >= 0x100000 && a < 0x200000 && a % 4 === 0 ? (a + 0x40) >>> 0 : undefined);
      let ok = 0;
      for (const rva of all) {
        const info = lookup(rva)!;
        const raSearch = esp + info.localsSize + info.savedRegsSize;
        const vars = new Map(
          Object.entries({
            $eip: 0x401000,
            $esp: esp,
            $ebp: esp + 0x100,
            $ebx: esp + 0x200,
            $esi: 2,
            $edi: 3,
            '.raSearch': raSearch,
            '.raSearchStart': raSearch,
            '.cbSavedRegs': info.savedRegsSize,
            '.cbLocals': info.localsSize,
            '.cbParams': info.paramsSize,
            '.cbCalleeParams': 0,
          }),
        );
        const r = runFrameProgram(programFor(info), { vars, readU32 });
        expect({ rva, ok: r.ok, detail: r.ok ? '' : r.detail }).toEqual({ rva, ok: true, detail: '' });
        if (r.ok) {
          expect(r.vars.get('$esp')! > esp).toBe(true);
          expect(r.vars.get('$eip')).toBeDefined();
          ok++;
        }
      }
      expect(ok).toBe(all.length);
      expect(ok).toBeGreaterThan(100);
    } finally {
      pdb.close();
    }
  });
});

describeCorpus('x86 walks through crash.exe', () => {
  const exe = 'getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.exe';
  const pdbPath = 'getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.pdb';

  /** Return addresses after `call rel32` in crash.exe whose function has a standard FRAMEDATA program. */
  function callSites(m: WalkModule, image: Uint8Array, info: (rva: number) => X86FrameInfo | undefined) {
    const out: number[] = [];
    for (let rva = 0x1000; rva + 5 < 0x8000 && out.length < 40; rva++) {
      if (image[rva] !== 0xe8) continue;
      const ret = rva + 5;
      const fi = info(ret);
      if (
        fi?.kind === 'framedata' &&
        fi.program?.startsWith('$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + =') &&
        isReturnAddress({ arch: 'x86', memory: new FakeMemory(), moduleAt: modulesAt(m) }, m.base + BigInt(ret))
      )
        out.push(ret);
    }
    return out;
  }

  test('FRAMEDATA programs recover each return address, the saved registers and the stack pointers', () => {
    const pdb = PdbFile.open(corpusPath(pdbPath));
    try {
      const { module, image } = mapImage(corpusPath(exe), 0x400000n);
      const x86FrameInfo = pdbX86FrameInfo(pdb);
      const m: WalkModule = { ...module, x86FrameInfo };
      const sites = callSites(m, image, x86FrameInfo);
      expect(sites.length).toBeGreaterThan(5);
      // Frames: context in the function of sites[0] (at the return address, as after a call returned),
      // then callers at sites[1..4]. Each frame: locals + saved registers, then the return address.
      const chain = sites.slice(0, 5);
      const stack = new FakeStack(0x180000n, 0x2000, 4);
      let esp = 0x180100n;
      const wantEsp: bigint[] = [esp];
      const wantEbx: Array<bigint | undefined> = [undefined];
      for (let i = 0; i < chain.length; i++) {
        const fi = x86FrameInfo(chain[i])!;
        // The return address sits above the locals and saved registers (.raSearch).
        const retSlot = esp + BigInt(fi.localsSize + fi.savedRegsSize);
        stack.set(retSlot, i + 1 < chain.length ? 0x400000n + BigInt(chain[i + 1]) : 0n);
        // Saved EBX where `$20 $T0 n - ^ =` says it is.
        const m20 = fi.program!.match(/\$20 \$T0 (\d+) - \^ =/);
        if (m20) stack.set(retSlot - BigInt(m20[1]), BigInt(0xe0 + i));
        wantEbx.push(m20 ? BigInt(0xe0 + i) : wantEbx[i]);
        // The caller's ESP is just above the return address (the callee pops its parameters: stdcall
        // frames have paramsSize bytes more, which the next frame's .cbCalleeParams accounts for).
        esp = retSlot + 4n;
        wantEsp.push(esp);
        esp += BigInt(fi.paramsSize);
      }
      const r = walkStack({ arch: 'x86', context: regs({ eip: 0x400000n + BigInt(chain[0]), esp: 0x180100n, ebp: 0n }), memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(m) });
      expect(r.truncated).toBeUndefined();
      expect(r.frames.map((f) => f.instruction)).toEqual(chain.map((s) => 0x400000n + BigInt(s)));
      expect(r.frames.map((f) => f.trust)).toEqual(['context', 'cfi', 'cfi', 'cfi', 'cfi']);
      expect(r.frames.map((f) => f.registers.get('esp'))).toEqual(wantEsp.slice(0, chain.length));
      expect(r.frames.slice(1).map((f) => f.registers.get('ebx'))).toEqual(wantEbx.slice(1, chain.length));
      expect(wantEbx.some((v) => v !== undefined)).toBe(true);
    } finally {
      pdb.close();
    }
  });

  test('without frame data: the EBP chain, then scanning', () => {
    const { module, image } = mapImage(corpusPath(exe), 0x400000n);
    const pdb = PdbFile.open(corpusPath(pdbPath));
    const sites = callSites(module, image, pdbX86FrameInfo(pdb));
    pdb.close();
    const stack = new FakeStack(0x180000n, 0x1000, 4);
    // Frame 0 has an EBP frame at 0x180200: [ebp] = 0x180300, [ebp+4] = sites[1].
    stack.set(0x180200n, 0x180300n);
    stack.set(0x180204n, 0x400000n + BigInt(sites[1]));
    // Frame 1's [ebp] is 0 (not a frame): found by scanning above esp 0x180208.
    stack.set(0x180300n, 0n);
    stack.set(0x180304n, 0x12345n); // not in a module: not a frame
    stack.set(0x180240n, 0x400000n + BigInt(sites[2]));
    const r = walkStack({
      arch: 'x86',
      context: regs({ eip: 0x400000n + BigInt(sites[0]), esp: 0x180100n, ebp: 0x180200n }),
      memory: new FakeMemory().add(stack.top, stack.data),
      moduleAt: modulesAt(module),
    });
    expect(r.frames.map((f) => [f.instruction - 0x400000n, f.trust])).toEqual([
      [BigInt(sites[0]), 'context'],
      [BigInt(sites[1]), 'frame_pointer'],
      [BigInt(sites[2]), 'scan'],
    ]);
    expect(r.frames[2].registers.get('esp')).toBe(0x180244n);
  });
});
