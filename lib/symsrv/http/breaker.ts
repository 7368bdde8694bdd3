/**
 * A per-host circuit breaker: after `threshold` failures in a row (connection refused or reset,
 * timeouts, 5xx) a host is skipped for `cooldownMs`; then one request is let through, and
 * its result closes the breaker again or re-opens it for another cool-down.
 *
 * Any HTTP answer that is not a server error (200, 404, 403...) counts as the host being up.
 * Breakers live for the process (one map shared by every handler), so a dead symbol server
 * costs its timeouts once, not once per module.
 */

export interface BreakerOptions {
  threshold: number;
  cooldownMs: number;
  now?: () => number;
}

interface HostState {
  failures: number;
  openUntil: number;
  /** A half-open trial request is in flight. */
  probing: boolean;
}

export type Admission = { allowed: true } | { allowed: false; retryInMs: number; failures: number };

export class BreakerBoard {
  private hosts = new Map<string, HostState>();

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) this.hosts.set(host, (s = { failures: 0, openUntil: 0, probing: false }));
    return s;
  }

  /** May a request go to `host` now? */
  admit(host: string, o: BreakerOptions): Admission {
    const s = this.hosts.get(host);
    if (!s || s.failures < o.threshold) return { allowed: true };
    const now = (o.now ?? Date.now)();
    if (now < s.openUntil || s.probing) return { allowed: false, retryInMs: Math.max(0, s.openUntil - now), failures: s.failures };
    s.probing = true; // half-open: this one request decides
    return { allowed: true };
  }

  success(host: string): void {
    const s = this.hosts.get(host);
    if (s) {
      s.failures = 0;
      s.openUntil = 0;
      s.probing = false;
    }
  }

  /** Records a failure; true when this one opened (or re-opened) the breaker. */
  failure(host: string, o: BreakerOptions): boolean {
    const s = this.state(host);
    s.failures++;
    s.probing = false;
    if (s.failures >= o.threshold) {
      s.openUntil = (o.now ?? Date.now)() + o.cooldownMs;
      return true;
    }
    return false;
  }

  /** The trial request ended without a verdict (cancelled): let the next one try. */
  release(host: string): void {
    const s = this.hosts.get(host);
    if (s) s.probing = false;
  }

  /** Forget every host (tests). */
  reset(): void {
    this.hosts.clear();
  }
}

/** The process-wide board. */
export const breakers = new BreakerBoard();
