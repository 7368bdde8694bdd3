/**
 * The Breakpad symbol store layout (`--store DIR`), as Breakpad's processor
 * (SimpleSymbolSupplier) and Mozilla's tools look files up:
 *   DIR/<debug file>/<debug id>/<debug file without .pdb, + .sym>
 *   e.g. DIR/test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym
 * A file is written to a temporary name beside its final place and renamed when complete, so a
 * store never holds half a file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import { pipeline } from 'stream/promises';
import { PdbFile } from '../formats/pdb/pdb-file';
import { dumpSyms, type DumpSymsOptions, type DumpSymsResult } from './dump-syms';
import { breakpadDebugId, breakpadStorePath } from './ids';

export { breakpadStorePath };

let serial = 0;

/** dumpSyms into DIR/<pdb>/<id>/<name>.sym; answers the file's path and what was written. */
export async function dumpSymsToStore(opts: Omit<DumpSymsOptions, 'out'> & { store: string }): Promise<{ path: string; result: DumpSymsResult }> {
  const pdb = typeof opts.pdb === 'string' ? PdbFile.open(opts.pdb) : opts.pdb;
  try {
    const name = opts.pdbName ?? path.basename(pdb.name.replace(/\\/g, '/'));
    const final = path.join(opts.store, breakpadStorePath(name, breakpadDebugId(pdb.info.guid, pdb.matchAge)));
    fs.mkdirSync(path.dirname(final), { recursive: true });
    const tmp = `${final}.${process.pid}.${++serial}.tmp`;
    const through = new PassThrough();
    const done = pipeline(through, fs.createWriteStream(tmp));
    try {
      let result: DumpSymsResult;
      try {
        result = await dumpSyms({ ...opts, pdb, pdbName: name, out: through });
      } finally {
        through.end();
      }
      await done;
      fs.renameSync(tmp, final);
      return { path: final, result };
    } catch (e) {
      await done.catch(() => undefined);
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  } finally {
    if (typeof opts.pdb === 'string') pdb.close();
  }
}
