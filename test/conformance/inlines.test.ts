/**
 * Inline frames: SymAddrIncludeInlineTrace, SymQueryInlineTrace, SymFromInlineContext and
 * SymGetLineFromInlineContext on the project's fixtures, once per backend.
 *
 * The main fixture is test/fixtures/bin/inline-{x64,x86}.exe (src/inline.cpp at -O2), with
 * llvm-symbolizer's answer at every byte of .text in expected/inline-*.bytes.symbolizer.jsonl.
 * clang writes inline line programs llvm reads right, so every chain (names, files, lines) must
 * be the same as llvm's, except llvm's x86 underscore: on x86 llvm strips one leading
 * underscore from every name, inline frames included (`__underscored` shows as `_underscored`;
 * the LF_FUNC_ID in expected/inline-x86.pdbutil.txt is `__underscored`).
 *
 * Frames are walked as a DbgHelp user does (and as `dbghelp symbolize --inlines` does):
 * n = addrIncludeInlineTrace(a); ctx = queryInlineTrace(a, INIT, a, a).curContext; frame i is
 * ctx + i for i < n, innermost first; the physical frame is fromAddr / getLineFromAddr.
 * Addresses in the hand-written tests come from expected/inline-x64.pdbutil.txt (run_chain at
 * RVA 0x1000: S_INLINESITE geometry::outer [0x6, 0x60), middle [0xF, 0x54), leaf [0x1F, 0x48),
 * header_twice [0x29, 0x3C)).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BACKENDS, gapTest, KNOWN_GAPS, loadBackend, type BackendName } from './backends';
import { bare, explainDifference, sameName } from '../helpers/oracle';
import type { SymbolHandler as Handler } from '../../lib';

const FIX = path.resolve(__dirname, '..', 'fixtures');
const bin = (f: string) => path.join(FIX, 'bin', f);

interface Frame {
  name: string;
  file: string;
  line: number;
}
interface Row {
  address: number;
  /** llvm's frames, innermost first; the last is the physical one. */
  frames: Frame[];
}

function readRows(file: string): Row[] {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return lines
    .slice(1)
    .filter((r) => r.Symbol?.length && r.Symbol[0].FunctionName)
    .map((r) => ({
      address: Number(BigInt(r.Address)),
      frames: r.Symbol.map((f: { FunctionName: string; FileName: string; Line: number }) => ({ name: f.FunctionName, file: f.FileName, line: f.Line })),
    }));
}

/** The inline frames at an address, innermost first, walked the DbgHelp way. */
function inlineChain(sym: Handler, address: bigint, INIT: number): Frame[] {
  const n = sym.addrIncludeInlineTrace(address);
  if (!n) return [];
  const q = sym.queryInlineTrace({ startAddress: address, startContext: INIT, startRetAddress: address, curAddress: address })!;
  const out: Frame[] = [];
  for (let i = 0; i < n; i++) {
    const ctx = (q.curContext + i) >>> 0;
    const s = sym.fromInlineContext(address, ctx)!;
    const l = sym.getLineFromInlineContext(address, ctx);
    out.push({ name: s.symbol.name, file: l?.fileName ?? '', line: l?.lineNumber ?? 0 });
  }
  return out;
}

/** Fixture images whose llvm answers include inline frames, and the answer files. */
const ORACLES: [string, string][] = [
  ['inline-x64.exe', 'inline-x64.bytes.symbolizer.jsonl'],
  ['inline-x86.exe', 'inline-x86.bytes.symbolizer.jsonl'],
  ...fs
    .readdirSync(path.join(FIX, 'expected'))
    .filter((f) => /^(basic|cppfeatures|locals|shapes)-.*\.symbolizer\.jsonl$/.test(f))
    .map((f): [string, string] => [f.replace('.symbolizer.jsonl', '.exe'), f]),
];

