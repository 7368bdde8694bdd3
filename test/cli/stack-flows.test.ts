/**
 * The README's two crash flows, as a user types them, on the built bin (`npm run build` first):
 * - crash server: publish the app's image and PDB into a directory store (`dbghelp store add`),
 *   then `dbghelp stack CRASH.dmp --symbol-path 'srv*CACHE*STORE'`;
 * - Electron app: symbols on an HTTP symbol server (a loopback server standing in for
 *   https://symbols.electronjs.org or Microsoft's), `--symbol-path 'srv*CACHE*http://...'`; the
 *   second run works from the cache with the server gone.
 * The dump is the project's own inline.dmp (test/fixtures/dumps): Wine wrote it without CodeView
 * records, so the image is found by its TimeDateStamp+SizeOfImage key and names its PDB.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dbghelp.js');
const DUMPS = path.join(ROOT, 'test', 'fixtures', 'dumps');
const DUMP = path.join(DUMPS, 'inline.dmp');

function runAsync(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args]);
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

let tmp: string;
let store: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-flows-'));
  store = path.join(tmp, 'store');
  const add = spawnSync(process.execPath, [BIN, 'store', 'add', path.join(DUMPS, 'bin', 'crashes-x64.exe'), path.join(DUMPS, 'bin', 'crashes-x64.pdb'), '--store', store], { encoding: 'utf8' });
  expect(add.status).toBe(0);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CHAIN = [
  ' 0  crashes-x64.exe!inline_inner',
  ' 0  crashes-x64.exe!inline_mid',
  ' 0  crashes-x64.exe!inline_outer',
  ' 1  crashes-x64.exe!scenario_inline',
  ' 2  crashes-x64.exe!run_scenario',
  ' 3  crashes-x64.exe!main',
];

function expectChain(out: string): void {
  const frames = out.split('\n').filter((l) => /^ *\d+ {2}/.test(l));
  for (const c of CHAIN) expect(frames.some((l) => l.startsWith(c))).toBe(true);
}

test('crash server: a directory store plus a cache', async () => {
  const cache = path.join(tmp, 'cache-dir');
  const r = await runAsync(['stack', DUMP, '--symbol-path', `srv*${cache}*${store}`]);
  expectChain(r.out);
  expect(r.out).toContain('Crash reason:  EXCEPTION_ACCESS_VIOLATION_WRITE');
  // The image and PDB were copied into the cache, in the store layout.
  expect(fs.readdirSync(cache).sort()).toEqual(expect.arrayContaining(['crashes-x64.exe', 'crashes-x64.pdb']));
  // Modules without symbols are warned about, one line each, saying why.
  expect(r.err).toMatch(/^dbghelp: warning: ntdll\.dll: image ntdll\.dll \S+ not found/m);
  expect(r.code).toBe(1); // the crashing thread passes through kernel32, which has no symbols
});

test('Electron app: an HTTP symbol server, then the cache alone', async () => {
  const server = http.createServer((req, res) => {
    const file = path.join(store, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (file.startsWith(store) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cache = path.join(tmp, 'cache-http');
  const home = ['--symbol-path', `srv*${cache}*${url}`];
  try {
    const first = await runAsync(['stack', DUMP, ...home, '--json']);
    const j = JSON.parse(first.out);
    const frames = j.crashing_thread.frames as { function: string | null; inlines: { function: string }[] }[];
    expect(frames[0].function).toBe('inline_outer');
    expect(frames[0].inlines.map((i) => i.function)).toEqual(['inline_inner', 'inline_mid']);
    const mod = (j.modules as { filename: string; loaded_symbols: boolean; symbol_status: { kind: string } }[]).find((m) => m.filename === 'crashes-x64.exe')!;
    expect(mod).toMatchObject({ loaded_symbols: true, symbol_status: { kind: 'loaded' } });
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  // The server is gone: the cache answers.
  const again = await runAsync(['stack', DUMP, ...home]);
  expectChain(again.out);
});

test("README's first command: the bundled example dump", async () => {
  const ex = path.join(ROOT, 'examples', 'crash');
  const r = await runAsync(['stack', path.join(ex, 'crash.dmp'), '--symbol-path', ex]);
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('Crash reason:  EXCEPTION_ACCESS_VIOLATION_WRITE'), readme.indexOf('```', readme.indexOf('Crash reason:  EXCEPTION_ACCESS_VIOLATION_WRITE')));
  // Every line the README shows (but its "..." elisions) is in the output, in order.
  let at = 0;
  for (const l of block.split('\n').filter((x) => x && x !== '...')) {
    const i = r.out.indexOf(l + '\n', at);
    expect(i).toBeGreaterThanOrEqual(0);
    at = i + l.length;
  }
});
