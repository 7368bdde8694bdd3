#!/usr/bin/env node
// Records Microsoft's dbghelp.dll's SymEnumSymbols answers for a few masks on every corpus image
// that has an `.enum.jsonl` oracle, as test expectations: test/corpus/enum-masks.dbghelp.json
// (per image and mask: how many symbols, and the sha256 of their `name@rva` sequence in the
// DLL's order; the sequences themselves would be ~1 MB). Asks the DLL through
// ../shared/tools/msoracle (Wine + mingw-w64); run it again when the corpus or the masks change.
//
//   node scripts/record-enum-masks.js
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const corpus = process.env.DBGHELP_CORPUS || path.resolve(root, '..', 'shared', 'corpus');
const oracle = path.resolve(corpus, '..', 'tools', 'msoracle', 'run');
const out = path.join(root, 'test', 'corpus', 'enum-masks.dbghelp.json');
/** Masks whose answers rest on the DLL alone (see ARCHITECTURE.md "What Wine lends the DLL"). */
const MASKS = ['*a*', 'g*', '_*', '*::*', '*`*', '?*_?', '*Z*'];

function oracles(dir, acc = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) oracles(p, acc);
    else if (e.name.endsWith('.enum.jsonl')) acc.push(p);
  }
  return acc.sort();
}
const resolve = (p) => path.join(corpus, p.replace(/^files\//, ''));

const entries = [];
for (const file of oracles(path.join(corpus, 'oracle'))) {
  const [head, mod] = fs
    .readFileSync(file, 'utf8')
    .split('\n', 2)
    .map((l) => JSON.parse(l));
  const image = path.relative(path.join(corpus, 'oracle'), file).replace(/\.dbghelp-[^/]*\.enum\.jsonl$/, '');
  for (const mask of MASKS) {
    let text;
    try {
      text = execFileSync(oracle, ['enum', '--image', resolve(head.pe), '--pdb-dir', path.dirname(resolve(head.pdb)), '--mask', mask, '--base', mod.module.base.replace(/^0x/, '')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      continue; // the DLL fails SymEnumSymbols there (a /DEBUG:FASTLINK image)
    }
    const rows = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.name !== undefined && r.rva !== undefined);
    if (text.includes('"enumError"')) continue;
    const seq = rows.map((r) => `${r.name}@${r.rva}`).join('\n');
    entries.push({ image, mask, count: rows.length, sha256: crypto.createHash('sha256').update(seq).digest('hex') });
    console.log(`${image} ${mask}: ${rows.length}`);
  }
}
fs.writeFileSync(out, JSON.stringify({ tool: 'Microsoft dbghelp.dll 10.0.19041.685 under Wine (shared/tools/msoracle enum --mask)', options: '0x80216', entries }, null, 1) + '\n');
console.log(`wrote ${out}: ${entries.length} answers`);
