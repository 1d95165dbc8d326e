/**
 * The loopback GitHub stand-in's endpoints for repositories, pull requests (list, create, read,
 * update), labels, issue comments and the token's identity. Installed by FakeGitHub itself.
 */
import type { FakeGitHub } from './fake-github.js';
import type { FakePull, FakeRepo, FakeIssueComment } from './fake-github-types.js';
import { githubError, idOf, MAX_BODY, validationFailed } from './fake-github-replies.js';

/** An open PR other than `except` with the same head and base (GitHub allows one). */
function duplicateOf(gh: FakeGitHub, repo: FakeRepo, head: { owner: string; ref: string }, base: string, except?: FakePull): FakePull | undefined {
  return gh.pulls.find((p) => p !== except && p.repo === repo.fullName && p.state === 'open' && p.head.owner === head.owner && p.head.ref === head.ref && p.base.ref === base);
}

export function installPullRoutes(gh: FakeGitHub): void {
  gh.repoRoute('GET', '', ({ repo }) => ({ status: 200, body: gh.repoJson(repo) }));

  gh.repoRoute('GET', '/pulls', (ctx) => {
    const { repo, query } = ctx;
    const state = query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) return validationFailed({ resource: 'Search', field: 'state', code: 'invalid' });
    // Like GitHub, a head filter without `owner:` is ignored.
    const head = query.get('head');
    const base = query.get('base');
    const sort = query.get('sort') ?? 'created';
    const direction = query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
    const key = (p: FakePull): string => (sort === 'updated' ? p.updatedAt : p.createdAt);
    const list = gh.pulls
      .filter((p) => p.repo === repo.fullName)
      .filter((p) => state === 'all' || p.state === state)
      .filter((p) => !head?.includes(':') || `${p.head.owner}:${p.head.ref}` === head)
      .filter((p) => !base || p.base.ref === base)
      .sort((a, b) => (key(a) === key(b) ? a.number - b.number : key(a) < key(b) ? -1 : 1) * (direction === 'desc' ? -1 : 1));
    return gh.paginate(list.map((p) => gh.pullJson(p, true)), ctx);
  });

  gh.repoRoute('POST', '/pulls', ({ repo, body }) => {
    const input = (body ?? {}) as Record<string, unknown>;
    for (const field of ['head', 'base', 'title'] as const) {
      if (typeof input[field] !== 'string' || input[field] === '') return validationFailed({ resource: 'PullRequest', code: 'missing_field', field });
    }
    const [headText, base, title] = [input.head as string, input.base as string, input.title as string];
    const [owner, ref] = headText.includes(':') ? (headText.split(':', 2) as [string, string]) : [repo.owner, headText];
    if (!repo.branches.has(base)) return validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'base' });
    if (owner === repo.owner && ref === base) return validationFailed({ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${ref}` });
    if (duplicateOf(gh, repo, { owner, ref }, base)) return validationFailed({ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${ref}.` });
    if (input.draft === true && !gh.allowDrafts) return validationFailed({ resource: 'PullRequest', code: 'custom', message: 'Draft pull requests are not supported in this repository.' });
    const pull = gh.openPull({ repo: repo.fullName, head: `${owner}:${ref}`, base, title, body: typeof input.body === 'string' ? input.body : null, draft: input.draft === true });
    return { status: 201, body: gh.pullJson(pull), headers: { location: `${gh.url}/repos/${repo.fullName}/pulls/${pull.number}` } };
  });

  gh.repoRoute('GET', '/pulls/:number', ({ repo, params }) => {
    const pull = gh.findPull(repo, params.number);
    return pull ? { status: 200, body: gh.pullJson(pull) } : githubError(404);
  });

  gh.repoRoute('PATCH', '/pulls/:number', ({ repo, params, body }) => {
    const pull = gh.findPull(repo, params.number);
    if (!pull) return githubError(404);
    const input = (body ?? {}) as Record<string, unknown>;
    if (input.state !== undefined && input.state !== 'open' && input.state !== 'closed') return validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'state' });
    if (input.base !== undefined && !repo.branches.has(String(input.base))) return validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'base' });
    if (input.state === 'open' && pull.state === 'closed') {
      if (pull.merged) return validationFailed({ resource: 'PullRequest', code: 'custom', message: 'Cannot reopen a merged pull request.' });
      if (duplicateOf(gh, repo, pull.head, pull.base.ref, pull)) return validationFailed({ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${pull.head.owner}:${pull.head.ref}.` });
    }
    const at = gh.now();
    if (typeof input.title === 'string') pull.title = input.title;
    if (typeof input.body === 'string' || input.body === null) pull.body = input.body;
    if (typeof input.base === 'string') pull.base.ref = input.base;
    if (input.state === 'closed' && pull.state === 'open') Object.assign(pull, { state: 'closed', closedAt: at });
    if (input.state === 'open' && pull.state === 'closed') Object.assign(pull, { state: 'open', closedAt: null });
    pull.updatedAt = at;
    return { status: 200, body: gh.pullJson(pull) };
  });
}

export function installIssueRoutes(gh: FakeGitHub): void {
  gh.repoRoute('POST', '/issues/:number/labels', ({ repo, params, body }) => {
    const pull = gh.findPull(repo, params.number);
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
        label = { id: gh.newId(), name, color: 'ededed', description: null };
        repo.labels.set(name.toLowerCase(), label);
      }
      if (!pull.labels.some((l) => l.toLowerCase() === name.toLowerCase())) pull.labels.push(label.name);
    }
    pull.updatedAt = gh.now();
    return { status: 200, body: pull.labels.map((name) => gh.labelJson(repo, name)) };
  });

  gh.repoRoute('GET', '/issues/:number/comments', (ctx) => {
    const { repo, params, query } = ctx;
    if (!gh.findPull(repo, params.number)) return githubError(404);
    const since = query.get('since');
    const list = gh.issueComments.filter((c) => c.repo === repo.fullName && String(c.issueNumber) === params.number && (!since || c.updatedAt >= since));
    return gh.paginate(list.map((c) => gh.commentJson(c)), ctx);
  });

  gh.repoRoute('POST', '/issues/:number/comments', ({ repo, params, body }) => {
    const pull = gh.findPull(repo, params.number);
    if (!pull) return githubError(404);
    const text = (body as { body?: unknown } | null)?.body;
    if (typeof text !== 'string' || text === '') return validationFailed({ resource: 'IssueComment', code: 'missing_field', field: 'body' });
    if (text.length > MAX_BODY) return validationFailed({ resource: 'IssueComment', code: 'custom', field: 'body', message: 'Body is too long (maximum is 65536 characters)' });
    const at = gh.now();
    const comment: FakeIssueComment = { id: gh.newId(), repo: repo.fullName, issueNumber: pull.number, body: text, user: gh.login, createdAt: at, updatedAt: at };
    gh.issueComments.push(comment);
    return { status: 201, body: gh.commentJson(comment) };
  });

  const findComment = (repo: FakeRepo, id: string | undefined): FakeIssueComment | undefined =>
    gh.issueComments.find((c) => c.repo === repo.fullName && String(c.id) === id);

  gh.repoRoute('GET', '/issues/comments/:comment_id', ({ repo, params }) => {
    const comment = findComment(repo, params.comment_id);
    return comment ? { status: 200, body: gh.commentJson(comment) } : githubError(404);
  });

  gh.repoRoute('PATCH', '/issues/comments/:comment_id', ({ repo, params, body }) => {
    const comment = findComment(repo, params.comment_id);
    if (!comment) return githubError(404);
    const text = (body as { body?: unknown } | null)?.body;
    if (typeof text !== 'string' || text === '') return validationFailed({ resource: 'IssueComment', code: 'missing_field', field: 'body' });
    if (text.length > MAX_BODY) return validationFailed({ resource: 'IssueComment', code: 'custom', field: 'body', message: 'Body is too long (maximum is 65536 characters)' });
    comment.body = text;
    comment.updatedAt = gh.now();
    return { status: 200, body: gh.commentJson(comment) };
  });

  gh.repoRoute('DELETE', '/issues/comments/:comment_id', ({ repo, params }) => {
    const comment = findComment(repo, params.comment_id);
    if (!comment) return githubError(404);
    gh.issueComments.splice(gh.issueComments.indexOf(comment), 1);
    return { status: 204 };
  });
}

/**
 * `GET /user` answers a user token; an installation token (a `[bot]` login, as the Actions token)
 * gets GitHub's 403. `GET /app` names the token's app when `appSlug` is set, else 403 for a bot and
 * 401 for a user token (the endpoint wants a JWT).
 */
export function installIdentityRoutes(gh: FakeGitHub): void {
  gh.route('GET', '/user', () => (gh.login.endsWith('[bot]') ? githubError(403, 'Resource not accessible by integration') : { status: 200, body: gh.userJson(gh.login) }));
  gh.route('GET', '/app', () => {
    if (gh.appSlug !== null) {
      const id = idOf(`app:${gh.appSlug}`);
      return { status: 200, body: { id, slug: gh.appSlug, node_id: `A_${id}`, name: gh.appSlug, owner: gh.userJson('octo-org'), html_url: `${gh.webUrl}/apps/${gh.appSlug}` } };
    }
    return gh.login.endsWith('[bot]') ? githubError(403, 'Resource not accessible by integration') : githubError(401, 'A JSON web token could not be decoded');
  });
}
