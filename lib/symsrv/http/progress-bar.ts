/**
 * A one-line download progress bar for a terminal (`dbghelp find` on a TTY):
 *
 *   ntdll.pdb  [██████████░░░░░░░░░░]  52%  1.2 MB / 2.3 MB  640 KB/s
 *   ntdll.pdb  [   ███              ]  1.2 MB  640 KB/s          (size unknown)
 *
 * `renderProgressBar` is pure (tested); `ProgressBar` redraws it in place with `\r`, at most
 * every `intervalMs`, only when the stream is a TTY, and clears it when done.
 */

export interface ProgressState {
  /** What is being downloaded (a file name or URL; shortened to its last segment). */
  name: string;
  bytes: number;
  total?: number;
  elapsedMs: number;
}

const FULL = '█';
const EMPTY = '░';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** The bar line for `columns` terminal columns (never longer than that). */
export function renderProgressBar(s: ProgressState, columns = 80): string {
  const name = shortName(s.name);
  const rate = s.elapsedMs > 0 ? `${formatBytes(Math.round((s.bytes * 1000) / s.elapsedMs))}/s` : '';
  const known = s.total !== undefined && s.total > 0;
  const frac = known ? Math.min(1, s.bytes / s.total!) : 0;
  const tail = known ? `${String(Math.floor(frac * 100)).padStart(3)}%  ${formatBytes(s.bytes)} / ${formatBytes(s.total!)}  ${rate}` : `${formatBytes(s.bytes)}  ${rate}`;
  const room = columns - 1 - name.length - tail.trimEnd().length - 6; // 2 spaces, [ ], 2 spaces
  const width = Math.max(0, Math.min(30, room));
  let bar = '';
  if (width >= 5) {
    if (known) {
      const full = Math.round(frac * width);
      bar = FULL.repeat(full) + EMPTY.repeat(width - full);
    } else {
      // A block sliding with the bytes received, so the line moves while the size is unknown.
      const block = Math.max(1, Math.floor(width / 5));
      const pos = Math.floor(s.bytes / 65536) % (width - block + 1);
      bar = ' '.repeat(pos) + FULL.repeat(block) + ' '.repeat(width - block - pos);
    }
    bar = `  [${bar}]`;
  }
  const line = `${name}${bar}  ${tail}`.trimEnd();
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 1)) : line;
}

function shortName(n: string): string {
  const s = n.slice(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1) || n;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface ProgressBarOptions {
  /** Least time between two redraws. Default 100 ms. */
  intervalMs?: number;
  now?: () => number;
}

/** Draws a ProgressState on a TTY stream; does nothing on anything else. */
export class ProgressBar {
  private started: number | undefined;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly now: () => number;
  private readonly intervalMs: number;

  constructor(
    private readonly stream: { write(s: string): unknown; isTTY?: boolean; columns?: number },
    o: ProgressBarOptions = {},
  ) {
    this.now = o.now ?? Date.now;
    this.intervalMs = o.intervalMs ?? 100;
  }

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Feed it FetchProgress events ({bytes, total, from}). */
  update(p: { bytes: number; total?: number; from: string }): void {
    if (!this.enabled) return;
    const t = this.now();
    this.started ??= t;
    const finished = p.total !== undefined && p.bytes >= p.total;
    if (!finished && t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    const line = renderProgressBar({ name: p.from, bytes: p.bytes, total: p.total, elapsedMs: t - this.started }, this.stream.columns ?? 80);
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Removes the bar (the caller then prints the result on a clean line). */
  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
    this.started = undefined;
    this.lastDraw = -Infinity;
  }
}
