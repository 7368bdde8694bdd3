/**
 * IMAGE_OPTIONAL_HEADER32 (winnt.h), 96 bytes + data directories (224 with all 16), and
 * IMAGE_OPTIONAL_HEADER64, 112 bytes + data directories (240 with all 16). Each data directory
 * is an IMAGE_DATA_DIRECTORY, 8 bytes: VirtualAddress (an RVA) and Size.
 *
 * The cursor given is exactly SizeOfOptionalHeader bytes. NumberOfRvaAndSizes is kept as
 * stored, but only the directories that fit in that window (and at most 16, like the Windows
 * loader) are read.
 */
import { Cursor } from '../binary/cursor';
import { Rva, rva } from '../binary/address';

export const IMAGE_NT_OPTIONAL_HDR32_MAGIC = 0x10b;
export const IMAGE_NT_OPTIONAL_HDR64_MAGIC = 0x20b;
export const IMAGE_NUMBEROF_DIRECTORY_ENTRIES = 16;

/** Data directory indexes (IMAGE_DIRECTORY_ENTRY_*). */
export const ImageDirectoryEntry = {
  EXPORT: 0,
  IMPORT: 1,
  RESOURCE: 2,
  EXCEPTION: 3,
  SECURITY: 4,
  BASERELOC: 5,
  DEBUG: 6,
  ARCHITECTURE: 7,
  GLOBALPTR: 8,
  TLS: 9,
  LOAD_CONFIG: 10,
  BOUND_IMPORT: 11,
  IAT: 12,
  DELAY_IMPORT: 13,
  COM_DESCRIPTOR: 14,
} as const;

export interface DataDirectory {
  readonly rva: Rva;
  readonly size: number;
}

export interface OptionalHeader {
  readonly magic: number;
  readonly is64: boolean;
  readonly majorLinkerVersion: number;
  readonly minorLinkerVersion: number;
  readonly sizeOfCode: number;
  readonly addressOfEntryPoint: Rva;
  readonly baseOfCode: Rva;
  readonly imageBase: bigint;
  readonly sectionAlignment: number;
  readonly fileAlignment: number;
  readonly majorOperatingSystemVersion: number;
  readonly minorOperatingSystemVersion: number;
  readonly majorImageVersion: number;
  readonly minorImageVersion: number;
  readonly majorSubsystemVersion: number;
  readonly minorSubsystemVersion: number;
  readonly sizeOfImage: number;
  readonly sizeOfHeaders: number;
  readonly checkSum: number;
  readonly subsystem: number;
  readonly dllCharacteristics: number;
  readonly sizeOfStackReserve: bigint;
  readonly sizeOfStackCommit: bigint;
  readonly numberOfRvaAndSizes: number;
  readonly dataDirectories: readonly DataDirectory[];
}

export function readOptionalHeader(c: Cursor): OptionalHeader {
  const magicAt = c.pos;
  c.need(2, 'optional header magic');
  const magic = c.u16();
  if (magic !== IMAGE_NT_OPTIONAL_HDR32_MAGIC && magic !== IMAGE_NT_OPTIONAL_HDR64_MAGIC) {
    c.fail(`bad optional header magic 0x${magic.toString(16)} (want 0x10b for PE32 or 0x20b for PE32+)`, magicAt);
  }
  const is64 = magic === IMAGE_NT_OPTIONAL_HDR64_MAGIC;
  const fixed = is64 ? 112 : 96;
  if (c.length < fixed) {
    c.fail(`SizeOfOptionalHeader ${c.length} is smaller than the ${fixed}-byte ${is64 ? 'PE32+' : 'PE32'} optional header`, magicAt);
  }
  const word = (): bigint => (is64 ? c.u64() : BigInt(c.u32()));
  const majorLinkerVersion = c.u8();
  const minorLinkerVersion = c.u8();
  const sizeOfCode = c.u32();
  c.skip(8); // SizeOfInitializedData, SizeOfUninitializedData
  const addressOfEntryPoint = rva(c.u32());
  const baseOfCode = rva(c.u32());
  if (!is64) c.skip(4); // BaseOfData
  const imageBase = word();
  const sectionAlignment = c.u32();
  const fileAlignment = c.u32();
  const majorOperatingSystemVersion = c.u16();
  const minorOperatingSystemVersion = c.u16();
  const majorImageVersion = c.u16();
  const minorImageVersion = c.u16();
  const majorSubsystemVersion = c.u16();
  const minorSubsystemVersion = c.u16();
  c.skip(4); // Win32VersionValue
  const sizeOfImage = c.u32();
  const sizeOfHeaders = c.u32();
  const checkSum = c.u32();
  const subsystem = c.u16();
  const dllCharacteristics = c.u16();
  const sizeOfStackReserve = word();
  const sizeOfStackCommit = word();
  word(); // SizeOfHeapReserve
  word(); // SizeOfHeapCommit
  c.skip(4); // LoaderFlags
  const numberOfRvaAndSizes = c.u32();
  const n = Math.min(numberOfRvaAndSizes, IMAGE_NUMBEROF_DIRECTORY_ENTRIES, Math.floor(c.remaining / 8));
  const dataDirectories: DataDirectory[] = [];
  for (let i = 0; i < n; i++) dataDirectories.push({ rva: rva(c.u32()), size: c.u32() });
  return {
    magic,
    is64,
    majorLinkerVersion,
    minorLinkerVersion,
    sizeOfCode,
    addressOfEntryPoint,
    baseOfCode,
    imageBase,
    sectionAlignment,
    fileAlignment,
    majorOperatingSystemVersion,
    minorOperatingSystemVersion,
    majorImageVersion,
    minorImageVersion,
    majorSubsystemVersion,
    minorSubsystemVersion,
    sizeOfImage,
    sizeOfHeaders,
    checkSum,
    subsystem,
    dllCharacteristics,
    sizeOfStackReserve,
    sizeOfStackCommit,
    numberOfRvaAndSizes,
    dataDirectories,
  };
}
