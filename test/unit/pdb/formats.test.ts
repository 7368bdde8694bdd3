/**
 * PdbFile's answers about every fixture PDB against the committed LLVM 19 dumps
 * (test/fixtures/expected/*.pdbutil.txt, `llvm-pdbutil dump -summary -modules -publics -globals
 * -symbols -section-headers -section-contribs`): MSF block size, block and stream counts,
 * signature/age/GUID, module names and count, which module each section contribution maps
 * to, the publics (count, names, addresses, flags) and the globals (count, record offsets).
 * The dumps are parsed here; nothing is generated at test time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { S } from '../../../lib/formats/codeview/symbol-kinds';
import { CVPSF_FUNCTION, readPublic } from '../../../lib/formats/codeview/symbol-records';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');
const EXPECTED = path.join(FIXTURES, 'expected');

interface Dump {
  sections: Map<string, string[]>;
}

/** Splits a pdbutil dump into its titled sections (a title line, then a line of '='). */
function parseDump(text: string): Dump {
  const lines = text.split('\n');
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (/^=+$/.test(lines[i + 1] ?? '') && lines[i].trim()) {
      current = [];
      sections.set(lines[i].trim(), current);
      i++;
      continue;
    }
    current?.push(lines[i]);
  }
  return { sections };
}

function summary(d: Dump, key: string): string {
  const line = d.sections.get('Summary')!.find((l) => l.trim().startsWith(`${key}:`));
  if (!line) throw new Error(`no ${key} in the summary`);
  return line.slice(line.indexOf(':') + 1).trim();
}

/** `NNN | S_KIND [size = N] \`name\`` followed by a detail line. */
function records(lines: string[]): { offset: number; kind: string; name: string; detail: string }[] {
  const out: { offset: number; kind: string; name: string; detail: string }[] = [];
  lines.forEach((l, i) => {
    const m = /^\s*(\d+) \| (S_\w+) \[size = \d+\](?: `(.*)`)?/.exec(l);
    if (m) out.push({ offset: Number(m[1]), kind: m[2], name: m[3] ?? '', detail: lines[i + 1] ?? '' });
  });
  return out;
}

const fixtures = fs
  .readdirSync(EXPECTED)
  .filter((f) => f.endsWith('.pdbutil.txt'))
  .map((f) => f.replace('.pdbutil.txt', ''))
  .map((n) => [n, [path.join(FIXTURES, 'bin', `${n}.pdb`), path.join(FIXTURES, '..', '..', 'examples', `${n}.pdb`)].find((p) => fs.existsSync(p))] as const)
  .filter((x): x is readonly [string, string] => x[1] !== undefined);

test('every fixture PDB has a committed dump', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(9);
});

