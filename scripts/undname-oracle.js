#!/usr/bin/env node
'use strict';
/**
 * Builds the undecorator's test oracles from Microsoft's own dbghelp.dll
 * 10.0.19041.685 (UnDecorateSymbolName, ANSI, 64 KiB buffer). Two modes:
 *
 *   node scripts/undname-oracle.js corpus [oracle.jsonl]
 *     -> test/unit/demangle/undname-ms-corpus.tsv: a deterministic subset
 *        (~450 names) of ../shared/corpus/oracle/undname.dbghelp-10.0.19041.685.jsonl
 *        (every distinct S_PUB32 name of the corpus, asked by msoracle at six
 *        flag sets), chosen to span the constructs: a few names per feature
 *        (FEATURES below), every C++ name the DLL garbles under 0x2000, some
 *        plain names, then a sample by hash. Columns: name, then the DLL's
 *        answer at 0x0, 0x1000, 0x2000, 0x2, 0x4, 0x87FE.
 *
 *   node scripts/undname-oracle.js synthetic
 *     -> test/unit/demangle/undname-ms-synthetic.tsv: hand-made names (NAMES
 *        below: grammar the corpus lacks, truncated and malformed names)
 *        and malformed names (malformed(): prefixes and mutations of corpus
 *        names) asked of the DLL under Wine by ../shared/tools/msoracle/run at
 *        every UNDNAME_* flag (FLAGS below). One row per (name, answer): name,
 *        answer, the flags giving that answer. An answer of "\x01" means
 *        UnDecorateSymbolName failed (returned 0): undecorateSymbolName then
 *        returns the name unchanged.
 *
 * The files hold only names and Microsoft's undecorations, never corpus bytes.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'test', 'unit', 'demangle');
const SHARED = path.join(ROOT, '..', 'shared');
const CORPUS_FLAGS = ['0x0', '0x1000', '0x2000', '0x2', '0x4', '0x87fe'];
const FLAGS = [0x0, 0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x60, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x87fe, 0x9000, 0x1002, 0x10000, 0x20000];
const FAILED = '\x01';

/** Feature patterns over decorated names; a few names of each go in the corpus subset. */
const FEATURES = [
  /^\?\?\$/,
  /^\?\?0/,
  /^\?\?1/,
  /^\?\?_7/,
  /^\?\?_8/,
  /^\?\?_R0/,
  /^\?\?_R1/,
  /^\?\?_R2/,
  /^\?\?_R3/,
  /^\?\?_R4/,
  /^\?\?_C@_0/,
  /^\?\?_C@_1/,
  /^\?\?_G/,
  /^\?\?_E/,
  /^\?\?__E/,
  /^\?\?__F/,
  /^\?\?_B/,
  /^\?\?[2-9A-Z]/,
  /^\?\?_[0-9U-V]/,
  /\?A0x/,
  /\$\$Q/,
  /\$\$A6/,
  /\$\$T/,
  /\$\$V/,
  /\$\$Z/,
  /\$\$C/,
  /\$0/,
  /\$1\?/,
  /\$E\?/,
  /P6[AGEI]/,
  /P8/,
  /PE[AB]/,
  /QE[AB]/,
  /@@[QIAUME]E[AB]/,
  /@@[QIA][AB]E/,
  /W4/,
  /@@[SKC]A/,
  /@@Y[AGI]/,
  /_[JKWN]/,
  /Y0[0-9A-P]/,
  /@[0-9]@/,
  /\?[0-9]\?\?/,
  /\$4/,
  /@W[0-9]/,
  /_E$/,
  /ZZ$/,
  /^\?\?_R4/,
  /\?\$[a-z_]+@[A-Z]/,
  /\?\?B/,
  /^[^?]/,
];
const PER_FEATURE = 6;
const TARGET = 450;

function hash(s) {
  return crypto.createHash('sha1').update(s).digest('hex');
}
function checkField(s) {
  if (/[\t\n\r]/.test(s)) throw new Error(`tab or newline in ${JSON.stringify(s)}`);
  return s;
}

