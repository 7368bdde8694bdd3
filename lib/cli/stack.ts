/**
 * `dbghelp stack CRASH.dmp`: every thread of a minidump, walked and symbolicated (lib/stack),
 * in minidump_stackwalk's human format or rust-minidump's JSON schema. One warning line per
 * module without symbols on stderr (the status says why). Exit 0 when the crashing thread's
 * frames all have symbols, 1 when some module they pass through has none, 2 bad usage or a
 * dump that cannot be read.
 */
import { describeModuleStatus, hasSymbols } from '../api/module-status';
import { symbolServerOf, UsageError, type CommandSpec, type ParsedArgs } from './args';
import { written } from './output';

export const STACK: CommandSpec = {
  name: 'stack',
  usage: `usage: dbghelp stack CRASH.dmp [options]
  The symbolicated stack of every thread of a Windows minidump, crashing thread first, with the
  crash reason, the system, and each module's symbol status (why symbols are missing).
  Images (for unwind data) and PDBs are found through the symbol path: a directory store plus a
  cache, e.g. --symbol-path 'srv*/var/cache/sym*https://msdl.microsoft.com/download/symbols'.
  --symbol-path P   where to look for images and PDBs (else _NT_SYMBOL_PATH)
  --inlines         list inline frames (default)
  --no-inlines      leave inline frames out
  --json            rust-minidump's JSON schema (what minidump-stackwalk --json prints)
  --pretty          indent the JSON
  --registers       print every frame's registers (default: the crashing thread's)
  --max-frames N    frames per thread at most (default 1024)
  --concurrency N   modules searched at once (default 4)
  --verbose         print the symbol search's log on stderr
  --no-miss-cache   ask symbol servers again for files they did not have (no 1-hour memory)
  exit: 0 the crashing thread fully symbolicated, 1 some of its modules without symbols, 2 bad
  usage or an unreadable dump`,
  options: {
    'symbol-path': { type: 'string' },
    'no-miss-cache': { type: 'boolean' },
    inlines: { type: 'boolean' },
    'no-inlines': { type: 'boolean' },
    json: { type: 'boolean' },
    pretty: { type: 'boolean' },
    registers: { type: 'boolean' },
    'max-frames': { type: 'string' },
    concurrency: { type: 'string' },
    verbose: { type: 'boolean' },
  },
};

function positiveInt(a: ParsedArgs, name: string): number | undefined {
  const v = a.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} takes a positive integer (got ${v})`);
  return n;
}

export async function stack(a: ParsedArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if (a.positionals.length !== 1) throw new UsageError('stack takes one minidump file');
  const { processMinidump } = require('../stack/process-dump') as typeof import('../stack/process-dump');
  const state = await processMinidump(a.positionals[0], {
    searchPath: a.values.get('symbol-path') ?? null,
    inlines: !a.flags.has('no-inlines'),
    symbolServer: symbolServerOf(a),
    maxFrames: positiveInt(a, 'max-frames'),
    concurrency: positiveInt(a, 'concurrency'),
    onDebug: a.flags.has('verbose') ? (l) => err.write(l + '\n') : undefined,
  });
  for (const m of state.modules) if (!hasSymbols(m.status)) err.write(`dbghelp: warning: ${describeModuleStatus(m.filename, m.status)}\n`);
  if (a.flags.has('json')) {
    const { formatJson } = require('../stack/format-json') as typeof import('../stack/format-json');
    await written(out, formatJson(state, a.flags.has('pretty')));
  } else {
    const { formatText } = require('../stack/format-text') as typeof import('../stack/format-text');
    await written(out, formatText(state, { registers: a.flags.has('registers') || undefined }));
  }
  const crashed = state.crashingThread !== undefined ? state.threads[state.crashingThread] : undefined;
  const unsymbolized = crashed?.frames.some((f) => f.module && !hasSymbols(f.module.status));
  return unsymbolized ? 1 : 0;
}
