/**
 * The per-module inline index (lib/portable/features/inline-index.ts) on inline-x64.pdb, whose
 * records are in test/fixtures/expected/inline-x64.pdbutil.txt: run_chain (S_GPROC32 at 100,
 * 0001:0000, 109 bytes) holds outer (252) > middle (336) > leaf (404) > header_twice (492);
 * run_counter (564, 0001:0112) holds bump (736) > add (796), bump (856) > add (916), and
 * __underscored (976); run_twice (1036, 0001:0208) header_twice twice (1188, 1244). Also: a symbolizing walk keeps no module stream, and cut or overwritten
 * module streams give BAD_FORMAT or an index, nothing else.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SymbolHandler } from '../../../lib';
import { DbgHelpError } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { BufferSource } from '../../../lib/formats/binary/source';
import { ModuleSymbols } from '../../../lib/formats/pdb/module-symbols';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { buildInlineIndex, type ModuleInlineIndex } from '../../../lib/portable/features/inline-index';
import { fileNameOffset, leftOut, rangeHolding, siteAtRecord } from '../../../lib/portable/features/inline-index-queries';
import { RvaBatch } from '../../../lib/portable/rva-batch';
import { inlineFrames } from '../../../lib/symbolicate/inline-frames';
import { corruptions, truncations } from '../../helpers/mutate';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const IMAGE = path.join(BIN, 'inline-x64.exe');
const PDB = path.join(BIN, 'inline-x64.pdb');

function openPdb(): PdbFile {
  return new PdbFile(new BufferSource(new Uint8Array(fs.readFileSync(PDB)), PDB));
}

/** Module 0's index, built as the provider builds it (section 1 of the fixture at RVA 0x1000). */
function indexOf(pdb: PdbFile, bytes?: Uint8Array): ModuleInlineIndex {
  const info = pdb.modules()[0];
  const raw = bytes ?? pdb.msf.readStream(info.symStream);
  const ms = new ModuleSymbols(Cursor.of(raw, 'module 0'), info.symByteSize);
  const c13 = info.c13ByteSize > 0 ? ms.c13Block(info.c11ByteSize, info.c13ByteSize) : undefined;
  const secs = pdb.sectionHeaders()!;
  return buildInlineIndex(0, ms, c13, (s, o) => (secs[s - 1] ? secs[s - 1].virtualAddress + o : undefined));
}