function corpus(file) {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const header = JSON.parse(lines[0]);
  const by = new Map();
  for (const l of lines.slice(1)) {
    const r = JSON.parse(l);
    if (r.ret === 0) throw new Error(`failed row in the oracle: ${l}`);
    if (!by.has(r.name)) by.set(r.name, {});
    by.get(r.name)[r.flags] = r.out;
  }
  const names = [...by.keys()].sort((a, b) => (hash(a) < hash(b) ? -1 : 1));
  const chosen = new Set();
  for (const re of FEATURES) {
    let n = 0;
    for (const name of names) {
      if (n >= PER_FEATURE) break;
      if (re.test(name)) {
        chosen.add(name);
        n++;
      }
    }
  }
  // Every C++ name the DLL garbles under 0x2000, and 20 plain names it garbles.
  let plainGarbled = 0;
  for (const name of names) {
    const garbled = by.get(name)['0x2000'] !== name;
    if (garbled && name.startsWith('?')) chosen.add(name);
    else if (garbled && plainGarbled < 20) {
      chosen.add(name);
      plainGarbled++;
    }
  }
  for (const name of names) {
    if (chosen.size >= TARGET) break;
    chosen.add(name);
  }
  const rows = [...chosen].sort();
  const out = [
    `# Microsoft dbghelp.dll ${header.dbghelp}: UnDecorateSymbolName on ${rows.length} of the corpus's ` +
      `${by.size} public names (scripts/undname-oracle.js corpus, from shared/corpus/oracle/${path.basename(file)})`,
    ['#name', ...CORPUS_FLAGS].join('\t'),
  ];
  for (const name of rows) out.push([name, ...CORPUS_FLAGS.map((f) => by.get(name)[f])].map(checkField).join('\t'));
  const dest = path.join(OUT_DIR, 'undname-ms-corpus.tsv');
  fs.writeFileSync(dest, out.join('\n') + '\n');
  console.log(`${dest}: ${rows.length} names`);
}

function synthetic() {
  NAMES.push(...malformed());
  NAMES.splice(0, NAMES.length, ...new Set(NAMES));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'undname-'));
  const list = path.join(tmp, 'names.txt');
  fs.writeFileSync(list, NAMES.join('\n') + '\n');
  const run = path.join(SHARED, 'tools', 'msoracle', 'run');
  const flags = FLAGS.map((f) => f.toString(16)).join(',');
  const text = execFileSync(run, ['undname', '--flags', flags, '--names', list], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  fs.rmSync(tmp, { recursive: true });
  const lines = text.split('\n').filter((l) => l.length > 0);
  const id = JSON.parse(lines[0]);
  if (id.memDescription !== 'Windows Image Helper') throw new Error("not Microsoft's dbghelp.dll");
  const groups = new Map(); // name -> Map(answer -> flags[])
  for (const l of lines.slice(1)) {
    const r = JSON.parse(l);
    const answer = r.ret === 0 ? FAILED : r.out;
    if (!groups.has(r.in)) groups.set(r.in, new Map());
    const g = groups.get(r.in);
    if (!g.has(answer)) g.set(answer, []);
    g.get(answer).push(r.flags);
  }
  if (groups.size !== NAMES.length) throw new Error(`asked ${NAMES.length} names, got ${groups.size}`);
  const out = [
    `# Microsoft dbghelp.dll ${id.fileVersion} (${id.description}, under wine ${id.wine}): UnDecorateSymbolName ` +
      'on hand-made names (scripts/undname-oracle.js synthetic, via shared/tools/msoracle)',
    '# name<TAB>answer<TAB>flags giving it; answer \\x01 = the call failed (name returned unchanged)',
  ];
  for (const name of NAMES) {
    for (const [answer, fl] of groups.get(name)) out.push([name, answer, fl.join(',')].map(checkField).join('\t'));
  }
  const dest = path.join(OUT_DIR, 'undname-ms-synthetic.tsv');
  fs.writeFileSync(dest, out.join('\n') + '\n');
  console.log(`${dest}: ${NAMES.length} names, ${out.length - 2} rows`);
}

