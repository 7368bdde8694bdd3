/**
 * dumpSyms against Mozilla's new (Rust) dump_syms `.sym` files for the PDBs the corpus has
 * (mozilla_dump_syms/test_data/windows: basic32, basic32-min; the other new `.sym` files have
 * no PDB here). Every difference is put in a class, each class is pinned per file, and each
 * class carries its evidence: where we differ from Mozilla, our record is the one Breakpad's
 * DIA-based dump_syms wrote for the same PDB (the `.old.sym` beside it).
 *
 * Classes:
 * - naming: the same FUNC/PUBLIC (address, size, parameter size, `m`) with another spelling of
 *   the name. Mozilla prints names with its own demangler and type printer
 *   (`test5(int*, unsigned int, ...)`, `~basic_string()`, `... const` methods, `int[34]*`); we
 *   print UnDecorateSymbolName 0x87FE's (`test5(int *,unsigned int,...)`), as DIA does;
 * - params (DIA's): x86 FUNC/PUBLIC parameter sizes; Mozilla computes them from the calling convention
 *   (fastcall `__security_check_cookie` 4), DIA from the stack parameters (0): ours = `.old.sym`;
 * - merged lines: Mozilla merges adjacent line records of the same line and file, drops hidden
 *   lines (0xf00f00, 0xfeefee) into the record before them, and cuts a FUNC's last line record
 *   at the FUNC's end; we write DIA's records (lengths to the next entry of the line section).
 *   The check: ours transformed that way equal Mozilla's, function by function;
 * - unused FILE: we write every module's checksum names (as DIA's dump_syms does), Mozilla only
 *   the files lines use (Mozilla's FILE names are a subset of ours);
 * - DIA-only PUBLIC: publics DIA's dump_syms writes that Mozilla skips (assembler labels whose
 *   flags are 0: `_NLG_Return`, `_alloca_probe_8`): ours = `.old.sym`;
 * - unnamed PUBLIC: a public with no name (at 0x55e92): DIA's dump_syms writes `<unknown>`,
 *   Mozilla `<unknown in basic32.dll>`, we none (also pinned in dump-syms.test.ts);
 * - Mozilla-only PUBLIC: records DIA does not write (none in these files);
 * - STACK WIN FPO: type-0 records as DIA's dump_syms writes them (empty ones kept,
 *   allocates_base_pointer 1): ours = `.old.sym` (fpo); Mozilla drops empty ones and writes 0
 *   where DIA writes 1 (mozillaFpo: DIA's record with 1 exists);
 * - other: anything else (pinned at 0).
 * STACK WIN program strings are compared without the trailing space DIA's dump_syms writes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { dumpSyms } from '../../lib/breakpad';
import { expandCab } from '../../lib/symsrv/expand';
import { corpusPath, describeCorpus } from '../helpers/corpus';

const MZ = 'mozilla_dump_syms/test_data/windows';
const HIDDEN = new Set([0xf00f00, 0xfeefee]);

interface Parsed {
  head: string[];
  files: Set<string>;
  /** `address size` → [m, parameter size, name, lines]. */
  funcs: Map<string, { m: boolean; params: string; name: string; lines: [number, number, number, string][] }>;
  /** address → [m, parameter size, name]. */
  pubs: Map<string, { m: boolean; params: string; name: string }>;
  stack: Map<string, number>;
}

