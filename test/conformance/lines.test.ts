/**
 * Conformance: the line calls (SymEnumLines, SymEnumSourceFiles, SymGetLineFromName64,
 * SymGetLineNext64/Prev64) on the fixtures, once per backend.
 *
 * Expected values come from llvm-pdbutil-19's dumps committed with the fixtures:
 * expected/NAME.lines.txt (`dump -files -l`: every line entry with its section offset, every
 * module's files) and expected/NAME.pdbutil.txt (section headers), and from the sources
 * (test/fixtures/src/locals.c: line numbers named below are lines of that file).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BACKENDS, KNOWN_GAPS, loadBackend, type BackendName } from './backends';
import { readDumpFiles, readDumpLines, readSectionAddresses, type DumpLine } from '../helpers/lines-oracle';

const FIX = path.resolve(__dirname, '..', 'fixtures');
const bin = (f: string) => path.join(FIX, 'bin', f);
const stem = (img: string) => img.replace(/\.(exe|dll)$/, '');
/** Every fixture image whose PDB has its line dump (expected.sh writes one per PDB in bin/). */
const IMAGES = fs
  .readdirSync(path.join(FIX, 'bin'))
  .filter((f) => /\.(exe|dll)$/.test(f) && fs.existsSync(path.join(FIX, 'expected', `${stem(f)}.lines.txt`)))
  .sort();

interface Oracle {
  lines: DumpLine[];
  files: string[];
  /** Entry address as an RVA. */
  rva: (l: DumpLine) => number;
}
function oracle(img: string): Oracle {
  const text = fs.readFileSync(path.join(FIX, 'expected', `${stem(img)}.lines.txt`), 'utf8');
  const sections = readSectionAddresses(fs.readFileSync(path.join(FIX, 'expected', `${stem(img)}.pdbutil.txt`), 'utf8'));
  const files: string[] = [];
  for (const m of readDumpFiles(text)) for (const f of m.files) if (!files.includes(f)) files.push(f);
  const all = readDumpLines(text);
  // llvm-pdbutil 19 prints, for a module without a symbol stream (lld's `exports-<arch>.dll`
  // module of an import library), the previous module's lines again under "(unknown file name
  // offset 0)". Those entries are not the module's; each must repeat an earlier entry.
  const seen = new Set(all.filter((l) => l.file).map((l) => `${l.line}@${l.section}:${l.offset}`));
  for (const l of all) if (!l.file && !seen.has(`${l.line}@${l.section}:${l.offset}`)) throw new Error(`${img}: unexplained line without a file in the dump: ${l.line} ${l.section}:${l.offset}`);
  return { lines: all.filter((l) => l.file), files, rva: (l) => sections.get(l.section)! + l.offset };
}

const LOCALS_C = 'C:\\dbghelp\\fixtures\\src\\locals.c';
const LOCALS_H = 'C:\\dbghelp\\fixtures\\src\\locals.h';

