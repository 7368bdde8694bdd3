/**
 * IMAGE_FILE_HEADER (winnt.h), 20 bytes: the COFF header after the 'PE\0\0' signature.
 */
import { Cursor } from '../binary/cursor';

export const IMAGE_FILE_HEADER_SIZE = 20;

export const ImageFileMachine = {
  UNKNOWN: 0x0,
  I386: 0x14c,
  ARMNT: 0x1c4,
  AMD64: 0x8664,
  ARM64: 0xaa64,
} as const;

export const ImageFileCharacteristics = {
  RELOCS_STRIPPED: 0x0001,
  EXECUTABLE_IMAGE: 0x0002,
  LARGE_ADDRESS_AWARE: 0x0020,
  MACHINE_32BIT: 0x0100,
  DEBUG_STRIPPED: 0x0200,
  SYSTEM: 0x1000,
  DLL: 0x2000,
} as const;

export interface FileHeader {
  readonly machine: number;
  readonly numberOfSections: number;
  readonly timeDateStamp: number;
  readonly pointerToSymbolTable: number;
  readonly numberOfSymbols: number;
  readonly sizeOfOptionalHeader: number;
  readonly characteristics: number;
}

export function readFileHeader(c: Cursor): FileHeader {
  c.need(IMAGE_FILE_HEADER_SIZE, 'IMAGE_FILE_HEADER');
  return {
    machine: c.u16(),
    numberOfSections: c.u16(),
    timeDateStamp: c.u32(),
    pointerToSymbolTable: c.u32(),
    numberOfSymbols: c.u32(),
    sizeOfOptionalHeader: c.u16(),
    characteristics: c.u16(),
  };
}
