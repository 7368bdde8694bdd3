#!/usr/bin/env node
'use strict';
// A reader that goes away (`dbghelp symbols X | head`) ends the run quietly: no stack trace.
for (const s of [process.stdout, process.stderr]) {
  s.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const cli = require('../dist/cli/main.js');
cli.tuneProcessFor(process.argv.slice(2));
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // All output written (nothing queued: stdout and stderr are synchronous for files and pipes
    // on Linux and macOS): exit now. Node's own teardown frees every heap page first, 0.05-0.25 s
    // after a bulk symbolize of the big PDB here (bench/README.md "Session 6").
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
  },
  (err) => {
    process.stderr.write(`dbghelp: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 2;
  },
);
