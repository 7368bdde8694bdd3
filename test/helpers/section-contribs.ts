/**
 * A DBI section contribution substream built from rows [section, offset, size, module]: the
 * version word (SC_VER60, or SC_V2 with `v2`), then one SectionContribEntry (28 bytes) or
 * SectionContribEntry2 (32 bytes) per row.
 */
export function contribBytes(rows: number[][], v2 = false): Uint8Array {
  const rec = v2 ? 32 : 28;
  const b = Buffer.alloc(4 + rows.length * rec);
  b.writeUInt32LE(0xeffe0000 + (v2 ? 20140516 : 19970605), 0);
  rows.forEach(([section, offset, size, module], i) => {
    const at = 4 + i * rec;
    b.writeUInt16LE(section, at);
    b.writeUInt32LE(offset, at + 4);
    b.writeInt32LE(size, at + 8);
    b.writeUInt16LE(module, at + 16);
  });
  return b;
}
