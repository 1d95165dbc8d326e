import { AgentOsError, isAgentOsError } from '../domain/errors.js';
import type { ClosedPullRequest, CommentRef, PullRequestConversation, PullRequestHistory, Reaction, RepoPermission, ReviewComment } from '../ports/github.js';
import { checkNumber, OctokitPullRequests, PERMISSION_HINT, type WirePull } from './github-octokit.js';

/**
 * The pull-request conversation (who may command, reactions, review threads, GraphQL
 * `resolveReviewThread`) and the history of closed pull requests, through the same Octokit client,
 * limits and error mapping as `OctokitPullRequests`.
 */
export class OctokitConversation extends OctokitPullRequests implements PullRequestConversation, PullRequestHistory {
  async permission(login: string): Promise<RepoPermission> {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(login)) return 'none';
    try {
      const data = await this.call(`reading the permission of ${login}`, (o, request) => o.rest.repos.getCollaboratorPermissionLevel({ ...this.where(), username: login, request }), true);
      return permissionOf(data);
    } catch (e) {
      // GitHub knows no such user, or not as a collaborator: no permission.
      if (isAgentOsError(e) && e.code === 'NOT_FOUND') return 'none';
      throw e;
    }
  }

  async reviewComment(id: number): Promise<ReviewComment> {
    checkNumber(id);
    return toReviewComment(await this.call(`reading review comment ${id}`, (o, request) => o.rest.pulls.getReviewComment({ ...this.where(), comment_id: id, request }), true));
  }

  async reviewComments(number: number): Promise<ReviewComment[]> {
    checkNumber(number);
    const comments = await this.list<unknown>(`listing the review comments of pull request #${number}`, (o) => o.rest.pulls.listReviewComments, { pull_number: number }, { pages: 30 });
    return comments.map(toReviewComment);
  }

  async replyToReviewComment(number: number, commentId: number, body: string): Promise<ReviewComment> {
    checkNumber(number);
    checkNumber(commentId);
    return toReviewComment(
      await this.call(`replying to review comment ${commentId}`, (o, request) => o.rest.pulls.createReplyForReviewComment({ ...this.where(), pull_number: number, comment_id: commentId, body, request })),
    );
  }

  async react(target: CommentRef, content: Reaction): Promise<number> {
    checkNumber(target.id);
    const what = `reacting to comment ${target.id}`;
    const data = await this.call(what, (o, request) =>
      target.kind === 'issue'
        ? o.rest.reactions.createForIssueComment({ ...this.where(), comment_id: target.id, content, request })
        : o.rest.reactions.createForPullRequestReviewComment({ ...this.where(), comment_id: target.id, content, request }),
    );
    return data.id;
  }

  async unreact(target: CommentRef, reactionId: number): Promise<void> {
    checkNumber(target.id);
    checkNumber(reactionId);
    // 204 No Content: there is no body to check.
    await this.call(`removing a reaction from comment ${target.id}`, async (o, request) => {
      if (target.kind === 'issue') await o.rest.reactions.deleteForIssueComment({ ...this.where(), comment_id: target.id, reaction_id: reactionId, request });
      else await o.rest.reactions.deleteForPullRequestComment({ ...this.where(), comment_id: target.id, reaction_id: reactionId, request });
      return { data: {} };
    });
  }

  async resolveThread(number: number, commentId: number): Promise<'resolved' | 'already' | 'not-found'> {
    checkNumber(number);
    checkNumber(commentId);
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const data: ThreadsPage = await this.graphql(`listing the review threads of pull request #${number}`, THREADS_QUERY, { owner: this.owner, repo: this.repo, number, cursor });
      const threads = data.repository?.pullRequest?.reviewThreads;
      if (!threads) return 'not-found';
      const thread = threads.nodes.find((t) => t.comments.nodes.some((c) => c.databaseId === commentId));
      if (thread) {
        if (thread.isResolved) return 'already';
        await this.graphql(`resolving the review thread of comment ${commentId}`, RESOLVE_MUTATION, { threadId: thread.id });
        return 'resolved';
      }
      if (!threads.pageInfo.hasNextPage || !threads.pageInfo.endCursor) return 'not-found';
      cursor = threads.pageInfo.endCursor;
    }
    return 'not-found';
  }

  // ── History ──

  async closedPulls(limit: number): Promise<ClosedPullRequest[]> {
    const want = Math.max(0, Math.min(1000, Math.floor(limit)));
    if (want === 0) return [];
    const list = await this.list<WirePull & { closed_at?: string | null }>(
      'listing closed pull requests',
      (o) => o.rest.pulls.list,
      { state: 'closed', sort: 'updated', direction: 'desc' },
      { pages: 10, enough: (items) => items.length >= want },
    );
    const out: ClosedPullRequest[] = list.map((p) => ({ number: p.number, url: p.html_url, title: p.title, merged: Boolean(p.merged_at), closedAt: p.closed_at ?? null }));
    // Listed by last update: the most recently closed ones first.
    return out.sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? '') || b.number - a.number).slice(0, want);
  }

  /** One GraphQL request, bounded and classified like REST calls; GraphQL errors become AgentOsErrors. */
  private async graphql<T>(what: string, query: string, variables: Record<string, unknown>): Promise<T> {
    try {
      return await this.call(what, async (o, request) => ({ data: await o.graphql<T & object>(query, { ...variables, request }) }));
    } catch (e) {
      // Octokit throws GraphqlResponseError (its `errors` are GitHub's); `call` keeps it as the cause.
      const errors = ((isAgentOsError(e) ? e.cause : e) as { errors?: Array<{ type?: string; message?: string }> } | null)?.errors;
      if (!Array.isArray(errors)) throw e;
      const said = errors.map((x) => x.message).filter(Boolean).join('; ');
      const code = errors.some((x) => x.type === 'NOT_FOUND') ? 'NOT_FOUND' : errors.some((x) => x.type === 'FORBIDDEN') ? 'CONFIG' : 'BAD_INPUT';
      throw new AgentOsError(code, `GitHub's GraphQL API refused ${what} in ${this.repository}: ${said}`, {
        cause: isAgentOsError(e) ? e.cause : e,
        ...(code === 'CONFIG' ? { hint: PERMISSION_HINT } : {}),
      });
    }
  }
}

