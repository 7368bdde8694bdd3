/**
 * HttpStore against a real HTTP server on loopback that misbehaves on purpose.
 *
 * The store's contract (lib/symsrv/store.ts): the bytes of what was found land in `copyTo`,
 * and after any failure `copyTo` does not exist, so the writer that checks and renames it never
 * sees a partial or foreign file. Each case checks the outcome, what is left on disk, how many
 * requests the server saw, and the SYMSRV lines.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymOpt } from '../../../lib/api/constants';
import { DbgHelpError } from '../../../lib/api/errors';
import { writeCab } from '../../../lib/formats/cab';
import { BreakerBoard } from '../../../lib/symsrv/http/breaker';
import { closeSharedAgents } from '../../../lib/symsrv/http/agents';
import { forgetLayouts, HttpStore } from '../../../lib/symsrv/http/http-store';
import type { HttpStoreOptions } from '../../../lib/symsrv/http/options';
import type { FetchOptions, FetchOutcome, FetchProgress, StoreRequest } from '../../../lib/symsrv/store';
import {
  endless,
  FaultServer,
  filePtr,
  largerThanAnnounced,
  loginPage,
  redirect,
  resetAtOnce,
  resetMidBody,
  sequence,
  serve,
  serveChunked,
  stall,
  stallHeaders,
  status,
  truncated,
} from './helpers/fault-server';
import { filesUnder, imageFixture, pdbFixture, sha, tempDir } from './helpers/fixture';

const PDB = pdbFixture('basic-x64.pdb');
const REQ: StoreRequest = { fileName: PDB.name, key: PDB.key };
const P = `/sym/${PDB.name}/${PDB.key}`;
const FILE = `${P}/${PDB.name}`;
const PD_ = `${P}/${PDB.name.slice(0, -1)}_`;
const PTR = `${P}/file.ptr`;

let server: FaultServer;
let dir: string;
let clock: number;
let board: BreakerBoard;

beforeAll(async () => {
  server = await FaultServer.start();
});
afterAll(async () => {
  closeSharedAgents();
  await server.close();
});
beforeEach(() => {
  server.reset();
  forgetLayouts();
  dir = tempDir('http-store');
  clock = 1_700_000_000_000;
  board = new BreakerBoard();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function store(o: Partial<HttpStoreOptions> = {}): HttpStore {
  return new HttpStore(`${server.url}/sym`, {
    connectTimeoutMs: 1000,
    idleTimeoutMs: 300,
    totalTimeoutMs: 10_000,
    retries: 2,
    retryBaseMs: 10,
    retryMaxMs: 40,
    breakerThreshold: 100,
    breakers: board,
    negativeCacheFile: path.join(dir, 'state', 'misses.jsonl'),
    now: () => clock,
    ...o,
  });
}

interface Run {
  out: FetchOutcome;
  lines: string[];
  progress: FetchProgress[];
  copyTo: string;
  /** Files left in the download directory. */
  left: string[];
}

async function run(s: HttpStore, req: StoreRequest = REQ, extra: Partial<FetchOptions> = {}): Promise<Run> {
  const lines: string[] = [];
  const progress: FetchProgress[] = [];
  const dl = fs.mkdtempSync(path.join(dir, 'dl-'));
  const copyTo = path.join(dl, `${req.fileName}.${Math.random().toString(36).slice(2)}.tmp`);
  const out = await s.fetch(req, { copyTo, debug: (l) => lines.push(l), onProgress: (p) => progress.push(p), ...extra });
  return { out, lines, progress, copyTo, left: filesUnder(dl) };
}

function expectNothingLeft(r: Run): void {
  expect(r.left).toEqual([]);
  expect(fs.existsSync(r.copyTo)).toBe(false);
}

function expectFound(r: Run, bytes: Uint8Array, form: 'file' | 'compressed' = 'file'): void {
  expect(r.out).toMatchObject({ status: 'found', form, path: r.copyTo, bytes: bytes.length });
  expect(sha(fs.readFileSync(r.copyTo))).toBe(sha(bytes));
  expect(r.left).toEqual([path.basename(r.copyTo)]);
}

const hostPort = () => new URL(server.url).host;

