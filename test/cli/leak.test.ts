/**
 * A SymbolHandler collected without cleanup() closes its files, with a warning, as Node does for
 * a FileHandle never closed (issue 10, item 6). Runs the built dist/ in a child with --expose-gc
 * and counts the child's descriptors open on the PDB (/proc/self/fd: Linux only).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const IMG = path.join(ROOT, 'test', 'fixtures', 'bin', 'basic-x64.exe');
const PDB = path.join(ROOT, 'test', 'fixtures', 'bin', 'basic-x64.pdb');

const script = (cleanup: boolean) => `
const fs = require('fs');
const { SymbolHandler } = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))});
const open = () => fs.readdirSync('/proc/self/fd').filter((fd) => { try { return fs.readlinkSync('/proc/self/fd/' + fd) === ${JSON.stringify(PDB)}; } catch { return false; } }).length;
(async () => {
  await (async () => {
    const h = SymbolHandler.initialize({ searchPath: '' });
    await h.loadModule(${JSON.stringify(IMG)});
    h.fromAddr(0x140001000n);
    ${cleanup ? 'h.cleanup();' : ''}
  })();
  const before = open();
  for (let i = 0; i < 20 && open() > 0; i++) { global.gc(); await new Promise((r) => setTimeout(r, 10)); }
  await new Promise((r) => setTimeout(r, 10));
  console.log(JSON.stringify({ before, after: open() }));
})();
`;

const linux = process.platform === 'linux' ? test : test.skip;

linux('a handler dropped without cleanup() has its PDB closed when collected, with one warning', () => {
  const p = spawnSync(process.execPath, ['--expose-gc', '-e', script(false)], { encoding: 'utf8' });
  expect(JSON.parse(p.stdout)).toEqual({ before: 1, after: 0 });
  expect(p.stderr).toMatch(/\[DBGHELP_HANDLER_NOT_CLEANED_UP\] Warning: a SymbolHandler was garbage-collected without cleanup\(\)/);
  expect(p.stderr.match(/DBGHELP_HANDLER_NOT_CLEANED_UP/g)).toHaveLength(1);
});

linux('a handler cleaned up is not warned about', () => {
  expect(fs.existsSync(path.join(ROOT, 'dist', 'index.js'))).toBe(true);
  const p = spawnSync(process.execPath, ['--expose-gc', '-e', script(true)], { encoding: 'utf8' });
  expect(JSON.parse(p.stdout)).toEqual({ before: 0, after: 0 });
  expect(p.stderr).toBe('');
});