const THREADS_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { databaseId } } }
      }
    }
  }
}`;

const RESOLVE_MUTATION = `mutation($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}`;

interface ThreadsPage {
  repository?: {
    pullRequest?: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: Array<{ id: string; isResolved: boolean; comments: { nodes: Array<{ databaseId: number | null }> } }>;
      } | null;
    } | null;
  } | null;
}

const ROLES: readonly RepoPermission[] = ['admin', 'maintain', 'write', 'triage', 'read', 'none'];

/** `role_name` when it is a base role; a custom role counts as the base its `permission` names. */
function permissionOf(data: unknown): RepoPermission {
  const d = data as { role_name?: unknown; permission?: unknown };
  const role = ROLES.find((r) => r === d.role_name);
  if (role) return role;
  return ROLES.find((r) => r === d.permission) ?? 'none';
}

function toReviewComment(data: unknown): ReviewComment {
  const c = data as { id?: number; body?: string | null; user?: { login?: string } | null; html_url?: string; path?: string; line?: number | null; in_reply_to_id?: number | null };
  if (typeof c.id !== 'number') throw new AgentOsError('IO', 'GitHub sent a review comment without an id.');
  return {
    id: c.id,
    body: c.body ?? '',
    user: c.user?.login ?? null,
    url: c.html_url ?? '',
    path: c.path ?? '',
    line: typeof c.line === 'number' ? c.line : null,
    inReplyTo: typeof c.in_reply_to_id === 'number' ? c.in_reply_to_id : null,
  };
}
