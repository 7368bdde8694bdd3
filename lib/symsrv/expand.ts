/**
 * Expanding a compressed store file (`name.pd_`, `name.ex_`: a cabinet holding `name.pdb`)
 * into a plain file, with the CAB reader in lib/formats/cab.
 */
import * as fs from 'fs';
import { badFormat, DbgHelpError } from '../api/errors';
import { isCab, openCab } from '../formats/cab';

/**
 * Writes the file `wantName` held in the cabinet at `cabPath` to `outPath` (which must not
 * exist). A cabinet holding one file gives that file whatever its stored name. Returns the
 * number of bytes written.
 */
export function expandCab(cabPath: string, wantName: string, outPath: string): number {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(cabPath);
  } catch (e) {
    throw new DbgHelpError('IO_ERROR', `${cabPath}: ${(e as Error).message}`, { file: cabPath, cause: e });
  }
  if (!isCab(bytes)) throw badFormat(cabPath, 0, 'a compressed symbol file that is not a cabinet (no MSCF signature)');
  const cab = openCab(bytes, cabPath);
  const want = wantName.toLowerCase();
  const entry = cab.files.length === 1 ? cab.files[0] : cab.files.find((f) => f.name.replace(/^.*[\\/]/, '').toLowerCase() === want);
  if (!entry) {
    throw badFormat(cabPath, 0, `the cabinet holds ${cab.files.map((f) => f.name).join(', ') || 'no files'}, not ${wantName}`);
  }
  const data = cab.extract(entry);
  try {
    fs.writeFileSync(outPath, data, { flag: 'wx' });
  } catch (e) {
    throw new DbgHelpError('IO_ERROR', `${outPath}: ${(e as Error).message}`, { file: outPath, cause: e });
  }
  return data.length;
}