describe.each(BACKENDS)('%s backend', (name: BackendName) => {
  const loaded = loadBackend(name);
  if ('error' in loaded) {
    test(`is not available on ${process.platform}: the load error says what was tried and what to do`, () => {
      expect(loaded.error).toMatchObject({ name: 'DbgHelpError', code: 'BACKEND_UNAVAILABLE' });
    });
    return;
  }
  const { SymbolHandler, DbgHelpError } = loaded.lib;
  const gaps = KNOWN_GAPS[name];
  const t = (title: string, fn: () => Promise<unknown>) => (gaps[title] ? test.failing(`${title} [known gap: ${gaps[title]}]`, fn) : test(title, fn));
  async function withModule<T>(img: string, fn: (sym: ReturnType<typeof SymbolHandler.initialize>, base: bigint) => T): Promise<T> {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(bin(img));
      return fn(sym, base);
    } finally {
      sym.cleanup();
    }
  }

  describe.each(IMAGES)('%s', (img) => {
    const o = oracle(img);

    t('enumLines lists every line entry of llvm-pdbutil dump -l: object, file, line and address', async () => {
      await withModule(img, (sym, base) => {
        const key = (obj: string, file: string, line: number, address: bigint) => `${obj}|${file}|${line}|0x${address.toString(16)}`;
        const got = [...sym.enumLines(base)].map((l) => {
          expect(l.modBase).toBe(base);
          return key(l.obj, l.fileName, l.lineNumber, l.address);
        });
        const want = o.lines.map((l) => key(l.obj, l.file, l.line, base + BigInt(o.rva(l))));
        expect(got.sort()).toEqual(want.sort());
      });
    });

    t('enumSourceFiles lists each file of the module once (dump -files)', async () => {
      await withModule(img, (sym, base) => {
        const got = [...sym.enumSourceFiles(base)];
        for (const f of got) expect(f.modBase).toBe(base);
        expect(got.map((f) => f.fileName).sort()).toEqual([...o.files].sort());
      });
    });

    t('getLineFromName(file, line) gives the lowest address of every line of the dump', async () => {
      await withModule(img, (sym, base) => {
        const lowest = new Map<string, number>();
        for (const l of o.lines) {
          const k = `${l.file}\u0000${l.line}`;
          lowest.set(k, Math.min(lowest.get(k) ?? Infinity, o.rva(l)));
        }
        const wrong: string[] = [];
        for (const [k, rva] of lowest) {
          const [file, line] = k.split('\u0000');
          const hit = sym.getLineFromName(stem(img), file, Number(line));
          if (!hit || hit.fileName !== file || hit.lineNumber !== Number(line) || hit.displacement !== 0 || hit.address !== base + BigInt(rva)) {
            wrong.push(`${file}:${line} want 0x${rva.toString(16)} got ${hit ? `${hit.fileName}:${hit.lineNumber}+${hit.displacement} 0x${(hit.address - base).toString(16)}` : 'none'}`);
          }
        }
        expect(wrong).toEqual([]);
      });
    });
  });

  t('getLineFromName matches a path tail case-insensitively, either slash, and skips to the next line with code', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      const o = oracle('locals-x64.exe');
      const at = (line: number) => base + BigInt(o.rva(o.lines.find((l) => l.file === LOCALS_C && l.line === line)!));
      // locals.c: line 14 `int doubled = ...`, 15 blank, 16 a comment, 17 `if (doubled > 100)`.
      expect(sym.getLineFromName(undefined, 'locals.c', 14)).toEqual({ fileName: LOCALS_C, lineNumber: 14, address: at(14), displacement: 0 });
      expect(sym.getLineFromName(undefined, 'locals.c', 15)).toEqual({ fileName: LOCALS_C, lineNumber: 17, address: at(17), displacement: 2 });
      expect(sym.getLineFromName('locals-x64', 'SRC/LOCALS.C', 16)).toEqual({ fileName: LOCALS_C, lineNumber: 17, address: at(17), displacement: 1 });
      expect(sym.getLineFromName(undefined, 'c:\\dbghelp\\fixtures\\src\\locals.c', 11)?.address).toBe(at(11));
      // A tail must start at a path separator; other modules and lines past the end find nothing.
      expect(sym.getLineFromName(undefined, 'als.c', 11)).toBeUndefined();
      expect(sym.getLineFromName('basic-x64', 'locals.c', 11)).toBeUndefined();
      expect(sym.getLineFromName(undefined, 'locals.c', 1000)).toBeUndefined();
      expect(sym.getLineFromName(undefined, 'locals.h', 1)?.lineNumber).toBe(5);
    });
  });

  t('enumLines filters by object file and by source file mask', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      const o = oracle('locals-x64.exe');
      const objOf = (l: { obj: string }) => l.obj;
      const crt = [...sym.enumLines(base, { obj: 'crt.obj' })];
      expect(crt.length).toBe(o.lines.filter((l) => l.obj.endsWith('\\crt.obj')).length);
      expect(new Set(crt.map(objOf))).toEqual(new Set(['C:\\dbghelp\\fixtures\\obj\\x64\\crt.obj']));
      expect([...sym.enumLines(base, { obj: 'C:\\dbghelp\\fixtures\\obj\\x64\\LOCALS.OBJ' })].length).toBe(o.lines.filter((l) => l.mod === 0).length);
      const header = [...sym.enumLines(base, { file: '*.h' })];
      expect(header.map((l) => [l.fileName, l.lineNumber])).toEqual([
        [LOCALS_H, 5],
        [LOCALS_H, 6],
        [LOCALS_H, 7],
      ]);
      expect([...sym.enumLines(base, { obj: 'locals.obj', file: 'locals-opt.c' })]).toEqual([]);
      expect([...sym.enumLines(base, { obj: 'nothing.obj' })]).toEqual([]);
      expect([...sym.enumSourceFiles(base, '*.h')].map((f) => f.fileName)).toEqual([LOCALS_H]);
      expect([...sym.enumSourceFiles(0n, 'locals-x64!locals*')].map((f) => f.fileName).sort()).toEqual([LOCALS_C, LOCALS_H, 'C:\\dbghelp\\fixtures\\src\\locals-opt.c'].sort());
    });
  });

  t('enumLines and enumSourceFiles of an address with no module say MODULE_NOT_FOUND', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      expect(() => sym.enumLines(base + 0x10n)).toThrow(DbgHelpError);
      expect(() => sym.enumSourceFiles(base + 0x10n)).toThrow(expect.objectContaining({ code: 'MODULE_NOT_FOUND' }));
    });
  });

  t('getLineNext/getLinePrev walk the compiland in address order, across functions and files', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      const o = oracle('locals-x64.exe');
      const mod0 = o.lines.filter((l) => l.mod === 0).map((l) => `${l.line}@0x${o.rva(l).toString(16)}`);
      let l = sym.getLineFromAddr(base + 0x1000n);
      const walk: string[] = [];
      while (l) {
        expect(l.displacement).toBe(0);
        walk.push(`${l.lineNumber}@0x${(l.address - base).toString(16)}`);
        l = sym.getLineNext(l);
      }
      // locals.obj: sum_pair (locals.c), header_twice (locals.h), mainCRTStartup (locals.c).
      expect(walk).toEqual(mod0);
      l = sym.getLineFromAddr(base + BigInt(o.rva(o.lines.filter((x) => x.mod === 0).pop()!)));
      const back: string[] = [];
      while (l) {
        back.push(`${l.lineNumber}@0x${(l.address - base).toString(16)}`);
        l = sym.getLinePrev(l);
      }
      expect(back).toEqual([...mod0].reverse());
      // The line after sum_pair's last is header_twice's first, in locals.h.
      const last = sym.getLineFromName(undefined, 'locals.c', 23)!;
      expect(sym.getLineNext(last)).toMatchObject({ fileName: LOCALS_H, lineNumber: 5 });
    });
  });

  t('getLineNext steps over entries sharing an address one by one (crt.c lines 8 and 10 at one address)', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      const o = oracle('locals-x64.exe');
      const crt = o.lines.filter((l) => l.obj.endsWith('\\crt.obj'));
      expect(crt[0].offset).toBe(crt[1].offset); // memset: `8 00000150`, `10 00000150`
      const first = sym.getLineFromAddr(base + BigInt(o.rva(crt[0])))!;
      expect(first.lineNumber).toBe(crt[0].line);
      const second = sym.getLineNext(first)!;
      expect([second.lineNumber, second.address]).toEqual([crt[1].line, first.address]);
      expect(sym.getLinePrev(second)).toMatchObject({ lineNumber: crt[0].line, address: first.address });
      const walk: number[] = [];
      for (let l: typeof first | undefined = first; l; l = sym.getLineNext(l)) walk.push(l.lineNumber);
      expect(walk).toEqual(crt.map((l) => l.line));
    });
  });
});
