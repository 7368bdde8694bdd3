/**
 * The whole chain, as a user runs it: SymbolHandler.loadModule(image) with the search path
 * `srv*<cache>*http://127.0.0.1:<port>/sym`, against a loopback server that misbehaves.
 *
 * After every fault the downstream store (the cache) holds either the right PDB (the fixture's
 * bytes exactly, at `basic-x64.pdb/<KEY>/basic-x64.pdb`) or nothing at all: no partial file,
 * no temporary, no lock. The module then loads with private symbols, or falls back to exports.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler, SymOpt, SymType } from '../../../lib';
import { writeCab } from '../../../lib/formats/cab';
import { breakers, closeSharedAgents, setHttpStoreDefaults } from '../../../lib/symsrv/http';
import { forgetLayouts } from '../../../lib/symsrv/http/http-store';
import type { SymbolFileProgress } from '../../../lib/api/types';
import { FaultServer, filePtr, largerThanAnnounced, loginPage, resetMidBody, sequence, serve, stall, status, truncated } from './helpers/fault-server';
import { filesUnder, imageFixture, pdbFixture, sha, tempDir } from './helpers/fixture';

const PDB = pdbFixture('basic-x64.pdb');
const IMG = imageFixture('basic-x64.exe');
const FILE = `/sym/${PDB.name}/${PDB.key}/${PDB.name}`;
const PD_ = `/sym/${PDB.name}/${PDB.key}/basic-x64.pd_`;
const PTR = `/sym/${PDB.name}/${PDB.key}/file.ptr`;
const IN_CACHE = `${PDB.name}/${PDB.key}/${PDB.name}`;

let server: FaultServer;
let tmp: string;
let clock = 1_700_000_000_000;

beforeAll(async () => {
  server = await FaultServer.start();
});
afterAll(async () => {
  setHttpStoreDefaults({});
  closeSharedAgents();
  await server.close();
});
beforeEach(() => {
  server.reset();
  forgetLayouts();
  breakers.reset();
  tmp = tempDir('http-load');
  fs.mkdirSync(path.join(tmp, 'img'));
  fs.copyFileSync(IMG.path, path.join(tmp, 'img', IMG.name)); // alone: the image's directory holds no PDB
  setHttpStoreDefaults({ connectTimeoutMs: 1000, idleTimeoutMs: 250, retries: 1, retryBaseMs: 10, retryMaxMs: 20, now: () => clock });
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Load {
  symType: number;
  pdb: string;
  lines: string[];
  progress: SymbolFileProgress[];
  cache: string[];
}

async function load(searchPath = `srv*${path.join(tmp, 'cache')}*${server.url}/sym`): Promise<Load> {
  const sym = SymbolHandler.initialize({ searchPath });
  const lines: string[] = [];
  const progress: SymbolFileProgress[] = [];
  try {
    sym.setOptions(sym.getOptions() | SymOpt.DEBUG);
    sym.setHomeDirectory(path.join(tmp, 'home'));
    sym.on('debug', (l) => lines.push(l));
    const base = await sym.loadModule(path.join(tmp, 'img', IMG.name), { onProgress: (p) => progress.push(p) });
    const info = sym.getModuleInfo(base)!;
    return { symType: info.symType, pdb: info.loadedPdbName, lines, progress, cache: filesUnder(path.join(tmp, 'cache')) };
  } finally {
    sym.cleanup();
  }
}

/** The right file, whole, in the cache, and the module loaded from it. */
function expectLoaded(r: Load): void {
  expect(r.cache).toEqual([IN_CACHE]);
  expect(sha(fs.readFileSync(path.join(tmp, 'cache', IN_CACHE)))).toBe(sha(PDB.bytes));
  expect(r.symType).toBe(SymType.Pdb);
  expect(path.resolve(r.pdb)).toBe(path.join(tmp, 'cache', IN_CACHE));
}

/** Nothing in the cache, and the module fell back to its exports. */
function expectNothing(r: Load): void {
  expect(r.cache).toEqual([]);
  expect(r.symType).not.toBe(SymType.Pdb);
}

