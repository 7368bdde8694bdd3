#!/usr/bin/env node
// Records Microsoft's dbghelp.dll's SymEnumSymbols answers for a few masks on every corpus image
// that has an `.enum.jsonl` oracle, as test expectations: test/corpus/enum-masks.dbghelp.json
// (per image and mask: how many symbols, and the sha256 of their `name@rva` sequence in the
// DLL's order; the sequences themselves would be ~1 MB). Asks the DLL through
// ../shared/tools/msoracle (Wine + mingw-w64); run it again when the corpus or the masks change.
//
//   node scripts/record-enum-masks.js
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { root, oracleFiles, corpusPath, askDll } = require('./ms-oracle-files');

const out = path.join(root, 'test', 'corpus', 'enum-masks.dbghelp.json');
/** Masks whose answers rest on the DLL alone (see ARCHITECTURE.md "What Wine lends the DLL"). */
const MASKS = ['*a*', 'g*', '_*', '*::*', '*`*', '?*_?', '*Z*'];

const entries = [];
for (const { file, image } of oracleFiles('.dbghelp-10.0.19041.685.enum.jsonl')) {
  const [head, mod] = fs
    .readFileSync(file, 'utf8')
    .split('\n', 2)
    .map((l) => JSON.parse(l));
  for (const mask of MASKS) {
    let lines;
    try {
      lines = askDll(['enum', '--image', corpusPath(head.pe), '--pdb-dir', path.dirname(corpusPath(head.pdb)), '--mask', mask, '--base', mod.module.base.replace(/^0x/, '')]);
    } catch {
      continue; // the DLL fails SymEnumSymbols there (a /DEBUG:FASTLINK image)
    }
    if (lines.some((r) => r.enumError !== undefined)) continue;
    const rows = lines.filter((r) => r.name !== undefined && r.rva !== undefined);
    const seq = rows.map((r) => `${r.name}@${r.rva}`).join('\n');
    entries.push({ image, mask, count: rows.length, sha256: crypto.createHash('sha256').update(seq).digest('hex') });
    console.log(`${image} ${mask}: ${rows.length}`);
  }
}
fs.writeFileSync(out, JSON.stringify({ tool: 'Microsoft dbghelp.dll 10.0.19041.685 under Wine (shared/tools/msoracle enum --mask)', options: '0x80216', entries }, null, 1) + '\n');
console.log(`wrote ${out}: ${entries.length} answers`);
