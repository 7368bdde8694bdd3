/** The terminal progress bar: exact lines, width limits, throttling, and nothing on a non-TTY. */
import { formatBytes, ProgressBar, renderProgressBar } from '../../../../lib/symsrv/http/progress-bar';

class FakeTty {
  isTTY = true;
  columns = 80;
  out = '';
  write(s: string): boolean {
    this.out += s;
    return true;
  }
}

describe('progress bar', () => {
  test('formatBytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(2.5 * 1024 ** 3)).toBe('2.5 GB');
  });

  test('known size: bar, percent, sizes and rate', () => {
    const line = renderProgressBar({ name: 'https://msdl.microsoft.com/download/symbols/ntdll.pdb/ABC1/ntdll.pdb', bytes: 1024 * 1024, total: 2 * 1024 * 1024, elapsedMs: 2000 }, 80);
    expect(line).toBe(`ntdll.pdb  [${'█'.repeat(15)}${'░'.repeat(15)}]   50%  1.0 MB / 2.0 MB  512 KB/s`);
    expect(line.length).toBeLessThan(80);
  });

  test('unknown size: a sliding block and the count', () => {
    const a = renderProgressBar({ name: 'a.pdb', bytes: 0, elapsedMs: 0 }, 80);
    const b = renderProgressBar({ name: 'a.pdb', bytes: 65536 * 3, elapsedMs: 1000 }, 80);
    expect(a).toBe(`a.pdb  [${'█'.repeat(6)}${' '.repeat(24)}]  0 B`);
    expect(b).toBe(`a.pdb  [   ${'█'.repeat(6)}${' '.repeat(21)}]  192 KB  192 KB/s`);
  });

  test('narrow terminals drop the bar, then cut the line; never wider than the terminal', () => {
    const s = { name: 'averyveryverylongname.pdb', bytes: 5, total: 10, elapsedMs: 1000 };
    for (const cols of [20, 30, 40, 50, 60]) expect(renderProgressBar(s, cols).length).toBeLessThanOrEqual(cols - 1);
    expect(renderProgressBar(s, 50)).not.toContain('[');
  });

  test('ProgressBar redraws in place at most every interval, always at 100%, and clears', () => {
    let now = 0;
    const tty = new FakeTty();
    const bar = new ProgressBar(tty, { now: () => now, intervalMs: 100 });
    bar.update({ bytes: 10, total: 100, from: 'x/a.pdb' });
    now = 50;
    bar.update({ bytes: 20, total: 100, from: 'x/a.pdb' }); // throttled
    now = 60;
    bar.update({ bytes: 100, total: 100, from: 'x/a.pdb' }); // finished: drawn
    bar.done();
    const draws = tty.out.split('\r').filter(Boolean);
    expect(draws).toHaveLength(3);
    expect(draws[0]).toMatch(/^a\.pdb {2}\[.*\] {3}10% {2}10 B \/ 100 B\x1b\[K$/);
    expect(draws[1]).toMatch(/100% {2}100 B \/ 100 B {2}1.6 KB\/s\x1b\[K$/);
    expect(draws[2]).toBe('\x1b[K');
  });

  test('nothing is written when the stream is not a terminal', () => {
    const pipe = new FakeTty();
    pipe.isTTY = false;
    const bar = new ProgressBar(pipe);
    bar.update({ bytes: 1, total: 2, from: 'a' });
    bar.done();
    expect(pipe.out).toBe('');
    expect(bar.enabled).toBe(false);
  });
});
