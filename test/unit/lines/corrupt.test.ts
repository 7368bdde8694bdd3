/**
 * Malformed line tables and symbol records give DbgHelpError BAD_FORMAT, never a crash or a
 * hang: the fixture PDBs' module streams (the symbol records the scope walks, and the C13 line
 * block) are overwritten with seeded bytes and hostile values, and every line call and a scope
 * at a spread of addresses run over each copy (corrupt-worker.ts). The cases run in a worker
 * thread under a watchdog: a case that makes no progress for 3 s is a failure naming it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { MachineType } from '../../../lib/api/constants';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { rng } from '../../helpers/mutate';
import type { CorruptCase, FromWorker, Job } from './corrupt-worker';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const CASE_MS = Number(process.env.LINES_CASE_MS ?? 3000);

const BOOTSTRAP = `
const fs = require('fs');
const ts = require(${JSON.stringify(require.resolve('typescript'))});
const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true };
require.extensions['.ts'] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename });
  module._compile(out.outputText, filename);
};
require(${JSON.stringify(path.join(__dirname, 'corrupt-worker.ts'))}).serve();
`;

/** Runs the cases in a worker; a case without an answer within CASE_MS is reported as a hang. */
function runGuarded(job: Job): Promise<{ problems: string[]; ran: number; rejected: number }> {
  return new Promise((resolve, reject) => {
    const problems: string[] = [];
    let ran = 0;
    let rejected = 0;
    const w = new Worker(BOOTSTRAP, { eval: true });
    let timer: NodeJS.Timeout | undefined;
    const watch = (what: string, ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        problems.push(`${what}: no answer within ${ms} ms (hang)`);
        void w.terminate().then(() => resolve({ problems, ran, rejected }));
      }, ms);
    };
    w.on('message', (m: FromWorker) => {
      if (m.type === 'start') watch(m.id, CASE_MS);
      else if (m.type === 'done') {
        ran++;
        if (m.rejected) rejected++;
        problems.push(...m.problems);
      } else {
        clearTimeout(timer);
        void w.terminate().then(() => resolve({ problems, ran, rejected }));
      }
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    watch('worker startup', 30_000);
    w.postMessage(job);
  });
}

/** File offsets of a stream's bytes [from, to), through its MSF block list. */
function fileOffsets(pdb: PdbFile, stream: number, from: number, to: number): number[] {
  const bs = pdb.msf.superBlock.blockSize;
  const blocks = pdb.msf.streamBlocks(stream);
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(blocks[Math.floor(i / bs)] * bs + (i % bs));
  return out;
}

function cases(pdbPath: string, seed: number, perRegion: number): CorruptCase[] {
  const pdb = new PdbFile(new BufferSource(new Uint8Array(fs.readFileSync(pdbPath)), path.basename(pdbPath)));
  const out: CorruptCase[] = [];
  const r = rng(seed);
  const hostile = [0x00, 0xff, 0x7f, 0x80, 0x01];
  pdb.modules().forEach((m, mod) => {
    if (m.symStream === 0xffff || !m.symByteSize) return;
    const regions: [string, number, number][] = [
      [`mod${mod} symbols`, 4, m.symByteSize],
      [`mod${mod} C13`, m.symByteSize + m.c11ByteSize, m.symByteSize + m.c11ByteSize + m.c13ByteSize],
    ];
    for (const [name, from, to] of regions) {
      if (to <= from) continue;
      const offs = fileOffsets(pdb, m.symStream, from, to);
      for (let k = 0; k < perRegion; k++) {
        const flips = 1 + Math.floor(r() * 4);
        const set: [number, number][] = [];
        for (let i = 0; i < flips; i++) set.push([offs[Math.floor(r() * offs.length)], r() < 0.5 ? hostile[Math.floor(r() * hostile.length)] : Math.floor(r() * 256)]);
        out.push({ id: `${path.basename(pdbPath)} ${name} #${k}`, set });
      }
    }
  });
  return out;
}

const TARGETS: { pdb: string; machine: number; seed: number; perRegion: number }[] = [
  { pdb: 'locals-x64.pdb', machine: MachineType.AMD64, seed: 101, perRegion: 25 },
  { pdb: 'locals-x86.pdb', machine: MachineType.I386, seed: 202, perRegion: 25 },
  { pdb: 'basic-arm64.pdb', machine: MachineType.ARM64, seed: 303, perRegion: 10 },
];

describe('malformed module streams: line calls and scopes give BAD_FORMAT or answers, never crash or hang', () => {
  test.each(TARGETS.map((t) => [t.pdb, t] as const))(
    '%s',
    async (_n, t) => {
      const pdbPath = path.join(BIN, t.pdb);
      const job: Job = {
        pdbPath,
        machine: t.machine,
        rvas: Array.from({ length: 24 }, (_, i) => 0x1000 + i * 12),
        fileNames: ['locals.c', 'basic.c', 'crt.c'],
        cases: cases(pdbPath, t.seed, t.perRegion),
      };
      const res = await runGuarded(job);
      expect(res.problems).toEqual([]);
      expect(res.ran).toBe(job.cases.length);
      // The overwrites reach the parsers: a good share of the cases is refused somewhere.
      expect(res.rejected).toBeGreaterThan(job.cases.length / 10);
    },
    120_000,
  );
});
