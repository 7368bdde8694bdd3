/**
 * Remembered misses: URLs a symbol server answered 404 (or 410) for, kept in the downstream
 * store so the next process does not ask again until the entry expires.
 *
 * File: `<downstream>/.dbghelp/misses.jsonl`, one JSON object per line,
 *   {"url":"https://host/symbols/a.pdb/KEY/a.pdb","status":404,"until":1718000000000}
 * appended (several processes may append at once; each line is one small write) and read
 * back whenever the file's size or mtime changed. Later lines win; `until: 0` cancels an
 * entry. Unreadable lines are skipped. When most lines are dead the file is rewritten (temp
 * file + rename).
 *
 * What is cached: "not found" answers only. Server errors, timeouts and refused connections
 * are not written down (they say nothing about the file); the per-host breaker keeps a
 * failing server from being retried over and over within a process.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface Miss {
  status: number;
  until: number;
}

const COMPACT_MIN_LINES = 512;

export class NegativeCache {
  private entries = new Map<string, Miss>();
  private signature = '';
  private lines = 0;

  constructor(
    readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live miss recorded for `url`, if any. */
  lookup(url: string): Miss | undefined {
    this.refresh();
    const e = this.entries.get(url);
    return e && e.until > this.now() ? e : undefined;
  }

  record(url: string, status: number, ttlMs: number): void {
    if (ttlMs <= 0) return;
    const e = { status, until: this.now() + ttlMs };
    this.entries.set(url, e);
    this.append({ url, ...e });
  }

  /** Every live miss, soonest to expire first (`dbghelp cache list`). */
  live(): ({ url: string } & Miss)[] {
    this.refresh();
    const now = this.now();
    return [...this.entries]
      .filter(([, e]) => e.until > now)
      .map(([url, e]) => ({ url, ...e }))
      .sort((x, y) => x.until - y.until);
  }

  /** Cancels a recorded miss (the file turned up after all). */
  forget(url: string): void {
    this.refresh();
    if (!this.entries.has(url)) return;
    this.entries.delete(url);
    this.append({ url, status: 0, until: 0 });
  }

  private append(line: { url: string; status: number; until: number }): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.appendFileSync(this.file, JSON.stringify(line) + '\n');
      this.signature = ''; // re-read next time: other processes may have appended too
    } catch {
      // The cache is an optimisation: a read-only or full disk only costs a request later.
    }
  }

  private refresh(): void {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.file);
    } catch {
      this.entries.clear();
      this.signature = 'absent';
      return;
    }
    const sig = `${st.size}:${st.mtimeMs}`;
    if (sig === this.signature) return;
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    this.signature = sig;
    this.entries.clear();
    this.lines = 0;
    for (const l of text.split('\n')) {
      if (!l.trim()) continue;
      this.lines++;
      let o: unknown;
      try {
        o = JSON.parse(l);
      } catch {
        continue;
      }
      const r = o as { url?: unknown; status?: unknown; until?: unknown };
      if (typeof r.url !== 'string' || typeof r.until !== 'number' || typeof r.status !== 'number') continue;
      if (r.until <= 0) this.entries.delete(r.url);
      else this.entries.set(r.url, { status: r.status, until: r.until });
    }
    this.compactIfMostlyDead();
  }

  private compactIfMostlyDead(): void {
    const now = this.now();
    for (const [u, e] of this.entries) if (e.until <= now) this.entries.delete(u);
    if (this.lines < COMPACT_MIN_LINES || this.lines < 2 * this.entries.size) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      const body = [...this.entries].map(([url, e]) => JSON.stringify({ url, ...e }) + '\n').join('');
      fs.writeFileSync(tmp, body);
      fs.renameSync(tmp, this.file);
      this.lines = this.entries.size;
      this.signature = '';
    } catch {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* already gone */
      }
    }
  }
}

const open = new Map<string, NegativeCache>();

/** One NegativeCache per file and clock in the process. */
export function negativeCacheFor(file: string, now?: () => number): NegativeCache {
  const key = path.resolve(file);
  let c = open.get(key);
  if (!c || now) {
    c = new NegativeCache(key, now);
    if (!now) open.set(key, c);
  }
  return c;
}
