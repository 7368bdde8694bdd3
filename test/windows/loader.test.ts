/**
 * The Windows loader (lib/backend/select.ts, native.ts): native, then ffi, then portable, each
 * failure said out loud. Runs in the Wine lane (`npm run test:windows`) against the built
 * package (dist/) copied without its prebuilds; on other platforms it checks the refusal.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `code` with the package at `pkg` (node_modules from the project) and the given env. */
function run(pkg: string, code: string, env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-out-'));
  const out = path.join(dir, 'out.txt');
  const err = path.join(dir, 'err.txt');
  const script = `const fs=require('fs');try{const r=(${code})(require(${JSON.stringify(path.join(pkg, 'dist'))}));fs.writeFileSync(${JSON.stringify(out)},String(r))}catch(e){fs.writeFileSync(${JSON.stringify(err)},e.code+' '+e.message)}`;
  const r = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  return { status: r.status, stdout: read(out), error: read(err), stderr: r.stderr ?? '' };
}

/** A copy of the built package without prebuilds/ or build/. */
function packageWithoutPrebuilds(): string {
  const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-pkg-'));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(pkg, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  return pkg;
}

const onWindows = process.platform === 'win32' && fs.existsSync(path.join(ROOT, 'dist', 'index.js'));
const describeWin = onWindows ? describe : describe.skip;

describeWin('loader on Windows (built package)', () => {
  test('the package as built loads the native backend from prebuilds/, silently', () => {
    const r = run(ROOT, 'd => d.backend', { DBGHELP_BACKEND: '' });
    expect(r.error).toBe('');
    expect(r.stdout).toBe('native');
    expect(r.stderr).not.toMatch(/DBGHELP_BACKEND_FALLBACK/);
  });

  test('with no prebuild, it falls back to ffi with a warning naming what failed', () => {
    const r = run(packageWithoutPrebuilds(), 'd => d.backend', { DBGHELP_BACKEND: '' });
    expect(r.error).toBe('');
    expect(r.stdout).toBe('ffi');
    expect(r.stderr).toMatch(/DBGHELP_BACKEND_FALLBACK/);
    expect(r.stderr).toMatch(/native: the native backend could not load its addon/);
  });

  test('DBGHELP_BACKEND=native with no prebuild fails, naming what is missing and what to do', () => {
    const r = run(packageWithoutPrebuilds(), 'd => d.backend', { DBGHELP_BACKEND: 'native' });
    expect(r.stdout).toBe('');
    expect(r.error).toMatch(/^BACKEND_UNAVAILABLE /);
    expect(r.error).toMatch(/prebuilds[\\/]win32-x64[\\/]\*\.node/);
    expect(r.error).toMatch(/build[\\/]Release[\\/]dbghelp\.node/);
    expect(r.error).toMatch(/npx cmake-js build/);
    expect(r.error).toMatch(/DBGHELP_BACKEND=ffi/);
  });

  test('DBGHELP_BACKEND=ffi and =portable are obeyed', () => {
    expect(run(ROOT, 'd => d.backend', { DBGHELP_BACKEND: 'ffi' }).stdout).toBe('ffi');
    expect(run(ROOT, 'd => d.backend', { DBGHELP_BACKEND: 'portable' }).stdout).toBe('portable');
  });
});

if (!onWindows) {
  test(`off Windows (${process.platform}) native and ffi refuse to load and say to use portable; the Wine lane runs the rest`, () => {
    const { loadNative } = require('../../lib/backend/native') as typeof import('../../lib/backend/native');
    const { loadFfi } = require('../../lib/backend/ffi') as typeof import('../../lib/backend/ffi');
    for (const load of [loadNative, loadFfi]) {
      expect(load).toThrow(expect.objectContaining({ code: 'BACKEND_UNAVAILABLE', message: expect.stringMatching(/runs only on Windows.*DBGHELP_BACKEND=portable/) }));
    }
  });
}
