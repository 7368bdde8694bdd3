/**
 * Does a file found by the search match what was asked for? The same checks run on a file in
 * a directory, on one in a store, and on a temporary file before it is renamed into a
 * downstream store.
 *
 * - .pdb: the PDB info stream's GUID (PDB 7.0) or signature (NB10) and the DBI age (the age an
 *   image's CodeView record carries; the info stream's age may be larger).
 * - .exe/.dll/.sys and other PE images: COFF TimeDateStamp and SizeOfImage.
 * - .dbg: IMAGE_SEPARATE_DEBUG_HEADER (winnt.h, 48 bytes): WORD Signature 'DI' (0x4944),
 *   WORD Flags, WORD Machine, WORD Characteristics, DWORD TimeDateStamp, DWORD CheckSum,
 *   DWORD ImageBase, DWORD SizeOfImage, ...: TimeDateStamp and SizeOfImage.
 *
 * A check answers undefined when the file matches, else why not (one line, for the log and for
 * `pdbUnmatched`). A file that cannot be parsed does not match.
 */
import * as fs from 'fs';
import { DbgHelpError } from '../api/errors';
import { Cursor } from '../formats/binary/cursor';
import { PdbFile } from '../formats/pdb/pdb-file';
import { PeImage } from '../formats/pe/pe-image';
import { guidHex } from './keys';
import { extensionOf } from './paths';

/** What identifies the wanted file. */
export type FileIdentity =
  | { kind: 'pdb70'; guid: string; age: number }
  | { kind: 'pdb20'; signature: number; age: number }
  | { kind: 'image'; timeDateStamp: number; sizeOfImage: number }
  | { kind: 'dbg'; timeDateStamp: number; sizeOfImage: number }
  /** Only the name is known: anything by that name is accepted. */
  | { kind: 'any' };

/** SymFindFileInPath's (FileName, id, two) as an identity. */
export function identityFor(fileName: string, id: string | number, two: number): FileIdentity {
  const ext = extensionOf(fileName);
  if (typeof id === 'string') {
    if (guidHex(id) === undefined) throw new DbgHelpError('INVALID_PARAMETER', `findFileInPath: '${id}' is not a GUID`);
    return { kind: 'pdb70', guid: id, age: two };
  }
  if (ext === 'pdb') return { kind: 'pdb20', signature: id, age: two };
  if (ext === 'dbg') return { kind: 'dbg', timeDateStamp: id, sizeOfImage: two };
  return { kind: 'image', timeDateStamp: id, sizeOfImage: two };
}

/**
 * Undefined when the file at `p` is the one `id` names, else why not. `keep`: a matching PDB
 * is handed over open instead of closed (the caller owns it: a load uses it rather than opening
 * and parsing the file a second time).
 */
export function checkFile(p: string, id: FileIdentity, keep?: (pdb: PdbFile) => void): string | undefined {
  try {
    switch (id.kind) {
      case 'any':
        return undefined;
      case 'pdb70':
      case 'pdb20':
        return checkPdb(p, id, keep);
      case 'image':
        return checkImage(p, id.timeDateStamp, id.sizeOfImage);
      case 'dbg':
        return checkDbg(p, id.timeDateStamp, id.sizeOfImage);
    }
  } catch (e) {
    if (e instanceof DbgHelpError) return e.code === 'BAD_FORMAT' ? `not a valid file: ${e.message}` : e.message;
    throw e;
  }
}

function checkPdb(p: string, id: Extract<FileIdentity, { kind: 'pdb70' | 'pdb20' }>, keep?: (pdb: PdbFile) => void): string | undefined {
  const pdb = PdbFile.open(p);
  let kept = false;
  try {
    if (id.kind === 'pdb70') {
      if (guidHex(pdb.info.guid) !== guidHex(id.guid)) return `GUID ${pdb.info.guid} is not ${id.guid.toUpperCase()}`;
    } else if (pdb.info.signature !== id.signature) {
      return `signature ${pdb.info.signature.toString(16)} is not ${id.signature.toString(16)}`;
    }
    if (pdb.matchAge !== id.age) return `age ${pdb.matchAge} is not ${id.age}`;
    if (keep) {
      keep(pdb);
      kept = true;
    }
    return undefined;
  } finally {
    if (!kept) pdb.close();
  }
}

function checkImage(p: string, timeDateStamp: number, sizeOfImage: number): string | undefined {
  const img = PeImage.open(p);
  try {
    if (img.timeDateStamp !== timeDateStamp) return `TimeDateStamp ${hex(img.timeDateStamp)} is not ${hex(timeDateStamp)}`;
    if (img.sizeOfImage !== sizeOfImage) return `SizeOfImage ${hex(img.sizeOfImage)} is not ${hex(sizeOfImage)}`;
    return undefined;
  } finally {
    img.close();
  }
}

/** IMAGE_SEPARATE_DEBUG_SIGNATURE */
const DBG_SIGNATURE = 0x4944;
const IMAGE_SEPARATE_DEBUG_HEADER_SIZE = 48;

export interface SeparateDebugHeader {
  machine: number;
  timeDateStamp: number;
  checkSum: number;
  imageBase: number;
  sizeOfImage: number;
}

/** The header of a .dbg file. */
export function readSeparateDebugHeader(bytes: Uint8Array, file: string): SeparateDebugHeader {
  const c = Cursor.of(bytes, file);
  c.need(IMAGE_SEPARATE_DEBUG_HEADER_SIZE, 'IMAGE_SEPARATE_DEBUG_HEADER');
  const signature = c.u16();
  if (signature !== DBG_SIGNATURE) c.fail(`IMAGE_SEPARATE_DEBUG_HEADER signature 0x${signature.toString(16)} is not 'DI'`, 0);
  c.u16(); // Flags
  const machine = c.u16();
  c.u16(); // Characteristics
  const timeDateStamp = c.u32();
  const checkSum = c.u32();
  const imageBase = c.u32();
  const sizeOfImage = c.u32();
  return { machine, timeDateStamp, checkSum, imageBase, sizeOfImage };
}

function checkDbg(p: string, timeDateStamp: number, sizeOfImage: number): string | undefined {
  const fd = fs.openSync(p, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(IMAGE_SEPARATE_DEBUG_HEADER_SIZE);
    head = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
  } finally {
    fs.closeSync(fd);
  }
  const h = readSeparateDebugHeader(head, p);
  if (h.timeDateStamp !== timeDateStamp) return `TimeDateStamp ${hex(h.timeDateStamp)} is not ${hex(timeDateStamp)}`;
  if (h.sizeOfImage !== sizeOfImage) return `SizeOfImage ${hex(h.sizeOfImage)} is not ${hex(sizeOfImage)}`;
  return undefined;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
