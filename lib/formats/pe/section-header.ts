/**
 * IMAGE_SECTION_HEADER (winnt.h), 40 bytes. The image's section table follows the optional
 * header; a PDB keeps a copy of it in its "Section Header Data" debug stream, which the PDB
 * reader parses with the same `readSectionHeaders`.
 */
import { Cursor } from '../binary/cursor';
import { Rva, rva } from '../binary/address';

export const IMAGE_SECTION_HEADER_SIZE = 40;

export const ImageSectionCharacteristics = {
  CNT_CODE: 0x00000020,
  CNT_INITIALIZED_DATA: 0x00000040,
  CNT_UNINITIALIZED_DATA: 0x00000080,
  MEM_DISCARDABLE: 0x02000000,
  MEM_EXECUTE: 0x20000000,
  MEM_READ: 0x40000000,
  MEM_WRITE: 0x80000000,
} as const;

export interface SectionHeader {
  /** The 8-byte Name field up to its first NUL (latin1). */
  name: string;
  virtualSize: number;
  virtualAddress: Rva;
  sizeOfRawData: number;
  pointerToRawData: number;
  characteristics: number;
}

/** `count` section headers from the cursor; a count the cursor cannot hold is BAD_FORMAT. */
export function readSectionHeaders(c: Cursor, count: number): SectionHeader[] {
  c.count(count, IMAGE_SECTION_HEADER_SIZE, 'section header');
  const out: SectionHeader[] = [];
  for (let i = 0; i < count; i++) out.push(readSectionHeader(c));
  return out;
}

export function readSectionHeader(c: Cursor): SectionHeader {
  c.need(IMAGE_SECTION_HEADER_SIZE, 'IMAGE_SECTION_HEADER');
  const name = c.fixedString(8);
  const virtualSize = c.u32();
  const virtualAddress = rva(c.u32());
  const sizeOfRawData = c.u32();
  const pointerToRawData = c.u32();
  c.skip(12); // PointerToRelocations, PointerToLinenumbers, NumberOfRelocations, NumberOfLinenumbers
  const characteristics = c.u32();
  return { name, virtualSize, virtualAddress, sizeOfRawData, pointerToRawData, characteristics };
}
