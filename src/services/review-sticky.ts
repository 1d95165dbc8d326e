import { emptyState, parseSticky, STICKY_MARKER, type ReviewState } from '../domain/review-state.js';
import type { IssueComment, PullRequestReviews } from '../ports/github.js';
import type { Logger } from '../ports/logger.js';

export const UNKNOWN_IDENTITY =
  'agent-os could not tell which account the token acts as (GitHub refused GET /user and GET /app), so no existing summary comment is trusted: this run starts from an empty state and posts a new summary. Use the workflow token (the default) or a token that can read its own user or app.';

/** The pull request's review state as its sticky summary comment holds it. */
export interface LoadedSticky {
  /** The summary comment agent-os wrote (null: none yet, or none it can trust). */
  comment: IssueComment | null;
  /** Its state, or an empty one. */
  state: ReviewState;
  /** Whether a state was read from the comment. */
  found: boolean;
  /** The login our comments appear under (null: unknown). */
  viewer: string | null;
  notes: string[];
}

/**
 * Reads the sticky summary comment. Only one written by the token's own account is trusted: anyone
 * else, bots included, could post a look-alike whose state marks findings fixed or dismissed.
 */
export function stickyOf(comments: readonly IssueComment[], viewer: string | null, logger: Logger): LoadedSticky {
  const notes: string[] = [];
  let comment: IssueComment | null = null;
  if (viewer === null) {
    logger.warn(UNKNOWN_IDENTITY);
    notes.push(UNKNOWN_IDENTITY);
  } else {
    comment = comments.filter((c) => c.user === viewer && c.body.trimStart().startsWith(STICKY_MARKER)).at(-1) ?? null;
  }
  const parsed = comment ? parseSticky(comment.body) : null;
  if (comment && !parsed) notes.push('The state in the summary comment could not be read: this run starts from an empty state.');
  return { comment, state: parsed ?? emptyState(), found: parsed !== null, viewer, notes };
}

export async function loadSticky(github: PullRequestReviews, number: number, logger: Logger): Promise<LoadedSticky> {
  const [comments, viewer] = await Promise.all([github.comments(number), github.viewer()]);
  return stickyOf(comments, viewer, logger);
}
