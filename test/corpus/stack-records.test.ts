/**
 * STACK WIN (x86) and STACK CFI (x64) records from dumpSyms' default `stack` against the .sym
 * files Breakpad's DIA-based dump_syms wrote for the corpus PDBs and images, record for record
 * (as multisets, and in order). Each difference class is pinned below with its evidence.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { dumpSyms, dumpSymsFromImage, stackCfiRecords } from '../../lib/breakpad';
import { PeImage } from '../../lib/formats/pe/pe-image';
import { expandCab } from '../../lib/symsrv/expand';
import { corpusPath, describeCorpus } from '../helpers/corpus';

const BP = 'google_breakpad/src/tools/windows/dump_syms/testdata';
const GS = 'getsentry_symbolic/symbolic-testutils/fixtures/windows';
const MZ = 'mozilla_dump_syms/test_data/windows';

interface Agreement {
  got: number;
  want: number;
  same: number;
  inOrder: boolean;
  extra: string[];
  missing: string[];
}

function agreement(got: string[], want: string[]): Agreement {
  const w = new Map<string, number>();
  for (const l of want) w.set(l, (w.get(l) ?? 0) + 1);
  let same = 0;
  const extra: string[] = [];
  for (const l of got) {
    const n = w.get(l) ?? 0;
    if (n > 0) {
      same++;
      w.set(l, n - 1);
    } else extra.push(l);
  }
  const missing = [...w].flatMap(([l, n]) => Array<string>(n).fill(l));
  return { got: got.length, want: want.length, same, inOrder: got.length === want.length && got.every((l, i) => l === want[i]), extra, missing };
}

const stackLines = (text: string) => text.split(/\r?\n/).filter((l) => l.startsWith('STACK '));

async function dumped(pdb: string, image?: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  await dumpSyms({ pdb, image, out });
  return Buffer.concat(chunks).toString('utf8');
}

interface Case {
  pdb?: string;
  image?: string;
  expected: string;
  /** Pinned: records equal, and the differences (none unless listed with their evidence). */
  same: number;
  inOrder: boolean;
  /**
   * The expected file has no line ending in a space (symbolic's crash.sym: `grep -c ' $'` is 0)
   * where the PDB's /names program strings end in one, which dump_syms prints as stored
   * (`%ws`, breakpad's own testdata keeps them): the lines are compared with trailing spaces
   * trimmed, and `trimmed` pins how many differed only in that.
   */
  trimmed?: number;
}

const CASES: Case[] = [
  { pdb: `${BP}/dump_syms_regtest.pdb`, expected: `${BP}/dump_syms_regtest.sym`, same: 281, inOrder: true },
  { pdb: `${BP}/omap_reorder_funcs.pdb`, expected: `${BP}/omap_reorder_funcs.sym`, same: 281, inOrder: true },
  { pdb: `${BP}/omap_stretched_filled.pdb`, expected: `${BP}/omap_stretched_filled.sym`, same: 281, inOrder: true },
  { pdb: `${BP}/omap_reorder_bbs.pdb`, expected: `${BP}/omap_reorder_bbs.sym`, same: 2506, inOrder: true },
  { pdb: `${BP}/omap_stretched.pdb`, expected: `${BP}/omap_stretched.sym`, same: 350, inOrder: true },
  { pdb: `${GS}/crash.pdb`, image: `${GS}/crash.exe`, expected: `${GS}/crash.sym`, same: 154, inOrder: true, trimmed: 151 },
  { pdb: `${MZ}/basic32-min.pdb`, image: `${MZ}/basic32-min.dll`, expected: `${MZ}/basic32-min.old.sym`, same: 5058, inOrder: true },
  { pdb: `${MZ}/basic32.pd_`, image: `${MZ}/basic32.dll`, expected: `${MZ}/basic32.old.sym`, same: 5058, inOrder: true },
  { pdb: `${BP}/dump_syms_regtest64.pdb`, image: `${BP}/dump_syms_regtest64.exe`, expected: `${BP}/dump_syms_regtest64.sym`, same: 390, inOrder: true },
  { pdb: `${BP}/dump_syms_regtest64.pdb`, image: `${BP}/dump_syms_regtest64.exe`, expected: `${MZ}/dump_syms_regtest64.old.sym`, same: 390, inOrder: true },
  { pdb: `${GS}/CrashWithException.pdb`, image: `${GS}/CrashWithException.exe`, expected: `${GS}/CrashWithException.pdb.sym`, same: 82, inOrder: true },
  // x64 images without their PDB: the STACK CFI records come from the image alone.
  { image: `${BP}/pe_only_symbol_test.dll`, expected: `${BP}/pe_only_symbol_test.sym`, same: 212, inOrder: true },
  { image: `${MZ}/basic64.dll`, expected: `${MZ}/basic64.old.sym`, same: 3004, inOrder: true },
  { image: `${MZ}/basic-opt64.dll`, expected: `${MZ}/basic-opt64.old.sym`, same: 2924, inOrder: true },
];

describeCorpus('STACK WIN / STACK CFI vs Breakpad dump_syms (DIA)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stackrec-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const c of CASES) {
    test(`${path.basename(c.expected)}`, async () => {
      let got: string[];
      if (c.pdb) {
        let pdb = corpusPath(c.pdb);
        if (pdb.endsWith('_')) {
          const out = path.join(tmp, path.basename(c.pdb).replace(/_$/, 'b'));
          expandCab(pdb, path.basename(out), out);
          pdb = out;
        }
        got = stackLines(await dumped(pdb, c.image && corpusPath(c.image)));
      } else {
        const img = PeImage.open(corpusPath(c.image!));
        try {
          got = [...stackCfiRecords(img)];
        } finally {
          img.close();
        }
      }
      const want = stackLines(fs.readFileSync(corpusPath(c.expected), 'utf8'));
      if (c.trimmed !== undefined) {
        expect(got.filter((l) => l !== l.trimEnd()).length).toBe(c.trimmed);
        got = got.map((l) => l.trimEnd());
      }
      const a = agreement(got, want);
      expect({ same: a.same, want: a.want, inOrder: a.inOrder, extra: a.extra.slice(0, 4), missing: a.missing.slice(0, 4) }).toEqual({
        same: c.same,
        want: c.same,
        inOrder: c.inOrder,
        extra: [],
        missing: [],
      });
    }, 120000);
  }

  test('pe_only_symbol_test.dll alone: the whole file dump_syms wrote', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (d: Buffer) => chunks.push(d));
    const r = await dumpSymsFromImage({ image: corpusPath(`${BP}/pe_only_symbol_test.dll`), out });
    const want = fs
      .readFileSync(corpusPath(`${BP}/pe_only_symbol_test.sym`), 'utf8')
      .split(/\r?\n/)
      .filter((l) => l !== '');
    expect(
      Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== ''),
    ).toEqual(want);
    expect(r).toEqual({ module: { os: 'windows', arch: 'x86_64', id: '2A5EAB481FAB4A17A9761CDC14FE531A1', name: 'pe_only_symbol_test.pdb' }, codeId: '5C8AD05F12000', stack: 212 });
  });
});
