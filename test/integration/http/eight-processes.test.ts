/**
 * Eight processes ask for the same missing PDB at once through `srv*<cache>*http://127.0.0.1`:
 * the server sees one download, and all eight load the PDB (the writer's lock file makes the
 * others wait for the first one's checked rename, then use its file).
 *
 * The server sends the PDB slowly (about half a second) so that every process asks while the
 * one download is still running; the test checks that they did.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler, SymType } from '../../../lib';
import { compiledLib } from './helpers/compiled-lib';
import { FaultServer } from './helpers/fault-server';
import { filesUnder, imageFixture, pdbFixture, sha, tempDir } from './helpers/fixture';

const N = 8;
/** A file-local function: in the PDB's private symbols, not in any export table. */
const SYMBOL = 'file_local_square';
const PDB = pdbFixture('basic-x64.pdb');
const IMG = imageFixture('basic-x64.exe');
const FILE = `/sym/${PDB.name}/${PDB.key}/${PDB.name}`;
const IN_CACHE = `${PDB.name}/${PDB.key}/${PDB.name}`;

interface ChildResult {
  pid: number;
  started: number;
  ended: number;
  symType: number;
  pdb: string;
  symbol: { name: string; address: string } | null;
  lines: string[];
  error?: string;
}

let server: FaultServer;
let tmp: string;
let libDir: string;

beforeAll(async () => {
  libDir = compiledLib();
  server = await FaultServer.start();
  tmp = tempDir('http-8proc');
});
afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function waitForLine(child: ChildProcess, want: (l: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (want(line)) {
          child.stdout!.off('data', onData);
          resolve(line);
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before the expected line; stderr: ${stderrOf.get(child) ?? ''}`)));
  });
}
const stderrOf = new Map<ChildProcess, string>();

test(`${N} processes, one missing PDB: one download, ${N} loads`, async () => {
  let downloadStart = 0;
  let downloadEnd = 0;
  server.on(FILE, (_req, res) => {
    downloadStart = Date.now();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': PDB.bytes.length });
    const chunk = Math.ceil(PDB.bytes.length / 10);
    let at = 0;
    const next = () => {
      if (res.destroyed) return;
      res.write(PDB.bytes.subarray(at, at + chunk));
      at += chunk;
      if (at < PDB.bytes.length) server.later(50, next);
      else res.end(() => (downloadEnd = Date.now()));
    };
    next();
  });

  const imgDir = path.join(tmp, 'img');
  fs.mkdirSync(imgDir);
  fs.copyFileSync(IMG.path, path.join(imgDir, IMG.name));
  const cache = path.join(tmp, 'cache');
  const searchPath = `srv*${cache}*${server.url}/sym`;
  const runner = path.join(__dirname, 'helpers', 'load-child.js');

  const t0 = Date.now();
  const children = Array.from({ length: N }, () => {
    const c = spawn(process.execPath, [runner, libDir, searchPath, path.join(imgDir, IMG.name), path.join(tmp, 'home'), SYMBOL], { stdio: ['pipe', 'pipe', 'pipe'] });
    stderrOf.set(c, '');
    c.stderr!.on('data', (d) => stderrOf.set(c, stderrOf.get(c) + d.toString()));
    return c;
  });
  await Promise.all(children.map((c) => waitForLine(c, (l) => l === 'ready')));
  const ready = Date.now();
  const results = children.map((c) => waitForLine(c, (l) => l.startsWith('{')).then((l) => JSON.parse(l) as ChildResult));
  for (const c of children) c.stdin!.write('go\n');
  const got = await Promise.all(results);
  const exits = await Promise.all(children.map((c) => (c.exitCode !== null ? c.exitCode : new Promise<number | null>((r) => c.once('exit', r)))));
  const done = Date.now();

  // Every process asked while the one download was running, and none failed.
  for (const r of got) expect(r.error).toBeUndefined();
  expect(exits).toEqual(Array(N).fill(0));
  expect(downloadEnd).toBeGreaterThan(0);
  for (const r of got) expect(r.started).toBeLessThan(downloadEnd);

  // One download.
  expect(server.count(FILE)).toBe(1);
  expect(got.filter((r) => r.lines.some((l) => / bytes - copied$/.test(l) && l.includes(server.url)))).toHaveLength(1);

  // All eight loaded the PDB from the cache and found the same private function in it.
  const parent = SymbolHandler.initialize({ searchPath: '' });
  let want: string;
  try {
    await parent.loadModule(IMG.path, { pdbPath: PDB.path });
    want = parent.fromName(SYMBOL)!.address.toString(16);
  } finally {
    parent.cleanup();
  }
  for (const r of got) {
    expect(r.symType).toBe(SymType.Pdb);
    expect(path.resolve(r.pdb)).toBe(path.join(cache, IN_CACHE));
    expect(r.symbol).toEqual({ name: SYMBOL, address: want });
  }

  // The cache holds the file, whole, and nothing else (no lock, no temporary).
  expect(filesUnder(cache)).toEqual([IN_CACHE]);
  expect(sha(fs.readFileSync(path.join(cache, IN_CACHE)))).toBe(sha(PDB.bytes));

  // For the report: how long things took.
  console.log(
    `${N} processes: spawn+ready ${ready - t0} ms, go→all loaded ${done - ready} ms; ` +
      `download ${downloadEnd - downloadStart} ms; requests for the PDB: ${server.count(FILE)}; all requests: ${server.log.length} (${[...server.counts].map(([p, n]) => `${path.basename(p)}×${n}`).join(', ')})`,
  );
});
