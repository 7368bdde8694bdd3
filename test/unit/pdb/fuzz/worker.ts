/**
 * Worker-thread side of the pool: receives a subject and its cases, runs them one by one and
 * says when each starts and ends, so the parent can cut off a case that hangs.
 */
import * as fs from 'fs';
import { parentPort } from 'worker_threads';
import { cleanupTmp, runCase, type Case, type Subject } from './drive';

export type ToWorker = { type: 'run'; subject: Subject; cases: Case[] } | { type: 'stop' };
export type FromWorker = { type: 'ready' } | { type: 'start'; id: string } | { type: 'done'; id: string; problems: string[]; rejected: string[]; ms: number } | { type: 'end' };

const originals = new Map<string, Uint8Array>();

export function serve(): void {
  const port = parentPort!;
  const post = (m: FromWorker) => port.postMessage(m);
  port.on('message', async (m: ToWorker) => {
    if (m.type === 'stop') {
      cleanupTmp();
      port.close();
      return;
    }
    let buf = originals.get(m.subject.pdbPath);
    if (!buf) originals.set(m.subject.pdbPath, (buf = new Uint8Array(fs.readFileSync(m.subject.pdbPath))));
    for (const c of m.cases) {
      post({ type: 'start', id: c.id });
      const t0 = performance.now();
      let r: { problems: string[]; rejected: string[] };
      try {
        r = await runCase(m.subject, buf, c);
      } catch (e) {
        r = { problems: [`${m.subject.name}~${c.id}: the driver itself failed: ${(e as Error)?.stack ?? String(e)}`], rejected: [] };
      }
      post({ type: 'done', id: c.id, problems: r.problems, rejected: r.rejected, ms: performance.now() - t0 });
    }
    post({ type: 'end' });
  });
  post({ type: 'ready' });
}
