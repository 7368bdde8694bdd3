/**
 * Walks of synthetic stacks through the fixture images (x64, ARM64, x86 with the PDB's FRAMEDATA). The stack is built by running each
 * function's prolog forward (decoded from its code bytes here, independently of the unwind
 * data) from mainCRTStartup down to file_local_square, calls pushing (x64) or putting in LR
 * (arm64) the return address after the real call instruction. The walk must recover every return
 * address, stack pointer and saved register from .pdata alone; the portable SymbolHandler names
 * each frame (at instruction - 1 for callers).
 */
import * as path from 'path';
import { SymbolHandler } from '../../../lib';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { PeImage } from '../../../lib/formats/pe';
import { arm64OpsAt, arm64UnwindInfoSize, readArm64UnwindInfo } from '../../../lib/formats/pe/arm64-unwind-info';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { imageWalkModule, pdbX86FrameInfo, walkStack, WalkArch, WalkModule } from '../../../lib/stackwalk';
import { moduleUnwind, packedOps, readUnwindInfoAt } from '../../../lib/stackwalk/internal';
import { corpusPath, haveCorpus } from '../../helpers/corpus';
import { FakeMemory, FakeStack, modulesAt } from './fake';
import { FIXTURES, mapImage } from './pe-module';

const CHAIN = ['mainCRTStartup', 'chain_a', 'chain_b', 'chain_c', 'file_local_square'];
const X64_REGS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

interface Machine {
  regs: Map<string, bigint>;
  stack: FakeStack;
}

/** Runs an x64 prolog (push r / sub rsp, imm) from `at`; returns its length. */
function runX64Prolog(code: Uint8Array, at: number, m: Machine, tag: number): number {
  let p = at;
  const rsp = () => m.regs.get('rsp')!;
  const saved: string[] = [];
  for (;;) {
    const b = code[p];
    if (b >= 0x50 && b <= 0x57) {
      const r = X64_REGS[b - 0x50];
      saved.push(r);
      m.regs.set('rsp', rsp() - 8n);
      m.stack.set(rsp(), m.regs.get(r)!);
      p += 1;
    } else if (b === 0x41 && code[p + 1] >= 0x50 && code[p + 1] <= 0x57) {
      const r = X64_REGS[code[p + 1] - 0x50 + 8];
      saved.push(r);
      m.regs.set('rsp', rsp() - 8n);
      m.stack.set(rsp(), m.regs.get(r)!);
      p += 2;
    } else if ((b === 0x48 || b === 0x4c) && code[p + 1] === 0x89 && (code[p + 2] & 0xc7) === 0x44 && code[p + 3] === 0x24) {
      // mov [rsp+disp8], r64 (MSVC saves into the home area: UWOP_SAVE_NONVOL)
      const r = X64_REGS[((code[p + 2] >> 3) & 7) + (b === 0x4c ? 8 : 0)];
      saved.push(r);
      m.stack.set(rsp() + BigInt(code[p + 4]), m.regs.get(r)!);
      p += 5;
    } else if (b === 0x48 && code[p + 1] === 0x8d && code[p + 2] === 0x6c && code[p + 3] === 0x24) {
      // lea rbp, [rsp+disp8] (UWOP_SET_FPREG)
      m.regs.set('rbp', rsp() + BigInt(code[p + 4]));
      p += 5;
      continue;
    } else if (b === 0x48 && code[p + 1] === 0x83 && code[p + 2] === 0xec) {
      m.regs.set('rsp', rsp() - BigInt(code[p + 3]));
      p += 4;
    } else if (b === 0x48 && code[p + 1] === 0x81 && code[p + 2] === 0xec) {
      m.regs.set('rsp', rsp() - BigInt(new DataView(code.buffer, code.byteOffset + p + 3, 4).getUint32(0, true)));
      p += 7;
    } else break;
  }
  // The function body may now use the registers it saved: give them new values.
  for (const r of saved) if (!(r === 'rbp' && fpSet(code, at, p))) m.regs.set(r, BigInt(tag * 0x100 + X64_REGS.indexOf(r)));
  return p - at;
}

