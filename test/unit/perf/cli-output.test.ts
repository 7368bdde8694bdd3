/**
 * The symbolize command's output path (bench/README.md): JSON rows written field by field are
 * the text JSON.stringify gives for the row object, and a slow reader makes the command wait
 * ('drain') instead of queueing every row in memory.
 */
import * as path from 'path';
import { PassThrough, Writable } from 'stream';
import { main } from '../../../lib/cli/main';

const BIN = path.join(__dirname, '..', '..', 'fixtures', 'bin');

/** Every 3rd byte of the first 0x1800 bytes of code: hits, misses, publics, lines and none. */
const addresses = Array.from({ length: 0x800 }, (_, i) => `0x${(0x140001000 + 3 * i).toString(16)}`);

describe('symbolize --json rows', () => {
  test.each(['cppfeatures-x64.exe', 'inline-x64.exe', 'locals-x64.exe'])('%s: each row is JSON.stringify of its object, keys in order', async (image) => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const code = await main(['symbolize', '--image', path.join(BIN, image), '--json', ...addresses], out, new PassThrough());
    expect([0, 1]).toContain(code);
    const rows = text.trim().split('\n');
    expect(rows).toHaveLength(addresses.length);
    let withLine = 0;
    rows.forEach((row, i) => {
      const o = JSON.parse(row);
      expect(Object.keys(o).slice(0, 4)).toEqual(['address', 'module', 'symbol', 'displacement']);
      expect(o.address).toBe(addresses[i]);
      if (o.file !== undefined) withLine++;
      expect(JSON.stringify(o)).toBe(row);
    });
    expect(withLine).toBeGreaterThan(50);
  });
});

describe('symbolize under backpressure', () => {
  test('a slow reader gets every row, in order, with no more than one batch queued', async () => {
    let text = '';
    let maxQueued = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk, _enc, done) {
        text += chunk;
        setTimeout(done, 1);
      },
    });
    const write = slow.write.bind(slow);
    slow.write = ((chunk: string, ...rest: never[]) => {
      const ok = write(chunk, ...rest);
      maxQueued = Math.max(maxQueued, slow.writableLength);
      return ok;
    }) as typeof slow.write;
    const code = await main(['symbolize', '--image', path.join(BIN, 'cppfeatures-x64.exe'), '--json', ...addresses], slow, new PassThrough());
    await new Promise<void>((resolve) => slow.end(resolve));
    expect([0, 1]).toContain(code);
    const rows = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).address);
    expect(rows).toEqual(addresses);
    // 512 rows of ~100-150 bytes per batch: without waiting for drain all 2048 rows queue.
    expect(maxQueued).toBeLessThan(512 * 200);
  });
});
