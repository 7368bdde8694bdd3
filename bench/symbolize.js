#!/usr/bin/env node
// Benchmark: SymFromAddr throughput and a cold single lookup, side by side with
// llvm-symbolizer-19 on the same image, PDB and addresses, in the same run. Prints ratios
// (this machine is shared and noisy; absolute times drift). Not a test: it asserts nothing.
//
//   node bench/symbolize.js [--n 100000] [--image X --pdb Y]...
//   node bench/symbolize.js --big [bench/big.js options]    (npm run bench -- --big)
//
// Default inputs: the largest corpus images with PDBs (../shared/corpus), else the fixtures.
'use strict';
// `npm run bench -- --big`: the generated big-PDB benchmark (bench/big.js) instead.
if (process.argv.includes('--big')) {
  require('./big.js');
  return;
}
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const N = Number(opt('--n', '100000'));
const corpus = path.resolve(root, '..', 'shared', 'corpus');
const cli = path.resolve(opt('--cli', path.join(root, 'bin', 'dbghelp.js'))); // --cli: another build's, for before/after

function inputs() {
  if (args.includes('--image')) return [{ image: opt('--image'), pdb: opt('--pdb') }];
  const c = (p) => path.join(corpus, p);
  const list = [
    { image: c('mozilla_dump_syms/test_data/windows/basic32.dll'), pdb: c('derived/mozilla_dump_syms/test_data/windows/basic32.pdb') },
    { image: c('mstange_samply/fixtures/win64-ci/softokn3.dll'), pdb: c('mstange_samply/fixtures/win64-ci/softokn3.pdb') },
    { image: c('google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest64.exe'), pdb: c('google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest64.pdb') },
  ].filter((x) => fs.existsSync(x.image) && fs.existsSync(x.pdb));
  if (list.length) return list;
  return [{ image: path.join(root, 'test/fixtures/bin/cppfeatures-x64.exe'), pdb: path.join(root, 'test/fixtures/bin/cppfeatures-x64.pdb') }];
}

/** N pseudo-random RVAs inside the image's code sections (deterministic). */
function addresses(image, n) {
  const { PeImage } = require(path.join(root, 'dist/formats/pe/pe-image.js'));
  const img = PeImage.open(image);
  const code = img.sections.filter((s) => s.characteristics & 0x20);
  img.close();
  let x = 12345;
  const out = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const s = code[x % code.length];
    out.push('0x' + (s.virtualAddress + (x % Math.max(1, s.virtualSize))).toString(16));
  }
  return out.join('\n') + '\n';
}

function timed(cmd, argv, input) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed: ${r.stderr.slice(-500)}`);
  const rssKb = Number((r.stderr.trim().split('\n').pop() || '0').trim());
  return { ms, rssKb, lines: r.stdout.split('\n').filter(Boolean).length };
}

const haveTime = fs.existsSync('/usr/bin/time');
const llvm = spawnSync('llvm-symbolizer-19', ['--version']).status === 0;
if (!llvm) {
  console.log('bench: llvm-symbolizer-19 not found (apt install llvm-19); nothing to compare against');
  process.exit(0);
}
if (!haveTime) {
  console.log('bench: /usr/bin/time not found (apt install time); nothing measured');
  process.exit(0);
}

console.log(`bench: ${N} addresses per image; ratio = llvm-symbolizer-19 time / ours (higher is better for us)`);
const os = require('os');
/** llvm-symbolizer finds the PDB by the image's CodeView file name next to the image: lay them out so. */
function sideBySide(image, pdb) {
  const { PeImage } = require(path.join(root, 'dist/formats/pe/pe-image.js'));
  const img = PeImage.open(image);
  const cv = img.codeView();
  img.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-bench-'));
  const i = path.join(dir, path.basename(image));
  const p = path.join(dir, path.win32.basename(cv ? cv.pdbPath : path.basename(pdb)));
  fs.symlinkSync(path.resolve(image), i);
  fs.symlinkSync(path.resolve(pdb), p);
  return { image: i, pdb: p };
}

for (const input of inputs()) {
  const { image, pdb } = sideBySide(input.image, input.pdb);
  const many = addresses(image, N);
  const one = addresses(image, 1);
  const oursArgs = [cli, 'symbolize', '--image', image, '--pdb', pdb, '--rva', '--json'];
  const llvmArgs = ['--obj=' + image, '--relative-address', '--no-inlines', '--output-style=JSON'];
  const run = (what, input) => {
    // Alternate and keep the best of 3, to damp the noise of a shared machine.
    let a = [];
    let b = [];
    for (let i = 0; i < 3; i++) {
      a.push(timed(process.execPath, oursArgs, input));
      b.push(timed('llvm-symbolizer-19', llvmArgs, input));
    }
    const best = (xs) => xs.reduce((m, x) => (x.ms < m.ms ? x : m));
    const o = best(a);
    const l = best(b);
    if (o.lines !== l.lines) console.log(`  (answers: ours ${o.lines} lines, llvm ${l.lines})`);
    console.log(
      `  ${path.basename(image)} (${(fs.statSync(pdb).size / 1e6).toFixed(1)} MB PDB) ${what}: ours ${o.ms.toFixed(0)} ms ${(o.rssKb / 1024).toFixed(0)} MB, ` +
        `llvm ${l.ms.toFixed(0)} ms ${(l.rssKb / 1024).toFixed(0)} MB -> time ratio ${(l.ms / o.ms).toFixed(2)}x, memory ratio ${(l.rssKb / o.rssKb).toFixed(2)}x`,
    );
  };
  run(`${N} lookups`, many);
  run('1 cold lookup', one);
}
