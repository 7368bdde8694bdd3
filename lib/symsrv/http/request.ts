/**
 * One HTTP(S) GET with the limits a symbol download needs, on node:http/https.
 *
 * - connect timeout (TCP, and the TLS handshake for https) apart from the idle timeout (no byte
 *   for that long while waiting for headers or inside the body: a stalled server) and an
 *   absolute deadline for the whole exchange, redirects included;
 * - bounded redirects; https → http is refused (a downgrade), cross-host is allowed;
 * - a byte cap: a Content-Length over it is refused before reading, and a body that grows past
 *   it (no Content-Length, chunked) is cut off;
 * - a body shorter than its Content-Length is `truncated`, never a success;
 * - an AbortSignal stops everything at once.
 * Every failure is an HttpFailure whose `kind` says what happened, `phase` whether it was
 * before or after the response headers, and `wininet` the ERROR_INTERNET_* symsrv would print.
 */
import * as http from 'http';
import * as https from 'https';
import type { Duplex } from 'stream';
import { InternetError } from './wininet';

export type FailureKind =
  | 'connect-timeout' // no TCP/TLS connection within connectTimeoutMs
  | 'timeout' //         no byte for idleTimeoutMs (headers or body)
  | 'deadline' //        the whole exchange ran past its deadline
  | 'refused' //         ECONNREFUSED
  | 'dns' //             the host name did not resolve
  | 'reset' //           the connection broke
  | 'truncated' //       the body ended before its Content-Length
  | 'too-large' //       the body is (or announces) more than maxBytes
  | 'overrun' //         more bytes came than the Content-Length announced
  | 'protocol' //        not a valid HTTP response
  | 'tls' //             certificate or TLS failure
  | 'redirect' //        too many redirects, a downgrade, or a Location we cannot follow
  | 'aborted'; //        the caller's AbortSignal fired

const RETRYABLE: ReadonlySet<FailureKind> = new Set<FailureKind>(['connect-timeout', 'timeout', 'refused', 'reset', 'truncated', 'protocol']);

export class HttpFailure extends Error {
  override readonly name = 'HttpFailure';
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly phase: 'send' | 'read',
    readonly wininet: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  /** Worth another attempt (after a pause): the server or network may recover. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

export interface ResponseHead {
  status: number;
  /** The URL that answered (after redirects). */
  url: URL;
  contentType: string | undefined;
  contentLength: number | undefined;
  contentEncoding: string | undefined;
  /** Retry-After in milliseconds, when the server sent one (seconds or an HTTP date). */
  retryAfterMs: number | undefined;
}

/** Where the body goes; a write that returns a promise pauses the response until it settles. */
export interface BodySink {
  write(chunk: Buffer): void | Promise<void>;
}

export interface GetOptions {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** Absolute time (Date.now() terms) by which everything must be over; Infinity for none. */
  deadline: number;
  maxRedirects: number;
  /** Refuse bodies larger than this. */
  maxBytes: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  agents?: { http?: http.Agent; https?: https.Agent };
  /** The agent for one URL (a proxy's, say); wins over `agents`. Asked again after each redirect. */
  agentFor?(url: URL): http.Agent | undefined;
  /** Told about each redirect followed. */
  onRedirect?(from: URL, to: URL, status: number): void;
  /** Test seam: make the connection (see http.request's createConnection). */
  createConnection?: (opts: object) => Duplex;
}

export interface GetResult {
  head: ResponseHead;
  /** Body bytes handed to the sink (0 when the body was discarded). */
  received: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** setTimeout's longest delay (a larger one fires at once); longer limits are no limit. */
const MAX_TIMER = 0x7fffffff;
/** A discarded body (404 page, redirect) is drained for keep-alive up to this much, else dropped. */
const DRAIN_LIMIT = 64 * 1024;

/**
 * GET `url`, following redirects; `onHead` sees the final response's head and returns a sink for
 * the body, or undefined to discard it. `onHead` and the sink may throw to refuse the response:
 * the request is then torn down and the promise rejects with what they threw.
 */
export async function httpGet(url: URL, opts: GetOptions, onHead: (head: ResponseHead) => BodySink | undefined): Promise<GetResult> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const r = await exchange(current, opts, onHead);
    if ('result' in r) return r.result;
    const next = r.redirect;
    if (hop >= opts.maxRedirects) {
      throw new HttpFailure('redirect', `${url.href}: more than ${opts.maxRedirects} redirects`, 'send', InternetError.REDIRECT_FAILED);
    }
    const refused = redirectRefusal(current, next);
    if (refused) throw new HttpFailure('redirect', refused, 'send', InternetError.REDIRECT_FAILED);
    opts.onRedirect?.(current, next, r.status);
    current = next;
  }
}

