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

/** Where each substream lies in the DBI stream (byte offset and size). */
export type DbiLayout = Record<keyof DbiSubstreams, { offset: number; size: number }>;

const SUBSTREAMS: [keyof DbiSubstreams, string][] = [
  ['modInfo', 'module info substream'],
  ['sectionContributions', 'section contribution substream'],
  ['sectionMap', 'section map substream'],
  ['sourceInfo', 'source info substream'],
  ['typeServerMap', 'type server map substream'],
  ['ec', 'EC substream'],
  ['debugHeader', 'optional debug header'],
];

/**
 * The header and where the substreams lie, from a cursor over (at least) the stream's first
 * 64 bytes and the stream's size: a PDB opens without reading the substreams, each is read
 * when first used. Sizes that do not fit are BAD_FORMAT, worded as readDbiHeader words them.
 */
export function readDbiLayout(head: Cursor, streamSize: number): { header: DbiHeader; layout: DbiLayout } {
  const c = head;
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
  sizes.push(ecSize, dbgSize);
  const layout = {} as DbiLayout;
  let pos = c.rel;
  SUBSTREAMS.forEach(([key, what], i) => {
    const n = sizes[i];
    if (n < 0) c.fail(`negative ${what} size ${n}`, c.start + pos);
    if (pos + n > streamSize) c.fail(`truncated ${what}: need ${n} bytes, ${Math.max(0, streamSize - pos)} left`, c.start + pos);
    layout[key] = { offset: pos, size: n };
    pos += n;
  });
  return {
    header: { versionHeader, age, globalStreamIndex, publicStreamIndex, symRecordStream, buildNumber, flags, machine },
    layout,
  };
}

/** The header and the substreams as windows of a cursor over the whole DBI stream. */
export function readDbiHeader(c: Cursor): { header: DbiHeader; substreams: DbiSubstreams } {
  const { header, layout } = readDbiLayout(new Cursor(c.buf, c.origin, c.pos, c.end, c.base), c.end - c.pos);
  const at = c.pos;
  const window = (k: keyof DbiSubstreams) => new Cursor(c.buf, c.origin, at + layout[k].offset, at + layout[k].offset + layout[k].size, c.base);
  const substreams = {} as DbiSubstreams;
  for (const [key] of SUBSTREAMS) substreams[key] = window(key);
  return { header, substreams };
}
