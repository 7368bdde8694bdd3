// What scripts/record-*.js share: the corpus, its Microsoft dbghelp.dll oracle files, and
// shared/tools/msoracle to ask the DLL again (the test side is test/helpers/ms-oracle.ts).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const corpus = process.env.DBGHELP_CORPUS || path.resolve(root, '..', 'shared', 'corpus');
const oracleDir = path.join(corpus, 'oracle');

/** Every oracle file whose name ends with `suffix` (`.enum.jsonl`), sorted, with its image's corpus path. */
function oracleFiles(suffix) {
  const out = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(suffix) && !e.name.startsWith('undname.')) out.push(p);
    }
  })(oracleDir);
  return out.sort().map((file) => ({ file, image: path.relative(oracleDir, file).slice(0, -suffix.length) }));
}

/** A corpus path as the oracle headers write it (`files/...`), on disk. */
const corpusPath = (p) => path.join(corpus, p.replace(/^files\//, ''));

/** msoracle's answer lines (JSON) to `args`; throws where the DLL or Wine fails. */
function askDll(args) {
  const text = execFileSync(path.resolve(corpus, '..', 'tools', 'msoracle', 'run'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

module.exports = { root, oracleFiles, corpusPath, askDll };
