/**
 * Publishing symbol files into a store, laid out as symstore lays them out, so that DbgHelp,
 * WinDbg, Visual Studio and this package find them with `srv*D`:
 *
 *   D/<name>/<key>/<name>        (`--compress`: D/<name>/<key>/<name with last char _>, a CAB)
 *   D/xx/<name>/<key>/<name>     when D/index2.txt exists (two-tier)
 *   D/pingme.txt                 created if missing, so `D` alone is recognised as a store
 *
 * Keys: a PDB 7.0 by GUID and DBI age (the age images reference), an NB10 PDB by signature and
 * age, a PE image by TimeDateStamp and SizeOfImage, a .dbg by its header's. Files enter the
 * store through the downstream-store writer (temporary file, check, rename), so a reader never
 * sees a partial file. A file already stored is left alone.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DbgHelpError } from '../api/errors';
import { FileSource } from '../formats/binary/source';
import { writeCab } from '../formats/cab';
import { MSF7_MAGIC } from '../formats/msf/superblock';
import { PdbFile } from '../formats/pdb/pdb-file';
import { PeImage } from '../formats/pe/pe-image';
import { ensureFile } from './cache';
import { checkFile, readSeparateDebugHeader, type FileIdentity } from './identify';
import { LocalStore, PINGME_FILE } from './local-store';
import { baseName } from './paths';
import { storeKey } from './search';
import { compressedName } from './store';

export interface StoreAddOptions {
  /** Store a CAB (`name.pd_`) instead of the file, as `symstore add /compress` does. */
  compress?: boolean;
}

export interface StoreAddResult {
  file: string;
  /** Where it is in the store now. */
  stored: string;
  key: string;
  identity: FileIdentity;
  /** False when it was there already. */
  added: boolean;
}

/** What identifies a file for the store (PDB, PE image or .dbg); BAD_FORMAT for anything else. */
export function identifyFile(file: string): FileIdentity {
  const src = FileSource.open(file);
  let head: Uint8Array;
  try {
    head = src.read(0, Math.min(src.size, 64));
  } finally {
    src.close();
  }
  const text = Buffer.from(head).toString('latin1');
  if (head[0] === 0x4d && head[1] === 0x5a) {
    const img = PeImage.open(file);
    try {
      return { kind: 'image', timeDateStamp: img.timeDateStamp, sizeOfImage: img.sizeOfImage };
    } finally {
      img.close();
    }
  }
  if (text.startsWith(MSF7_MAGIC.slice(0, 24))) {
    const pdb = PdbFile.open(file);
    try {
      // An all-zero GUID is a PDB 2.0-style identity (NB10 images reference the signature).
      return /^[0-]+$/.test(pdb.info.guid) ? { kind: 'pdb20', signature: pdb.info.signature, age: pdb.matchAge } : { kind: 'pdb70', guid: pdb.info.guid, age: pdb.matchAge };
    } finally {
      pdb.close();
    }
  }
  if (head[0] === 0x44 && head[1] === 0x49) {
    const h = readSeparateDebugHeader(head.length >= 48 ? head : fs.readFileSync(file).subarray(0, 48), file);
    return { kind: 'dbg', timeDateStamp: h.timeDateStamp, sizeOfImage: h.sizeOfImage };
  }
  throw new DbgHelpError('BAD_FORMAT', `${file}: not a PE image, a PDB or a .dbg file: nothing to index it by`, { file, offset: 0 });
}

/** Adds files to the store at `storeDir` (created if needed). */
export async function addToStore(files: readonly string[], storeDir: string, opts: StoreAddOptions = {}): Promise<StoreAddResult[]> {
  fs.mkdirSync(storeDir, { recursive: true });
  const pingme = path.join(storeDir, PINGME_FILE);
  if (!fs.existsSync(pingme)) fs.writeFileSync(pingme, 'This directory is a symbol store (symstore layout).\r\n');
  const store = new LocalStore(storeDir);
  const out: StoreAddResult[] = [];
  for (const file of files) {
    const identity = identifyFile(file);
    const key = storeKey(identity)!;
    const name = baseName(file);
    const req = { fileName: name, key };
    const plain = store.filePath(req);
    const dest = opts.compress ? path.join(path.dirname(plain), compressedName(name)) : plain;
    const r = await ensureFile(
      dest,
      async (tmp) => {
        const data = fs.readFileSync(file);
        const bytes = opts.compress ? writeCab([{ name, data, date: fs.statSync(file).mtime }]) : data;
        fs.writeFileSync(tmp, bytes, { flag: 'wx' });
        return { written: true, bytes: bytes.length };
      },
      // A plain copy is checked like any store file; a CAB was made from a file checked just above.
      (tmp) => (opts.compress ? undefined : checkFile(tmp, identity)),
    );
    if (r.status !== 'written' && r.status !== 'cached') {
      throw new DbgHelpError('IO_ERROR', `${file}: could not be stored (${r.status}${r.reason ? `: ${r.reason}` : ''})`, { file });
    }
    out.push({ file, stored: r.path, key, identity, added: r.status === 'written' });
  }
  return out;
}
