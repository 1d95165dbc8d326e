/**
 * The Octokit pull-request adapter against the loopback GitHub fake: request shapes, response mapping,
 * the draft and label fallbacks, and how each failure becomes an AgentOsError.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AgentOsError } from '../../src/domain/errors.js';
import { OctokitPullRequests, type OctokitPullRequestsOptions } from '../../src/infra/github-octokit.js';
import type { Logger } from '../../src/ports/logger.js';
import { FakeGitHub } from '../fakes/fake-github.js';

const TOKEN = 'test-token-7f3a';
const REPO = 'octo-org/widgets';

let gh: FakeGitHub;
let logged: string[];

const recordingLogger: Logger = {
  debug: (m, d) => logged.push(`debug ${m} ${JSON.stringify(d ?? {})}`),
  info: (m, d) => logged.push(`info ${m} ${JSON.stringify(d ?? {})}`),
  warn: (m, d) => logged.push(`warn ${m} ${JSON.stringify(d ?? {})}`),
  error: (m, d) => logged.push(`error ${m} ${JSON.stringify(d ?? {})}`),
};

function client(options: Partial<OctokitPullRequestsOptions> = {}): OctokitPullRequests {
  return new OctokitPullRequests({ apiUrl: gh.url, token: TOKEN, owner: 'octo-org', repo: 'widgets', logger: recordingLogger, timeoutMs: 5_000, retryDelayMs: 5, ...options });
}

const draft = (head: string, labels: string[] = ['agent-os', 'standards']) => ({ head, base: 'main', title: `Proposal ${head}`, body: `Body of ${head}`, labels });

async function failure(p: Promise<unknown>): Promise<AgentOsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AgentOsError) return e;
    throw new Error(`expected an AgentOsError, got ${String(e)}`);
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  logged = [];
  gh = await FakeGitHub.start({ token: TOKEN, repos: [REPO] });
});
afterEach(async () => {
  await gh.close();
  // Whatever happened, the token never reaches a log line.
  expect(logged.join('\n')).not.toContain(TOKEN);
});

describe('OctokitPullRequests against the GitHub fake', () => {
  it('opens a labelled draft pull request', async () => {
    gh.setBranch('proposal/hashing', 'a'.repeat(40));
    const pr = await client().openDraft(draft('proposal/hashing'));

    expect(pr).toEqual({
      number: 1,
      url: `https://github.com/${REPO}/pull/1`,
      state: 'open',
      draft: true,
      merged: false,
      mergedBy: null,
      mergedAt: null,
      headRef: 'proposal/hashing',
      headSha: 'a'.repeat(40),
      baseRef: 'main',
      title: 'Proposal proposal/hashing',
      body: 'Body of proposal/hashing',
      labels: ['agent-os', 'standards'],
    });
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /repos/${REPO}/pulls`, `POST /repos/${REPO}/issues/1/labels`]);
    expect(gh.requests[0]?.body).toEqual({ head: 'proposal/hashing', base: 'main', title: 'Proposal proposal/hashing', body: 'Body of proposal/hashing', draft: true });
    expect(gh.requests[1]?.body).toEqual({ labels: ['agent-os', 'standards'] });
    expect(gh.requests[0]?.auth).toBe('token');
    expect(gh.requests[0]?.userAgent).toMatch(/^agent-os\/\d+\.\d+\.\d+ /);
    expect([...gh.repo().labels.keys()]).toEqual(['agent-os', 'standards']);
    expect(gh.pull(1).draft).toBe(true);
  });

  it('skips the label request when there are no labels', async () => {
    const pr = await client().openDraft(draft('proposal/plain', []));
    expect(pr.labels).toEqual([]);
    expect(gh.requests.map((r) => r.path)).toEqual([`/repos/${REPO}/pulls`]);
  });

  it('finds nothing for a branch without pull requests, and the newest one otherwise', async () => {
    const prs = client();
    expect(await prs.findByBranch('proposal/x')).toBeNull();
    expect(gh.requests[0]?.query).toMatchObject({ head: 'octo-org:proposal/x', state: 'all' });

    gh.openPull({ head: 'proposal/x', title: 'first' });
    gh.closePull(1);
    gh.openPull({ head: 'proposal/other', title: 'other branch' });
    gh.openPull({ head: 'a-fork:proposal/x', title: 'same branch name in a fork' });
    gh.openPull({ head: 'proposal/x', title: 'second' });
    gh.openPull({ head: 'proposal/y', title: 'newer, other branch' });

    const found = await prs.findByBranch('proposal/x');
    expect(found?.number).toBe(4);
    expect(found?.title).toBe('second');
    expect(found?.state).toBe('open');
    expect(await prs.findByBranch('refs/heads/proposal/x')).toMatchObject({ number: 4 });

    gh.closePull(4);
    expect(await prs.findByBranch('proposal/x')).toMatchObject({ number: 4, state: 'closed', merged: false });
  });

  it('lists the pull requests of branches under a prefix in one listing, skipping forks', async () => {
    const prs = client();
    gh.openPull({ head: 'proposal/a', title: 'a' });
    gh.openPull({ head: 'feature/x', title: 'not a proposal' });
    gh.openPull({ head: 'a-fork:proposal/b', title: 'same prefix in a fork' });
    gh.openPull({ head: 'proposal/c', title: 'c' });
    gh.mergePull(4, { by: 'octocat' });
    const listed = await prs.listByHeadPrefix('proposal/');
    expect(listed.map((p) => [p.number, p.headRef, p.state, p.merged])).toEqual([
      [4, 'proposal/c', 'closed', true],
      [1, 'proposal/a', 'open', false],
    ]);
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /repos/${REPO}/pulls`]);
  });

  it('updates title and body, comments, and closes', async () => {
    const prs = client();
    await prs.openDraft(draft('proposal/edit'));

    const renamed = await prs.update(1, { title: 'Renamed' });
    expect(renamed.title).toBe('Renamed');
    expect(renamed.body).toBe('Body of proposal/edit');
    expect(gh.requests.at(-1)?.body).toEqual({ title: 'Renamed' });
    const edited = await prs.update(1, { body: 'New body' });
    expect(edited).toMatchObject({ title: 'Renamed', body: 'New body', labels: ['agent-os', 'standards'] });

    await prs.comment(1, 'Rebased on main.');
    expect(gh.issueComments.map((c) => [c.issueNumber, c.body, c.user])).toEqual([[1, 'Rebased on main.', 'agent-os-bot']]);
    expect(gh.requests.at(-1)).toMatchObject({ method: 'POST', path: `/repos/${REPO}/issues/1/comments`, body: { body: 'Rebased on main.' } });

    const closed = await prs.close(1);
    expect(closed).toMatchObject({ number: 1, state: 'closed', merged: false, mergedBy: null });
    expect(gh.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/repos/${REPO}/pulls/1`, body: { state: 'closed' } });
    expect(gh.pull(1).state).toBe('closed');
  });

  it('reports a merge made on GitHub', async () => {
    const prs = client();
    await prs.openDraft(draft('proposal/merge-me'));
    gh.mergePull(1, { by: 'octocat', sha: 'b'.repeat(40) });

    const pr = await prs.get(1);
    expect(pr).toMatchObject({ number: 1, state: 'closed', merged: true, mergedBy: 'octocat', draft: false });
    expect(pr.mergedAt).toBe(gh.pull(1).mergedAt);
    expect(pr.mergedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await prs.findByBranch('proposal/merge-me')).toMatchObject({ number: 1, merged: true, mergedBy: 'octocat' });
  });

  it('opens a regular pull request, with a note, where drafts are not allowed', async () => {
    gh.allowDrafts = false;
    const pr = await client().openDraft(draft('proposal/no-drafts'));

    expect(pr).toMatchObject({ number: 1, draft: false, state: 'open', labels: ['agent-os', 'standards'] });
    expect(pr.note).toContain('does not allow draft pull requests');
    expect(pr.note).toContain('#1');
    expect(gh.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify((r.body as { draft?: boolean }).draft)}`)).toEqual([
      `POST /repos/${REPO}/pulls true`,
      `POST /repos/${REPO}/pulls undefined`,
      `POST /repos/${REPO}/issues/1/labels undefined`,
    ]);
    expect(gh.pulls).toHaveLength(1);
  });

  it('keeps the pull request, with a note, when labels cannot be added', async () => {
    gh.failNext('POST', /\/issues\/\d+\/labels$/, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
    const pr = await client().openDraft(draft('proposal/unlabelled'));

    expect(pr).toMatchObject({ number: 1, draft: true, labels: [] });
    expect(pr.note).toContain('#1 was opened, but the labels agent-os, standards could not be added');
    expect(pr.note).toContain('Resource not accessible by integration');
    expect(gh.pulls.map((p) => p.number)).toEqual([1]);
    expect(logged.some((l) => l.startsWith('warn Pull request opened but labels could not be added'))).toBe(true);
  });

  it('works under a GitHub Enterprise Server API prefix', async () => {
    await gh.close();
    gh = await FakeGitHub.start({ token: TOKEN, repos: [REPO], apiPrefix: '/api/v3' });
    expect(gh.url).toMatch(/\/api\/v3$/);
    const pr = await client().openDraft(draft('proposal/ghes'));
    expect(pr.number).toBe(1);
    expect(gh.requests[0]?.path).toBe(`/repos/${REPO}/pulls`);
  });
});

describe('OctokitPullRequests: who the token posts as', () => {
  const restart = async (options: { login: string; appSlug?: string | null }) => {
    await gh.close();
    gh = await FakeGitHub.start({ token: TOKEN, repos: [REPO], ...options });
  };
  const identityRequests = () => gh.requests.map((r) => `${r.method} ${r.path} ${r.status}`);

  it('a user token: its user', async () => {
    await restart({ login: 'release-bot' });
    expect(await client().viewer()).toBe('release-bot');
    expect(identityRequests()).toEqual(['GET /user 200']);
  });

  it("an app installation token (403 on GET /user): its app's bot", async () => {
    await restart({ login: 'agent-os-reviewer[bot]' });
    expect(await client().viewer()).toBe('agent-os-reviewer[bot]');
    expect(identityRequests()).toEqual(['GET /user 403', 'GET /app 200']);
  });

  it('neither can be read: null, so no comment is trusted', async () => {
    await restart({ login: 'github-actions[bot]', appSlug: null });
    expect(await client().viewer()).toBeNull();
    expect(identityRequests()).toEqual(['GET /user 403', 'GET /app 403']);
    expect(logged.some((l) => l.startsWith("debug GitHub would not say the token's app"))).toBe(true);
  });

  it('the workflow token is known to post as github-actions[bot]: GitHub is not asked', async () => {
    await restart({ login: 'github-actions[bot]', appSlug: null });
    expect(await client({ knownLogin: 'github-actions[bot]' }).viewer()).toBe('github-actions[bot]');
    expect(gh.requests).toEqual([]);
  });

  it("reads each file's blob sha and how many files the pull request changes", async () => {
    gh.setBranch('feature', 'b'.repeat(40));
    gh.openPull({ head: 'feature', title: 'Change', user: 'octocat' });
    gh.setPullFiles(1, [
      { filename: 'src/a.ts', patch: '@@ -1 +1 @@\n-a\n+b', sha: 'c'.repeat(40) },
      { filename: 'logo.png', status: 'modified' },
    ]);
    const files = await client().files(1);
    expect(files.map((f) => [f.path, f.sha, f.patch !== null, f.additions])).toEqual([
      ['src/a.ts', 'c'.repeat(40), true, 1],
      ['logo.png', expect.stringMatching(/^[0-9a-f]{40}$/), false, 0],
    ]);
    expect((await client().pull(1)).changedFiles).toBe(2);
  });
});

describe('OctokitPullRequests failures', () => {
  it('401: a token GitHub rejects is a CONFIG error that says which token to set', async () => {
    const e = await failure(client({ token: 'wrong-token' }).get(1));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('GitHub rejected the token');
    expect(e.message).toContain('Bad credentials');
    expect(e.hint).toContain('GITHUB_TOKEN');
    expect(e.hint).toContain('`repo` scope');
    expect(e.describe()).not.toContain('wrong-token');
  });

  it('403: a missing permission is a CONFIG error with GitHub\'s message', async () => {
    gh.failNext('POST', /\/pulls$/, 403, { message: 'Resource not accessible by personal access token' });
    const e = await failure(client().openDraft(draft('proposal/forbidden')));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('Resource not accessible by personal access token');
    expect(e.message).toContain(REPO);
    expect(e.hint).toContain('pull_requests: write');
  });

  it('403 with an exhausted rate limit is IO that says when to retry', async () => {
    gh.failNext('GET', /\/pulls\/1$/, 403, { message: 'API rate limit exceeded for user ID 1.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1900000000' });
    const e = await failure(client().get(1));
    expect(e.code).toBe('IO');
    expect(e.message).toContain('rate limit');
    expect(e.hint).toContain(new Date(1_900_000_000_000).toISOString());
    expect(gh.requests).toHaveLength(1);
  });

  it('404: an unknown pull request or repository is NOT_FOUND and mentions token visibility', async () => {
    const missingPr = await failure(client().get(99));
    expect(missingPr.code).toBe('NOT_FOUND');
    expect(missingPr.message).toContain('#99');
    expect(missingPr.message).toContain('the token cannot see it');

    const missingRepo = await failure(client({ repo: 'nope' }).findByBranch('proposal/x'));
    expect(missingRepo.code).toBe('NOT_FOUND');
    expect(missingRepo.message).toContain('octo-org/nope');
    expect(missingRepo.hint).toContain('octo-org/nope');
  });

  it('422: GitHub\'s validation messages become BAD_INPUT', async () => {
    const prs = client();
    const same = await failure(prs.openDraft({ ...draft('main'), base: 'main' }));
    expect(same.code).toBe('BAD_INPUT');
    expect(same.message).toContain('Validation Failed; No commits between main and main');

    await prs.openDraft(draft('proposal/dup'));
    const dup = await failure(prs.openDraft(draft('proposal/dup')));
    expect(dup.code).toBe('BAD_INPUT');
    expect(dup.message).toContain('A pull request already exists for octo-org:proposal/dup.');
    expect(dup.hint).toContain('update it');

    const missing = await failure(prs.openDraft({ ...draft('proposal/untitled'), title: '' }));
    expect(missing.code).toBe('BAD_INPUT');
    expect(missing.message).toContain('PullRequest title missing_field');
  });

  it('500 on a write is IO at once; writes are not repeated', async () => {
    gh.failNext('POST', /\/pulls$/, 502);
    const e = await failure(client().openDraft(draft('proposal/flaky')));
    expect(e.code).toBe('IO');
    expect(e.message).toContain('HTTP 502');
    expect(e.hint).toContain('try again later');
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(gh.pulls).toHaveLength(0);
  });

  it('500 on a read is retried, and IO once the retries are spent', async () => {
    gh.openPull({ head: 'proposal/r' });
    gh.failNext('GET', /\/pulls\/1$/, 500);
    expect((await client().get(1)).number).toBe(1);
    expect(gh.requests.map((r) => r.status)).toEqual([500, 200]);
    expect(logged.some((l) => l.startsWith('warn GitHub request failed; retrying'))).toBe(true);

    gh.requests.length = 0;
    for (let i = 0; i < 3; i++) gh.failNext('GET', /\/pulls\/1$/, 503);
    const e = await failure(client({ retries: 2 }).get(1));
    expect(e.code).toBe('IO');
    expect(e.message).toContain('HTTP 503');
    expect(e.message).toContain('(after 3 attempts)');
    expect(gh.requests.map((r) => r.status)).toEqual([503, 503, 503]);
  });

  it('stops waiting to retry as soon as its signal aborts', async () => {
    gh.openPull({ head: 'proposal/wait' });
    for (let i = 0; i < 3; i++) gh.failNext('GET', /\/pulls\/1$/, 503);
    const controller = new AbortController();
    // A retry an hour away: only the abort can end this call within the test.
    const pending = client({ signal: controller.signal, retryDelayMs: 3_600_000 }).get(1);
    while (gh.requests[0]?.status !== 503) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('the job was cancelled'));
    await expect(pending).rejects.toThrow('the job was cancelled');
    expect(gh.requests.map((r) => r.status)).toEqual([503]);
  });

  it('an unreachable server is IO', async () => {
    const url = gh.url;
    await gh.close();
    const e = await failure(new OctokitPullRequests({ apiUrl: url, token: TOKEN, owner: 'octo-org', repo: 'widgets', retries: 1, retryDelayMs: 5, logger: recordingLogger }).get(1));
    expect(e.code).toBe('IO');
    expect(e.message).toContain(`Cannot reach GitHub at ${url}`);
    expect(e.message).toContain('(after 2 attempts)');
  });

  it('a server that never answers is IO once the timeout passes', async () => {
    gh.openPull({ head: 'proposal/slow' });
    gh.hangNext('GET', /\/pulls\/1$/);
    const e = await failure(client({ timeoutMs: 300 }).get(1));
    expect(e.code).toBe('IO');
    expect(e.message).toContain('did not answer within 300 ms while reading pull request #1');
    // Not retried: a hung server would multiply the wait.
    expect(gh.requests).toHaveLength(1);
  });

  it('a body that stops half-way is IO once the timeout passes', async () => {
    gh.openPull({ head: 'proposal/slow-body' });
    gh.hangNext('GET', /\/pulls\/1$/, { afterHeaders: true });
    const e = await failure(client({ timeoutMs: 300 }).get(1));
    expect(e.code).toBe('IO');
    expect(e.message).toContain('did not answer within 300 ms');
  });

  it('bounds every page of a listing by the timeout, not only the first', async () => {
    gh.openPull({ head: 'proposal/many-files' });
    const file = (i: number) => ({ filename: `src/f${i}.ts`, status: 'added', additions: 1, deletions: 0, changes: 1, sha: 'd'.repeat(40), patch: '@@ -0,0 +1 @@\n+x' });
    gh.route('GET', '/repos/:owner/:repo/pulls/:number/files', (ctx) => {
      // The first page answers and leaves the second hanging.
      gh.hangNext('GET', /\/pulls\/1\/files$/);
      return { status: 200, body: Array.from({ length: 100 }, (_, i) => file(i)), headers: { link: `<${gh.url}${ctx.path}?per_page=100&page=2>; rel="next"` } };
    });
    const e = await failure(client({ timeoutMs: 300 }).files(1));
    expect(e.code).toBe('IO');
    expect(e.message).toContain('did not answer within 300 ms while listing the files of pull request #1');
    expect(gh.requests.map((r) => [r.path, r.query.page])).toEqual([
      [`/repos/${REPO}/pulls/1/files`, undefined],
      [`/repos/${REPO}/pulls/1/files`, '2'],
    ]);
  });

  it('refuses bad configuration before any request', () => {
    const make = (o: Partial<OctokitPullRequestsOptions>) => () => new OctokitPullRequests({ apiUrl: gh.url, token: TOKEN, owner: 'octo-org', repo: 'widgets', ...o });
    expect(make({ token: ' ' })).toThrow(expect.objectContaining({ code: 'CONFIG', message: 'No GitHub token is configured.' }));
    expect(make({ owner: 'octo org' })).toThrow(expect.objectContaining({ code: 'CONFIG' }));
    expect(make({ apiUrl: 'api.github.com' })).toThrow(expect.objectContaining({ code: 'CONFIG' }));
    expect(gh.requests).toHaveLength(0);
  });
});
