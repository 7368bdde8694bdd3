/**
 * A lock file so that several processes wanting the same missing file download it once.
 *
 * The lock is created with O_CREAT|O_EXCL (`wx`) and holds {pid, host, token}; its holder
 * touches it every `heartbeatMs` while it works. Others poll: when the wanted file appears they
 * use it; when the lock disappears without the file (the holder failed) one of them takes it.
 * A lock is stale when its holder is a dead process on this host, or when it has not been
 * touched for `staleMs` (a holder on another machine sharing the store, or a frozen one).
 *
 * The lock only saves downloads: correctness never depends on it, because a file enters the
 * store by an atomic rename of a checked temporary file. So the rare race where two waiters
 * break the same stale lock costs at most a second download, never a corrupt file.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DbgHelpError } from '../../api/errors';

export interface LockOptions {
  staleMs: number;
  pollMs: number;
  heartbeatMs: number;
  /** Give up waiting at this time (Date.now() terms). */
  deadline: number;
  signal?: AbortSignal;
  /** Told once when we start waiting for another holder. */
  onWait?(holder: LockHolder | undefined): void;
}

export interface LockHolder {
  pid: number;
  host: string;
  token: string;
}

export type LockOutcome<T> = { done: true } | { done: false; value: T };

/**
 * Runs `work` holding `lockFile`, unless `isDone()` (the wanted file exists) becomes true first,
 * before taking the lock or while waiting for another holder.
 */
export async function withFileLock<T>(lockFile: string, o: LockOptions, isDone: () => boolean, work: () => Promise<T>): Promise<LockOutcome<T>> {
  const token = `${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
  let told = false;
  for (;;) {
    if (isDone()) return { done: true };
    if (o.signal?.aborted) throw new DbgHelpError('ABORTED', `waiting for ${lockFile} was cancelled`, { cause: o.signal.reason });
    const got = tryCreate(lockFile, token);
    if (got === 'created') {
      const beat = setInterval(() => touch(lockFile), o.heartbeatMs);
      beat.unref();
      try {
        if (isDone()) return { done: true };
        return { done: false, value: await work() };
      } finally {
        clearInterval(beat);
        releaseIfOurs(lockFile, token);
      }
    }
    if (got === 'retry') continue;
    {
      const holder = readHolder(lockFile);
      if (isStale(lockFile, holder, o.staleMs)) {
        breakStale(lockFile, holder, token);
        continue;
      }
      if (!told) {
        told = true;
        o.onWait?.(holder);
      }
    }
    if (Date.now() >= o.deadline) {
      throw new DbgHelpError('IO_ERROR', `gave up waiting for ${lockFile}, held by ${describe(readHolder(lockFile))}`, { file: lockFile });
    }
    await sleep(o.pollMs, o.signal);
  }
}

function tryCreate(lockFile: string, token: string): 'created' | 'exists' | 'retry' {
  const body = JSON.stringify({ pid: process.pid, host: os.hostname(), token } satisfies LockHolder);
  let fd: number;
  try {
    fd = fs.openSync(lockFile, 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'exists';
    if (code === 'ENOENT') {
      fs.mkdirSync(path.dirname(lockFile), { recursive: true });
      return 'retry';
    }
    throw new DbgHelpError('IO_ERROR', `cannot create the lock file ${lockFile}: ${(e as Error).message}`, { file: lockFile, cause: e });
  }
  try {
    fs.writeSync(fd, body);
  } finally {
    fs.closeSync(fd);
  }
  return 'created';
}

function readHolder(lockFile: string): LockHolder | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as Partial<LockHolder>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.token === 'string') return o as LockHolder;
  } catch {
    // Gone, or being written this instant: judged by its age alone.
  }
  return undefined;
}

function isStale(lockFile: string, holder: LockHolder | undefined, staleMs: number): boolean {
  if (holder && holder.host === os.hostname() && !pidAlive(holder.pid)) return true;
  try {
    return Date.now() - fs.statSync(lockFile).mtimeMs > staleMs;
  } catch {
    return false; // vanished: the next round takes it
  }
}

export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Move the stale lock aside; if what we moved was not the lock we judged, put it back. */
function breakStale(lockFile: string, judged: LockHolder | undefined, token: string): void {
  const aside = `${lockFile}.${token}.stale`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return; // someone else broke it first
  }
  const moved = readHolder(aside);
  if (judged && moved && moved.token !== judged.token) {
    try {
      fs.linkSync(aside, lockFile); // a fresh lock taken meanwhile: restore it
    } catch {
      /* a newer one exists already */
    }
  }
  try {
    fs.unlinkSync(aside);
  } catch {
    /* gone */
  }
}

function releaseIfOurs(lockFile: string, token: string): void {
  if (readHolder(lockFile)?.token !== token) return;
  try {
    fs.unlinkSync(lockFile);
  } catch {
    /* already gone */
  }
}

function touch(lockFile: string): void {
  const now = new Date();
  try {
    fs.utimesSync(lockFile, now, now);
  } catch {
    /* broken by someone who judged us stale; the rename at the end is still atomic */
  }
}

function describe(h: LockHolder | undefined): string {
  return h ? `process ${h.pid} on ${h.host}` : 'an unknown process';
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DbgHelpError('ABORTED', 'cancelled', { cause: signal.reason }));
      return;
    }
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(t);
      reject(new DbgHelpError('ABORTED', 'cancelled', { cause: signal?.reason }));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
