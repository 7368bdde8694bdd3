/**
 * `dbghelp symbolicate` (the built bin) and the library's symbolicate(): a Mozilla symbolication
 * API v5 request over three corpus modules, one of them missing, at RVAs Microsoft dbghelp.dll
 * was asked about (corpus oracle *.dbghelp-10.0.19041.685.jsonl).
 * Each frame must be what `dbghelp symbolize --image X --rva --inlines` answers for the image
 * (the PDB found by debug id alone gives the same function, offset, line and inline frames),
 * and its function offset Microsoft's. Which of several symbols at one address is named (ICF
 * aliases: std::bad_alloc / std::bad_array_new_length) is the engine's symbol-choice rule,
 * checked against the oracle by test/corpus, not here.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { symbolicate, type SymbolicationResponse } from '../../lib';
import { corpusPath, describeCorpus } from '../helpers/corpus';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dbghelp.js');

interface OracleRow {
  rva: string;
  sym?: { name: string; disp: number };
  line?: { file: string; line: number };
  inlines: { name?: string; file?: string; line?: number }[];
}

function oracle(rel: string): OracleRow[] {
  return fs
    .readFileSync(corpusPath(`oracle/${rel}`), 'utf8')
    .trim()
    .split('\n')
    .slice(2)
    .map((l) => JSON.parse(l) as OracleRow);
}

const CRASH_DIR = 'getsentry_symbolic/symbolic-testutils/fixtures/windows';
const SOFTOKN_DIR = 'mstange_samply/fixtures/win64-ci';
const CRASH_ID = '3249D99D0C4049318610F4E4FB0B69361';
const SOFTOKN_ID = 'CCF79D6C6BA5FBBF4C4C44205044422E1';
const MISSING_ID = '44E4EC8C2F41492B9369D6B9A059577C2';

describeCorpus('dbghelp symbolicate: Mozilla symbolication API v5', () => {
  // Every 7th address the oracle asked about, in each module.
  const crash = oracle(`${CRASH_DIR}/crash.exe.dbghelp-10.0.19041.685.jsonl`).filter((_, i) => i % 7 === 0);
  const softokn = oracle(`${SOFTOKN_DIR}/softokn3.dll.dbghelp-10.0.19041.685.jsonl`).filter((_, i) => i % 7 === 0);
  const request = {
    jobs: [
      {
        memoryMap: [
          ['crash.pdb', CRASH_ID],
          ['softokn3.pdb', SOFTOKN_ID],
          ['xul.pdb', MISSING_ID],
        ],
        stacks: [crash.map((r) => [0, parseInt(r.rva, 16)]), [...softokn.map((r) => [1, parseInt(r.rva, 16)]), [2, 0x1010a], [-1, 0x1234]]],
      },
    ],
  };
  const searchPath = [corpusPath(CRASH_DIR), corpusPath(SOFTOKN_DIR)].join(';');
  type Row = { symbol: string | null; displacement: number; file?: string; line?: number; inlines: { symbol: string; file?: string; line?: number }[] };
  const engine: Record<string, Row[]> = {};
  beforeAll(() => {
    for (const [module, image, rows] of [
      ['crash.pdb', corpusPath(`${CRASH_DIR}/crash.exe`), crash],
      ['softokn3.pdb', corpusPath(`${SOFTOKN_DIR}/softokn3.dll`), softokn],
    ] as const) {
      const p = spawnSync(process.execPath, [BIN, 'symbolize', '--image', image, '--rva', '--json', '--inlines', '--symbol-path', ''], { input: rows.map((r) => r.rva).join('\n'), encoding: 'utf8' });
      engine[module] = p.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Row);
      expect(engine[module]).toHaveLength(rows.length);
    }
  });

  function check(res: SymbolicationResponse): void {
    expect(res.results).toHaveLength(1);
    const r = res.results[0];
    expect(r.found_modules).toEqual({ [`crash.pdb/${CRASH_ID}`]: true, [`softokn3.pdb/${SOFTOKN_ID}`]: true, [`xul.pdb/${MISSING_ID}`]: false });
    expect(r.module_errors).toEqual({ [`xul.pdb/${MISSING_ID}`]: [{ name: 'symbols-missing', message: expect.stringContaining(`xul.pdb ${MISSING_ID} not found`) }] });
    expect(r.module_status[`crash.pdb/${CRASH_ID}`]).toMatchObject({ kind: 'loaded', source: 'pdb', symbolFile: path.join(corpusPath(CRASH_DIR), 'crash.pdb') });
    const rows: [string, OracleRow[], number][] = [
      ['crash.pdb', crash, 0],
      ['softokn3.pdb', softokn, 1],
    ];
    for (const [module, expected, stack] of rows) {
      expect(r.stacks[stack].length).toBeGreaterThanOrEqual(expected.length);
      expected.forEach((o, i) => {
        const f = r.stacks[stack][i];
        const s = engine[module][i];
        const want: Record<string, unknown> = { frame: i, module, module_offset: `0x${parseInt(o.rva, 16).toString(16)}` };
        if (s.symbol !== null) Object.assign(want, { function: s.symbol, function_offset: `0x${s.displacement.toString(16)}` });
        if (s.file !== undefined) Object.assign(want, { file: s.file, line: s.line });
        expect(f).toMatchObject(want);
        if (s.symbol === null) expect(f.function).toBeUndefined();
        if (s.file === undefined) expect(f.file).toBeUndefined();
        expect(f.inlines ?? []).toEqual(s.inlines.map((x) => ({ function: x.symbol, ...(x.file !== undefined ? { file: x.file, line: x.line } : {}) })));
        if (o.sym) expect(f.function_offset).toBe(`0x${o.sym.disp.toString(16)}`);
        else expect(f.function).toBeUndefined();
      });
    }
    const tail = r.stacks[1].slice(softokn.length);
    expect(tail).toEqual([
      { frame: softokn.length, module_offset: '0x1010a', module: 'xul.pdb' },
      { frame: softokn.length + 1, module_offset: '0x1234', module: '<unknown>' },
    ]);
  }

  test('the library call answers every frame; the missing module is found_modules false', async () => {
    check(await symbolicate(request as never, { searchPath }));
  });

  test('each module is looked for once, however many jobs and frames name it', async () => {
    const lines: string[] = [];
    const nowhere = path.join(ROOT, 'no-such-dir');
    const job = {
      memoryMap: [
        ['crash.pdb', CRASH_ID],
        ['xul.pdb', MISSING_ID],
      ],
      stacks: [
        [
          [0, 0x1000],
          [1, 0x10],
          [0, 0x1004],
        ],
      ],
    };
    const res = await symbolicate({ jobs: [job, job] } as never, { searchPath: `${nowhere};${corpusPath(CRASH_DIR)}`, onDebug: (l) => lines.push(l) });
    expect(lines.filter((l) => l.includes(nowhere))).toEqual([`DBGHELP: ${path.join(nowhere, 'crash.pdb')} - file not found`, `DBGHELP: ${path.join(nowhere, 'xul.pdb')} - file not found`]);
    expect(res.results.map((r) => r.stacks[0].map((f) => f.function ?? null))).toEqual([
      ['google_breakpad::CrashGenerationClient::RequestDump', null, 'google_breakpad::CrashGenerationClient::RequestDump'],
      ['google_breakpad::CrashGenerationClient::RequestDump', null, 'google_breakpad::CrashGenerationClient::RequestDump'],
    ]);
  });

  test('the bin reads the request on stdin, answers on stdout, warns once on stderr, exits 1', () => {
    const p = spawnSync(process.execPath, [BIN, 'symbolicate', '--symbol-path', searchPath], { input: JSON.stringify(request), encoding: 'utf8' });
    expect(p.stderr).toBe(`dbghelp: warning: xul.pdb: symbols xul.pdb ${MISSING_ID} not found (searched 2 places)\n`);
    expect(p.status).toBe(1);
    check(JSON.parse(p.stdout));
  });

  test('a malformed request is exit 2 with one line', () => {
    const p = spawnSync(process.execPath, [BIN, 'symbolicate'], { input: '{"jobs":[{"memoryMap":[["a.pdb"]],"stacks":[]}]}', encoding: 'utf8' });
    expect(p.status).toBe(2);
    expect(p.stderr).toBe('dbghelp: symbolication request: job 0 memoryMap[0] must be [debugName, debugId] [INVALID_PARAMETER]\n');
    const notJson = spawnSync(process.execPath, [BIN, 'symbolicate'], { input: '{', encoding: 'utf8' });
    expect(notJson.status).toBe(2);
    expect(notJson.stderr.trim().split('\n')).toHaveLength(1);
  });
});
