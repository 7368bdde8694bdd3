/**
 * InitializeOptions.symbolServer, per handler: request headers (a server that wants a token),
 * the miss cache's lifetime (0 turns it off), idle timeouts, and proxies (the handler's own, or
 * `_NT_SYMBOL_PROXY` from the environment), through SymbolHandler.loadModule as a user runs it.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { SymbolHandler, SymOpt, SymType } from '../../../lib';
import type { SymbolServerOptions } from '../../../lib/api/types';
import { breakers, closeSharedAgents } from '../../../lib/symsrv/http';
import { forgetLayouts } from '../../../lib/symsrv/http/http-store';
import { FaultServer, serve, stall, type Behaviour } from './helpers/fault-server';
import { imageFixture, pdbFixture, tempDir } from './helpers/fixture';

const PDB = pdbFixture('basic-x64.pdb');
const IMG = imageFixture('basic-x64.exe');
const FILE = `/sym/${PDB.name}/${PDB.key}/${PDB.name}`;

let server: FaultServer;
let tmp: string;

/** Serves the PDB only to requests that carry `authorization: Bearer s3cret`; 401 to others. */
const tokenOnly: Behaviour = (req, res, nth) => {
  if (req.headers.authorization === 'Bearer s3cret') return serve(PDB.bytes)(req, res, nth);
  res.writeHead(401, { 'content-type': 'text/plain' });
  res.end('token required');
};

/** A forward proxy for http:// targets: records each absolute-URI request and relays it. */
async function startProxy(): Promise<{ url: string; hostPort: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const p = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const up = http.request(req.url ?? '', { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => p.listen(0, '127.0.0.1', r));
  const { port } = p.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    seen,
    close: () => {
      p.closeAllConnections();
      return new Promise((r) => p.close(() => r()));
    },
  };
}

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
  breakers.reset();
  tmp = tempDir('symsrv-opts');
  fs.mkdirSync(path.join(tmp, 'img'));
  fs.copyFileSync(IMG.path, path.join(tmp, 'img', IMG.name));
});
afterEach(() => {
  closeSharedAgents();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function load(symbolServer?: SymbolServerOptions, cache = 'cache'): Promise<{ symType: number; lines: string[] }> {
  const sym = SymbolHandler.initialize({ searchPath: `srv*${path.join(tmp, cache)}*${server.url}/sym`, symbolServer });
  const lines: string[] = [];
  try {
    sym.setOptions(sym.getOptions() | SymOpt.DEBUG);
    sym.setHomeDirectory(path.join(tmp, 'home'));
    sym.on('debug', (l) => lines.push(l));
    const base = await sym.loadModule(path.join(tmp, 'img', IMG.name));
    return { symType: sym.getModuleInfo(base)!.symType, lines };
  } finally {
    sym.cleanup();
  }
}

const fast: SymbolServerOptions = { retries: 0, connectTimeoutMs: 1000, idleTimeoutMs: 500 };

describe('symbolServer settings per handler', () => {
  test('headers: without the token the server says 401 and the module has no PDB; with it, the PDB loads', async () => {
    server.on(FILE, tokenOnly);
    const without = await load(fast, 'c1');
    expect(without.symType).not.toBe(SymType.Pdb);
    expect(without.lines.join('\n')).toMatch(/401/);
    const withToken = await load({ ...fast, headers: { authorization: 'Bearer s3cret' } }, 'c2');
    expect(withToken.symType).toBe(SymType.Pdb);
    // Two handlers in one process: the first one's missing header did not leak into the second, nor back.
    const again = await load(fast, 'c3');
    expect(again.symType).not.toBe(SymType.Pdb);
  });

  test('missCacheTtlMs 0: every load asks the server again; the default remembers the 404', async () => {
    await load(fast, 'c1');
    await load(fast, 'c2');
    expect(server.count(FILE)).toBe(1); // the second handler trusted the miss cache under <home>
    server.reset();
    fs.rmSync(path.join(tmp, 'home'), { recursive: true, force: true });
    await load({ ...fast, missCacheTtlMs: 0 }, 'c3');
    await load({ ...fast, missCacheTtlMs: 0 }, 'c4');
    expect(server.count(FILE)).toBe(2);
  });

  test("idleTimeoutMs: a server that stalls after the headers is given up on within the handler's bound", async () => {
    server.on(FILE, stall(server, PDB.bytes, 1000, 5000));
    const t0 = Date.now();
    const r = await load({ retries: 0, idleTimeoutMs: 200 }, 'c1');
    expect(r.symType).not.toBe(SymType.Pdb);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('proxies', () => {
  const saved = process.env._NT_SYMBOL_PROXY;
  afterEach(() => {
    if (saved === undefined) delete process.env._NT_SYMBOL_PROXY;
    else process.env._NT_SYMBOL_PROXY = saved;
  });

  test('symbolServer.proxy: every request goes through the proxy, as an absolute URI', async () => {
    const proxy = await startProxy();
    try {
      server.on(FILE, serve(PDB.bytes));
      const r = await load({ ...fast, proxy: proxy.url });
      expect(r.symType).toBe(SymType.Pdb);
      expect(proxy.seen).toContain(`${server.url}${FILE}`);
    } finally {
      await proxy.close();
    }
  });

  test('_NT_SYMBOL_PROXY (host:port) is honoured; proxy: false overrides it', async () => {
    const proxy = await startProxy();
    try {
      server.on(FILE, serve(PDB.bytes));
      process.env._NT_SYMBOL_PROXY = proxy.hostPort;
      expect((await load(fast, 'c1')).symType).toBe(SymType.Pdb);
      expect(proxy.seen).toContain(`${server.url}${FILE}`);
      proxy.seen.length = 0;
      expect((await load({ ...fast, proxy: false }, 'c2')).symType).toBe(SymType.Pdb);
      expect(proxy.seen).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
