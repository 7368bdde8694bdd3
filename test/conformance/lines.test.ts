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

    t('getLineFromName(file, line) gives the lowest address of every line of the dump; line 0 finds nothing', async () => {
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
          // Microsoft's dbghelp.dll answers FALSE for line 0 (types.cpp's line-0 entries at 0x11d0).
          if (line === '0') {
            if (hit) wrong.push(`${file}:0 want none got ${hit.fileName}:${hit.lineNumber}`);
          } else if (!hit || hit.fileName !== file || hit.lineNumber !== Number(line) || hit.displacement !== 0 || hit.address !== base + BigInt(rva)) {
            wrong.push(`${file}:${line} want 0x${rva.toString(16)} got ${hit ? `${hit.fileName}:${hit.lineNumber}+${hit.displacement} 0x${(hit.address - base).toString(16)}` : 'none'}`);
          }
        }
        expect(wrong).toEqual([]);
      });
    });
  });

  // Microsoft's dbghelp.dll 10.0.19041.685 (asked under Wine, every line of locals-x64's files):
  // a line without code gives the nearest line before it that has code, `displacement` lines
  // away; before the first line, the first line at a negative displacement; past the last line,
  // the last one; line 0 nothing.
  t('getLineFromName matches a path tail case-insensitively, either slash; a line without code gives the nearest line with code before it', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      const o = oracle('locals-x64.exe');
      const at = (line: number, file = LOCALS_C) => base + BigInt(o.rva(o.lines.find((l) => l.file === file && l.line === line)!));
      // locals.c: line 14 `int doubled = ...`, 15 blank, 16 a comment, 17 `if (doubled > 100)`.
      expect(sym.getLineFromName(undefined, 'locals.c', 14)).toEqual({ fileName: LOCALS_C, lineNumber: 14, address: at(14), displacement: 0 });
      expect(sym.getLineFromName(undefined, 'locals.c', 15)).toEqual({ fileName: LOCALS_C, lineNumber: 14, address: at(14), displacement: 1 });
      expect(sym.getLineFromName('locals-x64', 'SRC/LOCALS.C', 16)).toEqual({ fileName: LOCALS_C, lineNumber: 14, address: at(14), displacement: 2 });
      expect(sym.getLineFromName(undefined, 'c:\\dbghelp\\fixtures\\src\\locals.c', 11)?.address).toBe(at(11));
      expect(sym.getLineFromName(undefined, '\\locals.c', 13)).toEqual({ fileName: LOCALS_C, lineNumber: 12, address: at(12), displacement: 1 });
      // Before the first line with code (11), past the last (31), and line 0.
      expect(sym.getLineFromName(undefined, 'locals.c', 1)).toEqual({ fileName: LOCALS_C, lineNumber: 11, address: at(11), displacement: -10 });
      expect(sym.getLineFromName(undefined, 'locals.c', 1000)).toEqual({ fileName: LOCALS_C, lineNumber: 31, address: at(31), displacement: 969 });
      expect(sym.getLineFromName(undefined, 'locals.c', 0xffffffff)?.displacement).toBe(0x7fffffff - 31);
      expect(sym.getLineFromName(undefined, 'locals.c', 0)).toBeUndefined();
      expect(sym.getLineFromName(undefined, 'locals.h', 1)).toEqual({ fileName: LOCALS_H, lineNumber: 5, address: at(5, LOCALS_H), displacement: -4 });
      // A line written at three addresses (locals-opt.c 13: 0x1100, 0x111c, 0x111e) answers its lowest.
      expect(sym.getLineFromName(undefined, 'locals-opt.c', 13)?.address).toBe(base + 0x1100n);
      // A tail must start at a path separator; no wildcards; other modules find nothing.
      expect(sym.getLineFromName(undefined, 'als.c', 11)).toBeUndefined();
      expect(sym.getLineFromName(undefined, '*.c', 11)).toBeUndefined();
      expect(sym.getLineFromName('basic-x64', 'locals.c', 11)).toBeUndefined();
    });
  });

  // basic.c (dump -l): 40-43 at 0x1000-0x1015, then 28 at 0x1020 and 29 at 0x1036. Between two
  // lines with code, Microsoft's DLL takes the one at the lower address (asked under Wine on
  // every line of the 14 fixtures), for a line by name and for the line before (Prev).
  t('the nearest line is the one at the lower address: basic.c 30 gives 40 at 0x1000, not 29 at 0x1036', async () => {
    await withModule('basic-x64.exe', (sym, base) => {
      const BASIC_C = 'C:\\dbghelp\\fixtures\\src\\basic.c';
      expect(sym.getLineFromName(undefined, 'basic.c', 30)).toEqual({ fileName: BASIC_C, lineNumber: 40, address: base + 0x1000n, displacement: -10 });
      expect(sym.getLineFromName(undefined, 'basic.c', 44)).toEqual({ fileName: BASIC_C, lineNumber: 43, address: base + 0x1015n, displacement: 1 });
      expect(sym.getLineFromName(undefined, 'basic.c', 27)).toMatchObject({ lineNumber: 28, address: base + 0x1020n, displacement: -1 });
      const forty = sym.getLineFromAddr(base + 0x1000n)!;
      expect(sym.getLinePrev(forty)).toBeUndefined();
      expect(sym.getLineNext(sym.getLineFromAddr(base + 0x1036n)!)).toMatchObject({ lineNumber: 40, address: base + 0x1000n });
      expect(sym.getLinePrev(sym.getLineFromAddr(base + 0x1040n)!)).toMatchObject({ lineNumber: 43, address: base + 0x1015n });
    });
    await withModule('types-x64.exe', (sym, base) => {
      // types.cpp's line-0 entry at 0x11d0: its Prev is the file's last line, its Next the first.
      const zero = sym.getLineFromAddr(base + 0x11d0n)!;
      expect(zero.lineNumber).toBe(0);
      expect(sym.getLinePrev(zero)).toMatchObject({ lineNumber: 166, address: base + 0x11bfn });
      expect(sym.getLineNext(zero)).toMatchObject({ lineNumber: 61, address: base + 0x1260n });
    });
  });

  // Microsoft's SymEnumLinesW: Obj and File are the whole name in any case, or a mask over the
  // whole name in which a backslash escapes the next character (so a path with a wildcard
  // matches nothing); SymEnumSourceFilesW's mask is always such a mask, over the whole path or
  // its last component.
  t('enumLines filters by whole object and source file names or masks (a backslash escapes)', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      const o = oracle('locals-x64.exe');
      const CRT_OBJ = 'C:\\dbghelp\\fixtures\\obj\\x64\\crt.obj';
      const nCrt = o.lines.filter((l) => l.obj === CRT_OBJ).length;
      const count = (opts: { obj?: string; file?: string }) => [...sym.enumLines(base, opts)].length;
      const crt = [...sym.enumLines(base, { obj: '*crt.obj' })];
      expect(crt.length).toBe(nCrt);
      expect(new Set(crt.map((l) => l.obj))).toEqual(new Set([CRT_OBJ]));
      expect(count({ obj: CRT_OBJ.toUpperCase() })).toBe(nCrt);
      expect(count({ obj: '*\\crt.obj' })).toBe(nCrt);
      for (const obj of ['crt.obj', 'x64\\crt.obj', 'C:\\dbghelp\\fixtures\\obj\\x64\\crt.*', '*x64\\crt.obj', 'nothing.obj']) expect([obj, count({ obj })]).toEqual([obj, 0]);
      expect(count({ obj: 'C:\\dbghelp\\fixtures\\obj\\x64\\LOCALS.OBJ' })).toBe(o.lines.filter((l) => l.mod === 0).length);
      expect(count({ obj: 'c*' })).toBe(o.lines.length);
      const header = [...sym.enumLines(base, { file: '*.H' })];
      expect(header.map((l) => [l.fileName, l.lineNumber])).toEqual([
        [LOCALS_H, 5],
        [LOCALS_H, 6],
        [LOCALS_H, 7],
      ]);
      expect(count({ file: LOCALS_H.toLowerCase() })).toBe(3);
      for (const file of ['locals.h', 'src\\locals.h', 'C:\\dbghelp\\fixtures\\src\\locals.*', 'c:/dbghelp/fixtures/src/locals.h']) expect([file, count({ file })]).toEqual([file, 0]);
      expect(count({ obj: '*locals.obj', file: '*locals-opt.c' })).toBe(0);
      // A compiland's entries come file by file: locals.c's two blocks, then locals.h's.
      expect([...sym.enumLines(base, { obj: '*\\locals.obj' })].map((l) => l.lineNumber)).toEqual([11, 12, 14, 17, 18, 19, 21, 23, 28, 29, 30, 31, 5, 6, 7]);
      const files = (mask: string, b = base) => [...sym.enumSourceFiles(b, mask)].map((f) => f.fileName);
      expect(files('*.h')).toEqual([LOCALS_H]);
      expect(files('LOCALS.H')).toEqual([LOCALS_H]);
      expect(files('locals.?')).toEqual([LOCALS_C, LOCALS_H]);
      expect(files('*\\crt.c')).toEqual(['C:\\dbghelp\\fixtures\\src\\common\\crt.c']);
      for (const mask of [LOCALS_H, 'src\\locals.h', 'C:\\*']) expect([mask, files(mask)]).toEqual([mask, []]);
      expect(files('locals-x64!locals*', 0n).sort()).toEqual([LOCALS_C, LOCALS_H, 'C:\\dbghelp\\fixtures\\src\\locals-opt.c'].sort());
    });
  });

  t('enumLines and enumSourceFiles of an address with no module say MODULE_NOT_FOUND', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      expect(() => sym.enumLines(base + 0x10n)).toThrow(DbgHelpError);
      expect(() => sym.enumSourceFiles(base + 0x10n)).toThrow(expect.objectContaining({ code: 'MODULE_NOT_FOUND' }));
    });
  });

  // Microsoft's SymGetLineNextW64/PrevW64 (every entry of locals-x64 asked under Wine): the
  // next/previous line number of the same source file in the same compiland, at its lowest
  // address; locals.h's header_twice, between sum_pair and mainCRTStartup, is not on locals.c's walk.
  t('getLineNext/getLinePrev step through one source file of the compiland by line number', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      const walk = (from: bigint, step: 'getLineNext' | 'getLinePrev') => {
        const out: string[] = [];
        for (let l = sym.getLineFromAddr(base + from); l; l = sym[step](l)) {
          if (out.length) expect(l.displacement).toBe(0);
          out.push(`${l.lineNumber}@0x${(l.address - base).toString(16)}`);
        }
        return out;
      };
      const c = ['11@0x1000', '12@0x100d', '14@0x101e', '17@0x1028', '18@0x102f', '19@0x103a', '21@0x1044', '23@0x1050', '28@0x1080', '29@0x1084', '30@0x1090', '31@0x10a8'];
      expect(walk(0x1000n, 'getLineNext')).toEqual(c);
      expect(walk(0x10a8n, 'getLinePrev')).toEqual([...c].reverse());
      expect(walk(0x1062n, 'getLineNext')).toEqual(['5@0x1060', '6@0x1065', '7@0x106e']);
      expect(walk(0x106en, 'getLinePrev')).toEqual(['7@0x106e', '6@0x1065', '5@0x1060']);
      // locals-opt.c (-O2): line 13 at 0x1100, 0x111c and 0x111e is one step, at 0x1100.
      expect(walk(0x10f0n, 'getLineNext')).toEqual(['10@0x10f0', '11@0x10f9', '13@0x1100', '14@0x1110', '15@0x1117', '17@0x1122', '18@0x1128', '22@0x1140', '23@0x1146']);
      expect(sym.getLineNext(sym.getLineFromAddr(base + 0x111en)!)).toMatchObject({ lineNumber: 14, address: base + 0x1110n });
      expect(sym.getLinePrev(sym.getLineFromAddr(base + 0x111cn)!)).toMatchObject({ lineNumber: 11, address: base + 0x10f9n });
    });
  });

  // crt.c's memset: lines 8 and 10 both start at 0x1150, 14 and 17 at 0x1170 (dump -l). The
  // current entry is the first at its address whatever line the caller holds; a step that would
  // land on that address answers FALSE in Microsoft's DLL.
  t("getLineNext/getLinePrev answer nothing where the next line shares the entry's address (crt.c 8 and 10)", async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      const o = oracle('locals-x64.exe');
      const crt = o.lines.filter((l) => l.obj.endsWith('\\crt.obj'));
      expect([crt[0].line, crt[1].line, crt[0].offset]).toEqual([8, 10, crt[1].offset]);
      const first = sym.getLineFromAddr(base + 0x1150n)!;
      expect(first).toMatchObject({ lineNumber: 8, displacement: 0 });
      expect(sym.getLineNext(first)).toBeUndefined();
      expect(sym.getLinePrev(first)).toBeUndefined();
      const inside = sym.getLineFromAddr(base + 0x1155n)!;
      expect(inside).toMatchObject({ lineNumber: 10, address: base + 0x1150n, displacement: 5 });
      expect(sym.getLineNext(inside)).toBeUndefined();
      const eleven = sym.getLineFromAddr(base + 0x116bn)!;
      expect(sym.getLinePrev(eleven)).toMatchObject({ lineNumber: 10, address: base + 0x1150n });
      expect(sym.getLineNext(eleven)).toMatchObject({ lineNumber: 14, address: base + 0x1170n });
      expect(sym.getLineNext(sym.getLineFromAddr(base + 0x1170n)!)).toBeUndefined();
      expect(sym.getLinePrev(sym.getLineFromAddr(base + 0x1175n)!)).toMatchObject({ lineNumber: 11, address: base + 0x116bn });
    });
  });
});
