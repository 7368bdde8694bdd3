/**
 * `dbghelp info FILE`: what identifies a PE image or a PDB, and its symbol-store key.
 */
import { FileSource } from '../formats/binary/source';
import { PeImage } from '../formats/pe/pe-image';
import { nb10Key, pdbKey } from '../symsrv/keys';
import { PdbFile } from '../formats/pdb/pdb-file';
import { MachineType } from '../api/constants';

const machines: Record<number, string> = {
  [MachineType.I386]: 'x86',
  [MachineType.AMD64]: 'x64',
  [MachineType.ARM64]: 'arm64',
  [MachineType.ARMNT]: 'arm',
};

export function machineName(m: number): string {
  return machines[m] ?? `0x${m.toString(16)}`;
}

export function describeFile(file: string): Record<string, string | number> {
  const src = FileSource.open(file);
  const head = src.read(0, Math.min(2, src.size));
  try {
    if (head[0] === 0x4d && head[1] === 0x5a) {
      const img = PeImage.fromSource(src);
      const cv = img.codeView();
      const facts: Record<string, string | number> = {
        kind: img.isDll ? 'PE image (DLL)' : 'PE image',
        format: img.is64 ? 'PE32+' : 'PE32',
        machine: machineName(img.machine),
        timestamp: `0x${img.timeDateStamp.toString(16).padStart(8, '0')}`,
        sizeOfImage: `0x${img.sizeOfImage.toString(16)}`,
        imageBase: `0x${img.imageBase.toString(16)}`,
        symbolStoreKey: img.symbolStoreKey,
        codeId: img.symbolStoreKey,
      };
      if (cv?.signature === 'RSDS') {
        Object.assign(facts, { pdb: cv.pdbPath, guid: cv.guid, age: cv.age, pdbStoreKey: pdbKey(cv.guid, cv.age), debugId: pdbKey(cv.guid, cv.age) });
      } else if (cv) {
        Object.assign(facts, { pdb: cv.pdbPath, signature: `0x${cv.timestamp.toString(16)}`, age: cv.age, pdbStoreKey: nb10Key(cv.timestamp, cv.age), debugId: nb10Key(cv.timestamp, cv.age) });
      }
      return facts;
    }
    const pdb = new PdbFile(src);
    // A PDB without a DBI stream (the compiler's, before linking) has no machine and no DBI age:
    // its identity is the info stream's GUID and age, as llvm-pdbutil reads it.
    return {
      kind: pdb.dbi ? 'PDB' : 'PDB (types only: no DBI stream)',
      machine: pdb.dbi ? machineName(pdb.machine) : 'unknown',
      guid: pdb.info.guid,
      age: pdb.matchAge,
      infoAge: pdb.info.age,
      signature: `0x${pdb.info.signature.toString(16)}`,
      fastLink: pdb.info.fastLink ? 'yes' : 'no',
      symbolStoreKey: pdbKey(pdb.info.guid, pdb.matchAge),
      debugId: pdbKey(pdb.info.guid, pdb.matchAge),
    };
  } finally {
    src.close();
  }
}
