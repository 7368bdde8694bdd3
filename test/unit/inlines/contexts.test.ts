/**
 * The portable backend's inline frames beyond the contract (test/conformance/inlines.test.ts):
 * its INLINE_FRAME_CONTEXT layout (ARCHITECTURE.md "Inline frames"), contexts used at the wrong
 * address, walks resumed from a context, and malformed inline data in a real PDB (annotation
 * bytes and DEBUG_S_INLINEELINES of test/fixtures/bin/inline-x64.pdb overwritten), each case in
 * a worker under a hang watchdog.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InlineFrameContext, SymbolHandler } from '../../../lib';
import { BufferSource } from '../../../lib/formats/binary/source';
import { S } from '../../../lib/formats/codeview/symbol-kinds';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { decodeInlineContext, encodeInlineContext, STACK_FRAME_TYPE_INLINE } from '../../../lib/portable/features/inlines';
import { rng } from '../../helpers/mutate';
import type { PdbCaseArg } from './cases';
import { Watchdog } from './watchdog';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const IMAGE = path.join(BIN, 'inline-x64.exe');
const PDB = path.join(BIN, 'inline-x64.pdb');

async function withFixture<T>(fn: (sym: SymbolHandler, base: bigint) => T): Promise<T> {
  const sym = SymbolHandler.initialize();
  try {
    return fn(sym, await sym.loadModule(IMAGE, { pdbPath: PDB }));
  } finally {
    sym.cleanup();
  }
}
const start = (sym: SymbolHandler, a: bigint, ctx = 0) => sym.queryInlineTrace({ startAddress: a, startContext: ctx, startRetAddress: a, curAddress: a })!;

describe('inline contexts (portable)', () => {
  test('FrameId in bits 0-7, FrameType STACK_FRAME_TYPE_INLINE in bits 8-15, a signature above', () => {
    const ctx = encodeInlineContext(0xbeef, 3);
    expect(ctx).toBe(0xbeef0203);
    expect(decodeInlineContext(ctx)).toEqual({ signature: 0xbeef, frameId: 3 });
    expect(STACK_FRAME_TYPE_INLINE).toBe(2);
    // INIT, IGNORE and contexts of other frame types (STACK 0x01) name no inline frame.
    expect(decodeInlineContext(InlineFrameContext.INIT)).toBeUndefined();
    expect(decodeInlineContext(InlineFrameContext.IGNORE)).toBeUndefined();
    expect(decodeInlineContext(0xbeef0100)).toBeUndefined();
    // STACK_FRAME_TYPE_RA (0x80) may be set along with INLINE.
    expect(decodeInlineContext(0xbeef8201)).toEqual({ signature: 0xbeef, frameId: 1 });
  });

  test('queryInlineTrace names the innermost frame; the same innermost site gives the same signature', async () => {
    await withFixture((sym, base) => {
      const a = start(sym, base + 0x102an);
      const b = start(sym, base + 0x1030n); // same header_twice site
      expect(a.curContext & 0xffff).toBe(0x0200);
      expect(a.curContext).toBe(b.curContext);
      const leafOnly = start(sym, base + 0x1020n); // leaf, outside header_twice
      expect(leafOnly.curContext >>> 16).not.toBe(a.curContext >>> 16);
    });
  });

  test('a walk resumes from a start context of the same chain', async () => {
    await withFixture((sym, base) => {
      const a = base + 0x102an;
      const first = start(sym, a);
      const resumed = start(sym, a, (first.curContext + 2) >>> 0);
      expect(resumed).toEqual({ curContext: (first.curContext + 2) >>> 0, curFrameIndex: 2 });
      // A context of another chain, or past this one, starts over at the innermost frame.
      const foreign = start(sym, base + 0x1079n).curContext;
      expect(start(sym, a, foreign)).toEqual(first);
      expect(start(sym, a, (first.curContext + 9) >>> 0)).toEqual(first);
    });
  });

  test("a context used at an address of another chain answers as that address's physical frame", async () => {
    await withFixture((sym, base) => {
      const counter = start(sym, base + 0x1079n).curContext; // Counter::add inside run_counter
      const a = base + 0x102an;
      expect(sym.fromInlineContext(a, counter)).toEqual(sym.fromAddr(a));
      expect(sym.getLineFromInlineContext(a, counter)).toEqual(sym.getLineFromAddr(a));
    });
  });
});

// --- malformed inline data in a real PDB ---------------------------------------------------

/** File offsets of a stream's bytes [from, to). */
function fileOffsets(pdb: PdbFile, stream: number, from: number, to: number): number[] {
  const bs = pdb.msf.superBlock.blockSize;
  const blocks = pdb.msf.streamBlocks(stream);
  const out: number[] = [];
  for (let o = from; o < to; o++) out.push(blocks[Math.floor(o / bs)] * bs + (o % bs));
  return out;
}

