/**
 * RowWriter (lib/cli/output.ts): rows encoded into one reused buffer reach the stream whole, in
 * order, as UTF-8 (names outside ASCII included), a row bigger than the buffer on its own, and
 * what a stream was given is not changed by the rows after it (it may keep it past the write).
 */
import { PassThrough, Writable } from 'stream';
import { RowWriter } from '../../../lib/cli/output';

async function writeAll(out: NodeJS.WritableStream, rows: string[], size: number): Promise<void> {
  const w = new RowWriter(out, size);
  for (const r of rows) {
    if (!w.fits(r.length)) await w.flush();
    w.add(r);
  }
  await w.end();
}

test('rows arrive whole, in order and as UTF-8, through 64-byte buffers', async () => {
  const rows = Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? `{"symbol":"Größe::ändern<${i}>","file":"C:\\\\src\\\\日本.cpp"}` : `0x${(0x140001000 + i).toString(16)} f${i}`));
  rows.push('x'.repeat(500)); // bigger than a buffer: written on its own
  rows.push('last');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  await writeAll(out, rows, 64);
  expect(Buffer.concat(chunks).toString('utf8')).toBe(rows.join('\n') + '\n');
  expect(chunks.length).toBeGreaterThan(50);
});

test('what a slow stream was given stays as it was while later rows are added', async () => {
  const seen: string[] = [];
  const held: Buffer[] = [];
  // A stream that completes each write late and records what the buffer held when it completed.
  const slow = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _enc, done) {
      held.push(chunk);
      const copy = Buffer.from(chunk).toString();
      setTimeout(() => {
        expect(chunk.toString()).toBe(copy);
        seen.push(copy);
        done();
      }, 2);
    },
  });
  const rows = Array.from({ length: 300 }, (_, i) => `row ${i} ${'y'.repeat(i % 13)}`);
  await writeAll(slow, rows, 128);
  await new Promise<void>((resolve) => slow.end(resolve));
  expect(seen.join('')).toBe(rows.join('\n') + '\n');
  expect(held.length).toBeGreaterThan(20);
});
