/**
 * Worker side of the cabinet fuzz (fuzz.test.ts): opens each mutated cabinet and extracts every
 * file, saying when each case starts so the parent can cut off one that hangs.
 */
import { parentPort } from 'worker_threads';
import { DbgHelpError } from '../../../lib/api/errors';
import { openCab } from '../../../lib/formats/cab';

export interface FuzzCase {
  id: string;
  bytes: Uint8Array;
}
export type ToWorker = { type: 'run'; cases: FuzzCase[] };
export type FromWorker = { type: 'ready' } | { type: 'start'; id: string } | { type: 'done'; id: string; problems: string[]; rejected: boolean; ms: number } | { type: 'end' };

/** Problems with one case: anything but success, BAD_FORMAT naming the file and an offset, or UNSUPPORTED. */
export function runCase(c: FuzzCase): { problems: string[]; rejected: boolean } {
  const problems: string[] = [];
  let rejected = false;
  const step = (what: string, fn: () => unknown) => {
    try {
      fn();
      return true;
    } catch (e) {
      rejected = true;
      const d = e as DbgHelpError;
      const ok =
        e instanceof DbgHelpError &&
        ((d.code === 'BAD_FORMAT' && d.message.startsWith(`${c.id}: `) && /at offset 0x[0-9a-f]+$/.test(d.message) && typeof d.offset === 'number') || d.code === 'UNSUPPORTED');
      if (!ok) problems.push(`${c.id} ${what}: ${e instanceof Error ? `${e.name} ${d.code ?? ''} ${e.message}` : String(e)}`);
      return false;
    }
  };
  let cab: ReturnType<typeof openCab> | undefined;
  if (!step('openCab', () => (cab = openCab(c.bytes, c.id)))) return { problems, rejected };
  for (const f of cab!.files) {
    step(`extract ${f.name}`, () => {
      const out = cab!.extract(f);
      if (out.length !== f.size) throw new Error(`extracted ${out.length} bytes of ${f.size}`);
    });
  }
  return { problems, rejected };
}

export function serve(): void {
  const port = parentPort!;
  const post = (m: FromWorker) => port.postMessage(m);
  port.on('message', (m: ToWorker) => {
    for (const c of m.cases) {
      post({ type: 'start', id: c.id });
      const t0 = performance.now();
      const r = runCase(c);
      post({ type: 'done', id: c.id, problems: r.problems, rejected: r.rejected, ms: performance.now() - t0 });
    }
    post({ type: 'end' });
  });
  post({ type: 'ready' });
}
