#!/usr/bin/env node
// Writes test/corpus/expected-types/NAME.types.txt: an extract of
// `llvm-pdbutil-19 dump -types -type-extras` for each corpus PDB the type suite walks, so the
// suite needs no LLVM. The extract keeps llvm-pdbutil's own lines, for a deterministic sample
// of UDT/enum definitions (at most SAMPLE per PDB, evenly spread over the TPI) with their field
// lists and method lists, and every record their members' types need to be described
// (modifiers, bitfields, pointers, arrays, procedures, forward references and the definitions
// they name). Run from the repository root: node test/corpus/tools/types-extract.mjs
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const CORPUS = process.env.DBGHELP_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');
const OUT = path.join(ROOT, 'test', 'corpus', 'expected-types');
const PDBUTIL = process.env.PDBUTIL ?? 'llvm-pdbutil-19';
const SAMPLE = 30;

// Distinct PDBs with types (the omap_* and crash_with_srcsrv copies share their TPI).
export const PDBS = [
  'getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.pdb',
  'getsentry_symbolic/symbolic-testutils/fixtures/windows/CrashWithException.pdb',
  'google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest.pdb',
  'google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest64.pdb',
  'derived/mozilla_dump_syms/test_data/windows/basic32.pdb',
  'mstange_samply/fixtures/win64-ci/softokn3.pdb',
  'mstange_samply/fixtures/win64-ci/WriteArgument.pdb',
];

const TAGS = new Set(['LF_STRUCTURE', 'LF_CLASS', 'LF_UNION', 'LF_INTERFACE', 'LF_ENUM']);

function blocks(text) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes('Types (TPI Stream)'));
  const out = new Map();
  let cur;
  for (const line of lines.slice(start)) {
    const m = /^\s+(0x[0-9A-F]+) \| (LF_\w+) \[/.exec(line);
    if (m) {
      cur = { index: parseInt(m[1], 16), kind: m[2], lines: [line] };
      out.set(cur.index, cur);
    } else if (cur && /^\s{6,}\S/.test(line)) cur.lines.push(line);
    else if (cur && line.trim() === '') cur = undefined;
  }
  return out;
}

const refs = (b) => [...b.lines.join('\n').matchAll(/0x([0-9A-F]{4,})/g)].map((m) => parseInt(m[1], 16)).filter((t) => t >= 0x1000 && t !== b.index);
const isFwd = (b) => /forward ref/.test(b.lines.join('\n'));
const fwdTarget = (b) => {
  const m = /forward ref \((?:->|<-) (0x[0-9A-F]+)\)/.exec(b.lines.join('\n'));
  return m ? parseInt(m[1], 16) : undefined;
};

