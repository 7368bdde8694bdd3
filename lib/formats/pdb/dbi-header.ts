/**
 * DBI stream header (stream 3): NewDBIHdr, 64 bytes (Microsoft dbi.h; LLVM DbiStreamHeader).
 *
 *   i32 versionSignature (-1)  u32 versionHeader (19990903)  u32 age
 *   u16 globalStreamIndex  u16 buildNumber  u16 publicStreamIndex  u16 pdbDllVersion
 *   u16 symRecordStream    u16 pdbDllRbld
 *   i32 modInfoSize  i32 sectionContributionSize  i32 sectionMapSize  i32 sourceInfoSize
 *   i32 typeServerMapSize  u32 mfcTypeServerIndex  i32 optionalDbgHeaderSize  i32 ecSubstreamSize
 *   u16 flags  u16 machine  u32 padding
 *
 * The substreams follow in this order: module info, section contributions, section map,
 * source info, type server map, EC, optional debug header.
 */
import { Cursor } from '../binary/cursor';

export const DBI_HEADER_SIZE = 64;

export interface DbiHeader {
  versionHeader: number;
  age: number;
  globalStreamIndex: number;
  publicStreamIndex: number;
  symRecordStream: number;
  buildNumber: number;
  flags: number;
  machine: number;
}

export interface DbiSubstreams {
  modInfo: Cursor;
  sectionContributions: Cursor;
  sectionMap: Cursor;
  sourceInfo: Cursor;
  typeServerMap: Cursor;
  ec: Cursor;
  debugHeader: Cursor;
}

/** DBI flags bit 0: incrementally linked; bit 1: private symbols stripped. */
export const DBI_FLAG_INCREMENTAL = 1;
export const DBI_FLAG_STRIPPED = 2;

export function readDbiHeader(c: Cursor): { header: DbiHeader; substreams: DbiSubstreams } {
  const signature = c.i32();
  if (signature !== -1) c.fail(`DBI stream signature ${signature} is not -1 (pre-VC 4.1 DBI streams are not supported)`, 0);
  const versionHeader = c.u32();
  const age = c.u32();
  const globalStreamIndex = c.u16();
  const buildNumber = c.u16();
  const publicStreamIndex = c.u16();
  c.u16(); // pdbDllVersion
  const symRecordStream = c.u16();
  c.u16(); // pdbDllRbld
  const sizes: number[] = [];
  for (let i = 0; i < 5; i++) sizes.push(c.i32());
  c.u32(); // mfcTypeServerIndex
  const dbgSize = c.i32();
  const ecSize = c.i32();
  const flags = c.u16();
  const machine = c.u16();
  c.u32();
  const take = (n: number, what: string): Cursor => {
    if (n < 0) c.fail(`negative ${what} size ${n}`);
    return c.take(n, what);
  };
  const substreams: DbiSubstreams = {
    modInfo: take(sizes[0], 'module info substream'),
    sectionContributions: take(sizes[1], 'section contribution substream'),
    sectionMap: take(sizes[2], 'section map substream'),
    sourceInfo: take(sizes[3], 'source info substream'),
    typeServerMap: take(sizes[4], 'type server map substream'),
    ec: take(ecSize, 'EC substream'),
    debugHeader: take(dbgSize, 'optional debug header'),
  };
  return {
    header: { versionHeader, age, globalStreamIndex, publicStreamIndex, symRecordStream, buildNumber, flags, machine },
    substreams,
  };
}
