/**
 * Writes an MSF 7.00 file (a PDB container) from whole streams, for tests that need a PDB the
 * corpus does not have (e.g. the compiler's types-only PDB, which has no DBI stream).
 *
 * Layout: block 0 the superblock, blocks 1-2 the free-page maps, then each stream's blocks in
 * order, then the stream directory, then the one block listing the directory's blocks.
 * `null` is a nil stream (size 0xFFFFFFFF in the directory, as LLVM and MSPDB write it).
 */
const MAGIC = 'Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0';

export function writeMsf(streams: (Uint8Array | null)[], blockSize = 4096): Buffer {
  const blocks: Buffer[] = [Buffer.alloc(blockSize), Buffer.alloc(blockSize, 0xff), Buffer.alloc(blockSize, 0xff)];
  const put = (data: Uint8Array): number[] => {
    const at: number[] = [];
    for (let o = 0; o < data.length; o += blockSize) {
      const b = Buffer.alloc(blockSize);
      b.set(data.subarray(o, o + blockSize));
      at.push(blocks.length);
      blocks.push(b);
    }
    return at;
  };
  const streamBlocks = streams.map((s) => (s ? put(s) : []));
  const dir: number[] = [streams.length, ...streams.map((s) => (s ? s.length : 0xffffffff))];
  for (const b of streamBlocks) dir.push(...b);
  const dirBytes = Buffer.alloc(dir.length * 4);
  dir.forEach((v, i) => dirBytes.writeUInt32LE(v >>> 0, i * 4));
  const dirBlocks = put(dirBytes);
  if (dirBlocks.length * 4 > blockSize) throw new Error('writeMsf: the directory needs more than one block map block');
  const map = Buffer.alloc(dirBlocks.length * 4);
  dirBlocks.forEach((v, i) => map.writeUInt32LE(v, i * 4));
  const mapBlock = put(map)[0];
  // Free-page map 1: a set bit is a free block; every block written is in use.
  for (let i = 0; i < blocks.length; i++) blocks[1][i >> 3] &= ~(1 << (i & 7));
  const sb = blocks[0];
  sb.write(MAGIC, 0, 'latin1');
  sb.writeUInt32LE(blockSize, 32);
  sb.writeUInt32LE(1, 36);
  sb.writeUInt32LE(blocks.length, 40);
  sb.writeUInt32LE(dirBytes.length, 44);
  sb.writeUInt32LE(0, 48);
  sb.writeUInt32LE(mapBlock, 52);
  return Buffer.concat(blocks);
}
