/**
 * Keep-alive agents shared by every HTTP store in the process: the three or four probes for one
 * file (index2.txt, .pdb, .pd_, file.ptr) reuse one connection (one TLS handshake). Idle
 * sockets are unref'd by Node's agent, so they never keep a process alive.
 */
import * as http from 'http';
import * as https from 'https';
import { closeProxyAgents } from './proxy';

let agents: { http: http.Agent; https: https.Agent } | undefined;

export function sharedAgents(): { http: http.Agent; https: https.Agent } {
  agents ??= {
    http: new http.Agent({ keepAlive: true, maxSockets: 8, timeout: 60_000 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 8, timeout: 60_000 }),
  };
  return agents;
}

/** Closes every pooled connection (tests, or a CLI about to exit). */
export function closeSharedAgents(): void {
  agents?.http.destroy();
  agents?.https.destroy();
  agents = undefined;
  closeProxyAgents();
}
