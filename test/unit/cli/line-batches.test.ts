/**
 * lineBatches (lib/cli/symbolize.ts): stdin as batches of complete lines. What arrives together
 * is one batch (bulk speed); a line followed by a pause is answered alone (a co-process).
 */
import { PassThrough } from 'stream';
import { lineBatches, linesOf } from '../../../lib/cli/symbolize';

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
