/**
 * Crashpad's stream (MinidumpCrashpadInfo, type 0x43500001; crashpad minidump_extensions.h):
 *   MinidumpCrashpadInfo, 52 bytes (64 with address_mask): u32 version, UUID report_id,
 *     UUID client_id, MINIDUMP_LOCATION_DESCRIPTOR simple_annotations
 *     (MinidumpSimpleStringDictionary), MINIDUMP_LOCATION_DESCRIPTOR module_list
 *     (MinidumpModuleCrashpadInfoList), [u32 reserved, u64 address_mask].
 *   MinidumpSimpleStringDictionary: u32 count, then {RVA key, RVA value} (MinidumpUTF8String each).
 *   MinidumpModuleCrashpadInfoList: u32 count, then MinidumpModuleCrashpadInfoLink (12 bytes:
 *     u32 minidump_module_list_index, MINIDUMP_LOCATION_DESCRIPTOR location).
 *   MinidumpModuleCrashpadInfo, 28 bytes: u32 version, LOCATION list_annotations (MinidumpRVAList:
 *     u32 count, RVA[] of MinidumpUTF8String), LOCATION simple_annotations (dictionary),
 *     LOCATION annotation_objects (MinidumpAnnotationList: u32 count, then MinidumpAnnotation,
 *     12 bytes: RVA name (UTF-8 string), u16 type, u16 reserved, RVA value (MinidumpByteArray:
 *     u32 length, bytes)).
 */
import type { Cursor } from '../binary/cursor';
import { readLocation, type DumpFile, type Location } from './dump-file';

export const CRASHPAD_INFO_SIZE = 52;

export interface CrashpadAnnotation {
  name: string;
  /** 1: string (value is UTF-8 text); others are the writer's own types. */
  type: number;
  value: Uint8Array;
}

export interface CrashpadModuleInfo {
  /** Index into the dump's module list. */
  moduleIndex: number;
  listAnnotations: string[];
  simpleAnnotations: Map<string, string>;
  annotationObjects: CrashpadAnnotation[];
}

export interface CrashpadInfo {
  version: number;
  reportId: string;
  clientId: string;
  simpleAnnotations: Map<string, string>;
  modules: CrashpadModuleInfo[];
  addressMask?: bigint;
}

function countAt(f: DumpFile, loc: Location, entry: number, what: string): { c: Cursor; n: number } | undefined {
  if (!loc.dataSize) return undefined;
  const c = f.at(loc, what);
  return { c, n: c.count(c.u32(), entry, what) };
}

function dictionary(f: DumpFile, loc: Location, what: string): Map<string, string> {
  const out = new Map<string, string>();
  const l = countAt(f, loc, 8, what);
  for (let i = 0; l && i < l.n; i++) {
    const k = l.c.u32();
    const v = l.c.u32();
    out.set(f.utf8String(k, `${what} key`), f.utf8String(v, `${what} value`));
  }
  return out;
}

function moduleInfo(f: DumpFile, moduleIndex: number, loc: Location): CrashpadModuleInfo {
  const c = f.at(loc, 'MinidumpModuleCrashpadInfo');
  c.need(28, 'MinidumpModuleCrashpadInfo (28 bytes)');
  c.u32(); // version
  const listLoc = readLocation(c);
  const simpleLoc = readLocation(c);
  const objLoc = readLocation(c);
  const listAnnotations: string[] = [];
  const l = countAt(f, listLoc, 4, 'MinidumpRVAList');
  for (let i = 0; l && i < l.n; i++) listAnnotations.push(f.utf8String(l.c.u32(), 'list annotation'));
  const annotationObjects: CrashpadAnnotation[] = [];
  const o = countAt(f, objLoc, 12, 'MinidumpAnnotationList');
  for (let i = 0; o && i < o.n; i++) {
    const nameRva = o.c.u32();
    const type = o.c.u16();
    o.c.skip(2);
    const valueRva = o.c.u32();
    const len = f.cursor(valueRva, 4, 'MinidumpByteArray').u32();
    annotationObjects.push({ name: f.utf8String(nameRva, 'annotation name'), type, value: Uint8Array.from(f.cursor(valueRva + 4, len, 'annotation value').bytes(len)) });
  }
  return { moduleIndex, listAnnotations, simpleAnnotations: dictionary(f, simpleLoc, 'module simple annotations'), annotationObjects };
}

export function readCrashpadInfo(c: Cursor, f: DumpFile): CrashpadInfo {
  c.need(CRASHPAD_INFO_SIZE, `MinidumpCrashpadInfo (${CRASHPAD_INFO_SIZE} bytes)`);
  const version = c.u32();
  const reportId = c.guid().toLowerCase();
  const clientId = c.guid().toLowerCase();
  const simpleLoc = readLocation(c);
  const listLoc = readLocation(c);
  let addressMask: bigint | undefined;
  if (c.remaining >= 12) {
    c.skip(4);
    addressMask = c.u64();
  }
  const modules: CrashpadModuleInfo[] = [];
  const l = countAt(f, listLoc, 12, 'MinidumpModuleCrashpadInfoLink');
  for (let i = 0; l && i < l.n; i++) {
    const index = l.c.u32();
    modules.push(moduleInfo(f, index, readLocation(l.c)));
  }
  return { version, reportId, clientId, simpleAnnotations: dictionary(f, simpleLoc, 'simple annotations'), modules, addressMask };
}
