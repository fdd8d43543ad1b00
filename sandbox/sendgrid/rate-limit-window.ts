/**
 * A fixed-window request counter like the one behind SendGrid's X-RateLimit-* headers: a
 * window opens with the first request after the previous one closed, allows `limit`
 * requests, and closes at a whole second (the reset time the headers announce), so a client
 * that waits until X-RateLimit-Reset always finds a fresh window.
 */

export interface RateLimitOptions {
  /** Requests allowed per window (default 600). */
  limit?: number;
  /** Window length in seconds (default 60). */
  windowSeconds?: number;
  /** Clock in milliseconds; injected by tests that move time. */
  now?: () => number;
}

/** What the X-RateLimit-* headers say after a request was counted or refused. */
export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the current window closes. */
  resetSeconds: number;
}

export const DEFAULT_RATE_LIMIT = { limit: 600, windowSeconds: 60 } as const;

export class RateLimitWindow {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #used = 0;
  #closesAtMs = 0;

  constructor({ limit = DEFAULT_RATE_LIMIT.limit, windowSeconds = DEFAULT_RATE_LIMIT.windowSeconds, now = Date.now }: RateLimitOptions = {}) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`Rate limit must be a positive integer, got ${limit}`);
    if (!(windowSeconds > 0)) throw new Error(`Rate limit window must be positive, got ${windowSeconds}`);
    this.#limit = limit;
    this.#windowMs = windowSeconds * 1000;
    this.#now = now;
  }

  /** Counts one request when the window has room; refuses it otherwise. */
  take(): RateLimitState {
    this.#rollOver();
    const allowed = this.#used < this.#limit;
    if (allowed) this.#used += 1;
    return { ...this.peek(), allowed };
  }

  /** The current state without counting anything. */
  peek(): RateLimitState {
    this.#rollOver();
    return {
      allowed: this.#used < this.#limit,
      limit: this.#limit,
      remaining: this.#limit - this.#used,
      resetSeconds: Math.floor(this.#closesAtMs / 1000),
    };
  }

  /** A fresh window at the next request (the admin reset). */
  reset(): void {
    this.#used = 0;
    this.#closesAtMs = 0;
  }

  #rollOver(): void {
    const now = this.#now();
    if (now < this.#closesAtMs) return;
    this.#used = 0;
    this.#closesAtMs = Math.ceil((now + this.#windowMs) / 1000) * 1000;
  }
}

/** The headers SendGrid puts on every answer. */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': String(state.resetSeconds),
  };
}
