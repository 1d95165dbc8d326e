import type { Octokit } from '@octokit/rest';

import type { Logger } from '../ports/logger.js';

/** Every 4xx: a refusal does not change on repetition. Network failures and 5xx answers are repeated. */
const CLIENT_ERRORS = Array.from({ length: 100 }, (_, i) => 400 + i);

export interface GitHubClientOptions {
  apiUrl: string;
  token: string;
  userAgent: string;
  logger: Logger;
  /** Limit for each attempt, headers and body. */
  timeoutMs: number;
  /** Repeats of a read after a network failure or a 5xx answer. */
  retries: number;
  /** Delay before the first repeat; Octokit's retry plugin waits n² times as long before the n-th. */
  retryDelayMs: number;
  /** Told before each repeated attempt, with the failure that made it necessary. */
  onRetry: (call: GitHubCall, failure: unknown) => void;
}

/** An attempt that got no complete answer in time. Never repeated: a hung server would multiply the wait. */
export class AttemptTimedOut extends Error {
  constructor(readonly ms: number) {
    super(`GitHub did not answer within ${ms} ms`);
    this.name = 'AttemptTimedOut';
  }
}

/**
 * One logical request, or one listing of pages, across its attempts: their shared signal (the
 * client's, plus a timer per attempt) and the failures of the request now being tried.
 */
export class GitHubCall {
  readonly signal: AbortSignal;
  /** Failed attempts of the current request (a page that succeeds starts the count again). */
  failures = 0;
  lastFailure: unknown;
  private readonly timeout = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly what: string,
    outer: AbortSignal | undefined,
  ) {
    this.signal = outer ? AbortSignal.any([outer, this.timeout.signal]) : this.timeout.signal;
  }

  /** Octokit's per-request options; writes are never repeated (GitHub may have acted on the first). */
  options(repeatable: boolean): { signal: AbortSignal; call: GitHubCall; retries?: number } {
    return { signal: this.signal, call: this, ...(repeatable ? {} : { retries: 0 }) };
  }

  startAttempt(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.timeout.abort(new AttemptTimedOut(ms)), ms);
  }

  endAttempt(): void {
    clearTimeout(this.timer);
  }
}

/**
 * An Octokit with Octokit's retry plugin (reads repeated after network failures and 5xx answers)
 * and throttling plugin (rate limits recognised, writes sent one at a time), under a plugin of ours
 * that bounds each attempt in time and stops all of a call's attempts once its signal aborts.
 */
export async function createOctokit(o: GitHubClientOptions): Promise<Octokit> {
  const [{ Octokit: OctokitClass }, { retry }, { throttling }, { default: Bottleneck }] = await Promise.all([
    import('@octokit/rest'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
    import('bottleneck'),
  ]);
  // Listed first, so it runs inside the retry plugin: once for every attempt.
  const Client = OctokitClass.plugin(boundedAttempts(o), retry, throttling);
  const logger = o.logger;
  // The error says when the limit resets; waiting that long (up to an hour) is the caller's choice.
  const noWait = (limit: string) => (retryAfter: number, options: { method?: string; url?: string }) => {
    logger.debug(`GitHub ${limit} reached; not waiting`, { retryAfterS: retryAfter, method: options.method, url: options.url });
    return false;
  };
  return new Client({
    auth: o.token,
    baseUrl: o.apiUrl,
    userAgent: o.userAgent,
    // Octokit's request log carries method, path and status only; our errors say the rest.
    log: { debug: () => {}, info: (m: string) => logger.debug(m), warn: (m: string) => logger.warn(m), error: (m: string) => logger.debug(m) },
    retry: { retries: o.retries, retryAfterBaseValue: o.retryDelayMs, doNotRetry: CLIENT_ERRORS },
    throttle: {
      onRateLimit: noWait('rate limit'),
      onSecondaryRateLimit: noWait('secondary rate limit'),
      // One write at a time, as GitHub asks, without the plugin's default pause of 1 s (3 s for
      // writes that notify) between them: agent-os writes a handful per run, and a review waits on them.
      write: new Bottleneck.Group({ maxConcurrent: 1 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1 }),
    },
  });
}

function boundedAttempts(o: Pick<GitHubClientOptions, 'timeoutMs' | 'onRetry'>) {
  return (octokit: Pick<Octokit, 'hook'>): void => {
    octokit.hook.wrap('request', async (request, options) => {
      const call: unknown = options.request?.call;
      if (!(call instanceof GitHubCall)) return request(options);
      // A repeat scheduled before the call was aborted or timed out: nothing more is sent.
      call.signal.throwIfAborted();
      if (call.failures > 0) o.onRetry(call, call.lastFailure);
      call.startAttempt(o.timeoutMs);
      try {
        const response = await request(options);
        // Octokit turns a body cut off by the abort into an empty string: the attempt failed.
        call.signal.throwIfAborted();
        call.failures = 0;
        return response;
      } catch (e) {
        call.failures++;
        call.lastFailure = e;
        // The abort's reason, not Octokit's wrapping of it: neither plugin repeats it.
        call.signal.throwIfAborted();
        throw e;
      } finally {
        call.endAttempt();
      }
    });
  };
}
