/**
 * `dbghelp cache list|clear`: what the default downstream store (`<home>/sym`, where `srv**url`
 * and HTTP stores without a cache of their own copy files) holds: the symbol files in the store
 * layout (one- or two-tier) and the remembered misses (404s kept for an hour, so a server is not
 * asked again: lib/symsrv/http/negative-cache.ts). `clear` forgets the misses; `clear --all` also
 * deletes the files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { defaultHomeDirectory } from '../portable/features/search';
import { UsageError, type CommandSpec, type ParsedArgs } from './args';
import { written } from './output';

export const CACHE: CommandSpec = {
  name: 'cache',
  usage: `usage: dbghelp cache list|clear [options]
  The default downstream store (<home>/sym, where symbol servers' files are copied) and the
  misses remembered there (a server's 404, not asked again for an hour).
  list              the files (name, key, size, path) and the live misses
  clear             forget the misses (the next search asks the servers again)
  clear --all       also delete the cached files
  --cache DIR       list/clear the files of another downstream store (a cache* or srv*DIR*... one)
  --home DIR        the home directory (SymSetHomeDirectory; default $DBGHELP_HOMEDIR or ~)
  --json            list: {"store","files":[{name,key,file,size,path}],"misses":[{url,status,until}]}`,
  options: { cache: { type: 'string' }, home: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
};

interface CachedFile {
  name: string;
  key: string;
  file: string;
  size: number;
  path: string;
}

/** `name/key/file` (one-tier) and `xx/name/key/file` (two-tier, index2.txt) below the store. */
function storeFiles(store: string): CachedFile[] {
  const out: CachedFile[] = [];
  const dirs = (d: string) => {
    try {
      return fs
        .readdirSync(d, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name);
    } catch {
      return [];
    }
  };
  const keysOf = (root: string, name: string) => {
    for (const key of dirs(path.join(root, name))) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(path.join(root, name, key), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const f of entries) {
        if (!f.isFile()) continue;
        const p = path.join(root, name, key, f.name);
        out.push({ name, key, file: f.name, size: fs.statSync(p).size, path: p });
      }
    }
  };
  const twoTier = fs.existsSync(path.join(store, 'index2.txt'));
  for (const top of dirs(store)) {
    if (twoTier && top.length === 2 && !top.includes('.')) for (const name of dirs(path.join(store, top))) keysOf(path.join(store, top), name);
    else keysOf(store, top);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export async function cache(a: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = a.positionals;
  if (sub !== 'list' && sub !== 'clear') throw new UsageError(sub === undefined ? 'cache needs a subcommand: list or clear' : `unknown cache subcommand '${sub}' (list or clear)`);
  if (rest.length) throw new UsageError(`cache ${sub} takes no other arguments (got '${rest[0]}')`);
  const home = a.values.get('home') ?? defaultHomeDirectory();
  const store = path.resolve(a.values.get('cache') ?? path.join(home, 'sym'));
  const { defaultNegativeCacheFile, negativeCacheFor } = require('../symsrv/http') as typeof import('../symsrv/http');
  // The miss cache is the handler's, under its home whatever cache* a path names.
  const missFile = defaultNegativeCacheFile(home);
  if (sub === 'list') {
    const files = storeFiles(store);
    const misses = fs.existsSync(missFile) ? negativeCacheFor(missFile).live() : [];
    if (a.flags.has('json')) {
      await written(out, JSON.stringify({ store, files, misses }) + '\n');
    } else {
      const lines = [
        `${store}: ${files.length} file${files.length === 1 ? '' : 's'}, ${files.reduce((n, f) => n + f.size, 0)} bytes; ${misses.length} remembered miss${misses.length === 1 ? '' : 'es'}`,
      ];
      for (const f of files) lines.push(`${f.key} ${String(f.size).padStart(10)} ${f.path}`);
      for (const m of misses) lines.push(`miss ${m.status} until ${new Date(m.until).toISOString()} ${m.url}`);
      await written(out, lines.join('\n') + '\n');
    }
    return 0;
  }
  fs.rmSync(missFile, { force: true });
  let removed = 0;
  if (a.flags.has('all')) {
    for (const f of storeFiles(store)) {
      fs.rmSync(f.path, { force: true });
      removed++;
      // Drop the key and name directories left empty.
      for (const d of [path.dirname(f.path), path.dirname(path.dirname(f.path))]) {
        try {
          fs.rmdirSync(d);
        } catch {
          break;
        }
      }
    }
  }
  await written(out, `${store}: misses forgotten${a.flags.has('all') ? `, ${removed} file${removed === 1 ? '' : 's'} deleted` : ''}\n`);
  return 0;
}
