/**
 * A dump walked with nothing but Breakpad .sym files: breakpad's minidump2.dmp (x86, Windows XP)
 * with testdata/symbols' test_app.sym and kernel32.sym (DIA-made: STACK WIN records, no images),
 * each module's WalkModule given `breakpadWalkInfo(symbols)` and its frames named by the same
 * BreakpadSymbols, printed as minidump_stackwalk prints them: equal to minidump2.stackwalk.out's
 * crashing thread (frames, function, file : line + offset, eip/esp/ebp, "Found by").
 */
import * as fs from 'fs';
import * as path from 'path';
import { BreakpadSymbols, readBreakpadSymbols } from '../../lib/formats/breakpad';
import { breakpadWalkInfo, walkStack, WalkedFrame, WalkModule } from '../../lib/stackwalk';
import { corpusPath, describeCorpus } from '../helpers/corpus';
import { readLiteDump, x86Context } from '../unit/stackwalk/minidump-lite';

const TD = 'google_breakpad/src/processor/testdata';
const FOUND_BY: Record<string, string> = { context: 'given as instruction pointer in context', cfi: 'call frame info', frame_pointer: "previous frame's frame pointer", scan: 'stack scanning' };
const hex8 = (v: bigint | undefined) => `0x${(v ?? 0n).toString(16).padStart(8, '0')}`;

/** One frame as minidump_stackwalk prints it (header, eip/esp/ebp, Found by). */
function printFrame(i: number, f: WalkedFrame, syms: Map<string, BreakpadSymbols>): string[] {
  const m = f.module;
  let head = `${String(i).padStart(2)}  `;
  if (!m) head += hex8(f.instruction);
  else {
    const s = syms.get(m.name);
    const at = i === 0 ? f.instruction : f.instruction - 1n;
    const hit = s?.lookup(Number(at - m.base));
    const rva = Number(f.instruction - m.base);
    if (!hit) head += `${m.name} + 0x${rva.toString(16)}`;
    else if (hit.file !== undefined && hit.lineRva !== undefined) head += `${m.name}!${hit.function} [${path.win32.basename(hit.file)} : ${hit.line} + 0x${(rva - hit.lineRva).toString(16)}]`;
    else head += `${m.name}!${hit.function} + 0x${(rva - hit.functionRva).toString(16)}`;
  }
  const r = f.registers;
  return [head, `    eip = ${hex8(r.get('eip'))}   esp = ${hex8(r.get('esp'))}   ebp = ${hex8(r.get('ebp'))}`, `    Found by: ${FOUND_BY[f.trust]}`];
}

/** The crashing thread of a minidump_stackwalk text output, in the same three lines per frame. */
function expectedFrames(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let i = lines.findIndex((l) => /^Thread \d+ \(crashed\)/.test(l)) + 1;
  for (; i < lines.length && lines[i].trim() !== ''; i++) {
    const l = lines[i];
    if (/^ ?\d+ {2}/.test(l)) out.push(l);
    else if (/^ {4}eip = /.test(l)) out.push(l.replace(/( {3}ebx = .*)$/, ''));
    else if (/^ {4}Found by: /.test(l)) out.push(l);
  }
  return out;
}

describeCorpus('minidump2.dmp walked from .sym files alone', () => {
  test('frames and trust as minidump2.stackwalk.out', async () => {
    const dump = readLiteDump(new Uint8Array(fs.readFileSync(corpusPath(`${TD}/minidump2.dmp`))));
    const symFiles: Record<string, string> = {
      'test_app.exe': `${TD}/symbols/test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym`,
      'kernel32.dll': `${TD}/symbols/kernel32.pdb/BCE8785C57B44245A669896B6A19B9542/kernel32.sym`,
    };
    const syms = new Map<string, BreakpadSymbols>();
    for (const [name, f] of Object.entries(symFiles)) syms.set(name, await readBreakpadSymbols(corpusPath(f)));
    const modules: WalkModule[] = dump.modules.map((m) => {
      const s = syms.get(m.name);
      return { name: m.name, base: m.base, size: m.size, readRva: (rva: number, size: number) => dump.memory.read(m.base + BigInt(rva), size), ...(s ? breakpadWalkInfo(s) : {}) };
    });
    const r = walkStack({ arch: 'x86', context: x86Context(dump.exceptionContext!), memory: dump.memory, moduleAt: (a) => modules.find((m) => a >= m.base && a < m.base + BigInt(m.size)) });
    const got = r.frames.flatMap((f, i) => printFrame(i, f, syms));
    expect(got).toEqual(expectedFrames(fs.readFileSync(corpusPath(`${TD}/minidump2.stackwalk.out`), 'utf8')));
    expect(got.length).toBe(12);
  });
});
