/**
 * `dbghelp cache list|clear` and `--no-miss-cache` on the built bin (`npm run build` first),
 * against a loopback symbol server: a download lands in `<home>/sym`, a 404 is remembered in
 * `<home>/sym/.dbghelp/misses.jsonl` and not asked again, unless `--no-miss-cache`; `clear`
 * forgets the misses, `clear --all` deletes the files too.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dbghelp.js');
const PDB = path.join(ROOT, 'test', 'fixtures', 'bin', 'basic-x64.pdb');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

let server: http.Server;
let url: string;
const hits: string[] = [];
let home: string;
let key: string;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-cli-'));
  const info = await run(['info', PDB, '--json'], {});
  key = JSON.parse(info.out).debugId;
  server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(p);
    if (p === `/basic-x64.pdb/${key}/basic-x64.pdb`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      fs.createReadStream(PDB).pipe(res);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  fs.rmSync(home, { recursive: true, force: true });
});

const MISSING = '0123456789ABCDEF0123456789ABCDEF1';
const env = () => ({ DBGHELP_HOMEDIR: home, _NT_SYMBOL_PATH: '' });
const find = (id: string, extra: string[] = []) => run(['find', '--pdb-name', id === MISSING ? 'gone.pdb' : 'basic-x64.pdb', '--debug-id', id, '--symbol-path', `srv**${url}`, ...extra], env());

test('list shows the downloaded file and the remembered miss; --no-miss-cache asks again; clear forgets', async () => {
  expect((await find(key)).code).toBe(0);
  expect((await find(MISSING)).code).toBe(1);
  const missPath = `/gone.pdb/${MISSING}/gone.pdb`;
  const asked = () => hits.filter((h) => h === missPath).length;
  const first = asked();
  expect(first).toBeGreaterThan(0);
  expect((await find(MISSING)).code).toBe(1);
  expect(asked()).toBe(first); // remembered: not asked again

  const list = JSON.parse((await run(['cache', 'list', '--json'], env())).out);
  expect(list.store).toBe(path.join(home, 'sym'));
  expect(list.files).toEqual([expect.objectContaining({ name: 'basic-x64.pdb', key, file: 'basic-x64.pdb', size: fs.statSync(PDB).size })]);
  expect(list.misses.map((m: { url: string; status: number }) => [m.url, m.status])).toContainEqual([`${url}${missPath}`, 404]);
  expect((await run(['cache', 'list'], env())).out).toMatch(/1 file, \d+ bytes; [1-9]\d* remembered miss/);

  expect((await find(MISSING, ['--no-miss-cache'])).code).toBe(1);
  expect(asked()).toBeGreaterThan(first); // --no-miss-cache: asked again

  expect((await run(['cache', 'clear'], env())).code).toBe(0);
  const cleared = JSON.parse((await run(['cache', 'list', '--json'], env())).out);
  expect(cleared.misses).toEqual([]);
  expect(cleared.files).toHaveLength(1);
  const before = asked();
  await find(MISSING);
  expect(asked()).toBeGreaterThan(before); // forgotten: asked again

  expect((await run(['cache', 'clear', '--all'], env())).out).toContain('1 file deleted');
  expect(JSON.parse((await run(['cache', 'list', '--json'], env())).out).files).toEqual([]);
});

test('usage errors are one line', async () => {
  const r = await run(['cache', 'purge'], env());
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
});
