/**
 * Why a module has the symbols it has (docs/API.md "Module status"): every status a load can
 * end with, out of SymbolHandler (getModuleStatus, tryLoadModule), with the real reason.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { SymbolHandler, SymType } from '../../../lib';
import { describeModuleStatus, type ModuleStatus } from '../../../lib/api/module-status';
import { MsfFile } from '../../../lib/formats/msf/msf-file';
import { FileSource } from '../../../lib/formats/binary/source';
import { describeFile } from '../../../lib/cli/info';
import { breakers, closeSharedAgents, setHttpStoreDefaults } from '../../../lib/symsrv/http';
import { forgetLayouts } from '../../../lib/symsrv/http/http-store';
import { writeMsf } from '../../helpers/msf-writer';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const IMG = path.join(BIN, 'basic-x64.exe');
const PDB = path.join(BIN, 'basic-x64.pdb');
const WANTED = String(describeFile(IMG).pdbStoreKey);

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-status-'));
  fs.mkdirSync(path.join(tmp, 'img'));
  fs.copyFileSync(IMG, path.join(tmp, 'img', 'basic-x64.exe'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterAll(() => {
  setHttpStoreDefaults({});
  closeSharedAgents();
});

async function statusOf(image: string, searchPath: string, pdbPath?: string): Promise<{ base?: bigint; status: ModuleStatus; symType?: number }> {
  using sym = SymbolHandler.initialize({ searchPath });
  sym.setHomeDirectory(path.join(tmp, 'home'));
  const r = await sym.tryLoadModule(image, { pdbPath });
  if (r.base !== undefined) expect(sym.getModuleStatus(r.base)).toEqual(r.status);
  return { ...r, symType: r.base !== undefined ? sym.getModuleInfo(r.base)!.symType : undefined };
}

/** The fixture PDB's streams with the DBI stream (3) made nil: what cl /Zi writes before linking. */
function typesOnlyPdb(): Buffer {
  const msf = new MsfFile(FileSource.open(PDB));
  try {
    const streams: (Uint8Array | null)[] = [];
    for (let i = 0; i < msf.streamCount; i++) streams.push(i === 3 || !msf.hasStream(i) ? null : msf.readStream(i));
    return writeMsf(streams);
  } finally {
    msf.source.close();
  }
}

describe('statuses from the symbol search', () => {
  test('loaded: the PDB beside the image, with both files', async () => {
    const r = await statusOf(IMG, '');
    expect(r.status).toEqual({ kind: 'loaded', source: 'pdb', symbolFile: PDB, imageFile: IMG });
  });

  test('symbols-missing: every place looked at, and the debug id wanted', async () => {
    const r = await statusOf(path.join(tmp, 'img', 'basic-x64.exe'), path.join(tmp, 'nowhere'));
    expect(r.symType).not.toBe(SymType.Pdb);
    expect(r.status.kind).toBe('symbols-missing');
    if (r.status.kind !== 'symbols-missing') return;
    expect(r.status.wanted).toMatchObject({ name: 'basic-x64.pdb', debugId: WANTED });
    expect(r.status.searched).toContain(path.join(tmp, 'nowhere', 'basic-x64.pdb'));
    expect(r.status.searched).toContain(path.join(tmp, 'img', 'basic-x64.pdb'));
    expect(describeModuleStatus('basic-x64', r.status)).toMatch(new RegExp(`basic-x64.pdb ${WANTED} not found`));
  });

  test('mismatched: both identities', async () => {
    fs.copyFileSync(path.join(BIN, 'cppfeatures-x64.pdb'), path.join(tmp, 'img', 'basic-x64.pdb'));
    const r = await statusOf(path.join(tmp, 'img', 'basic-x64.exe'), '');
    expect(r.status.kind).toBe('mismatched');
    if (r.status.kind !== 'mismatched') return;
    expect(r.status.wanted.debugId).toBe(WANTED);
    expect(r.status.found.debugId).toBe(String(describeFile(path.join(BIN, 'cppfeatures-x64.pdb')).symbolStoreKey));
    expect(r.status.found.path).toBe(path.join(tmp, 'img', 'basic-x64.pdb'));
  });

  test('mismatched: a PDB the caller names (PDB_MISMATCH from loadModule)', async () => {
    const r = await statusOf(IMG, '', path.join(BIN, 'cppfeatures-x64.pdb'));
    expect(r.base).toBeUndefined();
    expect(r.status).toMatchObject({ kind: 'mismatched', wanted: { debugId: WANTED }, found: { debugId: String(describeFile(path.join(BIN, 'cppfeatures-x64.pdb')).symbolStoreKey) } });
  });

  test('malformed: the PDB found is truncated', async () => {
    fs.writeFileSync(path.join(tmp, 'img', 'basic-x64.pdb'), fs.readFileSync(PDB).subarray(0, 5000));
    const r = await statusOf(path.join(tmp, 'img', 'basic-x64.exe'), '');
    expect(r.status).toMatchObject({ kind: 'malformed', path: path.join(tmp, 'img', 'basic-x64.pdb') });
  });

  test('image-missing and a malformed image do not throw', async () => {
    expect((await statusOf(path.join(tmp, 'none.exe'), '')).status).toEqual({ kind: 'image-missing', image: { name: 'none.exe' }, searched: [path.join(tmp, 'none.exe')] });
    fs.writeFileSync(path.join(tmp, 'bad.exe'), Buffer.from('MZ garbage'));
    expect((await statusOf(path.join(tmp, 'bad.exe'), '')).status).toMatchObject({ kind: 'malformed', path: path.join(tmp, 'bad.exe') });
  });

  test('an image answering from its exports still says its PDB is missing', async () => {
    const r = await statusOf(path.join(__dirname, '..', '..', 'fixtures', 'noPdb', 'exports-x64.dll'), '');
    expect(r.symType).toBe(SymType.Export);
    expect(r.status).toMatchObject({ kind: 'symbols-missing', wanted: { name: 'exports-x64.pdb' } });
  });
});

