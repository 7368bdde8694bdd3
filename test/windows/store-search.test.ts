/**
 * `srv*` with a dbghelp.dll that has no symsrv.dll beside it (System32's, Wine's): the DLL
 * alone finds nothing in a store, silently; the handler's own store search (lib/backend/
 * store-search.ts) is what makes the load work. Runs where the native and ffi backends load
 * (the Wine lane); elsewhere it says why it did not run.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { SymOpt, SymType } from '../../lib/api/constants';
import type { BackendHandler } from '../../lib/api/types';
import { dllReadsStores, findImagePdb, hasStoreElements } from '../../lib/backend/store-search';
import { loadBackend } from '../conformance/backends';

/** Microsoft's symsrv.dll lines for a miss in a local store whose key directory does not exist. */
function unc(file: string): string[] {
  const name = path.basename(file);
  const dir = file.slice(0, file.length - name.length);
  return [name, `${name.slice(0, -1)}_`, 'file.ptr'].map((n) => `SYMSRV:  UNC: ${dir}${n} - path not found`);
}

const FIX = path.resolve(__dirname, '..', 'fixtures');
const KEY = '8C6EB4D760FE3FA64C4C44205044422E1'; // basic-x64.pdb: GUID + age (expected/basic-x64.readobj.txt)

function tempStore(): { root: string; S: string; C: string; image: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-win-store-'));
  const S = path.join(root, 'S');
  fs.mkdirSync(path.join(S, 'basic-x64.pdb', KEY), { recursive: true });
  fs.copyFileSync(path.join(FIX, 'bin', 'basic-x64.pdb'), path.join(S, 'basic-x64.pdb', KEY, 'basic-x64.pdb'));
  fs.mkdirSync(path.join(root, 'app'));
  const image = path.join(root, 'app', 'basic-x64.exe');
  fs.copyFileSync(path.join(FIX, 'bin', 'basic-x64.exe'), image);
  return { root, S, C: path.join(root, 'C'), image };
}

