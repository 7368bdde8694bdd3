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
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`dbghelp: ${err && err.message ? err.message : err}\n`); process.exitCode = 2; },
);
