/**
 * A symbol server on loopback whose every path can misbehave on purpose: reset mid-body, 5xx,
 * 404 then 200, truncated bodies (with a correct or a lying Content-Length), stalls, HTML login
 * pages, bodies far larger than announced, redirects, file.ptr. It counts requests per path.
 */
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';

export type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse, nth: number) => void;

export class FaultServer {
  readonly counts = new Map<string, number>();
  /** Every request path in arrival order. */
  readonly log: string[] = [];
  private routes = new Map<string, Behaviour>();
  private sockets = new Set<Socket>();
  private timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FaultServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const s = new FaultServer(server, `http://127.0.0.1:${port}`);
    server.on('connection', (sock) => {
      s.sockets.add(sock);
      sock.on('close', () => s.sockets.delete(sock));
    });
    server.on('request', (req, res) => s.handle(req, res));
    return s;
  }

  /** Serve `behaviour` at `path` (URL path, e.g. `/sym/a.pdb/KEY/a.pdb`). */
  on(path: string, behaviour: Behaviour): this {
    this.routes.set(path, behaviour);
    return this;
  }

  count(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  reset(): void {
    this.routes.clear();
    this.counts.clear();
    this.log.length = 0;
  }

  /** A timer that close() clears (for stalls). */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const nth = (this.counts.get(path) ?? 0) + 1;
    this.counts.set(path, nth);
    this.log.push(path);
    const b = this.routes.get(path);
    if (b) b(req, res, nth);
    else notFound()(req, res, nth);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---- behaviours ----

export function serve(body: Uint8Array, contentType = 'application/octet-stream'): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    res.end(Buffer.from(body));
  };
}

/** 200 without Content-Length, chunked. */
export function serveChunked(body: Uint8Array, chunk = 16 * 1024): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    for (let i = 0; i < body.length; i += chunk) res.write(Buffer.from(body.subarray(i, i + chunk)));
    res.end();
  };
}

export function notFound(): Behaviour {
  return (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>404 Not Found</body></html>');
  };
}

export function status(code: number, headers: Record<string, string> = {}): Behaviour {
  return (_req, res) => {
    res.writeHead(code, { 'content-type': 'text/plain', ...headers });
    res.end(`status ${code}`);
  };
}

/** The n-th request (1-based) gets behaviours[n-1]; later ones the last. */
export function sequence(...behaviours: Behaviour[]): Behaviour {
  return (req, res, nth) => behaviours[Math.min(nth, behaviours.length) - 1](req, res, nth);
}

/** Sends the headers (full Content-Length) and `after` bytes, then a TCP reset. */
export function resetMidBody(body: Uint8Array, after: number): Behaviour {
  return (req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.write(Buffer.from(body.subarray(0, after)), () => setTimeout(() => req.socket.resetAndDestroy(), 20));
  };
}

/** A TCP reset before any response. */
export function resetAtOnce(): Behaviour {
  return (req) => {
    req.socket.resetAndDestroy();
  };
}

/**
 * `after` bytes of the body, then a clean close. `contentLength: 'full'` announces the whole
 * body (so the client can tell it is short); 'cut' announces only what is sent (a lying server
 * whose body is a valid-looking prefix).
 */
export function truncated(body: Uint8Array, after: number, contentLength: 'full' | 'cut'): Behaviour {
  return (req) => {
    const cl = contentLength === 'full' ? body.length : after;
    raw(req.socket, `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${cl}\r\nConnection: close\r\n\r\n`, body.subarray(0, after));
  };
}

/** Headers and `after` bytes, then nothing for `ms` (then the rest, if the client is still there). */
export function stall(server: FaultServer, body: Uint8Array, after: number, ms: number): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.write(Buffer.from(body.subarray(0, after)));
    server.later(ms, () => {
      if (!res.destroyed) res.end(Buffer.from(body.subarray(after)));
    });
  };
}

/** Accepts the request and never answers (until `ms`, then 404). */
export function stallHeaders(server: FaultServer, ms: number): Behaviour {
  return (req, res, nth) => server.later(ms, () => !res.destroyed && notFound()(req, res, nth));
}

export function loginPage(contentType = 'text/html; charset=utf-8'): Behaviour {
  return (_req, res) => {
    const page = '\uFEFF  <!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action="/login">...</form></body></html>';
    res.writeHead(200, { 'content-type': contentType });
    res.end(page);
  };
}

/** Announces `announced` bytes and writes `actual` bytes of `body` repeated, on the raw socket. */
export function largerThanAnnounced(body: Uint8Array, announced: number, actual: number): Behaviour {
  return (req) => {
    const out = Buffer.alloc(actual);
    for (let i = 0; i < actual; i += body.length) Buffer.from(body).copy(out, i, 0, Math.min(body.length, actual - i));
    raw(req.socket, `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${announced}\r\n\r\n`, out, false);
  };
}

/** A body with no Content-Length that goes on until the client hangs up (at most `limit`). */
export function endless(head: Uint8Array, limit: number): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.write(Buffer.from(head));
    const block = Buffer.alloc(64 * 1024, 0x41);
    let sent = head.length;
    const pump = () => {
      while (sent < limit && !res.destroyed) {
        sent += block.length;
        if (!res.write(block)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
}

export function redirect(to: string, code = 302): Behaviour {
  return (_req, res) => {
    res.writeHead(code, { location: to, 'content-length': 0 });
    res.end();
  };
}

export function filePtr(text: string): Behaviour {
  return serve(Buffer.from(text, 'latin1'), 'text/plain');
}

function raw(socket: Socket, head: string, body: Uint8Array, close = true): void {
  socket.write(head);
  socket.write(Buffer.from(body), () => {
    if (close) socket.end();
  });
}
