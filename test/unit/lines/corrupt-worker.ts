/**
 * Worker side of corrupt.test.ts: runs the line calls and the scope over mutated copies of a
 * PDB and reports, per case, anything that is not success or DbgHelpError BAD_FORMAT. Posts
 * `start` before each case so the parent can tell which one hangs.
 */
import * as fs from 'fs';
import { parentPort } from 'worker_threads';
import { DbgHelpError } from '../../../lib/api/errors';
import type { ModuleInfo } from '../../../lib/api/types';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import type { HandlerContext } from '../../../lib/portable/features/context';
import * as lines from '../../../lib/portable/features/lines';
import { Scope } from '../../../lib/portable/features/scope';
import { LoadedModule } from '../../../lib/portable/loaded-module';
import { PdbProvider } from '../../../lib/portable/pdb-provider';

export interface CorruptCase {
  id: string;
  /** [file offset, byte] overwrites. */
  set: [number, number][];
}
export interface Job {
  pdbPath: string;
  machine: number;
  /** Instruction RVAs to set scopes at. */
  rvas: number[];
  fileNames: string[];
  cases: CorruptCase[];
}
export type FromWorker = { type: 'start'; id: string } | { type: 'done'; id: string; problems: string[]; rejected: number } | { type: 'finished' };

const BASE = 0x140000000n;

function runCase(original: Uint8Array, job: Job, c: CorruptCase): { problems: string[]; rejected: number } {
  const bytes = Uint8Array.from(original);
  for (const [at, v] of c.set) bytes[at] = v;
  const problems: string[] = [];
  let rejected = 0;
  const step = (what: string, fn: () => void) => {
    try {
      fn();
      return true;
    } catch (e) {
      rejected++;
      if (!(e instanceof DbgHelpError) || e.code !== 'BAD_FORMAT') problems.push(`${c.id}: ${what}: ${e instanceof Error ? `${e.name} ${e.message}` : String(e)}`);
      return false;
    }
  };
  let provider: PdbProvider | undefined;
  if (!step('open', () => (provider = new PdbProvider(new PdbFile(new BufferSource(bytes, 'mutated.pdb')), undefined, job.machine)))) return { problems, rejected };
  const m = new LoadedModule(BASE, 0x100000, 'mutated', provider!, { machineType: job.machine } as ModuleInfo);
  const h = {
    options: 0,
    moduleAt: (a: bigint) => (m.contains(a) ? m : undefined),
    moduleByBase: (b: bigint) => (b === BASE ? m : undefined),
    modulesNamed: () => [m],
    debug: () => {},
    fromAddr: () => undefined,
    getLineFromAddr: () => undefined,
  } as HandlerContext;
  let all: ReturnType<typeof lines.enumLines> extends IterableIterator<infer T> ? T[] : never = [];
  step('enumLines', () => (all = [...lines.enumLines(h, BASE, {})]));
  step('enumSourceFiles', () => void [...lines.enumSourceFiles(h, BASE, undefined)]);
  for (const f of job.fileNames) for (const n of [1, 11, 20]) step(`getLineFromName ${f}:${n}`, () => lines.getLineFromName(h, undefined, f, n));
  for (const first of all.slice(0, 3)) {
    step(`walk from ${first.lineNumber}`, () => {
      let l = lines.getLineNext(h, { fileName: first.fileName, lineNumber: first.lineNumber, address: first.address, displacement: 0 }, 1);
      for (let n = 0; l; n++) {
        if (n > all.length + 1) throw new Error(`getLineNext did not end after ${n} steps`);
        l = lines.getLineNext(h, l, 1);
      }
    });
  }
  const scope = new Scope();
  for (const r of job.rvas) step(`scope 0x${r.toString(16)}`, () => scope.set(h, { instructionOffset: BASE + BigInt(r) }) && void [...scope.enumerate(h, () => true)]);
  return { problems, rejected };
}

export function serve(): void {
  parentPort!.once('message', (job: Job) => {
    const original = new Uint8Array(fs.readFileSync(job.pdbPath));
    for (const c of job.cases) {
      parentPort!.postMessage({ type: 'start', id: c.id } satisfies FromWorker);
      parentPort!.postMessage({ type: 'done', id: c.id, ...runCase(original, job, c) } satisfies FromWorker);
    }
    parentPort!.postMessage({ type: 'finished' } satisfies FromWorker);
  });
}
