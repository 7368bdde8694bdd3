/**
 * loadModule's `pdbPath` for the dbghelp.dll backends. SymLoadModuleExW takes no PDB path: it
 * finds the PDB by the name the image's CodeView record gives, along the search path. So the
 * handler checks the named PDB against the image with the project's own readers (the same
 * GUID/signature + DBI-age rule the portable backend applies), then lets DbgHelp find it by
 * putting its directory first on the search path.
 */
import * as path from 'path';
import { DbgHelpError } from '../api/errors';
import { PeImage } from '../formats/pe/pe-image';
import { PdbFile } from '../formats/pdb/pdb-file';
import { mismatch } from '../portable/open-module';

/** Returns the directory to search; throws PDB_MISMATCH (unless loadAnything) or UNSUPPORTED. */
export function checkPdbMatchesImage(imagePath: string, pdbPath: string, loadAnything: boolean): string {
  const image = PeImage.open(imagePath);
  let cvName: string | undefined;
  try {
    const cv = image.codeView();
    cvName = cv && path.win32.basename(cv.pdbPath);
    const pdb = PdbFile.open(pdbPath);
    try {
      const why = mismatch(pdb, cv);
      if (why && !loadAnything) {
        throw new DbgHelpError('PDB_MISMATCH', `${pdbPath} does not match ${imagePath}: ${why}`, { file: pdbPath });
      }
    } finally {
      pdb.close();
    }
  } finally {
    image.close();
  }
  if (cvName && cvName.toLowerCase() !== path.basename(pdbPath).toLowerCase()) {
    throw new DbgHelpError(
      'UNSUPPORTED',
      `dbghelp.dll looks for ${imagePath}'s PDB by the name the image records (${cvName}), so it cannot be told to use ${pdbPath}; rename it to ${cvName} or use DBGHELP_BACKEND=portable`,
      { file: pdbPath },
    );
  }
  return path.dirname(path.resolve(pdbPath));
}
