/**
 * The nginx lane (`npm run test:nginx`, scripts/nginx-lane.sh): Debian's nginx serves a static
 * symbol store built from the fixtures on loopback, the way a company's symbol server is often
 * set up, and the HTTP client loads modules through it: plain PDBs, a CAB (.pd_), an image by
 * TimeDateStamp/SizeOfImage, a two-tier store (index2.txt), a redirect, a file.ptr naming a URL,
 * a file.ptr naming a local path (refused), a login page (refused), misses (remembered), and
 * eight processes at once behind a rate-limited location (one download).
 *
 * Without DBGHELP_NGINX (the default `npm test`) it reports that it did not run.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler, SymOpt, SymType } from '../../../lib';
import { writeCab } from '../../../lib/formats/cab';
import { breakers, closeSharedAgents, setHttpStoreDefaults } from '../../../lib/symsrv/http';
import { forgetLayouts } from '../../../lib/symsrv/http/http-store';
import { compiledLib } from './helpers/compiled-lib';
import { filesUnder, imageFixture, pdbFixture, sha, tempDir } from './helpers/fixture';
import { NGINX, openUp, startNginx, type Nginx } from './helpers/nginx';

const basic = pdbFixture('basic-x64.pdb');
const basicExe = imageFixture('basic-x64.exe');
const cpp = pdbFixture('cppfeatures-x64.pdb');
const exp = pdbFixture('exports-x64.pdb');
const x86 = pdbFixture('basic-x86.pdb');

let nginx: Nginx;
let tmp: string;
let n = 0;

function put(root: string, rel: string, data: Uint8Array | string): void {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
}

async function load(image: string, store: string, extra: { allowHttpFilePtrToLocal?: boolean } = {}) {
  const cache = path.join(tmp, `cache-${++n}`);
  const imgDir = path.join(tmp, `img-${n}`);
  fs.mkdirSync(imgDir);
  fs.copyFileSync(path.join(path.dirname(basic.path), image), path.join(imgDir, image));
  setHttpStoreDefaults({ idleTimeoutMs: 2000, retries: 1, retryBaseMs: 20, ...extra });
  const sym = SymbolHandler.initialize({ searchPath: `srv*${cache}*${nginx.url}/${store}` });
  const lines: string[] = [];
  try {
    sym.setOptions(sym.getOptions() | SymOpt.DEBUG);
    sym.setHomeDirectory(path.join(tmp, 'home'));
    sym.on('debug', (l) => lines.push(l));
    const base = await sym.loadModule(path.join(imgDir, image));
    const info = sym.getModuleInfo(base)!;
    return { symType: info.symType, pdb: info.loadedPdbName, cache, files: filesUnder(cache), lines };
  } finally {
    sym.cleanup();
  }
}

const newRequests = (before: number) => nginx.requests().slice(before);

if (!NGINX) {
  describe('nginx lane', () => {
    test.skip("did not run: set DBGHELP_NGINX to an nginx binary (npm run test:nginx installs Debian's and does)", () => {});
  });
} else {
  describe(`nginx lane (${NGINX})`, () => {
    beforeAll(async () => {
      tmp = tempDir('nginx-lane');
      const store = path.join(tmp, 'www', 'store');
      put(store, `${basic.name}/${basic.key}/${basic.name}`, basic.bytes);
      put(store, `${cpp.name}/${cpp.key}/cppfeatures-x64.pd_`, writeCab([{ name: cpp.name, data: cpp.bytes }]));
      put(store, `${basicExe.name}/${basicExe.key}/${basicExe.name}`, basicExe.bytes);
      put(store, `${x86.name}/${x86.key}/file.ptr`, `PATH:${x86.path}\r\n`);
      put(path.join(tmp, 'www', 'blobs'), exp.name, exp.bytes);
      const two = path.join(tmp, 'www', 'two');
      put(two, 'index2.txt', 'two-tier\r\n');
      put(two, `ba/${basic.name}/${basic.key}/${basic.name}`, basic.bytes);
      const www = path.join(tmp, 'www');
      nginx = await startNginx(
        NGINX!,
        path.join(tmp, 'nginx'),
        `
    location /sym/ { alias ${www}/store/; }
    location /two/ { alias ${www}/two/; }
    location /blobs/ { alias ${www}/blobs/; }
    location /slow/ { alias ${www}/store/; limit_rate 48k; }
    location /moved/ { rewrite ^/moved/(.*)$ /sym/$1 redirect; }
    location /login/ { default_type text/html; return 200 '<!DOCTYPE html><html><body><form action="/sso">Sign in</form></body></html>'; }
`,
      );
      // Written once the port is known: a file.ptr that names a URL on this server.
      put(store, `${exp.name}/${exp.key}/file.ptr`, `PATH:${nginx.url}/blobs/${exp.name}`);
      openUp(tmp); // nginx's worker may run as nobody
    });
    afterAll(async () => {
      setHttpStoreDefaults({});
      closeSharedAgents();
      await nginx?.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    });
    beforeEach(() => {
      forgetLayouts();
      breakers.reset();
    });

    test('a plain PDB: downloaded into the cache and loaded', async () => {
      const before = nginx.requests().length;
      const r = await load('basic-x64.exe', 'sym');
      expect(r.symType).toBe(SymType.Pdb);
      expect(r.files).toEqual([`${basic.name}/${basic.key}/${basic.name}`]);
      expect(sha(fs.readFileSync(path.join(r.cache, r.files[0])))).toBe(sha(basic.bytes));
      expect(newRequests(before)).toEqual(['GET /sym/index2.txt 404 153', `GET /sym/${basic.name}/${basic.key}/${basic.name} 200 ${basic.bytes.length}`]);
    });

    test('a CAB (name.pd_) is expanded into the cache', async () => {
      const r = await load('cppfeatures-x64.exe', 'sym');
      expect(r.symType).toBe(SymType.Pdb);
      expect(r.files).toEqual([`${cpp.name}/${cpp.key}/${cpp.name}`]);
      expect(sha(fs.readFileSync(path.join(r.cache, r.files[0])))).toBe(sha(cpp.bytes));
    });

    test('an image by TimeDateStamp/SizeOfImage (findFileInPath)', async () => {
      const cache = path.join(tmp, 'cache-image');
      const sym = SymbolHandler.initialize({ searchPath: `srv*${cache}*${nginx.url}/sym` });
      try {
        sym.setHomeDirectory(path.join(tmp, 'home'));
        const img = await import('../../../lib/formats/pe/pe-image');
        const pe = img.PeImage.open(basicExe.path);
        const found = await sym.findFileInPath({ fileName: basicExe.name, id: pe.timeDateStamp, two: pe.sizeOfImage });
        pe.close();
        expect(found && sha(fs.readFileSync(found))).toBe(sha(basicExe.bytes));
      } finally {
        sym.cleanup();
      }
    });

    test('a two-tier store (index2.txt) and a redirect', async () => {
      expect((await load('basic-x64.exe', 'two')).symType).toBe(SymType.Pdb);
      const before = nginx.requests().length;
      const r = await load('basic-x64.exe', 'moved');
      expect(r.symType).toBe(SymType.Pdb);
      expect(newRequests(before)).toContain(`GET /moved/${basic.name}/${basic.key}/${basic.name} 302 145`);
    });

    test('file.ptr naming a URL is fetched; file.ptr naming a local path is refused', async () => {
      const r = await load('exports-x64.dll', 'sym');
      expect(r.symType).toBe(SymType.Pdb);
      expect(sha(fs.readFileSync(path.join(r.cache, `${exp.name}/${exp.key}/${exp.name}`)))).toBe(sha(exp.bytes));
      const refused = await load('basic-x86.exe', 'sym');
      expect(refused.symType).not.toBe(SymType.Pdb);
      expect(refused.files).toEqual([]);
      expect(refused.lines.some((l) => l.includes('refused: points at the local path'))).toBe(true);
      const allowed = await load('basic-x86.exe', 'sym', { allowHttpFilePtrToLocal: true });
      expect(allowed.symType).toBe(SymType.Pdb);
    });

    test('a login page answered with 200 is never stored', async () => {
      const r = await load('basic-x64.exe', 'login');
      expect(r.symType).not.toBe(SymType.Pdb);
      expect(r.files).toEqual([]);
    });

    test('a miss: three 404s, then remembered (no request on the next load)', async () => {
      const before = nginx.requests().length;
      const a = await load('cppfeatures-x86.exe', 'sym');
      expect(a.symType).not.toBe(SymType.Pdb);
      expect(a.files).toEqual([]);
      expect(newRequests(before).map((l) => l.replace(/ \d+$/, ''))).toEqual([
        expect.stringMatching(/^GET \/sym\/cppfeatures-x86\.pdb\/[0-9A-F]+\/cppfeatures-x86\.pdb 404$/),
        expect.stringMatching(/\/cppfeatures-x86\.pd_ 404$/),
        expect.stringMatching(/\/file\.ptr 404$/),
      ]);
      const mid = nginx.requests().length;
      await load('cppfeatures-x86.exe', 'sym');
      expect(newRequests(mid)).toEqual([]);
    });

    test('eight processes through a rate-limited location: one download, eight loads', async () => {
      const libDir = compiledLib();
      const cache = path.join(tmp, 'cache-procs');
      const imgDir = path.join(tmp, 'img-procs');
      fs.mkdirSync(imgDir);
      fs.copyFileSync(basicExe.path, path.join(imgDir, basicExe.name));
      const before = nginx.requests().length;
      const runner = path.join(__dirname, 'helpers', 'load-child.js');
      const kids = Array.from({ length: 8 }, () =>
        spawn(process.execPath, [runner, libDir, `srv*${cache}*${nginx.url}/slow`, path.join(imgDir, basicExe.name), path.join(tmp, 'home8'), 'file_local_square'], {
          stdio: ['pipe', 'pipe', 'inherit'],
        }),
      );
      const out = kids.map(() => '');
      kids.forEach((k, i) => k.stdout!.on('data', (d) => (out[i] += d.toString())));
      const exited = kids.map((k) => new Promise<void>((r) => k.on('exit', () => r())));
      // Wait until all are ready, then say go to all at once.
      while (!out.every((o) => o.includes('ready\n'))) await new Promise((r) => setTimeout(r, 20));
      for (const k of kids) k.stdin!.write('go\n');
      await Promise.all(exited);
      const results = out.map((o) => JSON.parse(o.split('\n').find((l) => l.startsWith('{'))!));
      for (const r of results) {
        expect(r.error).toBeUndefined();
        expect(r.symType).toBe(SymType.Pdb);
        expect(r.symbol?.name).toBe('file_local_square');
      }
      const gets = newRequests(before).filter((l) => l.startsWith(`GET /slow/${basic.name}/`));
      expect(gets).toEqual([`GET /slow/${basic.name}/${basic.key}/${basic.name} 200 ${basic.bytes.length}`]);
      expect(filesUnder(cache)).toEqual([`${basic.name}/${basic.key}/${basic.name}`]);
    });
  });
}