/** Did the prolog [at, end) set RBP as a frame pointer (lea rbp, [rsp+n])? */
function fpSet(code: Uint8Array, at: number, end: number): boolean {
  for (let p = at; p + 3 < end; p++) if (code[p] === 0x48 && code[p + 1] === 0x8d && code[p + 2] === 0x6c && code[p + 3] === 0x24) return true;
  return false;
}

/** Scratch stack for running a prolog only to measure it. */
const probeStack = new FakeStack(0n, 0x10000, 8);

const word = (code: Uint8Array, p: number) => new DataView(code.buffer, code.byteOffset + p, 4).getUint32(0, true);
const armReg = (n: number) => (n === 29 ? 'fp' : n === 30 ? 'lr' : `x${n}`);

/** Runs an ARM64 prolog (str/stp pre-indexed or offset, sub sp, mov fp, sp) from `at`; returns its length. */
function runArm64Prolog(code: Uint8Array, at: number, m: Machine, tag: number): number {
  let p = at;
  const sp = () => m.regs.get('sp')!;
  const saved = new Set<string>();
  const store = (r: number, a: bigint) => {
    saved.add(armReg(r));
    m.stack.set(a, m.regs.get(armReg(r)) ?? 0n);
  };
  for (;;) {
    const w = word(code, p);
    const sext = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);
    if (w === 0xd503237f) {
      // pacibsp: signs LR (the simulation keeps it plain)
    } else if ((w & 0xffe00c00) >>> 0 === 0xf8000c00 && ((w >> 5) & 31) === 31) {
      m.regs.set('sp', sp() + BigInt(sext((w >> 12) & 0x1ff, 9)));
      store(w & 31, sp());
    } else if ((w & 0xffc00000) >>> 0 === 0xa9800000 && ((w >> 5) & 31) === 31) {
      m.regs.set('sp', sp() + BigInt(sext((w >> 15) & 0x7f, 7) * 8));
      store(w & 31, sp());
      store((w >> 10) & 31, sp() + 8n);
    } else if ((w & 0xffc00000) >>> 0 === 0xa9000000 && ((w >> 5) & 31) === 31) {
      const off = BigInt(sext((w >> 15) & 0x7f, 7) * 8);
      store(w & 31, sp() + off);
      store((w >> 10) & 31, sp() + off + 8n);
    } else if ((w & 0xffc00000) >>> 0 === 0xf9000000 && ((w >> 5) & 31) === 31) {
      store(w & 31, sp() + BigInt(((w >> 10) & 0xfff) * 8));
    } else if ((w & 0xff8003ff) >>> 0 === 0xd10003ff) {
      m.regs.set('sp', sp() - BigInt(((w >> 10) & 0xfff) << ((w >> 22) & 1 ? 12 : 0)));
    } else if ((w & 0xffc003ff) >>> 0 === 0x910003fd) {
      m.regs.set('fp', sp() + BigInt((w >> 10) & 0xfff));
    } else break;
    p += 4;
  }
  for (const r of saved) if (r !== 'lr' && r !== 'fp') m.regs.set(r, BigInt(tag * 0x100 + Number(r.slice(1))));
  return p - at;
}

/** The return address after the call from `caller` to `callee` (E8 rel32 / BL). */
function callSite(arch: WalkArch, image: Uint8Array, caller: { rva: number; size: number }, callee: number): number {
  for (let p = caller.rva; p < caller.rva + caller.size; p += arch === 'arm64' ? 4 : 1) {
    if (arch === 'amd64' && image[p] === 0xe8 && p + 5 + new DataView(image.buffer, p + 1, 4).getInt32(0, true) === callee) return p + 5;
    if (arch === 'arm64') {
      const w = word(image, p);
      if ((w & 0xfc000000) >>> 0 === 0x94000000 && p + ((w << 6) >> 6) * 4 === callee) return p + 4;
    }
  }
  throw new Error(`no call to RVA 0x${callee.toString(16)} in the function at 0x${caller.rva.toString(16)}`);
}

