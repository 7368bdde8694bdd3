/**
 * Writes a single cabinet (no set, no reserved areas) with MSZIP folders, the format Microsoft's
 * symstore writes for `/compress` and `expand`/cabextract read: files are packed one after
 * another into a folder cut into 32 KiB CFDATA blocks, each "CK" + raw deflate using the
 * previous block as its dictionary (or a stored deflate block when deflate would not shrink it),
 * each with its checksum. A folder of empty files has no blocks. A folder holds at most 65535 blocks; more files start another folder.
 */
import { DbgHelpError } from '../../api/errors';
import { CAB_BLOCK_MAX, encodeCfData } from './cfdata';
import { CabFileAttributes, encodeCfFile, toDosDateTime } from './cffile';
import { CFFOLDER_SIZE, CabCompression, encodeCfFolder } from './cffolder';
import { CFHEADER_SIZE, encodeCfHeader } from './cfheader';
import { deflateMszipBlock, storedMszipBlock } from './mszip';

export interface CabInputFile {
  /** Name stored in the cabinet (`\` separates folders); non-ASCII names are stored as UTF-8. */
  name: string;
  data: Uint8Array;
  /** Modification time stored as MS-DOS date/time from its UTC fields (default: now). */
  date?: Date;
  /** CFFILE attribs (default _A_ARCH). */
  attributes?: number;
}

export interface WriteCabOptions {
  /** zlib level 0-9 (default 6: level 9 takes three times as long for about 1% less). 0 writes stored deflate blocks. */
  level?: number;
  /** Compress every block on its own, with no history from the block before. */
  independentBlocks?: boolean;
}

/** Largest folder (64K blocks of 32 KiB, less one block: Microsoft's FCI limit 0x7FFF8000). */
const MAX_FOLDER_BYTES = 0x7fff8000;
const MAX_BLOCKS = 65535;
const utf8 = new TextEncoder();

export function writeCab(files: readonly CabInputFile[], options: WriteCabOptions = {}): Uint8Array {
  const level = options.level ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw invalid(`level ${level} is not 0-9`);
  if (files.length === 0) throw invalid('a cabinet needs at least one file');
  if (files.length > 0xffff) throw invalid(`${files.length} files: a cabinet holds at most 65535`);
  for (const f of files) {
    if (typeof f.name !== 'string' || f.name.length === 0 || f.name.includes('\0')) throw invalid(`bad file name ${JSON.stringify(f.name)}`);
    if (utf8.encode(f.name).length > 255) throw invalid(`file name "${f.name}" is longer than 255 bytes`);
    if (!(f.data instanceof Uint8Array)) throw invalid(`data of "${f.name}" is not a Uint8Array`);
    if (f.data.length > MAX_FOLDER_BYTES) throw invalid(`"${f.name}" is ${f.data.length} bytes; a cabinet file holds at most ${MAX_FOLDER_BYTES}`);
  }

  // Assign files to folders.
  const folderOf: number[] = [];
  const offsetOf: number[] = [];
  const folderFiles: number[][] = [];
  let size = Infinity;
  files.forEach((f, i) => {
    if (size + f.data.length > MAX_FOLDER_BYTES || Math.ceil((size + f.data.length) / CAB_BLOCK_MAX) > MAX_BLOCKS) {
      folderFiles.push([]);
      size = 0;
    }
    folderOf.push(folderFiles.length - 1);
    offsetOf.push(size);
    folderFiles[folderFiles.length - 1].push(i);
    size += f.data.length;
  });

  // Compress each folder's data.
  const folderBlocks: Uint8Array[][] = folderFiles.map((members) =>
    compressFolder(
      members.map((i) => files[i].data),
      level,
      options.independentBlocks ?? false,
    ),
  );

  const entries = files.map((f, i) => {
    const { date, time } = toDosDateTime(f.date ?? new Date());
    return encodeCfFile({ cbFile: f.data.length, uoffFolderStart: offsetOf[i], iFolder: folderOf[i], date, time, attribs: f.attributes ?? CabFileAttributes.ARCH, name: f.name });
  });
  const coffFiles = CFHEADER_SIZE + CFFOLDER_SIZE * folderFiles.length;
  let at = coffFiles + entries.reduce((n, e) => n + e.length, 0);
  const folders = folderBlocks.map((blocks) => {
    const rec = encodeCfFolder({ coffCabStart: at, cCFData: blocks.length, typeCompress: CabCompression.MSZIP });
    at += blocks.reduce((n, b) => n + b.length, 0);
    return rec;
  });
  if (at > 0xffffffff) throw invalid(`the cabinet would be ${at} bytes; a cabinet holds at most 4 GiB`);
  const out = new Uint8Array(at);
  out.set(encodeCfHeader({ cbCabinet: at, coffFiles, cFolders: folders.length, cFiles: files.length }), 0);
  let p = CFHEADER_SIZE;
  for (const rec of [...folders, ...entries, ...folderBlocks.flat()]) {
    out.set(rec, p);
    p += rec.length;
  }
  return out;
}

/** CFDATA blocks (header + "CK" + deflate) for the concatenation of `parts`. */
function compressFolder(parts: Uint8Array[], level: number, independent: boolean): Uint8Array[] {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const blocks: Uint8Array[] = [];
  let prev: Uint8Array = new Uint8Array(0);
  let part = 0;
  let partAt = 0;
  for (let done = 0; done < total;) {
    const n = Math.min(CAB_BLOCK_MAX, total - done);
    // A block that lies inside one part is a view; one that straddles parts is gathered.
    let block: Uint8Array;
    while (partAt === parts[part].length) {
      part++;
      partAt = 0;
    }
    if (parts[part].length - partAt >= n) {
      block = parts[part].subarray(partAt, partAt + n);
      partAt += n;
    } else {
      block = new Uint8Array(n);
      for (let got = 0; got < n;) {
        while (partAt === parts[part].length) {
          part++;
          partAt = 0;
        }
        const take = Math.min(n - got, parts[part].length - partAt);
        block.set(parts[part].subarray(partAt, partAt + take), got);
        got += take;
        partAt += take;
      }
    }
    const payload = level === 0 ? storedMszipBlock(block) : deflateMszipBlock(block, independent ? new Uint8Array(0) : prev, level);
    blocks.push(encodeCfData(payload, n));
    prev = block;
    done += n;
  }
  return blocks;
}

function invalid(what: string): DbgHelpError {
  return new DbgHelpError('INVALID_PARAMETER', `writeCab: ${what}`);
}
