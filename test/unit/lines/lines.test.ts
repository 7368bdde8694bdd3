/**
 * SymGetLineFromAddr64 on the portable backend.
 *
 * - Fixtures: every address of the committed llvm-symbolizer answers with a line gets the
 *   outermost frame's file and line (inside inlined code that is the parent's line table line).
 * - Corpus: >= 99% agreement with llvm-symbolizer-19; every remaining difference was checked
 *   against `llvm-pdbutil-19 dump -l` and is one of:
 *   (Hidden lines 0xf00f00 are answered as stored, as llvm and Microsoft's dbghelp.dll do:
 *   corpus dbghelp oracle, 7 addresses; 0xfeefee is never answered.)
 *   * asm-overrun (basic32.dll 0x135a0-0x135cd, 10 rows): exsup.asm's line section claims bytes
 *     that the section contributions give to nlgsupp.obj (_NLG_Notify, _NLG_Call); llvm answers
 *     exsup.asm:288, we answer nlgsupp.asm's own lines for those bytes (46, 49, 50, 55...).
 *   * folded (softokn3.dll, 13 rows): identical code folding leaves several line sections over
 *     the same bytes (e.g. 0001:00006710-0000673E twelve times, 0001:0000F4E0 three times from
 *     pkcs11.c and verref.h, 0001:000205F0 twice, ucrt_stubs.cpp's stubs). Either answer is
 *     a line of the folded code; we take the module's first line section there (as dbghelp.dll
 *     does: test/corpus/dbghelp-oracle.test.ts), llvm's pick follows the function it named.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler } from '../../../lib';
import { DbgHelpError } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { readC13Lines } from '../../../lib/formats/codeview/c13-lines';
import { CORPUS, corpusPath, describeCorpus } from '../../helpers/corpus';
import { readSymbolizerOracle } from '../../helpers/oracle';

const FIX = path.resolve(__dirname, '..', '..', 'fixtures');
const IMAGES = fs.readdirSync(path.join(FIX, 'bin')).filter((f) => /\.(exe|dll)$/.test(f));

describe("getLineFromAddr against the fixtures' llvm-symbolizer answers", () => {
  test.each(IMAGES)('%s', async (img) => {
    const stem = img.replace(/\.(exe|dll)$/, '');
    const { rows } = readSymbolizerOracle(path.join(FIX, 'expected', `${stem}.symbolizer.jsonl`));
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(path.join(FIX, 'bin', img), { pdbPath: path.join(FIX, 'bin', `${stem}.pdb`) });
      const withLines = rows.filter((r) => r.line > 0);
      expect(withLines.length).toBeGreaterThan(0);
      const wrong: string[] = [];
      for (const r of withLines) {
        const l = sym.getLineFromAddr(base + BigInt(r.address));
        if (!l || l.lineNumber !== r.line || l.fileName !== r.file) wrong.push(`0x${r.address.toString(16)}: want ${r.file}:${r.line} got ${l ? `${l.fileName}:${l.lineNumber}` : 'none'}`);
        else expect(l.address + BigInt(l.displacement)).toBe(base + BigInt(r.address));
      }
      expect(wrong).toEqual([]);
    } finally {
      sym.cleanup();
    }
  });

  test('a miss is undefined: outside every module, and in a module without a line section there', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(path.join(FIX, 'bin', 'basic-x64.exe'), { pdbPath: path.join(FIX, 'bin', 'basic-x64.pdb') });
      expect(sym.getLineFromAddr(base - 0x1000n)).toBeUndefined();
      expect(sym.getLineFromAddr(base)).toBeUndefined(); // the PE headers
    } finally {
      sym.cleanup();
    }
  });
});

/** Differences per image, each class explained in the header comment. */
const EXPECTED_DIFFERENCES: Record<string, number> = {
  'mozilla_dump_syms/test_data/windows/basic32.dll': 10,
  'mstange_samply/fixtures/win64-ci/softokn3.dll': 13,
};

function oracleFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) oracleFiles(p, out);
    else if (e.name.endsWith('.llvm-symbolizer-19.jsonl')) out.push(p);
  }
  return out;
}