function parse(text: string): Parsed {
  const p: Parsed = { head: [], files: new Set(), funcs: new Map(), pubs: new Map(), stack: new Map() };
  const ids = new Map<string, string>();
  let cur: Parsed['funcs'] extends Map<string, infer V> ? V : never = { m: false, params: '', name: '', lines: [] };
  for (const l of text.split(/\r?\n/)) {
    if (!l) continue;
    let m: RegExpExecArray | null;
    if (/^(MODULE|INFO CODE_ID) /.test(l)) p.head.push(l);
    else if ((m = /^FILE (\d+) (.*)$/.exec(l))) {
      ids.set(m[1], m[2]);
      p.files.add(m[2]);
    } else if ((m = /^FUNC (m )?([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(l))) {
      cur = { m: !!m[1], params: m[4], name: m[5], lines: [] };
      p.funcs.set(`${m[2]} ${m[3]}`, cur);
    } else if ((m = /^([0-9a-f]+) ([0-9a-f]+) (\d+) (\d+)$/.exec(l))) cur.lines.push([parseInt(m[1], 16), parseInt(m[2], 16), +m[3], ids.get(m[4]) ?? m[4]]);
    else if ((m = /^PUBLIC (m )?([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(l))) p.pubs.set(m[2], { m: !!m[1], params: m[3], name: m[4] });
    else if (l.startsWith('STACK ')) p.stack.set(l.trimEnd(), (p.stack.get(l.trimEnd()) ?? 0) + 1);
  }
  return p;
}

/**
 * Our line records as Mozilla writes them: hidden lines folded into the record before, same-line
 * neighbours merged, records cut at the FUNC's end.
 */
function mozillaLines(lines: [number, number, number, string][], end: number): { out: string[]; merged: number; hidden: number; clipped: number } {
  const out: [number, number, number, string][] = [];
  let merged = 0;
  let hidden = 0;
  let clipped = 0;
  for (const [a, s0, n, f] of lines) {
    const s = a + s0 > end ? end - a : s0;
    if (s !== s0) clipped++;
    const last = out[out.length - 1];
    const touches = last !== undefined && last[0] + last[1] === a;
    if (HIDDEN.has(n)) {
      hidden++;
      if (touches) last[1] += s;
    } else if (touches && last[2] === n && last[3] === f) {
      merged++;
      last[1] += s;
    } else out.push([a, s, n, f]);
  }
  return { out: out.map((x) => x.join(' ')), merged, hidden, clipped };
}

interface Tally {
  funcSame: number;
  naming: number;
  params: number;
  linesSame: number;
  mergedLines: number;
  hiddenLines: number;
  clippedLines: number;
  unusedFiles: number;
  pubSame: number;
  pubNaming: number;
  pubParams: number;
  diaOnlyPublic: number;
  unnamedPublic: number;
  mozillaOnlyPublic: number;
  stackSame: number;
  fpo: number;
  mozillaFpo: number;
  other: string[];
}

function compare(ours: Parsed, moz: Parsed, dia: Parsed): Tally {
  const t: Tally = {
    funcSame: 0,
    naming: 0,
    params: 0,
    linesSame: 0,
    mergedLines: 0,
    hiddenLines: 0,
    clippedLines: 0,
    unusedFiles: 0,
    pubSame: 0,
    pubNaming: 0,
    pubParams: 0,
    diaOnlyPublic: 0,
    unnamedPublic: 0,
    mozillaOnlyPublic: 0,
    stackSame: 0,
    fpo: 0,
    mozillaFpo: 0,
    other: [],
  };
  for (const f of moz.files) if (!ours.files.has(f)) t.other.push(`FILE only Mozilla's: ${f}`);
  for (const f of ours.files) if (!moz.files.has(f)) t.unusedFiles++;
  for (const [key, m] of moz.funcs) {
    const o = ours.funcs.get(key);
    if (!o) {
      t.other.push(`FUNC only Mozilla's: ${key} ${m.name}`);
      continue;
    }
    if (o.m !== m.m) t.other.push(`FUNC ${key}: m ${o.m} != ${m.m}`);
    if (o.params !== m.params) {
      if (dia.funcs.get(key)?.params === o.params) t.params++;
      else t.other.push(`FUNC ${key}: parameter size ${o.params} != ${m.params}, not DIA's either`);
    }
    if (o.name === m.name) t.funcSame++;
    else t.naming++;
    const [start, size] = key.split(' ').map((x) => parseInt(x, 16));
    const { out, merged, hidden, clipped } = mozillaLines(o.lines, start + size);
    const want = m.lines.map((x) => x.join(' '));
    if (out.join('\n') === want.join('\n')) {
      t.linesSame += want.length;
      t.mergedLines += merged;
      t.hiddenLines += hidden;
      t.clippedLines += clipped;
    } else t.other.push(`FUNC ${key} ${m.name}: lines ${JSON.stringify(out.slice(0, 4))} != ${JSON.stringify(want.slice(0, 4))}`);
  }
  for (const key of ours.funcs.keys()) if (!moz.funcs.has(key)) t.other.push(`FUNC only ours: ${key}`);
  for (const [at, m] of moz.pubs) {
    const o = ours.pubs.get(at);
    if (!o) {
      if (/^<unknown in /.test(m.name) && dia.pubs.get(at)?.name === '<unknown>') t.unnamedPublic++;
      else if (/^<unknown in /.test(m.name) && !dia.pubs.has(at)) t.mozillaOnlyPublic++;
      else t.other.push(`PUBLIC only Mozilla's: ${at} ${m.name}`);
      continue;
    }
    if (o.m !== m.m) t.other.push(`PUBLIC ${at}: m ${o.m} != ${m.m}`);
    if (o.params !== m.params) {
      if (dia.pubs.get(at)?.params === o.params) t.pubParams++;
      else t.other.push(`PUBLIC ${at}: parameter size ${o.params} != ${m.params}, not DIA's either`);
    }
    if (o.name === m.name) t.pubSame++;
    else t.pubNaming++;
  }
  for (const [at, o] of ours.pubs) {
    if (moz.pubs.has(at)) continue;
    const d = dia.pubs.get(at);
    if (d && d.name === o.name && d.params === o.params) t.diaOnlyPublic++;
    else t.other.push(`PUBLIC only ours, not DIA's: ${at} ${o.name}`);
  }
  for (const [l, n] of moz.stack) {
    const k = Math.min(n, ours.stack.get(l) ?? 0);
    t.stackSame += k;
    if (k === n) continue;
    // Mozilla's FPO record where DIA's has allocates_base_pointer 1.
    if (/^STACK WIN 0 .* 0 0$/.test(l) && dia.stack.has(l.replace(/ 0$/, ' 1'))) t.mozillaFpo += n - k;
    else t.other.push(`STACK only Mozilla's: ${l}`);
  }
  for (const [l, n] of ours.stack) {
    const extra = n - Math.min(n, moz.stack.get(l) ?? 0);
    if (!extra) continue;
    if (/^STACK WIN 0 /.test(l) && (dia.stack.get(l) ?? 0) >= n) t.fpo += extra;
    else t.other.push(`STACK only ours, not DIA's: ${l}`);
  }
  return t;
}

const CASES = [
  {
    name: 'basic32',
    pdb: `${MZ}/basic32.pd_`,
    image: `${MZ}/basic32.dll`,
    pin: {
      funcSame: 683,
      naming: 2389,
      params: 136,
      linesSame: 24037,
      mergedLines: 109,
      hiddenLines: 100,
      clippedLines: 13,
      unusedFiles: 314,
      pubSame: 95,
      pubNaming: 0,
      pubParams: 0,
      diaOnlyPublic: 7,
      unnamedPublic: 1,
      mozillaOnlyPublic: 0,
      stackSame: 4990,
      fpo: 68,
      mozillaFpo: 3,
    },
  },
  {
    name: 'basic32-min',
    pdb: `${MZ}/basic32-min.pdb`,
    image: `${MZ}/basic32-min.dll`,
    pin: {
      funcSame: 697,
      naming: 26,
      params: 0,
      linesSame: 0,
      mergedLines: 0,
      hiddenLines: 0,
      clippedLines: 0,
      unusedFiles: 0,
      pubSame: 934,
      pubNaming: 1517,
      pubParams: 6,
      diaOnlyPublic: 0,
      unnamedPublic: 1,
      mozillaOnlyPublic: 0,
      stackSame: 4990,
      fpo: 68,
      mozillaFpo: 3,
    },
  },
];

describeCorpus("corpus: dumpSyms vs Mozilla's dump_syms (new .sym files)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'moz-sym-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function ours(pdbRel: string, imageRel: string): Promise<string> {
    let pdb = corpusPath(pdbRel);
    if (pdb.endsWith('.pd_')) {
      const out = path.join(tmp, path.basename(pdb).replace(/_$/, 'b'));
      if (!fs.existsSync(out)) expandCab(pdb, path.basename(out), out);
      pdb = out;
    }
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (b: Buffer) => chunks.push(b));
    await dumpSyms({ pdb, image: corpusPath(imageRel), out });
    out.end();
    return Buffer.concat(chunks).toString('utf8');
  }

  test.each(CASES)('$name.sym: every difference classified, each class pinned', async (c) => {
    const o = parse(await ours(c.pdb, c.image));
    const m = parse(fs.readFileSync(corpusPath(`${MZ}/${c.name}.sym`), 'utf8'));
    const d = parse(fs.readFileSync(corpusPath(`${MZ}/${c.name}.old.sym`), 'utf8'));
    expect(o.head).toEqual(m.head);
    const t = compare(o, m, d);
    expect(t.other).toEqual([]);
    const { other, ...classes } = t;
    void other;
    expect(classes).toEqual(c.pin);
  });

  test("the naming class, by example: the same function, Mozilla's spelling and UnDecorateSymbolName 0x87FE's", async () => {
    const o = parse(await ours(`${MZ}/basic32.pd_`, `${MZ}/basic32.dll`));
    const m = parse(fs.readFileSync(corpusPath(`${MZ}/basic32.sym`), 'utf8'));
    const d = parse(fs.readFileSync(corpusPath(`${MZ}/basic32.old.sym`), 'utf8'));
    expect(m.funcs.get('6c70 12')!.name).toBe('test5(int*, unsigned int, unsigned short, double const*, const std::basic_string<char,std::char_traits<char>,std::allocator<char> >)');
    expect(o.funcs.get('6c70 12')!.name).toBe('test5(int *,unsigned int,unsigned short,double const *,std::basic_string<char,std::char_traits<char>,std::allocator<char> >)');
    // DIA's dump_syms spells it as we do.
    expect(d.funcs.get('6c70 12')!.name).toBe(o.funcs.get('6c70 12')!.name);
    // A parameter size: Mozilla's from the calling convention, DIA's (and ours) from the stack.
    expect([m.funcs.get('9b20 11')!.params, o.funcs.get('9b20 11')!.params, d.funcs.get('9b20 11')!.params]).toEqual(['4', '0', '0']);
  });
});
