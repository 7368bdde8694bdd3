#!/usr/bin/env node
// The big-PDB benchmark: `npm run bench -- --big [options]`.
//
// Builds (or reuses) the generated PDB of bench/make-big-pdb.js, then on the same addresses in
// the same run, alternating which goes first:
//   bulk  N random addresses in .text through `dbghelp symbolize --image X --json` (stdin) and
//         `llvm-symbolizer-19 --obj=X --no-inlines --output-style=JSON` (stdin), each reading a
//         file and writing one: wall time and peak RSS (/usr/bin/time), best of --rounds;
//   inline the same addresses with inline frames (ours --inlines, llvm's default), best of
//         min(--rounds, 2) (llvm takes ~50 s a run);
//   cold  one address, a fresh process each: wall time and peak RSS, median of --cold; and the
//         same address in a running process with the library loaded (bench/cold-in-process.js:
//         load the module, SymFromAddr, SymGetLineFromAddr64), median of --cold;
//   check the bulk answers compared address by address: function names with the corpus
//         score's helpers (test/helpers/oracle.ts: sameName, explainDifference) and file:line.
// Ratios are llvm / ours (higher is better for us: 2x means twice as fast, or half the memory).
// A benchmark, not a test: it asserts nothing, it prints (and writes bench/.cache/big-*.json).
//
//   --size MB      PDB size to generate (default 187)       --n N         addresses (100000)
//   --rounds R     bulk rounds, best of (default 3)         --cold C      cold runs (11)
//   --no-inlines   skip the run with inline frames (--inlines, which asked for it, is still taken)
//   --ours-only    skip llvm (profiling our side; no ratios)
//   --cli PATH     our CLI from another build (bin/dbghelp.js of a checkout: before/after)
//   --pipes        bulk input and output through pipes to this process (see timed())
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const sizeMb = opt('--size', '187');
const N = Number(opt('--n', '100000'));
const rounds = Number(opt('--rounds', '3'));
const coldRuns = Number(opt('--cold', '11'));
const oursOnly = args.includes('--ours-only');
const pipes = args.includes('--pipes');
const cli = path.resolve(opt('--cli', path.join(root, 'bin', 'dbghelp.js')));

function need(tool, hint) {
  if (spawnSync(tool, ['--version']).status !== 0) {
    console.log(`bench --big: ${tool} not found (${hint}); nothing measured`);
    process.exit(0);
  }
}
need('/usr/bin/time', 'apt install time');
if (!oursOnly) need('llvm-symbolizer-19', 'apt install llvm-19');

const made = spawnSync(process.execPath, [path.join(__dirname, 'make-big-pdb.js'), '--size', sizeMb], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (made.status !== 0) {
  console.log('bench --big: could not build the big PDB (see above); nothing measured');
  process.exit(0);
}
const image = made.stdout.trim().split('\n').pop();
const dir = path.dirname(image);
const pdb = path.join(dir, 'big.pdb');

/** N pseudo-random VAs inside the image's executable sections (deterministic). */
function addresses(n, seed) {
  const { PeImage } = require(path.join(root, 'dist/formats/pe/pe-image.js'));
  const img = PeImage.open(image);
  const base = img.imageBase;
  const code = img.sections.filter((s) => s.characteristics & 0x20000000);
  img.close();
  let x = seed >>> 0;
  const out = [];
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const s = code[x % code.length];
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push('0x' + (BigInt(base) + BigInt(s.virtualAddress + (x % Math.max(1, s.virtualSize)))).toString(16));
  }
  return out.join('\n') + '\n';
}

/**
 * One process under /usr/bin/time: wall ms, peak RSS KB, stdout. Bulk input comes from a file
 * and output goes to one (both tools alike) unless --pipes: through spawnSync's pipes, moving
 * 26 MB of output into this process cost ~0.35 s by itself here (a child that only writes those
 * 26 MB took 467 ms), most of our run and none of the tools' work.
 */
