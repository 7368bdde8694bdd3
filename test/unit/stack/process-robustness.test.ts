/**
 * `processMinidump` (what `dbghelp stack` runs: dump reader, module loads, walker, symbolizer)
 * on truncated and corrupted copies of the project's own dumps, and on stack memory rewritten to
 * loop: every case ends in bounded time with a DbgHelpError or a state whose walks say why they
 * stopped; never a RangeError, TypeError or hang.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DbgHelpError } from '../../../lib/api/errors';
import { processMinidump } from '../../../lib/stack/process-dump';
import { openMinidump } from '../../../lib/formats/minidump/minidump';
import { corruptions, truncations } from '../../helpers/mutate';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'dumps');
const BIN = path.join(DIR, 'bin');
const dump = fs.readFileSync(path.join(DIR, 'inline.dmp'));

async function survives(bytes: Uint8Array): Promise<'ok' | 'error'> {
  const t0 = Date.now();
  try {
    const s = await processMinidump(bytes, { searchPath: BIN, maxFrames: 256 });
    for (const t of s.threads) expect(t.frames.length).toBeLessThanOrEqual(256);
    return 'ok';
  } catch (e) {
    if (!(e instanceof DbgHelpError)) throw e;
    expect(e.message.length).toBeGreaterThan(0);
    return 'error';
  } finally {
    expect(Date.now() - t0).toBeLessThan(5000);
  }
}

test('truncated dumps: a DbgHelpError or a partial answer', async () => {
  const seen = { ok: 0, error: 0 };
  for (const cut of truncations(dump, 4096)) seen[await survives(cut)]++;
  expect(seen.error).toBeGreaterThan(0); // the cuts reach the parsers
});

test('corrupted dumps (header, directory, streams): a DbgHelpError or a partial answer', async () => {
  const seen = { ok: 0, error: 0 };
  for (const bad of corruptions(dump, 60, 8, 11, 0, 4096)) seen[await survives(bad)]++;
  for (const bad of corruptions(dump, 40, 64, 23)) seen[await survives(bad)]++;
  expect(seen.ok + seen.error).toBe(100);
});

test('a stack whose memory loops back on itself: the walk stops, marked, in bounded time', async () => {
  const d = openMinidump(dump);
  const crashed = d.threads().find((t) => t.threadId === d.exception()!.threadId)!;
  const { rva, dataSize: size } = crashed.stack.location;
  d.close();
  // Every word of the crashing thread's stack points back into the stack itself or at the
  // faulting function: scanning and frame chains find nothing that moves forward for long.
  const b = Uint8Array.from(dump);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let o = rva; o + 8 <= rva + size; o += 8) view.setBigUint64(o, o % 16 === 0 ? 0x140001079n : BigInt(crashed.stack.start) + BigInt(o - rva), true);
  const s = await processMinidump(b, { searchPath: BIN, maxFrames: 64 });
  const t = s.threads[s.crashingThread!];
  expect(t.frames.length).toBeLessThanOrEqual(64);
  expect(t.frames[0].function).toBe('inline_outer');
});
