/**
 * CodeView numeric leaves (cvinfo.h LF_CHAR..LF_UQUADWORD): a u16 below 0x8000 is the value
 * itself; otherwise it names the type of the value that follows.
 */
import { Cursor } from '../binary/cursor';

export function readNumericLeaf(c: Cursor): bigint {
  const leaf = c.u16();
  if (leaf < 0x8000) return BigInt(leaf);
  switch (leaf) {
    case 0x8000: // LF_CHAR
      return BigInt((c.u8() << 24) >> 24);
    case 0x8001: // LF_SHORT
      return BigInt(c.i16());
    case 0x8002: // LF_USHORT
      return BigInt(c.u16());
    case 0x8003: // LF_LONG
      return BigInt(c.i32());
    case 0x8004: // LF_ULONG
      return BigInt(c.u32());
    case 0x8009: // LF_QUADWORD
      return BigInt.asIntN(64, c.u64());
    case 0x800a: // LF_UQUADWORD
      return c.u64();
    case 0x8017: // LF_UTF8STRING: not a number; skip the string
      c.cstring('numeric leaf string');
      return 0n;
    default:
      return c.fail(`unsupported numeric leaf 0x${leaf.toString(16)}`, c.pos - 2);
  }
}