describe('loadModule through srv*cache*http: faults leave the right file or nothing', () => {
  test('200: downloaded once into the cache, loaded from there, with progress; the next load asks nothing', async () => {
    server.on(FILE, serve(PDB.bytes));
    const r = await load();
    expectLoaded(r);
    expect(server.count(FILE)).toBe(1);
    expect(r.progress[r.progress.length - 1]).toEqual({ bytes: PDB.bytes.length, total: PDB.bytes.length, from: `${server.url}${FILE}` });
    expect(r.lines).toEqual(
      expect.arrayContaining([`SYMSRV:  HTTPGET: ${FILE}`, 'SYMSRV:  HttpQueryInfo: 801900c8 - HTTP_STATUS_OK', `SYMSRV:  ${PDB.name} from ${server.url}/sym: ${PDB.bytes.length} bytes - copied`]),
    );
    const again = await load();
    expectLoaded(again);
    expect(server.log.filter((p) => p !== '/sym/index2.txt')).toEqual([FILE]);
  });

  test('connection reset mid-body, then 200: the whole file', async () => {
    server.on(FILE, sequence(resetMidBody(PDB.bytes, 20_000), serve(PDB.bytes)));
    expectLoaded(await load());
    expect(server.count(FILE)).toBe(2);
  });

  test('connection reset every time: nothing', async () => {
    server.on(FILE, resetMidBody(PDB.bytes, 20_000));
    expectNothing(await load());
  });

  test('5xx: 500 then 200 gives the file; 503 every time gives nothing', async () => {
    server.on(FILE, sequence(status(500), serve(PDB.bytes)));
    expectLoaded(await load());
    fs.rmSync(path.join(tmp, 'cache'), { recursive: true });
    server.reset();
    server.on(FILE, status(503));
    expectNothing(await load());
  });

  test('404 then 200: nothing, then nothing without asking (negative cache), then after expiry the file', async () => {
    server.on(FILE, sequence(status(404), serve(PDB.bytes)));
    expectNothing(await load());
    expect(server.count(FILE)).toBe(1);
    expectNothing(await load());
    expect(server.count(FILE)).toBe(1);
    clock += 2 * 60 * 60_000;
    expectLoaded(await load());
    expect(server.count(FILE)).toBe(2);
  });

  test('truncated body (true Content-Length) every time: nothing', async () => {
    server.on(FILE, truncated(PDB.bytes, 9000, 'full'));
    expectNothing(await load());
  });

  test('truncated body under a lying Content-Length: the GUID/age check refuses it, nothing', async () => {
    server.on(FILE, truncated(PDB.bytes, 9000, 'cut'));
    const r = await load();
    expectNothing(r);
    expect(server.count(FILE)).toBe(1);
  });

  test('a body far larger than announced: nothing', async () => {
    server.on(FILE, largerThanAnnounced(PDB.bytes, 9000, 8 * 1024 * 1024));
    expectNothing(await load());
  });

  test('a stall past the timeout: nothing, in well under a second per attempt', async () => {
    server.on(FILE, stall(server, PDB.bytes, 9000, 5000));
    const t0 = Date.now();
    expectNothing(await load());
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  test('an HTML login page with status 200: never stored as a PDB', async () => {
    server.on(FILE, loginPage());
    server.on(PD_, loginPage());
    const r = await load();
    expectNothing(r);
    expect(r.lines).toContain(`SYMSRV:  HTTPGET: ${FILE} - refused: the server answered with text/html (a login or error page?), not a symbol file`);
  });

  test('a wrong PDB (another GUID) served under this key: the check refuses it, nothing', async () => {
    server.on(FILE, serve(pdbFixture('basic-x86.pdb').bytes));
    const r = await load();
    expectNothing(r);
    expect(r.lines.some((l) => /mismatched pdb/.test(l))).toBe(true);
  });

  test('a CAB (name.pd_) is expanded into the cache', async () => {
    server.on(PD_, serve(writeCab([{ name: PDB.name, data: PDB.bytes }])));
    expectLoaded(await load());
    expect(server.log.filter((p) => p !== '/sym/index2.txt')).toEqual([FILE, PD_]);
  });

  test('a corrupt CAB: nothing', async () => {
    const cab = Buffer.from(writeCab([{ name: PDB.name, data: PDB.bytes }]));
    cab.fill(0x55, 200, 400);
    server.on(PD_, serve(cab));
    expectNothing(await load());
  });

  test('file.ptr served over HTTP pointing at a local path: refused (nothing), unless allowed', async () => {
    server.on(PTR, filePtr(`PATH:${PDB.path}`));
    const r = await load();
    expectNothing(r);
    expect(r.lines.some((l) => l.includes('refused: points at the local path'))).toBe(true);

    setHttpStoreDefaults({ allowHttpFilePtrToLocal: true, retries: 0, now: () => clock });
    expectLoaded(await load());
  });

  test('file.ptr in a local store is followed, as DbgHelp does', async () => {
    const local = path.join(tmp, 'localstore');
    fs.mkdirSync(path.join(local, PDB.name, PDB.key), { recursive: true });
    fs.writeFileSync(path.join(local, PDB.name, PDB.key, 'file.ptr'), `PATH:${PDB.path}`);
    const r = await load(`srv*${path.join(tmp, 'cache')}*${local}`);
    expectLoaded(r);
    expect(server.log).toEqual([]);
  });

  test('a store name with ".." (findFileInPath) is refused before any request', async () => {
    const sym = SymbolHandler.initialize({ searchPath: `srv*${path.join(tmp, 'cache')}*${server.url}/sym` });
    try {
      sym.setHomeDirectory(path.join(tmp, 'home'));
      for (const fileName of ['../../etc/passwd', '..\\..\\boot.ini', '..']) {
        expect(await sym.findFileInPath({ fileName, id: PDB.guid, two: PDB.age })).toBeUndefined();
      }
    } finally {
      sym.cleanup();
    }
    expect(server.log).toEqual([]);
    expect(filesUnder(tmp).filter((f) => !f.startsWith('img/'))).toEqual([]);
  });
});
