/**
 * The GitHub fake's PR-review surface (PR files, reviews, review comments, issue comment updates,
 * comparisons) driven by the real `@octokit/rest` client, so a review-posting GitHub Action can be tested
 * against GitHub's request and response shapes and its 422s.
 */
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FakeGitHub } from '../fakes/fake-github.js';

const TOKEN = 'test-token-reviews';
const REPO = 'octo-org/widgets';
const where = { owner: 'octo-org', repo: 'widgets' };
const HEAD = 'c'.repeat(40);
const REVIEW_DOCS = 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request';

/**
 * src/cache.ts: old lines 10-14 became new lines 10-15 (old 11 removed, new 11-12 added, the rest context);
 * old lines 40-42 became new lines 41-45 (new 42-43 added). Old and new lines 1-9 and 16-40 are outside the diff.
 */
const CACHE_PATCH = [
  '@@ -10,5 +10,6 @@ export class Cache {',
  '   get(key: string) {',
  '-    return this.map.get(key);',
  '+    const hit = this.map.get(key);',
  '+    return hit ?? null;',
  '   }',
  ' ',
  '   set(key: string, value: string) {',
  '@@ -40,3 +41,5 @@ export class Cache {',
  '   clear() {',
  '+    this.hits = 0;',
  '+    this.misses = 0;',
  '     this.map.clear();',
  '   }',
].join('\n');

let gh: FakeGitHub;
let octokit: Octokit;

interface HttpFailure {
  status: number;
  data: unknown;
}

async function failure(p: Promise<unknown>): Promise<HttpFailure> {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: unknown; response?: { data?: unknown } };
    if (typeof err.status === 'number') return { status: err.status, data: err.response?.data };
    throw e;
  }
  throw new Error('expected the request to fail');
}

/** A PR by someone else (GitHub refuses approvals on your own PR), head at HEAD, with two changed files. */
function openReviewedPull(): number {
  gh.setBranch('feature/cache', HEAD);
  const pull = gh.openPull({ head: 'feature/cache', title: 'Cache hits', user: 'octocat' });
  gh.setPullFiles(pull.number, [
    { filename: 'src/cache.ts', patch: CACHE_PATCH },
    { filename: 'docs/cache.md', patch: '@@ -0,0 +1,2 @@\n+# Cache\n+Hits and misses.' },
    { filename: 'src/store.ts', previous_filename: 'src/old-store.ts' },
  ]);
  return pull.number;
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

beforeEach(async () => {
  gh = await FakeGitHub.start({ token: TOKEN, repos: [REPO] });
  octokit = new Octokit({ auth: TOKEN, baseUrl: gh.url, log: quiet });
});
afterEach(async () => {
  await gh.close();
});

describe('PR files', () => {
  it('lists files with counts from the patch, inferred statuses and GitHub URLs', async () => {
    const number = openReviewedPull();
    const { data } = await octokit.rest.pulls.listFiles({ ...where, pull_number: number });

    expect(data.map((f) => [f.filename, f.status, f.additions, f.deletions, f.changes])).toEqual([
      ['src/cache.ts', 'modified', 4, 1, 5],
      ['docs/cache.md', 'added', 2, 0, 2],
      ['src/store.ts', 'renamed', 0, 0, 0],
    ]);
    const [cache, , store] = data;
    expect(cache?.patch).toBe(CACHE_PATCH);
    expect(cache?.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(cache?.blob_url).toBe(`https://github.com/${REPO}/blob/${HEAD}/src/cache.ts`);
    expect(cache?.raw_url).toBe(`https://github.com/${REPO}/raw/${HEAD}/src/cache.ts`);
    expect(cache?.contents_url).toBe(`${gh.url}/repos/${REPO}/contents/src/cache.ts?ref=${HEAD}`);
    expect(store?.previous_filename).toBe('src/old-store.ts');
    expect(store).not.toHaveProperty('patch');
  });

  it('pages through files 100 at a time and stops at GitHub’s 3000', async () => {
    gh.setBranch('feature/big', HEAD);
    const { number } = gh.openPull({ head: 'feature/big', user: 'octocat' });
    gh.setPullFiles(number, Array.from({ length: 3005 }, (_, i) => ({ filename: `gen/file-${String(i).padStart(4, '0')}.ts`, patch: '@@ -1 +1 @@\n-a\n+b' })));

    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...where, pull_number: number, per_page: 100 });

    expect(files).toHaveLength(3000);
    expect(files[0]?.filename).toBe('gen/file-0000.ts');
    expect(files.at(-1)?.filename).toBe('gen/file-2999.ts');
    const pages = gh.requests.filter((r) => r.path === `/repos/${REPO}/pulls/${number}/files`);
    expect(pages).toHaveLength(30);
    expect(pages.map((r) => r.query.page ?? '1').slice(0, 3)).toEqual(['1', '2', '3']);
  });

  it('reports the files in the pull request’s totals and the head repository', async () => {
    const number = openReviewedPull();
    const { data } = await octokit.rest.pulls.get({ ...where, pull_number: number });

    expect([data.additions, data.deletions, data.changed_files, data.commits]).toEqual([6, 1, 3, 1]);
    expect(data.head.repo?.full_name).toBe(REPO);
    expect(data.head.repo?.fork).toBe(false);
    expect(data.base.repo.full_name).toBe(REPO);

    const fork = gh.openPull({ head: 'contributor:patch-1', user: 'contributor' });
    const forked = await octokit.rest.pulls.get({ ...where, pull_number: fork.number });
    expect(forked.data.head.repo?.full_name).toBe('contributor/widgets');
    expect(forked.data.head.repo?.fork).toBe(true);
  });
});

