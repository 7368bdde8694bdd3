/**
 * A Breakpad .sym loaded as a module (SymLoadModuleEx on a .sym: SymType SymSym), answering
 * SymFromAddr and SymGetLineFromAddr64 from its FUNC, line and PUBLIC records: the .sym is the
 * one `dumpSyms` writes for a fixture PDB, and its answers are checked against the PDB's.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { SymbolHandler, SymType } from '../../../lib';
import { dumpSyms } from '../../../lib/breakpad';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'dumps', 'bin');
let tmp: string;
let symFile: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'load-sym-'));
  symFile = path.join(tmp, 'crashes-x64.sym');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await dumpSyms({ pdb: path.join(FIX, 'crashes-x64.pdb'), image: path.join(FIX, 'crashes-x64.exe'), out });
  fs.writeFileSync(symFile, Buffer.concat(chunks));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("fromAddr, lines and module info from the .sym equal the PDB's inside functions", async () => {
  const base = 0x140000000n;
  const viaSym = SymbolHandler.initialize({ searchPath: '' });
  const viaPdb = SymbolHandler.initialize({ searchPath: '' });
  try {
    await viaSym.loadModule(symFile, { baseAddress: base, size: 0x11000 });
    await viaPdb.loadModule(path.join(FIX, 'crashes-x64.exe'));
    const info = viaSym.getModuleInfo(base)!;
    expect(info.symType).toBe(SymType.Sym);
    expect(info.loadedPdbName).toBe(symFile);
    expect(viaSym.getModuleStatus(base)).toMatchObject({ kind: 'loaded', source: 'breakpad', symbolFile: symFile });
    let compared = 0;
    for (const name of ['inline_outer', 'scenario_inline', 'run_scenario', 'main', 'leaf_store', 'waiter_block']) {
      const f = viaPdb.fromName(name)!;
      // Inside the function (past its end the PDB answers the nearest symbol, the .sym nothing).
      for (const off of [0n, 1n, BigInt(f.size - 1)]) {
        const at = f.address + off;
        const a = viaSym.fromAddr(at)!;
        const b = viaPdb.fromAddr(at)!;
        expect([a.symbol.name, a.displacement]).toEqual([b.symbol.name, b.displacement]);
        const la = viaSym.getLineFromAddr(at);
        const lb = viaPdb.getLineFromAddr(at);
        if (off > 0n && la && lb) expect([path.basename(la.fileName), la.lineNumber]).toEqual([path.basename(lb.fileName), lb.lineNumber]);
        compared++;
      }
    }
    expect(compared).toBe(18);
  } finally {
    viaSym.cleanup();
    viaPdb.cleanup();
  }
});

test('a .sym without a base address is INVALID_PARAMETER', async () => {
  const sym = SymbolHandler.initialize({ searchPath: '' });
  try {
    await expect(sym.loadModule(symFile)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  } finally {
    sym.cleanup();
  }
});
