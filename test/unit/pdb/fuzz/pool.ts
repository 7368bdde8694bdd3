/**
 * A small pool of worker threads running robustness cases with a per-case time bound.
 *
 * Parsers are synchronous, so a case that loops forever would freeze a test running in the
 * jest process itself. Here each case runs in a worker; the parent arms a timer when the worker
 * says the case started, and when it fires the worker is terminated, the case is reported as a
 * hang (with its id and mutation), and a fresh worker carries on with the remaining cases.
 *
 * Workers load the TypeScript sources through a require hook that transpiles with the
 * project's own `typescript` (as ts-jest does with isolatedModules).
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { describe as describeMutation, type Case, type Subject } from './drive';
import type { FromWorker, ToWorker } from './worker';

const WORKER_TS = path.join(__dirname, 'worker.ts');

const BOOTSTRAP = `
const fs = require('fs');
const ts = require(${JSON.stringify(require.resolve('typescript'))});
const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true, sourceMap: false, inlineSourceMap: false };
require.extensions['.ts'] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename });
  module._compile(out.outputText, filename);
};
require(${JSON.stringify(WORKER_TS)}).serve();
`;

export interface RunResult {
  problems: string[];
  /** Cases run (including those that hung). */
  ran: number;
  slowest: { id: string; ms: number };
  /** Cases in which at least one step rejected the file (the rest were accepted throughout). */
  rejectedCases: number;
  /** How often each step rejected a file. */
  rejectedSteps: Record<string, number>;
}

class Slot {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const w = new Worker(BOOTSTRAP, { eval: true });
    this.worker = w;
    this.ready = new Promise((resolve, reject) => {
      const onMsg = (m: FromWorker) => {
        if (m.type === 'ready') {
          w.off('message', onMsg);
          w.off('error', reject);
          resolve();
        }
      };
      w.on('message', onMsg);
      w.once('error', reject);
    });
    return this.ready;
  }

  private kill(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.ready = undefined;
  }

  stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (!w) return Promise.resolve();
    w.postMessage({ type: 'stop' } satisfies ToWorker);
    return w.terminate().then(() => undefined);
  }

  /** Runs cases in order; a case that takes longer than caseMs is a hang and is skipped past. */
  async run(subject: Subject, cases: Case[], caseMs: number, out: RunResult): Promise<void> {
    let rest = cases;
    while (rest.length) {
      await this.start();
      const w = this.worker!;
      const byId = new Map(rest.map((c) => [c.id, c]));
      const done = new Set<string>();
      const hung = await new Promise<string | undefined>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const finish = (v: string | undefined) => {
          clearTimeout(timer);
          w.off('message', onMsg);
          w.off('error', onErr);
          resolve(v);
        };
        const onErr = (e: Error) => {
          clearTimeout(timer);
          w.off('message', onMsg);
          reject(e);
        };
        const onMsg = (m: FromWorker) => {
          if (m.type === 'start') {
            clearTimeout(timer);
            timer = setTimeout(() => finish(m.id), caseMs);
          } else if (m.type === 'done') {
            clearTimeout(timer);
            done.add(m.id);
            out.ran++;
            out.problems.push(...m.problems);
            if (m.rejected.length) out.rejectedCases++;
            for (const s of m.rejected) out.rejectedSteps[s] = (out.rejectedSteps[s] ?? 0) + 1;
            if (m.ms > out.slowest.ms) out.slowest = { id: `${subject.name}~${m.id}`, ms: m.ms };
            if (m.ms > caseMs) out.problems.push(`${subject.name}~${m.id} [${describeMutation(byId.get(m.id)!.mutation)}]: took ${Math.round(m.ms)} ms (bound ${caseMs} ms)`);
          } else if (m.type === 'end') finish(undefined);
        };
        w.on('message', onMsg);
        w.on('error', onErr);
        w.postMessage({ type: 'run', subject, cases: rest } satisfies ToWorker);
      });
      if (hung === undefined) return;
      out.ran++;
      out.problems.push(`${subject.name}~${hung} [${describeMutation(byId.get(hung)!.mutation)}]: no answer within ${caseMs} ms (hang), worker terminated`);
      this.kill();
      const i = rest.findIndex((c) => c.id === hung);
      rest = rest.slice(i + 1).filter((c) => !done.has(c.id));
    }
  }
}

export class CasePool {
  private readonly slots: Slot[];
  constructor(size = 2) {
    this.slots = Array.from({ length: size }, () => new Slot());
  }

  /** Runs the cases spread over the workers; resolves with every problem found. */
  async run(subject: Subject, cases: Case[], caseMs = 2000): Promise<RunResult> {
    const out: RunResult = { problems: [], ran: 0, slowest: { id: '', ms: 0 }, rejectedCases: 0, rejectedSteps: {} };
    const n = this.slots.length;
    await Promise.all(
      this.slots.map((s, k) =>
        s.run(
          subject,
          cases.filter((_, i) => i % n === k),
          caseMs,
          out,
        ),
      ),
    );
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.stop()));
  }
}
