import type { RepoPermission } from '../domain/pr-commands.js';

/** A pull request as the proposal workflow sees it. */
export interface PullRequestInfo {
  number: number;
  /** The PR's web page (`html_url`). */
  url: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  /** Login of whoever merged it, when merged. */
  mergedBy: string | null;
  mergedAt: string | null;
  /** Head branch name (without `refs/heads/`) and its tip. */
  headRef: string;
  headSha: string;
  baseRef: string;
  title: string;
  body: string;
  labels: string[];
}

export interface OpenDraftInput {
  /** Branch holding the proposal (already pushed). */
  head: string;
  /** Branch it should be merged into. */
  base: string;
  title: string;
  body: string;
  /** Labels added after creation (created on the repository when missing). */
  labels: string[];
}

/**
 * Pull requests of one GitHub repository (github.com or GitHub Enterprise). Failures are AgentOsErrors:
 * CONFIG for a missing or insufficient token, NOT_FOUND for an unknown repository or PR, BAD_INPUT for a
 * request GitHub refuses (422, with its message), IO for network failures and 5xx after retries.
 */
export interface PullRequests {
  /** `owner/name` of the repository. */
  readonly repository: string;
  /**
   * Opens a draft PR and labels it. Where the repository does not allow drafts, opens a regular PR and
   * says so in `note`.
   */
  openDraft(input: OpenDraftInput): Promise<PullRequestInfo & { note?: string }>;
  /** The newest PR (any state) whose head is `branch` in this repository, or null. */
  findByBranch(branch: string): Promise<PullRequestInfo | null>;
  /**
   * PRs (any state, newest first, the most recent few hundred) whose head branch in this repository
   * starts with `prefix`, in one listing. List entries do not say who merged: `mergedBy` is null there.
   */
  listByHeadPrefix(prefix: string): Promise<PullRequestInfo[]>;
  get(number: number): Promise<PullRequestInfo>;
  update(number: number, input: { title?: string; body?: string }): Promise<PullRequestInfo>;
  /** Adds a conversation comment (issue comment) to the PR. */
  comment(number: number, body: string): Promise<void>;
  /** Closes the PR without merging. */
  close(number: number): Promise<PullRequestInfo>;
}

/** A changed file of a pull request, as the files API lists it. */
export interface PullRequestFile {
  path: string;
  status: string;
  /** The unified diff hunks (absent for binary files and very large diffs). */
  patch: string | null;
  additions: number;
  deletions: number;
  previousPath: string | null;
  /** Blob sha of the file at the head (null when GitHub gives none): what says whether it changed since a review. */
  sha: string | null;
}

/** A pull request with what a review needs beyond `PullRequestInfo`. */
export interface PullRequestDetail extends PullRequestInfo {
  baseSha: string;
  /** `owner/name` of the head repository (null when it was deleted). */
  headRepository: string | null;
  baseRepository: string;
  author: string | null;
  /** How many files the pull request changes (`changed_files`); the file list stops at 3000. */
  changedFiles: number | null;
}

/** A conversation (issue) comment on a pull request. */
export interface IssueComment {
  id: number;
  body: string;
  user: string | null;
  url: string;
}

/** One inline comment of a review, on a line of the new version of a file. */
export interface ReviewLineComment {
  path: string;
  line: number;
  body: string;
}

/** What reviewing a pull request needs of GitHub; failures are AgentOsErrors as for `PullRequests`. */
export interface PullRequestReviews {
  readonly repository: string;
  /**
   * The login whose name our comments appear under: the token's user (`GET /user`), or for an app
   * installation token its app's bot (`GET /app`: `<slug>[bot]`); null when neither can be established.
   */
  viewer(): Promise<string | null>;
  pull(number: number): Promise<PullRequestDetail>;
  /** Every changed file (all pages). */
  files(number: number): Promise<PullRequestFile[]>;
  /** Every conversation comment (all pages). */
  comments(number: number): Promise<IssueComment[]>;
  createComment(number: number, body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<IssueComment>;
  /** Posts one review (`event: COMMENT`) with inline comments on RIGHT-side lines; BAD_INPUT (422) when GitHub refuses a line. */
  createReview(number: number, input: { commitId: string; body: string; comments: ReviewLineComment[] }): Promise<{ id: number; url: string }>;
}

export type { RepoPermission };

/** A review (diff) comment of a pull request. */
export interface ReviewComment {
  id: number;
  body: string;
  user: string | null;
  url: string;
  path: string;
  /** Line in the new version of the file (null when it is outdated or on a removed line). */
  line: number | null;
  /** The first comment of the thread, for a reply; null for a thread's first comment. */
  inReplyTo: number | null;
}

/** A comment a reaction goes on: a conversation (issue) comment or a review comment. */
export interface CommentRef {
  kind: 'issue' | 'review';
  id: number;
}

export type Reaction = 'eyes' | '+1' | 'confused';

/** What answering `/agent-os` commands in a pull request needs of GitHub, beyond reviewing it. */
export interface PullRequestConversation extends PullRequestReviews {
  /** The user's permission on the repository (collaborators permission API); 'none' when GitHub knows no such user. */
  permission(login: string): Promise<RepoPermission>;
  reviewComment(id: number): Promise<ReviewComment>;
  /** Every review comment of the pull request (all pages). */
  reviewComments(number: number): Promise<ReviewComment[]>;
  /** Replies in the review thread that starts with `commentId`. */
  replyToReviewComment(number: number, commentId: number, body: string): Promise<ReviewComment>;
  /** Adds a reaction as the token's account; resolves to its id (to take it back). */
  react(target: CommentRef, content: Reaction): Promise<number>;
  unreact(target: CommentRef, reactionId: number): Promise<void>;
  /**
   * Resolves the review thread whose first comment is `commentId` (GraphQL `resolveReviewThread`):
   * 'resolved', 'already' when it was, 'not-found' when the pull request has no such thread.
   */
  resolveThread(number: number, commentId: number): Promise<'resolved' | 'already' | 'not-found'>;
}

/** A closed pull request, as a history of reviews reads it. */
export interface ClosedPullRequest {
  number: number;
  url: string;
  title: string;
  merged: boolean;
  closedAt: string | null;
}

/** Closed pull requests and their conversation: what `agent-os report --github` reads. */
export interface PullRequestHistory {
  readonly repository: string;
  /** The most recently closed pull requests (merged or not), newest first, at most `limit`. */
  closedPulls(limit: number): Promise<ClosedPullRequest[]>;
  comments(number: number): Promise<IssueComment[]>;
}
