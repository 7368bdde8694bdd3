/**
 * Cabinet (.cab) files: the compressed files of a symbol store (name.pd_, name.ex_, name.dl_).
 * Reader: none, MSZIP and LZX folders (Quantum is UNSUPPORTED). Writer: MSZIP.
 */
export { openCab, isCab, Cabinet } from './cabinet';
export type { CabFileEntry, CabFolderInfo } from './cabinet';
export { writeCab } from './writer';
export type { CabInputFile, WriteCabOptions } from './writer';
export { cabChecksum } from './cfdata';
