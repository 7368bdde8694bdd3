/**
 * lineBatches (lib/cli/symbolize.ts): stdin as batches of complete lines. What arrives together
 * is one batch (bulk speed); a line followed by a pause is answered alone (a co-process); a
 * file's lines are not cut into batches by pauses.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { isRegularFile, lineBatches, linesOf } from '../../../lib/cli/symbolize';

async function collect(input: PassThrough): Promise<string[][]> {
  const out: string[][] = [];
  for await (const b of lineBatches(input)) out.push([...linesOf(b)]);
  return out;
}

test('chunks that arrive together are one batch; a partial line waits for its end', async () => {
  const s = new PassThrough();
  const done = collect(s);
  s.write('0x1\n0x');
  s.write('2\n');
  s.write(Buffer.from('0x3\n0x4'));
  s.end();
  expect(await done).toEqual([['0x1', '0x2', '0x3'], ['0x4']]);
});

test('a line followed by a pause is a batch of its own, before the next line is sent', async () => {
  const s = new PassThrough();
  const it = lineBatches(s)[Symbol.asyncIterator]();
  s.write('0x1\n');
  expect((await it.next()).value).toEqual('0x1');
  s.write('0x2\r\n');
  expect((await it.next()).value).toEqual('0x2\r'); // the caller trims
  s.end();
  expect((await it.next()).done).toBe(true);
});

test('a UTF-8 character split across chunks is decoded whole', async () => {
  const s = new PassThrough();
  const done = collect(s);
  const bytes = Buffer.from('mod!caf\u00e9\n');
  s.write(bytes.subarray(0, 8));
  setTimeout(() => {
    s.write(bytes.subarray(8));
    s.end();
  }, 20);
  expect(await done).toEqual([['mod!caf\u00e9']]);
});

test('without an idle limit (a file) a pause between reads does not cut the batch', async () => {
  const s = new PassThrough();
  const out: string[][] = [];
  const done = (async () => {
    for await (const b of lineBatches(s, 1 << 20, Infinity)) out.push([...linesOf(b)]);
  })();
  s.write('0x1\n0x2\n');
  await new Promise((r) => setTimeout(r, 20));
  s.write('0x3\n');
  s.end();
  await done;
  expect(out).toEqual([['0x1', '0x2', '0x3']]);
});

test('isRegularFile: a stream over a file is one, a pipe-like stream is not', () => {
  const file = path.join(os.tmpdir(), `line-batches-${process.pid}.txt`);
  fs.writeFileSync(file, '0x1\n');
  const fd = fs.openSync(file, 'r');
  try {
    expect(isRegularFile(fs.createReadStream('', { fd, autoClose: false }))).toBe(true);
    expect(isRegularFile(new PassThrough())).toBe(false);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
});