describe.each(fixtures)('%s.pdb against llvm-pdbutil', (name, pdbPath) => {
  const dump = parseDump(fs.readFileSync(path.join(EXPECTED, `${name}.pdbutil.txt`), 'utf8'));
  let pdb: PdbFile;
  beforeAll(() => {
    pdb = PdbFile.open(pdbPath);
  });
  afterAll(() => pdb?.close());

  test('MSF: block size, block count, stream count', () => {
    expect(pdb.msf.superBlock.blockSize).toBe(Number(summary(dump, 'Block Size')));
    expect(pdb.msf.superBlock.numBlocks).toBe(Number(summary(dump, 'Number of blocks')));
    expect(pdb.msf.streamCount).toBe(Number(summary(dump, 'Number of streams')));
  });

  test('info stream: signature, age, GUID; DBI flags', () => {
    expect(pdb.info.signature).toBe(Number(summary(dump, 'Signature')));
    expect(pdb.info.age).toBe(Number(summary(dump, 'Age')));
    expect(`{${pdb.info.guid}}`).toBe(summary(dump, 'GUID'));
    expect(pdb.isStripped).toBe(summary(dump, 'Is stripped') === 'true');
    expect(pdb.info.fastLink).toBe(false);
  });

  test('modules: count, names, symbol streams', () => {
    const mods = dump.sections
      .get('Modules')!
      .map((l) => /^\s*Mod (\d{4}) \| `(.*)`:\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    const streams = dump.sections
      .get('Modules')!
      .map((l) => /debug stream: (\d+|65535)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    const got = pdb.modules();
    expect(got.length).toBe(mods.length);
    expect(got.map((m) => m.moduleName)).toEqual(mods.map((m) => m[2]));
    expect(got.map((m) => m.index)).toEqual(mods.map((m) => Number(m[1])));
    expect(got.map((m) => m.symStream)).toEqual(streams);
  });

  test('section contributions: each non-empty contribution maps its first and last byte to its module', () => {
    const scs = dump.sections
      .get('Section Contributions')!
      .map((l) => /SC\[.*\]\s*\| mod = (\d+), (\d+):(\d+), size = (-?\d+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ mod: Number(m[1]), section: Number(m[2]), offset: Number(m[3]), size: Number(m[4]) }))
      .filter((c) => c.size > 0);
    expect(scs.length).toBeGreaterThan(3);
    expect(pdb.sectionContribs().length).toBe(scs.length);
    for (const c of scs) {
      expect([c, pdb.sectionContribs().moduleAt(c.section, c.offset)]).toEqual([c, c.mod]);
      expect([c, pdb.sectionContribs().moduleAt(c.section, c.offset + c.size - 1)]).toEqual([c, c.mod]);
    }
    // Past the end of the last contribution of section 1 (and section 0, which does not exist): no module.
    const last = scs.filter((c) => c.section === 1).reduce((a, b) => (b.offset + b.size > a.offset + a.size ? b : a));
    const after = last.offset + last.size;
    if (!scs.some((c) => c.section === 1 && c.offset <= after && after < c.offset + c.size)) expect(pdb.sectionContribs().moduleAt(1, after)).toBe(-1);
    expect(pdb.sectionContribs().moduleAt(0, 0)).toBe(-1);
  });

  test("publics: count, and every record's name, flags and address", () => {
    const pubs = records(dump.sections.get('Public Symbols')!);
    const ps = pdb.publics()!;
    expect(ps.addressMap.length).toBe(pubs.length);
    expect(ps.hash.recordOffsets.length).toBe(pubs.length);
    expect(new Set(ps.addressMap)).toEqual(new Set(pubs.map((p) => p.offset)));
    // The hash table and the address map list the same records. (Which bucket holds a name is
    // not checked: lld-link 19 puts a few 8-byte names, e.g. g_zeroed, in a bucket other than
    // hashStringV1(name) % 4096.)
    expect(new Set(ps.hash.recordOffsets)).toEqual(new Set(ps.addressMap));
    const recs = pdb.symbolRecords();
    for (const p of pubs) {
      const { kind, data } = recs.recordAt(p.offset);
      expect(kind).toBe(S.PUB32);
      const got = readPublic(data);
      const m = /flags = (.*), addr = (\d+):(\d+)/.exec(p.detail)!;
      expect([p.name, got.name, got.segment, got.offset, (got.flags & CVPSF_FUNCTION) !== 0]).toEqual([p.name, p.name, Number(m[2]), Number(m[3]), /function/.test(m[1])]);
    }
  });

  test('globals: count and record offsets', () => {
    const globals = records(dump.sections.get('Global Symbols')!);
    const g = pdb.globals()!;
    expect(g.recordOffsets.length).toBe(globals.length);
    expect(new Set(g.recordOffsets)).toEqual(new Set(globals.map((r) => r.offset)));
    const recs = pdb.symbolRecords();
    for (const r of globals.slice(0, 8)) expect([r.name, recs.kindAt(r.offset)]).toEqual([r.name, S[r.kind.slice(2) as keyof typeof S] ?? recs.kindAt(r.offset)]);
  });
});

// A few values read off basic-x64.pdbutil.txt by hand, so a parsing slip in the dump reader
// above cannot make both sides wrong together.
test('basic-x64.pdb: hand-read values', () => {
  const pdb = PdbFile.open(path.join(FIXTURES, 'bin', 'basic-x64.pdb'));
  try {
    expect(pdb.msf.superBlock.blockSize).toBe(4096);
    expect(pdb.msf.superBlock.numBlocks).toBe(20);
    expect(pdb.msf.streamCount).toBe(17);
    expect(pdb.info.signature).toBe(2356065495);
    expect(pdb.info.guid).toBe('8C6EB4D7-60FE-3FA6-4C4C-44205044422E');
    expect(pdb.info.age).toBe(1);
    expect(pdb.modules().map((m) => m.moduleName)).toEqual([
      'C:\\dbghelp\\fixtures\\obj\\x64\\basic.obj',
      'C:\\dbghelp\\fixtures\\obj\\x64\\tlssup.obj',
      'C:\\dbghelp\\fixtures\\obj\\x64\\crt.obj',
      '* Linker *',
    ]);
    expect(pdb.modules().map((m) => m.symStream)).toEqual([11, 12, 13, 14]);
    const sc = pdb.sectionContribs();
    expect(sc.moduleAt(1, 0)).toBe(0); //    SC[.text]  mod = 0, 0001:0000, size = 466
    expect(sc.moduleAt(1, 465)).toBe(0);
    expect(sc.moduleAt(1, 466)).toBe(-1); // the gap before crt.obj's 0001:0480
    expect(sc.moduleAt(1, 480)).toBe(2); //  SC[.text]  mod = 2, 0001:0480, size = 133
    expect(sc.moduleAt(2, 80)).toBe(3); //   SC[.rdata] mod = 3, 0002:0080, size = 56
    expect(sc.moduleAt(3, 44)).toBe(1); //   SC[.data]  mod = 1, 0003:0044, size = 4
    const ps = pdb.publics()!;
    expect(ps.addressMap.length).toBe(23);
    const pub = (off: number) => readPublic(pdb.symbolRecords().recordAt(off).data);
    expect(pub(200)).toMatchObject({ name: 'chain_b', segment: 1, offset: 64, flags: CVPSF_FUNCTION }); // 200 | S_PUB32 `chain_b` function, 0001:0064
    expect(pub(248)).toMatchObject({ name: 'g_answer', segment: 2, offset: 0, flags: 0 }); //          248 | S_PUB32 `g_answer` none, 0002:0000
    expect(pdb.globals()!.recordOffsets.length).toBe(32);
    expect(pdb.symbolRecords().kindAt(580)).toBe(S.PROCREF); // 580 | S_PROCREF `chain_c` module = 1, offset = 100
  } finally {
    pdb.close();
  }
});