/** Why a redirect from `from` to `to` is not followed, or undefined when it may be. */
export function redirectRefusal(from: URL, to: URL): string | undefined {
  if (to.protocol !== 'http:' && to.protocol !== 'https:') return `${from.href} redirects to a ${to.protocol} URL (${to.href}), which is not followed`;
  if (from.protocol === 'https:' && to.protocol === 'http:') return `${from.href} redirects from https to plain http (${to.href}): refused`;
  return undefined;
}

type Exchange = { result: GetResult } | { redirect: URL; status: number };

function exchange(url: URL, opts: GetOptions, onHead: (head: ResponseHead) => BodySink | undefined): Promise<Exchange> {
  return new Promise<Exchange>((resolve, reject) => {
    const isHttps = url.protocol === 'https:';
    let phase: 'send' | 'read' = 'send';
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    let deadlineTimer: NodeJS.Timeout | undefined;
    let received = 0;
    let contentLength: number | undefined;

    const clear = () => {
      clearTimeout(connectTimer);
      clearTimeout(idleTimer);
      clearTimeout(deadlineTimer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      clear();
      req.destroy();
      reject(e);
    };
    const finish = (v: Exchange) => {
      if (settled) return;
      settled = true;
      clear();
      resolve(v);
    };
    const failure = (kind: FailureKind, what: string, code: number, cause?: unknown) => fail(new HttpFailure(kind, `${url.href}: ${what}`, phase, code, { cause }));
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () => failure('timeout', `no data for ${opts.idleTimeoutMs} ms ${phase === 'send' ? 'waiting for the response' : `after ${received} bytes of the body`}`, InternetError.TIMEOUT),
        Math.min(opts.idleTimeoutMs, MAX_TIMER),
      );
    };
    function onAbort() {
      failure('aborted', 'cancelled', InternetError.OPERATION_CANCELLED, opts.signal?.reason);
    }

    const headers: Record<string, string> = { 'accept-encoding': 'identity', ...opts.headers };
    const agent = opts.agentFor?.(url) ?? (isHttps ? opts.agents?.https : opts.agents?.http);
    const reqOpts: http.RequestOptions = { method: 'GET', headers, agent };
    if (opts.createConnection) (reqOpts as { createConnection?: unknown }).createConnection = opts.createConnection;
    const req = (isHttps ? https : http).request(url, reqOpts);
    // First of all: a destroyed request emits 'error' later, and an unheard 'error' kills the process.
    req.on('error', (e) => {
      if (!settled) fail(classify(url, e, phase, received, contentLength));
    });

    if (opts.signal?.aborted) {
      onAbort();
      return;
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const left = opts.deadline - Date.now();
    if (left <= 0) {
      failure('deadline', 'the time allowed for this download ran out', InternetError.TIMEOUT);
      return;
    }
    if (left <= MAX_TIMER) {
      deadlineTimer = setTimeout(() => failure('deadline', `not finished within the time allowed (${received} bytes received)`, InternetError.TIMEOUT), left);
    }
    connectTimer = setTimeout(() => failure('connect-timeout', `no connection within ${opts.connectTimeoutMs} ms`, InternetError.TIMEOUT), Math.min(opts.connectTimeoutMs, MAX_TIMER));

    req.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        if (phase === 'send') armIdle();
      };
      // A kept-alive socket is already connected; a new one says so with (secure)connect.
      if ((socket as { connecting?: boolean }).connecting) socket.once(isHttps ? 'secureConnect' : 'connect', connected);
      else connected();
    });
    req.on('response', (res) => {
      phase = 'read';
      armIdle();
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        let next: URL;
        try {
          next = new URL(location, url);
        } catch (e) {
          failure('redirect', `unusable Location '${location}'`, InternetError.REDIRECT_FAILED, e);
          return;
        }
        drain(res);
        finish({ redirect: next, status });
        return;
      }
      const cl = res.headers['content-length'];
      contentLength = cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : undefined;
      const head: ResponseHead = {
        status,
        url,
        contentType: res.headers['content-type'],
        contentLength,
        contentEncoding: res.headers['content-encoding'],
        retryAfterMs: retryAfter(res.headers['retry-after']),
      };
      let sink: BodySink | undefined;
      try {
        sink = onHead(head);
      } catch (e) {
        fail(e);
        return;
      }
      if (!sink) {
        drain(res);
        finish({ result: { head, received: 0 } });
        return;
      }
      if (contentLength !== undefined && contentLength > opts.maxBytes) {
        failure('too-large', `Content-Length ${contentLength} is over the ${opts.maxBytes}-byte limit`, InternetError.CONNECTION_ABORTED);
        return;
      }
      const body = sink;
      let pending: Promise<void> = Promise.resolve();
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        armIdle();
        if (received > opts.maxBytes) {
          failure('too-large', `the body passed the ${opts.maxBytes}-byte limit`, InternetError.CONNECTION_ABORTED);
          return;
        }
        let w: void | Promise<void>;
        try {
          w = body.write(chunk);
        } catch (e) {
          fail(e);
          return;
        }
        if (w) {
          res.pause();
          pending = pending
            .then(() => w)
            .then(
              () => {
                if (!settled) res.resume();
              },
              (e) => fail(e),
            );
        }
      });
      res.on('error', (e) => {
        if (!settled) fail(classify(url, e, phase, received, contentLength));
      });
      res.on('end', () => {
        if (settled) return;
        if (!res.complete || (contentLength !== undefined && received < contentLength)) {
          failure('truncated', `the body ended after ${received} of ${contentLength ?? '?'} bytes`, InternetError.CONNECTION_RESET);
          return;
        }
        pending.then(
          () => finish({ result: { head, received } }),
          (e) => fail(e),
        );
      });
      res.on('close', () => {
        if (settled || res.complete) return;
        failure(contentLength !== undefined ? 'truncated' : 'reset', `the connection closed after ${received} of ${contentLength ?? '?'} bytes`, InternetError.CONNECTION_RESET);
      });
    });
    req.end();
  });
}

