#!/usr/bin/env node
// `npm run bench:dump-syms`: Breakpad .sym writing and reading on the generated big PDB
// (bench/make-big-pdb.js, 187.6 MB; built once into bench/.cache, ~9 min). A benchmark: prints
// throughput (MB of PDB per second) and peak RSS, asserts nothing. No peer runs here: Breakpad's
// and Mozilla's dump_syms read PDBs only on Windows (DIA) or are not installable here.
//
//   node bench/dump-syms.js [--size MB] [--rounds N]
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const rounds = Number(opt('--rounds', '2'));
if (!fs.existsSync('/usr/bin/time')) {
  console.log('bench:dump-syms: /usr/bin/time not found (apt install time); nothing measured');
  process.exit(0);
}
const made = spawnSync(process.execPath, [path.join(__dirname, 'make-big-pdb.js'), '--size', opt('--size', '187')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (made.status !== 0) {
  console.log('bench:dump-syms: could not build the big PDB (needs clang-19 and lld-link-19); nothing measured');
  process.exit(0);
}
const image = made.stdout.trim().split('\n').pop();
const pdb = path.join(path.dirname(image), 'big.pdb');
const mb = fs.statSync(pdb).size / 1048576;
const out = path.join(os.tmpdir(), `bench-big-${process.pid}.sym`);

function timed(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`failed: ${r.stderr.slice(-400)}`);
  return { s, rssMb: Number(r.stderr.trim().split('\n').pop()) / 1024, stdout: r.stdout };
}

let write = { s: Infinity, rssMb: Infinity };
let read = { s: Infinity, rssMb: Infinity };
try {
  for (let i = 0; i < rounds; i++) {
    const w = timed([path.join(root, 'bin', 'dbghelp.js'), 'dump-syms', pdb, '--image', image, '--inlines', '-o', out]);
    write = { s: Math.min(write.s, w.s), rssMb: Math.min(write.rssMb, w.rssMb) };
    const r = timed([
      '-e',
      `require(${JSON.stringify(path.join(root, 'dist', 'formats', 'breakpad'))}).readBreakpadSymbols(${JSON.stringify(out)}).then((s) => console.log(JSON.stringify(s.counts)))`,
    ]);
    read = { s: Math.min(read.s, r.s), rssMb: Math.min(read.rssMb, r.rssMb) };
    if (i === 0) console.log(`bench:dump-syms: ${mb.toFixed(1)} MB PDB -> ${(fs.statSync(out).size / 1048576).toFixed(1)} MB .sym; records ${r.stdout.trim()}`);
  }
  const symMb = fs.statSync(out).size / 1048576;
  console.log(`bench:dump-syms: write ${write.s.toFixed(1)} s = ${(mb / write.s).toFixed(1)} MB of PDB/s, peak RSS ${write.rssMb.toFixed(0)} MB (best of ${rounds})`);
  console.log(`bench:dump-syms: read back ${read.s.toFixed(1)} s = ${(symMb / read.s).toFixed(1)} MB of .sym/s, peak RSS ${read.rssMb.toFixed(0)} MB`);
} finally {
  fs.rmSync(out, { force: true });
}