function extract(all) {
  const defs = [...all.values()].filter((b) => TAGS.has(b.kind) && !isFwd(b));
  const step = Math.max(1, Math.ceil(defs.length / SAMPLE));
  const sampled = defs.filter((_, i) => i % step === 0);
  const keep = new Set();
  // Records a description needs (type-walk.ts expectedLooks): a UDT or enum by its name, a
  // pointer or modifier or bitfield by its referent, an array by its element (and the element's
  // size: a forward reference's definition), a procedure by its header.
  const need = (ti, depth, forSize = false) => {
    const b = all.get(ti);
    if (!b || depth > 6) return;
    keep.add(ti);
    if (TAGS.has(b.kind)) {
      const f = fwdTarget(b);
      if (forSize && f !== undefined) keep.add(f);
      return;
    }
    const ref = /(?:referent|type|element type) = (0x[0-9A-F]+)/.exec(b.lines.slice(1).join('\n'));
    if (b.kind === 'LF_ARRAY') {
      const el = /element type: (0x[0-9A-F]+)/.exec(b.lines.join('\n'));
      if (el) need(parseInt(el[1], 16), depth + 1, true);
    } else if ((b.kind === 'LF_POINTER' || b.kind === 'LF_MODIFIER' || b.kind === 'LF_BITFIELD') && ref) {
      need(parseInt(ref[1], 16), depth + 1, forSize);
    }
  };
  for (const d of sampled) {
    keep.add(d.index);
    const fl = /field list: (0x[0-9A-F]+)/.exec(d.lines.join('\n'));
    const underlying = /underlying type: (0x[0-9A-F]+)/.exec(d.lines.join('\n'));
    if (underlying) need(parseInt(underlying[1], 16), 1);
    for (let at = fl ? parseInt(fl[1], 16) : 0; at;) {
      const list = all.get(at);
      keep.add(at);
      at = 0;
      for (const line of list.lines) {
        const idx = /- LF_INDEX .*?(0x[0-9A-F]+)/.exec(line);
        if (idx) at = parseInt(idx[1], 16);
      }
      for (const r of refs(list)) {
        const b = all.get(r);
        if (b?.kind === 'LF_METHODLIST') {
          keep.add(r);
          for (const m of refs(b)) need(m, 1);
        } else if (b?.kind !== 'LF_FIELDLIST') need(r, 1);
      }
    }
  }
  // Only the lines the walk reads: a function type's argument count, a UDT's name and options.
  const sampledSet = new Set(sampled.map((d) => d.index));
  const trim = (b) => {
    if (b.kind === 'LF_PROCEDURE' || b.kind === 'LF_MFUNCTION') return { ...b, lines: b.lines.slice(0, 2) };
    if (TAGS.has(b.kind) && !sampledSet.has(b.index)) return { ...b, lines: b.lines.filter((l) => !/^\s+unique name:/.test(l)) };
    return b;
  };
  // For each sampled name, the first definition of that name (what a lookup by name answers).
  const first = new Map();
  for (const d of defs) {
    const name = /`(.*)`$/.exec(d.lines[0])?.[1];
    if (name !== undefined && !first.has(name)) first.set(name, d.index);
  }
  // Anonymous types (`<unnamed-tag>`) are hashed by their bytes, not their name: not looked up.
  const byName = sampled
    .map((d) => /`(.*)`$/.exec(d.lines[0])?.[1])
    .filter((n) => n !== undefined && !/^<(unnamed|anonymous)-/.test(n))
    .map((n) => `# byname 0x${first.get(n).toString(16).toUpperCase()} ${n}`);
  byName.unshift(`# sampled ${sampled.map((d) => `0x${d.index.toString(16).toUpperCase()}`).join(' ')}`);
  return { byName, sampled: sampled.length, defs: defs.length, blocks: [...keep].sort((a, b) => a - b).map((t) => trim(all.get(t))) };
}

fs.mkdirSync(OUT, { recursive: true });
for (const rel of PDBS) {
  const file = path.join(CORPUS, rel);
  const text = execFileSync(PDBUTIL, ['dump', '-types', '-type-extras', file], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const { byName, sampled, defs, blocks: kept } = extract(blocks(text));
  const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const name = path.basename(rel, '.pdb');
  const head = [
    `# llvm-pdbutil (${execFileSync(PDBUTIL, ['--version'], { encoding: 'utf8' }).match(/LLVM version ([\d.]+)/)[1]}) dump -types -type-extras ${rel}`,
    `# sha256 ${sha}`,
    `# extract: ${sampled} of ${defs} UDT/enum definitions (every ${Math.max(1, Math.ceil(defs / SAMPLE))}th) and the records their walk needs`,
    `# definitions ${defs}`,
    ...byName,
    '',
    '                     Types (TPI Stream)                     ',
    '============================================================',
  ];
  fs.writeFileSync(path.join(OUT, `${name}.types.txt`), `${head.join('\n')}\n${kept.map((b) => b.lines.join('\n')).join('\n')}\n`);
  console.log(`${name}: ${sampled}/${defs} definitions, ${kept.length} records`);
}
