/**
 * `dbghelp symbolize --inlines` (API.md "Command line"): the `inlines` array, innermost first,
 * each frame with its symbol, file and line; the physical frame (symbol, file, line) unchanged;
 * text output with an indented line per inline frame; never the physical function twice.
 * Expected values: test/fixtures/expected/inline-x64.bytes.symbolizer.jsonl (llvm-symbolizer
 * --inlines at every byte of .text) and expected/inline-x64.pdbutil.txt.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import { main } from '../../../lib/cli/main';
import { SymbolHandler } from '../../../lib/handler';

const FIX = path.resolve(__dirname, '..', '..', 'fixtures');
const bin = (f: string) => path.join(FIX, 'bin', f);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const code = await main(argv, out, err);
  return { code, out: o, err: e };
}

const image = ['--image', bin('inline-x64.exe'), '--pdb', bin('inline-x64.pdb')];

describe('dbghelp symbolize --inlines', () => {
  test('--json: inlines innermost first with symbol, file and line; the physical frame keeps the call-site line', async () => {
    const r = await run('symbolize', ...image, '--rva', '--json', '--inlines', '0x102a', '0x1000');
    expect(r.code).toBe(0);
    const [deep, none] = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(deep).toEqual({
      address: '0x102a',
      module: 'inline-x64',
      symbol: 'run_chain',
      displacement: 0x2a,
      // SYMBOL_INFO's Flags, Tag, Size (S_GPROC32 run_chain: code size 109, flags noinline | opt
      // debuginfo, so no FUNC_NO_RETURN).
      flags: 0,
      tag: 5,
      size: 109,
      file: 'C:\\dbghelp\\fixtures\\src\\inline.cpp',
      line: 56,
      // Each frame's address: the start of its site's first code range (llvm-pdbutil: outer's
      // annotations begin `code 0x6`, middle's 0xF, leaf's 0x1F, header_twice's 0x29).
      inlines: [
        { symbol: 'header_twice', address: '0x1029', file: 'C:\\dbghelp\\fixtures\\src\\inline.h', line: 7 },
        { symbol: 'geometry::leaf', address: '0x101f', file: 'C:\\dbghelp\\fixtures\\src\\inline.cpp', line: 18 },
        { symbol: 'geometry::middle', address: '0x100f', file: 'C:\\dbghelp\\fixtures\\src\\inline.cpp', line: 24 },
        { symbol: 'geometry::outer', address: '0x1006', file: 'C:\\dbghelp\\fixtures\\src\\inline.cpp', line: 30 },
      ],
    });
    expect(none).toMatchObject({ address: '0x1000', symbol: 'run_chain', inlines: [] });
  });

  test('without --inlines there is no inlines key', async () => {
    const r = await run('symbolize', ...image, '--rva', '--json', '0x102a');
    expect(JSON.parse(r.out)).not.toHaveProperty('inlines');
  });

  test('text: an indented line per inline frame under the address line', async () => {
    const r = await run('symbolize', ...image, '--rva', '--inlines', '0x1079');
    expect(r.out.split('\n').filter(Boolean)).toEqual([
      '0x1079 inline-x64!run_counter+0x9 C:\\dbghelp\\fixtures\\src\\inline.cpp:63',
      '  inlined Counter::add C:\\dbghelp\\fixtures\\src\\inline.cpp:39',
      '  inlined Counter::bump C:\\dbghelp\\fixtures\\src\\inline.cpp:44',
    ]);
  });

  test('every byte of .text: the inline names llvm-symbolizer gives, and never the physical function among them', async () => {
    const oracle = fs
      .readFileSync(path.join(FIX, 'expected', 'inline-x64.bytes.symbolizer.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(1)
      .map((l) => JSON.parse(l));
    const r = await run('symbolize', ...image, '--rva', '--json', '--inlines', ...oracle.map((o) => o.Address));
    const rows = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(oracle.length);
    let inlined = 0;
    rows.forEach((row, i) => {
      const want = (oracle[i].Symbol as { FunctionName: string }[]).slice(0, -1).map((f) => f.FunctionName);
      expect([row.address, row.inlines.map((f: { symbol: string }) => f.symbol)]).toEqual([oracle[i].Address, want]);
      expect(row.inlines.map((f: { symbol: string }) => f.symbol)).not.toContain(row.symbol);
      if (want.length) inlined++;
    });
    expect(inlined).toBeGreaterThan(150);
  });

  test('a backend that counts one frame too many (context past the chain = SymFromAddr) still lists no function twice', async () => {
    // DbgHelp users' classic trap: asking for a context that names the physical frame (context 0,
    // or one past the chain) and printing it as an inline frame.
    const real = SymbolHandler.prototype.addrIncludeInlineTrace;
    const spy = jest.spyOn(SymbolHandler.prototype, 'addrIncludeInlineTrace').mockImplementation(function (this: SymbolHandler, a: bigint) {
      const n = real.call(this, a);
      return n ? n + 1 : 0;
    });
    try {
      const r = await run('symbolize', ...image, '--rva', '--json', '--inlines', '0x102a');
      const row = JSON.parse(r.out);
      expect(row.inlines.map((f: { symbol: string }) => f.symbol)).toEqual(['header_twice', 'geometry::leaf', 'geometry::middle', 'geometry::outer']);
    } finally {
      spy.mockRestore();
    }
  });
});
