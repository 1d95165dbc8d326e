import type { Octokit } from '@octokit/rest';

import { AgentOsError, isAgentOsError, messageOf } from '../domain/errors.js';
import { isValidOwner, isValidRepoName } from '../domain/github-remote.js';
import type { IssueComment, OpenDraftInput, PullRequestDetail, PullRequestFile, PullRequestInfo, PullRequestReviews, PullRequests, ReviewLineComment } from '../ports/github.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import { untilAborted } from './abort.js';
import { AttemptTimedOut, createOctokit, GitHubCall } from './github-client.js';
import { agentOsVersion } from './package-info.js';

export interface OctokitPullRequestsOptions {
  /** REST API base: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
  token: string;
  owner: string;
  repo: string;
  logger?: Logger;
  /** Default `agent-os/<version>`. */
  userAgent?: string;
  /** Limit for each HTTP request, headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Retries of reads (GET) after a 5xx answer or a network failure; writes are never repeated. Default 2. */
  retries?: number;
  /** Delay before the first retry; the n-th waits n² times as long (Octokit's retry plugin). Default 1 s. */
  retryDelayMs?: number;
  /** Ends every request of this client, and every wait for a retry, at once when aborted (with its reason). */
  signal?: AbortSignal;
  /**
   * The login the token is known to act as, so `viewer()` need not ask (the workflow's own
   * GITHUB_TOKEN acts as github-actions[bot] and can read neither its user nor its app).
   */
  knownLogin?: string;
}

/** The fields read from GitHub's pull-request objects (full and list shapes). */
export interface WirePull {
  number: number;
  html_url: string;
  state: string;
  draft?: boolean;
  merged?: boolean;
  merged_by?: { login: string } | null;
  merged_at: string | null;
  created_at: string;
  head: { ref: string; sha: string };
  base: { ref: string };
  title: string;
  body: string | null;
  labels: Array<{ name?: string } | string>;
}

/** Octokit's per-request options for one call (its signal, and whether it may be repeated). */
type Request = ReturnType<GitHubCall['options']>;
/** An Octokit list method; bound to a call's options, it pages through Octokit's paginator. */
type ListMethod = Pick<Octokit['request'], 'defaults'>;

const TOKEN_HINT =
  'Set GITHUB_TOKEN to a valid token: a fine-grained token with "Pull requests: write" (and "Issues: write" for labels and comments) on the repository, or a classic token with the `repo` scope.';
export const PERMISSION_HINT =
  'The token lacks permission: it needs `pull_requests: write` and `issues: write` (fine-grained token, or `permissions:` in a GitHub Actions workflow) or the `repo` scope (classic token), and access to this repository.';

/** Pull requests of one repository through the GitHub REST API (Octokit). */
export class OctokitPullRequests implements PullRequests, PullRequestReviews {
  readonly repository: string;
  protected readonly owner: string;
  protected readonly repo: string;
  private readonly apiUrl: string;
  private readonly token: string;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly logger: Logger;
  private readonly knownLogin: string | null;
  private readonly signal: AbortSignal | undefined;
  private client: Promise<Octokit> | undefined;

  constructor(options: OctokitPullRequestsOptions) {
    if (!options.token.trim()) throw new AgentOsError('CONFIG', 'No GitHub token is configured.', { hint: TOKEN_HINT });
    if (!isValidOwner(options.owner) || !isValidRepoName(options.repo)) {
      throw new AgentOsError('CONFIG', `"${options.owner}/${options.repo}" is not a GitHub repository name.`, { hint: 'Name the repository as owner/name, e.g. octo-org/widgets.' });
    }
    let api: URL;
    try {
      api = new URL(options.apiUrl);
    } catch {
      api = new URL('invalid:');
    }
    if (api.protocol !== 'https:' && api.protocol !== 'http:') {
      throw new AgentOsError('CONFIG', `"${options.apiUrl}" is not a GitHub API URL.`, { hint: 'Use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.' });
    }
    this.owner = options.owner;
    this.repo = options.repo;
    this.repository = `${options.owner}/${options.repo}`;
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.token = options.token.trim();
    this.userAgent = options.userAgent ?? `agent-os/${agentOsVersion()}`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = Math.max(0, Math.floor(options.retries ?? 2));
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.logger = options.logger ?? silentLogger;
    this.knownLogin = options.knownLogin?.trim() || null;
    this.signal = options.signal;
  }