describe('HttpStore: the happy path and symsrv wording', () => {
  test('downloads the PDB into copyTo, in symsrv order, with symsrv lines and progress', async () => {
    server.on(FILE, serve(PDB.bytes));
    const r = await run(store());
    expectFound(r, PDB.bytes);
    expect(r.out).toMatchObject({ from: `${server.url}${FILE}` });
    expect(server.log).toEqual(['/sym/index2.txt', FILE]);
    expect(r.lines).toEqual([
      'SYMSRV:  HTTPGET: /sym/index2.txt',
      'SYMSRV:  HttpQueryInfo: 80190194 - HTTP_STATUS_NOT_FOUND',
      `SYMSRV:  HTTPGET: ${FILE}`,
      'SYMSRV:  HttpQueryInfo: 801900c8 - HTTP_STATUS_OK',
      `SYMSRV:  ${PDB.name} from ${server.url}/sym: ${PDB.bytes.length} bytes - copied`,
    ]);
    const last = r.progress[r.progress.length - 1];
    expect(last).toEqual({ bytes: PDB.bytes.length, total: PDB.bytes.length, from: `${server.url}${FILE}` });
    expect(r.progress.every((p, i) => i === 0 || p.bytes > r.progress[i - 1].bytes)).toBe(true);
  });

  test('a chunked body (no Content-Length) is taken whole; progress has no total', async () => {
    server.on(FILE, serveChunked(PDB.bytes, 4096));
    const r = await run(store({ probeIndex2: false }));
    expectFound(r, PDB.bytes);
    expect(r.progress.length).toBeGreaterThan(1);
    expect(r.progress[r.progress.length - 1]).toEqual({ bytes: PDB.bytes.length, total: undefined, from: `${server.url}${FILE}` });
  });

  test('all three probes miss: not-found after .pdb, .pd_ and file.ptr, each asked once', async () => {
    const r = await run(store());
    expect(r.out).toEqual({ status: 'not-found', tried: `${server.url}${FILE}` });
    expect(server.log).toEqual(['/sym/index2.txt', FILE, PD_, PTR]);
    expect(r.lines.filter((l) => l.includes('HttpQueryInfo'))).toEqual(Array(4).fill('SYMSRV:  HttpQueryInfo: 80190194 - HTTP_STATUS_NOT_FOUND'));
    expectNothingLeft(r);
  });

  test('a compressed name.pd_ is handed over as it is (form compressed); FAVOR_COMPRESSED asks for it first', async () => {
    const cab = writeCab([{ name: PDB.name, data: PDB.bytes }]);
    server.on(PD_, serve(cab));
    const r = await run(store({ probeIndex2: false }));
    expectFound(r, cab, 'compressed');
    expect(server.log).toEqual([FILE, PD_]);
    server.reset();
    server.on(PD_, serve(cab));
    const f = await run(store({ probeIndex2: false }), REQ, { options: SymOpt.FAVOR_COMPRESSED });
    expectFound(f, cab, 'compressed');
    expect(server.log).toEqual([PD_]);
  });

  test('index2.txt present: the two-tier layout (first two letters) is used, and asked once per store', async () => {
    server.on('/sym/index2.txt', serve(Buffer.from('two tier\r\n'), 'text/plain'));
    server.on(`/sym/ba${FILE.slice(4)}`, serve(PDB.bytes));
    const s = store();
    const r = await run(s);
    expectFound(r, PDB.bytes);
    await run(s);
    expect(server.log).toEqual(['/sym/index2.txt', `/sym/ba${FILE.slice(4)}`, `/sym/ba${FILE.slice(4)}`]);
  });

  test('an image (MZ) is accepted for .exe, a PDB is not', async () => {
    const img = imageFixture('basic-x64.exe');
    const req = { fileName: img.name, key: img.key };
    const file = `/sym/${img.name}/${img.key}/${img.name}`;
    server.on(file, serve(img.bytes));
    expectFound(await run(store({ probeIndex2: false }), req), img.bytes);
    server.on(file, serve(PDB.bytes));
    const bad = await run(store({ probeIndex2: false }), req);
    expect(bad.out).toMatchObject({ status: 'unavailable' });
    expect(bad.lines).toContain(`SYMSRV:  HTTPGET: ${file} - refused: not a PE image: no MZ signature ('Microsoft C/C++ ')`);
    expectNothingLeft(bad);
  });
});

