/**
 * writeMinidump (MiniDumpWriteDump) and readDumpStream (MiniDumpReadDumpStream) through the
 * native and ffi backends, in the Wine lane; the portable backend refuses writeMinidump.
 *
 * Microsoft's dbghelp.dll forwards both functions to dbgcore.dll, which neither
 * ../shared/windows nor Wine has: with it the backends must say so (UNSUPPORTED naming
 * dbgcore.dll), not abort. Wine's builtin dbghelp.dll implements both: a dump of another process
 * is written and read back with the package's own reader (openMinidump), and
 * MiniDumpReadDumpStream's answer is compared with the reader's bytes of the same stream. Both
 * backends dump Wine's find.exe waiting on its stdin (~7 s). An idle child node.exe works as well
 * (DBGHELP_LANE_DUMP_NODE=1, native; measured 30-75 s on the shared machine: Wine's writer adds
 * the unwind data of every function of every module, and node.exe has many), and a dump of jest's
 * own process took over 100 s, so the lane leaves them out.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBackend } from '../conformance/backends';

const SYSTEM_INFO = 7;
const MISC_INFO = 15;
const MODULE_LIST = 4;

describe('portable backend: writeMinidump', () => {
  const loaded = loadBackend('portable');
  test('throws UNSUPPORTED saying it needs Windows (MiniDumpWriteDump)', () => {
    if ('error' in loaded) throw loaded.error;
    expect(() => loaded.lib.writeMinidump(path.join(os.tmpdir(), 'never.dmp'))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringMatching(/needs Windows.*MiniDumpWriteDump/) }),
    );
  });
});

for (const name of ['native', 'ffi'] as const) {
  describe(`${name} backend: writeMinidump and readDumpStream`, () => {
    const loaded = loadBackend(name);
    if ('error' in loaded) {
      test(`not available on ${process.platform} (the Wine lane runs this)`, () => {
        expect(loaded.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      });
      return;
    }
    const { lib, backend } = loaded;
    // node.exe works too (DBGHELP_LANE_DUMP_NODE=1), but Wine takes 30-75 s to dump one here.
    const target = process.env.DBGHELP_LANE_DUMP_NODE === '1' && name === 'native' ? 'node.exe' : 'find.exe';
    let dir: string;
    let file: string;
    let child: ChildProcess;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `dbghelp-${name}-dump-`));
      file = path.join(dir, 'child.dmp');
      if (target === 'node.exe') {
        // An idle node.exe that says when it runs (its stdout is a file: Wine's node.exe cannot write to a pipe).
        const ready = path.join(dir, 'ready.txt');
        child = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(ready)}, String(process.pid)); setInterval(() => {}, 1000)`], { stdio: 'ignore' });
        for (let i = 0; i < 200 && !fs.existsSync(ready); i++) await new Promise((r) => setTimeout(r, 50));
        expect(fs.readFileSync(ready, 'utf8')).toBe(String(child.pid));
      } else {
        // find.exe reads its stdin (a pipe left open) until the end: idle until killed.
        child = spawn(path.join(process.env.SystemRoot ?? 'C:\\windows', 'system32', 'find.exe'), ['never'], { stdio: ['pipe', 'ignore', 'ignore'] });
        await new Promise((r) => setTimeout(r, 1500));
        expect(child.exitCode).toBeNull();
      }
      // One dump for the tests below: Wine 8's MiniDumpWriteDump of a node.exe takes ~30 s here.
      if (loaded.dll !== 'microsoft') lib.writeMinidump(file, { processId: child.pid, type: 0 });
    }, 120_000);
    afterAll(() => {
      child?.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    if (loaded.dll === 'microsoft') {
      test("Microsoft's DLL without dbgcore.dll: both throw UNSUPPORTED naming dbgcore.dll, and the process goes on", () => {
        const ms = path.join(dir, 'ms.dmp');
        expect(() => lib.writeMinidump(ms)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringMatching(/MiniDumpWriteDump.*dbgcore\.dll/) }));
        const some = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'dumps', 'leaf.dmp'));
        expect(() => backend.readDumpStream!(some, SYSTEM_INFO)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringMatching(/MiniDumpReadDumpStream.*dbgcore\.dll/) }));
        expect(fs.existsSync(ms)).toBe(false);
      });
      return;
    }

    test(`a dump of a child ${target}, read back with openMinidump: that process, its threads with contexts, ${target} and ntdll.dll among its modules`, () => {
      const dump = lib.openMinidump(file);
      try {
        expect(dump.miscInfo()?.processId).toBe(child.pid);
        expect(dump.systemInfo()?.processorArchitecture).toBe(9); // AMD64
        expect(dump.threads().length).toBeGreaterThan(0);
        const names = dump.modules().map((m) => path.win32.basename(m.name).toLowerCase());
        expect(names[0]).toBe(target); // the executable first, as MiniDumpWriteDump lists it
        expect(names).toContain('ntdll.dll');
        // node.exe imports dbghelp.dll (its own crash traces); find.exe does not.
        if (target === 'node.exe') expect(names).toContain('dbghelp.dll');
        else expect(names).not.toContain('dbghelp.dll');
        for (const t of dump.threads()) expect(dump.threadContext(t)?.registers.get('rsp')).toBeGreaterThan(0n);
      } finally {
        dump.close();
      }
    });

    test('readDumpStream (MiniDumpReadDumpStream) gives the bytes openMinidump reads for the same stream; undefined for a stream not there', () => {
      const bytes = fs.readFileSync(file);
      const dump = lib.openMinidump(file);
      try {
        for (const type of [SYSTEM_INFO, MISC_INFO, MODULE_LIST]) {
          const ours = dump.rawStream(type);
          expect(ours).toBeDefined();
          expect(Buffer.from(backend.readDumpStream!(bytes, type)!)).toEqual(Buffer.from(ours!));
        }
        expect(backend.readDumpStream!(bytes, 0x4242)).toBeUndefined();
      } finally {
        dump.close();
      }
    });

    test('a bad path is a DbgHelpError with the Win32 error, not a crash', () => {
      expect(() => lib.writeMinidump(path.join(dir, 'no', 'such', 'dir', 'x.dmp'))).toThrow(expect.objectContaining({ name: 'DbgHelpError', win32Error: 3 }));
      expect(() => lib.writeMinidump('')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    });
  });
}
