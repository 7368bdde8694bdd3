/**
 * `symbolize` answers a batch in address order and writes it in input order (lib/cli/symbolizer.ts):
 * each distinct address is looked up once, lowest first, and every row is the one the line gets
 * when it is answered alone.
 */
import * as path from 'path';
import { PassThrough } from 'stream';
import { SymbolHandler } from '../../../lib/handler';
import { loadModules } from '../../../lib/cli/modules';
import { Symbolizer, type RunState } from '../../../lib/cli/symbolizer';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');

async function answerer(json: boolean, inlines: boolean) {
  const sym = SymbolHandler.initialize({ searchPath: null });
  const mods = await loadModules(sym, [{ file: path.join(BIN, 'inline-x64.exe'), pdbPath: path.join(BIN, 'inline-x64.pdb') }], new PassThrough());
  const asked: bigint[] = [];
  const fromAddr = sym.fromAddr.bind(sym);
  sym.fromAddr = (a: bigint) => (asked.push(a), fromAddr(a));
  // The portable backend answers symbolize through addressFacts (fromAddr's values, no objects).
  const backend = sym.backendHandler;
  const facts = backend.addressFacts!.bind(backend);
  backend.addressFacts = (a, out) => (asked.push(a), facts(a, out));
  const err = new PassThrough();
  let errText = '';
  err.on('data', (d) => (errText += d));
  const s = new Symbolizer(sym, mods, json, false, inlines, err);
  const answer = async (lines: string[]) => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const state: RunState = { bad: 0, missing: 0, lineNo: 0 };
    await s.answer(() => lines, state, out);
    return { rows: text.split('\n').slice(0, -1), state, err: errText };
  };
  return { sym, asked, answer };
}

// Out of order, repeated, module-relative, by name, blank, bad, past every module, and past 2^53
// (answered where it stands: a double cannot hold it).
const LINES = ['0x14000102a', '0x140001000', 'inline-x64+0x102a', '0x140001010', '', 'nonsense', '0x140001000', 'inline-x64!run_chain', '0x10', '0x140001073', '0xfffff80000001000'];

describe.each([
  ['--json', true],
  ['text', false],
])('symbolize batches (%s)', (_mode, json) => {
  test('each distinct address is looked up once, in address order', async () => {
    const { sym, asked, answer } = await answerer(json, true);
    try {
      await answer(LINES);
      // `inline-x64!run_chain` is found by name, not by address.
      expect(asked).toEqual([0x10n, 0x140001000n, 0x140001010n, 0x14000102an, 0x140001073n, 0xfffff80000001000n]);
    } finally {
      sym.cleanup();
    }
  });

  test('rows come in input order, each as the line alone gets it', async () => {
    const batch = await answerer(json, true);
    const alone = await answerer(json, true);
    try {
      const { rows, state, err } = await batch.answer(LINES);
      if (!json) expect(err).toMatch(/^dbghelp: input line 6: 'nonsense' is not an address/);
      const expected: string[] = [];
      for (const l of LINES) expected.push(...(await alone.answer([l])).rows);
      expect(rows).toEqual(expected);
      expect(rows.length).toBeGreaterThanOrEqual(json ? 9 : 8);
      expect(state).toEqual({ bad: 1, missing: 2, lineNo: LINES.length });
      if (json) {
        expect(JSON.parse(rows[0])).toMatchObject({ address: '0x14000102a', symbol: 'run_chain', displacement: 0x2a });
        expect(JSON.parse(rows[2])).toMatchObject({ input: 'inline-x64+0x102a', address: '0x14000102a', symbol: 'run_chain' });
        expect(JSON.parse(rows[4])).toEqual({ input: 'nonsense', error: expect.stringContaining('is not an address') });
        expect(JSON.parse(rows[7])).toMatchObject({ address: '0x10', module: null, symbol: null, displacement: null });
        expect(JSON.parse(rows[9])).toMatchObject({ address: '0xfffff80000001000', module: null, symbol: null });
        // Inline frames, innermost first, kept as fields until the row is written.
        const frames = [
          { symbol: 'header_twice', address: '0x140001029', file: 'C:\\dbghelp\\fixtures\\src\\inline.h', line: 7 },
          { symbol: 'geometry::leaf', address: '0x14000101f', file: 'C:\\dbghelp\\fixtures\\src\\inline.cpp', line: 18 },
          { symbol: 'geometry::middle', address: '0x14000100f', file: 'C:\\dbghelp\\fixtures\\src\\inline.cpp', line: 24 },
          { symbol: 'geometry::outer', address: '0x140001006', file: 'C:\\dbghelp\\fixtures\\src\\inline.cpp', line: 30 },
        ];
        expect(JSON.parse(rows[0]).inlines).toEqual(frames);
        expect(JSON.parse(rows[2]).inlines).toEqual(frames);
        expect(JSON.parse(rows[8]).inlines).toEqual([{ symbol: 'Counter::bump', address: '0x140001070', file: 'C:\\dbghelp\\fixtures\\src\\inline.cpp', line: 43 }]);
      } else {
        expect(rows.slice(0, 5)).toEqual([
          '0x14000102a inline-x64!run_chain+0x2a C:\\dbghelp\\fixtures\\src\\inline.cpp:56',
          '  inlined header_twice C:\\dbghelp\\fixtures\\src\\inline.h:7',
          '  inlined geometry::leaf C:\\dbghelp\\fixtures\\src\\inline.cpp:18',
          '  inlined geometry::middle C:\\dbghelp\\fixtures\\src\\inline.cpp:24',
          '  inlined geometry::outer C:\\dbghelp\\fixtures\\src\\inline.cpp:30',
        ]);
      }
    } finally {
      batch.sym.cleanup();
      alone.sym.cleanup();
    }
  });
});