describe('HttpStore: faults leave copyTo holding the whole file or nothing', () => {
  test('connection reset mid-body, then 200: retried, the file is whole', async () => {
    server.on(FILE, sequence(resetMidBody(PDB.bytes, 10_000), serve(PDB.bytes)));
    const r = await run(store({ probeIndex2: false }));
    expectFound(r, PDB.bytes);
    expect(server.count(FILE)).toBe(2);
    expect(r.lines).toContain('SYMSRV:  InternetReadFile: 800C2EFF - ERROR_INTERNET_CONNECTION_RESET');
    expect(r.lines.some((l) => l.startsWith(`SYMSRV:  HTTPGET: ${FILE} - retry 1 of 2 in `))).toBe(true);
  });

  test('connection reset every time: unavailable after 1 + 2 retries, nothing left', async () => {
    server.on(FILE, resetMidBody(PDB.bytes, 5000));
    const r = await run(store({ probeIndex2: false }));
    expect(r.out).toMatchObject({ status: 'unavailable', tried: `${server.url}${FILE}` });
    expect(server.count(FILE)).toBe(3);
    expect(server.count(PD_)).toBe(0); // a failing server is not asked for the other forms
    expectNothingLeft(r);
  });

  test('reset before any response: HttpSendRequest CONNECTION_RESET, retried', async () => {
    server.on(FILE, sequence(resetAtOnce(), serve(PDB.bytes)));
    const r = await run(store({ probeIndex2: false }));
    expectFound(r, PDB.bytes);
    expect(r.lines).toContain('SYMSRV:  HttpSendRequest: 800C2EFF - ERROR_INTERNET_CONNECTION_RESET');
  });

  test('500 then 200: retried; 503 every time: unavailable, nothing left, not remembered as a miss', async () => {
    server.on(FILE, sequence(status(500), serve(PDB.bytes)));
    const ok = await run(store({ probeIndex2: false }));
    expectFound(ok, PDB.bytes);
    expect(ok.lines).toContain('SYMSRV:  HttpQueryInfo: 801901f4 - HTTP_STATUS_SERVER_ERROR');

    server.reset();
    server.on(FILE, status(503));
    const r = await run(store({ probeIndex2: false }));
    expect(r.out).toMatchObject({ status: 'unavailable' });
    expect(server.count(FILE)).toBe(3);
    expect(r.lines.filter((l) => l === 'SYMSRV:  HttpQueryInfo: 801901f7 - HTTP_STATUS_SERVICE_UNAVAIL')).toHaveLength(3);
    expectNothingLeft(r);
    const again = await run(store({ probeIndex2: false }));
    expect(again.out).toMatchObject({ status: 'unavailable' });
    expect(server.count(FILE)).toBe(6); // 5xx is never cached as a miss
  });

  test('503 with Retry-After is honoured up to retryMaxMs', async () => {
    server.on(FILE, sequence(status(503, { 'retry-after': '1' }), serve(PDB.bytes)));
    const t0 = Date.now();
    const r = await run(store({ probeIndex2: false, retryMaxMs: 150 }));
    expectFound(r, PDB.bytes);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(r.lines.some((l) => / - retry 1 of 2 in 150 ms /.test(l))).toBe(true);
  });

  test('404 then 200: the miss is remembered (no request) until it expires, then the file is fetched', async () => {
    server.on(FILE, sequence(status(404), serve(PDB.bytes)));
    const s = store({ probeIndex2: false, missTtlMs: 60_000 });
    const first = await run(s);
    expect(first.out).toMatchObject({ status: 'not-found' });
    expectNothingLeft(first);

    const second = await run(store({ probeIndex2: false, missTtlMs: 60_000 })); // a new store (another process): the file is read back
    expect(second.out).toMatchObject({ status: 'not-found' });
    expect(server.count(FILE)).toBe(1);
    const until = new Date(clock + 60_000).toISOString();
    expect(second.lines[0]).toBe(`SYMSRV:  HTTPGET: ${FILE} - HTTP_STATUS_NOT_FOUND remembered until ${until}, not asked again`);

    clock += 60_001;
    const third = await run(s);
    expectFound(third, PDB.bytes);
    expect(server.count(FILE)).toBe(2);
    const lines = fs
      .readFileSync(path.join(dir, 'state', 'misses.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(expect.arrayContaining([{ url: `${server.url}${FILE}`, status: 404, until: 1_700_000_060_000 }]));
  });

  test('truncated body with the full Content-Length: truncated, retried, then whole', async () => {
    server.on(FILE, sequence(truncated(PDB.bytes, 7000, 'full'), serve(PDB.bytes)));
    const r = await run(store({ probeIndex2: false }));
    expectFound(r, PDB.bytes);
    expect(server.count(FILE)).toBe(2);
    expect(r.lines).toContain('SYMSRV:  InternetReadFile: 800C2EFF - ERROR_INTERNET_CONNECTION_RESET');
  });

  test('truncated body every time: unavailable, nothing left', async () => {
    server.on(FILE, truncated(PDB.bytes, 7000, 'full'));
    const r = await run(store({ probeIndex2: false }));
    expect(r.out).toMatchObject({ status: 'unavailable' });
    expect((r.out as { reason: string }).reason).toMatch(/after 7000 of \d+ bytes/);
    expectNothingLeft(r);
  });

  test("a body cut short under a lying Content-Length looks complete here: found with the short prefix (the writer's GUID/age check rejects it)", async () => {
    server.on(FILE, truncated(PDB.bytes, 7000, 'cut'));
    const r = await run(store({ probeIndex2: false }));
    expect(r.out).toMatchObject({ status: 'found', bytes: 7000 });
  });

  test('a body far larger than announced: never more than the announced bytes are kept', async () => {
    server.on(FILE, largerThanAnnounced(PDB.bytes, 4096, 4 * 1024 * 1024));
    const r = await run(store({ probeIndex2: false }));
    // Node's parser either ends the body at Content-Length (found: a 4096-byte prefix, which the
    // writer's GUID/age check rejects) or sees the surplus in the same read (overrun: refused).
    if (r.out.status === 'found') {
      expect(r.out.bytes).toBe(4096);
      expect(fs.statSync(r.copyTo).size).toBe(4096);
    } else {
      expect(r.out).toMatchObject({ status: 'unavailable' });
      expect((r.out as { reason: string }).reason).toMatch(/sent more than the 4096 bytes its Content-Length announced/);
      expect(server.count(FILE)).toBe(1); // not retried
      expectNothingLeft(r);
    }
  });

  test('a body without Content-Length growing past maxBytes is cut off: unavailable, nothing left', async () => {
    server.on(FILE, endless(PDB.bytes.subarray(0, 4096), 64 * 1024 * 1024));
    const r = await run(store({ probeIndex2: false, maxBytes: 1024 * 1024 }));
    expect(r.out).toMatchObject({ status: 'unavailable' });
    expect((r.out as { reason: string }).reason).toMatch(/passed the 1048576-byte limit/);
    expect(server.count(FILE)).toBe(1); // not retried
    expectNothingLeft(r);
  });

  test('a Content-Length over maxBytes is refused before reading', async () => {
    server.on(FILE, serve(PDB.bytes));
    const r = await run(store({ probeIndex2: false, maxBytes: 1000 }));
    expect(r.out).toMatchObject({ status: 'unavailable' });
    expect((r.out as { reason: string }).reason).toMatch(/Content-Length \d+ is over the 1000-byte limit/);
    expectNothingLeft(r);
  });

  test('a stall in the body past idleTimeoutMs: InternetReadFile timeout, retried, then unavailable', async () => {
    server.on(FILE, stall(server, PDB.bytes, 5000, 5000));
    const t0 = Date.now();
    const r = await run(store({ probeIndex2: false, idleTimeoutMs: 200, retries: 1 }));
    const took = Date.now() - t0;
    expect(r.out).toMatchObject({ status: 'unavailable' });
    expect(r.lines.filter((l) => l === 'SYMSRV:  InternetReadFile: 800C2EE2 - ERROR_INTERNET_TIMEOUT')).toHaveLength(2);
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(2500);
    expectNothingLeft(r);
  });

  test('no response headers within idleTimeoutMs: HttpSendRequest timeout', async () => {
    server.on(FILE, stallHeaders(server, 5000));
    const r = await run(store({ probeIndex2: false, idleTimeoutMs: 200, retries: 0 }));
    expect(r.out).toMatchObject({ status: 'unavailable' });
    expect(r.lines).toContain('SYMSRV:  HttpSendRequest: 800C2EE2 - ERROR_INTERNET_TIMEOUT');
    expectNothingLeft(r);
  });

  test('totalTimeoutMs bounds the whole fetch even while bytes keep trickling', async () => {
    server.on(FILE, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': PDB.bytes.length });
      let at = 0;
      const tick = () => {
        if (res.destroyed || at >= PDB.bytes.length) return;
        res.write(PDB.bytes.subarray(at, at + 64));
        at += 64;
        server.later(20, tick);
      };
      tick();
    });
    const t0 = Date.now();
    const r = await run(store({ probeIndex2: false, idleTimeoutMs: 200, totalTimeoutMs: 400 }));
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(r.out).toMatchObject({ status: 'unavailable' });
    expect((r.out as { reason: string }).reason).toMatch(/not finished within the time allowed/);
    expectNothingLeft(r);
  });

  test('an HTML login page (text/html, 200) is refused at once, not retried, not remembered', async () => {
    server.on(FILE, loginPage());
    const r = await run(store({ probeIndex2: false }));
    expect(r.out).toMatchObject({ status: 'unavailable' });
    expect(r.lines).toContain(`SYMSRV:  HTTPGET: ${FILE} - refused: the server answered with text/html (a login or error page?), not a symbol file`);
    expect(server.count(FILE)).toBe(1);
    expect(server.count(PD_)).toBe(0);
    expectNothingLeft(r);
    expect(fs.existsSync(path.join(dir, 'state', 'misses.jsonl'))).toBe(false);
  });

  test('a login page sent as application/octet-stream (BOM, blanks, then <) is refused by its first bytes', async () => {
    server.on(FILE, loginPage('application/octet-stream'));
    const r = await run(store({ probeIndex2: false }));
    expect(r.out).toMatchObject({ status: 'unavailable' });
    expect(r.lines).toContain(`SYMSRV:  HTTPGET: ${FILE} - refused: the body is markup (starts with <), not a symbol file`);
    expectNothingLeft(r);
  });

  test('wrong magic for a .pdb (a zip) and for a .pd_ (a PDB, not a CAB) are refused', async () => {
    server.on(FILE, serve(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)])));
    const r = await run(store({ probeIndex2: false }));
    expect(r.out).toMatchObject({ status: 'unavailable' });
    expect((r.out as { reason: string }).reason).toMatch(/not a PDB: no MSF signature/);
    expectNothingLeft(r);
    server.reset();
    server.on(PD_, serve(PDB.bytes));
    const c = await run(store({ probeIndex2: false }));
    expect((c.out as { reason: string }).reason).toMatch(/not a CAB archive: no MSCF signature/);
    expectNothingLeft(c);
  });

  test('an empty 200 body is refused', async () => {
    server.on(FILE, serve(Buffer.alloc(0)));
    const r = await run(store({ probeIndex2: false }));
    expect((r.out as { reason: string }).reason).toMatch(/empty body/);
    expectNothingLeft(r);
  });

  test('redirects are followed (bounded); a loop ends unavailable', async () => {
    server.on(FILE, redirect('/cdn/blob-1'));
    server.on('/cdn/blob-1', redirect(`${server.url}/cdn/blob-2`, 307));
    server.on('/cdn/blob-2', serve(PDB.bytes));
    const r = await run(store({ probeIndex2: false }));
    expectFound(r, PDB.bytes);
    expect(r.lines).toContain(`SYMSRV:  HTTPGET: ${FILE} - 302 redirect to ${server.url}/cdn/blob-1`);

    server.reset();
    server.on(FILE, redirect('/loop/a'));
    server.on('/loop/a', redirect('/loop/b'));
    server.on('/loop/b', redirect('/loop/a'));
    const loop = await run(store({ probeIndex2: false, maxRedirects: 5 }));
    expect(loop.out).toMatchObject({ status: 'unavailable' });
    expect((loop.out as { reason: string }).reason).toMatch(/more than 5 redirects/);
    expect(server.log.length).toBe(6);
    expectNothingLeft(loop);
  });

  test('a redirect to a non-http scheme is refused', async () => {
    server.on(FILE, redirect('file:///etc/passwd'));
    const r = await run(store({ probeIndex2: false }));
    expect((r.out as { reason: string }).reason).toMatch(/redirects to a file: URL/);
    expectNothingLeft(r);
  });

  test('403 everywhere (an S3-style store, or one wanting credentials): every form asked, then unavailable, nothing remembered', async () => {
    for (const p of ['/sym/index2.txt', FILE, PD_, PTR]) server.on(p, status(403));
    const r = await run(store());
    expect(r.out).toEqual({ status: 'unavailable', reason: 'HTTP 403 (HTTP_STATUS_FORBIDDEN)', tried: `${server.url}${FILE}` });
    expect(server.log).toEqual(['/sym/index2.txt', FILE, PD_, PTR]);
    expect(fs.existsSync(path.join(dir, 'state', 'misses.jsonl'))).toBe(false);
    expectNothingLeft(r);
    server.reset();
    server.on('/sym/index2.txt', status(403));
    server.on(PD_, serve(writeCab([{ name: PDB.name, data: PDB.bytes }])));
    forgetLayouts();
    expect((await run(store())).out).toMatchObject({ status: 'found', form: 'compressed' }); // 403 on index2.txt: one-tier
  });

  test('connection refused: HttpSendRequest CANNOT_CONNECT, unavailable', async () => {
    const dead = await FaultServer.start();
    const url = dead.url;
    await dead.close();
    const s = new HttpStore(`${url}/sym`, { retries: 1, retryBaseMs: 5, breakers: board, probeIndex2: false });
    const lines: string[] = [];
    const copyTo = path.join(dir, 'x.tmp');
    const out = await s.fetch(REQ, { copyTo, debug: (l) => lines.push(l) });
    expect(out).toMatchObject({ status: 'unavailable' });
    expect(lines.filter((l) => l === 'SYMSRV:  HttpSendRequest: 800C2EFD - ERROR_INTERNET_CANNOT_CONNECT')).toHaveLength(2);
    expect(fs.existsSync(copyTo)).toBe(false);
  });
});

