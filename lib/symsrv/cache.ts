/**
 * The downstream-store writer: puts one file at its final place in a store so that a reader
 * sees either the whole, checked file or nothing.
 *
 * - The bytes go to a temporary file next to the destination (`name.pdb.<pid>.<n>.tmp`), are
 *   checked (the caller's `check`: PDB GUID/age, image TimeDateStamp/SizeOfImage), and only
 *   then renamed into place (rename is atomic within a directory). On any failure, abort
 *   included, the temporary file is removed: a cache never holds a partial or a wrong file.
 * - Inside the process, concurrent requests for one destination share one promise (a caller
 *   whose own signal is live does not inherit the starter's cancellation: it starts over).
 * - Across processes, `name.pdb.lock` (created with O_EXCL, holding the owner's pid) serialises
 *   writers; its owner touches it every `heartbeatMs` while working. A waiter polls until the
 *   lock goes, then finds the file the owner wrote (or, if the owner failed, takes the lock and
 *   tries itself). A lock whose owner process is gone, or untouched for `staleMs`, is taken over.
 *   The lock only saves work: correctness rests on the checked rename, so a lock broken by a
 *   race costs a second copy at worst, never a wrong file. (The lock and the de-duplication are
 *   lib/symsrv/http/file-lock.ts and in-flight.ts, written for this writer.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { DbgHelpError } from '../api/errors';
import { withFileLock } from './http/file-lock';
import { once } from './http/in-flight';

export interface EnsureOptions {
  signal?: AbortSignal;
  /** A lock untouched for this long is considered abandoned (default 2 minutes). */
  staleMs?: number;
  /** How often the owner touches its lock (default 20 s). */
  heartbeatMs?: number;
  /** How often a waiter looks at the lock (default 100 ms). */
  pollMs?: number;
  /** How long to wait for another process's lock before failing with IO_ERROR (default 1 hour). */
  waitMs?: number;
}

/** What `produce` reports: whether it wrote the temporary file, and if not why. */
export type ProduceResult = { written: true; bytes: number } | { written: false; outcome: 'not-found' | 'mismatch' | 'unavailable'; reason?: string };

export type EnsureResult =
  /** The file was already in place (written earlier, or by another process while we waited). */
  | { status: 'cached'; path: string }
  /** We wrote it now. */
  | { status: 'written'; path: string; bytes: number }
  /** `produce` did not write it, or `check` rejected what it wrote (`mismatch`). */
  | { status: 'not-found' | 'mismatch' | 'unavailable'; reason?: string };

let tmpCounter = 0;

/**
 * Makes sure `dest` exists: if not, runs `produce(tmp)` to write the bytes into `tmp`, runs
 * `check(tmp)` (a mismatch reason, or undefined when the file is right) and renames `tmp` to
 * `dest`. Rejects only with ABORTED or IO_ERROR.
 */
export function ensureFile(dest: string, produce: (tmp: string) => Promise<ProduceResult>, check: (tmp: string) => string | undefined, opts: EnsureOptions = {}): Promise<EnsureResult> {
  let mine = false;
  return once(`store-file:${path.resolve(dest)}`, opts.signal, () => {
    mine = true;
    return ensureUnshared(dest, produce, check, opts);
  }).then((r) => (r.status === 'written' && !mine ? { status: 'cached', path: r.path } : r));
}

async function ensureUnshared(dest: string, produce: (tmp: string) => Promise<ProduceResult>, check: (tmp: string) => string | undefined, opts: EnsureOptions): Promise<EnsureResult> {
  if (isFile(dest)) return { status: 'cached', path: dest };
  try {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
  } catch (e) {
    throw new DbgHelpError('IO_ERROR', `cannot create the downstream store directory ${path.dirname(dest)}: ${(e as Error).message}`, { file: dest, cause: e });
  }
  const lock = {
    staleMs: opts.staleMs ?? 2 * 60_000,
    pollMs: opts.pollMs ?? 100,
    heartbeatMs: opts.heartbeatMs ?? 20_000,
    deadline: Date.now() + (opts.waitMs ?? 60 * 60_000),
    signal: opts.signal,
  };
  const out = await withFileLock(
    dest + '.lock',
    lock,
    () => isFile(dest),
    async (): Promise<EnsureResult> => {
      const tmp = `${dest}.${process.pid}.${++tmpCounter}.tmp`;
      try {
        const r = await produce(tmp);
        if (!r.written) return { status: r.outcome, reason: r.reason };
        aborted(opts.signal);
        const why = check(tmp);
        if (why !== undefined) return { status: 'mismatch', reason: why };
        try {
          fs.renameSync(tmp, dest);
        } catch (e) {
          throw new DbgHelpError('IO_ERROR', `cannot move ${tmp} into place: ${(e as Error).message}`, { file: dest, cause: e });
        }
        return { status: 'written', path: dest, bytes: r.bytes };
      } finally {
        rmQuiet(tmp);
      }
    },
  );
  return out.done ? { status: 'cached', path: dest } : out.value;
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DbgHelpError('ABORTED', 'the symbol search was cancelled', { cause: signal.reason });
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function rmQuiet(p: string): void {
  try {
    fs.rmSync(p, { force: true });
  } catch {
    /* already gone */
  }
}
