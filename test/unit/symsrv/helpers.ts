/**
 * Synthetic symbol stores for the symsrv tests, built in a temporary directory from the
 * committed fixtures.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const FIX = path.resolve(__dirname, '..', '..', 'fixtures');
export const bin = (f: string) => path.join(FIX, 'bin', f);

/** basic-x64.exe's CodeView record (test/fixtures/expected/basic-x64.readobj.txt). */
export const BASIC_X64 = {
  image: bin('basic-x64.exe'),
  pdb: bin('basic-x64.pdb'),
  guid: '8C6EB4D7-60FE-3FA6-4C4C-44205044422E',
  age: 1,
  pdbKey: '8C6EB4D760FE3FA64C4C44205044422E1',
};

export function tempDir(prefix = 'dbghelp-symsrv-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Puts `file` into `store` under `name/key/name` (or a two-tier `na/name/key/name`). */
export function putInStore(store: string, file: string, key: string, opts: { name?: string; twoTier?: boolean; as?: string; data?: Uint8Array } = {}): string {
  const name = opts.name ?? path.basename(file);
  const dir = path.join(store, ...(opts.twoTier ? [name.slice(0, 2)] : []), name, key);
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, opts.as ?? name);
  if (opts.data) fs.writeFileSync(dest, opts.data);
  else fs.copyFileSync(file, dest);
  return dest;
}

/** Copies an image alone (no PDB beside it) into a fresh directory. */
export function lonelyImage(root: string, image: string): string {
  const dir = path.join(root, 'app');
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, path.basename(image));
  fs.copyFileSync(image, dest);
  return dest;
}

/** Every file under `dir`, relative, sorted ('/' separated). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}
