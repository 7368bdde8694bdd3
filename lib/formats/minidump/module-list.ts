/**
 * MINIDUMP_MODULE_LIST (minidumpapiset.h): u32 NumberOfModules, then MINIDUMP_MODULE Modules[]
 * (108 bytes each: u64 BaseOfImage, u32 SizeOfImage, u32 CheckSum, u32 TimeDateStamp,
 * RVA ModuleNameRva (MINIDUMP_STRING), VS_FIXEDFILEINFO VersionInfo (52 bytes),
 * MINIDUMP_LOCATION_DESCRIPTOR CvRecord, MINIDUMP_LOCATION_DESCRIPTOR MiscRecord,
 * u64 Reserved0, u64 Reserved1).
 */
import { DbgHelpError } from '../../api/errors';
import { imageKey } from '../../symsrv/keys';
import type { Cursor } from '../binary/cursor';
import { debugIdOf, readDebugMisc, readModuleCodeView, type DebugMisc, type ModuleCodeView } from './codeview-record';
import { readLocation, type DumpFile, type Location } from './dump-file';
import { fileVersionString, readFixedFileInfo, type FixedFileInfo } from './fixed-file-info';
import { listCount } from './memory-list';

export const MODULE_SIZE = 108;

export interface MinidumpModule {
  base: bigint;
  size: number;
  checkSum: number;
  timeDateStamp: number;
  /** The module's path as the process had it (`C:\Windows\System32\ntdll.dll`). */
  name: string;
  versionInfo: FixedFileInfo;
  /** File version `a.b.c.d`, when VersionInfo is filled in. */
  version?: string;
  cvLocation: Location;
  miscLocation: Location;
  /** The CodeView record (undefined when the module has none or it could not be read: see codeViewError). */
  codeView?: ModuleCodeView;
  codeViewError?: string;
  misc?: DebugMisc;
  /** `TIMESTAMP SizeOfImage` in hex, upper case: the image's symbol-store key. */
  codeId: string;
  /** PDB GUID (or NB10 signature) and age in hex, upper case. */
  debugId?: string;
  /** The PDB file name from the CodeView record (as written: may be a full path). */
  debugFile?: string;
}

export function readModuleList(c: Cursor, f: DumpFile): MinidumpModule[] {
  const n = listCount(c, MODULE_SIZE, 'MINIDUMP_MODULE');
  const out: MinidumpModule[] = [];
  for (let i = 0; i < n; i++) {
    const base = c.u64();
    const size = c.u32();
    const checkSum = c.u32();
    const timeDateStamp = c.u32();
    const nameRva = c.u32();
    const versionInfo = readFixedFileInfo(c);
    const cvLocation = readLocation(c);
    const miscLocation = readLocation(c);
    c.skip(16); // Reserved0, Reserved1
    const m: MinidumpModule = {
      base,
      size,
      checkSum,
      timeDateStamp,
      name: f.string(nameRva, `module ${i} name`),
      versionInfo,
      version: fileVersionString(versionInfo),
      cvLocation,
      miscLocation,
      codeId: imageKey(timeDateStamp, size).toUpperCase(),
    };
    readRecords(m, f, i);
    out.push(m);
  }
  return out;
}

/** CodeView and misc records: a bad one is noted on its module, not fatal to the list. */
function readRecords(m: MinidumpModule, f: DumpFile, i: number): void {
  try {
    if (m.cvLocation.dataSize) {
      m.codeView = readModuleCodeView(f.at(m.cvLocation, `module ${i} CodeView record`));
      m.debugId = debugIdOf(m.codeView);
      if (m.codeView.signature !== 'other') m.debugFile = m.codeView.pdbPath;
    }
    if (m.miscLocation.dataSize) m.misc = readDebugMisc(f.at(m.miscLocation, `module ${i} misc record`));
  } catch (e) {
    if (!(e instanceof DbgHelpError)) throw e;
    m.codeViewError = e.message;
  }
}
