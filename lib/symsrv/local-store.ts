/**
 * A symbol store on a file system (a local directory or a UNC share): symstore's layout.
 *
 *   <root>/[xx/]<name>/<key>/<name>       the file
 *   <root>/[xx/]<name>/<key>/<name with its last character replaced by _>   a CAB holding it
 *   <root>/[xx/]<name>/<key>/file.ptr     PATH:<location> or MSG:<text> (symstore /p)
 *
 * `xx/` is the two-tier layout: when `<root>/index2.txt` exists, files live under the first
 * two characters of their name (`nt/ntdll.pdb/...`). The key is tried as given, then in upper
 * case (stores written by tools that upper-case SizeOfImage or the age).
 *
 * A flat store (SYMOPT_FLAT_DIRECTORY: "symbols are stored in the root directory of the default
 * downstream store") keeps `<root>/<name>` with no key directories; what is found there is
 * told apart by the identity check alone.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import { Transform } from 'stream';
import { SymOpt } from '../api/constants';
import { DbgHelpError } from '../api/errors';
import { keyVariants } from './keys';
import { compressedName, parseFilePtr, type FetchOptions, type FetchOutcome, type StoreRequest, type StoreSource } from './store';
import { hostPath, joinHost } from './paths';

/** Marker of a two-tier store. */
export const INDEX2_FILE = 'index2.txt';
/** A plain directory holding this file at its root is a store even without `srv*`. */
export const PINGME_FILE = 'pingme.txt';

export class LocalStore implements StoreSource {
  readonly local = true;
  private twoTier: boolean | undefined;

  /** `root` as written in the search path; `hostPath` turns it into a path for this OS. */
  constructor(
    readonly root: string,
    readonly layout: { flat?: boolean } = {},
  ) {}

  describe(): string {
    return this.root;
  }

  /** Whether the store is two-tier (index2.txt at its root); checked once. */
  isTwoTier(): boolean {
    if (this.twoTier === undefined) this.twoTier = isFile(path.join(hostPath(this.root), INDEX2_FILE));
    return this.twoTier;
  }

  /** Where a request's files live in this store, as written (for logs): `root/[xx/]name/key`. */
  keyDir(req: StoreRequest, key = req.key): string {
    if (this.layout.flat) return this.root;
    return joinHost(this.root, ...tier(req.fileName, this.isTwoTier()), req.fileName, key);
  }

  /** The uncompressed file's place in this store (where a downstream copy goes). */
  filePath(req: StoreRequest): string {
    return joinHost(this.keyDir(req), req.fileName);
  }

  async fetch(req: StoreRequest, opts: FetchOptions): Promise<FetchOutcome> {
    checkAbort(opts.signal);
    const favorCompressed = ((opts.options ?? 0) & SymOpt.FAVOR_COMPRESSED) !== 0;
    for (const key of this.layout.flat ? [req.key] : keyVariants(req.key)) {
      const dir = this.keyDir(req, key);
      const forms: Array<['file' | 'compressed', string]> = [
        ['file', joinHost(dir, req.fileName)],
        ['compressed', joinHost(dir, compressedName(req.fileName))],
      ];
      if (favorCompressed) forms.reverse();
      for (const [form, p] of forms) {
        const st = statFile(hostPath(p));
        if (!st) continue;
        if (!opts.copyTo) return { status: 'found', form, path: hostPath(p), bytes: st.size, from: p };
        const bytes = await copyWithProgress(hostPath(p), opts.copyTo, st.size, p, opts);
        return { status: 'found', form, path: opts.copyTo, bytes, from: p };
      }
      if (this.layout.flat) continue; // no key directory, so no file.ptr
      const ptrPath = joinHost(dir, 'file.ptr');
      let text: string | undefined;
      try {
        text = fs.readFileSync(hostPath(ptrPath), 'latin1');
      } catch {
        text = undefined;
      }
      if (text !== undefined) {
        const ptr = parseFilePtr(text);
        if (ptr?.kind === 'path') return { status: 'pointer', target: ptr.target, from: ptrPath };
        if (ptr?.kind === 'message') return { status: 'message', message: ptr.message, from: ptrPath };
      }
    }
    return { status: 'not-found', tried: this.filePath(req) };
  }
}

/** The two-tier prefix: the first two characters of the name (one character: just it). */
function tier(fileName: string, twoTier: boolean): string[] {
  return twoTier ? [fileName.slice(0, 2)] : [];
}

function statFile(p: string): fs.Stats | undefined {
  try {
    const st = fs.statSync(p);
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

export function isFile(p: string): boolean {
  return statFile(p) !== undefined;
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DbgHelpError('ABORTED', 'the symbol search was cancelled', { cause: signal.reason });
}

/** Copies `from` to `to` (which must not exist), reporting progress; honours the signal. */
export async function copyWithProgress(from: string, to: string, total: number, shown: string, opts: FetchOptions): Promise<number> {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      opts.onProgress?.({ bytes, total, from: shown });
      cb(null, chunk);
    },
  });
  try {
    await pipeline(fs.createReadStream(from), counter, fs.createWriteStream(to, { flags: 'wx' }), { signal: opts.signal });
  } catch (e) {
    if (opts.signal?.aborted) throw new DbgHelpError('ABORTED', 'the symbol search was cancelled', { cause: opts.signal.reason });
    throw new DbgHelpError('IO_ERROR', `copying ${shown}: ${(e as Error).message}`, { file: from, cause: e });
  }
  return bytes;
}
