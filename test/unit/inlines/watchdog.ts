/**
 * A hang watchdog for synchronous parsers: cases run one by one in a worker thread, which says
 * when each starts; a case that gives no answer within `caseMs` is reported as a hang (the
 * worker is terminated and a fresh one carries on with the next case). A case running in the
 * jest process itself could not be cut off: a synchronous loop never yields to jest's timeout.
 *
 * The worker loads `cases.ts` through a require hook that transpiles TypeScript with the
 * project's own `typescript`, as ts-jest does with isolatedModules, and keeps the output in a
 * cache under the temp directory. One worker serves every batch of a test file, until close()
 * or a hang.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { CaseName, CaseResult } from './cases';

const CASES_TS = path.join(__dirname, 'cases.ts');

const BOOTSTRAP = `
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { parentPort } = require('worker_threads');
const TS = ${JSON.stringify(require.resolve('typescript'))};
const options = { module: 1 /* CommonJS */, target: 9 /* ES2022 */, esModuleInterop: true, isolatedModules: true };
// Transpiled sources are kept in a cache keyed by their text (and the compiler's version), so a
// fresh worker does not pay seconds for transpiling the library again.
const version = JSON.parse(fs.readFileSync(path.join(path.dirname(TS), '..', 'package.json'), 'utf8')).version;
const cacheDir = path.join(os.tmpdir(), 'dbghelp-test-ts-cache');
let ts;
require.extensions['.ts'] = (module, filename) => {
  const src = fs.readFileSync(filename, 'utf8');
  const file = path.join(cacheDir, crypto.createHash('sha1').update(version + JSON.stringify(options) + filename + src).digest('hex') + '.js');
  let out;
  try {
    out = fs.readFileSync(file, 'utf8');
  } catch {
    ts ??= require(TS);
    out = ts.transpileModule(src, { compilerOptions: options, fileName: filename }).outputText;
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      fs.writeFileSync(file + '.' + process.pid, out);
      fs.renameSync(file + '.' + process.pid, file);
    } catch {}
  }
  module._compile(out, filename);
};
const cases = require(${JSON.stringify(CASES_TS)});
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', async (m) => {
  // Loading what the cases need is not part of any case's time.
  try { await cases.prepare(m.name); } catch {}
  for (let i = m.from; i < m.args.length; i++) {
    parentPort.postMessage({ type: 'start', i });
    let r;
    try { r = await cases.run(m.name, m.args[i]); } catch (e) { r = { outcome: 'driver failed', detail: String(e && e.stack || e) }; }
    parentPort.postMessage({ type: 'done', i, r });
  }
  parentPort.postMessage({ type: 'end' });
});
`;

export type GuardedResult = CaseResult | { outcome: 'hang'; detail: string };

export class Watchdog {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;

  constructor(private readonly caseMs = 2000) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const w = new Worker(BOOTSTRAP, { eval: true });
    this.worker = w;
    this.ready = new Promise((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    });
    return this.ready;
  }

  private async kill(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    await w?.terminate();
  }

  /** Runs `cases.run(name, arg)` for each arg; a case slower than caseMs is reported as a hang. */
  async run(name: CaseName, args: unknown[]): Promise<GuardedResult[]> {
    const results: GuardedResult[] = new Array(args.length);
    let from = 0;
    while (from < args.length) {
      await this.start();
      const w = this.worker!;
      const hung = await new Promise<number | undefined>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const done = (v: number | undefined) => {
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
        const onMsg = (m: { type: string; i: number; r: CaseResult }) => {
          if (m.type === 'start') {
            clearTimeout(timer);
            timer = setTimeout(() => done(m.i), this.caseMs);
          } else if (m.type === 'done') results[m.i] = m.r;
          else if (m.type === 'end') done(undefined);
        };
        w.on('message', onMsg);
        w.on('error', onErr);
        w.postMessage({ name, args, from });
      });
      if (hung === undefined) break;
      results[hung] = { outcome: 'hang', detail: `no answer within ${this.caseMs} ms` };
      await this.kill();
      from = hung + 1;
    }
    return results;
  }

  close(): Promise<void> {
    return this.kill();
  }
}
