/**
 * A cabinet file (.cab; the compressed symbol-store files name.pd_, name.ex_, name.dl_):
 * `openCab` reads CFHEADER, the CFFOLDERs and the CFFILEs; `extract` decompresses the one
 * folder a file lives in (none, MSZIP or LZX), up to the end of that file.
 *
 * Malformed input is DbgHelpError BAD_FORMAT naming the file and an offset; a method this
 * reader does not implement (Quantum) and multi-cabinet sets are UNSUPPORTED. Sizes are checked
 * before anything is allocated: a block inflates to at most 32 KiB, and a folder's declared size
 * must be one its compressed bytes could produce.
 */
import { DbgHelpError, badFormat } from '../../api/errors';
import { Cursor } from '../binary/cursor';
import { CAB_BLOCK_MAX, CAB_INPUT_MAX, CfData, cfDataChecksumOk, readCfData } from './cfdata';
import { CfFile, IFOLD_CONTINUED_FROM_PREV, dosDateTime, readCfFiles } from './cffile';
import { CfFolder, readCfFolders } from './cffolder';
import { CfHeader, hasCabSignature, readCfHeader } from './cfheader';
import { LZX_FRAME_SIZE, LzxDecoder, LzxError } from './lzx';
import { inflateMszipBlock } from './mszip';

/** What a file in a cabinet is. */
export interface CabFileEntry {
  /** The stored name (a relative path with `\` separators, as written). */
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  /** Index of the folder holding it (0xFFFD..0xFFFF: continued from/into another cabinet). */
  folder: number;
  /** Offset of its first byte in the folder's uncompressed data. */
  folderOffset: number;
  /** The MS-DOS date/time fields read as UTC (cabinets store no time zone); undefined if invalid. */
  modified: Date | undefined;
  /** The raw MS-DOS date and time fields. */
  dosDate: number;
  dosTime: number;
  /** CFFILE attribs (_A_RDONLY 1, _A_HIDDEN 2, _A_SYSTEM 4, _A_ARCH 0x20, _A_EXEC 0x40, _A_NAME_IS_UTF 0x80). */
  attributes: number;
}

export interface CabFolderInfo {
  index: number;
  method: CfFolder['method'];
  /** The raw typeCompress field. */
  typeCompress: number;
  /** LZX window size as a power of two (15..21), 0 for other methods. */
  lzxWindowBits: number;
  /** Number of CFDATA blocks. */
  blocks: number;
}

/** Deflate and LZX both need at least 2 bits per 257-258 output bytes: no block can grow more. */
const MAX_EXPANSION = 1032;

/** True when `bytes` starts with the cabinet signature "MSCF". */
export function isCab(bytes: Uint8Array): boolean {
  return hasCabSignature(bytes);
}

/** Opens a cabinet held in memory. `fileLabel` names it in error messages. */
export function openCab(bytes: Uint8Array, fileLabel: string): Cabinet {
  return new Cabinet(bytes, fileLabel);
}

export class Cabinet {
  readonly header: CfHeader;
  readonly folders: readonly CabFolderInfo[];
  readonly files: readonly CabFileEntry[];
  private readonly cfFolders: CfFolder[];
  private readonly cfFiles: CfFile[];
  private readonly c: Cursor;
  private readonly blockCache = new Map<number, CfData[]>();
  /** The last folder decoded (when it holds several files): index, bytes, how far decoded. */
  private decoded: { folder: number; out: Uint8Array; upTo: number } | undefined;