// The pieces that decide and do the handler's store search: pure TypeScript, tested everywhere.
describe('store-search.ts (any platform)', () => {
  test('dllReadsStores: only a non-Wine dbghelp.dll with symsrv.dll in its own directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-dll-'));
    try {
      const dll = path.join(dir, 'dbghelp.dll');
      const mz = Buffer.alloc(0x80);
      mz.write('MZ', 0);
      fs.writeFileSync(dll, mz);
      expect(dllReadsStores(undefined, 'microsoft')).toBe(false);
      expect(dllReadsStores(dll, 'microsoft')).toBe(false); // no symsrv.dll beside it (System32's case)
      fs.writeFileSync(path.join(dir, 'symsrv.dll'), mz);
      expect(dllReadsStores(dll, 'microsoft')).toBe(true); // the Debugging Tools' pair
      expect(dllReadsStores(dll, 'wine')).toBe(false); // Wine's never loads symsrv.dll, whatever the file beside it
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('hasStoreElements: srv*, symsrv*, cache*, URLs and pingme.txt directories (unless autodetect is off)', () => {
    const { root, S } = tempStore();
    try {
      for (const p of ['srv*C*S', 'srv*', 'symsrv*symsrv.dll*C*S', 'cache*C', 'cache*', 'a;https://symbols.example/x']) expect([p, hasStoreElements(p, 0)]).toEqual([p, true]);
      for (const p of ['', 'a;b', S, ';;']) expect([p, hasStoreElements(p, 0)]).toEqual([p, false]);
      fs.writeFileSync(path.join(S, 'pingme.txt'), '');
      expect(hasStoreElements(`a;${S}`, 0)).toBe(true);
      expect(hasStoreElements(`a;${S}`, SymOpt.DISABLE_SYMSRV_AUTODETECT)).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test("findImagePdb: the store copy of the image's PDB through srv*C*S; a PDB of another build is reported, not taken", async () => {
    const { root, S, C, image } = tempStore();
    try {
      const lines: string[] = [];
      const env = { options: 0, homeDirectory: root, debug: (l: string) => lines.push(l) };
      const inC = path.join(C, 'basic-x64.pdb', KEY, 'basic-x64.pdb');
      expect(await findImagePdb(image, `srv*${C}*${S}`, env)).toEqual({ found: inC, mismatched: false });
      expect(lines).toEqual(expect.arrayContaining(unc(inC)));
      fs.rmSync(C, { recursive: true });
      fs.copyFileSync(path.join(FIX, 'mismatch', 'basic-x64.pdb'), path.join(S, 'basic-x64.pdb', KEY, 'basic-x64.pdb'));
      expect(await findImagePdb(image, `srv*${C}*${S}`, env)).toEqual({ found: undefined, mismatched: true });
      expect(fs.existsSync(inC)).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.each(['native', 'ffi'] as const)('%s backend', (name) => {
  const loaded = loadBackend(name);
  if ('error' in loaded) {
    test(`not available on ${process.platform}: nothing to compare (the Wine lane runs this)`, () => {
      expect(loaded.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    });
    return;
  }
  const { backend } = loaded;

  test("the DLL in use has no symsrv.dll beside it (Wine's never has), so the handler searches stores", () => {
    const beside = fs.existsSync(path.join(path.dirname(backend.dllPath!), 'symsrv.dll'));
    expect(dllReadsStores(backend.dllPath, backend.dllImage!.kind)).toBe(beside && !loaded.wine);
    if (loaded.wine) expect(dllReadsStores(backend.dllPath, 'wine')).toBe(false);
  });

  // With symsrv.dll beside it (a debugger's dbghelp.dll) the DLL reads stores itself: nothing to show.
  const withoutSymsrv = dllReadsStores(backend.dllPath, backend.dllImage!.kind) ? test.skip : test;
  withoutSymsrv("srv*C*S: the DLL alone loads no PDB and copies nothing; with the handler's search it loads the store's PDB", async () => {
    const { root, S, C, image } = tempStore();
    const handlers: BackendHandler[] = [];
    const open = (readsStores: boolean) => {
      const h = backend.createHandler({ searchPath: `srv*${C}*${S}` });
      handlers.push(h);
      // What the handler would do with a DLL that has symsrv.dll: hand it the path as it is.
      if (readsStores) Object.assign(h, { readsStores: true });
      h.setHomeDirectory(root);
      return h;
    };
    try {
      const alone = open(true);
      const b1 = await alone.loadModule(image, {});
      expect(alone.getModuleInfo(b1)!.symType).not.toBe(SymType.Pdb);
      expect(fs.existsSync(C)).toBe(false);

      const helped = open(false);
      const b2 = await helped.loadModule(image, {});
      expect(helped.getModuleInfo(b2)!.symType).toBe(SymType.Pdb);
      expect(fs.existsSync(path.join(C, 'basic-x64.pdb', KEY, 'basic-x64.pdb'))).toBe(true);
      expect(helped.fromAddr(b2 + 0x1000n)?.symbol.name).toBe('chain_c');
    } finally {
      for (const h of handlers) h.cleanup();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  withoutSymsrv('a load aborted while the store search downloads: ABORTED with the reason, no module, nothing left in C', async () => {
    const { root, C, image } = tempStore();
    let started!: () => void;
    const pdbAsked = new Promise<void>((r) => (started = r));
    // Sends the PDB's first bytes, then nothing: the download is in progress when the caller gives up.
    const server = http.createServer((req, res) => {
      if (req.url === `/basic-x64.pdb/${KEY}/basic-x64.pdb`) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 81920 });
        res.write(fs.readFileSync(path.join(FIX, 'bin', 'basic-x64.pdb')).subarray(0, 4096));
        started();
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const h = backend.createHandler({ searchPath: `srv*${C}*${url}` });
    try {
      h.setHomeDirectory(root);
      const ac = new AbortController();
      const load = h.loadModule(image, { signal: ac.signal });
      await pdbAsked;
      ac.abort(new Error('user gave up'));
      await expect(load).rejects.toMatchObject({ name: 'DbgHelpError', code: 'ABORTED' });
      expect(h.enumModules()).toEqual([]);
      const keyDir = path.join(C, 'basic-x64.pdb', KEY);
      expect(fs.existsSync(keyDir) ? fs.readdirSync(keyDir) : []).toEqual([]);
    } finally {
      h.cleanup();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  withoutSymsrv('srv*C*http://127.0.0.1:port: the PDB is downloaded once into C, then read by the DLL', async () => {
    const { root, S, C, image } = tempStore();
    const gets: string[] = [];
    // A one-tier store over HTTP: the files of S by URL path, 404 for anything else.
    const server = http.createServer((req, res) => {
      gets.push(req.url ?? '');
      const file = path.join(
        S,
        ...decodeURIComponent(req.url ?? '')
          .split('/')
          .filter(Boolean),
      );
      if (file.startsWith(S + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': fs.statSync(file).size });
        fs.createReadStream(file).pipe(res);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const handlers: BackendHandler[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const h = backend.createHandler({ searchPath: `srv*${C}*${url}` });
        handlers.push(h);
        h.setHomeDirectory(root);
        const base = await h.loadModule(image, {});
        expect(h.getModuleInfo(base)!.symType).toBe(SymType.Pdb);
        expect(h.fromAddr(base + 0x1000n)?.symbol.name).toBe('chain_c');
      }
      const pdbGets = gets.filter((g) => g === `/basic-x64.pdb/${KEY}/basic-x64.pdb`);
      expect(pdbGets).toHaveLength(1); // the second load reads the copy in C
      expect(fs.readFileSync(path.join(C, 'basic-x64.pdb', KEY, 'basic-x64.pdb')).equals(fs.readFileSync(path.join(FIX, 'bin', 'basic-x64.pdb')))).toBe(true);
    } finally {
      for (const h of handlers) h.cleanup();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
