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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { installIdentityRoutes, installIssueRoutes, installPullRoutes } from './fake-github-routes.js';
import { githubError, idOf, parsePatch, sha } from './fake-github-replies.js';
import { installReviewRoutes } from './fake-github-reviews.js';
import type { FakeComparison, FakeFileStatus, FakeGitHubOptions, FakeIssueComment, FakePull, FakePullFile, FakePullFileInput, FakeRepo, FakeRequestRecord, FakeReview, FakeReviewComment, Reply, RepoRouteHandler, RouteContext, RouteHandler } from './fake-github-types.js';

export * from './fake-github-types.js';
export { githubError, validationFailed } from './fake-github-replies.js';

interface Injected {
  method: string;
  path: RegExp;
  reply: Reply | 'hang' | 'hang-body';
}

const EPOCH = Date.parse('2024-01-01T00:00:00Z');

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
    installPullRoutes(this);
    installIssueRoutes(this);
    installReviewRoutes(this);
    installIdentityRoutes(this);
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

  // ---- endpoints (fake-github-routes.ts, fake-github-reviews.ts) ---------------------------

  /** The pull request `n` (as a path parameter) of `repo`. */
  findPull(repo: FakeRepo, n: string | undefined): FakePull | undefined {
    return this.pulls.find((p) => p.repo === repo.fullName && String(p.number) === n);
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