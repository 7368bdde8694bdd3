// A jest reporter for the Wine lane: writes each test's backend, title and status to the file
// named by DBGHELP_LANE_RESULT (jest's own --json cannot serialize failures that hold BigInts).
'use strict';
const fs = require('fs');

class LaneSummaryReporter {
  onRunComplete(_contexts, results) {
    const out = process.env.DBGHELP_LANE_RESULT;
    if (!out) return;
    const tests = [];
    for (const suite of results.testResults) {
      if (suite.testExecError) tests.push({ file: suite.testFilePath, ancestors: [], title: 'suite failed to run', status: 'failed' });
      for (const t of suite.testResults) tests.push({ file: suite.testFilePath, ancestors: t.ancestorTitles, title: t.title, status: t.status });
    }
    // jest sets results.success only after the reporters' onRunComplete: decide from the counts.
    const success = results.numFailedTests === 0 && results.numRuntimeErrorTestSuites === 0 && !results.snapshot.failure && !results.runExecError;
    fs.writeFileSync(out, JSON.stringify({ success, tests }, null, 1));
  }
}
module.exports = LaneSummaryReporter;
