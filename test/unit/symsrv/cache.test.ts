/**
 * The downstream-store writer: a file appears whole and checked, or not at all; waiting on
 * another process's lock; taking over a dead one.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DbgHelpError } from '../../../lib';
import { ensureFile } from '../../../lib/symsrv/cache';
import { listFiles, tempDir } from './helpers';

const write = (data: string) => async (tmp: string) => {
  fs.writeFileSync(tmp, data, { flag: 'wx' });
  return { written: true as const, bytes: data.length };
};
const ok = () => undefined;

describe('ensureFile', () => {
  test('writes through a temporary file and renames it into place; a second call finds it cached', async () => {
    const dir = tempDir();
    const dest = path.join(dir, 'a.pdb', 'KEY', 'a.pdb');
    expect(await ensureFile(dest, write('hello'), ok)).toEqual({ status: 'written', path: dest, bytes: 5 });
    expect(fs.readFileSync(dest, 'utf8')).toBe('hello');
    let called = false;
    const again = await ensureFile(dest, async () => ((called = true), { written: false, outcome: 'not-found' }), ok);
    expect(again).toEqual({ status: 'cached', path: dest });
    expect(called).toBe(false);
    expect(listFiles(dir)).toEqual(['a.pdb/KEY/a.pdb']);
  });

  test('a check that fails leaves nothing; so does a producer that throws halfway', async () => {
    const dir = tempDir();
    const dest = path.join(dir, 'x');
    expect(await ensureFile(dest, write('wrong'), () => 'GUID differs')).toEqual({ status: 'mismatch', reason: 'GUID differs' });
    await expect(
      ensureFile(
        dest,
        async (tmp) => {
          fs.writeFileSync(tmp, 'half of it');
          throw new DbgHelpError('IO_ERROR', 'connection reset');
        },
        ok,
      ),
    ).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(listFiles(dir)).toEqual([]);
  });

  test('a producer that finds nothing writes nothing', async () => {
    const dir = tempDir();
    expect(await ensureFile(path.join(dir, 'x'), async () => ({ written: false, outcome: 'not-found' }), ok)).toEqual({ status: 'not-found', reason: undefined });
    expect(listFiles(dir)).toEqual([]);
  });

  test('while another live process holds the lock, it waits, then takes the file that process wrote without producing it', async () => {
    const dir = tempDir();
    const dest = path.join(dir, 'x');
    // The parent process (jest's) is alive and not us: a foreign holder on this host.
    fs.writeFileSync(dest + '.lock', JSON.stringify({ pid: process.ppid, host: os.hostname(), token: 'other' }));
    let produced = false;
    const p = ensureFile(dest, async (tmp) => ((produced = true), write('mine')(tmp)), ok, { pollMs: 10 });
    await new Promise((r) => setTimeout(r, 60));
    fs.writeFileSync(dest, 'theirs');
    fs.rmSync(dest + '.lock');
    expect(await p).toEqual({ status: 'cached', path: dest });
    expect(produced).toBe(false);
    expect(fs.readFileSync(dest, 'utf8')).toBe('theirs');
  });

  test('a lock left by a dead process is taken over', async () => {
    const dir = tempDir();
    const dest = path.join(dir, 'x');
    // A pid far above pid_max on Linux (4194304): no such process.
    fs.writeFileSync(dest + '.lock', JSON.stringify({ pid: 2 ** 30, host: os.hostname(), token: 'dead' }));
    expect(await ensureFile(dest, write('mine'), ok, { pollMs: 10 })).toMatchObject({ status: 'written' });
    expect(listFiles(dir)).toEqual(['x']);
  });

  test('an abort while waiting for a lock is ABORTED and leaves the other holder alone', async () => {
    const dir = tempDir();
    const dest = path.join(dir, 'x');
    fs.writeFileSync(dest + '.lock', JSON.stringify({ pid: process.ppid, host: os.hostname(), token: 'other' }));
    const ac = new AbortController();
    const p = ensureFile(dest, write('mine'), ok, { pollMs: 10, signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
    expect(listFiles(dir)).toEqual(['x.lock']);
  });
});
