/**
 * The bin's V8 settings per command (lib/cli/main.ts tuneProcessFor): `symbolize` keeps the young
 * generation at its first size, where V8 would grow it to 16 MB over ~50,000 lines. Runs the
 * built bin (`npm run build` first).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dbghelp.js');
const IMAGE = path.join(ROOT, 'test', 'fixtures', 'bin', 'inline-x64.exe');

/** Runs the bin with a preload that prints the young generation's size at exit. */
function newSpaceAfter(args: string[], input: string): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-heap-'));
  try {
    const probe = path.join(dir, 'probe.js');
    fs.writeFileSync(probe, `process.on('exit', () => process.stderr.write('new_space ' + require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size + '\\n'));`);
    const r = spawnSync(process.execPath, ['-r', probe, BIN, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
    const m = /new_space (\d+)/.exec(r.stderr);
    if (!m) throw new Error(`no probe output: ${r.stderr}`);
    return Number(m[1]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('symbolize: 49,152 lines leave the young generation at 1 MB semi-spaces', () => {
  let lines = '';
  for (let round = 0; round < 8; round++) for (let i = 0; i < 0x1800; i++) lines += `0x${(0x140001000 + i).toString(16)}\n`;
  expect(newSpaceAfter(['symbolize', '--image', IMAGE, '--json'], lines)).toBeLessThanOrEqual(2 << 20);
}, 60_000);

test('symbolize --inlines: the same', () => {
  let lines = '';
  for (let round = 0; round < 8; round++) for (let i = 0; i < 0x1800; i++) lines += `0x${(0x140001000 + (i % 0x100)).toString(16)}\n`;
  expect(newSpaceAfter(['symbolize', '--image', IMAGE, '--json', '--inlines'], lines)).toBeLessThanOrEqual(2 << 20);
}, 60_000);
