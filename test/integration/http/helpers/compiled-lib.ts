/**
 * lib/ as JavaScript, for tests that run it in child processes: dist/ when it is at least as new
 * as every lib/ source (as after `npm run build`, which `npm test` runs first), else a
 * transpiled copy under node_modules/.cache (keyed by a hash of the sources, so it is made once
 * per change; inside the project so that `require` of dependencies still resolves).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const LIB = path.join(ROOT, 'lib');

function sources(dir = LIB, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

function distIsFresh(files: string[]): boolean {
  for (const f of files) {
    const js = path.join(ROOT, 'dist', path.relative(LIB, f)).replace(/\.ts$/, '.js');
    try {
      if (fs.statSync(js).mtimeMs < fs.statSync(f).mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The directory holding lib's index.js. */
export function compiledLib(): string {
  const files = sources();
  if (distIsFresh(files)) return path.join(ROOT, 'dist');
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(path.relative(LIB, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  const out = path.join(ROOT, 'node_modules', '.cache', 'dbghelp-test-lib', h.digest('hex').slice(0, 16));
  if (fs.existsSync(path.join(out, '.complete'))) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  for (const f of files) {
    const js = ts.transpileModule(fs.readFileSync(f, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: f,
    }).outputText;
    const dest = path.join(tmp, path.relative(LIB, f)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, js);
  }
  fs.writeFileSync(path.join(tmp, '.complete'), '');
  try {
    fs.renameSync(tmp, out);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another run made it first
  }
  // Copies for older sources, unused for an hour, go.
  for (const old of fs.readdirSync(path.dirname(out))) {
    const p = path.join(path.dirname(out), old);
    if (p !== out && Date.now() - fs.statSync(p).mtimeMs > 3_600_000) fs.rmSync(p, { recursive: true, force: true });
  }
  return out;
}
