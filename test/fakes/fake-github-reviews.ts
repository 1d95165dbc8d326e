/**
 * The loopback GitHub stand-in's endpoints for a pull request's files, reviews and review comments,
 * and comparisons. Reviews are validated like GitHub's `POST /pulls/{n}/reviews` (see fake-github.ts).
 * Installed by FakeGitHub itself.
 */
import type { FakeGitHub } from './fake-github.js';
import type { FakeRepo, FakeReview, FakeReviewComment, FakeReviewState, Reply } from './fake-github-types.js';
import { commentableLine, githubError, invalidRequest, MAX_BODY, parsePatch, schemaValue, sha, toSentence, unprocessable, type PatchLine } from './fake-github-replies.js';

/** GitHub lists at most 3000 files of a PR, and at most 300 in a comparison. */
const MAX_PULL_FILES = 3000;
const MAX_COMPARE_FILES = 300;

export function installReviewRoutes(gh: FakeGitHub): void {
  gh.repoRoute('GET', '/pulls/:number/files', (ctx) => {
    const pull = gh.findPull(ctx.repo, ctx.params.number);
    if (!pull) return githubError(404);
    return gh.paginate(pull.files.slice(0, MAX_PULL_FILES).map((f) => gh.fileJson(pull.repo, pull.head.sha, f)), ctx);
  });

  gh.repoRoute('GET', '/pulls/:number/reviews', (ctx) => {
    const pull = gh.findPull(ctx.repo, ctx.params.number);
    if (!pull) return githubError(404);
    return gh.paginate(gh.reviews.filter((r) => r.repo === pull.repo && r.pullNumber === pull.number).map((r) => gh.reviewJson(r)), ctx);
  });

  gh.repoRoute('GET', '/pulls/:number/reviews/:review_id', ({ repo, params }) => {
    const pull = gh.findPull(repo, params.number);
    const review = pull && gh.reviews.find((r) => r.repo === pull.repo && r.pullNumber === pull.number && String(r.id) === params.review_id);
    return review ? { status: 200, body: gh.reviewJson(review) } : githubError(404);
  });

  gh.repoRoute('GET', '/pulls/:number/comments', (ctx) => {
    const pull = gh.findPull(ctx.repo, ctx.params.number);
    if (!pull) return githubError(404);
    const since = ctx.query.get('since');
    const list = gh.reviewComments.filter((c) => c.repo === pull.repo && c.pullNumber === pull.number && (!since || c.updatedAt >= since));
    return gh.paginate(list.map((c) => gh.reviewCommentJson(c)), ctx);
  });

  gh.repoRoute('POST', '/pulls/:number/reviews', ({ repo, params, body }) => createReview(gh, repo, params.number, body));

  gh.repoRoute('GET', '/compare/:basehead', (ctx) => {
    const comparison = gh.comparisons.get(`${ctx.repo.fullName}\0${ctx.params.basehead ?? ''}`);
    if (!comparison) return githubError(404);
    const { repo, base, head } = comparison;
    const commits = comparison.commits.map((c, i) => gh.commitJson(repo, c, comparison.commits[i - 1] ?? sha(repo, base), `Commit ${i + 1} of ${base}...${head}`));
    // Without paging parameters GitHub lists the last 250 commits; with them, a page of commits, and files on page 1 only.
    const paged = ctx.query.has('page') || ctx.query.has('per_page');
    const page = paged ? gh.paginate(commits, ctx) : { status: 200, body: commits.slice(-250) };
    const firstPage = !paged || Math.max(1, Number(ctx.query.get('page') ?? 1) || 1) === 1;
    const baseCommit = gh.commitJson(repo, sha(repo, base), sha(repo, base, 'parent'), `Tip of ${base}`);
    const html = `${gh.webUrl}/${repo}/compare/${base}...${head}`;
    return {
      ...page,
      body: {
        url: `${gh.url}/repos/${repo}/compare/${base}...${head}`,
        html_url: html,
        permalink_url: `${gh.webUrl}/${repo}/compare/${sha(repo, base).slice(0, 7)}...${(comparison.commits.at(-1) ?? sha(repo, base)).slice(0, 7)}`,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        base_commit: baseCommit,
        merge_base_commit: baseCommit,
        status: comparison.status,
        ahead_by: comparison.aheadBy,
        behind_by: comparison.behindBy,
        total_commits: comparison.aheadBy,
        commits: page.body,
        files: firstPage ? comparison.files.slice(0, MAX_COMPARE_FILES).map((f) => gh.fileJson(repo, comparison.commits.at(-1) ?? head, f)) : [],
      },
    };
  });
}

/** `POST /repos/{o}/{r}/pulls/{n}/reviews`, validated as GitHub does; a rejected review stores nothing. */
function createReview(gh: FakeGitHub, repo: FakeRepo, number: string | undefined, body: unknown): Reply {
  const pull = gh.findPull(repo, number);
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
  if (pull.user === gh.login && event === 'APPROVE') return unprocessable(['Can not approve your own pull request']);
  if (pull.user === gh.login && event === 'REQUEST_CHANGES') return unprocessable(['Can not request changes on your own pull request']);
  if (gh.login === 'github-actions[bot]' && event === 'APPROVE' && !gh.allowActionsApprovals) return unprocessable(['GitHub Actions is not permitted to approve pull requests.']);

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
      user: gh.login,
    });
  }
  if (failures.length) return unprocessable([toSentence(failures)]);

  const text = (input.body as string | undefined) ?? '';
  if (text.length > MAX_BODY || resolved.some((c) => c.body.length > MAX_BODY)) return unprocessable([`Body is too long (maximum is ${MAX_BODY} characters)`]);
  if (event === 'REQUEST_CHANGES' && text === '' && comments.length === 0) return unprocessable(['You need to leave a comment indicating the requested changes.']);
  if (event === 'COMMENT' && text === '' && comments.length === 0) return unprocessable(['']);
  if (event === undefined && gh.reviews.some((r) => r.repo === pull.repo && r.pullNumber === pull.number && r.user === gh.login && r.state === 'PENDING')) {
    return unprocessable(['User can only have one pending review per pull request']);
  }

  const at = gh.now();
  const states: Record<string, FakeReviewState> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };
  const review: FakeReview = {
    id: gh.newId(),
    repo: pull.repo,
    pullNumber: pull.number,
    user: gh.login,
    body: text,
    state: event ? (states[event] ?? 'COMMENTED') : 'PENDING',
    commitId,
    submittedAt: event ? at : null,
  };
  gh.reviews.push(review);
  for (const c of resolved) gh.reviewComments.push({ ...c, id: gh.newId(), reviewId: review.id, createdAt: at, updatedAt: at });
  pull.updatedAt = at;
  return { status: 200, body: gh.reviewJson(review) };
}
