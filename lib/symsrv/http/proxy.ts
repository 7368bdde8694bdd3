/**
 * Which proxy a symbol-server request goes through, and the agents that tunnel through it.
 *
 * Order: the handler's `symbolServer.proxy` (a URL, or `false` for none); else DbgHelp's own
 * `_NT_SYMBOL_PROXY` (symsrv's `host:port`, or a URL), for every symbol server; else the usual
 * `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` with `NO_PROXY`, read by proxy-from-env (the package npm,
 * axios and request follow). HTTPS targets go through a CONNECT tunnel (https-proxy-agent),
 * HTTP targets as absolute-URI requests (http-proxy-agent): written and kept by the people behind
 * Node's proxy-agent family, rather than by hand here.
 */
import type * as http from 'http';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

/** The proxy URL for a request to `url`, or undefined to connect directly. */
export function proxyFor(url: string, configured: string | false | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (configured === false) return undefined;
  if (configured) return normalize(configured);
  const nt = env._NT_SYMBOL_PROXY;
  if (nt && nt.trim()) return normalize(nt.trim());
  const p = withEnv(env, () => getProxyForUrl(url));
  return p ? normalize(p) : undefined;
}

/** `host:port` (symsrv's form) becomes `http://host:port`; a URL stays as it is. */
function normalize(p: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) ? p : `http://${p}`;
}

/** proxy-from-env reads process.env; let callers (tests, handlers) pass their own environment. */
function withEnv<T>(env: NodeJS.ProcessEnv, f: () => T): T {
  if (env === process.env) return f();
  const keys = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'no_proxy', 'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_no_proxy'];
  const saved = keys.map((k) => [k, process.env[k]] as const);
  try {
    for (const k of keys) {
      if (env[k] === undefined) delete process.env[k];
      else process.env[k] = env[k];
    }
    return f();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const proxyAgents = new Map<string, http.Agent>();

/** A keep-alive agent reaching `targetProtocol` URLs through `proxy`, shared per proxy. */
export function proxyAgent(proxy: string, targetProtocol: 'http:' | 'https:'): http.Agent {
  const key = `${targetProtocol} ${proxy}`;
  let a = proxyAgents.get(key);
  if (!a) {
    a = targetProtocol === 'https:' ? new HttpsProxyAgent(proxy, { keepAlive: true }) : new HttpProxyAgent(proxy, { keepAlive: true });
    proxyAgents.set(key, a);
  }
  return a;
}

export function closeProxyAgents(): void {
  for (const a of proxyAgents.values()) a.destroy();
  proxyAgents.clear();
}
