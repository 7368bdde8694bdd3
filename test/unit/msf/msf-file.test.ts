/**
 * MsfFile on synthetic MSF 7.00 containers (built here, 512-byte blocks): a well-formed one
 * reads back, and each malformed directory is BAD_FORMAT naming the file and an offset.
 */
import { DbgHelpError } from '../../../lib/api/errors';
import { BufferSource } from '../../../lib/formats/binary/source';
import { MsfFile } from '../../../lib/formats/msf/msf-file';
import { MSF7_MAGIC } from '../../../lib/formats/msf/superblock';

const BS = 512;

interface Layout {
  /** Stream sizes and their block lists. */
  streams: { size: number; blocks: number[] }[];
  /** Blocks of the directory (default [4]); the block map is block 3. */
  dirBlocks?: number[];
  numBlocks?: number;
  /** Override numDirectoryBytes. */
  dirBytes?: number;
}

/** Blocks: 0 superblock, 1-2 free block maps, 3 block map, 4 directory, then stream data. */
function build(l: Layout): Uint8Array {
  const dirWords = [l.streams.length, ...l.streams.map((s) => s.size), ...l.streams.flatMap((s) => s.blocks)];
  const dirBlocks = l.dirBlocks ?? [4];
  const maxBlock = Math.max(4, ...dirBlocks, ...l.streams.flatMap((s) => s.blocks));
  const numBlocks = l.numBlocks ?? maxBlock + 1;
  const buf = new Uint8Array((maxBlock + 1) * BS);
  const dv = new DataView(buf.buffer);
  for (let i = 0; i < MSF7_MAGIC.length; i++) buf[i] = MSF7_MAGIC.charCodeAt(i);
  [BS, 1, numBlocks, l.dirBytes ?? dirWords.length * 4, 0, 3].forEach((v, i) => dv.setUint32(32 + 4 * i, v >>> 0, true));
  dirBlocks.forEach((b, i) => dv.setUint32(3 * BS + 4 * i, b, true));
  dirWords.forEach((w, i) => {
    const blk = dirBlocks[Math.floor((i * 4) / BS)];
    if (blk !== undefined) dv.setUint32(blk * BS + ((i * 4) % BS), w >>> 0, true);
  });
  // Stream data: each block filled with its own number.
  for (const s of l.streams) for (const b of s.blocks) if (b > 4) buf.fill(b & 0xff, b * BS, (b + 1) * BS);
  return buf;
}

function rejects(buf: Uint8Array, pattern: RegExp): void {
  let err: unknown;
  try {
    new MsfFile(new BufferSource(buf, 'synthetic.pdb'));
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DbgHelpError);
  const e = err as DbgHelpError;
  expect(e.code).toBe('BAD_FORMAT');
  expect(e.message).toContain('synthetic.pdb');
  expect(e.message).toContain('offset');
  expect(e.message).toMatch(pattern);
}

describe('MsfFile: synthetic containers', () => {
  test('a well-formed container reads back, with its block lists', () => {
    const msf = new MsfFile(
      new BufferSource(
        build({
          streams: [
            { size: 0, blocks: [] },
            { size: 700, blocks: [6, 5] },
            { size: 0xffffffff, blocks: [] },
          ],
        }),
        'ok.pdb',
      ),
    );
    expect(msf.streamCount).toBe(3);
    expect(msf.streamSize(1)).toBe(700);
    expect(msf.streamSize(2)).toBeUndefined();
    expect(msf.streamBlocks(1)).toEqual([6, 5]);
    expect(msf.directoryBlocks).toEqual([4]);
    const s = msf.stream(1);
    expect(s.length).toBe(700);
    expect(s[0]).toBe(6);
    expect(s[BS]).toBe(5);
  });

  test('a block listed twice in one stream (one block read as a larger stream) is BAD_FORMAT', () => {
    rejects(build({ streams: [{ size: 3 * BS, blocks: [5, 5, 5] }] }), /block 5 of stream 0 is already used/);
  });
  test('two streams sharing a block is BAD_FORMAT', () => {
    rejects(
      build({
        streams: [
          { size: BS, blocks: [5] },
          { size: BS, blocks: [5] },
        ],
      }),
      /block 5 of stream 1/,
    );
  });
  test('a stream block on the superblock, the block map or the directory is BAD_FORMAT', () => {
    for (const b of [0, 3, 4]) rejects(build({ streams: [{ size: 10, blocks: [b] }] }), new RegExp(`block ${b} of stream 0`));
  });
  test('a directory made of one block repeated is BAD_FORMAT', () => {
    rejects(build({ streams: [{ size: 10, blocks: [5] }], dirBlocks: [4, 4, 4], dirBytes: 3 * BS }), /block 4 of the stream directory/);
  });
  test('a block beyond the file is BAD_FORMAT', () => {
    const b = build({ streams: [{ size: 10, blocks: [5] }] });
    new DataView(b.buffer).setUint32(4 * BS + 8, 99, true);
    rejects(b, /block index 99 beyond/);
  });
  test('a stream count or size the directory cannot hold is BAD_FORMAT', () => {
    const b = build({ streams: [{ size: 10, blocks: [5] }] });
    new DataView(b.buffer).setUint32(4 * BS, 0x7fffffff, true);
    rejects(b, /MSF stream count/);
    const c = build({ streams: [{ size: 10, blocks: [5] }] });
    new DataView(c.buffer).setUint32(4 * BS + 4, 0x7ffffff0, true);
    rejects(c, /stream 0 block count/);
  });
});
