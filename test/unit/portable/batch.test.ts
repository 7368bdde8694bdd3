/**
 * A batch (BackendHandler.beginBatch, lib/portable/rva-batch.ts) changes what the module indexes
 * hold, never an answer: every byte of each fixture image's first code section, looked up with
 * batches that reach one procedure, a few, or none of the module, answers SymFromAddr and
 * SymGetLineFromAddr64 as without a batch. (Inline frames: test/unit/inlines/index.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler } from '../../../lib';
import { PeImage } from '../../../lib/formats/pe/pe-image';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { buildCodeIndex, copiedRecord, NOT_COPIED } from '../../../lib/portable/code-index';
import { RvaBatch } from '../../../lib/portable/rva-batch';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const IMAGES = ['basic-x64.exe', 'cppfeatures-x64.exe', 'cppfeatures-x86.exe', 'locals-arm64.exe', 'exports-x64.dll'];

/** The first executable section's [start, end) RVAs. */
function codeRange(image: string): [number, number] {
  const pe = PeImage.open(path.join(BIN, image));
  try {
    const text = pe.sections.find((s) => s.characteristics & 0x20000000)!;
    return [text.virtualAddress, text.virtualAddress + Math.min(text.virtualSize, 0x3000)];
  } finally {
    pe.close();
  }
}

async function answers(image: string, batch: (from: number, to: number) => number[] | undefined): Promise<string[]> {
  const sym = SymbolHandler.initialize();
  try {
    const base = await sym.loadModule(path.join(BIN, image), { pdbPath: path.join(BIN, image.replace(/\.(exe|dll)$/, '.pdb')) });
    const [from, to] = codeRange(image);
    const rvas = batch(from, to);
    if (rvas) sym.backendHandler.beginBatch!(Float64Array.from(rvas, (r) => Number(base) + r));
    const out: string[] = [];
    for (let r = from; r < to; r++) {
      const a = base + BigInt(r);
      const s = sym.fromAddr(a);
      const l = sym.getLineFromAddr(a);
      out.push(`${s ? `${s.symbol.name}+${s.displacement}` : '-'} ${l ? `${l.fileName}:${l.lineNumber}+${l.displacement}` : '-'}`);
    }
    if (rvas) sym.backendHandler.endBatch!();
    return out;
  } finally {
    sym.cleanup();
  }
}

describe('a batch of addresses changes no answer', () => {
  test.each(IMAGES)('%s', async (image) => {
    expect(fs.existsSync(path.join(BIN, image))).toBe(true);
    const plain = await answers(image, () => undefined);
    expect(plain.filter((a) => !a.endsWith(' -')).length).toBeGreaterThan(100);
    // One address near the start, a few spread out, one past the code.
    expect(await answers(image, (from) => [from + 0x20])).toEqual(plain);
    expect(await answers(image, (from, to) => [from + 3, from + ((to - from) >> 2), to - 7])).toEqual(plain);
    expect(await answers(image, (_from, to) => [to + 0x100000])).toEqual(plain);
  });
});

describe('code index built for a batch', () => {
  // inline-x64.pdb module 0: run_chain at 0x1000 (109 bytes), run_counter 0x1070 (86),
  // run_twice 0x10d0 (47), mainCRTStartup after them (test/unit/inlines/index.test.ts).
  const pdb = new PdbFile(new BufferSource(new Uint8Array(fs.readFileSync(path.join(BIN, 'inline-x64.pdb'))), 'inline-x64.pdb'));
  const secs = pdb.sectionHeaders()!;
  const at = { pdbRva: (s: number, o: number) => (secs[s - 1] ? secs[s - 1].virtualAddress + o : undefined), isCodeSection: () => true };
  const info = pdb.modules()[0];
  const ms = pdb.readModuleSymbols(0)!;
  const build = (rvas?: number[]) => buildCodeIndex(ms, 0, info.symStream, at, rvas && new RvaBatch(Float64Array.from(rvas)));

  test("copies the records of the entries holding the batch's addresses or answering the gap after them", () => {
    const whole = build();
    expect(whole.partial).toBe(false);
    const starts = [...whole.starts];
    expect(starts.slice(0, 3)).toEqual([0x1000, 0x1070, 0x10d0]);
    const copied = (rvas: number[]) => [...build(rvas).copyAt].map((c, i) => (c === NOT_COPIED ? -1 : starts[i]));
    // In run_counter: only its record.
    expect(copied([0x1070 + 40])).toEqual(starts.map((s) => (s === 0x1070 ? s : -1)));
    // In the padding after run_chain (0x106d..0x106f): run_chain answers it (nearest below).
    expect(copied([0x1000 + 110])).toEqual(starts.map((s) => (s === 0x1000 ? s : -1)));
    // Past every entry: the last one.
    expect(copied([0x7fff0000])).toEqual(starts.map((s, i) => (i === starts.length - 1 ? s : -1)));
    // The copies are the whole index's bytes.
    const part = build([0x1070 + 40]);
    expect(part.partial).toBe(true);
    const i = starts.indexOf(0x1070);
    const a = copiedRecord(part, i, 'p');
    const b = copiedRecord(whole, i, 'w');
    expect(a.kind).toBe(b.kind);
    expect([...a.data.buf.subarray(a.data.start, a.data.end)]).toEqual([...b.data.buf.subarray(b.data.start, b.data.end)]);
  });
});