  async openDraft(input: OpenDraftInput): Promise<PullRequestInfo & { note?: string }> {
    const fields = { ...this.where(), head: input.head, base: input.base, title: input.title, body: input.body };
    const notes: string[] = [];
    let pr: PullRequestInfo;
    try {
      pr = toInfo(await this.call('opening a draft pull request', (o, request) => o.rest.pulls.create({ ...fields, draft: true, request })));
    } catch (e) {
      if (!(isAgentOsError(e) && e.code === 'BAD_INPUT' && /draft/i.test(gitHubMessage(e.cause)))) throw e;
      this.logger.warn('GitHub does not allow draft pull requests here; opening a regular one', { repository: this.repository, head: input.head });
      pr = toInfo(await this.call('opening a pull request', (o, request) => o.rest.pulls.create({ ...fields, request })));
      notes.push(`${this.repository} does not allow draft pull requests, so #${pr.number} was opened as a regular pull request (ready for review).`);
    }
    const labels = [...new Set(input.labels.map((l) => l.trim()).filter((l) => l !== ''))];
    if (labels.length > 0) {
      try {
        const added = await this.call(`labelling pull request #${pr.number}`, (o, request) =>
          o.rest.issues.addLabels({ ...this.where(), issue_number: pr.number, labels, request }),
        );
        pr = { ...pr, labels: labelNames(added) };
      } catch (e) {
        // The PR exists: losing it over a label would leave an orphan the caller cannot find.
        const reason = isAgentOsError(e) ? e.message : messageOf(e);
        this.logger.warn('Pull request opened but labels could not be added', { repository: this.repository, number: pr.number, error: reason });
        notes.push(`#${pr.number} was opened, but the labels ${labels.join(', ')} could not be added: ${reason}`);
      }
    }
    return notes.length > 0 ? { ...pr, note: notes.join(' ') } : pr;
  }

