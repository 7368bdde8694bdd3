/**
 * No malformed PDB can crash, hang or throw anything but DbgHelpError BAD_FORMAT.
 *
 * Real PDBs (the project's fixtures, always; corpus PDBs when the corpus is present) are
 * truncated at every MSF block boundary and a spread of odd offsets, and corrupted with seeded
 * byte overwrites and hostile field values aimed at one structure at a time: the superblock,
 * the stream directory, the PDB info stream, the DBI header and its substreams, the publics
 * (GSI header, hash records, buckets, address map), the globals, the symbol records, module
 * symbol streams, the section header, FPO and OMAP streams and /names.
 *
 * Every mutated file is driven through the parsers (`new PdbFile(new BufferSource(...))` and
 * each accessor) and the public API (`SymbolHandler.loadModule` paired with its image and
 * alone, `fromAddr` over a spread of addresses, `fromName`, a full `enumSymbols()`). Each step
 * must succeed or throw DbgHelpError BAD_FORMAT naming the file and an offset (PDB_MISMATCH is
 * allowed where the PDB is paired with its image, UNSUPPORTED for the /DEBUG:FASTLINK flag and for a nil DBI stream, the types-only PDB).
 * Cases run in worker threads with a 2 s bound each (fuzz/pool.ts), so a hang is a failure
 * naming its case, not a stuck suite. Seeds are fixed: a failure's case id reproduces it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { corpusPath, describeCorpus } from '../../helpers/corpus';
import type { Case } from './fuzz/drive';
import { blockSizeOf, makeSubject, regionCases, regions, shrinkCases, truncationCases, type Budget } from './fuzz/layout';
import { CasePool } from './fuzz/pool';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const CASE_MS = 2000;

let pool: CasePool;
beforeAll(() => {
  pool = new CasePool(2);
});
afterAll(async () => {
  await pool?.close();
});

interface Target {
  name: string;
  pdb: string;
  image?: string;
  budget: Budget;
  seed: number;
}

function suite(t: Target): void {
  const buf = new Uint8Array(fs.readFileSync(t.pdb));
  const regs = regions(buf, t.name);
  const subject = makeSubject(t.name, t.pdb, t.image);

  const check = async (cases: Case[]) => {
    const res = await pool.run(await subject, cases, CASE_MS);
    if (process.env.PDB_FUZZ_STATS) {
      process.stderr.write(
        `${expect.getState().currentTestName}: ${cases.length} cases, ${res.rejectedCases} rejected somewhere, slowest ${res.slowest.id} ${Math.round(res.slowest.ms)} ms; ${JSON.stringify(res.rejectedSteps)}\n`,
      );
    }
    expect(res.ran).toBe(cases.length);
    expect(res.problems.sort()).toEqual([]);
  };

  test('truncations at every block boundary and odd offsets', async () => {
    await check(truncationCases(buf, blockSizeOf(buf, t.name), t.budget, t.seed));
  });
  test('streams cut short inside their last block', async () => {
    await check(shrinkCases(buf, t.name, t.budget.shrinkModules, t.seed + 5));
  });
  test.each(regs.map((r, i) => [r.name, i] as const))('corrupt %s', async (_name, i) => {
    await check(regionCases(regs[i], t.budget, t.seed + i * 1009));
  });
}

const fixtureBudget: Budget = { flipsPerRegion: 24, fields: true, oddCuts: 16, nearBoundaries: true, patchedBoundaries: 32, shrinkModules: 100 };
const fixtures: Target[] = [
  { name: 'basic-x64', pdb: path.join(BIN, 'basic-x64.pdb'), image: path.join(BIN, 'basic-x64.exe'), budget: fixtureBudget, seed: 11 },
  { name: 'cppfeatures-x86', pdb: path.join(BIN, 'cppfeatures-x86.pdb'), image: path.join(BIN, 'cppfeatures-x86.exe'), budget: fixtureBudget, seed: 23 },
  { name: 'exports-arm64', pdb: path.join(BIN, 'exports-arm64.pdb'), image: path.join(BIN, 'exports-arm64.dll'), budget: { ...fixtureBudget, fields: false, flipsPerRegion: 8 }, seed: 37 },
];

describe.each(fixtures.map((f) => [f.name, f] as const))('malformed fixture PDB %s', (_n, t) => suite(t));

const corpusBudget: Budget = { flipsPerRegion: 8, fields: false, oddCuts: 8, nearBoundaries: false, patchedBoundaries: 16, shrinkModules: 6 };
describeCorpus('malformed corpus PDBs', () => {
  const targets: Target[] = [
    {
      name: 'crash',
      pdb: corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.pdb'),
      image: corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.exe'),
      budget: corpusBudget,
      seed: 101,
    },
    { name: 'omap_reorder_funcs', pdb: corpusPath('google_breakpad/src/tools/windows/dump_syms/testdata/omap_reorder_funcs.pdb'), budget: corpusBudget, seed: 202 },
    { name: 'softokn3', pdb: corpusPath('mstange_samply/fixtures/win64-ci/softokn3.pdb'), budget: { ...corpusBudget, flipsPerRegion: 6 }, seed: 303 },
  ].filter((t) => fs.existsSync(t.pdb));
  describe.each(targets.map((t) => [t.name, t] as const))('%s', (_n, t) => suite(t));
});
