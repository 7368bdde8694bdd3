#!/usr/bin/env node
'use strict';
/**
 * Builds test/unit/demangle/undname-oracle.tsv: every distinct MSVC-decorated
 * public symbol name ('?'-prefixed, plus '__imp_?' import thunks) found in the
 * corpus PDBs, paired with llvm-undname-19's undecoration of it.
 *
 *   node scripts/undname-oracle.js [corpusDir] [outFile]
 *
 * Needs llvm-pdbutil-19 and llvm-undname-19 on PATH. The TSV holds only data
 * derived by LLVM (names and their undecorations), never corpus bytes.
 * Column 2 is llvm-undname's output; when llvm-undname rejects the name, column
 * 2 is the decorated name unchanged (UnDecorateSymbolName's failure behaviour).
 * The file is kept under ~2 MB; if larger, names are sampled deterministically
 * (by a hash of the name).
 */
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync, spawnSync } = require('child_process');

const corpus = process.argv[2] || '/work/shared/corpus';
const out = process.argv[3] || path.join(__dirname, '..', 'test', 'unit', 'demangle', 'undname-oracle.tsv');
const MAX_BYTES = 2 * 1024 * 1024;

function findPdbs(dir, acc) {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) findPdbs(p, acc);
    else if (ent.isFile() && ent.name.toLowerCase().endsWith('.pdb')) acc.push(p);
  }
  return acc;
}

const names = new Set();
const seen = new Set();
for (const pdb of findPdbs(corpus, []).sort()) {
  const digest = crypto.createHash('sha1').update(fs.readFileSync(pdb)).digest('hex');
  if (seen.has(digest)) continue;
  seen.add(digest);
  let text;
  try {
    text = execFileSync('llvm-pdbutil-19', ['dump', '-publics', pdb], { maxBuffer: 1 << 28, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    text = e.stdout || '';
  }
  const re = /S_PUB32 \[size = \d+\] `([^`\n]*)`/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    const n = m[1];
    if (n.startsWith('?') || n.startsWith('__imp_?')) names.add(n);
  }
}

const list = [...names].sort();
// llvm-undname prints, per input, the input line, then the undecoration (on
// stdout) or an error (on stderr), then a blank line.
// It exits with status 1 when any name failed, so don't treat that as fatal.
const proc = spawnSync('llvm-undname-19', [], {
  input: list.join('\n') + '\n',
  maxBuffer: 1 << 28,
  encoding: 'utf8',
  stdio: ['pipe', 'pipe', 'ignore'],
});
if (proc.error) throw proc.error;
const res = proc.stdout;
const blocks = res.split('\n\n');
const map = new Map();
for (const b of blocks) {
  const lines = b.split('\n').filter((l, i) => i > 0 || l.length > 0);
  if (lines.length === 0 || lines[0] === '') continue;
  map.set(lines[0], lines.length > 1 ? lines[1] : lines[0]);
}

let rows = list.map((n) => `${n}\t${map.has(n) ? map.get(n) : n}`);
let size = rows.reduce((s, r) => s + Buffer.byteLength(r) + 1, 0);
if (size > MAX_BYTES) {
  const keyed = rows.map((r) => [crypto.createHash('md5').update(r.split('\t')[0]).digest('hex'), r]);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = [];
  size = 0;
  for (const [, r] of keyed) {
    const n = Buffer.byteLength(r) + 1;
    if (size + n > MAX_BYTES) break;
    kept.push(r);
    size += n;
  }
  rows = kept.sort();
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, rows.join('\n') + '\n');
console.log(`${rows.length} names (${size} bytes) from ${seen.size} distinct PDBs -> ${out}`);