/** Hand-made names: grammar the corpus lacks, then truncated and malformed names. */
const NAMES = [
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
  '?f@@YOXXZ',
  '?f@@YSXXZ',
  '?f@@YKXXZ',
  '?f@@YPXXZ',
  '?f@@YRXXZ',
  '?f@@YUXXZ',
  '?f@@YA_RXZ',
  '?f@@YA_XXZ',
  '?f@@YA_$HXZ',
  '?f@@YA_ZXZ',
  '?f@@YAX$$RAH@Z',
  '?f@@YAX$$T@Z',
  '?f@@YAX$$BY01H@Z',
  '?f@@YAX$$CBH@Z',
  '?f@@YAX$$YAB@C@@Z',
  '?f@@YAXPEQC@@H@Z',
  '?f@@YAXP8C@@EAAXXZ@Z',
  '?f@@YAXP_AAXXZ@Z',
  '?x@@3PM0HM0',
  '?x@@3PM2C@@HM2C@@',
  '?x@@3PAHA',
  '?x@@3PEIAHEIA',
  '?x@@3PEFAHEFA',
  '?f@C@@$R1BA@PPPPPPPM@BA@A@EAAXXZ',
  '?f@C@@$2PPPPPPPM@A@EAAXXZ',
  '?f@C@@$0PPPPPPPM@A@EAAXXZ',
  '?f@C@@A7EAAXXZ',
  '?f@C@@G7EAAXXZ',
  '?f@C@@O7EAAXXZ',
  '?f@C@@QEGBAXXZ',
  '?f@C@@QEHBAXXZ',
  '?f@C@@QE$AAAXXZ',
  '?f@@YAXP$AAH@Z',
  '?f@@YAXA$AAH@Z',
  '?f@@YAXP$BAH@Z',
  '?f@@YAXP$CAH@Z',
  '?f@@YAXP$01AH@Z',
  '?f@@YAXP$02$AH@Z',
  '?f@@YAX$$A6AXXZ@Z',
  '??_8C@@7BA@@@',
  '??_KC@@6B@',
  '??_R0?AUS@@@8',
  '??_R0?AW4E@@@8',
  '??_R4C@@6BA@@@',
  '??__J?1??f@@YAXXZ@51',
  '??__F?x@C@@2HA@@YAXXZ',
  '??_Ex@@YAXXZ',
  '??__L?$C@H@@QAEXXZ',
  '??__M?$C@H@@QAEXXZ',
  '??_LC@@QAEXXZ',
  '??_MC@@QAEXXZ',
  '??_NC@@QAEXXZ',
  '??_OC@@QAEXXZ',
  '??_TC@@QAEXXZ',
  '??_XC@@QAEXXZ',
  '??_YC@@QAEXXZ',
  '??_WC@@QAEXXZ',
  '??_AC@@QAEXXZ',
  '??_HC@@QAEXXZ',
  '??_IC@@QAEXXZ',
  '??_JC@@QAEXXZ',
  '??_PC@@QAEXXZ',
  '??_QC@@QAEXXZ',
  '??__AC@@QAEXXZ',
  '??__BC@@QAEXXZ',
  '??__CC@@QAEXXZ',
  '??__DC@@QAEXXZ',
  '??__GC@@QAEXXZ',
  '??__HC@@QAEXXZ',
  '??__IC@@QAEXXZ',
  '??__NC@@QAEXXZ',
  '??$?0H@C@@QAE@H@Z',
  '??$?1H@C@@QAE@XZ',
  '??$?4H@C@@QAEAAV0@H@Z',
  '??$f@$$V@@YAXXZ',
  '??$f@$$Z@@YAXXZ',
  '??$f@H$$WH@@YAXXZ',
  '??$f@$$YC@D@@@YAXXZ',
  '??$f@$SH@@YAXXZ',
  '??$f@$RA@@@YAXXZ',
  '??$f@$TA@@@YAXXZ',
  '??$f@$QA@@@YAXXZ',
  '??$f@$0QA@@@YAXXZ',
  '??$f@$N@@YAXXZ',
  '??$f@$2HA@@@YAXXZ',
  '??$f@$AA@@@YAXXZ',
  '??$f@?0@@YAXXZ',
  '??$f@$1@@@YAXXZ',
  '?f@?%0x12345678@@YAXXZ',
  '?f@?IC@D@@QAEXXZ',
  '?f@?QC@D@E@@QAEXXZ',
  '?f@?$C@$H?g@D@@QAEXXZA@@@QAEXXZ',
  '?f@??_?0@@YAXXZ',
  '?x@?1??f@C@@QAEXXZ@4HA',
  '?@?f@@YAXXZ',
  '.?AVC@@',
  '.?AUS@@',
  '?',
  '??',
  '???',
  '?@',
  '?$',
  '??$',
  '?f',
  '?f@',
  '?f@@',
  '?f@@Y',
  '?f@@YA',
  '?f@@YAX',
  '?f@@YAXX',
  '?f@@YAXXZ@',
  '?f@@YAXXZX',
  '?f@@YAXXZ ',
  '?f.x@@YAXXZ',
  '?f x@@YAXXZ',
  '?f<x>@@YAXXZ',
  '?f-x@@YAXXZ',
  '?f@@YAXH',
  '?f@@YAXHH',
  '?f@@YAXP',
  '?f@@YAXPA',
  '?f@@YAXPAV',
  '?f@@YAXPAVC',
  '?f@@YAXPAVC@',
  '?f@@YAXPAVC@@',
  '?f@@YAXPAY',
  '?f@@YAXPAY0',
  '?f@@YAXPAY01',
  '?f@@YAXPAY01H',
  '?f@@YAXP6',
  '?f@@YAXP6A',
  '?f@@YAXP6AX',
  '?f@@YAXP6AXX',
  '?f@@YAXP6AXXZ',
  '?x@@3',
  '?x@@3H',
  '?x@@3PEAHE',
  '?x@@3PEAHEA@',
  '?x@C@@0',
  '?x@C@@2HQ',
  '??_7C@@6',
  '??_7C@@6B',
  '??_7C@@6BA',
  '??_7C@@6BA@',
  '??_7C@@6BA@@',
  '??_C@_0CK@CBAGNDFD@hello',
  '??_C@_0CK@',
  '??_C@',
  '??_C@_',
  '?f@@YAXW0E@@@Z',
  '?f@@YAXW1E@@@Z',
  '?f@@YAXW2E@@@Z',
  '?f@@YAXW3E@@@Z',
  '?f@@YAXW5E@@@Z',
  '?f@@YAXW6E@@@Z',
  '?f@@YAXW7E@@@Z',
  '?f@@YAXW8E@@@Z',
  '?f@@YA?AUS@@XZ',
  '?f@@YA?CHXZ',
  '?f@@YA?DHXZ',
  '?f@C@@QBEXXZ',
  '?f@C@@QCEXXZ',
  '?f@C@@QDEXXZ',
  '?f@C@@QIEXXZ',
  '?f@C@@2HA',
  '?f@C@@0HA',
  '?f@C@@1HA',
  '?f@@YAXH@Z',
  '?f@@YAXHZ',
  '?f@@YAXP6AXXZ_E@Z',
  '?f@@YAXP6AXXZZ@Z',
  '?f@@YAX_UX@Z',
  '?f@@_YAXXZ',
  '?f@@_$YAXXZ',
  '?f@@$$FYAXXZ',
  '?f@@$$HYAXXZ',
  '?f@@$$J00YAXXZ',
  '?f@@$$QYAXXZ',
  '?f@@$$hYAXXZ',
  '?f@@$AYAXXZ',
  '?f@@$C@A@@',
  '?f@@$DYAXXZ',
  '?f@@$EYAXXZ',
  '?x@@;HA',
  '?x@C@@8',
  '?f@?$C@H@@QAEXV?$C@H@@@Z',
  '?f@@YAX0@Z',
  '?f@@YAX9@Z',
  '?f@@YAXV0@@Z',
  '?f@1@YAXXZ',
  // Type-only decoding (0x2000) of short strings.
  '??2@YA',
  '??2@Y',
  '??2@',
  '??2',
  '2@YA',
  'V@YA',
  'Vx@YA',
  'V@',
  'Vx@',
  'V@Y@',
  'V@@',
  '?f@',
  'PAV@Y',
  'VY@@',
  'Vx@y@',
  // Calling conventions dbghelp rejects (__interrupt, codes past __swift_2).
  '?f@@YAXP6KXXZ@Z',
  '?f@@YAXP6VXXZ@Z',
  '?f@@YVXXZ',
  '?f@@YAXP6TXXZ@Z',
  '?f@@YAXP6UXXZ@Z',
  '?x@@3P6KXXZA',
];