describe('creating a review', () => {
  it('stores a review with inline comments on added, context and removed lines', async () => {
    const number = openReviewedPull();
    const { status, data: review } = await octokit.rest.pulls.createReview({
      ...where,
      pull_number: number,
      commit_id: HEAD,
      body: 'Two findings.',
      event: 'COMMENT',
      comments: [
        { path: 'src/cache.ts', line: 12, side: 'RIGHT', body: 'Prefer undefined.' },
        { path: 'src/cache.ts', line: 11, side: 'LEFT', body: 'Why was this removed?' },
        { path: 'src/cache.ts', start_line: 42, line: 43, side: 'RIGHT', body: 'Reset in one call.' },
        { path: 'docs/cache.md', position: 2, body: 'Say what a miss is.' },
      ],
    });

    expect(status).toBe(200);
    expect(review).toMatchObject({
      state: 'COMMENTED',
      body: 'Two findings.',
      commit_id: HEAD,
      user: { login: 'agent-os-bot' },
      html_url: `https://github.com/${REPO}/pull/${number}#pullrequestreview-${review.id}`,
      pull_request_url: `${gh.url}/repos/${REPO}/pulls/${number}`,
    });
    expect(review.submitted_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(gh.reviews.map((r) => [r.id, r.state, r.pullNumber])).toEqual([[review.id, 'COMMENTED', number]]);

    const { data: comments } = await octokit.rest.pulls.listReviewComments({ ...where, pull_number: number });
    expect(comments.map((c) => [c.path, c.start_line, c.line, c.side, c.position, c.body])).toEqual([
      ['src/cache.ts', null, 12, 'RIGHT', 4, 'Prefer undefined.'],
      ['src/cache.ts', null, 11, 'LEFT', 2, 'Why was this removed?'],
      ['src/cache.ts', 42, 43, 'RIGHT', 11, 'Reset in one call.'],
      ['docs/cache.md', null, 2, 'RIGHT', 2, 'Say what a miss is.'],
    ]);
    const first = comments[0];
    expect(first).toMatchObject({ pull_request_review_id: review.id, commit_id: HEAD, original_commit_id: HEAD, user: { login: 'agent-os-bot' }, subject_type: 'line' });
    expect(first?.html_url).toBe(`https://github.com/${REPO}/pull/${number}#discussion_r${first?.id}`);
    expect(first?.diff_hunk).toBe(CACHE_PATCH.split('\n').slice(0, 5).join('\n'));
    expect(comments[2]?.diff_hunk.split('\n')[0]).toBe('@@ -40,3 +41,5 @@ export class Cache {');
    expect(gh.reviewComments.map((c) => c.reviewId)).toEqual([review.id, review.id, review.id, review.id]);

    const listed = await octokit.rest.pulls.listReviews({ ...where, pull_number: number });
    expect(listed.data.map((r) => [r.id, r.state])).toEqual([[review.id, 'COMMENTED']]);
    expect((await octokit.rest.pulls.get({ ...where, pull_number: number })).data.review_comments).toBe(4);
  });

  it('rejects the whole review when one comment’s line is outside the diff, storing nothing', async () => {
    const number = openReviewedPull();
    const sent = failure(
      octokit.rest.pulls.createReview({
        ...where,
        pull_number: number,
        body: 'Review',
        event: 'COMMENT',
        comments: [
          { path: 'src/cache.ts', line: 12, body: 'Fine line.' },
          { path: 'src/cache.ts', line: 30, body: 'Between the hunks.' },
        ],
      }),
    );

    expect(await sent).toEqual({
      status: 422,
      data: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'], documentation_url: REVIEW_DOCS, status: '422' },
    });
    expect(gh.reviews).toEqual([]);
    expect(gh.reviewComments).toEqual([]);
  });

  it('takes sides literally: an added line has no LEFT, a removed line has no RIGHT', async () => {
    const number = openReviewedPull();
    // Old line 15 and new line 9 lie outside both hunks; old line 13 is a context line, so LEFT 13 resolves.
    const left = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'COMMENT', comments: [{ path: 'src/cache.ts', line: 15, side: 'LEFT', body: 'x' }] }));
    expect((await left).data).toMatchObject({ errors: ['Line could not be resolved'] });

    const right = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'COMMENT', comments: [{ path: 'src/cache.ts', line: 9, side: 'RIGHT', body: 'x' }] }));
    expect((await right).data).toMatchObject({ errors: ['Line could not be resolved'] });

    const ok = await octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'COMMENT', comments: [{ path: 'src/cache.ts', line: 13, side: 'LEFT', body: 'Context on the old side.' }] });
    expect(ok.status).toBe(200);
    expect(gh.reviewComments.map((c) => [c.line, c.side])).toEqual([[13, 'LEFT']]);
  });

  it('rejects a comment on a file the pull request does not change, and joins several failures into one sentence', async () => {
    const number = openReviewedPull();
    const unknown = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'COMMENT', body: 'x', comments: [{ path: 'src/other.ts', line: 1, body: 'Not in this PR.' }] }));
    expect(await unknown).toEqual({
      status: 422,
      data: { message: 'Unprocessable Entity', errors: ['Path could not be resolved'], documentation_url: REVIEW_DOCS, status: '422' },
    });

    const several = failure(
      octokit.rest.pulls.createReview({
        ...where,
        pull_number: number,
        event: 'COMMENT',
        comments: [
          { path: 'src/other.ts', line: 1, body: 'a' },
          { path: 'src/cache.ts', line: 99, body: 'b' },
          { path: 'README.md', line: 1, body: 'c' },
        ],
      }),
    );
    expect((await several).data).toMatchObject({ errors: ['Path could not be resolved, Line could not be resolved, and Path could not be resolved'] });
    expect(gh.reviews).toEqual([]);
  });

  it('checks multi-line ranges: start before end, both in one hunk', async () => {
    const number = openReviewedPull();
    const backwards = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'COMMENT', comments: [{ path: 'src/cache.ts', start_line: 12, line: 11, body: 'x' }] }));
    expect((await backwards).data).toMatchObject({ errors: ['Pull request review thread start line must precede the end line.'] });

    const acrossHunks = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'COMMENT', comments: [{ path: 'src/cache.ts', start_line: 12, line: 42, body: 'x' }] }));
    expect((await acrossHunks).data).toMatchObject({ errors: ['Pull request review thread start line must be part of the same hunk as the line.'] });
    expect(gh.reviewComments).toEqual([]);
  });

  it('refuses empty, self-approving and off-branch reviews as GitHub does', async () => {
    const number = openReviewedPull();
    const empty = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'COMMENT' }));
    expect(await empty).toMatchObject({ status: 422, data: { message: 'Unprocessable Entity', errors: [''] } });

    const changes = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'REQUEST_CHANGES', body: '' }));
    expect((await changes).data).toMatchObject({ errors: ['You need to leave a comment indicating the requested changes.'] });

    const mergeCommit = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'COMMENT', body: 'x', commit_id: 'd'.repeat(40) }));
    expect((await mergeCommit).data).toMatchObject({ errors: ['The commitOID is not part of the pull request'] });

    const own = gh.openPull({ head: 'bot/own', title: 'Own change' });
    const approveOwn = failure(octokit.rest.pulls.createReview({ ...where, pull_number: own.number, event: 'APPROVE' }));
    expect((await approveOwn).data).toMatchObject({ errors: ['Can not approve your own pull request'] });

    const badEvent = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'SUBMIT' as 'COMMENT', body: 'x' }));
    expect((await badEvent).data).toMatchObject({ message: expect.stringMatching(/^Invalid request\.\n\nFor 'properties\/event', "SUBMIT"/) as unknown });
    expect(gh.reviews).toEqual([]);

    // An older head of the PR is still a valid commit_id; the review then records it.
    gh.setBranch('feature/cache', 'e'.repeat(40));
    const { data } = await octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'APPROVE', commit_id: HEAD });
    expect([data.state, data.commit_id, data.body]).toEqual(['APPROVED', HEAD, '']);
  });

  it('keeps a review without event PENDING, one per user', async () => {
    const number = openReviewedPull();
    const { data } = await octokit.rest.pulls.createReview({ ...where, pull_number: number, comments: [{ path: 'src/cache.ts', line: 12, body: 'Draft.' }] });
    expect(data.state).toBe('PENDING');
    expect(data).not.toHaveProperty('submitted_at');
    expect(data.commit_id).toBe(HEAD);

    const second = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, body: 'Another draft' }));
    expect((await second).data).toMatchObject({ errors: ['User can only have one pending review per pull request'] });
  });

  it('lets github-actions[bot] approve only when the repository allows it', async () => {
    await gh.close();
    gh = await FakeGitHub.start({ token: TOKEN, repos: [REPO], login: 'github-actions[bot]' });
    octokit = new Octokit({ auth: TOKEN, baseUrl: gh.url, log: quiet });
    const number = openReviewedPull();
    const refused = failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'APPROVE' }));
    expect((await refused).data).toMatchObject({ errors: ['GitHub Actions is not permitted to approve pull requests.'] });

    gh.allowActionsApprovals = true;
    expect((await octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'APPROVE' })).data.state).toBe('APPROVED');
  });
});

