/**
 * A symbol store served over HTTP(S): SymSrv's protocol, as symsrv.dll speaks it.
 *
 * For `ntdll.pdb` under key K, in order (FAVOR_COMPRESSED swaps the first two):
 *   GET <url>/ntdll.pdb/K/ntdll.pdb
 *   GET <url>/ntdll.pdb/K/ntdll.pd_     a CAB (the writer expands it)
 *   GET <url>/ntdll.pdb/K/file.ptr      PATH:<location> or MSG:<text>
 * after one `GET <url>/index2.txt` per store (200: two-tier, files under `nt/ntdll.pdb/...`).
 *
 * Each GET: the negative cache first (a 404 remembered for missTtlMs is not asked again), the
 * host's breaker (a host failing again and again is skipped for a cool-down), then the request
 * with connect / idle / total timeouts and retries with backoff for what may pass (resets,
 * timeouts, truncated bodies, 5xx, 429). A 200 body goes to the caller's temporary file
 * (`copyTo`) only after its Content-Type and first bytes pass `content-check.ts`; on any failure
 * the temporary file is removed, so the caller finds either the whole body or nothing.
 *
 * A finished transfer is logged as symsrv does (`ntdll.pdb from https://...: 570542 bytes -
 * copied`); the writer then checks the file against its key and logs a mismatch.
 *
 * Outcomes follow lib/symsrv/store.ts: all 404 → `not-found` (401/403 count as a miss for the
 * probing, as S3-style stores answer 403 for a missing key, but end as `unavailable`: the file
 * may be there for someone with credentials; index2.txt answered 4xx means one-tier); a server error, a timeout, a
 * refused body, an open breaker → `unavailable` (the search logs it and moves on); a file.ptr
 * → `pointer` / `message`, except that a file.ptr served over HTTP pointing at a local or UNC
 * path is refused unless `allowHttpFilePtrToLocal` (an http(s) target is fetched here).
 *
 * Over 400 lines on purpose: symsrv.dll's whole HTTP protocol for one file (the candidate
 * URLs, file.ptr, redirects, retries and timeouts, the miss cache, the cabinet) is one sequence;
 * the transport (request.ts), proxies and cache are in their own files.
 */
import * as fs from 'fs';
import { SymOpt } from '../../api/constants';
import { DbgHelpError } from '../../api/errors';
import { parseFilePtr, storePaths, type FetchOptions, type FetchOutcome, type StoreRequest, type StoreSource } from '../store';
import { sharedAgents } from './agents';
import { proxyAgent, proxyFor } from './proxy';
import { breakers as processBreakers, type BreakerBoard } from './breaker';
import { checkHeaders, checkMagic, ContentRefused, expectedFor, MAGIC_BYTES, type Expected } from './content-check';
import { sleep } from './file-lock';
import { negativeCacheFor, type NegativeCache } from './negative-cache';
import { resolveOptions, type HttpStoreOptions } from './options';
import { HttpFailure, httpGet, type BodySink, type ResponseHead } from './request';
import { queryInfoLine, statusName, transportLine } from './wininet';

/** Largest file.ptr or index2.txt body read. */
const SMALL_BODY = 64 * 1024;

/**
 * Each store URL's layout (index2.txt: two-tier), asked once per process: the search makes a
 * new HttpStore per lookup. A 404 is also in the negative cache, for the next process.
 */
const layouts = new Map<string, Promise<boolean | undefined>>();

/** Forget the stores' layouts (tests). */
export function forgetLayouts(): void {
  layouts.clear();
}

/** Where a GET's body goes. */
type Target = { kind: 'file'; path: string; expected: Expected } | { kind: 'memory'; expected: Expected };

type GetOutcome = { kind: 'ok'; bytes: number; text?: string } | { kind: 'missing'; status: number } | { kind: 'failed'; reason: string };

interface Call {
  opts: FetchOptions;
  /** Date.now() by which this fetch must be over (the real clock, whatever `now` says). */
  deadline: number;
  debug(line: string): void;
}