describe.each([
  ['basic-x64.exe', 'amd64'],
  ['basic-arm64.exe', 'arm64'],
] as const)('%s: synthetic stack through the noinline chain', (file, arch) => {
  test('every frame recovered from .pdata, named by the PDB', async () => {
    const { image, pe } = mapImage(path.join(FIXTURES, file));
    const base = pe.imageBase;
    // The walker reads the image file through imageWalkModule, as a dump handler would.
    const peFile = PeImage.open(path.join(FIXTURES, file));
    const module = imageWalkModule(peFile, base);
    const sym = SymbolHandler.initialize({});
    try {
      await sym.loadModule(path.join(FIXTURES, file), { baseAddress: base });
      const fns = CHAIN.map((n) => {
        const s = sym.fromName(n);
        if (!s) throw new Error(`${n} not in the PDB`);
        return { name: n, rva: Number(s.address - base), size: s.size };
      });
      const stack = new FakeStack(0x7ff000000n, 0x4000, 8);
      const sp = arch === 'amd64' ? 'rsp' : 'sp';
      const m: Machine = { regs: new Map([[sp, 0x7ff003f00n]]), stack };
      if (arch === 'arm64') {
        m.regs.set('lr', 0n);
        m.regs.set('fp', 0n);
      } else for (const r of X64_REGS) if (r !== 'rsp') m.regs.set(r, 0n);
      // Per caller: the return address, and its SP and registers when it made the call.
      const expected: Array<{ ip: bigint; sp: bigint; saved: Map<string, bigint> }> = [];
      // mainCRTStartup is entered with a return address of 0: the stack's end.
      if (arch === 'amd64') {
        m.regs.set('rsp', m.regs.get('rsp')! - 8n);
        stack.set(m.regs.get('rsp')!, 0n);
      }
      let pc = 0n;
      for (let i = 0; i < fns.length; i++) {
        const f = fns[i];
        const len = arch === 'amd64' ? runX64Prolog(image, f.rva, m, i + 1) : runArm64Prolog(image, f.rva, m, i + 1);
        if (i + 1 < fns.length) {
          const ret = base + BigInt(callSite(arch, image, f, fns[i + 1].rva));
          if (arch === 'amd64') {
            m.regs.set('rsp', m.regs.get('rsp')! - 8n);
            stack.set(m.regs.get('rsp')!, ret);
          } else m.regs.set('lr', ret);
          expected.push({ ip: ret, sp: m.regs.get(sp)!, saved: new Map(m.regs) });
        } else pc = base + BigInt(f.rva + len);
      }
      const context = new Map(m.regs);
      context.set(arch === 'amd64' ? 'rip' : 'pc', pc);
      const r = walkStack({ arch, context, memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(module) });
      expect(r.truncated).toBeUndefined();
      const ips = [pc, ...expected.map((e) => e.ip).reverse()];
      expect(r.frames.map((f) => f.instruction)).toEqual(ips);
      expect(r.frames.map((f) => f.trust)).toEqual(['context', 'cfi', 'cfi', 'cfi', 'cfi']);
      const names = r.frames.map((f, i) => sym.fromAddr(i === 0 ? f.instruction : f.instruction - 1n)?.symbol.name);
      expect(names).toEqual([...CHAIN].reverse());
      // Callee-saved registers in each caller frame are what that caller had when it made the call.
      const savedNames = arch === 'amd64' ? ['rbx', 'rbp', 'rsi', 'rdi', 'r12', 'r13', 'r14', 'r15'] : ['x19', 'x20', 'x21', 'x22', 'fp'];
      for (let i = 1; i < r.frames.length; i++) {
        const want = expected[expected.length - i].saved;
        // An x64 call pushed the return address: the caller's RSP is 8 above where it points.
        expect(r.frames[i].registers.get(sp)).toBe(expected[expected.length - i].sp + (arch === 'amd64' ? 8n : 0n));
        for (const n of savedNames) {
          const got = r.frames[i].registers.get(n);
          if (got !== undefined) expect({ frame: i, reg: n, v: got }).toEqual({ frame: i, reg: n, v: want.get(n) });
        }
      }
      expect(r.frames.every((f) => f.module === module)).toBe(true);
    } finally {
      sym.cleanup();
      peFile.close();
    }
  });
});

