/**
 * Breakpad .sym files of the corpus (Breakpad's DIA dump_syms, Mozilla's Rust dump_syms,
 * symbolic's fixtures, Linux dump_syms): read with lib/formats/breakpad and checked against a
 * plain line-by-line reading of the same text (a regex per record kind): record counts, every
 * FUNC's first and last byte, every line record, every PUBLIC outside FUNCs, every STACK WIN and
 * STACK CFI INIT at its own address.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readBreakpadSymbols, cfiRules } from '../../lib/formats/breakpad';
import { CORPUS, describeCorpus, haveCorpus } from '../helpers/corpus';

function symFiles(): string[] {
  if (!haveCorpus) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sym')) out.push(path.relative(CORPUS, p));
    }
  };
  walk(CORPUS);
  return out.sort();
}

interface Plain {
  funcs: { addr: number; size: number; name: string; lines: { addr: number; size: number; line: number }[] }[];
  publics: { addr: number; name: string }[];
  win: { type: number; addr: number; size: number }[];
  cfi: { addr: number; size: number; rules: string; deltas: { addr: number; rules: string }[] }[];
  files: number;
}

function plain(text: string): Plain {
  const p: Plain = { funcs: [], publics: [], win: [], cfi: [], files: 0 };
  for (const l of text.split(/\r?\n/)) {
    let m: RegExpExecArray | null;
    if ((m = /^FUNC (?:m )?([0-9a-f]+) ([0-9a-f]+) [0-9a-f]+ *(.*)$/.exec(l))) p.funcs.push({ addr: parseInt(m[1], 16), size: parseInt(m[2], 16), name: m[3], lines: [] });
    else if ((m = /^([0-9a-f]+) ([0-9a-f]+) (-?\d+) \d+$/.exec(l))) p.funcs[p.funcs.length - 1].lines.push({ addr: parseInt(m[1], 16), size: parseInt(m[2], 16), line: +m[3] });
    else if ((m = /^PUBLIC (?:m )?([0-9a-f]+) [0-9a-f]+ *(.*)$/.exec(l))) p.publics.push({ addr: parseInt(m[1], 16), name: m[2] });
    else if ((m = /^STACK WIN ([0-9a-f]) ([0-9a-f]+) ([0-9a-f]+) /.exec(l))) p.win.push({ type: +m[1], addr: parseInt(m[2], 16), size: parseInt(m[3], 16) });
    else if ((m = /^STACK CFI INIT ([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(l))) p.cfi.push({ addr: parseInt(m[1], 16), size: parseInt(m[2], 16), rules: m[3], deltas: [] });
    else if ((m = /^STACK CFI ([0-9a-f]+) (.*)$/.exec(l))) p.cfi[p.cfi.length - 1].deltas.push({ addr: parseInt(m[1], 16), rules: m[2] });
    else if (l.startsWith('FILE ')) p.files++;
  }
  return p;
}

describeCorpus('corpus: Breakpad .sym files read back', () => {
  const files = symFiles();

  test('the corpus has the .sym files this suite is about', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  test.each(files)('%s', async (rel) => {
    const file = path.join(CORPUS, rel);
    const s = await readBreakpadSymbols(file);
    const p = plain(fs.readFileSync(file, 'utf8'));
    const c = s.counts;
    expect([c.functions, c.publics, c.stackWin, c.cfiInit, c.files]).toEqual([p.funcs.length, p.publics.length, p.win.length, p.cfi.length, p.files]);
    expect(c.lines).toBe(p.funcs.reduce((n, f) => n + f.lines.length, 0));
    const wrong: string[] = [];
    const starts = new Set(p.funcs.map((f) => f.addr));
    for (const f of p.funcs) {
      if (f.size === 0) continue;
      for (const a of [f.addr, f.addr + f.size - 1]) {
        const hit = s.lookup(a);
        // A later FUNC starting inside this one (PGO blocks) answers for its own bytes.
        if (hit?.function !== f.name && !(hit && hit.functionRva > f.addr && a >= hit.functionRva)) wrong.push(`FUNC ${f.name} @${a.toString(16)}: ${hit?.function}`);
      }
      for (const ln of f.lines) {
        if (ln.size === 0) continue; // an empty range covers nothing (Breakpad drops it too)
        const hit = s.lookup(ln.addr);
        if (hit?.functionRva === f.addr && hit.line !== ln.line) wrong.push(`line @${ln.addr.toString(16)}: ${hit.line} != ${ln.line}`);
      }
    }
    for (const u of p.publics) {
      const hit = s.lookup(u.addr);
      if (hit && !hit.isPublic) continue; // inside a FUNC: the FUNC answers
      if (hit?.function !== u.name && !starts.has(u.addr)) {
        // several PUBLICs at one address: the last in address order answers
        if (!p.publics.some((o) => o.addr === u.addr && o.name === hit?.function)) wrong.push(`PUBLIC ${u.name}: ${hit?.function}`);
      }
    }
    for (const w of p.win) {
      if (w.size === 0 || (w.type !== 0 && w.type !== 4)) continue;
      const hit = s.stackWin(w.addr);
      if (!hit || hit.address > w.addr || hit.address + hit.codeSize <= w.addr) wrong.push(`STACK WIN ${w.type} @${w.addr.toString(16)}`);
    }
    for (const k of p.cfi) {
      // At the INIT's address, and at each delta's: the INIT's rules overridden in turn.
      const want = cfiRules(k.rules);
      for (const at of [k.addr, ...k.deltas.map((d) => d.addr)]) {
        const rules = { ...want };
        for (const d of k.deltas) if (d.addr <= at) Object.assign(rules, cfiRules(d.rules));
        const hit = s.cfi(at);
        if (!hit || hit.address !== k.addr) wrong.push(`CFI @${at.toString(16)}: ${hit?.address}`);
        else if (JSON.stringify(hit.rules) !== JSON.stringify(rules)) wrong.push(`CFI rules @${at.toString(16)}: ${JSON.stringify(hit.rules)}`);
      }
    }
    expect(wrong.filter((w, i) => i < 3 || !w.startsWith(wrong[0].slice(0, 8)))).toEqual([]);
  });
});

describeCorpus('corpus: a .sym store as a symbol source (dumpSymsToStore → findBreakpadSymbols → BreakpadProvider)', () => {
  // The image's CodeView record finds the .sym written for its PDB; every FUNC's first byte and
  // every line record's address then answer as the PDB does through the portable handler.
  test.each([
    ['getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.exe', 'getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.pdb'],
    ['google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest64.exe', 'google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest64.pdb'],
  ])('%s', async (exeRel, pdbRel) => {
    const { dumpSymsToStore, breakpadIdOfImage, findBreakpadSymbols, BreakpadProvider } = await import('../../lib/breakpad');
    const { PeImage } = await import('../../lib/formats/pe/pe-image');
    const { SymbolHandler } = await import('../../lib');
    const os = await import('os');
    const store = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-source-'));
    const sym = SymbolHandler.initialize({ searchPath: '' });
    try {
      await dumpSymsToStore({ pdb: path.join(CORPUS, pdbRel), image: path.join(CORPUS, exeRel), store });
      const image = PeImage.open(path.join(CORPUS, exeRel));
      const id = breakpadIdOfImage(image)!;
      image.close();
      const file = findBreakpadSymbols([path.join(store, 'nope'), store], id);
      expect(file).toBe(path.join(store, id.debugFile, id.debugId, id.debugFile.replace(/\.pdb$/i, '.sym')));
      const provider = new BreakpadProvider(await readBreakpadSymbols(file!));
      const base = 0x400000n;
      await sym.loadModule(path.join(CORPUS, exeRel), { baseAddress: base, pdbPath: path.join(CORPUS, pdbRel) });
      const wrong: string[] = [];
      let checked = 0;
      for (const s of provider.enumerate()) {
        if (s.tag !== 5) continue; // SymTagFunction
        const ours = provider.fromRva(s.rva)!;
        const theirs = sym.fromAddr(base + BigInt(s.rva));
        if (ours.symbol.rva !== s.rva || !theirs || theirs.symbol.address !== base + BigInt(s.rva)) wrong.push(`function @${s.rva.toString(16)}`);
        const a = provider.lineFromRva(s.rva);
        const b = sym.getLineFromAddr(base + BigInt(s.rva));
        // DbgHelp answers a zero-length entry (the opening line, then the first statement's at
        // the same offset); dump_syms drops those, so the .sym answers the next entry there.
        const zeroLength = b && [...sym.enumLines(base, { file: b.fileName })].some((l) => l.address === b.address && l.lineNumber === a?.lineNumber);
        if ((a?.lineNumber ?? 0) !== (b?.lineNumber ?? 0) && !zeroLength) wrong.push(`line @${s.rva.toString(16)}: ${a?.lineNumber} vs ${b?.lineNumber}`);
        checked++;
      }
      expect(checked).toBeGreaterThan(50);
      expect(wrong).toEqual([]);
      expect(provider.fromName('MAIN', { options: 1 })?.name).toBe('main');
      expect(provider.fromName('MAIN', { options: 0 })).toBeUndefined();
    } finally {
      sym.cleanup();
      fs.rmSync(store, { recursive: true, force: true });
    }
  });
});