export class HttpStore implements StoreSource {
  readonly local = false;
  readonly options: HttpStoreOptions;
  /** The store URL without a trailing slash. */
  readonly url: string;
  private readonly base: URL;
  private readonly misses: NegativeCache | undefined;
  private readonly board: BreakerBoard;

  constructor(url: string, options?: Partial<HttpStoreOptions>) {
    this.options = resolveOptions(options);
    this.url = url.replace(/\/+$/, '');
    this.base = new URL(this.url + '/');
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new TypeError(`not an http(s) store: ${url}`);
    const file = this.options.negativeCacheFile;
    this.misses = file && this.options.missTtlMs > 0 ? negativeCacheFor(file, options?.now) : undefined;
    this.board = this.options.breakers ?? processBreakers;
  }

  describe(): string {
    return this.url;
  }

  async fetch(req: StoreRequest, opts: FetchOptions): Promise<FetchOutcome> {
    const debug = opts.debug ?? (() => {});
    const bad = unsafeComponent('file name', req.fileName) ?? unsafeComponent('key', req.key);
    if (bad) return { status: 'unavailable', reason: `refused before any request: ${bad}`, tried: this.url };
    const tried = this.urlFor(storePaths(req).file).href;
    checkAbort(opts.signal);
    if (!opts.copyTo) return { status: 'unavailable', reason: 'an HTTP store needs a downstream store to copy into', tried };
    const call: Call = { opts, deadline: Date.now() + this.options.totalTimeoutMs, debug };

    const twoTier = await this.layout(call);
    if (twoTier === undefined) return { status: 'unavailable', reason: 'no usable answer for index2.txt', tried: this.urlFor('index2.txt').href };
    const tier = twoTier ? `${req.fileName.slice(0, 2)}/` : '';
    const paths = storePaths(req);
    const forms: Array<['file' | 'compressed', string, Expected]> = [
      ['file', tier + paths.file, expectedFor(req.fileName)],
      ['compressed', tier + paths.compressed, 'cab'],
    ];
    if (((opts.options ?? 0) & SymOpt.FAVOR_COMPRESSED) !== 0) forms.reverse();

    /** A 401/403 on a probe: a miss for the probing, but the store is not "without the file". */
    let denied: number | undefined;
    for (const [form, rel, expected] of forms) {
      const url = this.urlFor(rel);
      const r = await this.get(url, { kind: 'file', path: opts.copyTo, expected }, call);
      if (r.kind === 'missing' && (r.status === 401 || r.status === 403)) denied ??= r.status;
      if (r.kind === 'ok') {
        debug(`SYMSRV:  ${lastSegment(rel)} from ${this.url}: ${r.bytes} bytes - copied`);
        return { status: 'found', form, path: opts.copyTo, bytes: r.bytes, from: url.href };
      }
      if (r.kind === 'failed') return { status: 'unavailable', reason: r.reason, tried: url.href };
    }

    const ptrUrl = this.urlFor(tier + paths.pointer);
    const p = await this.get(ptrUrl, { kind: 'memory', expected: 'any' }, call);
    if (p.kind === 'failed') return { status: 'unavailable', reason: p.reason, tried: ptrUrl.href };
    if (p.kind === 'missing') {
      if (denied) return { status: 'unavailable', reason: `HTTP ${denied} (${statusName(denied)})`, tried };
      return { status: 'not-found', tried };
    }
    const ptr = parseFilePtr(p.text ?? '');
    if (!ptr) {
      debug(`SYMSRV:  ${ptrUrl.href} - neither PATH: nor MSG:, ignored`);
      return { status: 'not-found', tried };
    }
    if (ptr.kind === 'message') return { status: 'message', message: ptr.message, from: ptrUrl.href };
    debug(`SYMSRV:  PATH: ${ptr.target}`);
    if (/^https?:\/\//i.test(ptr.target)) return this.followUrlPointer(ptr.target, ptrUrl, opts.copyTo, call);
    if (!this.options.allowHttpFilePtrToLocal) {
      const reason = `refused: points at the local path ${ptr.target}; a file.ptr served over HTTP may not send us to the local file system (allowHttpFilePtrToLocal permits it)`;
      return { status: 'unavailable', reason, tried: ptrUrl.href };
    }
    return { status: 'pointer', target: ptr.target, from: ptrUrl.href };
  }

  /** A file.ptr whose PATH is a URL: fetched here with the same checks (never https → http). */
  private async followUrlPointer(target: string, from: URL, copyTo: string, call: Call): Promise<FetchOutcome> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return { status: 'unavailable', reason: `unusable PATH ${target}`, tried: from.href };
    }
    if (from.protocol === 'https:' && url.protocol === 'http:') {
      return { status: 'unavailable', reason: `refused: points from https to plain http (${target})`, tried: from.href };
    }
    const name = lastSegment(url.pathname);
    const compressed = name.endsWith('_');
    const r = await this.get(url, { kind: 'file', path: copyTo, expected: expectedFor(name) }, call);
    if (r.kind === 'ok') {
      call.debug(`SYMSRV:  ${name} from ${url.origin}: ${r.bytes} bytes - copied`);
      return { status: 'found', form: compressed ? 'compressed' : 'file', path: copyTo, bytes: r.bytes, from: url.href };
    }
    if (r.kind === 'missing') return { status: 'not-found', tried: url.href };
    return { status: 'unavailable', reason: r.reason, tried: url.href };
  }

  /** Two-tier (true), one-tier (false), or undefined when the server did not answer. Asked once. */
  private async layout(call: Call): Promise<boolean | undefined> {
    if (!this.options.probeIndex2) return false;
    let probe = layouts.get(this.url);
    if (!probe) {
      probe = this.get(this.urlFor('index2.txt'), { kind: 'memory', expected: 'any' }, call).then((r) => (r.kind === 'ok' ? true : r.kind === 'missing' ? false : undefined));
      layouts.set(this.url, probe);
    }
    let v: boolean | undefined;
    try {
      v = await probe;
    } catch (e) {
      layouts.delete(this.url);
      throw e;
    }
    if (v === undefined) layouts.delete(this.url); // ask again next time
    return v;
  }

  private urlFor(rel: string): URL {
    return new URL(rel.split('/').map(encodeURIComponent).join('/'), this.base);
  }

  /** One GET with the negative cache, the breaker and retries. */
  private async get(url: URL, target: Target, call: Call): Promise<GetOutcome> {
    const o = this.options;
    const { debug, opts } = call;
    const shown = url.pathname;
    const miss = this.misses?.lookup(url.href);
    if (miss) {
      debug(`SYMSRV:  HTTPGET: ${shown} - ${statusName(miss.status)} remembered until ${new Date(miss.until).toISOString()}, not asked again`);
      return { kind: 'missing', status: miss.status };
    }
    const host = url.host;
    const breakerOpts = { threshold: Math.max(1, o.breakerThreshold), cooldownMs: o.breakerCooldownMs, now: o.now };
    const attempts = 1 + Math.floor(o.retries);
    for (let attempt = 1; ; attempt++) {
      checkAbort(opts.signal);
      const admission = this.board.admit(host, breakerOpts);
      if (!admission.allowed) {
        const reason = `${host} skipped: ${admission.failures} failures in a row, next try in ${Math.ceil(admission.retryInMs / 1000)} s`;
        debug(`SYMSRV:  HTTPGET: ${shown} - ${reason}`);
        return { kind: 'failed', reason };
      }
      debug(`SYMSRV:  HTTPGET: ${shown}`);
      const sink = target.kind === 'file' ? new FileSink(target.path, target.expected) : new MemorySink(target.expected);
      let retryAfterMs: number | undefined;
      let why: string;
      try {
        const r = await httpGet(
          url,
          {
            connectTimeoutMs: o.connectTimeoutMs,
            idleTimeoutMs: o.idleTimeoutMs,
            deadline: call.deadline,
            maxRedirects: o.maxRedirects,
            maxBytes: target.kind === 'memory' ? SMALL_BODY : o.maxBytes,
            signal: opts.signal,
            headers: { 'user-agent': o.userAgent, ...o.headers },
            agents: sharedAgents(),
            agentFor: o.createConnection
              ? undefined
              : (u: URL) => {
                  const proxy = proxyFor(u.href, o.proxy);
                  return proxy ? proxyAgent(proxy, u.protocol === 'https:' ? 'https:' : 'http:') : undefined;
                },
            createConnection: o.createConnection,
            onRedirect: (from, to, status) => debug(`SYMSRV:  HTTPGET: ${from.pathname} - ${status} redirect to ${to.href}`),
          },
          (head: ResponseHead) => {
            if (head.status < 200 || head.status >= 300) return undefined;
            checkHeaders(head.contentType, head.contentEncoding);
            sink.total = head.contentLength;
            sink.progress = (bytes, total) => opts.onProgress?.({ bytes, total, from: url.href });
            return sink;
          },
        );
        const status = r.head.status;
        debug(queryInfoLine(status));
        if (status >= 200 && status < 300) {
          await sink.finish();
          this.board.success(host);
          return { kind: 'ok', bytes: r.received, text: sink instanceof MemorySink ? sink.text() : undefined };
        }
        await sink.discard();
        if (status === 404 || status === 410) {
          this.board.success(host);
          this.misses?.record(url.href, status, o.missTtlMs);
          return { kind: 'missing', status };
        }
        if (status === 401 || status === 403) {
          // Not remembered: credentials may change. (S3-style stores answer 403 for a missing key.)
          this.board.success(host);
          return { kind: 'missing', status };
        }
        if (!(status >= 500 || status === 429 || status === 408)) {
          this.board.success(host);
          return { kind: 'failed', reason: `HTTP ${status} (${statusName(status)})` };
        }
        this.board.failure(host, breakerOpts);
        retryAfterMs = r.head.retryAfterMs;
        why = `HTTP ${status} (${statusName(status)})`;
      } catch (e) {
        await sink.discard();
        if (e instanceof ContentRefused) {
          this.board.success(host); // the host answered; what it sent is not a symbol file
          debug(`SYMSRV:  HTTPGET: ${shown} - refused: ${e.message}`);
          return { kind: 'failed', reason: `refused: ${e.message}` };
        }
        if (!(e instanceof HttpFailure)) {
          this.board.release(host);
          throw e;
        }
        if (e.kind === 'aborted') {
          this.board.release(host);
          throw new DbgHelpError('ABORTED', `${url.href}: download cancelled`, { cause: opts.signal?.reason ?? e });
        }
        debug(transportLine(e.phase, e.wininet));
        if (e.kind === 'too-large' || e.kind === 'overrun' || e.kind === 'redirect') {
          this.board.success(host);
          debug(`SYMSRV:  HTTPGET: ${shown} - refused: ${withoutUrl(e.message, url)}`);
          return { kind: 'failed', reason: `refused: ${withoutUrl(e.message, url)}` };
        }
        this.board.failure(host, breakerOpts);
        why = withoutUrl(e.message, url);
        if (!e.retryable) return { kind: 'failed', reason: why };
      }
      const wait = this.backoff(attempt, retryAfterMs);
      if (attempt >= attempts || Date.now() + wait >= call.deadline) return { kind: 'failed', reason: why };
      debug(`SYMSRV:  HTTPGET: ${shown} - retry ${attempt} of ${attempts - 1} in ${wait} ms (${why})`);
      await sleep(wait, opts.signal);
    }
  }

  private backoff(attempt: number, retryAfterMs: number | undefined): number {
    const o = this.options;
    const exp = Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** (attempt - 1));
    const jittered = Math.round(exp * (0.5 + Math.random() * 0.5));
    return retryAfterMs !== undefined ? Math.max(jittered, Math.min(retryAfterMs, o.retryMaxMs)) : jittered;
  }
}

