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
  get(number: number): Promise<PullRequestInfo>;
  update(number: number, input: { title?: string; body?: string }): Promise<PullRequestInfo>;
  /** Adds a conversation comment (issue comment) to the PR. */
  comment(number: number, body: string): Promise<void>;
  /** Closes the PR without merging. */
  close(number: number): Promise<PullRequestInfo>;
}
