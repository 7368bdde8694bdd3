#!/usr/bin/env node
// Prints, per backend, how many conformance tests ran, passed and failed, and how many known
// differences (tests named in KNOWN_GAPS, run as test.failing) were listed, from jest's --json.
'use strict';
const fs = require('fs');

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error(`summary: no jest result at ${file} (did node.exe start under Wine?)`);
  process.exit(1);
}
const res = JSON.parse(fs.readFileSync(file, 'utf8'));
const rows = new Map();
const row = (k) => rows.get(k) || rows.set(k, { ran: 0, passed: 0, failed: 0, skipped: 0, known: 0 }).get(k);
{
  for (const t of res.tests) {
    const m = /^(native|ffi|portable) backend\b/.exec(t.ancestors[0] || '');
    const r = row(m ? m[1] : 'other');
    if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') {
      r.skipped++;
      continue;
    }
    r.ran++;
    if (t.status === 'passed') r.passed++;
    else r.failed++;
    if (/\[known (gap|difference): /.test(t.title)) r.known++;
  }
}
console.log('backend    ran  passed  failed  skipped  known differences');
for (const [k, r] of [...rows].sort()) {
  console.log(`${k.padEnd(9)} ${String(r.ran).padStart(4)} ${String(r.passed).padStart(7)} ${String(r.failed).padStart(7)} ${String(r.skipped).padStart(8)} ${String(r.known).padStart(18)}`);
}
const all = res.tests.filter((t) => t.status === 'passed' || t.status === 'failed');
console.log(`total: ${all.length} tests, ${all.filter((t) => t.status === 'passed').length} passed, ${all.filter((t) => t.status === 'failed').length} failed`);
process.exit(res.success ? 0 : 1);