/**
 * Many frames through every function of the x64 fixtures (and corpus images with their PDB)
 * that makes a call and whose prolog the decoder above reads in full (its length equals the
 * UNWIND_INFO's SizeOfProlog): push, sub rsp, mov [rsp+n] saves, lea rbp frames. The frames
 * are not a real call graph: each caller's return address is its first call site; the unwinder
 * only needs the stack each prolog built.
 */

const x64Images: Array<[string, string, string | undefined]> = [
  ...['basic'].map((n): [string, string, string | undefined] => [`${n}-x64.exe`, path.join(FIXTURES, `${n}-x64.exe`), undefined]),
  ...(haveCorpus
    ? (['WriteArgument.exe', 'softokn3.dll'].map((n) => [
        n,
        corpusPath(`mstange_samply/fixtures/win64-ci/${n}`),
        corpusPath(`mstange_samply/fixtures/win64-ci/${n.replace(/\.(exe|dll)$/, '.pdb')}`),
      ]) as Array<[string, string, string]>)
    : []),
];

describe.each(x64Images)('%s: deep synthetic stacks', (_n, file, pdbPath) => {
  test('every usable function as a frame; all recovered by cfi', async () => {
    const { module, image, pe } = mapImage(file);
    const base = pe.imageBase;
    const sym = SymbolHandler.initialize({});
    try {
      await sym.loadModule(file, { baseAddress: base, ...(pdbPath ? { pdbPath } : {}) });
      const table = moduleUnwind(module).x64!;
      const usable: Array<{ name: string; rva: number; site: number }> = [];
      for (const s of sym.enumSymbols({ base, mask: '*' })) {
        if (s.tag !== 5 || s.size === 0) continue;
        const rva = Number(s.address - base);
        const rf = table.find(rva);
        if (!rf || rf.begin !== rva) continue;
        const info = readUnwindInfoAt(module, rf.unwindInfo);
        if (info.chained || info.codes.some((c) => c.op >= 6)) continue;
        const probe: Machine = { regs: new Map(X64_REGS.map((r) => [r, 0x5000n])), stack: probeStack };
        if (runX64Prolog(image, rva, probe, 0) !== info.sizeOfProlog) continue;
        let site = -1;
        for (let p = rva + info.sizeOfProlog; p + 5 <= rva + s.size; p++) {
          // A real call: E8 rel32 whose target is a function's first byte.
          const target = p + 5 + new DataView(image.buffer, image.byteOffset + p + 1, 4).getInt32(0, true);
          if (image[p] === 0xe8 && table.find(target)?.begin === target) {
            site = p + 5;
            break;
          }
        }
        if (site > 0 && site < rva + s.size) usable.push({ name: s.name, rva, site });
      }
      expect(usable.length).toBeGreaterThanOrEqual(3);
      const chain = usable;
      const stack = new FakeStack(0x7ff000000n, 0x400000, 8);
      const m: Machine = { regs: new Map(X64_REGS.map((r) => [r, 0n])), stack };
      m.regs.set('rsp', 0x7ff3fff00n - 8n);
      stack.set(m.regs.get('rsp')!, 0n);
      const calls: Array<{ ip: bigint; sp: bigint; regs: Map<string, bigint> }> = [];
      let pc = 0n;
      chain.forEach((f, i) => {
        const len = runX64Prolog(image, f.rva, m, i + 1);
        if (i + 1 < chain.length) {
          calls.push({ ip: base + BigInt(f.site), sp: m.regs.get('rsp')!, regs: new Map(m.regs) });
          m.regs.set('rsp', m.regs.get('rsp')! - 8n);
          stack.set(m.regs.get('rsp')!, base + BigInt(f.site));
        } else pc = base + BigInt(f.rva + len);
      });
      const context = new Map(m.regs);
      context.set('rip', pc);
      const r = walkStack({ arch: 'amd64', context, memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(module) });
      expect(r.truncated).toBeUndefined();
      if (r.frames.length !== chain.length) {
        const k = r.frames.length - 1;
        const f = chain[chain.length - 1 - k];
        throw new Error(`stopped at frame ${k} in ${f.name} (rva 0x${f.rva.toString(16)}, site 0x${f.site.toString(16)}): ${r.detail}`);
      }
      const want = calls.reverse();
      let checked = 0;
      r.frames.slice(1).forEach((f, i) => {
        expect({ i, ip: f.instruction, trust: f.trust, rsp: f.registers.get('rsp') }).toEqual({ i, ip: want[i].ip, trust: 'cfi', rsp: want[i].sp });
        for (const n of ['rbx', 'rbp', 'rsi', 'rdi', 'r12', 'r13', 'r14', 'r15']) {
          expect({ i, n, v: f.registers.get(n) }).toEqual({ i, n, v: want[i].regs.get(n) });
          checked++;
        }
      });
      expect(checked).toBeGreaterThan(0);
      expect(r.frames.slice(1).map((f) => sym.fromAddr(f.instruction - 1n)?.symbol.name)).toEqual(
        chain
          .slice(0, -1)
          .map((f) => f.name)
          .reverse(),
      );
    } finally {
      sym.cleanup();
    }
  });
});

