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
 *
 * It also writes test/unit/demangle/undname-synthetic.tsv: hand-written
 * decorated names (SYNTHETIC below) covering grammar the corpus lacks
 * (member pointers, thunks, string literal kinds, template argument kinds,
 * ...), undecorated by llvm-undname-19 the same way.
 */
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync, spawnSync } = require('child_process');

const corpus = process.argv[2] || '/work/shared/corpus';
const out = process.argv[3] || path.join(__dirname, '..', 'test', 'unit', 'demangle', 'undname-oracle.tsv');
const MAX_BYTES = 2 * 1024 * 1024;

const SYNTHETIC = [
  '?x@@3HA',
  '?x@@3PEAHEA',
  '?x@@3PEBHEB',
  '?x@@3QEAHEB',
  '?x@@3AEAHEA',
  '?x@@3PAY02HA',
  '?x@@3PAPAHA',
  '?x@@3PQC@@HQ1@',
  '?x@@3P8C@@AEHXZQ1@',
  '?x@@3PEQC@@HEQ1@',
  '?x@@3Y123HA',
  '?x@@3PAY1BE@BD@HA',
  '?x@@3PCHC',
  '?x@@3PDHD',
  '?x@@3PIAHIA',
  '?x@@3PFAHA',
  '?f@@YAXP6AHH@Z@Z',
  '?f@@YAXP6GHHH@Z@Z',
  '?f@@YAXP8C@@AEHH@Z@Z',
  '?f@@YAXP8C@@BEHH@Z@Z',
  '?f@@YAP6AHXZXZ',
  '?f@@YAP6AP6AHXZXZXZ',
  '?f@@YAXAAY02H@Z',
  '?f@@YAXPAY02H@Z',
  '?f@@YAX$$QAH@Z',
  '?f@@YAX$$QEAH@Z',
  '?f@@YAXHZZ',
  '?f@@YAXZZ',
  '?f@@YAXH@Z_E',
  '?f@@YAXXZ_E',
  '?f@C@@QEGAAXXZ',
  '?f@C@@QEHAAXXZ',
  '?f@C@@QEIAAXXZ',
  '?f@C@@QEFAAXXZ',
  '?f@C@@QECAAXXZ',
  '?f@C@@QEDAAXXZ',
  '?f@C@@SAXXZ',
  '?f@C@@CAXXZ',
  '?f@C@@KAXXZ',
  '?f@C@@UAEXXZ',
  '?f@C@@MAEXXZ',
  '?f@C@@EAEXXZ',
  '?f@C@@QAEXXZ',
  '?f@C@@AAEXXZ',
  '?f@C@@IAEXXZ',
  '?f@@YIXXZ',
  '?f@@YGXXZ',
  '?f@@YQXXZ',
  '?f@@YMXXZ',
  '?f@@$$J0YAXXZ',
  '?f@C@@W7EAAXXZ',
  '?f@C@@$4PPPPPPPM@A@EAAXXZ',
  '?f@C@@$R4BA@PPPPPPPM@BA@A@EAAXXZ',
  '??_9C@@$BA@AA',
  '??_9C@@$B7AE',
  '??0C@@QAE@XZ',
  '??1C@@QAE@XZ',
  '??0C@@QAE@ABV0@@Z',
  '??4C@@QAEAAV0@ABV0@@Z',
  '??2@YAPAXI@Z',
  '??3@YAXPAX@Z',
  '??_U@YAPAXI@Z',
  '??_V@YAXPAX@Z',
  '??BC@@QAEHXZ',
  '??BC@@QBEPBDXZ',
  '??$?BH@C@@QAEHXZ',
  '??__K_x@@YAHH@Z',
  '??__LC@@QAEXXZ',
  '??__MC@@QAEHABV0@@Z',
  '??RC@@QAEHH@Z',
  '??AC@@QAEHH@Z',
  '??CC@@QAEPAV0@XZ',
  '??_GC@@UAEPAXI@Z',
  '??_EC@@UAEPAXI@Z',
  '??_DC@@QAEXXZ',
  '??_FC@@QAEXXZ',
  '??_OC@@QAEXAAV0@@Z',
  '??_7C@@6B@',
  '??_7C@@6BA@@@',
  '??_7C@@6BA@@B@@@',
  '??_8C@@7B@',
  '??_R0?AVC@@@8',
  '??_R0PAVC@@@8',
  '??_R0H@8',
  '??_R1A@?0A@EA@C@@8',
  '??_R2C@@8',
  '??_R3C@@8',
  '??_R4C@@6B@',
  '??_SC@@6B@',
  '?$TSS0@?1??f@@YAXXZ@4HA',
  '??_B?1??f@@YAXXZ@51',
  '?x@?1??f@@YAXXZ@4HA',
  '?x@?BA@??f@@YAXXZ@4HA',
  '??__Ex@@YAXXZ',
  '??__Fx@@YAXXZ',
  '??__E?x@C@@2HA@@YAXXZ',
  '??$f@H@@YAXH@Z',
  '??$f@$0A@@@YAXXZ',
  '??$f@$0?0@@YAXXZ',
  '??$f@$0BA@@@YAXXZ',
  '??$f@$0?BA@@@YAXXZ',
  '??$f@$$T@@YAXXZ',
  '??$f@$S@@YAXXZ',
  '??$f@HD$S@@YAXXZ',
  '??$f@$1?x@@3HA@@YAXXZ',
  '??$f@$E?x@@3HA@@YAXXZ',
  '??$f@$1?g@@YAXXZ@@YAXXZ',
  '??$f@$H?g@C@@QAEXXZA@@@YAXXZ',
  '??$f@$I?g@C@@QAEXXZA@A@@@YAXXZ',
  '??$f@$J?g@C@@QAEXXZA@A@A@@@YAXXZ',
  '??$f@$F7A@@@YAXXZ',
  '??$f@$G7A@A@@@YAXXZ',
  '??$f@$$A6AHH@Z@@YAXXZ',
  '??$f@$$BY02H@@YAXXZ',
  '??$f@$$CBH@@YAXXZ',
  '??$f@$M$$T0A@@@YAXXZ',
  '??$f@$MH0A@@@YAXXZ',
  '??$f@V?$vector@HV?$allocator@H@std@@@std@@@@YAXV?$vector@HV?$allocator@H@std@@@std@@@Z',
  '?f@?$C@H@@QAEXV1@@Z',
  '?f@?$C@H@@QAEXV?$C@D@@@Z',
  '?f@@YAXV?$C@H@@0@Z',
  '?f@@YAXPAH0@Z',
  '?f@@YAXPAHPAD10@Z',
  '?f@A@B@C@@YAXXZ',
  '?f@?A0x12345678@@YAXXZ',
  '?f@?A0x12345678@B@@YAXV1@@Z',
  '?f@@YAXW4E@@@Z',
  '?f@@YAXT U@@@Z',
  '?f@@YAXTU@@@Z',
  '?f@@YAXUS@@@Z',
  '?f@@YA_NXZ',
  '?f@@YA_JXZ',
  '?f@@YA_KXZ',
  '?f@@YA_WXZ',
  '?f@@YA_QXZ',
  '?f@@YA_SXZ',
  '?f@@YA_UXZ',
  '?f@@YAOXZ',
  '?f@@YACXZ',
  '?f@@YAEXZ',
  '?f@@YA?BHXZ',
  '?f@@YA?AV?$C@H@@XZ',
  '?f@@YA?BV?$C@H@@XZ',
  '?f@@YA_PXZ',
  '?f@@YA_TXZ',
  '??@8ba8d245c9eca390356129098dbe9f73@',
  '??@8ba8d245c9eca390356129098dbe9f73@??_R4@',
  '??_C@_0CK@CBAGNDFD@hello?5world?$AA@',
  '??_C@_1BA@KFOBIOMM@?$AAh?$AAe?$AAl?$AAl?$AAo?$AA?$AA@',
  '??_C@_0M@KPIJNDAG@?$AAh?$AAe?$AAl?$AA?$AA@',
  '??_C@_0BE@FLDHEOAB@h?$AA?$AA?$AAe?$AA?$AA?$AAl?$AA?$AA?$AA?$AA?$AA?$AA?$AA@',
  '??_C@_0L@ABCDEFGH@a?6b?$AA@',
  '??_C@_0CAA@ABCDEFGH@abcdefghijklmnopqrstuvwxyzabcdef@',
  '??_C@_1CAA@ABCDEFGH@?$AAa?$AAb@',
  '??_C@_01A@?$AA@',
  '?f@@YAXPAU?$C@$$A6AXXZ@@@Z',
  '?f@@YAXP6AXP6AXH@Z@Z@Z',
  '?f@@YAP8C@@AEHXZXZ',
  '?x@C@@0HA',
  '?x@C@@1HA',
  '?x@C@@2HA',
  '?x@C@@2HB',
  '?x@C@@2PBDB',
  '?x@C@@2QBDB',
  '?x@@3P6AXXZA',
  '?x@@3QAY01HA',
  '?x@@3PAY01$$CBHA',
  '?f@@YAX?$C@H@@@Z',
  '?f@@YAXPAX@Z',
  '?f@@YAXPBX@Z',
  '?f@@YAXPCX@Z',
  '?f@@YAXPAPBD@Z',
  '?f@@YAXAAPBD@Z',
  '?f@@YAXPEAPEBD@Z',
  '?f@@YAXQAH@Z',
  '?f@@YAX_N_N@Z',
  '?f@@$$J0YAXXZ',
  '?f@@9',
  '?x@?1??f@@9@4HA',
  '?f@@YAXV<lambda_1>@?0??g@@YAXXZ@@Z',
  '?f@@YAXP6AXXZ0@Z',
  '?f@@YAXYAH@Z',
  '?f@@YAXQBH@Z',
  '?f@C@@QAE?AV1@XZ',
  '?g@?$h@$$V@@QAEXXZ',
  '?g@?$h@$$Z@@QAEXXZ',
  '??$f@$$$V@@YAXXZ',
  '?x@@3U?$C@$0A@@@A',
  '?x@@3$$BY01HA',
];

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

// llvm-undname prints, per input, the input line, then the undecoration (on
// stdout) or an error (on stderr), then a blank line.
// It exits with status 1 when any name failed, so don't treat that as fatal.
function undname(list) {
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
return map;
}

const list = [...names].sort();
const map = undname(list);

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
const synMap = undname(SYNTHETIC);
const synOut = path.join(path.dirname(out), 'undname-synthetic.tsv');
fs.writeFileSync(synOut, SYNTHETIC.map((n) => `${n}\t${synMap.has(n) ? synMap.get(n) : n}`).join('\n') + '\n');
console.log(`${SYNTHETIC.length} synthetic names -> ${synOut}`);
console.log(`${rows.length} names (${size} bytes) from ${seen.size} distinct PDBs -> ${out}`);
