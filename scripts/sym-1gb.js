#!/usr/bin/env node
'use strict';
/**
 * `npm run test:sym-1gb`: the long lane for Breakpad .sym files at scale (issue 13). Generates a
 * synthetic 1 GB .sym (scripts/sym-gen.js: FUNCs with lines, INLINEs, STACK CFI/WIN, PUBLICs)
 * in a temp dir, then, in a fresh node process: loads it as a module's symbol source
 * (SymbolHandler.loadModule, the portable backend's Breakpad provider), checks sampled
 * addresses against what the generator wrote (function, line, inline chain, CFI rules,
 * STACK WIN, through BreakpadSymbols and through fromAddr/getLineFromAddr), times lookups and
 * prints peak RSS. Fails when an answer is wrong or peak RSS is over the bound.
 *
 *   node scripts/sym-1gb.js [--size MB] [--samples N] [--max-rss MB] [--keep]
 * Needs dist/ (npm run build). Takes ~1-2 min of generation and ~1 min of reading here.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);

if (args[0] === '--check')
  check(args[1], Number(args[2]), Number(args[3])).catch((e) => {
    console.error(e);
    process.exit(1);
  });
else main();

function main() {
  const mb = Number(opt('--size', '1024'));
  const samples = Number(opt('--samples', '20000'));
  const maxRss = Number(opt('--max-rss', '300'));
  const gen = require('./sym-gen');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sym-1gb-'));
  const file = path.join(dir, 'synthetic.sym');
  let status = 1;
  try {
    const t0 = process.hrtime.bigint();
    const made = gen.generateSym(file, { bytes: mb * 1048576 });
    const genS = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`sym-1gb: generated ${(made.bytes / 1048576).toFixed(0)} MB, ${made.functions} FUNCs in ${genS.toFixed(1)} s (${file})`);
    const r = spawnSync(process.execPath, [path.join(__dirname, 'sym-1gb.js'), '--check', file, String(made.functions), String(samples)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    process.stdout.write(r.stdout);
    const last = r.stdout.trim().split('\n').pop();
    const res = r.status === 0 && last.startsWith('{') ? JSON.parse(last) : undefined;
    if (!res) console.log('sym-1gb: FAILED (the check process did not finish)');
    else if (res.wrong > 0) console.log(`sym-1gb: FAILED: ${res.wrong} wrong answers`);
    else if (res.peakRssMb > maxRss) console.log(`sym-1gb: FAILED: peak RSS ${res.peakRssMb} MB > ${maxRss} MB`);
    else {
      console.log(`sym-1gb: ok: peak RSS ${res.peakRssMb} MB (bound ${maxRss} MB) for a ${(made.bytes / 1048576).toFixed(0)} MB file`);
      status = 0;
    }
  } finally {
    if (args.includes('--keep')) console.log(`sym-1gb: kept ${file}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(status);
}

async function check(file, functions, samples) {
  const gen = require('./sym-gen');
  const { SymbolHandler } = require(path.join(root, 'dist'));
  const { openBreakpadSymbols } = require(path.join(root, 'dist', 'breakpad', 'symbol-source'));
  const mb = (n) => Math.round(n / 1048576);
  const base = 0x10000000n;
  const h = SymbolHandler.initialize();
  let t = process.hrtime.bigint();
  await h.loadModule(file, { baseAddress: base, size: gen.BASE + functions * gen.STRIDE });
  const loadS = Number(process.hrtime.bigint() - t) / 1e9;
  const rssAfterLoad = process.memoryUsage().rss;
  const s = await openBreakpadSymbols(file); // the same parse the handler holds
  console.log(`sym-1gb: loaded as a symbol source in ${loadS.toFixed(1)} s; RSS after load ${mb(rssAfterLoad)} MB; counts ${JSON.stringify(s.counts)}`);

  const wrong = [];
  const kinds = { func: 0, inline: 0, cfi: 0, win: 0, gapPublic: 0, none: 0 };
  for (const rva of gen.sampleAddresses(functions, samples, 11)) {
    const bad = gen.checkAnswer(s, rva, functions);
    const want = gen.expected(rva, functions);
    if (want.function === undefined) kinds.none++;
    else if (want.isPublic) kinds.gapPublic++;
    else {
      kinds.func++;
      if (want.inlines.length) kinds.inline++;
      if (want.cfi) kinds.cfi++;
      if (want.win) kinds.win++;
      const hit = h.fromAddr(base + BigInt(rva));
      const line = h.getLineFromAddr(base + BigInt(rva));
      if (hit?.symbol.name !== want.function) bad.push(`fromAddr @${rva.toString(16)}: ${hit?.symbol.name}`);
      if (line?.lineNumber !== want.line || line?.fileName !== want.file) bad.push(`getLineFromAddr @${rva.toString(16)}: ${line?.fileName}:${line?.lineNumber}`);
    }
    wrong.push(...bad);
  }
  console.log(`sym-1gb: ${samples} sampled addresses checked (${JSON.stringify(kinds)}): ${wrong.length} wrong${wrong.length ? ': ' + wrong.slice(0, 5).join('; ') : ''}`);

  const n = 100000;
  const addrs = gen.sampleAddresses(functions, n, 23);
  t = process.hrtime.bigint();
  for (const rva of addrs) s.lookup(rva);
  const lookupUs = Number(process.hrtime.bigint() - t) / 1e3 / n;
  t = process.hrtime.bigint();
  for (const rva of addrs) h.fromAddr(base + BigInt(rva));
  const fromAddrUs = Number(process.hrtime.bigint() - t) / 1e3 / n;
  console.log(`sym-1gb: ${n} random lookups: BreakpadSymbols.lookup ${lookupUs.toFixed(1)} us each (line + inline chain), SymbolHandler.fromAddr ${fromAddrUs.toFixed(1)} us each`);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ loadS: +loadS.toFixed(2), peakRssMb, rssAfterLoadMb: mb(rssAfterLoad), lookupUs: +lookupUs.toFixed(2), fromAddrUs: +fromAddrUs.toFixed(2), wrong: wrong.length }));
  h.cleanup();
}