/** Writes a body to a file, checking its first bytes before the rest follows. */
class FileSink implements BodySink {
  total: number | undefined;
  progress: ((bytes: number, total: number | undefined) => void) | undefined;
  private fh: fs.promises.FileHandle | undefined;
  private opening: Promise<fs.promises.FileHandle> | undefined;
  private head = Buffer.alloc(0);
  private checked = false;
  private bytes = 0;

  constructor(
    readonly path: string,
    readonly expected: Expected,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    if (!this.checked) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, MAGIC_BYTES)]);
      if (this.head.length >= MAGIC_BYTES) {
        checkMagic(this.head, this.expected);
        this.checked = true;
      }
    }
    try {
      this.opening ??= fs.promises.open(this.path, 'w');
      const fh = (this.fh = await this.opening);
      await writeAll(fh, chunk);
    } catch (e) {
      throw new DbgHelpError('IO_ERROR', `cannot write the download to ${this.path}: ${(e as Error).message}`, { file: this.path, cause: e });
    }
    this.bytes += chunk.length;
    this.progress?.(this.bytes, this.total);
  }

  async finish(): Promise<void> {
    try {
      if (!this.checked) {
        if (this.bytes === 0) throw new ContentRefused('empty body', 'magic');
        checkMagic(this.head, this.expected);
      }
      await this.fh?.close().catch((e: Error) => {
        throw new DbgHelpError('IO_ERROR', `cannot write the download to ${this.path}: ${e.message}`, { file: this.path, cause: e });
      });
      this.fh = undefined;
    } catch (e) {
      await this.discard();
      throw e;
    }
  }

  /** Closes and deletes whatever was written. */
  async discard(): Promise<void> {
    const fh = this.fh ?? (this.opening ? await this.opening.catch(() => undefined) : undefined);
    this.fh = undefined;
    this.opening = undefined;
    await fh?.close().catch(() => {});
    await fs.promises.unlink(this.path).catch(() => {});
  }
}

