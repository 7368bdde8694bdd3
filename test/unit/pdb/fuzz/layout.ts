/**
 * Where each on-disk structure of a real PDB lives in the file, so corruptions can be aimed at
 * one structure at a time, and the cases (seeded, reproducible) that aim at them.
 *
 * A stream's bytes are scattered over MSF blocks; a stream-relative range becomes one file
 * range per block it touches (MsfFile.streamBlocks / directoryBlocks).
 */
import * as fs from 'fs';
import { BufferSource } from '../../../../lib/formats/binary/source';
import { MsfFile } from '../../../../lib/formats/msf/msf-file';
import { readDbiHeader } from '../../../../lib/formats/pdb/dbi-header';
import { DbgStream, readDebugHeader } from '../../../../lib/formats/pdb/debug-header';
import { NO_STREAM } from '../../../../lib/formats/pdb/module-info';
import { PdbFile, STREAM_DBI, STREAM_PDB } from '../../../../lib/formats/pdb/pdb-file';
import { SymbolHandler } from '../../../../lib/handler';
import { rng } from '../../../helpers/mutate';
import { le16, le32, type Case, type Subject } from './drive';

export type Range = [number, number];

export interface Region {
  /** e.g. "dbi.section-contribs". */
  name: string;
  /** File ranges (one per MSF block the structure touches). */
  ranges: Range[];
  /** Header-like: small, with u32 (and u16) fields worth setting to hostile values. */
  fields?: { u32: number[]; u16: number[] };
}

/** File ranges of stream-relative bytes [from, to) of a stream laid out over `blocks`. */
export function blockRanges(blocks: readonly number[], blockSize: number, from: number, to: number): Range[] {
  const out: Range[] = [];
  for (let k = 0; k < blocks.length; k++) {
    const lo = Math.max(from, k * blockSize);
    const hi = Math.min(to, (k + 1) * blockSize);
    if (lo < hi) out.push([blocks[k] * blockSize + (lo - k * blockSize), blocks[k] * blockSize + (hi - k * blockSize)]);
  }
  return out;
}

const u32le = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;