/** Read and drop a body we do not want, keeping the connection if it is small; else drop it. */
function drain(res: http.IncomingMessage): void {
  let n = 0;
  res.on('data', (c: Buffer) => {
    n += c.length;
    if (n > DRAIN_LIMIT) res.destroy();
  });
  res.on('error', () => {});
  const t = setTimeout(() => res.destroy(), 2000);
  t.unref();
  res.on('close', () => clearTimeout(t));
  res.resume();
}

function retryAfter(v: string | undefined): number | undefined {
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function classify(url: URL, e: unknown, phase: 'send' | 'read', received: number, contentLength: number | undefined): HttpFailure {
  if (e instanceof HttpFailure) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err.code ?? '';
  const at = `${url.href}: `;
  const mk = (kind: FailureKind, what: string, wininet: number) => new HttpFailure(kind, at + what, phase, wininet, { cause: e });
  if (code === 'ECONNREFUSED') return mk('refused', 'connection refused', InternetError.CANNOT_CONNECT);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return mk('dns', `host ${url.hostname} not found`, InternetError.NAME_NOT_RESOLVED);
  if (code === 'ETIMEDOUT') return mk('timeout', 'timed out', InternetError.TIMEOUT);
  // With a Content-Length the parser never judges body bytes: an error after the head means
  // bytes past the announced end (the 'data' events for the body may not have run yet).
  if (code.startsWith('HPE_') && phase === 'read' && contentLength !== undefined) {
    return mk('overrun', `the server sent more than the ${contentLength} bytes its Content-Length announced`, InternetError.INVALID_SERVER_RESPONSE);
  }
  if (code.startsWith('HPE_')) return mk('protocol', `not a valid HTTP response (${err.message})`, InternetError.INVALID_SERVER_RESPONSE);
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/.test(code)) return mk('tls', `TLS failure: ${err.message}`, InternetError.INVALID_CA);
  if (phase === 'read' && contentLength !== undefined && received < contentLength) {
    return mk('truncated', `the connection broke after ${received} of ${contentLength} bytes (${err.message})`, InternetError.CONNECTION_RESET);
  }
  return mk('reset', `the connection broke (${code || err.message})`, InternetError.CONNECTION_RESET);
}