describe('inline index of a module (typed arrays, one walk)', () => {
  test('sites in stream order with their nesting, subtree ends and owner procedures', () => {
    const idx = indexOf(openPdb());
    expect([...idx.siteRecord]).toEqual([252, 336, 404, 492, 736, 796, 856, 916, 976, 1188, 1244]);
    expect([...idx.siteParent]).toEqual([-1, 0, 1, 2, -1, 4, -1, 6, -1, -1, -1]);
    expect([...idx.siteSkip]).toEqual([4, 4, 4, 4, 6, 6, 8, 8, 9, 10, 11]);
    expect([...idx.siteOwner]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2]);
    expect([...idx.siteInlinee.slice(0, 4)]).toEqual([0x1001, 0x1002, 0x1003, 0x1004]);
    expect([...idx.siteInlinee.slice(9)]).toEqual([0x1004, 0x1004]);
    // mainCRTStartup (1304) has no site: no owner.
    expect([...idx.ownerRecord]).toEqual([100, 564, 1036]);
    expect([...idx.ownerStart]).toEqual([0x1000, 0x1000 + 112, 0x1000 + 208]);
    expect([...idx.ownerLength]).toEqual([109, 86, 47]);
    expect([...idx.ownerFirst]).toEqual([0, 4, 9]);
    expect([...idx.ownerEnd]).toEqual([4, 9, 11]);
    expect(idx.sepOwners.length).toBe(0);
    expect(siteAtRecord(idx, 404)).toBe(2);
    expect(siteAtRecord(idx, 405)).toBe(-1);
  });

  test("ranges from the annotations as PDB RVAs: outer's four, header_twice's two (pdbutil's code offsets)", () => {
    const idx = indexOf(openPdb());
    const ranges = (site: number) => {
      const out: [number, number, number][] = [];
      const first = idx.rangeFirst[site];
      for (let r = first; r < idx.rangeFirst[site + 1]; r++) out.push([idx.rangeStart[r] - 0x1000, idx.rangeEnd[r] - 0x1000, idx.rangeLine[r] - idx.rangeLine[first]]);
      return out;
    };
    // outer: code 0x6 line +1, 0xF +1, line +1 then code 0x54, 0x5A +1, end 0x60.
    expect(ranges(0)).toEqual([
      [0x6, 0xf, 0],
      [0xf, 0x54, 1],
      [0x54, 0x5a, 2],
      [0x5a, 0x60, 3],
    ]);
    // header_twice: code 0x29 (line +1 before it), 0x2F line +1, end 0x3C.
    expect(ranges(3)).toEqual([
      [0x29, 0x2f, 0],
      [0x2f, 0x3c, 1],
    ]);
    expect(rangeHolding(idx, 3, 0x102a)).toBe(idx.rangeFirst[3]);
    expect(rangeHolding(idx, 3, 0x103c)).toBe(-1);
    expect(rangeHolding(idx, 0, 0x1005)).toBe(-1);
  });

  test("line, file and owner-length columns in 16 bits where the module's values fit, each file a checksum entry", () => {
    const idx = indexOf(openPdb());
    expect(idx.rangeLine).toBeInstanceOf(Uint16Array);
    expect(idx.rangeFile).toBeInstanceOf(Uint16Array);
    expect(idx.ownerLength).toBeInstanceOf(Uint16Array);
    const names = openPdb().names()!;
    const files = new Set([...idx.rangeFile].map((f) => names.get(fileNameOffset(idx, f, 'inline-x64.pdb')).replace(/^.*[\\/]/, '')));
    expect([...files].sort()).toEqual(['inline.cpp', 'inline.h']);
    expect(Math.min(...idx.rangeLine)).toBeGreaterThan(0);
  });

  test('a symbolizing walk over every byte of .text reads each module stream once and keeps none', async () => {
    const kept = jest.spyOn(PdbFile.prototype, 'moduleSymbols');
    const sym = SymbolHandler.initialize();
    try {
      const base = await sym.loadModule(IMAGE, { pdbPath: PDB });
      let frames = 0;
      for (let rva = 0x1000; rva < 0x1200; rva++) {
        const a = base + BigInt(rva);
        sym.fromAddr(a);
        sym.getLineFromAddr(a);
        frames += inlineFrames(sym, a).length;
      }
      expect(frames).toBeGreaterThan(300);
      // Features that keep module streams go through PdbFile.moduleSymbols: inline frames do not.
      expect(kept).not.toHaveBeenCalled();
    } finally {
      sym.cleanup();
      kept.mockRestore();
    }
  });

  test("built for a batch: only the sites of code scopes the batch's RVAs are in, the others listed", () => {
    const pdb = openPdb();
    const info = pdb.modules()[0];
    const ms = new ModuleSymbols(Cursor.of(pdb.msf.readStream(info.symStream), 'module 0'), info.symByteSize);
    const c13 = ms.c13Block(info.c11ByteSize, info.c13ByteSize);
    const secs = pdb.sectionHeaders()!;
    const at = (s: number, o: number) => (secs[s - 1] ? secs[s - 1].virtualAddress + o : undefined);
    // One RVA in run_counter (0x1070..0x10c6): run_chain (100) and run_twice (1036) are left out.
    const idx = buildInlineIndex(0, ms, c13, at, new RvaBatch(Float64Array.of(0x1000 + 112 + 40)));
    expect([...idx.ownerRecord]).toEqual([564]);
    expect([...idx.siteRecord]).toEqual([736, 796, 856, 916, 976]);
    expect([...idx.siteParent]).toEqual([-1, 0, -1, 2, -1]);
    expect([...idx.siteSkip]).toEqual([2, 2, 4, 4, 5]);
    expect([...idx.skipped]).toEqual([100, 1036]);
    expect(idx.skippedSep).toBe(false);
    expect(leftOut(idx, 100)).toBe(true);
    expect(leftOut(idx, 564)).toBe(false);
    // The kept owner's sites and ranges are the whole index's.
    const whole = indexOf(openPdb());
    expect(whole.skipped.length).toBe(0);
    for (let k = 0; k < 5; k++) {
      const w = k + 4;
      const ranges = (x: ModuleInlineIndex, i: number) => [...x.rangeStart.slice(x.rangeFirst[i], x.rangeFirst[i + 1])];
      expect(ranges(idx, k)).toEqual(ranges(whole, w));
    }
    // The first and last byte of run_counter are in it; the bytes around it are not.
    const first = new RvaBatch(Float64Array.of(0x1000 + 112, 0x1000 + 112 + 85));
    expect(buildInlineIndex(0, ms, c13, at, first).skipped.length).toBe(2);
    expect(buildInlineIndex(0, ms, c13, at, new RvaBatch(Float64Array.of(0x1000 + 109, 0x1000 + 111, 0x1000 + 112 + 86))).ownerRecord.length).toBe(0);
  });

  test('a batch changes no answer: frames outside it are found by building the index whole', async () => {
    const frames = async (batch: number[] | undefined) => {
      const sym = SymbolHandler.initialize();
      try {
        const base = await sym.loadModule(IMAGE, { pdbPath: PDB });
        const backend = sym.backendHandler;
        if (batch) backend.beginBatch!(Float64Array.from(batch, (r) => Number(base) + r));
        const out: string[] = [];
        for (let rva = 0x1000; rva < 0x1200; rva++) {
          const a = base + BigInt(rva);
          out.push(JSON.stringify(inlineFrames(sym, a), (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v)));
        }
        backend.endBatch!();
        return out;
      } finally {
        sym.cleanup();
      }
    };
    const plain = await frames(undefined);
    expect(plain.filter((f) => f !== '[]').length).toBeGreaterThan(150);
    // A batch in run_counter only; one in run_twice only; one everywhere.
    expect(await frames([0x1000 + 112 + 40])).toEqual(plain);
    expect(await frames([0x1000 + 208 + 3])).toEqual(plain);
    expect(await frames([0x1000, 0x1000 + 112, 0x1000 + 208])).toEqual(plain);
  });

  test('a batch that does not reach a damaged procedure answers its own; the whole index reports the damage', async () => {
    // outer's S_INLINESITE (record 252, in run_chain) with its binary annotations overwritten.
    const pdb = openPdb();
    const info = pdb.modules()[0];
    const blocks = pdb.msf.streamBlocks(info.symStream);
    const bs = pdb.msf.superBlock.blockSize;
    const bytes = new Uint8Array(fs.readFileSync(PDB));
    const at = blocks[Math.floor(252 / bs)] * bs + (252 % bs);
    for (let k = 16; k < 24; k++) bytes[at + k] = 0xff;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-dmg-'));
    try {
      fs.writeFileSync(path.join(dir, 'inline-x64.pdb'), bytes);
      const sym = SymbolHandler.initialize();
      try {
        const base = await sym.loadModule(IMAGE, { pdbPath: path.join(dir, 'inline-x64.pdb') });
        const counter = base + 0x1098n; // run_counter, inside bump
        const chain = base + 0x1010n; // run_chain, inside outer
        const backend = sym.backendHandler;
        backend.beginBatch!(Float64Array.of(Number(counter)));
        // Built for the batch, run_chain's sites are not decoded: run_counter is answered.
        expect(inlineFrames(sym, counter).map((f) => f.symbol)).toEqual(['Counter::bump']);
        // An address in the damaged procedure builds the index whole: BAD_FORMAT with the offset.
        expect(() => inlineFrames(sym, chain)).toThrow(/binary annotations at offset 0x10c/);
        backend.endBatch!();
      } finally {
        sym.cleanup();
      }
      // Without a batch the whole index is built first, and every address of the module fails.
      const whole = SymbolHandler.initialize();
      try {
        const base = await whole.loadModule(IMAGE, { pdbPath: path.join(dir, 'inline-x64.pdb') });
        expect(() => inlineFrames(whole, base + 0x1098n)).toThrow(DbgHelpError);
      } finally {
        whole.cleanup();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('cut and overwritten module streams: an index or BAD_FORMAT with file and offset, nothing else', () => {
    const pdb = openPdb();
    const info = pdb.modules()[0];
    const good = pdb.msf.readStream(info.symStream);
    const inputs = [
      ...truncations(good, 8, info.symByteSize + 64),
      // The records and annotations (after the 4-byte signature), then the C13 block.
      ...corruptions(good, 300, 3, 11, 4, info.symByteSize),
      ...corruptions(good, 100, 4, 13, info.symByteSize, good.length),
    ];
    let rejected = 0;
    const problems: string[] = [];
    for (const [k, bytes] of inputs.entries()) {
      try {
        indexOf(pdb, bytes);
      } catch (e) {
        if (e instanceof DbgHelpError && e.code === 'BAD_FORMAT' && e.file !== undefined && e.offset !== undefined) rejected++;
        else problems.push(`input ${k}: ${(e as Error).stack}`);
      }
    }
    expect(problems).toEqual([]);
    expect(rejected).toBeGreaterThan(20);
  });
});
