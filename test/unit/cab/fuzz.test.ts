/**
 * No malformed cabinet can crash, hang or throw anything but DbgHelpError BAD_FORMAT (with the
 * file and an offset) or UNSUPPORTED. Real cabinets are cut at every 1/64 of their length and
 * corrupted with seeded byte overwrites, once with their checksums kept (most corruptions are
 * then caught by the checksum) and once with the checksums cleared, so the MSZIP and LZX
 * decoders see the damaged data. Subjects: the committed LZX and MSZIP fixtures (always) and,
 * with the corpus, a real .pd_, .ex_ and Microsoft-made LZX cabinets. Cases run in a worker
 * thread with a time bound each, so a hang fails its case instead of freezing the suite.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { openCab } from '../../../lib/formats/cab';
import { corpusPath, haveCorpus } from '../../helpers/corpus';
import { corruptions } from '../../helpers/mutate';
import { fixture } from './fixtures';
import type { FromWorker, FuzzCase, ToWorker } from './fuzz-worker';

const CASE_MS = 3000;
const WORKER_TS = path.join(__dirname, 'fuzz-worker.ts');
const BOOTSTRAP = `
const fs = require('fs');
const ts = require(${JSON.stringify(require.resolve('typescript'))});
const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true };
require.extensions['.ts'] = (module, filename) => {
  module._compile(ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename }).outputText, filename);
};
require(${JSON.stringify(WORKER_TS)}).serve();
`;

interface Result {
  problems: string[];
  ran: number;
  rejected: number;
  slowest: number;
}

let worker: Worker | undefined;
let ready: Promise<void> | undefined;
function start(): Promise<void> {
  if (!ready) {
    const w = (worker = new Worker(BOOTSTRAP, { eval: true }));
    ready = new Promise((resolve, reject) => {
      w.once('error', reject);
      w.once('message', (m: FromWorker) => (m.type === 'ready' ? resolve() : reject(new Error(`worker said ${m.type}`))));
    });
  }
  return ready;
}
afterAll(async () => {
  await worker?.terminate();
});

/** Runs cases in the worker; a case with no answer within CASE_MS is a hang: reported, worker replaced. */
async function run(cases: FuzzCase[]): Promise<Result> {
  const res: Result = { problems: [], ran: 0, rejected: 0, slowest: 0 };
  let rest = cases;
  while (rest.length) {
    await start();
    const w = worker!;
    const done = new Set<string>();
    const hung = await new Promise<string | undefined>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onMsg = (m: FromWorker) => {
        if (m.type === 'start') timer = setTimeout(() => finish(m.id), CASE_MS);
        else if (m.type === 'done') {
          clearTimeout(timer);
          done.add(m.id);
          res.ran++;
          res.problems.push(...m.problems);
          if (m.rejected) res.rejected++;
          res.slowest = Math.max(res.slowest, m.ms);
        } else if (m.type === 'end') finish(undefined);
      };
      const finish = (v: string | undefined) => {
        clearTimeout(timer);
        w.off('message', onMsg);
        w.off('error', reject);
        resolve(v);
      };
      w.on('message', onMsg);
      w.on('error', reject);
      w.postMessage({ type: 'run', cases: rest } satisfies ToWorker);
    });
    if (hung === undefined) break;
    await w.terminate();
    worker = undefined;
    ready = undefined;
    res.ran++;
    res.problems.push(`${hung}: no answer within ${CASE_MS} ms (hang)`);
    rest = rest.slice(rest.findIndex((c) => c.id === hung) + 1).filter((c) => !done.has(c.id));
  }
  return res;
}

/** File offsets of every CFDATA header of a (well-formed) cabinet. */
function cfdataHeaders(bytes: Uint8Array): number[] {
  const cab = openCab(bytes, 'x');
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  const out: number[] = [];
  const resv = cab.header.cbCFData;
  cab.folders.forEach((f, i) => {
    let at = v.getUint32(cab.header.foldersAt + i * (8 + cab.header.cbCFFolder), true);
    for (let k = 0; k < f.blocks; k++) {
      out.push(at);
      at += 8 + resv + v.getUint16(at + 4, true);
    }
  });
  return out;
}

function casesFor(name: string, bytes: Uint8Array, copies: number, seed: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (let k = 0; k <= 64; k++) {
    const n = Math.floor((bytes.length * k) / 64);
    cases.push({ id: `${name}[0:${n}]`, bytes: bytes.slice(0, n) });
  }
  const heads = cfdataHeaders(bytes);
  const firstData = heads[0] ?? bytes.length;
  corruptions(bytes, copies, 4, seed).forEach((b, i) => cases.push({ id: `${name}~flip${i}`, bytes: b }));
  corruptions(bytes, copies, 3, seed + 1, 0, firstData).forEach((b, i) => cases.push({ id: `${name}~head${i}`, bytes: b }));
  // Corrupt the compressed data with the checksums cleared, so the decoder meets the damage.
  corruptions(bytes, copies * 2, 1 + (seed % 4), seed + 2, firstData, bytes.length).forEach((b, i) => {
    for (const h of heads) b.fill(0, h, h + 4);
    cases.push({ id: `${name}~data${i}`, bytes: b });
  });
  return cases;
}

const subjects: [string, () => Uint8Array, number][] = [
  ['lzx-e8-uncompressed.cab', () => fixture('lzx-e8-uncompressed.cab'), 40],
  ['lzx-verbatim-frames.cab', () => fixture('lzx-verbatim-frames.cab'), 60],
  ['lzx-aligned-e8.cab', () => fixture('lzx-aligned-e8.cab'), 60],
  ['writer-mszip.cab', () => fixture('writer-mszip.cab'), 40],
];
const corpusSubjects: [string, string, number][] = [
  ['ShowSSEConfig.pd_', 'mstange_symsrv/tests/fixtures/ShowSSEConfig.pdb/A62592418D7807494C4C44205044422E1/ShowSSEConfig.pd_', 60],
  ['ShowSSEConfig.ex_', 'mstange_symsrv/tests/fixtures/ShowSSEConfig.exe/63E6C7F78000/ShowSSEConfig.ex_', 30],
  ['mixed.cab', 'kyz_libmspack/cabextract/test/cabs/mixed.cab', 40],
  ['normal_2files_2folders.cab', 'kyz_libmspack/libmspack/test/test_files/cabd/normal_2files_2folders.cab', 40],
  ['large-files-cab.cab', 'kyz_libmspack/cabextract/test/cabs/large-files-cab.cab', 6],
];

describe('malformed cabinets', () => {
  test.each(subjects.map(([n, load, copies], i) => [n, load, copies, i] as const))('%s: truncations and corruptions', async (name, load, copies, i) => {
    const cases = casesFor(name, load(), copies, 17 + i * 101);
    const r = await run(cases);
    expect(r.ran).toBe(cases.length);
    expect(r.problems).toEqual([]);
    expect(r.rejected).toBeGreaterThan(cases.length / 2); // the mutations do reach the checks
  });

  if (haveCorpus) {
    test.each(corpusSubjects.map(([n, p, copies], i) => [n, p, copies, i] as const))('corpus %s: truncations and corruptions', async (name, p, copies, i) => {
      const cases = casesFor(name, new Uint8Array(fs.readFileSync(corpusPath(p))), copies, 7 + i * 31);
      const r = await run(cases);
      expect(r.ran).toBe(cases.length);
      expect(r.problems).toEqual([]);
    });
  } else {
    test.skip('corpus cabinets: did not run (no corpus)', () => {});
  }
});
