/**
 * `dbghelp symbolicate [REQUEST.json]`: answers a Mozilla symbolication API v5 request (from the
 * file, else stdin) with the v5 response on stdout (lib/symbolicate). Each module is looked for
 * once through the symbol path; one warning line per module without symbols on stderr.
 * Exit 0 every module found, 1 some module without symbols, 2 bad usage or a malformed request.
 */
import * as fs from 'fs';
import { describeModuleStatus } from '../api/module-status';
import { DbgHelpError } from '../api/errors';
import { symbolicate } from '../symbolicate';
import { symbolServerOf, UsageError, type CommandSpec, type ParsedArgs } from './args';
import { written } from './output';

export const SYMBOLICATE: CommandSpec = {
  name: 'symbolicate',
  usage: `usage: dbghelp symbolicate [REQUEST.json] [options]
  Answers a Mozilla symbolication API v5 request, read from REQUEST.json or stdin:
    {"jobs":[{"memoryMap":[["app.pdb","<debug id>"],...],"stacks":[[[0,4096],...]]}]}
  with {"results":[{"stacks":[[{"frame","module","module_offset","function","function_offset",
  "file","line","inlines"}...]],"found_modules":{"app.pdb/<debug id>":true,...}}]}.
  --symbol-path P   where to look for PDBs (else _NT_SYMBOL_PATH)
  --home DIR        the default downstream store is DIR/sym
  --no-inlines      leave inline frames out
  --pretty          indent the JSON
  --verbose         print the symbol search's log on stderr
  --no-miss-cache   ask symbol servers again for files they did not have (no 1-hour memory)
  --json            (the output is always JSON)
  exit: 0 all modules found, 1 some module without symbols, 2 bad usage or request`,
  options: {
    'symbol-path': { type: 'string' },
    'no-miss-cache': { type: 'boolean' },
    home: { type: 'string' },
    'no-inlines': { type: 'boolean' },
    pretty: { type: 'boolean' },
    verbose: { type: 'boolean' },
    json: { type: 'boolean' },
  },
};

export async function symbolicateCommand(a: ParsedArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream, input: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<number> {
  if (a.positionals.length > 1) throw new UsageError('symbolicate takes at most one REQUEST.json (else stdin)');
  let text: string;
  if (a.positionals.length) {
    const f = a.positionals[0];
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      throw new DbgHelpError('FILE_NOT_FOUND', `${f}: ${(e as Error).message}`, { file: f });
    }
  } else {
    if (input.isTTY) throw new UsageError('symbolicate needs a request (REQUEST.json or stdin)');
    const chunks: Buffer[] = [];
    for await (const c of input) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    text = Buffer.concat(chunks).toString('utf8');
  }
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the request is not JSON: ${(e as Error).message}`);
  }
  const response = await symbolicate(request as never, {
    searchPath: a.values.get('symbol-path') ?? null,
    homeDirectory: a.values.get('home'),
    inlines: !a.flags.has('no-inlines'),
    symbolServer: symbolServerOf(a),
    onDebug: a.flags.has('verbose') ? (l) => err.write(l + '\n') : undefined,
  });
  let missing = 0;
  const warned = new Set<string>();
  for (const r of response.results) {
    for (const [key, found] of Object.entries(r.found_modules)) {
      if (found) continue;
      missing++;
      if (!warned.has(key)) err.write(`dbghelp: warning: ${describeModuleStatus(key.slice(0, key.indexOf('/')), r.module_status[key])}\n`);
      warned.add(key);
    }
  }
  await written(out, JSON.stringify(response, null, a.flags.has('pretty') ? 2 : undefined) + '\n');
  return missing ? 1 : 0;
}
