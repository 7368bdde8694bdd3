/**
 * MSF 7.00 superblock ("big MSF"), 56 bytes at offset 0 of every modern PDB.
 * LLVM calls it `msf::SuperBlock`; Microsoft's msf.cpp calls it `BigHdr`.
 *
 *   char magic[32]            "Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0"
 *   u32  blockSize            512, 1024, 2048, 4096 ... 65536
 *   u32  freeBlockMapBlock    1 or 2
 *   u32  numBlocks
 *   u32  numDirectoryBytes
 *   u32  unknown
 *   u32  blockMapAddr         block holding the list of the directory's blocks
 */
import { DbgHelpError } from '../../api/errors';
import { Cursor } from '../binary/cursor';

export const MSF7_MAGIC = 'Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0';
export const MSF2_MAGIC_PREFIX = 'Microsoft C/C++ program database 2.00\r\n';
export const SUPERBLOCK_SIZE = 56;

export interface SuperBlock {
  blockSize: number;
  freeBlockMapBlock: number;
  numBlocks: number;
  numDirectoryBytes: number;
  blockMapAddr: number;
}

export function readSuperBlock(c: Cursor, fileSize: number): SuperBlock {
  const head = c.bytes(Math.min(c.remaining, 32), 'MSF magic');
  const text = String.fromCharCode(...head);
  if (text.startsWith(MSF2_MAGIC_PREFIX.slice(0, 32))) {
    throw new DbgHelpError('UNSUPPORTED', `${c.origin}: an MSF 2.00 (VC 6 era, "JG") PDB; only MSF 7.00 PDBs are supported`, { file: c.origin, offset: 0 });
  }
  if (text !== MSF7_MAGIC) c.fail('not a PDB: the MSF 7.00 signature is missing', 0);
  const blockSize = c.u32();
  const freeBlockMapBlock = c.u32();
  const numBlocks = c.u32();
  const numDirectoryBytes = c.u32();
  c.u32();
  const blockMapAddr = c.u32();
  if (blockSize < 512 || blockSize > 65536 || (blockSize & (blockSize - 1)) !== 0) {
    c.fail(`MSF block size ${blockSize} is not a power of two in 512..65536`, 32);
  }
  if (numBlocks * blockSize > fileSize + blockSize) {
    // The last block may be short in some writers; anything more is truncation.
    c.fail(`MSF claims ${numBlocks} blocks of ${blockSize} bytes but the file has ${fileSize} bytes`, 40);
  }
  if (blockMapAddr >= numBlocks) c.fail(`MSF directory block map at block ${blockMapAddr} beyond ${numBlocks} blocks`, 52);
  return { blockSize, freeBlockMapBlock, numBlocks, numDirectoryBytes, blockMapAddr };
}
