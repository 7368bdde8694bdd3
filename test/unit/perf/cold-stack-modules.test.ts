/**
 * Walking a dump's stacks loads neither the Breakpad .sym writer nor the undecorator it brings:
 * the stack walker's symbol source reads .sym stores (breakpad/symbol-source.ts) and needs only
 * Breakpad's identifiers and store layout (breakpad/ids.ts). Each writer module is mocked by
 * one that records being loaded. (When the source imported dump-syms.ts for its debug id,
 * `dbghelp stack` required 172 modules, 904 KB; now 149, 736 KB.)
 */
import * as path from 'path';

const loaded: string[] = [];
for (const m of ['breakpad/dump-syms', 'breakpad/store', 'breakpad/pdb-symbols', 'breakpad/record-writer']) {
  jest.doMock(`../../../lib/${m}`, () => {
    loaded.push(m);
    return {};
  });
}

const DUMPS = path.join(__dirname, '..', '..', 'fixtures', 'dumps');

test('processing a minidump requires none of the .sym writer modules', async () => {
  const { processMinidump } = require('../../../lib/stack/process-dump') as typeof import('../../../lib/stack/process-dump');
  const r = await processMinidump(path.join(DUMPS, 'alloca.dmp'), { searchPath: path.join(DUMPS, 'bin') });
  const frames = r.threads.flatMap((t) => t.frames);
  expect(frames.some((f) => f.function !== undefined)).toBe(true);
  expect(loaded).toEqual([]);
});