/** The structures of a PDB, each with its file ranges. */
export function regions(buf: Uint8Array, name: string): Region[] {
  const msf = new MsfFile(new BufferSource(buf, name));
  const pdb = new PdbFile(new BufferSource(buf, name));
  const sb = msf.superBlock;
  const bs = sb.blockSize;
  const out: Region[] = [];
  const inStream = (s: number, from: number, to: number) => blockRanges(msf.streamBlocks(s), bs, from, Math.min(to, msf.streamSize(s) ?? 0));
  const add = (r: Region) => {
    if (r.ranges.length && r.ranges.some(([a, b]) => b > a)) out.push(r);
  };
  /** Field offsets (file) of the u32s of stream-relative [from, to). */
  const fieldsOf = (s: number, from: number, to: number, u16: number[] = []) => ({
    u32: inStream(s, from, to).flatMap(([a, b]) => Array.from({ length: Math.floor((b - a) / 4) }, (_, i) => a + 4 * i)),
    u16: u16.flatMap((rel) => inStream(s, from + rel, from + rel + 2).map(([a]) => a)),
  });

  add({ name: 'superblock', ranges: [[0, 56]], fields: { u32: [32, 36, 40, 44, 48, 52], u16: [] } });
  const dirBlocks = Math.ceil(sb.numDirectoryBytes / bs);
  add({
    name: 'directory-block-map',
    ranges: [[sb.blockMapAddr * bs, sb.blockMapAddr * bs + 4 * dirBlocks]],
    fields: { u32: Array.from({ length: dirBlocks }, (_, i) => sb.blockMapAddr * bs + 4 * i), u16: [] },
  });
  const headEnd = 4 + 4 * msf.streamCount;
  const dirHead = blockRanges(msf.directoryBlocks, bs, 0, headEnd);
  add({ name: 'directory.sizes', ranges: dirHead, fields: { u32: dirHead.flatMap(([a, b]) => Array.from({ length: Math.floor((b - a) / 4) }, (_, i) => a + 4 * i)), u16: [] } });
  add({ name: 'directory.block-lists', ranges: blockRanges(msf.directoryBlocks, bs, headEnd, sb.numDirectoryBytes) });

  add({ name: 'info', ranges: inStream(STREAM_PDB, 0, Infinity), fields: fieldsOf(STREAM_PDB, 0, 48) });

  const dbi = readDbiHeader(msf.cursor(STREAM_DBI, 'DBI')).substreams;
  add({ name: 'dbi.header', ranges: inStream(STREAM_DBI, 0, 64), fields: fieldsOf(STREAM_DBI, 0, 64, [12, 14, 16, 18, 20, 22, 60, 62]) });
  add({ name: 'dbi.module-info', ranges: inStream(STREAM_DBI, dbi.modInfo.start, dbi.modInfo.end), fields: fieldsOf(STREAM_DBI, dbi.modInfo.start, dbi.modInfo.start + 64, [32, 34, 52]) });
  add({
    name: 'dbi.section-contribs',
    ranges: inStream(STREAM_DBI, dbi.sectionContributions.start, dbi.sectionContributions.end),
    fields: fieldsOf(STREAM_DBI, dbi.sectionContributions.start, dbi.sectionContributions.start + 36, [4, 24]),
  });
  add({ name: 'dbi.section-map', ranges: inStream(STREAM_DBI, dbi.sectionMap.start, dbi.sectionMap.end), fields: fieldsOf(STREAM_DBI, dbi.sectionMap.start, dbi.sectionMap.start + 24, [0, 2]) });
  add({
    name: 'dbi.debug-header',
    ranges: inStream(STREAM_DBI, dbi.debugHeader.start, dbi.debugHeader.end),
    fields: fieldsOf(STREAM_DBI, dbi.debugHeader.start, dbi.debugHeader.end, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]),
  });
  add({ name: 'dbi.source-info+ec', ranges: inStream(STREAM_DBI, dbi.sourceInfo.start, dbi.ec.end) });

  const header = pdb.dbi!;
  const streamOk = (s: number | undefined): s is number => s !== undefined && s !== NO_STREAM && msf.hasStream(s);
  if (streamOk(header.publicStreamIndex)) {
    const s = header.publicStreamIndex;
    const d = msf.stream(s);
    const symHash = u32le(d, 0);
    const hrSize = u32le(d, 28 + 8);
    const buckets = u32le(d, 28 + 12);
    add({ name: 'publics.header', ranges: inStream(s, 0, 44), fields: fieldsOf(s, 0, 44) });
    add({ name: 'publics.hash-records', ranges: inStream(s, 44, 44 + hrSize) });
    add({ name: 'publics.buckets', ranges: inStream(s, 44 + hrSize, 44 + hrSize + buckets), fields: fieldsOf(s, 44 + hrSize + 516, 44 + hrSize + 516 + 32) });
    add({ name: 'publics.address-map', ranges: inStream(s, 28 + symHash, 28 + symHash + u32le(d, 4)) });
  }
  if (streamOk(header.globalStreamIndex)) {
    const s = header.globalStreamIndex;
    const d = msf.stream(s);
    const hrSize = u32le(d, 8);
    add({ name: 'globals.header', ranges: inStream(s, 0, 16), fields: fieldsOf(s, 0, 16) });
    add({ name: 'globals.hash-records', ranges: inStream(s, 16, 16 + hrSize) });
    add({ name: 'globals.buckets', ranges: inStream(s, 16 + hrSize, Infinity), fields: fieldsOf(s, 16 + hrSize + 516, 16 + hrSize + 516 + 32) });
  }
  if (streamOk(header.symRecordStream)) add({ name: 'symbol-records', ranges: inStream(header.symRecordStream, 0, Infinity) });

  // The two largest module symbol streams (procedures, blocks, inline sites, S_END chains).
  const mods = pdb.modules().filter((m) => streamOk(m.symStream) && m.symByteSize > 4);
  mods.sort((a, b) => b.symByteSize - a.symByteSize);
  for (const m of mods.slice(0, 2)) {
    add({ name: `module-${m.index}.symbols`, ranges: inStream(m.symStream, 0, m.symByteSize), fields: fieldsOf(m.symStream, 0, 64) });
  }

  const dbg = readDebugHeader(dbi.debugHeader);
  const dbgRegion = (which: number, what: string, fields = false) => {
    const s = dbg[which];
    if (streamOk(s)) add({ name: what, ranges: inStream(s, 0, Infinity), fields: fields ? fieldsOf(s, 0, 40) : undefined });
  };
  dbgRegion(DbgStream.SectionHdr, 'section-headers', true);
  dbgRegion(DbgStream.SectionHdrOrig, 'original-section-headers', true);
  dbgRegion(DbgStream.OmapToSrc, 'omap-to-src');
  dbgRegion(DbgStream.OmapFromSrc, 'omap-from-src');
  dbgRegion(DbgStream.FPO, 'fpo');
  dbgRegion(DbgStream.NewFPO, 'new-fpo');
  const names = pdb.info.namedStreams.get('/names');
  if (streamOk(names)) add({ name: 'names', ranges: inStream(names, 0, Infinity), fields: fieldsOf(names, 0, 12) });
  return out;
}

