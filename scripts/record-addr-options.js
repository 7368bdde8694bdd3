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
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { root, oracleFiles, corpusPath, askDll } = require('./ms-oracle-files');

const out = path.join(root, 'test', 'corpus', 'addr-options.dbghelp.json');
const OPTIONS = { NO_PUBLICS: 0x88216, PUBLICS_ONLY: 0x84216 };
/** One answer as the test writes it. */
const line = (rva, s) => `${rva} ${s ? `${s.name}+${s.disp}:${s.tag}` : 'none'}`;

const entries = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'addr-options-'));
for (const { file, image } of oracleFiles('.dbghelp-10.0.19041.685.jsonl')) {
  const rows = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const head = rows[0];
  if (!head.pe || !head.pdb) continue;
  const all = rows
    .slice(2)
    .filter((r) => r.rva && 'sym' in r)
    .map((r) => r.rva);
  const step = Math.max(1, Math.floor(all.length / 400));
  const rvas = all.filter((_, i) => i % step === 0);
  fs.writeFileSync(path.join(tmp, 'rvas.txt'), rvas.join('\n') + '\n');
  for (const [name, opts] of Object.entries(OPTIONS)) {
    const answers = askDll(['addr', '--image', corpusPath(head.pe), '--pdb-dir', path.dirname(corpusPath(head.pdb)), '--rvas', path.join(tmp, 'rvas.txt'), '--opts', opts.toString(16)])
      .filter((r) => r.rva && 'sym' in r)
      .map((r) => line(r.rva, r.sym));
    entries.push({ image, options: name, rvas, sha256: crypto.createHash('sha256').update(answers.join('\n')).digest('hex') });
    console.log(`${image} ${name}: ${answers.length}`);
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
fs.writeFileSync(out, JSON.stringify({ tool: 'Microsoft dbghelp.dll 10.0.19041.685 under Wine (shared/tools/msoracle addr --opts)', entries }) + '\n');
console.log(`wrote ${out}: ${entries.length} answers`);