function timed(cmd, argv, input) {
  const inFile = path.join(os.tmpdir(), `bench-big-${process.pid}.in`);
  const outFile = path.join(os.tmpdir(), `bench-big-${process.pid}.out`);
  const files = !pipes && input !== undefined;
  let inFd;
  let outFd;
  if (files) {
    fs.writeFileSync(inFile, input);
    inFd = fs.openSync(inFile, 'r');
    outFd = fs.openSync(outFile, 'w');
  }
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], files ? { stdio: [inFd, outFd, 'pipe'], cwd: dir, encoding: 'utf8' } : { input, cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed (${r.status}): ${(r.stderr || '').slice(-1000)}`);
    const rssKb = Number((r.stderr.trim().split('\n').pop() || '0').trim());
    return { ms, rssKb, stdout: files ? fs.readFileSync(outFile, 'utf8') : r.stdout };
  } finally {
    if (files) {
      fs.closeSync(inFd);
      fs.closeSync(outFd);
      fs.rmSync(inFile, { force: true });
      fs.rmSync(outFile, { force: true });
    }
  }
}

const ours = (inlines) => [process.execPath, [cli, 'symbolize', '--image', image, '--json', ...(inlines ? ['--inlines'] : [])]];
const llvm = (inlines) => ['llvm-symbolizer-19', ['--obj=' + image, inlines ? '--inlines' : '--no-inlines', '--output-style=JSON']];

/** Runs both `times` times, alternating which goes first; returns every run. */
function alternate(times, input, inlines) {
  const a = [];
  const b = [];
  for (let i = 0; i < times; i++) {
    const [oc, oa] = ours(inlines);
    const [lc, la] = llvm(inlines);
    if (i % 2 === 0 || oursOnly) {
      a.push(timed(oc, oa, input));
      if (!oursOnly) b.push(timed(lc, la, input));
    } else {
      b.push(timed(lc, la, input));
      a.push(timed(oc, oa, input));
    }
  }
  return { a, b };
}
const best = (xs) => xs.reduce((m, x) => (x.ms < m.ms ? x : m));
const median = (xs, k) => {
  const s = xs.map((x) => x[k]).sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)];
};

/** test/helpers/oracle.ts, compiled on the fly (the same comparison the corpus score uses). */
function oracleHelpers() {
  const ts = require('typescript');
  const src = fs.readFileSync(path.join(root, 'test/helpers/oracle.ts'), 'utf8');
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const m = { exports: {} };
  // Its imports are relative to test/helpers and point at lib/: load them from dist/ (built).
  const req = (id) => require(id.startsWith('../../lib/') ? path.join(root, 'dist', id.slice('../../lib/'.length)) : id.startsWith('.') ? path.join(root, 'test/helpers', id) : id);
  new Function('exports', 'require', 'module', js)(m.exports, req, m);
  return m.exports;
}

/** Address by address: same function (corpus-score rules) and same file:line. */
function agreement(oursOut, llvmOut) {
  const { sameName, explainDifference } = oracleHelpers();
  const mine = new Map();
  for (const l of oursOut.split('\n')) {
    if (!l) continue;
    const r = JSON.parse(l);
    mine.set(BigInt(r.address), r);
  }
  const t = { rows: 0, bothNone: 0, fnSame: 0, fnExplained: 0, fnDiffer: 0, lineSame: 0, lineDiffer: 0, noLineBoth: 0, examples: [], why: {} };
  for (const l of llvmOut.split('\n')) {
    if (!l) continue;
    const r = JSON.parse(l);
    const o = mine.get(BigInt(r.Address));
    t.rows++;
    const outer = r.Symbol?.[r.Symbol.length - 1] ?? {};
    const fn = outer.FunctionName ?? '';
    const ln = outer.Line ?? 0;
    if (!o) {
      t.fnDiffer++;
      continue;
    }
    if (!o.symbol && !fn) t.bothNone++;
    else if (o.symbol && fn && sameName(o.symbol, fn)) t.fnSame++;
    else {
      const why = o.symbol && fn ? explainDifference(o.symbol, fn) : undefined;
      if (why) {
        t.fnExplained++;
        t.why[why] = (t.why[why] ?? 0) + 1;
      } else {
        t.fnDiffer++;
        if (t.examples.length < 5) t.examples.push(`${r.Address}: ours ${o.symbol}, llvm ${fn}`);
      }
    }
    if (!ln && o.line === undefined) t.noLineBoth++;
    else if (ln === o.line && outer.FileName === o.file) t.lineSame++;
    else {
      t.lineDiffer++;
      if (t.examples.length < 10) t.examples.push(`${r.Address}: ours ${o.file}:${o.line}, llvm ${outer.FileName}:${ln}`);
    }
  }
  return t;
}

const mb = (kb) => (kb / 1024).toFixed(0);
const pdbMb = fs.statSync(pdb).size / 1e6;
console.log(
  `bench --big: ${path.relative(root, pdb)} ${pdbMb.toFixed(1)} MB, ${N} addresses, stdin/stdout ${pipes ? 'through pipes' : 'from/to files'}; ratio = llvm-symbolizer-19 / ours (higher is better for us)`,
);
const results = { pdbMb, n: N, rounds, coldRuns, io: pipes ? 'pipes' : 'files', node: process.version, date: new Date().toISOString() };

const many = addresses(N, 12345);
const bulk = alternate(rounds, many, false);
const o = best(bulk.a);
results.bulk = { ours: { ms: bulk.a.map((x) => x.ms), rssKb: bulk.a.map((x) => x.rssKb) } };
if (oursOnly) {
  console.log(`  bulk ${N}: ours ${o.ms.toFixed(0)} ms, peak RSS ${mb(o.rssKb)} MB`);
} else {
  const l = best(bulk.b);
  results.bulk.llvm = { ms: bulk.b.map((x) => x.ms), rssKb: bulk.b.map((x) => x.rssKb) };
  results.bulk.timeRatio = l.ms / o.ms;
  results.bulk.rssRatio = Math.max(...bulk.b.map((x) => x.rssKb)) / Math.max(...bulk.a.map((x) => x.rssKb));
  console.log(
    `  bulk ${N} (best of ${rounds}): ours ${o.ms.toFixed(0)} ms, llvm ${l.ms.toFixed(0)} ms -> time ratio ${results.bulk.timeRatio.toFixed(1)}x; ` +
      `peak RSS ours ${mb(Math.max(...bulk.a.map((x) => x.rssKb)))} MB, llvm ${mb(Math.max(...bulk.b.map((x) => x.rssKb)))} MB -> memory ratio ${results.bulk.rssRatio.toFixed(2)}x`,
  );
  const t = agreement(o.stdout, l.stdout);
  results.agreement = t;
  const pct = (x) => ((100 * x) / t.rows).toFixed(2) + '%';
  console.log(
    `  answers (${t.rows} addresses): function same ${pct(t.fnSame)}, explained spelling ${pct(t.fnExplained)}, differ ${pct(t.fnDiffer)}, both none ${pct(t.bothNone)}; ` +
      `file:line same ${pct(t.lineSame)}, differ ${pct(t.lineDiffer)}, both none ${pct(t.noLineBoth)}`,
  );
  const why = Object.entries(t.why)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  if (why) console.log(`    explained (the same function, spelled as test/helpers/oracle.ts explains): ${why}`);
  for (const e of t.examples) console.log(`    ${e}`);
}

if (!args.includes('--no-inlines')) {
  const inl = alternate(Math.max(1, Math.min(rounds, 2)), many, true);
  const oi = best(inl.a);
  results.inlines = { ours: { ms: oi.ms, rssKb: oi.rssKb } };
  if (oursOnly) console.log(`  with inline frames: ours ${oi.ms.toFixed(0)} ms, peak RSS ${mb(oi.rssKb)} MB`);
  else {
    const li = best(inl.b);
    results.inlines.llvm = { ms: li.ms, rssKb: li.rssKb };
    console.log(
      `  with inline frames: ours ${oi.ms.toFixed(0)} ms ${mb(oi.rssKb)} MB, llvm ${li.ms.toFixed(0)} ms ${mb(li.rssKb)} MB -> time ratio ${(li.ms / oi.ms).toFixed(1)}x, memory ratio ${(li.rssKb / oi.rssKb).toFixed(2)}x`,
    );
  }
}

const one = addresses(1, 777);
const cold = alternate(coldRuns, one, false);
results.cold = { ours: { ms: median(cold.a, 'ms'), rssKb: median(cold.a, 'rssKb') } };
if (oursOnly) {
  console.log(`  cold single lookup (median of ${coldRuns}): ours ${results.cold.ours.ms.toFixed(0)} ms, ${mb(results.cold.ours.rssKb)} MB`);
} else {
  results.cold.llvm = { ms: median(cold.b, 'ms'), rssKb: median(cold.b, 'rssKb') };
  const c = results.cold;
  console.log(
    `  cold single lookup (median of ${coldRuns}): ours ${c.ours.ms.toFixed(0)} ms ${mb(c.ours.rssKb)} MB, llvm ${c.llvm.ms.toFixed(0)} ms ${mb(c.llvm.rssKb)} MB -> ` +
      `time ratio ${(c.llvm.ms / c.ours.ms).toFixed(2)}x, memory ratio ${(c.llvm.rssKb / c.ours.rssKb).toFixed(2)}x`,
  );
}
// The same address in a running process with the library loaded (bench/cold-in-process.js): what
// a library user waits for; llvm-symbolizer's figure is its whole process, as above.
const dist = path.join(path.dirname(cli), '..', 'dist');
const inProcess = [];
for (let i = 0; i < coldRuns; i++) {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'cold-in-process.js'), dist, image, one.trim()], { encoding: 'utf8' });
  if (r.status === 0) inProcess.push(JSON.parse(r.stdout));
}
if (inProcess.length) {
  const lookupMs = median(inProcess, 'lookupMs');
  const requireMs = median(inProcess, 'requireMs');
  results.coldInProcess = { lookupMs, requireMs };
  const vs = oursOnly ? '' : ` -> time ratio ${(results.cold.llvm.ms / lookupMs).toFixed(2)}x (against llvm's whole process)`;
  console.log(`  cold single lookup in a running process (median of ${inProcess.length}; loading the library first: ${requireMs.toFixed(0)} ms more): ours ${lookupMs.toFixed(0)} ms${vs}`);
}
// Node's own start-up on this machine now, for reading the cold numbers.
const empty = [];
for (let i = 0; i < coldRuns; i++) empty.push(timed(process.execPath, ['-e', '0'], ''));
results.nodeStartup = { ms: median(empty, 'ms'), rssKb: median(empty, 'rssKb') };
console.log(`  (node -e 0 alone: ${results.nodeStartup.ms.toFixed(0)} ms ${mb(results.nodeStartup.rssKb)} MB)`);
results.cli = cli;
fs.mkdirSync(path.join(__dirname, '.cache'), { recursive: true });
fs.writeFileSync(path.join(__dirname, '.cache', `big-${sizeMb}-results.json`), JSON.stringify(results, null, 1));