/**
 * The same for ARM64: every function of the image whose prolog the decoder above reads in full
 * (as many instructions as the .pdata/.xdata prolog has codes) and that makes a BL to another
 * function's start, stacked one on another, unwound from .pdata alone (packed and unpacked
 * entries, PAC-signing prologs). test.exe is MSVC's (no PDB here: frames are checked by address).
 */

const arm64Images: Array<[string, string]> = [
  ['basic-arm64.exe', path.join(FIXTURES, 'basic-arm64.exe')],
  ...(haveCorpus ? ([['arm64/test.exe', corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/arm64/test.exe')]] as Array<[string, string]>) : []),
];

describe.each(arm64Images)('%s: deep synthetic ARM64 stacks', (_n, file) => {
  test('every usable function as a frame; all recovered by cfi', () => {
    const { module, image, pe } = mapImage(file);
    const base = pe.imageBase;
    const table = moduleUnwind(module).arm64!;
    const starts = new Set<number>();
    for (let i = 0; i < table.count; i++) starts.add(table.at(i).begin);
    const usable: Array<{ rva: number; site: number; len: number }> = [];
    for (let i = 0; i < table.count; i++) {
      const f = table.at(i);
      let prolog;
      let length;
      if (f.packed) {
        if (f.packed.fragment || f.packed.homesParameters) continue;
        prolog = packedOps(f.packed).prolog;
        length = f.packed.functionLength;
      } else {
        const head = module.readRva(f.xdata!, 8)!;
        const info = readArm64UnwindInfo(Cursor.of(module.readRva(f.xdata!, arm64UnwindInfoSize(Cursor.of(head, 'x')))!, 'x'));
        prolog = arm64OpsAt(info, 0);
        length = info.functionLength;
      }
      const n = prolog.filter((o) => o.kind !== 'end').length;
      const probe: Machine = { regs: new Map([['sp', 0x8000n]]), stack: probeStack };
      if (runArm64Prolog(image, f.begin, probe, 0) !== n * 4) continue;
      for (let p = f.begin + n * 4; p + 4 <= f.begin + length; p += 4) {
        const w = word(image, p);
        if ((w & 0xfc000000) >>> 0 === 0x94000000 && starts.has(p + ((w << 6) >> 6) * 4)) {
          usable.push({ rva: f.begin, site: p + 4, len: n * 4 });
          break;
        }
      }
    }
    expect(usable.length).toBeGreaterThanOrEqual(3);
    const chain = usable;
    const stack = new FakeStack(0x7ff000000n, 0x400000, 8);
    const m: Machine = {
      regs: new Map([
        ['sp', 0x7ff3fff00n],
        ['lr', 0n],
        ['fp', 0n],
      ]),
      stack,
    };
    for (let i = 19; i <= 28; i++) m.regs.set(`x${i}`, 0n);
    const calls: Array<{ ip: bigint; sp: bigint; regs: Map<string, bigint> }> = [];
    let pc = 0n;
    chain.forEach((f, i) => {
      runArm64Prolog(image, f.rva, m, i + 1);
      if (i + 1 < chain.length) {
        calls.push({ ip: base + BigInt(f.site), sp: m.regs.get('sp')!, regs: new Map(m.regs) });
        m.regs.set('lr', base + BigInt(f.site));
      } else pc = base + BigInt(f.rva + f.len);
    });
    const context = new Map(m.regs);
    context.set('pc', pc);
    const r = walkStack({ arch: 'arm64', context, memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(module) });
    expect(r.truncated).toBeUndefined();
    expect(r.frames.length).toBe(chain.length);
    const want = calls.reverse();
    r.frames.slice(1).forEach((f, i) => {
      expect({ i, ip: f.instruction, trust: f.trust, sp: f.registers.get('sp') }).toEqual({ i, ip: want[i].ip, trust: 'cfi', sp: want[i].sp });
      for (const n of ['x19', 'x20', 'x21', 'x22', 'x23', 'x24', 'x25', 'x26', 'x27', 'x28', 'fp']) {
        const got = f.registers.get(n);
        if (got !== undefined) expect({ i, n, v: got }).toEqual({ i, n, v: want[i].regs.get(n) });
      }
    });
  });
});

describe('imageWalkModule', () => {
  test('reads what the loader maps: headers, sections; nothing past the file or the image', () => {
    const file = path.join(FIXTURES, 'cppfeatures-x64.exe');
    const { image, pe } = mapImage(file);
    const img = PeImage.open(file);
    try {
      const m = imageWalkModule(img, pe.imageBase);
      expect(m.size).toBe(pe.sizeOfImage);
      expect(m.readRva(0, 0x40)).toEqual(image.subarray(0, 0x40));
      for (const s of pe.sections) {
        const n = Math.min(s.sizeOfRawData, s.virtualSize, 0x100);
        expect(m.readRva(s.virtualAddress, n)).toEqual(image.subarray(s.virtualAddress, s.virtualAddress + n));
      }
      expect(m.readRva(pe.sizeOfImage - 4, 8)).toBeUndefined();
      expect(m.readRva(-1, 4)).toBeUndefined();
    } finally {
      img.close();
    }
  });
});

/** Runs an x86 prolog (push r32, sub esp, n, mov ebp, esp) from `at`; returns its length. */
function runX86Prolog(code: Uint8Array, at: number, m: Machine, tag: number): number {
  const names = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
  let p = at;
  const esp = () => m.regs.get('esp')!;
  const saved: string[] = [];
  for (;;) {
    const b = code[p];
    if (b >= 0x50 && b <= 0x57 && b !== 0x54) {
      saved.push(names[b - 0x50]);
      m.regs.set('esp', esp() - 4n);
      m.stack.set(esp(), m.regs.get(names[b - 0x50])!);
      p += 1;
    } else if (b === 0x83 && code[p + 1] === 0xec) {
      m.regs.set('esp', esp() - BigInt(code[p + 2]));
      p += 3;
    } else if (b === 0x81 && code[p + 1] === 0xec) {
      m.regs.set('esp', esp() - BigInt(new DataView(code.buffer, code.byteOffset + p + 2, 4).getUint32(0, true)));
      p += 6;
    } else if ((b === 0x89 && code[p + 1] === 0xe5) || (b === 0x8b && code[p + 1] === 0xec)) {
      m.regs.set('ebp', esp());
      p += 2;
    } else break;
  }
  for (const r of saved) if (r !== 'ebp') m.regs.set(r, BigInt(tag * 0x100 + names.indexOf(r)));
  return p - at;
}

/**
 * x86: stacks through every function of the x86 fixtures that makes a call and whose prolog the
 * decoder reads in full (its length equals the FRAMEDATA record's prolog size), each caller
 * pushing its callee's parameter bytes before the call, unwound with the PDB's frame data.
 */
describe.each(['basic', 'cppfeatures', 'locals', 'types'])('%s-x86.exe: synthetic stacks with FRAMEDATA', (name) => {
  test('every usable function as a frame; all recovered by cfi', async () => {
    const file = path.join(FIXTURES, `${name}-x86.exe`);
    const { module, image, pe } = mapImage(file);
    const base = pe.imageBase;
    const pdb = PdbFile.open(path.join(FIXTURES, `${name}-x86.pdb`));
    const sym = SymbolHandler.initialize({});
    try {
      await sym.loadModule(file, { baseAddress: base });
      const info = pdbX86FrameInfo(pdb);
      const m0: WalkModule = { ...module, x86FrameInfo: info };
      const fns = [...sym.enumSymbols({ base, mask: '*' })].filter((s) => s.tag === 5 && s.size > 0).map((s) => ({ name: s.name, rva: Number(s.address - base), size: s.size }));
      const starts = new Set(fns.map((f) => f.rva));
      const usable: Array<{ name: string; rva: number; site: number; len: number; callee: number }> = [];
      for (const f of fns) {
        const fi = info(f.rva);
        if (!fi || fi.rvaStart !== f.rva) continue;
        const probe: Machine = { regs: new Map(['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'].map((r) => [r, 0x5000n])), stack: probeStack };
        const len = runX86Prolog(image, f.rva, probe, 0);
        if (len !== fi.prologSize) continue;
        for (let p = f.rva + len; p + 5 <= f.rva + f.size; p++) {
          const target = p + 5 + new DataView(image.buffer, image.byteOffset + p + 1, 4).getInt32(0, true);
          if (image[p] === 0xe8 && starts.has(target) && info(target)?.rvaStart === target) {
            usable.push({ name: f.name, rva: f.rva, site: p + 5, len, callee: target });
            break;
          }
        }
      }
      expect(usable.length).toBeGreaterThanOrEqual(2);
      const chain = usable;
      const stack = new FakeStack(0x100000n, 0x40000, 4);
      const m: Machine = { regs: new Map(['eax', 'ecx', 'edx', 'ebx', 'ebp', 'esi', 'edi'].map((r) => [r, 0n])), stack };
      m.regs.set('esp', 0x13ff00n - 4n);
      stack.set(m.regs.get('esp')!, 0n);
      const calls: Array<{ ip: bigint; esp: bigint; regs: Map<string, bigint> }> = [];
      let pc = 0n;
      chain.forEach((f, i) => {
        runX86Prolog(image, f.rva, m, i + 1);
        if (i + 1 < chain.length) {
          // The caller pushes the next function's parameters, then the call pushes the return address.
          const params = info(chain[i + 1].rva)!.paramsSize;
          m.regs.set('esp', m.regs.get('esp')! - BigInt(params));
          calls.push({ ip: base + BigInt(f.site), esp: m.regs.get('esp')!, regs: new Map(m.regs) });
          m.regs.set('esp', m.regs.get('esp')! - 4n);
          stack.set(m.regs.get('esp')!, base + BigInt(f.site));
        } else pc = base + BigInt(f.rva + f.len);
      });
      const context = new Map(m.regs);
      context.set('eip', pc);
      const r = walkStack({ arch: 'x86', context, memory: new FakeMemory().add(stack.top, stack.data), moduleAt: modulesAt(m0) });
      expect(r.truncated).toBeUndefined();
      expect(r.frames.length).toBe(chain.length);
      const want = calls.reverse();
      r.frames.slice(1).forEach((f, i) => {
        // The program's $esp is the caller's ESP before it pops the callee's parameters (cdecl).
        expect({ i, ip: f.instruction, trust: f.trust, esp: f.registers.get('esp') }).toEqual({ i, ip: want[i].ip, trust: 'cfi', esp: want[i].esp });
        for (const n of ['ebx', 'esi', 'edi', 'ebp']) {
          const got = f.registers.get(n);
          if (got !== undefined) expect({ i, n, v: got }).toEqual({ i, n, v: want[i].regs.get(n) });
        }
      });
      expect(r.frames.slice(1).map((f) => sym.fromAddr(f.instruction - 1n)?.symbol.name)).toEqual(
        chain
          .slice(0, -1)
          .map((f) => f.name)
          .reverse(),
      );
    } finally {
      sym.cleanup();
      pdb.close();
    }
  });
});
