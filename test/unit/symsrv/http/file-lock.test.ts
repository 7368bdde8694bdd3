/** The cross-process lock: exclusion, waiting for the file, stale locks (dead pid, untouched), cancellation. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DbgHelpError } from '../../../../lib/api/errors';
import { pidAlive, withFileLock, type LockOptions } from '../../../../lib/symsrv/http/file-lock';

let dir: string;
let lock: string;
let dest: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-lock-'));
  lock = path.join(dir, 'a.pdb.lock');
  dest = path.join(dir, 'a.pdb');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const opts = (o: Partial<LockOptions> = {}): LockOptions => ({ staleMs: 60_000, pollMs: 10, heartbeatMs: 1000, deadline: Date.now() + 10_000, ...o });
const exists = () => fs.existsSync(dest);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  const pid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
  expect(pidAlive(pid)).toBe(false);
  return pid;
}

describe('withFileLock', () => {
  test('the holder works with the lock file present; it is gone afterwards', async () => {
    const r = await withFileLock(lock, opts(), exists, async () => {
      const h = JSON.parse(fs.readFileSync(lock, 'utf8'));
      expect(h).toMatchObject({ pid: process.pid, host: os.hostname() });
      fs.writeFileSync(dest, 'x');
      return 42;
    });
    expect(r).toEqual({ done: false, value: 42 });
    expect(fs.existsSync(lock)).toBe(false);
  });

  test('a second caller waits while the first works, then finds the file instead of working', async () => {
    const order: string[] = [];
    let waitedFor: unknown;
    const first = withFileLock(lock, opts(), exists, async () => {
      order.push('first start');
      await sleep(150);
      fs.writeFileSync(dest, 'x');
      order.push('first done');
      return 1;
    });
    await sleep(20);
    const second = withFileLock(lock, opts({ onWait: (h) => (waitedFor = h) }), exists, async () => {
      order.push('second worked');
      return 2;
    });
    expect(await first).toEqual({ done: false, value: 1 });
    expect(await second).toEqual({ done: true });
    expect(order).toEqual(['first start', 'first done']);
    expect(waitedFor).toMatchObject({ pid: process.pid });
  });

  test('when the holder fails (no file), the waiter takes the lock and works', async () => {
    const first = withFileLock(lock, opts(), exists, async () => {
      await sleep(80);
      throw new Error('download failed');
    });
    await sleep(10);
    const second = withFileLock(lock, opts(), exists, async () => 'mine');
    await expect(first).rejects.toThrow('download failed');
    expect(await second).toEqual({ done: false, value: 'mine' });
  });

  test('a lock left by a dead process on this host is taken over at once', async () => {
    fs.writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: os.hostname(), token: 'old' }));
    const t0 = Date.now();
    const r = await withFileLock(lock, opts(), exists, async () => 'took it');
    expect(r).toEqual({ done: false, value: 'took it' });
    expect(Date.now() - t0).toBeLessThan(500);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a lock of another host is stale only once untouched for staleMs', async () => {
    fs.writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere', token: 'x' }));
    const old = new Date(Date.now() - 5000);
    fs.utimesSync(lock, old, old);
    expect(await withFileLock(lock, opts({ staleMs: 10_000, deadline: Date.now() + 100 }), exists, async () => 1).catch((e) => e.code)).toBe('IO_ERROR');
    expect(await withFileLock(lock, opts({ staleMs: 1000 }), exists, async () => 2)).toEqual({ done: false, value: 2 });
  });

  test('an unreadable (half-written) lock is judged by its age', async () => {
    fs.writeFileSync(lock, '{"pid":');
    const old = new Date(Date.now() - 5000);
    fs.utimesSync(lock, old, old);
    expect(await withFileLock(lock, opts({ staleMs: 1000 }), exists, async () => 3)).toEqual({ done: false, value: 3 });
  });

  test('the holder keeps its lock fresh while it works (heartbeat)', async () => {
    const old = Date.now() - 60_000;
    await withFileLock(lock, opts({ heartbeatMs: 20 }), exists, async () => {
      fs.utimesSync(lock, old / 1000, old / 1000);
      await sleep(80);
      expect(fs.statSync(lock).mtimeMs).toBeGreaterThan(Date.now() - 1000);
    });
  });

  test('waiting is cancelled by the signal (ABORTED) and bounded by the deadline (IO_ERROR)', async () => {
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'live' }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const e = await withFileLock(lock, opts({ signal: ac.signal }), exists, async () => 1).catch((x) => x);
    expect(e).toBeInstanceOf(DbgHelpError);
    expect(e.code).toBe('ABORTED');
    const d = await withFileLock(lock, opts({ deadline: Date.now() + 50 }), exists, async () => 1).catch((x) => x);
    expect(d.code).toBe('IO_ERROR');
    expect(d.message).toMatch(new RegExp(`held by process ${process.pid} on `));
  });

  test('the lock directory is created when missing', async () => {
    const deep = path.join(dir, 'x', 'y', 'a.lock');
    expect(
      await withFileLock(
        deep,
        opts(),
        () => false,
        async () => 'ok',
      ),
    ).toEqual({ done: false, value: 'ok' });
  });
});