/** Where inline data lives in the file: each site's annotation bytes, each DEBUG_S_INLINEELINES body. */
function inlineRegions(): { sites: number[][]; inlineeLines: number[][] } {
  const pdb = new PdbFile(new BufferSource(new Uint8Array(fs.readFileSync(PDB)), PDB));
  const sites: number[][] = [];
  const inlineeLines: number[][] = [];
  for (const info of pdb.modules()) {
    const ms = pdb.moduleSymbols(info.index);
    if (!ms) continue;
    ms.symbols.forEach((kind, offset, reclen) => {
      if (kind === S.INLINESITE || kind === S.INLINESITE2) sites.push(fileOffsets(pdb, info.symStream, offset + 4 + 12, offset + 2 + reclen));
    });
    const c13 = ms.c13Block(info.c11ByteSize, info.c13ByteSize);
    const base = info.symByteSize + info.c11ByteSize;
    while (c13.remaining >= 8) {
      const at = c13.rel;
      const kind = c13.u32();
      const len = c13.u32();
      if (kind === 0xf6) inlineeLines.push(fileOffsets(pdb, info.symStream, base + at + 8, base + at + 8 + len));
      c13.skip(len).align(4);
    }
  }
  return { sites, inlineeLines };
}

describe('malformed inline data in inline-x64.pdb (each case in a worker, 4 s bound)', () => {
  const guard = new Watchdog(4000);
  afterAll(() => guard.close());

  test('overwritten annotations and inlinee lines: every inline call answers or says BAD_FORMAT', async () => {
    const { sites, inlineeLines } = inlineRegions();
    expect(sites.length).toBeGreaterThanOrEqual(8);
    expect(inlineeLines.length).toBeGreaterThanOrEqual(1);
    // Every byte of .text that has inline frames in the unmutated file, and a few without.
    const rvas = Array.from({ length: 0x130 }, (_, i) => 0x1000 + i);
    const r = rng(4242);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const hostile = [0x00, 0xff, 0xc0, 0xdf, 0xe0, 0x0c, 0x04, 0x03, 0x0b, 0x80];
    const cases: PdbCaseArg[] = [];
    for (let k = 0; k < 48; k++) {
      const region = k % 3 === 2 ? pick(inlineeLines) : pick(sites);
      const sets: [number, number][] = [];
      for (let f = 0; f < 1 + (k % 4); f++) sets.push([pick(region), r() < 0.6 ? pick(hostile) : Math.floor(r() * 256)]);
      cases.push({ pdb: PDB, image: IMAGE, sets, rvas });
    }
    const results = await guard.run('pdb', cases);
    const problems = results.map((x, i) => (x.outcome === 'ok' || x.outcome === 'BAD_FORMAT' ? undefined : `case ${i} ${JSON.stringify(cases[i].sets)}: ${x.outcome}: ${x.detail}`)).filter(Boolean);
    expect(problems).toEqual([]);
    // The corruptions did reach the parsers.
    expect(results.filter((x) => x.outcome === 'BAD_FORMAT').length).toBeGreaterThan(3);
  });
});