describe('a types-only PDB (no DBI stream)', () => {
  test('info reads its GUID and age, as llvm-pdbutil does', () => {
    const f = path.join(tmp, 'vc140.pdb');
    fs.writeFileSync(f, typesOnlyPdb());
    const facts = describeFile(f);
    const full = describeFile(PDB);
    expect(facts).toMatchObject({ kind: 'PDB (types only: no DBI stream)', guid: full.guid, age: full.infoAge });
    let llvm: string | undefined;
    try {
      llvm = execFileSync('llvm-pdbutil', ['dump', '--summary', f], { encoding: 'utf8' });
    } catch {
      llvm = undefined; // not installed: the values above still come from the real PDB's info stream
    }
    if (llvm !== undefined) {
      expect(llvm).toMatch(new RegExp(`GUID: \\{${full.guid}\\}`));
      expect(llvm).toMatch(new RegExp(`Age: ${full.infoAge}\\b`));
      expect(llvm).toMatch(/Has Debug Info: false/);
    }
  });

  test('loading it is UNSUPPORTED with a reason, alone or found beside the image', async () => {
    const f = path.join(tmp, 'img', 'basic-x64.pdb');
    fs.writeFileSync(f, typesOnlyPdb());
    using sym = SymbolHandler.initialize({ searchPath: '' });
    await expect(sym.loadModule(f, { baseAddress: 0x10000000n })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/no DBI stream.*types only/) });
    const alone = await sym.tryLoadModule(f, { baseAddress: 0x10000000n });
    expect(alone.status).toMatchObject({ kind: 'unsupported', path: f, reason: expect.stringMatching(/no DBI stream/) });
    const withImage = await sym.tryLoadModule(path.join(tmp, 'img', 'basic-x64.exe'));
    expect(withImage.status).toMatchObject({ kind: 'unsupported', path: f });
  });
});

describe('unavailable: a symbol server that cannot answer says why', () => {
  let server: http.Server;
  let url: string;
  let behaviour: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  beforeAll(async () => {
    server = http.createServer((req, res) => behaviour(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    forgetLayouts();
    breakers.reset();
    setHttpStoreDefaults({ connectTimeoutMs: 500, idleTimeoutMs: 300, retries: 0, retryBaseMs: 5, retryMaxMs: 10, missTtlMs: 0, probeIndex2: false });
  });
  const image = () => path.join(tmp, 'img', 'basic-x64.exe');
  const srv = (u: string) => `srv*${path.join(tmp, 'cache')}*${u}/sym`;

  test('HTTP 500', async () => {
    behaviour = (_q, res) => {
      res.writeHead(500);
      res.end('boom');
    };
    const r = await statusOf(image(), srv(url));
    expect(r.status).toMatchObject({ kind: 'unavailable', server: `${url}/sym`, httpStatus: 500, wanted: { debugId: WANTED } });
    if (r.status.kind === 'unavailable') expect(r.status.reason).toBe('HTTP 500 (HTTP_STATUS_SERVER_ERROR)');
  });

  test('connection refused', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await statusOf(image(), srv(`http://127.0.0.1:${port}`));
    expect(r.status).toMatchObject({ kind: 'unavailable' });
    if (r.status.kind === 'unavailable') {
      expect(r.status.reason).toMatch(/connection refused|ECONNREFUSED/);
      expect(r.status.httpStatus).toBeUndefined();
    }
  });

  test('timed out', async () => {
    behaviour = () => undefined; // never answers
    const r = await statusOf(image(), srv(url));
    expect(r.status).toMatchObject({ kind: 'unavailable' });
    if (r.status.kind === 'unavailable') expect(r.status.reason).toMatch(/no data for 300 ms|timed out/);
  });

  test('a 404 is not "unavailable": symbols-missing naming the URL', async () => {
    behaviour = (_q, res) => {
      res.writeHead(404);
      res.end();
    };
    const r = await statusOf(image(), srv(url));
    expect(r.status.kind).toBe('symbols-missing');
    if (r.status.kind === 'symbols-missing') expect(r.status.searched.some((s) => s.startsWith(`${url}/sym/basic-x64.pdb/${WANTED}`))).toBe(true);
  });
});