/**
 * Malformed names: prefixes of every 40th C++ name of the corpus subset,
 * single-character mutations and random strings (fixed seed), so that the
 * answers to broken input are Microsoft's too. (Names that make the DLL itself
 * hang, such as `??_7?$@H@C@@6B?$@H@@@`, cannot be asked.)
 */
function malformed() {
  const file = path.join(OUT_DIR, 'undname-ms-corpus.tsv');
  const names = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0 && l.startsWith('?'))
    .map((l) => l.slice(0, l.indexOf('\t')));
  const out = new Set();
  for (let i = 0; i < names.length; i += 40) {
    const n = names[i];
    for (let k = 1; k < n.length; k += 7) out.add(n.slice(0, k));
  }
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const alphabet = '?@$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcxyz';
  for (let k = 0; k < 150; k++) {
    const n = names[Math.floor(rnd() * names.length)];
    const i = Math.floor(rnd() * n.length);
    out.add(n.slice(0, i) + alphabet[Math.floor(rnd() * alphabet.length)] + n.slice(i + 1));
  }
  // Random strings after a '?' (the robustness test's alphabet).
  for (let k = 0; k < 300; k++) {
    const len = 1 + Math.floor(rnd() * 40);
    let s = '?';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    out.add(s);
  }
  return [...out].filter((s) => !NAMES.includes(s));
}

const mode = process.argv[2];
if (mode === 'corpus') {
  corpus(process.argv[3] || path.join(SHARED, 'corpus', 'oracle', 'undname.dbghelp-10.0.19041.685.jsonl'));
} else if (mode === 'synthetic') {
  synthetic();
} else {
  console.error('usage: node scripts/undname-oracle.js corpus [oracle.jsonl] | synthetic');
  process.exit(2);
}
