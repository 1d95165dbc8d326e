/**
 * A loopback stand-in for the GitHub REST API (127.0.0.1, a free port) with in-memory repositories,
 * pull requests, labels, issue comments, PR files, reviews, review comments and comparisons, answering
 * with GitHub's response shapes, status codes and validation messages. Routes are a table
 * (`route` / `repoRoute`), so later features add endpoints next to the state they need.
 *
 *   const gh = await FakeGitHub.start({ token: 'test-token', repos: ['octo-org/widgets'] });
 *   new OctokitPullRequests({ apiUrl: gh.url, token: 'test-token', owner: 'octo-org', repo: 'widgets' });
 *
 * Reviews are validated like GitHub's `POST /pulls/{n}/reviews`: every inline comment must name a file
 * of the PR (`gh.setPullFiles`) and a line inside one of that file's patch hunks (RIGHT: added or context
 * lines by new line number; LEFT: removed or context lines by old line number), else the whole review is
 * rejected with 422 and nothing is stored.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  /** `owner/name`, the key of `FakeGitHub.repos`. */
  fullName: string;
  defaultBranch: string;
  private: boolean;
  /** Branch name → tip sha. Unknown head branches are created on first use. */
  branches: Map<string, string>;
  /** Repository labels by lower-case name (GitHub matches label names case-insensitively). */
  labels: Map<string, FakeLabel>;
  /** Issues and pull requests share one number sequence per repository. */
  nextNumber: number;
}

export interface FakePull {
  id: number;
  /** `owner/name` of the base repository. */
  repo: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  mergedBy: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  closedAt: string | null;
  /** `owner` is the head repository's owner (the part before `:` in `owner:branch`). */
  head: { owner: string; ref: string; sha: string };
  base: { ref: string; sha: string };
  /** Label names in the order they were added. */
  labels: string[];
  user: string;
  createdAt: string;
  updatedAt: string;
  /** Changed files, as `GET /pulls/{n}/files` lists them (set with `setPullFiles`). */
  files: FakePullFile[];
  /** Every head sha the PR has had (oldest first): the commits a review's `commit_id` may name. */
  headShas: string[];
}

export type FakeFileStatus = 'added' | 'modified' | 'removed' | 'renamed';

/** A changed file as tests describe it; `patch` is GitHub's per-file patch (hunks only, no `---`/`+++`). */
export interface FakePullFileInput {
  filename: string;
  /** Default: `renamed` with `previous_filename`, `added` for a `@@ -0,0 …` patch, `removed` for `… +0,0 @@`, else `modified`. */
  status?: FakeFileStatus;
  patch?: string;
  previous_filename?: string;
  /** Blob sha of the file at the head (e.g. `git rev-parse HEAD:path`). Default: derived from name and patch, so an untouched file keeps its sha across pushes. */
  sha?: string;
}

export interface FakePullFile {
  filename: string;
  status: FakeFileStatus;
  patch?: string;
  previous_filename?: string;
  /** Counted from the patch's `+` and `-` lines. */
  additions: number;
  deletions: number;
  changes: number;
  /** Blob sha of the file. */
  sha: string;
}

export type FakeReviewState = 'PENDING' | 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED';

export interface FakeReview {
  id: number;
  repo: string;
  pullNumber: number;
  user: string;
  /** '' when the request had none (GitHub answers `"body": ""`). */
  body: string;
  state: FakeReviewState;
  commitId: string;
  /** null while PENDING. */
  submittedAt: string | null;
}

export interface FakeReviewComment {
  id: number;
  reviewId: number;
  repo: string;
  pullNumber: number;
  path: string;
  /** The (last) line commented on, on `side`. */
  line: number;
  side: 'LEFT' | 'RIGHT';
  startLine: number | null;
  startSide: 'LEFT' | 'RIGHT' | null;
  /** Lines down from the file's first `@@` header (the header is position 0). */
  position: number;
  /** The hunk from its `@@` header through the commented line. */
  diffHunk: string;
  body: string;
  commitId: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  /** The thread's first comment, for a reply (`in_reply_to_id`). */
  inReplyTo?: number | null;
}

export interface FakeComparison {
  repo: string;
  base: string;
  head: string;
  status: 'ahead' | 'behind' | 'diverged' | 'identical';
  aheadBy: number;
  behindBy: number;
  /** Shas of the commits in `base...head`, oldest first (`aheadBy` of them). */
  commits: string[];
  files: FakePullFile[];
}