describe('issue comments', () => {
  it('creates, lists, updates and deletes a comment', async () => {
    const number = openReviewedPull();
    const created = await octokit.rest.issues.createComment({ ...where, issue_number: number, body: 'Review summary v1' });
    expect(created.status).toBe(201);

    const updated = await octokit.rest.issues.updateComment({ ...where, comment_id: created.data.id, body: 'Review summary v2' });
    expect(updated.status).toBe(200);
    expect(updated.data).toMatchObject({ id: created.data.id, body: 'Review summary v2', created_at: created.data.created_at });
    expect(updated.data.updated_at > created.data.updated_at).toBe(true);

    const listed = await octokit.paginate(octokit.rest.issues.listComments, { ...where, issue_number: number, per_page: 100 });
    expect(listed.map((c) => [c.id, c.body])).toEqual([[created.data.id, 'Review summary v2']]);
    expect(gh.issueComments.map((c) => c.body)).toEqual(['Review summary v2']);

    expect(await failure(octokit.rest.issues.updateComment({ ...where, comment_id: 999_999, body: 'x' }))).toMatchObject({ status: 404, data: { message: 'Not Found' } });
    expect((await failure(octokit.rest.issues.updateComment({ ...where, comment_id: created.data.id, body: '' }))).status).toBe(422);

    const deleted = await octokit.rest.issues.deleteComment({ ...where, comment_id: created.data.id });
    expect(deleted.status).toBe(204);
    expect(gh.issueComments).toEqual([]);
    expect((await failure(octokit.rest.issues.deleteComment({ ...where, comment_id: created.data.id }))).status).toBe(404);
  });
});

