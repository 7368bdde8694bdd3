/**
 * CFHEADER: the cabinet header ([MS-CAB] 2.2; `CFHEADER` in Microsoft's cabinet SDK), 36 bytes.
 *
 *   0  u8[4] signature      "MSCF"
 *   4  u32   reserved1
 *   8  u32   cbCabinet      size of the whole cabinet
 *  12  u32   reserved2
 *  16  u32   coffFiles      file offset of the first CFFILE
 *  20  u32   reserved3
 *  24  u8    versionMinor   3
 *  25  u8    versionMajor   1
 *  26  u16   cFolders
 *  28  u16   cFiles
 *  30  u16   flags          PREV_CABINET 1, NEXT_CABINET 2, RESERVE_PRESENT 4
 *  32  u16   setID
 *  34  u16   iCabinet
 * then, when RESERVE_PRESENT: u16 cbCFHeader, u8 cbCFFolder, u8 cbCFData, u8 abReserve[cbCFHeader];
 * when PREV_CABINET: szCabinetPrev, szDiskPrev; when NEXT_CABINET: szCabinetNext, szDiskNext
 * (NUL-terminated, at most 255 bytes each). The CFFOLDER array follows.
 */
import { Cursor } from '../binary/cursor';

export const CFHEADER_SIZE = 36;
export const CAB_SIGNATURE = 0x4643534d; // "MSCF" read as a little-endian u32
/** [MS-CAB]: cbCFHeader is at most 60,000 bytes. */
export const MAX_HEADER_RESERVE = 60000;

export const CabHeaderFlags = {
  PREV_CABINET: 0x0001,
  NEXT_CABINET: 0x0002,
  RESERVE_PRESENT: 0x0004,
} as const;

export interface CfHeader {
  cbCabinet: number;
  coffFiles: number;
  versionMinor: number;
  versionMajor: number;
  cFolders: number;
  cFiles: number;
  flags: number;
  setID: number;
  iCabinet: number;
  /** Sizes of the per-header, per-folder and per-data-block reserved areas (0 without RESERVE_PRESENT). */
  cbCFHeader: number;
  cbCFFolder: number;
  cbCFData: number;
  /** The header's reserved area (a view). */
  reserve: Uint8Array;
  prevCabinet?: string;
  prevDisk?: string;
  nextCabinet?: string;
  nextDisk?: string;
  /** Offset (in the cursor's window) of the first CFFOLDER. */
  foldersAt: number;
}

/** True when `bytes` starts with the cabinet signature "MSCF". */
export function hasCabSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x4d && bytes[1] === 0x53 && bytes[2] === 0x43 && bytes[3] === 0x46;
}

/** Reads CFHEADER and its optional parts from the start of the cursor's window. */
export function readCfHeader(c: Cursor): CfHeader {
  c.seek(0);
  c.need(CFHEADER_SIZE, 'CFHEADER');
  if (c.u32() !== CAB_SIGNATURE) c.fail('not a cabinet: signature is not "MSCF"', c.pos - 4);
  c.skip(4);
  const cbCabinet = c.u32();
  c.skip(4);
  const coffFiles = c.u32();
  c.skip(4);
  const versionMinor = c.u8();
  const versionMajor = c.u8();
  const cFolders = c.u16();
  const cFiles = c.u16();
  const flags = c.u16();
  const setID = c.u16();
  const iCabinet = c.u16();
  let cbCFHeader = 0;
  let cbCFFolder = 0;
  let cbCFData = 0;
  let reserve: Uint8Array = new Uint8Array(0);
  if (flags & CabHeaderFlags.RESERVE_PRESENT) {
    const at = c.pos;
    cbCFHeader = c.u16();
    cbCFFolder = c.u8();
    cbCFData = c.u8();
    if (cbCFHeader > MAX_HEADER_RESERVE) c.fail(`cbCFHeader ${cbCFHeader} exceeds the ${MAX_HEADER_RESERVE}-byte maximum`, at);
    reserve = c.bytes(cbCFHeader, 'CFHEADER reserved area');
  }
  const h: CfHeader = {
    cbCabinet,
    coffFiles,
    versionMinor,
    versionMajor,
    cFolders,
    cFiles,
    flags,
    setID,
    iCabinet,
    cbCFHeader,
    cbCFFolder,
    cbCFData,
    reserve,
    foldersAt: 0,
  };
  const name = (what: string) => {
    const at = c.pos;
    const s = c.cstring(what);
    if (c.pos - at - 1 > 255) c.fail(`${what} of ${c.pos - at - 1} bytes (at most 255)`, at);
    return s;
  };
  if (flags & CabHeaderFlags.PREV_CABINET) {
    h.prevCabinet = name('szCabinetPrev');
    h.prevDisk = name('szDiskPrev');
  }
  if (flags & CabHeaderFlags.NEXT_CABINET) {
    h.nextCabinet = name('szCabinetNext');
    h.nextDisk = name('szDiskNext');
  }
  h.foldersAt = c.rel;
  return h;
}

/** The 36-byte CFHEADER of a single cabinet with no reserved areas and no neighbours. */
export function encodeCfHeader(h: { cbCabinet: number; coffFiles: number; cFolders: number; cFiles: number; setID?: number }): Uint8Array {
  const b = new Uint8Array(CFHEADER_SIZE);
  const v = new DataView(b.buffer);
  v.setUint32(0, CAB_SIGNATURE, true);
  v.setUint32(8, h.cbCabinet, true);
  v.setUint32(16, h.coffFiles, true);
  b[24] = 3;
  b[25] = 1;
  v.setUint16(26, h.cFolders, true);
  v.setUint16(28, h.cFiles, true);
  v.setUint16(30, 0, true);
  v.setUint16(32, h.setID ?? 0, true);
  v.setUint16(34, 0, true);
  return b;
}
