/** The state and wire types of the loopback GitHub stand-in (fake-github.ts). */

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