  constructor(
    readonly bytes: Uint8Array,
    readonly fileLabel: string,
  ) {
    const c = (this.c = Cursor.of(bytes, fileLabel));
    const h = (this.header = readCfHeader(c));
    if (h.cFolders === 0) c.fail('cabinet has no folders (cFolders 0)', 26);
    if (h.cFiles === 0) c.fail('cabinet has no files (cFiles 0)', 28);
    c.seek(h.foldersAt);
    this.cfFolders = readCfFolders(c, h.cFolders, h.cbCFFolder);
    // CFFILEs follow the CFFOLDERs. A cabinet whose coffFiles points elsewhere lists different
    // files to readers that seek to it (Microsoft's) and readers that read on (libmspack).
    if (h.coffFiles !== c.offset) c.fail(`coffFiles 0x${h.coffFiles.toString(16)} is not where the CFFOLDERs end (0x${c.offset.toString(16)})`, 16);
    this.cfFiles = readCfFiles(c, h.cFiles);
    for (const f of this.cfFiles) {
      if (f.iFolder >= h.cFolders && f.iFolder < IFOLD_CONTINUED_FROM_PREV) {
        c.fail(`file "${f.name}" names folder ${f.iFolder} of ${h.cFolders}`, f.at + 8);
      }
    }
    this.folders = this.cfFolders.map((f) => ({ index: f.index, method: f.method, typeCompress: f.typeCompress, lzxWindowBits: f.lzxWindowBits, blocks: f.cCFData }));
    this.files = this.cfFiles.map((f) => ({
      name: f.name,
      size: f.cbFile,
      folder: f.iFolder,
      folderOffset: f.uoffFolderStart,
      modified: dosDateTime(f.date, f.time),
      dosDate: f.date,
      dosTime: f.time,
      attributes: f.attribs,
    }));
  }

  /** The entry named `name`: an exact match, else the first case-insensitive one. */
  find(name: string): CabFileEntry | undefined {
    return this.files.find((f) => f.name === name) ?? this.files.find((f) => f.name.toLowerCase() === name.toLowerCase());
  }

  /** A file's bytes. The returned array is the caller's (never shared with a later call). */
  extract(which: string | CabFileEntry): Uint8Array {
    const i = typeof which === 'string' ? this.files.indexOf(this.find(which)!) : this.files.indexOf(which);
    if (i < 0) {
      const name = typeof which === 'string' ? which : which.name;
      throw new DbgHelpError('FILE_NOT_FOUND', `${this.fileLabel}: no file "${name}" in the cabinet`, { file: this.fileLabel });
    }
    const f = this.cfFiles[i];
    if (f.iFolder >= IFOLD_CONTINUED_FROM_PREV) {
      throw new DbgHelpError('UNSUPPORTED', `${this.fileLabel}: "${f.name}" continues into another cabinet of a set; multi-cabinet sets are not supported`, { file: this.fileLabel });
    }
    const end = f.uoffFolderStart + f.cbFile;
    if (f.cbFile === 0) return new Uint8Array(0);
    const folder = this.cfFolders[f.iFolder];
    const sole = this.cfFiles.filter((g) => g.iFolder === f.iFolder).length === 1;
    let out: Uint8Array;
    let upTo: number;
    if (this.decoded && this.decoded.folder === folder.index && this.decoded.upTo >= end) {
      ({ out, upTo } = this.decoded);
    } else {
      ({ out, upTo } = this.decodeFolder(folder, end, f));
      // A folder holding one file is handed over without a copy and not kept.
      if (sole) {
        this.decoded = undefined;
        return upTo === f.cbFile && f.uoffFolderStart === 0 ? out : out.subarray(f.uoffFolderStart, end);
      }
      this.decoded = { folder: folder.index, out, upTo };
    }
    return out.slice(f.uoffFolderStart, end);
  }

  /** The folder's CFDATA blocks, read and checked (sizes, checksums) once. */
  private blocks(folder: CfFolder): CfData[] {
    const cached = this.blockCache.get(folder.index);
    if (cached) return cached;
    const c = this.c;
    const resv = this.header.cbCFData;
    if (folder.coffCabStart > c.length) c.fail(`folder ${folder.index}'s data offset 0x${folder.coffCabStart.toString(16)} is past the end of the file`, folder.at);
    c.seek(folder.coffCabStart);
    c.count(folder.cCFData, 8 + resv, `folder ${folder.index} CFDATA`);
    const out: CfData[] = [];
    for (let i = 0; i < folder.cCFData; i++) {
      const d = readCfData(c, resv);
      if (d.cbUncomp > CAB_BLOCK_MAX) c.fail(`CFDATA block ${i} of folder ${folder.index} claims ${d.cbUncomp} uncompressed bytes (at most ${CAB_BLOCK_MAX})`, d.at + 6);
      if (d.cbData > CAB_INPUT_MAX) c.fail(`CFDATA block ${i} of folder ${folder.index} holds ${d.cbData} bytes (at most ${CAB_INPUT_MAX})`, d.at + 4);
      if (!cfDataChecksumOk(d)) c.fail(`CFDATA block ${i} of folder ${folder.index}: checksum mismatch`, d.at);
      out.push(d);
    }
    this.blockCache.set(folder.index, out);
    return out;
  }

