/** The fixture files the HTTP tests serve, with their store keys, and temp-dir helpers. */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PdbFile } from '../../../../lib/formats/pdb/pdb-file';
import { PeImage } from '../../../../lib/formats/pe/pe-image';
import { imageKey, pdbKey } from '../../../../lib/symsrv/keys';

export const BIN = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'bin');

export interface PdbFixture {
  name: string;
  path: string;
  bytes: Buffer;
  guid: string;
  age: number;
  key: string;
}

export function pdbFixture(name = 'basic-x64.pdb'): PdbFixture {
  const p = path.join(BIN, name);
  const pdb = PdbFile.open(p);
  try {
    return { name, path: p, bytes: fs.readFileSync(p), guid: pdb.info.guid, age: pdb.matchAge, key: pdbKey(pdb.info.guid, pdb.matchAge) };
  } finally {
    pdb.close();
  }
}

export function imageFixture(name = 'basic-x64.exe'): { name: string; path: string; bytes: Buffer; key: string } {
  const p = path.join(BIN, name);
  const img = PeImage.open(p);
  try {
    return { name, path: p, bytes: fs.readFileSync(p), key: imageKey(img.timeDateStamp, img.sizeOfImage) };
  } finally {
    img.close();
  }
}

export function sha(b: Uint8Array): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dbghelp-${tag}-`));
}

/** Every file under `dir`, relative, sorted (directories not listed). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}
