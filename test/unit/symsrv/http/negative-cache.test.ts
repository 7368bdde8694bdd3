/** The persisted negative cache: expiry, reading another process's lines, tombstones, bad lines, compaction. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NegativeCache } from '../../../../lib/symsrv/http/negative-cache';

let dir: string;
let file: string;
let now: number;
const clock = () => now;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-neg-'));
  file = path.join(dir, '.dbghelp', 'misses.jsonl');
  now = 1_000_000;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const lines = () =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('NegativeCache', () => {
  test('a recorded miss lives until it expires, and is written as one JSON line', () => {
    const c = new NegativeCache(file, clock);
    expect(c.lookup('http://h/a')).toBeUndefined();
    c.record('http://h/a', 404, 5000);
    expect(lines()).toEqual([{ url: 'http://h/a', status: 404, until: 1_005_000 }]);
    expect(c.lookup('http://h/a')).toEqual({ status: 404, until: 1_005_000 });
    now = 1_004_999;
    expect(c.lookup('http://h/a')).toBeDefined();
    now = 1_005_000;
    expect(c.lookup('http://h/a')).toBeUndefined();
  });

  test('another instance (another process) sees what was appended, also after it first read the file', () => {
    const a = new NegativeCache(file, clock);
    const b = new NegativeCache(file, clock);
    a.record('http://h/a', 404, 5000);
    expect(b.lookup('http://h/a')?.status).toBe(404);
    a.record('http://h/b', 410, 5000);
    expect(b.lookup('http://h/b')?.status).toBe(410);
  });

  test('forget appends a tombstone that wins over the earlier line', () => {
    const a = new NegativeCache(file, clock);
    a.record('http://h/a', 404, 5000);
    a.forget('http://h/a');
    expect(lines()).toEqual([
      { url: 'http://h/a', status: 404, until: 1_005_000 },
      { url: 'http://h/a', status: 0, until: 0 },
    ]);
    expect(new NegativeCache(file, clock).lookup('http://h/a')).toBeUndefined();
  });

  test('garbage and half-written lines are skipped, good lines still count', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      ['{"url":"http://h/a","status":404,"until":2000000}', 'not json', '{"url":5}', '{"url":"http://h/b","status":404', '{"url":"http://h/c","status":404,"until":2000000}', ''].join('\n'),
    );
    const c = new NegativeCache(file, clock);
    expect(c.lookup('http://h/a')).toBeDefined();
    expect(c.lookup('http://h/b')).toBeUndefined();
    expect(c.lookup('http://h/c')).toBeDefined();
  });

  test('ttl 0 records nothing; an unwritable place only costs the memory of it', () => {
    const c = new NegativeCache(file, clock);
    c.record('http://h/a', 404, 0);
    expect(fs.existsSync(file)).toBe(false);
    fs.writeFileSync(path.join(dir, 'blocker'), 'x');
    const ro = new NegativeCache(path.join(dir, 'blocker', 'misses.jsonl'), clock);
    expect(() => ro.record('http://h/a', 404, 1000)).not.toThrow();
  });

  test('a file of mostly expired lines is rewritten with the live ones', () => {
    const c = new NegativeCache(file, clock);
    for (let i = 0; i < 600; i++) c.record(`http://h/${i}`, 404, i < 590 ? 10 : 100_000);
    expect(lines()).toHaveLength(600);
    now += 1000;
    const d = new NegativeCache(file, clock);
    expect(d.lookup('http://h/595')).toBeDefined();
    expect(lines()).toHaveLength(10);
    expect(d.lookup('http://h/5')).toBeUndefined();
    expect(new NegativeCache(file, clock).lookup('http://h/599')?.until).toBe(1_100_000);
  });
});