describeCorpus('corpus: getLineFromAddr against llvm-symbolizer-19', () => {
  const files = oracleFiles(path.join(CORPUS, 'oracle')).sort();
  const resolve = (p: string) => (p.startsWith('derived/') ? path.join(CORPUS, p) : corpusPath(p));
  let total = 0;
  let same = 0;
  test.each(files.map((f) => path.relative(path.join(CORPUS, 'oracle'), f).replace('.llvm-symbolizer-19.jsonl', '')))('%s', async (rel) => {
    const { head, rows } = readSymbolizerOracle(path.join(CORPUS, 'oracle', `${rel}.llvm-symbolizer-19.jsonl`));
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(resolve(head.pe), { pdbPath: head.pdb ? resolve(head.pdb) : undefined });
      let diffs = 0;
      for (const r of rows) {
        if (!(r.line > 0)) continue;
        total++;
        const l = sym.getLineFromAddr(base + BigInt(r.address));
        if (l && l.lineNumber === r.line) same++;
        else {
          diffs++;
          // 0xfeefee is never ours to report.
          if (r.line === 0xfeefee) expect(l?.lineNumber).not.toBe(r.line);
        }
      }
      expect(diffs).toBe(EXPECTED_DIFFERENCES[rel] ?? 0);
    } finally {
      sym.cleanup();
    }
  });
  afterAll(() => {
    if (total) expect(same / total).toBeGreaterThanOrEqual(0.99);
  });
});

// --- corrupted line subsections -------------------------------------------------------------

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
}
function u16(n: number): number[] {
  return [n & 0xff, n >>> 8];
}
function subsection(kind: number, body: number[]): number[] {
  const out = [...u32(kind), ...u32(body.length), ...body];
  while (out.length % 4) out.push(0);
  return out;
}
/** A well-formed C13 block: one file checksum entry, one line section of `n` lines with columns. */
function c13(opts: { nLines?: number; cbBlock?: number; realLines?: number; columns?: boolean; checksumOffset?: number } = {}): Uint8Array {
  const real = opts.realLines ?? 3;
  const columns = opts.columns ?? true;
  const entry = columns ? 12 : 8;
  const lines: number[] = [];
  for (let i = 0; i < real; i++) lines.push(...u32(i * 4), ...u32((10 + i) | 0x80000000));
  if (columns) for (let i = 0; i < real; i++) lines.push(...u16(1), ...u16(2));
  const block = [...u32(opts.checksumOffset ?? 0), ...u32(opts.nLines ?? real), ...u32(opts.cbBlock ?? 12 + real * entry), ...lines];
  const section = [...u32(0x10), ...u16(1), ...u16(columns ? 1 : 0), ...u32(0x20), ...block];
  const checksums = [...u32(1), 16, 1, ...new Array(16).fill(0xab)];
  return Uint8Array.from([...subsection(0xf4, checksums), ...subsection(0x80000000 | 0xf2, [1, 2, 3]), ...subsection(0xf2, section)]);
}
const parse = (b: Uint8Array) => readC13Lines(Cursor.of(b, 'test C13'));

function expectBadFormat(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DbgHelpError);
    expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
    return;
  }
  throw new Error('expected BAD_FORMAT');
}

describe('C13 line subsections', () => {
  test('a well-formed block parses (columns and ignored subsections skipped)', () => {
    for (const columns of [true, false]) {
      const [s] = parse(c13({ columns }));
      expect(s).toMatchObject({ section: 1, offset: 0x10, length: 0x20, offsets: [0, 4, 8], lines: [10, 11, 12], files: [1, 1, 1] });
    }
  });
  test('hidden lines (0xfeefee, 0xf00f00) are left out', () => {
    const b = c13({ realLines: 2, columns: false });
    const v = new DataView(b.buffer);
    // The second CV_Line_t's bits: the line section starts after the checksum subsection (32
    // bytes) and the ignored one (12), its header (8) + CV_LineSection (12) + block header (12).
    const line2 = 32 + 12 + 8 + 12 + 12 + 8 + 4;
    expect(v.getUint32(line2, true) & 0xffffff).toBe(11);
    v.setUint32(line2, 0x80000000 | 0xfeefee, true);
    expect(parse(b)[0].lines).toEqual([10]);
  });
  test('nLines past cbBlock, huge counts, short cbBlock, unknown file: BAD_FORMAT', () => {
    expectBadFormat(() => parse(c13({ nLines: 4 })));
    expectBadFormat(() => parse(c13({ nLines: 0x7fffffff })));
    expectBadFormat(() => parse(c13({ nLines: 0xffffffff })));
    expectBadFormat(() => parse(c13({ cbBlock: 4 })));
    expectBadFormat(() => parse(c13({ cbBlock: 0xfffffff0 })));
    expectBadFormat(() => parse(c13({ checksumOffset: 8 })));
  });
  test('every truncation and every single-byte corruption is parsed or BAD_FORMAT, never another error', () => {
    const good = c13();
    for (let n = 0; n < good.length; n++) {
      try {
        parse(good.subarray(0, n));
      } catch (e) {
        expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
      }
    }
    for (let i = 0; i < good.length; i++) {
      for (const v of [0x00, 0x7f, 0xff]) {
        const b = good.slice();
        b[i] = v;
        try {
          parse(b);
        } catch (e) {
          expect((e as DbgHelpError).code).toBe('BAD_FORMAT');
        }
      }
    }
  });
});