  async findByBranch(branch: string): Promise<PullRequestInfo | null> {
    const ref = branch.replace(/^refs\/heads\//, '');
    const list = await this.call(
      `looking up pull requests for branch ${ref}`,
      (o, request) => o.rest.pulls.list({ ...this.where(), head: `${this.owner}:${ref}`, state: 'all', sort: 'created', direction: 'desc', per_page: 30, request }),
      true,
    );
    const newest = (list as WirePull[])
      .filter((p) => p.head.ref === ref)
      .reduce<WirePull | undefined>((a, b) => (a === undefined || b.created_at > a.created_at || (b.created_at === a.created_at && b.number > a.number) ? b : a), undefined);
    // List items lack `merged` and `merged_by`: read the full PR.
    return newest ? this.get(newest.number) : null;
  }

  async listByHeadPrefix(prefix: string): Promise<PullRequestInfo[]> {
    const list = await this.list<WirePull & { head: { repo?: { full_name?: string } | null } }>(
      'listing pull requests',
      (o) => o.rest.pulls.list,
      { state: 'all', sort: 'created', direction: 'desc' },
      { pages: 5 },
    );
    // A fork's branch may share the name; only this repository's branches are proposals.
    return list.filter((p) => p.head.ref.startsWith(prefix) && p.head.repo?.full_name === this.repository).map(toInfo);
  }

  async get(number: number): Promise<PullRequestInfo> {
    checkNumber(number);
    return toInfo(await this.call(`reading pull request #${number}`, (o, request) => o.rest.pulls.get({ ...this.where(), pull_number: number, request }), true));
  }

  async update(number: number, input: { title?: string; body?: string }): Promise<PullRequestInfo> {
    checkNumber(number);
    const changes = { ...(input.title !== undefined ? { title: input.title } : {}), ...(input.body !== undefined ? { body: input.body } : {}) };
    return toInfo(await this.call(`updating pull request #${number}`, (o, request) => o.rest.pulls.update({ ...this.where(), pull_number: number, ...changes, request })));
  }

  async comment(number: number, body: string): Promise<void> {
    checkNumber(number);
    await this.call(`commenting on pull request #${number}`, (o, request) => o.rest.issues.createComment({ ...this.where(), issue_number: number, body, request }));
  }

  async close(number: number): Promise<PullRequestInfo> {
    checkNumber(number);
    return toInfo(await this.call(`closing pull request #${number}`, (o, request) => o.rest.pulls.update({ ...this.where(), pull_number: number, state: 'closed', request })));
  }

  // ── Reviews ──

  async viewer(): Promise<string | null> {
    if (this.knownLogin) return this.knownLogin;
    try {
      const user = await this.call("reading the token's user", (o, request) => o.rest.users.getAuthenticated({ request }));
      if (typeof user.login === 'string' && user.login !== '') return user.login;
    } catch (e) {
      // An installation token is not a user (403): its comments are its app's bot's.
      this.logger.debug("GitHub would not say the token's user", { error: messageOf(e) });
    }
    try {
      const app = await this.call("reading the token's app", (o, request) => o.rest.apps.getAuthenticated({ request }));
      const slug = (app as { slug?: unknown } | null)?.slug;
      if (typeof slug === 'string' && /^[a-z0-9][a-z0-9-]*$/i.test(slug)) return `${slug}[bot]`;
    } catch (e) {
      this.logger.debug("GitHub would not say the token's app", { error: messageOf(e) });
    }
    return null;
  }

  async pull(number: number): Promise<PullRequestDetail> {
    checkNumber(number);
    const data = await this.call(`reading pull request #${number}`, (o, request) => o.rest.pulls.get({ ...this.where(), pull_number: number, request }), true);
    const p = data as unknown as { base: { sha: string; repo?: { full_name?: string } }; head: { repo?: { full_name?: string } | null }; user?: { login?: string } | null; changed_files?: unknown };
    return {
      ...toInfo(data),
      baseSha: p.base.sha,
      headRepository: p.head.repo?.full_name ?? null,
      baseRepository: p.base.repo?.full_name ?? this.repository,
      author: p.user?.login ?? null,
      changedFiles: typeof p.changed_files === 'number' && Number.isSafeInteger(p.changed_files) && p.changed_files >= 0 ? p.changed_files : null,
    };
  }

  async files(number: number): Promise<PullRequestFile[]> {
    checkNumber(number);
    // GitHub lists at most 3000 files, 100 per page.
    const files = await this.list<ListedFile>(`listing the files of pull request #${number}`, (o) => o.rest.pulls.listFiles, { pull_number: number }, { pages: 30 });
    return files.map((f) => ({
      path: f.filename,
      status: f.status,
      patch: f.patch ?? null,
      additions: f.additions,
      deletions: f.deletions,
      previousPath: f.previous_filename ?? null,
      sha: typeof f.sha === 'string' && f.sha !== '' ? f.sha : null,
    }));
  }

  async comments(number: number): Promise<IssueComment[]> {
    checkNumber(number);
    const comments = await this.list<unknown>(`listing the comments of pull request #${number}`, (o) => o.rest.issues.listComments, { issue_number: number }, { pages: 50 });
    return comments.map(toComment);
  }

  async createComment(number: number, body: string): Promise<IssueComment> {
    checkNumber(number);
    return toComment(await this.call(`commenting on pull request #${number}`, (o, request) => o.rest.issues.createComment({ ...this.where(), issue_number: number, body, request })));
  }

  async updateComment(id: number, body: string): Promise<IssueComment> {
    checkNumber(id);
    return toComment(await this.call(`updating comment ${id}`, (o, request) => o.rest.issues.updateComment({ ...this.where(), comment_id: id, body, request })));
  }

  async createReview(number: number, input: { commitId: string; body: string; comments: ReviewLineComment[] }): Promise<{ id: number; url: string }> {
    checkNumber(number);
    const comments = input.comments.map((c) => ({ path: c.path, line: c.line, side: 'RIGHT' as const, body: c.body }));
    const data = await this.call(`posting a review on pull request #${number}`, (o, request) =>
      o.rest.pulls.createReview({ ...this.where(), pull_number: number, commit_id: input.commitId, body: input.body, event: 'COMMENT', comments, request }),
    );
    return { id: data.id, url: data.html_url };
  }

  protected where(): { owner: string; repo: string } {
    return { owner: this.owner, repo: this.repo };
  }

  private connect(): Promise<Octokit> {
    this.client ??= createOctokit({
      apiUrl: this.apiUrl,
      token: this.token,
      userAgent: this.userAgent,
      logger: this.logger,
      timeoutMs: this.timeoutMs,
      retries: this.retries,
      retryDelayMs: this.retryDelayMs,
      onRetry: (call, failure) => {
        const error = isAgentOsError(failure) ? failure : this.classify(failure, call.what, false);
        this.logger.warn('GitHub request failed; retrying', { repository: this.repository, what: call.what, attempt: call.failures, error: error.message });
      },
    });
    return this.client;
  }

  /**
   * One API call, each attempt bounded by `timeoutMs`; failures become AgentOsErrors. Reads (`retry`)
   * are repeated after 5xx answers and network failures (Octokit's retry plugin), never after a
   * timeout or a rate limit.
   */
  protected async call<T>(what: string, send: (octokit: Octokit, request: Request) => Promise<{ data: T }>, retry = false): Promise<T> {
    const octokit = await this.connect();
    const call = new GitHubCall(what, this.signal);
    let data: T;
    try {
      // The retry plugin's wait cannot be cut short: the caller is released as soon as the signal aborts.
      ({ data } = await untilAborted(send(octokit, call.options(retry)), this.signal));
    } catch (e) {
      throw this.failure(e, call);
    }
    if (typeof data !== 'object' || data === null) throw this.unexpected(what);
    return data;
  }

  /**
   * The items of a listing, 100 a page, following GitHub's `Link` headers (Octokit's paginator); each
   * page is a read like `call`'s. Stops after `limit.pages` pages, or once `limit.enough` says so.
   */
  protected async list<T>(what: string, method: (octokit: Octokit) => ListMethod, params: Record<string, unknown>, limit: { pages: number; enough?: (items: T[]) => boolean }): Promise<T[]> {
    const octokit = await this.connect();
    const call = new GitHubCall(what, this.signal);
    const out: T[] = [];
    try {
      // The paginator passes no per-request options on to its requests: the method carries them.
      const bound = method(octokit).defaults({ ...this.where(), ...params, per_page: 100, request: call.options(true) });
      const pages = octokit.paginate.iterator(bound)[Symbol.asyncIterator]();
      for (let page = 0; page < limit.pages; page++) {
        const next = await untilAborted(pages.next(), this.signal);
        if (next.done) break;
        const items: unknown = next.value.data;
        if (!Array.isArray(items)) throw this.unexpected(what);
        out.push(...(items as T[]));
        if (limit.enough?.(out)) break;
      }
    } catch (e) {
      throw this.failure(e, call);
    }
    return out;
  }

  /** A call's failure as the caller sees it: the client's abort reason as is, else an AgentOsError. */
  private failure(e: unknown, call: GitHubCall): unknown {
    if (this.signal?.aborted) return this.signal.reason;
    if (isAgentOsError(e)) return e;
    const error = this.classify(e, call.what, e instanceof AttemptTimedOut);
    if (call.failures <= 1) return error;
    return new AgentOsError(error.code, `${error.message} (after ${call.failures} attempts)`, { cause: error.cause, ...(error.hint ? { hint: error.hint } : {}) });
  }

  private classify(e: unknown, what: string, timedOut: boolean): AgentOsError {
    const where = `while ${what} in ${this.repository}`;
    const io = (message: string, hint: string) => new AgentOsError('IO', message, { cause: e, hint });
    if (timedOut) {
      return io(`GitHub did not answer within ${this.timeoutMs} ms ${where}.`, `Check the network and proxy settings and https://www.githubstatus.com, or raise the timeout; the API URL is ${this.apiUrl}.`);
    }
    // Octokit's throttling plugin reports a GraphQL rate limit as a plain error carrying the response.
    if (isGraphqlRateLimit(e)) return io(`GitHub's rate limit was reached ${where}: ${messageOf(e)}`, 'Wait a while and try again, or use a token with a higher rate limit.');
    const http = asHttpError(e);
    if (!http) return new AgentOsError('INTERNAL', `GitHub request failed ${where}: ${messageOf(e)}`, { cause: e });
    const { status, response } = http;
    if (!response) {
      return io(
        `Cannot reach GitHub at ${this.apiUrl} ${where}: ${http.message}`,
        'Check the network and proxy settings, and the API URL (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server).',
      );
    }
    const detail = gitHubMessage(e);
    const said = detail ? `: ${detail}` : '';
    const headers = response.headers ?? {};
    if (status === 429 || (status === 403 && headers['x-ratelimit-remaining'] === '0') || (status === 403 && /rate limit/i.test(detail))) {
      const reset = Number(headers['x-ratelimit-reset']);
      const when = Number.isFinite(reset) && reset > 0 ? `until ${new Date(reset * 1000).toISOString()}` : headers['retry-after'] ? `${headers['retry-after']} s` : 'a while';
      return io(`GitHub's rate limit was reached ${where}${said}`, `Wait ${when} and try again, or use a token with a higher rate limit.`);
    }
    const fail = (code: 'CONFIG' | 'NOT_FOUND' | 'BAD_INPUT', message: string, hint?: string) => new AgentOsError(code, message, { cause: e, ...(hint ? { hint } : {}) });
    if (status === 401) return fail('CONFIG', `GitHub rejected the token (401${said}) ${where}.`, TOKEN_HINT);
    if (status === 403) return fail('CONFIG', `GitHub refused permission ${where} (403)${said}`, PERMISSION_HINT);
    if (status === 404) {
      return fail(
        'NOT_FOUND',
        `GitHub found nothing ${where} (404): the repository or pull request does not exist, or the token cannot see it.`,
        `Check the repository name ${this.repository} and the API URL ${this.apiUrl}; for a private repository the token must have access to it.`,
      );
    }
    if (status === 422) {
      const hint = /already exists/i.test(detail)
        ? 'An open pull request already uses this head branch: update it instead of opening another.'
        : /no commits between|field.*(head|base)|invalid.*(head|base)/i.test(detail)
          ? 'Push the head branch first, and check that the base branch exists and differs from it.'
          : undefined;
      return fail('BAD_INPUT', `GitHub refused ${what} in ${this.repository} (422)${said}`, hint);
    }
    if (status >= 500) {
      return io(`GitHub failed ${where} (HTTP ${status})${said}`, 'GitHub or a proxy in between had a problem; try again later (https://www.githubstatus.com).');
    }
    return fail('BAD_INPUT', `GitHub refused ${what} in ${this.repository} (HTTP ${status})${said}`);
  }

  private unexpected(what: string): AgentOsError {
    return new AgentOsError('IO', `GitHub sent an unexpected response while ${what} in ${this.repository}.`, { hint: `Check that ${this.apiUrl} is a GitHub REST API URL (GitHub Enterprise Server: https://HOST/api/v3).` });
  }
}

interface HttpError {
  status: number;
  message: string;
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
}

/** Octokit's RequestError, recognised by shape (its package is not a direct dependency). */
function asHttpError(e: unknown): HttpError | null {
  return e instanceof Error && typeof (e as { status?: unknown }).status === 'number' ? (e as unknown as HttpError) : null;
}

function isGraphqlRateLimit(e: unknown): boolean {
  const errors = (e as { data?: { errors?: unknown } } | null)?.data?.errors;
  return e instanceof Error && Array.isArray(errors) && errors.some((x) => (x as { type?: unknown } | null)?.type === 'RATE_LIMITED');
}

/** GitHub's own words from an error response: `message` plus each `errors[]` entry. */
function gitHubMessage(e: unknown): string {
  const data = asHttpError(e)?.response?.data;
  if (typeof data === 'string') return data.trim().slice(0, 500);
  if (typeof data !== 'object' || data === null) return '';
  const { message, errors } = data as { message?: unknown; errors?: unknown };
  const parts = typeof message === 'string' && message ? [message] : [];
  for (const item of Array.isArray(errors) ? errors : []) {
    if (typeof item === 'string') parts.push(item);
    else if (typeof item === 'object' && item !== null) {
      const { message: m, resource, field, code } = item as Record<string, unknown>;
      parts.push(typeof m === 'string' && m ? m : [resource, field, code].filter((x) => typeof x === 'string').join(' '));
    }
  }
  return parts.filter((p) => p !== '').join('; ');
}

function labelNames(labels: unknown): string[] {
  if (!Array.isArray(labels)) return [];
  return labels.map((l: unknown) => (typeof l === 'string' ? l : typeof l === 'object' && l !== null ? (l as { name?: unknown }).name : undefined)).filter((n): n is string => typeof n === 'string' && n !== '');
}

function toInfo(data: unknown): PullRequestInfo {
  const p = data as Partial<WirePull>;
  if (typeof p.number !== 'number' || !p.head || !p.base) {
    throw new AgentOsError('IO', 'GitHub sent a pull request without number, head or base.', { hint: 'Check that the API URL points at a GitHub REST API.' });
  }
  return {
    number: p.number,
    url: p.html_url ?? '',
    state: p.state === 'closed' ? 'closed' : 'open',
    draft: p.draft ?? false,
    merged: p.merged ?? (p.merged_at !== null && p.merged_at !== undefined),
    mergedBy: p.merged_by?.login ?? null,
    mergedAt: p.merged_at ?? null,
    headRef: p.head.ref,
    headSha: p.head.sha,
    baseRef: p.base.ref,
    title: p.title ?? '',
    body: p.body ?? '',
    labels: labelNames(p.labels),
  };
}

/** The fields read from GitHub's listing of a pull request's files. */
interface ListedFile {
  filename: string;
  status: string;
  patch?: string;
  additions: number;
  deletions: number;
  previous_filename?: string;
  sha?: string | null;
}

function toComment(data: unknown): IssueComment {
  const c = data as { id?: number; body?: string | null; user?: { login?: string } | null; html_url?: string };
  if (typeof c.id !== 'number') throw new AgentOsError('IO', 'GitHub sent a comment without an id.');
  return { id: c.id, body: c.body ?? '', user: c.user?.login ?? null, url: c.html_url ?? '' };
}

export function checkNumber(number: number): void {
  if (!Number.isSafeInteger(number) || number < 1) throw new AgentOsError('BAD_INPUT', `${number} is not a pull request number.`);
}