/** Keeps a small body (file.ptr, index2.txt) in memory; refuses markup. */
class MemorySink implements BodySink {
  total: number | undefined;
  progress: ((bytes: number, total: number | undefined) => void) | undefined;
  private chunks: Buffer[] = [];

  constructor(readonly expected: Expected) {}

  write(chunk: Buffer): void {
    if (!this.chunks.length) checkMagic(chunk, this.expected);
    this.chunks.push(chunk);
  }
  async finish(): Promise<void> {}
  async discard(): Promise<void> {
    this.chunks = [];
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}

async function writeAll(fh: fs.promises.FileHandle, chunk: Buffer): Promise<void> {
  let off = 0;
  while (off < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
    off += bytesWritten;
  }
}

/**
 * Why a file name or key cannot be one path segment of a store, or undefined when it can.
 * Checked before any request: `..`, separators, drive colons, NUL and control characters.
 */
export function unsafeComponent(what: string, s: string): string | undefined {
  if (!s) return `${what} is empty`;
  if (s === '.' || s === '..' || /(^|[\\/])\.\.([\\/]|$)/.test(s)) return `${what} '${s}' climbs out of the store ('..')`;
  if (/[\\/:]/.test(s)) return `${what} '${s}' is not a single path segment`;

  if (/[\u0000-\u001f\u007f]/.test(s)) return `${what} '${JSON.stringify(s)}' holds control characters`;
  return undefined;
}

/** An HttpFailure message without its leading `<url>: ` (the outcome's `tried` names the URL). */
function withoutUrl(message: string, url: URL): string {
  return message.startsWith(`${url.href}: `) ? message.slice(url.href.length + 2) : message;
}

function lastSegment(p: string): string {
  const s = p.slice(p.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DbgHelpError('ABORTED', 'the symbol download was cancelled', { cause: signal.reason });
}
