/**
 * Debian's nginx serving a directory on loopback, with its own prefix, config and logs in a
 * temporary directory (nothing of the system's nginx is used or touched). For the nginx lane
 * (scripts/nginx-lane.sh sets DBGHELP_NGINX to the binary).
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

export const NGINX = process.env.DBGHELP_NGINX;

export interface Nginx {
  url: string;
  prefix: string;
  /** Request lines of the access log: "GET /sym/a.pdb/KEY/a.pdb 200". */
  requests(): string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Makes every directory and file under `dir` readable by nginx's worker (it may run as nobody). */
export function openUp(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) openUp(p);
    else fs.chmodSync(p, 0o644);
  }
}

/** Starts nginx on a free loopback port; `server` is the body of its server block (`listen` is added). */
export async function startNginx(bin: string, prefix: string, server: string): Promise<Nginx> {
  fs.mkdirSync(path.join(prefix, 'tmp'), { recursive: true });
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const conf = `
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 128; }
http {
  types { application/octet-stream pdb pd_ exe dll dl_ ex_; text/plain txt ptr; }
  default_type application/octet-stream;
  log_format req '$request $status $body_bytes_sent';
  access_log ${prefix}/logs/access.log req;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  server {
    listen 127.0.0.1:${port};
${server}
  }
}
`;
    fs.writeFileSync(path.join(prefix, 'nginx.conf'), conf);
    openUp(prefix);
    const child = spawn(bin, ['-p', prefix, '-e', path.join(prefix, 'logs', 'error.log'), '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d.toString()));
    const up = await waitForPort(port, child);
    if (up) return handle(child, `http://127.0.0.1:${port}`, prefix);
    if (attempt >= 2) throw new Error(`nginx did not start: ${stderr}${readQuiet(path.join(prefix, 'logs', 'error.log'))}`);
  }
}

async function waitForPort(port: number, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return false;
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  return false;
}

function handle(child: ChildProcess, url: string, prefix: string): Nginx {
  return {
    url,
    prefix,
    requests: () =>
      readQuiet(path.join(prefix, 'logs', 'access.log'))
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/ HTTP\/1\.[01]/, '')),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

function readQuiet(p: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}