const HOSTILE_U32 = [0, 1, 0x7fffffff, 0xffffffff, 0x00010000];
const HOSTILE_U16 = [0, 1, 3, 0xfffe, 0xffff];

export interface Budget {
  /** Seeded random-overwrite cases per region. */
  flipsPerRegion: number;
  /** Include the hostile-field cases of header regions. */
  fields: boolean;
  /** Odd truncation offsets besides the block boundaries. */
  oddCuts: number;
  /** Also cut one byte either side of each block boundary. */
  nearBoundaries: boolean;
  /** Block boundaries (a spread) also cut with the superblock's block count patched to fit. */
  patchedBoundaries: number;
  /** Module symbol streams to cut short (besides the known streams). */
  shrinkModules: number;
}

/** Cases aimed at one region: seeded overwrites (1..4 bytes, rotating over its ranges) and hostile field values. */
export function regionCases(r: Region, budget: Budget, seedBase: number): Case[] {
  const out: Case[] = [];
  for (let k = 0; k < budget.flipsPerRegion; k++) {
    const [from, to] = r.ranges[k % r.ranges.length];
    const seed = seedBase + k * 31;
    out.push({ id: `${r.name}.flip${k}`, mutation: { kind: 'flip', seed, flips: 1 + (k % 4), from, to } });
  }
  // A few with many flips over the whole structure at once.
  if (budget.flipsPerRegion >= 8) {
    for (let k = 0; k < 2; k++) {
      out.push({
        id: `${r.name}.many${k}`,
        mutation: { kind: 'all', parts: r.ranges.slice(0, 8).map(([from, to], i) => ({ kind: 'flip' as const, seed: seedBase + 7 + k * 101 + i, flips: 6, from, to })) },
      });
    }
  }
  if (budget.fields && r.fields) {
    for (const at of r.fields.u32) for (const v of HOSTILE_U32) out.push({ id: `${r.name}.u32@${at}=${v.toString(16)}`, mutation: { kind: 'set', at, bytes: le32(v) } });
    for (const at of r.fields.u16) for (const v of HOSTILE_U16) out.push({ id: `${r.name}.u16@${at}=${v.toString(16)}`, mutation: { kind: 'set', at, bytes: le16(v) } });
  }
  return out;
}

/**
 * Truncations: at every MSF block boundary (fixtures: and one byte either side), plus a seeded
 * spread of odd offsets. A plain cut is caught by the superblock's block count; the "patched"
 * cuts also rewrite numBlocks to fit the shorter file, so the directory and the streams
 * themselves are what run off the end.
 */
export function truncationCases(buf: Uint8Array, blockSize: number, budget: Budget, seed: number): Case[] {
  const plain = new Set<number>();
  const blocks = Math.ceil(buf.length / blockSize);
  for (let b = 0; b < blocks; b++) for (const d of budget.nearBoundaries ? [-1, 0, 1] : [0]) plain.add(b * blockSize + d);
  for (const n of [0, 1, 31, 32, 55, 56, 57, buf.length - 1]) plain.add(n);
  const r = rng(seed);
  const patched = new Set<number>();
  for (let i = 0; i < budget.oddCuts; i++) {
    const n = Math.floor(r() * buf.length) | 1;
    plain.add(n);
    patched.add(n);
  }
  const every = Math.max(1, Math.floor(blocks / budget.patchedBoundaries));
  for (let b = 1; b < blocks; b += every) patched.add(b * blockSize);
  const ok = (n: number) => n >= 0 && n < buf.length;
  return [
    ...[...plain]
      .filter(ok)
      .sort((a, b) => a - b)
      .map((n) => ({ id: `cut${n}`, mutation: { kind: 'cut' as const, length: n } })),
    ...[...patched]
      .filter((n) => ok(n) && n >= 56)
      .sort((a, b) => a - b)
      .map((n) => ({
        id: `cut${n}+numBlocks`,
        mutation: {
          kind: 'all' as const,
          parts: [
            { kind: 'cut' as const, length: n },
            { kind: 'set' as const, at: 40, bytes: le32(Math.ceil(n / blockSize)) },
          ],
        },
      })),
  ];
}