  /** Decodes `folder` far enough to hold byte `end - 1`; `out` holds the first `upTo` bytes. */
  private decodeFolder(folder: CfFolder, end: number, f: CfFile): { out: Uint8Array; upTo: number } {
    const file = this.fileLabel;
    if (folder.method === 'quantum') {
      throw new DbgHelpError('UNSUPPORTED', `${file}: folder ${folder.index} uses Quantum compression, which is not supported (only none, MSZIP and LZX)`, { file, offset: folder.at + 6 });
    }
    if (folder.method === 'unknown') throw badFormat(file, folder.at + 6, `folder ${folder.index} has unknown compression type ${folder.typeCompress & 0xf}`);
    if (folder.method === 'lzx' && (folder.lzxWindowBits < 15 || folder.lzxWindowBits > 21)) {
      throw badFormat(file, folder.at + 6, `folder ${folder.index}: LZX window 2^${folder.lzxWindowBits} outside 2^15..2^21`);
    }
    const blocks = this.blocks(folder);
    let total = 0;
    let packed = 0;
    for (const [i, d] of blocks.entries()) {
      if (d.cbUncomp === 0) {
        throw new DbgHelpError('UNSUPPORTED', `${file}: CFDATA block ${i} of folder ${folder.index} continues in the next cabinet; multi-cabinet sets are not supported`, { file, offset: d.at });
      }
      if (folder.method === 'none' && d.cbData !== d.cbUncomp) throw badFormat(file, d.at + 4, `uncompressed CFDATA block ${i} stores ${d.cbData} bytes for ${d.cbUncomp}`);
      if (folder.method === 'mszip' && d.cbUncomp > d.cbData * MAX_EXPANSION) throw badFormat(file, d.at + 6, `MSZIP block ${i} of ${d.cbData} bytes cannot inflate to ${d.cbUncomp}`);
      total += d.cbUncomp;
      packed += d.cbData;
    }
    if (end > total) {
      throw badFormat(file, f.at, `file "${f.name}" ends at byte ${end} of folder ${folder.index}, which holds ${total} bytes`);
    }
    if (folder.method === 'lzx' && total > packed * MAX_EXPANSION + LZX_FRAME_SIZE) {
      throw badFormat(file, folder.at, `LZX folder ${folder.index} of ${packed} compressed bytes cannot hold ${total} bytes`);
    }

    if (folder.method === 'lzx') {
      const upTo = Math.min(total, Math.ceil(end / LZX_FRAME_SIZE) * LZX_FRAME_SIZE);
      const out = new Uint8Array(upTo);
      const input = new Uint8Array(packed);
      let at = 0;
      for (const d of blocks) {
        input.set(d.data, at);
        at += d.cbData;
      }
      try {
        new LzxDecoder(folder.lzxWindowBits, input).decode(out, total, upTo);
      } catch (e) {
        if (!(e instanceof LzxError)) throw e;
        // Map the offset in the joined input back to the block holding it.
        let rest = e.inputOffset;
        let fileOffset = blocks.length ? blocks[blocks.length - 1].dataAt + blocks[blocks.length - 1].cbData : folder.coffCabStart;
        for (const d of blocks) {
          if (rest < d.cbData) {
            fileOffset = d.dataAt + rest;
            break;
          }
          rest -= d.cbData;
        }
        throw badFormat(file, fileOffset, `folder ${folder.index}: ${e.message}`);
      }
      return { out, upTo };
    }

    // none and MSZIP: block by block, up to the block that holds the file's last byte.
    let upTo = 0;
    let n = 0;
    while (upTo < end) upTo += blocks[n++].cbUncomp;
    const out = new Uint8Array(upTo);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const d = blocks[i];
      if (folder.method === 'none') out.set(d.data, at);
      else inflateMszipBlock(d.data, out, at, d.cbUncomp, file, d.dataAt);
      at += d.cbUncomp;
    }
    return { out, upTo };
  }
}
