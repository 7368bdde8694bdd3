/**
 * httpGet pieces a loopback server cannot stage: a connection that never completes (the
 * connect timeout, apart from the idle timeout) and the redirect rules for https.
 */
import { Duplex } from 'stream';
import { HttpFailure, httpGet, redirectRefusal } from '../../../../lib/symsrv/http/request';

/** A socket that swallows writes and never connects. */
function neverConnects(): Duplex {
  const d = new Duplex({
    read() {},
    write(_c, _e, cb) {
      cb();
    },
  });
  (d as Duplex & { connecting: boolean }).connecting = true;
  return d;
}

const base = { idleTimeoutMs: 5000, deadline: Infinity, maxRedirects: 5, maxBytes: 1e9 };

describe('httpGet', () => {
  test('a connection that never completes fails with connect-timeout after connectTimeoutMs', async () => {
    const t0 = Date.now();
    const e = await httpGet(new URL('http://192.0.2.1/sym/a.pdb'), { ...base, connectTimeoutMs: 150, createConnection: neverConnects }, () => undefined).catch((x) => x);
    const took = Date.now() - t0;
    expect(e).toBeInstanceOf(HttpFailure);
    expect(e.kind).toBe('connect-timeout');
    expect(e.phase).toBe('send');
    expect(e.retryable).toBe(true);
    expect(e.wininet).toBe(12002);
    expect(e.message).toBe('http://192.0.2.1/sym/a.pdb: no connection within 150 ms');
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1000);
  });

  test('the deadline wins over a longer connect timeout', async () => {
    const e = await httpGet(new URL('http://192.0.2.1/a'), { ...base, connectTimeoutMs: 5000, deadline: Date.now() + 100, createConnection: neverConnects }, () => undefined).catch((x) => x);
    expect(e.kind).toBe('deadline');
    expect(e.retryable).toBe(false);
  });

  test('an already-aborted signal fails at once with aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await httpGet(new URL('http://192.0.2.1/a'), { ...base, connectTimeoutMs: 5000, signal: ac.signal, createConnection: neverConnects }, () => undefined).catch((x) => x);
    expect(e.kind).toBe('aborted');
  });

  test('redirect rules: cross-host https is fine; https to http, and non-http schemes, are refused', () => {
    const from = new URL('https://symbols.example/sym/a.pdb');
    expect(redirectRefusal(from, new URL('https://cdn.example/blob/1'))).toBeUndefined();
    expect(redirectRefusal(new URL('http://a/x'), new URL('https://b/y'))).toBeUndefined();
    expect(redirectRefusal(new URL('http://a/x'), new URL('http://b/y'))).toBeUndefined();
    expect(redirectRefusal(from, new URL('http://cdn.example/blob/1'))).toBe('https://symbols.example/sym/a.pdb redirects from https to plain http (http://cdn.example/blob/1): refused');
    expect(redirectRefusal(from, new URL('file:///etc/passwd'))).toMatch(/redirects to a file: URL/);
  });
});
