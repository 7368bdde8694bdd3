/** What the type-stream tests share: a fixture PDB read into memory, and every id's name. */
import * as fs from 'fs';
import * as path from 'path';
import { DbgHelpError } from '../../../lib/api/errors';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import type { IpiStream } from '../../../lib/formats/pdb/tpi-stream';

const BIN = path.join(__dirname, '..', '..', 'fixtures', 'bin');

/** test/fixtures/bin/`file` as a PdbFile over its bytes in memory. */
export const open = (file: string): PdbFile => new PdbFile(new BufferSource(fs.readFileSync(path.join(BIN, file)), file));

/** functionIdName of every IPI index in order, or the DbgHelpError code where it fails. */
export function functionIdNames(ipi: IpiStream): string[] {
  const out: string[] = [];
  for (let id = ipi.begin; id < ipi.end; id++) {
    try {
      out.push(ipi.functionIdName(id));
    } catch (e) {
      out.push(e instanceof DbgHelpError ? e.code : String(e));
    }
  }
  return out;
}