export interface FakeIssueComment {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeRequestRecord {
  method: string;
  /** Path without the query string (and without `apiPrefix`). */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or null without one. */
  body: unknown;
  /** Authorization scheme sent (never the token itself). */
  auth: 'token' | 'bearer' | null;
  userAgent: string | undefined;
  /** Status answered; 0 while unanswered (or hung). */
  status: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}
export type RouteHandler = (ctx: RouteContext) => Reply;
export type RepoRouteHandler = (ctx: RouteContext & { repo: FakeRepo }) => Reply;

export interface FakeGitHubOptions {
  /** The token clients must send (`token X` or `Bearer X`). Default `test-token`. */
  token?: string;
  /** Login of the token's user: author of PRs and comments made through the API. */
  login?: string;
  /** Repositories that exist, as `owner/name`; the first is the default for helpers. */
  repos?: string[];
  /** Base of `html_url`s. Default https://github.com. */
  webUrl?: string;
  /**
   * Slug of the GitHub App the token belongs to, as `GET /app` answers it. Default: the login without
   * `[bot]` for a bot login, none for a user. null: `GET /app` is refused (403).
   */
  appSlug?: string | null;
  /** Path the API is served under, e.g. `/api/v3` as on GitHub Enterprise Server. */
  apiPrefix?: string;
}

interface Injected {
  method: string;
  path: RegExp;
  reply: Reply | 'hang' | 'hang-body';
}

const DOCS = 'https://docs.github.com/rest';
const REVIEW_DOCS = 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request';
/** GitHub lists at most 3000 files of a PR, and at most 300 in a comparison. */
const MAX_PULL_FILES = 3000;
const MAX_COMPARE_FILES = 300;
/** GitHub's limit for the body of a comment or review, in characters. */
const MAX_BODY = 65536;
const EPOCH = Date.parse('2024-01-01T00:00:00Z');
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Bad credentials',
  403: 'Resource not accessible by integration',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Validation Failed',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** A GitHub-style error body. */
export function githubError(status: number, message = REASONS[status] ?? 'Error', errors?: unknown[]): Reply {
  return { status, body: { message, ...(errors ? { errors } : {}), documentation_url: DOCS, status: String(status) } };
}

/** 422 "Validation Failed" with GitHub's `errors` entries. */
export function validationFailed(...errors: Array<Record<string, string>>): Reply {
  return githubError(422, 'Validation Failed', errors);
}

const sha = (...parts: Array<string | number>): string => createHash('sha1').update(parts.join('\0')).digest('hex');
const idOf = (text: string): number => parseInt(sha(text).slice(0, 7), 16);

/** 422 as the reviews endpoints answer it: `{"message":"Unprocessable Entity","errors":["…"]}`. */
function unprocessable(errors: string[], docs = REVIEW_DOCS): Reply {
  return { status: 422, body: { message: 'Unprocessable Entity', errors, documentation_url: docs, status: '422' } };
}

/** 422 from GitHub's request-schema check, e.g. `Invalid request.\n\nFor 'properties/body', nil is not a string.` */
function invalidRequest(detail: string, docs = REVIEW_DOCS): Reply {
  return { status: 422, body: { message: `Invalid request.\n\n${detail}`, documentation_url: docs, status: '422' } };
}

/** Rails' `to_sentence`, which GitHub uses to join several failures into one `errors` entry. */
function toSentence(items: string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join(', ')}, and ${items.at(-1) ?? ''}`;
}

const schemaValue = (v: unknown): string => (v === null || v === undefined ? 'nil' : JSON.stringify(v));

interface PatchLine {
  /** Lines down from the first `@@` header (which is position 0). */
  position: number;
  /** `@` hunk header, `\\` "No newline at end of file" marker, else the diff line's kind. */
  kind: '@' | '+' | '-' | ' ' | '\\';
  hunk: number;
  oldLine: number | null;
  newLine: number | null;
}

interface ParsedPatch {
  lines: PatchLine[];
  /** Patch text by position. */
  text: string[];
  additions: number;
  deletions: number;
}

/** Reads a GitHub per-file patch into numbered lines: which old and new line each diff line is. */
function parsePatch(patch: string | undefined): ParsedPatch {
  const all = (patch ?? '').split('\n');
  if (all.at(-1) === '') all.pop();
  const first = all.findIndex((l) => l.startsWith('@@'));
  const text = first < 0 ? [] : all.slice(first);
  const lines: PatchLine[] = [];
  let [oldLine, newLine, hunk, additions, deletions] = [0, 0, -1, 0, 0];
  text.forEach((raw, position) => {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (header) {
      [oldLine, newLine] = [Number(header[1]), Number(header[2])];
      lines.push({ position, kind: '@', hunk: ++hunk, oldLine: null, newLine: null });
    } else if (raw.startsWith('+')) {
      additions++;
      lines.push({ position, kind: '+', hunk, oldLine: null, newLine: newLine++ });
    } else if (raw.startsWith('-')) {
      deletions++;
      lines.push({ position, kind: '-', hunk, oldLine: oldLine++, newLine: null });
    } else if (raw.startsWith('\\')) {
      lines.push({ position, kind: '\\', hunk, oldLine: null, newLine: null });
    } else {
      lines.push({ position, kind: ' ', hunk, oldLine: oldLine++, newLine: newLine++ });
    }
  });
  return { lines, text, additions, deletions };
}

/** The diff line a comment may sit on: RIGHT = added or context line by new number, LEFT = removed or context by old. */
function commentableLine(parsed: ParsedPatch, side: 'LEFT' | 'RIGHT', line: number): PatchLine | undefined {
  return parsed.lines.find((l) => (l.kind === '+' || l.kind === '-' || l.kind === ' ') && (side === 'RIGHT' ? l.newLine : l.oldLine) === line);
}

export class FakeGitHub {
  /** e.g. http://127.0.0.1:41234 (plus `apiPrefix`): the Octokit `baseUrl`. */
  url = '';
  readonly token: string;
  readonly login: string;
  readonly webUrl: string;
  readonly repos = new Map<string, FakeRepo>();
  readonly pulls: FakePull[] = [];
  readonly issueComments: FakeIssueComment[] = [];
  /** Reviews in creation order (including PENDING ones). */
  readonly reviews: FakeReview[] = [];
  /** Inline comments of all reviews, in creation order. */
  readonly reviewComments: FakeReviewComment[] = [];
  /** Registered `GET /compare/{base}...{head}` results, by `owner/name` + `base...head`. */
  readonly comparisons = new Map<string, FakeComparison>();
  readonly requests: FakeRequestRecord[] = [];
  /** false: creating a draft PR fails as in repositories whose plan has no drafts. */
  allowDrafts = true;
  /**
   * The repository setting "Allow GitHub Actions to create and approve pull requests": while false, an
   * APPROVE review by `github-actions[bot]` (the `login` of a workflow's GITHUB_TOKEN) is refused.
   */
  allowActionsApprovals = false;
  /** What `GET /app` names (see `FakeGitHubOptions.appSlug`); null: refused. */
  appSlug: string | null;

  private readonly apiPrefix: string;
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: RouteHandler }> = [];
  private readonly injected: Injected[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  private seconds = 0;
  private nextId = 1000;

  private constructor(options: FakeGitHubOptions) {
    this.token = options.token ?? 'test-token';
    this.login = options.login ?? 'agent-os-bot';
    this.webUrl = (options.webUrl ?? 'https://github.com').replace(/\/+$/, '');
    this.apiPrefix = (options.apiPrefix ?? '').replace(/\/+$/, '');
    this.appSlug = options.appSlug !== undefined ? options.appSlug : this.login.endsWith('[bot]') ? this.login.slice(0, -'[bot]'.length) : null;
    for (const name of options.repos ?? ['octo-org/widgets']) this.addRepo(name);
    this.registerPullRoutes();
    this.registerIssueRoutes();
    this.registerReviewRoutes();
    this.registerIdentityRoutes();
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    const server = createServer((req, res) => fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${fake.apiPrefix}`;
    return fake;
  }

  // ---- state helpers ------------------------------------------------------------------------

  /** A deterministic clock: every call is one second after the previous one. */
  now(): string {
    return new Date(EPOCH + ++this.seconds * 1000).toISOString().replace('.000Z', 'Z');
  }

  newId(): number {
    return ++this.nextId;
  }

  addRepo(fullName: string, options: { defaultBranch?: string; private?: boolean } = {}): FakeRepo {
    const [owner = '', name = ''] = fullName.split('/');
    const defaultBranch = options.defaultBranch ?? 'main';
    const repo: FakeRepo = {
      id: this.newId(),
      owner,
      name,
      fullName,
      defaultBranch,
      private: options.private ?? true,
      branches: new Map([[defaultBranch, sha(fullName, defaultBranch)]]),
      labels: new Map(),
      nextNumber: 1,
    };
    this.repos.set(fullName, repo);
    return repo;
  }

  repo(fullName?: string): FakeRepo {
    const repo = fullName ? this.repos.get(fullName) : this.repos.values().next().value;
    if (!repo) throw new Error(`fake GitHub: no repository ${fullName ?? '(none added)'}`);
    return repo;
  }

  /** Sets (or creates) a branch tip, as a push would; open PRs from that branch follow it. */
  setBranch(ref: string, tip: string, repo?: string): void {
    const r = this.repo(repo);
    r.branches.set(ref, tip);
    for (const p of this.pulls) {
      if (p.repo !== r.fullName || p.state !== 'open' || p.head.owner !== r.owner || p.head.ref !== ref) continue;
      p.head.sha = tip;
      if (!p.headShas.includes(tip)) p.headShas.push(tip);
    }
  }

  pull(number: number, repo?: string): FakePull {
    const full = this.repo(repo).fullName;
    const pull = this.pulls.find((p) => p.repo === full && p.number === number);
    if (!pull) throw new Error(`fake GitHub: no pull request #${number} in ${full}`);
    return pull;
  }

  /** Opens a PR directly (no request, no validation), e.g. to seed history. */
  openPull(input: { head: string; base?: string; title?: string; body?: string | null; draft?: boolean; user?: string; repo?: string }): FakePull {
    const repo = this.repo(input.repo);
    const [headOwner, headRef] = input.head.includes(':') ? (input.head.split(':', 2) as [string, string]) : [repo.owner, input.head];
    const base = input.base ?? repo.defaultBranch;
    if (!repo.branches.has(headRef)) repo.branches.set(headRef, sha(repo.fullName, headRef, this.seconds));
    const at = this.now();
    const pull: FakePull = {
      id: this.newId(),
      repo: repo.fullName,
      number: repo.nextNumber++,
      title: input.title ?? `Update ${headRef}`,
      body: input.body ?? null,
      state: 'open',
      draft: input.draft ?? false,
      merged: false,
      mergedBy: null,
      mergedAt: null,
      mergeCommitSha: null,
      closedAt: null,
      head: { owner: headOwner, ref: headRef, sha: repo.branches.get(headRef) ?? '' },
      base: { ref: base, sha: repo.branches.get(base) ?? sha(repo.fullName, base) },
      labels: [],
      user: input.user ?? this.login,
      createdAt: at,
      updatedAt: at,
      files: [],
      headShas: [],
    };
    pull.headShas.push(pull.head.sha);
    this.pulls.push(pull);
    return pull;
  }

  /**
   * Sets the PR's changed files (replacing earlier ones), as `GET /pulls/{n}/files` will list them;
   * additions, deletions and changes are counted from each patch. Reviews may comment on these files only.
   */
  setPullFiles(number: number, files: FakePullFileInput[], repo?: string): FakePullFile[] {
    const pull = this.pull(number, repo);
    pull.files = files.map((f) => this.toFile(f));
    return pull.files;
  }

  /**
   * Registers what `GET /repos/{o}/{r}/compare/{base}...{head}` answers (exact `base` and `head` text,
   * as the client sends them). `aheadBy` defaults to 1, `behindBy` to 0; unregistered pairs are 404.
   */
  setCompare(base: string, head: string, files: FakePullFileInput[], options: { aheadBy?: number; behindBy?: number; repo?: string } = {}): FakeComparison {
    const repo = this.repo(options.repo).fullName;
    const aheadBy = options.aheadBy ?? 1;
    const behindBy = options.behindBy ?? 0;
    const comparison: FakeComparison = {
      repo,
      base,
      head,
      status: aheadBy > 0 && behindBy > 0 ? 'diverged' : aheadBy > 0 ? 'ahead' : behindBy > 0 ? 'behind' : 'identical',
      aheadBy,
      behindBy,
      commits: Array.from({ length: aheadBy }, (_, i) => sha(repo, base, head, 'commit', i)),
      files: files.map((f) => this.toFile(f)),
    };
    this.comparisons.set(`${repo}\0${base}...${head}`, comparison);
    return comparison;
  }

  private toFile(input: FakePullFileInput): FakePullFile {
    const parsed = parsePatch(input.patch);
    const header = parsed.text[0] ?? '';
    const status: FakeFileStatus =
      input.status ?? (input.previous_filename ? 'renamed' : /^@@ -0,0 /.test(header) ? 'added' : / \+0,0 @@/.test(header) ? 'removed' : 'modified');
    return {
      filename: input.filename,
      status,
      ...(input.patch !== undefined ? { patch: input.patch } : {}),
      ...(input.previous_filename !== undefined ? { previous_filename: input.previous_filename } : {}),
      additions: parsed.additions,
      deletions: parsed.deletions,
      changes: parsed.additions + parsed.deletions,
      sha: input.sha ?? sha('blob', input.filename, input.patch ?? ''),
    };
  }

  /** Merges a PR as `by` (state closed, merged, merged_by); `sha` is the merge commit. */
  mergePull(number: number, options: { by: string; sha?: string; repo?: string }): FakePull {
    const pull = this.pull(number, options.repo);
    if (pull.state !== 'open') throw new Error(`fake GitHub: #${number} is not open`);
    const at = this.now();
    Object.assign(pull, { state: 'closed', merged: true, draft: false, mergedBy: options.by, mergedAt: at, closedAt: at, updatedAt: at });
    pull.mergeCommitSha = options.sha ?? sha(pull.repo, 'merge', number);
    this.repo(pull.repo).branches.set(pull.base.ref, pull.mergeCommitSha);
    return pull;
  }

  closePull(number: number, repo?: string): FakePull {
    const pull = this.pull(number, repo);
    const at = this.now();
    Object.assign(pull, { state: 'closed', closedAt: at, updatedAt: at });
    return pull;
  }

  /**
   * The next request matching `method` and `path` (without query or prefix) gets `status` and `body`
   * (default: GitHub's error body for the status) and `headers` instead of its normal answer. Calls queue up.
   */
  failNext(method: string, path: RegExp, status: number, body?: unknown, headers?: Record<string, string>): void {
    const reply = body === undefined ? githubError(status) : { status, body };
    this.injected.push({ method: method.toUpperCase(), path, reply: headers ? { ...reply, headers } : reply });
  }

  /**
   * The next matching request is never answered (until the client gives up or the fake closes);
   * with `afterHeaders`, a 200 and the start of a JSON body are sent, and the body never ends.
   */
  hangNext(method: string, path: RegExp, options: { afterHeaders?: boolean } = {}): void {
    this.injected.push({ method: method.toUpperCase(), path, reply: options.afterHeaders ? 'hang-body' : 'hang' });
  }

  /** Registers an endpoint; `:name` segments become `params.name`. Later registrations win. */
  route(method: string, pattern: string, handler: RouteHandler): void {
    const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_]+)/g, '(?<$1>[^/]+)');
    this.routes.unshift({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), handler });
  }

  /** An endpoint under /repos/:owner/:repo; unknown repositories get 404. */
  repoRoute(method: string, subpath: string, handler: RepoRouteHandler): void {
    this.route(method, `/repos/:owner/:repo${subpath}`, (ctx) => {
      const repo = this.repos.get(`${ctx.params.owner}/${ctx.params.repo}`);
      return repo ? handler({ ...ctx, repo }) : githubError(404);
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- JSON shapes ---------------------------------------------------------------------------

  userJson(login: string): Record<string, unknown> {
    return { login, id: idOf(login), node_id: `U_${idOf(login)}`, type: login.endsWith('[bot]') ? 'Bot' : 'User', site_admin: false, html_url: `${this.webUrl}/${login}` };
  }

  repoJson(repo: FakeRepo, owner = repo.owner): Record<string, unknown> {
    const fullName = `${owner}/${repo.name}`;
    return {
      id: owner === repo.owner ? repo.id : idOf(fullName),
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: fullName,
      private: repo.private,
      fork: owner !== repo.owner,
      owner: this.userJson(owner),
      html_url: `${this.webUrl}/${fullName}`,
      url: `${this.url}/repos/${fullName}`,
      default_branch: repo.defaultBranch,
    };
  }

  labelJson(repo: FakeRepo, name: string): Record<string, unknown> {
    const label = repo.labels.get(name.toLowerCase());
    const id = label?.id ?? idOf(name);
    return { id, node_id: `LA_${id}`, url: `${this.url}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`, name, color: label?.color ?? 'ededed', default: false, description: label?.description ?? null };
  }

  /** A pull request as GET /pulls/{n} returns it, or (`simple`) as the list endpoint does. */
  pullJson(pull: FakePull, simple = false): Record<string, unknown> {
    const repo = this.repo(pull.repo);
    const api = `${this.url}/repos/${pull.repo}`;
    const html = `${this.webUrl}/${pull.repo}/pull/${pull.number}`;
    const json: Record<string, unknown> = {
      url: `${api}/pulls/${pull.number}`,
      id: pull.id,
      node_id: `PR_${pull.id}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${api}/issues/${pull.number}`,
      comments_url: `${api}/issues/${pull.number}/comments`,
      number: pull.number,
      state: pull.state,
      locked: false,
      title: pull.title,
      user: this.userJson(pull.user),
      body: pull.body,
      labels: pull.labels.map((name) => this.labelJson(repo, name)),
      milestone: null,
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.closedAt,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeCommitSha,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: { label: `${pull.head.owner}:${pull.head.ref}`, ref: pull.head.ref, sha: pull.head.sha, user: this.userJson(pull.head.owner), repo: this.repoJson(repo, pull.head.owner) },
      base: { label: `${repo.owner}:${pull.base.ref}`, ref: pull.base.ref, sha: pull.base.sha, user: this.userJson(repo.owner), repo: this.repoJson(repo) },
      author_association: 'MEMBER',
      auto_merge: null,
      draft: pull.draft,
    };
    if (simple) return json;
    return {
      ...json,
      merged: pull.merged,
      mergeable: pull.state === 'open' ? true : null,
      mergeable_state: pull.state === 'open' ? (pull.draft ? 'draft' : 'clean') : 'unknown',
      merged_by: pull.mergedBy ? this.userJson(pull.mergedBy) : null,
      comments: this.issueComments.filter((c) => c.repo === pull.repo && c.issueNumber === pull.number).length,
      review_comments: this.reviewComments.filter((c) => c.repo === pull.repo && c.pullNumber === pull.number).length,
      maintainer_can_modify: false,
      commits: pull.headShas.length,
      additions: pull.files.reduce((n, f) => n + f.additions, 0),
      deletions: pull.files.reduce((n, f) => n + f.deletions, 0),
      changed_files: pull.files.length,
    };
  }

  /** A changed file as `GET /pulls/{n}/files` and the compare endpoint list it (GitHub's `diff-entry`). */
  fileJson(repo: string, ref: string, f: FakePullFile): Record<string, unknown> {
    const path = f.filename.split('/').map(encodeURIComponent).join('/');
    return {
      sha: f.sha,
      filename: f.filename,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.changes,
      blob_url: `${this.webUrl}/${repo}/blob/${ref}/${path}`,
      raw_url: `${this.webUrl}/${repo}/raw/${ref}/${path}`,
      contents_url: `${this.url}/repos/${repo}/contents/${path}?ref=${ref}`,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
    };
  }

  reviewJson(r: FakeReview): Record<string, unknown> {
    const html = `${this.webUrl}/${r.repo}/pull/${r.pullNumber}#pullrequestreview-${r.id}`;
    const pullUrl = `${this.url}/repos/${r.repo}/pulls/${r.pullNumber}`;
    return {
      id: r.id,
      node_id: `PRR_${r.id}`,
      user: this.userJson(r.user),
      body: r.body,
      state: r.state,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: 'MEMBER',
      _links: { html: { href: html }, pull_request: { href: pullUrl } },
      // Like GitHub, a PENDING review has no submitted_at.
      ...(r.submittedAt ? { submitted_at: r.submittedAt } : {}),
      commit_id: r.commitId,
    };
  }

  reviewCommentJson(c: FakeReviewComment): Record<string, unknown> {
    const url = `${this.url}/repos/${c.repo}/pulls/comments/${c.id}`;
    const html = `${this.webUrl}/${c.repo}/pull/${c.pullNumber}#discussion_r${c.id}`;
    const pullUrl = `${this.url}/repos/${c.repo}/pulls/${c.pullNumber}`;
    return {
      url,
      pull_request_review_id: c.reviewId,
      id: c.id,
      node_id: `PRRC_${c.id}`,
      diff_hunk: c.diffHunk,
      path: c.path,
      position: c.position,
      original_position: c.position,
      commit_id: c.commitId,
      original_commit_id: c.commitId,
      user: this.userJson(c.user),
      body: c.body,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: 'MEMBER',
      _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
      start_line: c.startLine,
      original_start_line: c.startLine,
      start_side: c.startSide,
      line: c.line,
      original_line: c.line,
      side: c.side,
      subject_type: 'line',
      ...(c.inReplyTo ? { in_reply_to_id: c.inReplyTo } : {}),
    };
  }

  /** A commit as the compare endpoint lists it. */
  commitJson(repo: string, commitSha: string, parent: string, message: string): Record<string, unknown> {
    const api = `${this.url}/repos/${repo}`;
    // A fixed date: reading a comparison must not move the fake's clock.
    const person = { name: this.login, email: `${this.login}@users.noreply.github.com`, date: new Date(EPOCH).toISOString().replace('.000Z', 'Z') };
    return {
      sha: commitSha,
      node_id: `C_${commitSha.slice(0, 12)}`,
      commit: {
        author: person,
        committer: person,
        message,
        tree: { sha: sha(commitSha, 'tree'), url: `${api}/git/trees/${sha(commitSha, 'tree')}` },
        url: `${api}/git/commits/${commitSha}`,
        comment_count: 0,
      },
      url: `${api}/commits/${commitSha}`,
      html_url: `${this.webUrl}/${repo}/commit/${commitSha}`,
      comments_url: `${api}/commits/${commitSha}/comments`,
      author: this.userJson(this.login),
      committer: this.userJson(this.login),
      parents: [{ sha: parent, url: `${api}/commits/${parent}`, html_url: `${this.webUrl}/${repo}/commit/${parent}` }],
    };
  }

  commentJson(c: FakeIssueComment): Record<string, unknown> {
    const api = `${this.url}/repos/${c.repo}`;
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${api}/issues/comments/${c.id}`,
      html_url: `${this.webUrl}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${api}/issues/${c.issueNumber}`,
      body: c.body,
      user: this.userJson(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: 'MEMBER',
    };
  }

  /** One page of `items` by `per_page` (default 30, max 100) and `page`, with GitHub's Link header. */
  paginate(items: unknown[], ctx: RouteContext): Reply {
    const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string): string => {
      const q = new URLSearchParams(ctx.query);
      q.set('page', String(p));
      q.set('per_page', String(perPage));
      return `<${this.url}${ctx.path}?${q.toString()}>; rel="${rel}"`;
    };
    const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), ...(links.length ? { headers: { link: links.join(', ') } } : {}) };
  }

  // ---- endpoints -----------------------------------------------------------------------------

  private findPull(repo: FakeRepo, n: string | undefined): FakePull | undefined {
    return this.pulls.find((p) => p.repo === repo.fullName && String(p.number) === n);
  }

  /** An open PR other than `except` with the same head and base (GitHub allows one). */
  private duplicateOf(repo: FakeRepo, head: { owner: string; ref: string }, base: string, except?: FakePull): FakePull | undefined {
    return this.pulls.find((p) => p !== except && p.repo === repo.fullName && p.state === 'open' && p.head.owner === head.owner && p.head.ref === head.ref && p.base.ref === base);
  }

  private registerPullRoutes(): void {
    this.repoRoute('GET', '', ({ repo }) => ({ status: 200, body: this.repoJson(repo) }));

    this.repoRoute('GET', '/pulls', (ctx) => {
      const { repo, query } = ctx;
      const state = query.get('state') ?? 'open';
      if (!['open', 'closed', 'all'].includes(state)) return validationFailed({ resource: 'Search', field: 'state', code: 'invalid' });
      // Like GitHub, a head filter without `owner:` is ignored.
      const head = query.get('head');
      const base = query.get('base');
      const sort = query.get('sort') ?? 'created';
      const direction = query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
      const key = (p: FakePull): string => (sort === 'updated' ? p.updatedAt : p.createdAt);
      const list = this.pulls
        .filter((p) => p.repo === repo.fullName)
        .filter((p) => state === 'all' || p.state === state)
        .filter((p) => !head?.includes(':') || `${p.head.owner}:${p.head.ref}` === head)
        .filter((p) => !base || p.base.ref === base)
        .sort((a, b) => (key(a) === key(b) ? a.number - b.number : key(a) < key(b) ? -1 : 1) * (direction === 'desc' ? -1 : 1));
      return this.paginate(list.map((p) => this.pullJson(p, true)), ctx);
    });

    this.repoRoute('POST', '/pulls', ({ repo, body }) => {
      const input = (body ?? {}) as Record<string, unknown>;
      for (const field of ['head', 'base', 'title'] as const) {
        if (typeof input[field] !== 'string' || input[field] === '') return validationFailed({ resource: 'PullRequest', code: 'missing_field', field });
      }
      const [headText, base, title] = [input.head as string, input.base as string, input.title as string];
      const [owner, ref] = headText.includes(':') ? (headText.split(':', 2) as [string, string]) : [repo.owner, headText];
      if (!repo.branches.has(base)) return validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'base' });
      if (owner === repo.owner && ref === base) return validationFailed({ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${ref}` });
      if (this.duplicateOf(repo, { owner, ref }, base)) return validationFailed({ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${ref}.` });
      if (input.draft === true && !this.allowDrafts) return validationFailed({ resource: 'PullRequest', code: 'custom', message: 'Draft pull requests are not supported in this repository.' });
      const pull = this.openPull({ repo: repo.fullName, head: `${owner}:${ref}`, base, title, body: typeof input.body === 'string' ? input.body : null, draft: input.draft === true });
      return { status: 201, body: this.pullJson(pull), headers: { location: `${this.url}/repos/${repo.fullName}/pulls/${pull.number}` } };
    });

    this.repoRoute('GET', '/pulls/:number', ({ repo, params }) => {
      const pull = this.findPull(repo, params.number);
      return pull ? { status: 200, body: this.pullJson(pull) } : githubError(404);
    });

    this.repoRoute('PATCH', '/pulls/:number', ({ repo, params, body }) => {
      const pull = this.findPull(repo, params.number);
      if (!pull) return githubError(404);
      const input = (body ?? {}) as Record<string, unknown>;
      if (input.state !== undefined && input.state !== 'open' && input.state !== 'closed') return validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'state' });
      if (input.base !== undefined && !repo.branches.has(String(input.base))) return validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'base' });
      if (input.state === 'open' && pull.state === 'closed') {
        if (pull.merged) return validationFailed({ resource: 'PullRequest', code: 'custom', message: 'Cannot reopen a merged pull request.' });
        if (this.duplicateOf(repo, pull.head, pull.base.ref, pull)) return validationFailed({ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${pull.head.owner}:${pull.head.ref}.` });
      }
      const at = this.now();
      if (typeof input.title === 'string') pull.title = input.title;
      if (typeof input.body === 'string' || input.body === null) pull.body = input.body;
      if (typeof input.base === 'string') pull.base.ref = input.base;
      if (input.state === 'closed' && pull.state === 'open') Object.assign(pull, { state: 'closed', closedAt: at });
      if (input.state === 'open' && pull.state === 'closed') Object.assign(pull, { state: 'open', closedAt: null });
      pull.updatedAt = at;
      return { status: 200, body: this.pullJson(pull) };
    });
  }

  private registerIssueRoutes(): void {
    this.repoRoute('POST', '/issues/:number/labels', ({ repo, params, body }) => {
      const pull = this.findPull(repo, params.number);
      if (!pull) return githubError(404);
      const raw = Array.isArray(body) ? body : (body as { labels?: unknown } | null)?.labels;
      if (!Array.isArray(raw)) return validationFailed({ resource: 'Label', code: 'missing_field', field: 'labels' });
      const names = raw.map((l) => (typeof l === 'object' && l !== null ? (l as { name?: unknown }).name : l));
      for (const name of names) {
        if (typeof name !== 'string' || name.trim() === '' || name.length > 50) return validationFailed({ resource: 'Label', code: 'invalid', field: 'name' });
      }
      for (const name of names as string[]) {
        let label = repo.labels.get(name.toLowerCase());
        if (!label) {
          label = { id: this.newId(), name, color: 'ededed', description: null };
          repo.labels.set(name.toLowerCase(), label);
        }
        if (!pull.labels.some((l) => l.toLowerCase() === name.toLowerCase())) pull.labels.push(label.name);
      }
      pull.updatedAt = this.now();
      return { status: 200, body: pull.labels.map((name) => this.labelJson(repo, name)) };
    });

    this.repoRoute('GET', '/issues/:number/comments', (ctx) => {
      const { repo, params, query } = ctx;
      if (!this.findPull(repo, params.number)) return githubError(404);
      const since = query.get('since');
      const list = this.issueComments.filter((c) => c.repo === repo.fullName && String(c.issueNumber) === params.number && (!since || c.updatedAt >= since));
      return this.paginate(list.map((c) => this.commentJson(c)), ctx);
    });

    this.repoRoute('POST', '/issues/:number/comments', ({ repo, params, body }) => {
      const pull = this.findPull(repo, params.number);
      if (!pull) return githubError(404);
      const text = (body as { body?: unknown } | null)?.body;
      if (typeof text !== 'string' || text === '') return validationFailed({ resource: 'IssueComment', code: 'missing_field', field: 'body' });
      if (text.length > MAX_BODY) return validationFailed({ resource: 'IssueComment', code: 'custom', field: 'body', message: 'Body is too long (maximum is 65536 characters)' });
      const at = this.now();
      const comment: FakeIssueComment = { id: this.newId(), repo: repo.fullName, issueNumber: pull.number, body: text, user: this.login, createdAt: at, updatedAt: at };
      this.issueComments.push(comment);
      return { status: 201, body: this.commentJson(comment) };
    });

    const findComment = (repo: FakeRepo, id: string | undefined): FakeIssueComment | undefined =>
      this.issueComments.find((c) => c.repo === repo.fullName && String(c.id) === id);

    this.repoRoute('GET', '/issues/comments/:comment_id', ({ repo, params }) => {
      const comment = findComment(repo, params.comment_id);
      return comment ? { status: 200, body: this.commentJson(comment) } : githubError(404);
    });

    this.repoRoute('PATCH', '/issues/comments/:comment_id', ({ repo, params, body }) => {
      const comment = findComment(repo, params.comment_id);
      if (!comment) return githubError(404);
      const text = (body as { body?: unknown } | null)?.body;
      if (typeof text !== 'string' || text === '') return validationFailed({ resource: 'IssueComment', code: 'missing_field', field: 'body' });
      if (text.length > MAX_BODY) return validationFailed({ resource: 'IssueComment', code: 'custom', field: 'body', message: 'Body is too long (maximum is 65536 characters)' });
      comment.body = text;
      comment.updatedAt = this.now();
      return { status: 200, body: this.commentJson(comment) };
    });

    this.repoRoute('DELETE', '/issues/comments/:comment_id', ({ repo, params }) => {
      const comment = findComment(repo, params.comment_id);
      if (!comment) return githubError(404);
      this.issueComments.splice(this.issueComments.indexOf(comment), 1);
      return { status: 204 };
    });
  }

  /**
   * `GET /user` answers a user token; an installation token (a `[bot]` login, as the Actions token)
   * gets GitHub's 403. `GET /app` names the token's app when `appSlug` is set, else 403 for a bot and
   * 401 for a user token (the endpoint wants a JWT).
   */
  private registerIdentityRoutes(): void {
    this.route('GET', '/user', () => (this.login.endsWith('[bot]') ? githubError(403, 'Resource not accessible by integration') : { status: 200, body: this.userJson(this.login) }));
    this.route('GET', '/app', () => {
      if (this.appSlug !== null) {
        const id = idOf(`app:${this.appSlug}`);
        return { status: 200, body: { id, slug: this.appSlug, node_id: `A_${id}`, name: this.appSlug, owner: this.userJson('octo-org'), html_url: `${this.webUrl}/apps/${this.appSlug}` } };
      }
      return this.login.endsWith('[bot]') ? githubError(403, 'Resource not accessible by integration') : githubError(401, 'A JSON web token could not be decoded');
    });
  }

  private registerReviewRoutes(): void {
    this.repoRoute('GET', '/pulls/:number/files', (ctx) => {
      const pull = this.findPull(ctx.repo, ctx.params.number);
      if (!pull) return githubError(404);
      return this.paginate(pull.files.slice(0, MAX_PULL_FILES).map((f) => this.fileJson(pull.repo, pull.head.sha, f)), ctx);
    });

    this.repoRoute('GET', '/pulls/:number/reviews', (ctx) => {
      const pull = this.findPull(ctx.repo, ctx.params.number);
      if (!pull) return githubError(404);
      return this.paginate(this.reviews.filter((r) => r.repo === pull.repo && r.pullNumber === pull.number).map((r) => this.reviewJson(r)), ctx);
    });

    this.repoRoute('GET', '/pulls/:number/reviews/:review_id', ({ repo, params }) => {
      const pull = this.findPull(repo, params.number);
      const review = pull && this.reviews.find((r) => r.repo === pull.repo && r.pullNumber === pull.number && String(r.id) === params.review_id);
      return review ? { status: 200, body: this.reviewJson(review) } : githubError(404);
    });

    this.repoRoute('GET', '/pulls/:number/comments', (ctx) => {
      const pull = this.findPull(ctx.repo, ctx.params.number);
      if (!pull) return githubError(404);
      const since = ctx.query.get('since');
      const list = this.reviewComments.filter((c) => c.repo === pull.repo && c.pullNumber === pull.number && (!since || c.updatedAt >= since));
      return this.paginate(list.map((c) => this.reviewCommentJson(c)), ctx);
    });

    this.repoRoute('POST', '/pulls/:number/reviews', ({ repo, params, body }) => this.createReview(repo, params.number, body));

    this.repoRoute('GET', '/compare/:basehead', (ctx) => {
      const comparison = this.comparisons.get(`${ctx.repo.fullName}\0${ctx.params.basehead ?? ''}`);
      if (!comparison) return githubError(404);
      const { repo, base, head } = comparison;
      const commits = comparison.commits.map((c, i) => this.commitJson(repo, c, comparison.commits[i - 1] ?? sha(repo, base), `Commit ${i + 1} of ${base}...${head}`));
      // Without paging parameters GitHub lists the last 250 commits; with them, a page of commits, and files on page 1 only.
      const paged = ctx.query.has('page') || ctx.query.has('per_page');
      const page = paged ? this.paginate(commits, ctx) : { status: 200, body: commits.slice(-250) };
      const firstPage = !paged || Math.max(1, Number(ctx.query.get('page') ?? 1) || 1) === 1;
      const baseCommit = this.commitJson(repo, sha(repo, base), sha(repo, base, 'parent'), `Tip of ${base}`);
      const html = `${this.webUrl}/${repo}/compare/${base}...${head}`;
      return {
        ...page,
        body: {
          url: `${this.url}/repos/${repo}/compare/${base}...${head}`,
          html_url: html,
          permalink_url: `${this.webUrl}/${repo}/compare/${sha(repo, base).slice(0, 7)}...${(comparison.commits.at(-1) ?? sha(repo, base)).slice(0, 7)}`,
          diff_url: `${html}.diff`,
          patch_url: `${html}.patch`,
          base_commit: baseCommit,
          merge_base_commit: baseCommit,
          status: comparison.status,
          ahead_by: comparison.aheadBy,
          behind_by: comparison.behindBy,
          total_commits: comparison.aheadBy,
          commits: page.body,
          files: firstPage ? comparison.files.slice(0, MAX_COMPARE_FILES).map((f) => this.fileJson(repo, comparison.commits.at(-1) ?? head, f)) : [],
        },
      };
    });
  }

  /** `POST /repos/{o}/{r}/pulls/{n}/reviews`, validated as GitHub does; a rejected review stores nothing. */
  private createReview(repo: FakeRepo, number: string | undefined, body: unknown): Reply {
    const pull = this.findPull(repo, number);
    if (!pull) return githubError(404);
    const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;

    // GitHub's request-schema check comes first ("Invalid request.").
    for (const field of ['commit_id', 'body', 'event'] as const) {
      if (field in input && typeof input[field] !== 'string') return invalidRequest(`For 'properties/${field}', ${schemaValue(input[field])} is not a string.`);
    }
    if ('comments' in input && !Array.isArray(input.comments)) return invalidRequest(`For 'properties/comments', ${schemaValue(input.comments)} is not an array.`);
    const event = input.event as string | undefined;
    const events = ['APPROVE', 'REQUEST_CHANGES', 'COMMENT'];
    if (event !== undefined && !events.includes(event)) return invalidRequest(`For 'properties/event', ${schemaValue(event)} is not a member of ${JSON.stringify(events)}.`);
    const comments = (input.comments ?? []) as unknown[];
    for (const raw of comments) {
      if (typeof raw !== 'object' || raw === null) return invalidRequest(`For 'items', ${schemaValue(raw)} is not an object.`);
      const c = raw as Record<string, unknown>;
      for (const field of ['path', 'body'] as const) {
        if (!(field in c)) return invalidRequest(`"${field}" wasn't supplied.`);
        if (typeof c[field] !== 'string') return invalidRequest(`For 'properties/${field}', ${schemaValue(c[field])} is not a string.`);
      }
      for (const field of ['line', 'start_line', 'position'] as const) {
        if (field in c && !Number.isInteger(c[field])) return invalidRequest(`For 'properties/${field}', ${schemaValue(c[field])} is not an integer.`);
      }
      for (const field of ['side', 'start_side'] as const) {
        if (field in c && c[field] !== 'LEFT' && c[field] !== 'RIGHT') return invalidRequest(`For 'properties/${field}', ${schemaValue(c[field])} is not a member of ["LEFT","RIGHT"].`);
      }
    }

    // GitHub takes the head or an older commit of the PR; another sha (e.g. a workflow's merge-commit GITHUB_SHA) is refused.
    const commitId = (input.commit_id as string | undefined) ?? pull.head.sha;
    if (commitId !== pull.head.sha && !pull.headShas.includes(commitId)) return unprocessable(['The commitOID is not part of the pull request']);
    if (pull.user === this.login && event === 'APPROVE') return unprocessable(['Can not approve your own pull request']);
    if (pull.user === this.login && event === 'REQUEST_CHANGES') return unprocessable(['Can not request changes on your own pull request']);
    if (this.login === 'github-actions[bot]' && event === 'APPROVE' && !this.allowActionsApprovals) return unprocessable(['GitHub Actions is not permitted to approve pull requests.']);

    // Every inline comment must resolve to a diff line; one failure per bad comment, joined into one sentence.
    const failures: string[] = [];
    const resolved: Array<Omit<FakeReviewComment, 'id' | 'reviewId' | 'createdAt' | 'updatedAt'>> = [];
    for (const raw of comments) {
      const c = raw as { path: string; body: string; line?: number; side?: 'LEFT' | 'RIGHT'; start_line?: number; start_side?: 'LEFT' | 'RIGHT'; position?: number };
      const file = pull.files.find((f) => f.filename === c.path);
      if (!file) {
        failures.push('Path could not be resolved');
        continue;
      }
      const parsed = parsePatch(file.patch);
      let end: PatchLine | undefined;
      let side: 'LEFT' | 'RIGHT' = c.side ?? 'RIGHT';
      if (c.line !== undefined) {
        end = commentableLine(parsed, side, c.line);
      } else if (c.position !== undefined) {
        // The deprecated `position`: lines below the file's first @@ header; a removed line is on the LEFT.
        end = parsed.lines.find((l) => l.position === c.position && (l.kind === '+' || l.kind === '-' || l.kind === ' '));
        if (end) side = end.kind === '-' ? 'LEFT' : 'RIGHT';
      }
      if (!end) {
        failures.push('Line could not be resolved');
        continue;
      }
      let start: PatchLine | undefined;
      const startSide = c.start_line !== undefined ? (c.start_side ?? side) : null;
      if (c.start_line !== undefined && startSide) {
        start = commentableLine(parsed, startSide, c.start_line);
        if (start && start.position >= end.position) {
          failures.push('Pull request review thread start line must precede the end line.');
          continue;
        }
        if (!start || start.hunk !== end.hunk) {
          failures.push('Pull request review thread start line must be part of the same hunk as the line.');
          continue;
        }
      }
      const hunkStart = parsed.lines.find((l) => l.kind === '@' && l.hunk === end.hunk)?.position ?? 0;
      resolved.push({
        repo: pull.repo,
        pullNumber: pull.number,
        path: c.path,
        line: (side === 'RIGHT' ? end.newLine : end.oldLine) ?? 0,
        side,
        startLine: c.start_line ?? null,
        startSide,
        position: end.position,
        diffHunk: parsed.text.slice(hunkStart, end.position + 1).join('\n'),
        body: c.body,
        commitId,
        user: this.login,
      });
    }
    if (failures.length) return unprocessable([toSentence(failures)]);

    const text = (input.body as string | undefined) ?? '';
    if (text.length > MAX_BODY || resolved.some((c) => c.body.length > MAX_BODY)) return unprocessable([`Body is too long (maximum is ${MAX_BODY} characters)`]);
    if (event === 'REQUEST_CHANGES' && text === '' && comments.length === 0) return unprocessable(['You need to leave a comment indicating the requested changes.']);
    if (event === 'COMMENT' && text === '' && comments.length === 0) return unprocessable(['']);
    if (event === undefined && this.reviews.some((r) => r.repo === pull.repo && r.pullNumber === pull.number && r.user === this.login && r.state === 'PENDING')) {
      return unprocessable(['User can only have one pending review per pull request']);
    }

    const at = this.now();
    const states: Record<string, FakeReviewState> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };
    const review: FakeReview = {
      id: this.newId(),
      repo: pull.repo,
      pullNumber: pull.number,
      user: this.login,
      body: text,
      state: event ? (states[event] ?? 'COMMENTED') : 'PENDING',
      commitId,
      submittedAt: event ? at : null,
    };
    this.reviews.push(review);
    for (const c of resolved) this.reviewComments.push({ ...c, id: this.newId(), reviewId: review.id, createdAt: at, updatedAt: at });
    pull.updatedAt = at;
    return { status: 200, body: this.reviewJson(review) };
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.method ?? 'GET').toUpperCase();
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = url.pathname.startsWith(this.apiPrefix) ? url.pathname.slice(this.apiPrefix.length) || '/' : url.pathname;
      const authorization = /^(token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const record: FakeRequestRecord = {
        method,
        path,
        query: Object.fromEntries(url.searchParams),
        body: null,
        auth: authorization ? (authorization[1]?.toLowerCase() as 'token' | 'bearer') : null,
        userAgent: req.headers['user-agent'],
        status: 0,
      };
      this.requests.push(record);
      const send = (reply: Reply): void => {
        record.status = reply.status;
        res.writeHead(reply.status, {
          'content-type': 'application/json; charset=utf-8',
          'x-github-media-type': 'github.v3; format=json',
          'x-github-request-id': `FAKE:${this.requests.length}`,
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '4999',
          ...reply.headers,
        });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      };

      const raw = Buffer.concat(chunks).toString('utf8');
      if (raw.trim() !== '') {
        try {
          record.body = JSON.parse(raw) as unknown;
        } catch {
          return send(githubError(400, 'Problems parsing JSON'));
        }
      }
      const injectedAt = this.injected.findIndex((i) => i.method === method && i.path.test(path));
      if (injectedAt >= 0) {
        const [injected] = this.injected.splice(injectedAt, 1);
        if (injected?.reply === 'hang' || injected?.reply === 'hang-body') {
          if (injected.reply === 'hang-body') {
            record.status = 200;
            res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
            res.write('{"number": ');
          }
          this.hanging.add(res);
          res.on('close', () => this.hanging.delete(res));
          return;
        }
        if (injected) return send(injected.reply);
      }
      if (!authorization) return send(githubError(401, 'Requires authentication'));
      if (authorization[2] !== this.token) return send(githubError(401, 'Bad credentials'));
      for (const route of this.routes) {
        const m = route.method === method ? route.pattern.exec(path) : null;
        if (!m) continue;
        const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
        try {
          return send(route.handler({ method, path, params, query: url.searchParams, body: record.body }));
        } catch (e) {
          return send(githubError(500, `fake GitHub handler failed: ${(e as Error).message}`));
        }
      }
      send(githubError(404));
    });
  }
}
