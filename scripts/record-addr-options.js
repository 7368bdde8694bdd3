#!/usr/bin/env node
// Records Microsoft's dbghelp.dll's SymFromAddr answers under SYMOPT_NO_PUBLICS and
// SYMOPT_PUBLICS_ONLY (each with the corpus oracle's other options) for up to 400 addresses of
// every corpus image with an address oracle, as test expectations:
// test/corpus/addr-options.dbghelp.json (per image and options: the addresses asked, and the
// sha256 of the `rva name+disp:tag` answers). Asks the DLL through ../shared/tools/msoracle
// (Wine + mingw-w64); run it again when the corpus changes.
//
//   node scripts/record-addr-options.js
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const corpus = process.env.DBGHELP_CORPUS || path.resolve(root, '..', 'shared', 'corpus');
const oracle = path.resolve(corpus, '..', 'tools', 'msoracle', 'run');
const out = path.join(root, 'test', 'corpus', 'addr-options.dbghelp.json');
const OPTIONS = { NO_PUBLICS: 0x88216, PUBLICS_ONLY: 0x84216 };

function oracles(dir, acc = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) oracles(p, acc);
    else if (e.name.endsWith('.dbghelp-10.0.19041.685.jsonl')) acc.push(p);
  }
  return acc.sort();
}
const resolve = (p) => path.join(corpus, p.replace(/^files\//, ''));
/** One answer as the test writes it. */
const line = (rva, s) => `${rva} ${s ? `${s.name}+${s.disp}:${s.tag}` : 'none'}`;

const entries = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'addr-options-'));
for (const file of oracles(path.join(corpus, 'oracle'))) {
  const rows = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const head = rows[0];
  if (!head.pe || !head.pdb) continue;
  const image = path.relative(path.join(corpus, 'oracle'), file).replace(/\.dbghelp-[^/]*\.jsonl$/, '');
  const all = rows
    .slice(2)
    .filter((r) => r.rva && 'sym' in r)
    .map((r) => r.rva);
  const step = Math.max(1, Math.floor(all.length / 400));
  const rvas = all.filter((_, i) => i % step === 0);
  fs.writeFileSync(path.join(tmp, 'rvas.txt'), rvas.join('\n') + '\n');
  for (const [name, opts] of Object.entries(OPTIONS)) {
    const text = execFileSync(oracle, ['addr', '--image', resolve(head.pe), '--pdb-dir', path.dirname(resolve(head.pdb)), '--rvas', path.join(tmp, 'rvas.txt'), '--opts', opts.toString(16)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const answers = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.rva && 'sym' in r)
      .map((r) => line(r.rva, r.sym));
    entries.push({ image, options: name, rvas, sha256: crypto.createHash('sha256').update(answers.join('\n')).digest('hex') });
    console.log(`${image} ${name}: ${answers.length}`);
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
fs.writeFileSync(out, JSON.stringify({ tool: 'Microsoft dbghelp.dll 10.0.19041.685 under Wine (shared/tools/msoracle addr --opts)', entries }) + '\n');
console.log(`wrote ${out}: ${entries.length} answers`);