describe.each(BACKENDS)('%s backend', (name: BackendName) => {
  const loaded = loadBackend(name);
  if ('error' in loaded) {
    test(`is not available on ${process.platform}: the load error says what was tried and what to do`, () => {
      expect(loaded.error).toMatchObject({ name: 'DbgHelpError', code: 'BACKEND_UNAVAILABLE' });
    });
    return;
  }
  const { SymbolHandler, SymTag, InlineFrameContext } = loaded.lib;
  const gaps = KNOWN_GAPS[name];
  const t = (title: string, fn: () => Promise<unknown>) => (gaps[title] ? test.failing(`${title} [known gap: ${gaps[title]}]`, fn) : test(title, fn));

  async function withModule<T>(image: string, fn: (sym: Handler, base: bigint) => T | Promise<T>): Promise<T> {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(bin(image));
      return await fn(sym, base);
    } finally {
      sym.cleanup();
    }
  }

  describe.each(ORACLES.filter(([img]) => fs.existsSync(bin(img))))('%s', (image, oracle) => {
    const ti = gapTest(gaps, image); // a known gap of one image: `<image> › <title>`
    ti('inline chains, innermost first, with names, files and lines as llvm-symbolizer gives them; the physical line is the call site', async () => {
      const rows = readRows(path.join(FIX, 'expected', oracle));
      const x86 = image.includes('-x86');
      await withModule(image, (sym, base) => {
        const wrong: string[] = [];
        let inlined = 0;
        for (const r of rows) {
          const a = base + BigInt(r.address);
          const want = r.frames.slice(0, -1);
          const got = inlineChain(sym, a, InlineFrameContext.INIT);
          if (want.length) inlined++;
          const sameFrame = (g: Frame, w: Frame) => (sameName(g.name, w.name) || (x86 && explainDifference(g.name, w.name) === 'llvm-x86-underscore')) && g.file === w.file && g.line === w.line;
          if (got.length !== want.length || got.some((g, i) => !sameFrame(g, want[i]))) {
            wrong.push(`0x${r.address.toString(16)}: want ${JSON.stringify(want.map((f) => [bare(f.name), f.line]))} got ${JSON.stringify(got.map((f) => [f.name, f.line]))}`);
          }
          // The physical frame's line is the parent's line table line: the call site.
          const outer = r.frames[r.frames.length - 1];
          if (want.length && outer.line > 0) {
            const l = sym.getLineFromAddr(a);
            if (l?.lineNumber !== outer.line || l.fileName !== outer.file) wrong.push(`0x${r.address.toString(16)}: physical line ${l?.fileName}:${l?.lineNumber}, want ${outer.file}:${outer.line}`);
          }
        }
        expect(wrong).toEqual([]);
        if (image.startsWith('inline-')) expect(inlined).toBeGreaterThan(150);
      });
    });
  });

  t('a four-deep chain: count, contexts counted outwards, names, lines; past the chain the physical frame', async () => {
    await withModule('inline-x64.exe', (sym, base) => {
      const a = base + 0x102an; // run_chain+0x2a: inside header_twice's [0x29, 0x3C)
      expect(sym.addrIncludeInlineTrace(a)).toBe(4);
      const q = sym.queryInlineTrace({ startAddress: a, startContext: InlineFrameContext.INIT, startRetAddress: a, curAddress: a })!;
      expect(q.curFrameIndex).toBe(0);
      const names = [0, 1, 2, 3].map((i) => sym.fromInlineContext(a, (q.curContext + i) >>> 0)!.symbol.name);
      expect(names).toEqual(['header_twice', 'geometry::leaf', 'geometry::middle', 'geometry::outer']);
      const lines = [0, 1, 2, 3].map((i) => sym.getLineFromInlineContext(a, (q.curContext + i) >>> 0)!);
      expect(lines.map((l) => [path.win32.basename(l.fileName), l.lineNumber])).toEqual([
        ['inline.h', 7],
        ['inline.cpp', 18],
        ['inline.cpp', 24],
        ['inline.cpp', 30],
      ]);
      for (const l of lines) {
        expect(l.address).toBeLessThanOrEqual(a);
        expect(l.address + BigInt(l.displacement)).toBe(a);
      }
      // One past the outermost inline frame: the physical function, as SymFromAddr answers.
      const past = sym.fromInlineContext(a, (q.curContext + 4) >>> 0)!;
      const physical = sym.fromAddr(a)!;
      expect(past.symbol.name).toBe('run_chain');
      expect(past.symbol).toEqual(physical.symbol);
      expect(sym.getLineFromInlineContext(a, (q.curContext + 4) >>> 0)).toEqual(sym.getLineFromAddr(a));
      expect(sym.getLineFromAddr(a)!.lineNumber).toBe(56);
    });
  });

  t("an inline frame is an SymTagInlineSite symbol at the start of its site's first code range, the displacement from there", async () => {
    await withModule('inline-x64.exe', (sym, base) => {
      const a = base + 0x1030n;
      const q = sym.queryInlineTrace({ startAddress: a, startContext: 0, startRetAddress: a, curAddress: a })!;
      const hit = sym.fromInlineContext(a, q.curContext)!;
      expect(hit.symbol).toMatchObject({ name: 'header_twice', tag: SymTag.InlineSite, modBase: base, nameLen: 'header_twice'.length });
      // header_twice's range [0x29, 0x2F) then [0x2F, 0x3C) (line 2 of the inlinee). Microsoft's
      // dbghelp.dll places the frame at its site's first range whichever range holds the address
      // (corpus oracle crash.exe 0x108a: frame at 0x1064, its line at 0x1084).
      expect(hit.symbol.address).toBe(base + 0x1029n);
      expect(hit.displacement).toBe(7n);
      // The line keeps the range holding the address.
      expect(sym.getLineFromInlineContext(a, q.curContext)).toMatchObject({ address: base + 0x102fn, displacement: 1 });
      // Two addresses of the same site give the same symbol index; another site another one.
      const other = sym.fromInlineContext(base + 0x102an, q.curContext)!;
      expect(other.symbol.index).toBe(hit.symbol.index);
      const leaf = sym.fromInlineContext(a, (q.curContext + 1) >>> 0)!;
      expect(leaf.symbol.index).not.toBe(hit.symbol.index);
    });
  });

  t('context 0 (INIT) names the innermost inline frame, 0xffffffff (IGNORE) the physical one; a walk gives each function once', async () => {
    await withModule('inline-x64.exe', (sym, base) => {
      const a = base + 0x102an;
      // Microsoft's dbghelp.dll: INIT at an address with inline frames is the innermost one
      // (header_twice at 0x1029, displacement 1), as the context queryInlineTrace gives.
      const q = sym.queryInlineTrace({ startAddress: a, startContext: InlineFrameContext.INIT, startRetAddress: a, curAddress: a })!;
      const init = sym.fromInlineContext(a, InlineFrameContext.INIT)!;
      expect(init.symbol).toMatchObject({ name: 'header_twice', tag: SymTag.InlineSite, address: base + 0x1029n });
      expect(init.displacement).toBe(1n);
      expect(init).toEqual(sym.fromInlineContext(a, q.curContext));
      expect(sym.getLineFromInlineContext(a, InlineFrameContext.INIT)).toEqual(sym.getLineFromInlineContext(a, q.curContext));
      expect(sym.fromInlineContext(a, InlineFrameContext.IGNORE)).toEqual(sym.fromAddr(a));
      expect(sym.getLineFromInlineContext(a, InlineFrameContext.IGNORE)).toEqual(sym.getLineFromAddr(a));
      // The walk gives each function once: four inline frames, then the physical one.
      const names = inlineChain(sym, a, InlineFrameContext.INIT).map((f) => f.name);
      names.push(sym.fromAddr(a)!.symbol.name);
      expect(new Set(names).size).toBe(names.length);
    });
  });

  t('member functions are Class::name (LF_MFUNC_ID); one inlinee inlined twice gives two sites', async () => {
    await withModule('inline-x64.exe', (sym, base) => {
      // run_counter at 0x1070: bump [0x0, 0x1D) with add [0x9, 0x17) (pdbutil, offsets from 0x1070).
      const chain = inlineChain(sym, base + 0x1079n, 0).map((f) => f.name);
      expect(chain).toEqual(['Counter::add', 'Counter::bump']);
      // run_twice: header_twice at two call sites.
      const run = sym.fromName('run_twice')!;
      const seen = new Map<number, number>();
      for (let off = 0n; off < BigInt(run.size); off++) {
        const a = run.address + off;
        if (!sym.addrIncludeInlineTrace(a)) continue;
        const q = sym.queryInlineTrace({ startAddress: a, startContext: 0, startRetAddress: a, curAddress: a })!;
        const s = sym.fromInlineContext(a, q.curContext)!.symbol;
        expect(s.name).toBe('header_twice');
        seen.set(s.index, (seen.get(s.index) ?? 0) + 1);
      }
      expect(seen.size).toBe(2);
    });
  });

  t('addresses without inline frames: count 0, queryInlineTrace gives INIT, the inline calls answer as the physical ones', async () => {
    await withModule('inline-x64.exe', (sym, base) => {
      const a = base + 0x1000n; // run_chain's first byte, before any inline site
      expect(sym.addrIncludeInlineTrace(a)).toBe(0);
      const q = sym.queryInlineTrace({ startAddress: a, startContext: 0, startRetAddress: a, curAddress: a });
      expect(q).toBeDefined();
      expect(sym.fromInlineContext(a, q!.curContext)).toEqual(sym.fromAddr(a));
      // Outside every module.
      expect(sym.addrIncludeInlineTrace(0x1000n)).toBe(0);
      expect(sym.queryInlineTrace({ startAddress: 0x1000n, startContext: 0, startRetAddress: 0x1000n, curAddress: 0x1000n })).toBeUndefined();
      expect(sym.fromInlineContext(0x1000n, 0)).toBeUndefined();
      expect(sym.getLineFromInlineContext(0x1000n, 0)).toBeUndefined();
    });
  });

  t('queryInlineTrace takes a start in another function as one at curAddress (no INVALID_PARAMETER)', async () => {
    await withModule('inline-x64.exe', (sym, base) => {
      const cur = base + 0x102an; // run_chain
      const elsewhere = sym.fromName('run_counter')!.address;
      const here = sym.queryInlineTrace({ startAddress: cur, startContext: 0, startRetAddress: cur, curAddress: cur })!;
      expect(here.curFrameIndex).toBe(0);
      // Microsoft's dbghelp.dll does not check what the documentation asks (a start in
      // curAddress's function): the answer is the walk's at curAddress.
      expect(sym.queryInlineTrace({ startAddress: elsewhere, startContext: 0, startRetAddress: elsewhere, curAddress: cur })).toEqual(here);
      expect(sym.queryInlineTrace({ startAddress: base + 0x1006n, startContext: 0, startRetAddress: elsewhere, curAddress: cur })).toEqual(here);
    });
  });
});