describe('compare', () => {
  it('answers a registered base...head with status, counts, commits and files; others are 404', async () => {
    const base = 'a'.repeat(40);
    gh.setCompare(base, HEAD, [{ filename: 'src/cache.ts', patch: CACHE_PATCH }], { aheadBy: 2 });

    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...where, basehead: `${base}...${HEAD}` });
    expect([data.status, data.ahead_by, data.behind_by, data.total_commits, data.commits.length]).toEqual(['ahead', 2, 0, 2, 2]);
    expect(data.files?.map((f) => [f.filename, f.status, f.additions, f.deletions, f.patch])).toEqual([['src/cache.ts', 'modified', 4, 1, CACHE_PATCH]]);
    expect(data.commits[1]?.parents[0]?.sha).toBe(data.commits[0]?.sha);
    expect(data.html_url).toBe(`https://github.com/${REPO}/compare/${base}...${HEAD}`);

    gh.setCompare('main', 'feature/cache', [], { aheadBy: 1, behindBy: 3 });
    const branches = await octokit.rest.repos.compareCommitsWithBasehead({ ...where, basehead: 'main...feature/cache' });
    expect([branches.data.status, branches.data.behind_by, branches.data.files]).toEqual(['diverged', 3, []]);

    expect(await failure(octokit.rest.repos.compareCommitsWithBasehead({ ...where, basehead: `${HEAD}...${base}` }))).toMatchObject({ status: 404, data: { message: 'Not Found' } });
  });
});