describe('HttpStore: names, file.ptr, breaker, cancellation', () => {
  test.each([
    ['../../etc/passwd', PDB.key],
    ['..', PDB.key],
    ['a/../../b.pdb', PDB.key],
    ['..\\..\\x.pdb', PDB.key],
    [PDB.name, '..'],
    [PDB.name, `${PDB.key}/../..`],
    ['c:x.pdb', PDB.key],
    ['', PDB.key],
    ['a\u0000.pdb', PDB.key],
  ])('store name %j / key %j is refused before any request', async (fileName, key) => {
    const r = await run(store(), { fileName, key });
    expect(r.out).toMatchObject({ status: 'unavailable', tried: `${server.url}/sym` });
    expect((r.out as { reason: string }).reason).toMatch(/^refused before any request: (file name|key) /);
    expect(r.lines).toEqual([]);
    expect(server.log).toEqual([]);
    expectNothingLeft(r);
  });

  test('a name with dots that does not climb (a..b.pdb) is asked for', async () => {
    const r = await run(store({ probeIndex2: false }), { fileName: 'a..b.pdb', key: PDB.key });
    expect(r.out).toMatchObject({ status: 'not-found' });
    expect(server.log[0]).toBe(`/sym/a..b.pdb/${PDB.key}/a..b.pdb`);
  });

  test('file.ptr over HTTP pointing at a local path is refused unless allowHttpFilePtrToLocal', async () => {
    server.on(PTR, filePtr(`PATH:${PDB.path}\r\n`));
    const r = await run(store({ probeIndex2: false }));
    expect(r.out).toMatchObject({ status: 'unavailable', tried: `${server.url}${PTR}` });
    expect(r.lines).toContain(`SYMSRV:  PATH: ${PDB.path}`);
    expect((r.out as { reason: string }).reason).toBe(
      `refused: points at the local path ${PDB.path}; a file.ptr served over HTTP may not send us to the local file system (allowHttpFilePtrToLocal permits it)`,
    );
    expectNothingLeft(r);

    const allowed = await run(store({ probeIndex2: false, allowHttpFilePtrToLocal: true }));
    expect(allowed.out).toEqual({ status: 'pointer', target: PDB.path, from: `${server.url}${PTR}` });
    expectNothingLeft(allowed);
  });

  test('a UNC file.ptr target over HTTP is refused too', async () => {
    server.on(PTR, filePtr('PATH:\\\\fileserver\\symbols\\basic-x64.pdb'));
    const r = await run(store({ probeIndex2: false }));
    expect(r.out).toMatchObject({ status: 'unavailable' });
  });

  test('file.ptr naming a URL is fetched with the same checks', async () => {
    server.on(PTR, filePtr(`PATH:${server.url}/blobs/b.pdb`));
    server.on('/blobs/b.pdb', serve(PDB.bytes));
    const r = await run(store({ probeIndex2: false }));
    expectFound(r, PDB.bytes);
    expect(r.out).toMatchObject({ from: `${server.url}/blobs/b.pdb` });
    server.on('/blobs/b.pdb', loginPage());
    const bad = await run(store({ probeIndex2: false }));
    expect(bad.out).toMatchObject({ status: 'unavailable' });
    expectNothingLeft(bad);
  });

  test('file.ptr MSG: is a message; a file.ptr that is an HTML page is refused', async () => {
    server.on(PTR, filePtr('MSG:withheld by the build lab'));
    expect((await run(store({ probeIndex2: false }))).out).toEqual({ status: 'message', message: 'withheld by the build lab', from: `${server.url}${PTR}` });
    server.on(PTR, loginPage());
    expect((await run(store({ probeIndex2: false }))).out).toMatchObject({ status: 'unavailable' });
  });

  test('the breaker skips a host after repeated failures, then lets one request through after the cool-down', async () => {
    server.on(FILE, resetAtOnce());
    const s = store({ probeIndex2: false, retries: 1, breakerThreshold: 3, breakerCooldownMs: 30_000 });
    const a = await run(s);
    expect(a.out).toMatchObject({ status: 'unavailable' });
    expect(server.count(FILE)).toBe(2);
    const b = await run(s); // one more failure opens it
    expect(server.count(FILE)).toBe(3);
    expect(b.lines[b.lines.length - 1]).toBe(`SYMSRV:  HTTPGET: ${FILE} - ${hostPort()} skipped: 3 failures in a row, next try in 30 s`);
    const c = await run(s); // open: no request at all
    expect(server.count(FILE)).toBe(3);
    expect(c.out).toMatchObject({ status: 'unavailable', reason: `${hostPort()} skipped: 3 failures in a row, next try in 30 s` });
    clock += 30_000;
    server.on(FILE, serve(PDB.bytes));
    const d = await run(s); // half-open trial succeeds and closes it
    expectFound(d, PDB.bytes);
    expect(server.count(FILE)).toBe(4);
  });

  test('AbortSignal stops a stalled download at once: ABORTED, nothing left', async () => {
    server.on(FILE, stall(server, PDB.bytes, 5000, 5000));
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('user pressed ^C')), 100);
    const lines: string[] = [];
    const copyTo = path.join(dir, 'a.tmp');
    const t0 = Date.now();
    const err = await store({ probeIndex2: false, idleTimeoutMs: 5000 })
      .fetch(REQ, { copyTo, signal: ac.signal, debug: (l) => lines.push(l) })
      .catch((e) => e);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(DbgHelpError);
    expect(err.code).toBe('ABORTED');
    expect(fs.existsSync(copyTo)).toBe(false);
  });

  test('a copyTo that cannot be written is IO_ERROR (a DbgHelpError), and the host is not blamed', async () => {
    server.on(FILE, serve(PDB.bytes));
    const s = store({ probeIndex2: false, breakerThreshold: 1 });
    const e = await s.fetch(REQ, { copyTo: path.join(dir, 'no', 'such', 'dir', 'x.tmp') }).catch((x) => x);
    expect(e).toBeInstanceOf(DbgHelpError);
    expect(e.code).toBe('IO_ERROR');
    expectFound(await run(s), PDB.bytes); // the breaker stayed closed
  });

  test('without copyTo an HTTP store is unavailable (it has nowhere to write)', async () => {
    const out = await store().fetch(REQ, {});
    expect(out).toMatchObject({ status: 'unavailable' });
    expect(server.log).toEqual([]);
  });
});
