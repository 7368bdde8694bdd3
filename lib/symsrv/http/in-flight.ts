/**
 * In-process de-duplication: callers asking for the same key while a first one is working
 * share its promise instead of starting the same download again.
 *
 * A caller whose own signal is still live does not inherit another caller's cancellation: if
 * the shared work ends with ABORTED (its starter gave up) the caller runs the work itself.
 */
import { DbgHelpError } from '../../api/errors';

const running = new Map<string, Promise<unknown>>();

export async function once<T>(key: string, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  for (;;) {
    const shared = running.get(key) as Promise<T> | undefined;
    if (!shared) break;
    try {
      return await shared;
    } catch (e) {
      if (!(e instanceof DbgHelpError && e.code === 'ABORTED') || signal?.aborted) throw e;
      // The starter was cancelled, we were not: loop and (probably) start it ourselves.
    }
  }
  const p = work();
  running.set(key, p);
  try {
    return await p;
  } finally {
    if (running.get(key) === p) running.delete(key);
  }
}

/** How many keys are being worked on (tests). */
export function inFlightCount(): number {
  return running.size;
}