describe('blob shas, size limits and identity', () => {
  it('keeps a file’s blob sha across pushes unless its patch changes, and takes an explicit one', async () => {
    const number = openReviewedPull();
    const first = (await octokit.rest.pulls.listFiles({ ...where, pull_number: number })).data.find((f) => f.filename === 'src/cache.ts')!.sha;
    gh.setBranch('feature/cache', 'd'.repeat(40));
    gh.setPullFiles(number, [{ filename: 'src/cache.ts', patch: CACHE_PATCH }, { filename: 'src/new.ts', patch: '@@ -0,0 +1 @@\n+x', sha: 'e'.repeat(40) }]);
    const after = (await octokit.rest.pulls.listFiles({ ...where, pull_number: number })).data;
    expect(after.map((f) => [f.filename, f.sha])).toEqual([
      ['src/cache.ts', first],
      ['src/new.ts', 'e'.repeat(40)],
    ]);
  });

  it('refuses a review body over 65,536 characters, as GitHub does', async () => {
    const number = openReviewedPull();
    const refused = await failure(octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'COMMENT', body: 'x'.repeat(65_537) }));
    expect(refused).toMatchObject({ status: 422, data: { errors: ['Body is too long (maximum is 65536 characters)'] } });
    expect(gh.reviews).toEqual([]);
    expect((await octokit.rest.pulls.createReview({ ...where, pull_number: number, event: 'COMMENT', body: 'x'.repeat(65_536) })).status).toBe(200);
  });

  it('GET /user answers a user token; an installation token gets 403 there and its app from GET /app', async () => {
    expect((await octokit.rest.users.getAuthenticated()).data.login).toBe('agent-os-bot');
    expect(await failure(octokit.rest.apps.getAuthenticated())).toMatchObject({ status: 401, data: { message: 'A JSON web token could not be decoded' } });

    await gh.close();
    gh = await FakeGitHub.start({ token: TOKEN, repos: [REPO], login: 'github-actions[bot]' });
    octokit = new Octokit({ auth: TOKEN, baseUrl: gh.url, log: quiet });
    expect(await failure(octokit.rest.users.getAuthenticated())).toMatchObject({ status: 403, data: { message: 'Resource not accessible by integration' } });
    expect((await octokit.rest.apps.getAuthenticated()).data).toMatchObject({ slug: 'github-actions' });
    gh.appSlug = null;
    expect((await failure(octokit.rest.apps.getAuthenticated())).status).toBe(403);
  });
});
