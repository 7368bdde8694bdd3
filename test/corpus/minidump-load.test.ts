/**
 * loadDump over corpus dumps: mini.dmp with crash.exe and crash.pdb beside it on the search
 * path (the main module loads with private symbols; the system modules' files are absent), and
 * minidump2.dmp, whose PDBs are not in the corpus (every module: symbols-missing).
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { breakers, closeSharedAgents, setHttpStoreDefaults } from '../../lib/symsrv/http';
import { loadDump } from '../../lib/dump/load-dump';
import { SymType } from '../../lib/api/constants';
import { corpusPath, describeCorpus } from '../helpers/corpus';

const WINDOWS = 'getsentry_symbolic/symbolic-testutils/fixtures/windows';
const MINI = corpusPath(`${WINDOWS}/mini.dmp`);

describeCorpus('loadDump: mini.dmp with crash.exe and crash.pdb on the search path', () => {
  test('crash.exe loads at the dump base with its PDB; the rest say why not', async () => {
    const events: string[] = [];
    const d = await loadDump(MINI, { searchPath: path.dirname(MINI), onProgress: (p) => events.push(p.kind) });
    try {
      expect(d.modules).toHaveLength(17);
      const crash = d.modules[0];
      expect(crash.name).toBe('crash.exe');
      expect(crash.status).toEqual({ kind: 'loaded', source: 'pdb', symbolFile: corpusPath(`${WINDOWS}/crash.pdb`), imageFile: corpusPath(`${WINDOWS}/crash.exe`) });
      const info = d.handler.getModuleInfo(0x2a0000n)!;
      expect(info).toMatchObject({ baseOfImage: 0x2a0000n, imageSize: 0x9000, symType: SymType.Pdb, moduleName: 'crash' });
      // The crash address (exception at 0x2a2a3d) symbolizes through the handler.
      // crash.sym (DIA): FUNC 2910 15e 8 main; line 2a3d a 35 443 (main.cpp).
      const hit = d.handler.fromAddr(d.dump.exception()!.exceptionAddress)!;
      expect([hit.symbol.name, hit.symbol.address, hit.displacement]).toEqual(['main', 0x2a2910n, 0x12dn]);
      const line = d.handler.getLineFromAddr(0x2a2a3dn)!;
      expect([line.fileName.toLowerCase(), line.lineNumber]).toEqual(['c:\\projects\\breakpad-tools\\windows\\crash\\main.cpp', 35]);
      for (const m of d.modules.slice(1)) {
        expect([m.name, m.status.kind]).toEqual([m.name, 'symbols-missing']);
        expect(m.loaded).toBe(false);
      }
      const ntdll = d.modules[1];
      expect(ntdll.status).toMatchObject({ kind: 'symbols-missing', wanted: { name: 'wntdll.pdb', debugId: '971F98E5CE6041FFB2D7235BBEB345781' } });
      expect(events.filter((e) => e === 'module-done')).toHaveLength(17);
      expect(d.handler.getSearchPath()).toBe(path.dirname(MINI));
    } finally {
      d.close();
    }
  });

  test('the walker view: readRva from the image, memory from the dump, x86 frame data from the PDB', async () => {
    const d = await loadDump(MINI, { searchPath: path.dirname(MINI) });
    try {
      expect(d.arch).toBe('x86');
      const crash = d.moduleAt(0x2a2a3dn)!;
      expect(crash.index).toBe(0);
      expect(Buffer.from(crash.readRva(0, 2)!).toString('latin1')).toBe('MZ');
      // ntdll without its image: code bytes from the dump's memory (a range at 0x771de51c).
      const ntdll = d.modules[1];
      expect(ntdll.imageFile).toBeUndefined();
      const fromDump = d.memory.read(0x771de51cn, 16)!;
      expect(fromDump).toHaveLength(16);
      expect(Buffer.from(ntdll.readRva(0x771de51c - 0x77170000, 16)!)).toEqual(Buffer.from(fromDump));
      expect(ntdll.readRva(0, 2)).toBeUndefined(); // its headers were not captured
      expect(ntdll.x86FrameInfo!(0x6e51c)).toBeUndefined(); // no PDB
      const threads = d.threads();
      expect(threads).toHaveLength(4);
      const crashed = threads.find((t) => t.crashed)!;
      expect(crashed.thread.threadId).toBe(1636);
      expect(crashed.context!.registers.get('eip')).toBe(0x2a2a3dn);
    } finally {
      d.close();
    }
  });
});

describeCorpus('loadDump: x86 frame data vs crash.sym (DIA-made STACK WIN records)', () => {
  test('every STACK WIN record of crash.sym is what x86FrameInfo answers at its RVA', async () => {
    const d = await loadDump(MINI, { searchPath: path.dirname(MINI) });
    try {
      const crash = d.modules[0];
      const sym = fs.readFileSync(corpusPath(`${WINDOWS}/crash.sym`), 'utf8');
      const rows = [...sym.matchAll(/^STACK WIN (\d) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\d) ?(.*)$/gm)];
      expect(rows.length).toBe(154);
      for (const r of rows) {
        const type = Number(r[1]);
        const [rva, code, prolog, , params, saved, locals, maxStack] = r.slice(2, 10).map((x) => parseInt(x, 16));
        const hasProgram = Number(r[10]);
        const rest = r[11];
        const got = crash.x86FrameInfo!(rva)!;
        if (type === 0) {
          // Both FPO records are shadowed by FRAMEDATA records at the same RVA, which win.
          expect(rows.some((o) => o[1] === '4' && parseInt(o[2], 16) === rva)).toBe(true);
          expect([rva, got.kind]).toEqual([rva, 'framedata']);
          continue;
        }
        const want: Record<string, unknown> = {
          kind: type === 4 ? 'framedata' : 'fpo',
          rvaStart: rva,
          codeSize: code,
          prologSize: prolog,
          paramsSize: params,
          savedRegsSize: saved,
          localsSize: locals,
        };
        if (type === 4) Object.assign(want, { maxStackSize: maxStack, program: hasProgram ? rest.trim().replace(/\s+/g, ' ') : undefined });
        else want.allocatesBasePointer = rest.trim() === '1';
        const ours: Record<string, unknown> = { ...got, program: got.program?.trim().replace(/\s+/g, ' ') };
        for (const k of Object.keys(want)) expect([rva.toString(16), k, ours[k]]).toEqual([rva.toString(16), k, want[k]]);
      }
      // Outside every record: nothing.
      expect(crash.x86FrameInfo!(0x10)).toBeUndefined();
    } finally {
      d.close();
    }
  });
});

describeCorpus('loadDump: minidump2.dmp without its PDBs', () => {
  test('every module is symbols-missing with what was searched', async () => {
    const d = await loadDump(corpusPath('google_breakpad/src/processor/testdata/minidump2.dmp'), { searchPath: corpusPath(WINDOWS) });
    try {
      expect(d.modules).toHaveLength(13);
      for (const m of d.modules) expect([m.name, m.status.kind]).toEqual([m.name, 'symbols-missing']);
      expect(d.modules[0].status).toEqual({
        kind: 'symbols-missing',
        wanted: { name: 'test_app.pdb', debugId: '5A9832E5287241C1838ED98914E9B7FF1' },
        searched: [
          path.join(corpusPath(WINDOWS), 'test_app.exe'),
          'c:\\test_app.pdb',
          path.join(corpusPath(WINDOWS), 'test_app.pdb'),
          path.join(corpusPath(WINDOWS), 'exe', 'test_app.pdb'),
          path.join(corpusPath(WINDOWS), 'symbols', 'exe', 'test_app.pdb'),
        ],
      });
      expect(d.handler.enumModules()).toEqual([]);
    } finally {
      d.close();
    }
  });
});

describeCorpus('loadDump: minidump2.dmp against a symbol server that answers 503', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    setHttpStoreDefaults({ retries: 0, connectTimeoutMs: 1000, idleTimeoutMs: 500 });
    breakers.reset();
    server = http.createServer((req, res) => {
      res.statusCode = req.url?.endsWith('/index2.txt') ? 404 : 503;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/symbols`;
  });
  afterAll(async () => {
    breakers.reset();
    setHttpStoreDefaults({});
    closeSharedAgents();
    await new Promise((r) => server.close(r));
  });

  test('every module: unavailable, with the server, the status and the identity wanted', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'md2-'));
    try {
      const d = await loadDump(corpusPath('google_breakpad/src/processor/testdata/minidump2.dmp'), { searchPath: `srv*${cache}*${url}`, concurrency: 3 });
      try {
        expect(d.modules).toHaveLength(13);
        // The first modules see the 503s; once the host breaker opens (lib/symsrv/http) the rest
        // are skipped without a request, and say so.
        for (const m of d.modules) {
          expect(m.status).toMatchObject({ kind: 'unavailable', server: url, wanted: { debugId: m.record.debugId } });
          if (m.status.kind !== 'unavailable') continue;
          if (m.status.httpStatus !== undefined) expect([m.status.httpStatus, m.status.reason]).toEqual([503, 'HTTP 503 (HTTP_STATUS_SERVICE_UNAVAIL)']);
          else expect(m.status.reason).toMatch(/^127\.0\.0\.1:\d+ skipped: \d+ failures in a row/);
        }
        expect(d.modules[0].status).toMatchObject({ httpStatus: 503 });
        expect(d.modules[1].status).toMatchObject({ wanted: { name: 'ntdll.pdb', debugId: '36515FB5D04345E491F672FA2E2878C02' } });
      } finally {
        d.close();
      }
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