/**
 * Streams cut short: a stream's size in the directory lowered within its last block (so its
 * block list, and every list after it, stay where they are). Each parser then meets a stream
 * that ends early: in a header, in a count-sized table, in the middle of a record.
 * Covers the known streams (info, DBI, publics, globals, symbol records, debug streams,
 * /names) and up to `modules` module symbol streams.
 */
export function shrinkCases(buf: Uint8Array, name: string, modules: number, seed: number): Case[] {
  const msf = new MsfFile(new BufferSource(buf, name));
  const pdb = new PdbFile(new BufferSource(buf, name));
  const bs = msf.superBlock.blockSize;
  const streams = new Set<number>([STREAM_PDB, STREAM_DBI]);
  const d = pdb.dbi!;
  for (const s of [d.publicStreamIndex, d.globalStreamIndex, d.symRecordStream]) streams.add(s);
  const dbi = readDbiHeader(msf.cursor(STREAM_DBI, 'DBI')).substreams;
  for (const s of readDebugHeader(dbi.debugHeader)) streams.add(s);
  const names = pdb.info.namedStreams.get('/names');
  if (names !== undefined) streams.add(names);
  for (const m of pdb
    .modules()
    .filter((m) => m.symStream !== NO_STREAM)
    .slice(0, modules))
    streams.add(m.symStream);
  const r = rng(seed);
  const out: Case[] = [];
  for (const s of [...streams].filter((s) => s !== NO_STREAM && msf.hasStream(s)).sort((a, b) => a - b)) {
    const size = msf.streamSize(s)!;
    if (size === 0) continue;
    const floor = Math.floor((size - 1) / bs) * bs; // start of the last block
    const sizes = new Set([floor + 1, floor + 7, size - 1, floor + Math.floor(r() * (size - floor))]);
    for (const n of [...sizes].filter((n) => n > floor && n < size)) {
      const [[at]] = blockRanges(msf.directoryBlocks, bs, 4 + 4 * s, 8 + 4 * s);
      out.push({ id: `stream${s}.size${n}`, mutation: { kind: 'set', at, bytes: le32(n) } });
    }
  }
  return out;
}

/** A subject for the driver: addresses and names taken from the unmutated file through the public API. */
export async function makeSubject(name: string, pdbPath: string, imagePath?: string): Promise<Subject> {
  const buf = new Uint8Array(fs.readFileSync(pdbPath));
  const pdb = new PdbFile(new BufferSource(buf, name));
  const rvas = new Set<number>();
  for (const s of pdb.sectionHeaders() ?? []) {
    const size = Math.max(s.virtualSize, s.sizeOfRawData);
    for (const f of [0, 0.25, 0.5, 0.75]) rvas.add(s.virtualAddress + Math.floor(size * f));
    rvas.add(s.virtualAddress + size);
  }
  const h = SymbolHandler.initialize();
  const names: string[] = [];
  try {
    const base = 0x10000000n;
    await h.loadModule(pdbPath, { baseAddress: base });
    const syms = [...h.enumSymbols()].filter((s) => s.address >= base);
    const stepN = Math.max(1, Math.floor(syms.length / 24));
    for (let i = 0; i < syms.length; i += stepN) {
      rvas.add(Number(syms[i].address - base));
      rvas.add(Number(syms[i].address - base) + 1);
    }
    const nameStep = Math.max(1, Math.floor(syms.length / 5));
    for (let i = 0; i < syms.length && names.length < 5; i += nameStep) names.push(syms[i].name);
  } finally {
    h.cleanup();
  }
  names.push('main', 'no_such_symbol_anywhere', '?f@@YAXXZ');
  return { name, pdbPath, imagePath, rvas: [...rvas].sort((a, b) => a - b), names };
}

/** The MSF block size of a file (for truncation cases). */
export function blockSizeOf(buf: Uint8Array, name: string): number {
  return new MsfFile(new BufferSource(buf, name)).superBlock.blockSize;
}
