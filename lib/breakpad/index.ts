/** Breakpad symbol files: writing them from PDBs (reading: lib/formats/breakpad). */
export { dumpSyms } from './dump-syms';
export { breakpadDebugId, breakpadCodeId } from './ids';
export type { DumpSymsOptions, DumpSymsResult, DumpContext } from './dump-syms';
export { dumpSymsToStore, breakpadStorePath } from './store';
export { breakpadName, BREAKPAD_UNDNAME_FLAGS } from './names';
export type { BreakpadName } from './names';
export { BreakpadProvider, breakpadIdOfImage, findBreakpadSymbols } from './symbol-source';
export type { BreakpadId } from './symbol-source';
export { defaultStackRecords } from './dump-syms';
export { stackWinRecords, diaFrameData, stackWinLine } from './stack-win';
export type { DiaFrameData } from './stack-win';
export { stackCfiRecords, peFrameSizes } from './stack-cfi';
export type { PeFrameSize } from './stack-cfi';
export { dumpSymsFromImage } from './pe-only';
export type { DumpImageResult } from './pe-only';
export { detailedStackCfiRecords } from './stack-cfi-detailed';
