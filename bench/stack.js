#!/usr/bin/env node
// `npm run bench:stack`: `dbghelp stack --json` against Breakpad's minidump_stackwalk on the same
// dumps, in the same run, as ratios (theirs / ours: higher is better for us). A benchmark: it
// prints and asserts nothing. See bench/README.md.
//
//   node bench/stack.js [--rounds N]
//
// minidump_stackwalk: $MINIDUMP_STACKWALK, else the Linux x64 build inside the npm package
// minidump@0.26.0, fetched once (scripts/stackwalk-bin.js). Each tool gets the symbols it reads:
// Breakpad the .sym files the corpus has (breakpad's testdata/symbols, symbolic's crash.sym laid
// out as name.pdb/<ID>/name.sym), we the directories holding the images and PDBs.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { stackwalker } = require('../scripts/stackwalk-bin');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1] || 0) || 5;
const corpus = process.env.DBGHELP_CORPUS || path.resolve(root, '..', 'shared', 'corpus');

function timed(cmd, argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rssKb = Number((r.stderr.trim().split('\n').pop() || '0').trim());
  return { ms, rssKb, status: r.status, out: r.stdout };
}

/** symbolic's crash.sym in Breakpad's layout, in a temporary directory. */
function crashSymDir() {
  const sym = path.join(corpus, 'getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.sym');
  if (!fs.existsSync(sym)) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sym-'));
  const id = fs.readFileSync(sym, 'utf8').split('\n', 1)[0].split(' ')[3];
  fs.mkdirSync(path.join(dir, 'crash.pdb', id), { recursive: true });
  fs.copyFileSync(sym, path.join(dir, 'crash.pdb', id, 'crash.sym'));
  return dir;
}

const bp = stackwalker();
if (!bp) {
  console.log('bench:stack: minidump_stackwalk not available (set MINIDUMP_STACKWALK, or allow `npm pack minidump@0.26.0`); nothing to compare against');
  process.exit(0);
}
if (!fs.existsSync('/usr/bin/time')) {
  console.log('bench:stack: /usr/bin/time not found (apt install time); nothing measured');
  process.exit(0);
}

const cases = [];
const own = path.join(root, 'test', 'fixtures', 'dumps');
for (const f of fs
  .readdirSync(own)
  .filter((f) => f.endsWith('.dmp'))
  .sort())
  cases.push({ name: `own/${f}`, dump: path.join(own, f), ours: path.join(own, 'bin'), theirs: [] });
if (fs.existsSync(path.join(corpus, 'MANIFEST.tsv'))) {
  const bpd = path.join(corpus, 'google_breakpad/src/processor/testdata');
  for (const f of ['minidump2.dmp', 'null_read_av.dmp', 'stack_exhaustion.dmp', 'thread_name_list.dmp', 'tiny-exe-fastfail.dmp', 'tiny-exe-with-cet-xsave.dmp', 'write_av_non_canonical.dmp'])
    cases.push({ name: `breakpad/${f}`, dump: path.join(bpd, f), ours: bpd, theirs: [path.join(bpd, 'symbols')] });
  const sym = path.join(corpus, 'getsentry_symbolic/symbolic-testutils/fixtures/windows');
  const crashSyms = crashSymDir();
  cases.push({ name: 'symbolic/mini.dmp', dump: path.join(sym, 'mini.dmp'), ours: sym, theirs: crashSyms ? [crashSyms] : [] });
} else {
  console.log(`bench:stack: no corpus at ${corpus}: only the project's own dumps`);
}

const node = process.execPath;
const dbghelp = path.join(root, 'bin', 'dbghelp.js');
console.log(`bench:stack: ${cases.length} dumps, best of ${rounds}; ratio = minidump_stackwalk / ours (higher is better for us)`);
console.log('dump                                      ours ms  bp ms  time x   ours MB  bp MB  mem x');
let sumOurs = 0;
let sumTheirs = 0;
for (const c of cases) {
  let ours = { ms: Infinity, rssKb: Infinity };
  let theirs = { ms: Infinity, rssKb: Infinity };
  for (let i = 0; i < rounds; i++) {
    // Alternate which tool runs first, so both see the same load.
    const runs = [() => timed(node, [dbghelp, 'stack', c.dump, '--json', '--symbol-path', c.ours]), () => timed(bp, [c.dump, ...c.theirs])];
    const [a, b] = i % 2 ? [runs[1](), runs[0]()] : [runs[0](), runs[1]()];
    const [o, t] = i % 2 ? [b, a] : [a, b];
    if (o.status !== 0 && o.status !== 1) throw new Error(`dbghelp stack failed on ${c.name}`);
    ours = { ms: Math.min(ours.ms, o.ms), rssKb: Math.min(ours.rssKb, o.rssKb) };
    theirs = { ms: Math.min(theirs.ms, t.ms), rssKb: Math.min(theirs.rssKb, t.rssKb) };
  }
  sumOurs += ours.ms;
  sumTheirs += theirs.ms;
  console.log(
    `${c.name.padEnd(40)} ${ours.ms.toFixed(0).padStart(8)} ${theirs.ms.toFixed(0).padStart(6)} ${(theirs.ms / ours.ms).toFixed(2).padStart(7)}  ${(ours.rssKb / 1024).toFixed(1).padStart(8)} ${(theirs.rssKb / 1024).toFixed(1).padStart(6)} ${(theirs.rssKb / ours.rssKb).toFixed(2).padStart(6)}`,
  );
}
console.log(`bench:stack: all dumps, one process each: ours ${sumOurs.toFixed(0)} ms, minidump_stackwalk ${sumTheirs.toFixed(0)} ms, ratio ${(sumTheirs / sumOurs).toFixed(2)}`);

// A crash server keeps one process: every dump processed in one Node process through the library
// (processMinidump + formatJson), best of `rounds` passes, against minidump_stackwalk's sum.
const lib = spawnSync(
  node,
  [
    '-e',
    `const { processMinidump, formatStackJson } = require(${JSON.stringify(path.join(root, 'dist', 'index.js'))});
     const cases = ${JSON.stringify(cases.map((c) => ({ dump: c.dump, ours: c.ours })))};
     (async () => {
       let best = Infinity;
       for (let r = 0; r < ${rounds}; r++) {
         const t0 = process.hrtime.bigint();
         for (const c of cases) formatStackJson(await processMinidump(c.dump, { searchPath: c.ours }));
         best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
       }
       console.log(JSON.stringify({ best, rssMb: process.memoryUsage().rss / 1048576 }));
     })();`,
  ],
  { encoding: 'utf8' },
);
if (lib.status === 0) {
  const r = JSON.parse(lib.stdout.trim().split('\n').pop());
  console.log(
    `bench:stack: all dumps in one process (library, warm): ours ${r.best.toFixed(0)} ms (RSS ${r.rssMb.toFixed(0)} MB), minidump_stackwalk ${sumTheirs.toFixed(0)} ms in ${cases.length} processes, ratio ${(sumTheirs / r.best).toFixed(2)}`,
  );
} else {
  console.log(`bench:stack: library pass failed: ${lib.stderr.slice(-300)}`);
}
