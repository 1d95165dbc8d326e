/**
 * What the loopback GitHub stand-in answers for conversations on a pull request: a collaborator's
 * permission, reactions on issue and review comments, replies in review threads, single review
 * comments, and the GraphQL endpoint's review threads (`reviewThreads`, `resolveReviewThread`).
 * Installed on a running FakeGitHub:
 *
 *   const github = await FakeGitHub.start({ login: 'github-actions[bot]' });
 *   const talk = FakeConversation.install(github);
 *   talk.setPermission('maintainer', 'write');
 *   const comment = talk.addIssueComment(1, 'maintainer', '/agent-os help');
 */
import type { FakeGitHub, FakeIssueComment, FakeRepo, FakeReviewComment, Reply, RouteContext } from './fake-github.js';
import { githubError, validationFailed } from './fake-github.js';

export type FakePermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface FakeReaction {
  id: number;
  /** `issue` for conversation comments, `review` for review (diff) comments. */
  kind: 'issue' | 'review';
  commentId: number;
  user: string;
  content: string;
  createdAt: string;
}

/** GitHub's eight reactions. */
const REACTIONS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'];
/** The legacy `permission` field folds maintain into write and triage into read. */
const LEGACY: Record<FakePermission, string> = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read', none: 'none' };
const RANK: Record<FakePermission, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export class FakeConversation {
  readonly reactions: FakeReaction[] = [];
  /** Ids of the review threads (by their first comment) that are resolved. */
  readonly resolved = new Set<number>();
  /** GraphQL requests, in order: the operation's first word and its variables. */
  readonly graphqlCalls: Array<{ operation: string; variables: Record<string, unknown> }> = [];
  private readonly permissions = new Map<string, FakePermission>();

  private constructor(private readonly gh: FakeGitHub) {}

  static install(gh: FakeGitHub): FakeConversation {
    const talk = new FakeConversation(gh);
    talk.register();
    return talk;
  }

  /** A user's permission on every repository (default: read on public ones, none on private ones). */
  setPermission(login: string, permission: FakePermission): void {
    this.permissions.set(login.toLowerCase(), permission);
  }

  /** A conversation comment written by `user` (as if through the web UI). */
  addIssueComment(number: number, user: string, body: string, repo?: string): FakeIssueComment {
    const pull = this.gh.pull(number, repo);
    const at = this.gh.now();
    const comment: FakeIssueComment = { id: this.gh.newId(), repo: pull.repo, issueNumber: number, body, user, createdAt: at, updatedAt: at };
    this.gh.issueComments.push(comment);
    return comment;
  }

  /** A reply by `user` in the review thread that starts with `inReplyTo`. */
  addReviewReply(inReplyTo: number, user: string, body: string): FakeReviewComment {
    const top = this.gh.reviewComments.find((c) => c.id === inReplyTo);
    if (!top) throw new Error(`fake GitHub: no review comment ${inReplyTo}`);
    const at = this.gh.now();
    const reply: FakeReviewComment = { ...top, id: this.gh.newId(), body, user, createdAt: at, updatedAt: at, inReplyTo: top.inReplyTo ?? top.id };
    this.gh.reviewComments.push(reply);
    return reply;
  }

  /** The reactions on one comment, as `content` strings. */
  reactionsOn(kind: 'issue' | 'review', commentId: number): string[] {
    return this.reactions.filter((r) => r.kind === kind && r.commentId === commentId).map((r) => r.content);
  }

  private permissionOf(repo: FakeRepo, login: string): FakePermission {
    return this.permissions.get(login.toLowerCase()) ?? (repo.private ? 'none' : 'read');
  }

  private register(): void {
    const gh = this.gh;
    gh.repoRoute('GET', '/collaborators/:username/permission', ({ repo, params }) => {
      const login = params.username ?? '';
      if (!/^[A-Za-z0-9-]+(?:\[bot\])?$/.test(login)) return githubError(404);
      const permission = this.permissionOf(repo, login);
      const rank = RANK[permission];
      const permissions = { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 };
      return { status: 200, body: { permission: LEGACY[permission], role_name: permission, user: { ...gh.userJson(login), permissions, role_name: permission } } };
    });

    const findReviewComment = (repo: FakeRepo, id: string | undefined): FakeReviewComment | undefined =>
      gh.reviewComments.find((c) => c.repo === repo.fullName && String(c.id) === id);

    gh.repoRoute('GET', '/pulls/comments/:comment_id', ({ repo, params }) => {
      const comment = findReviewComment(repo, params.comment_id);
      return comment ? { status: 200, body: gh.reviewCommentJson(comment) } : githubError(404);
    });

    gh.repoRoute('POST', '/pulls/:number/comments/:comment_id/replies', ({ repo, params, body }) => {
      const top = findReviewComment(repo, params.comment_id);
      if (!top || String(top.pullNumber) !== params.number) return githubError(404);
      const text = (body as { body?: unknown } | null)?.body;
      if (typeof text !== 'string' || text === '') return validationFailed({ resource: 'PullRequestReviewComment', code: 'missing_field', field: 'body' });
      if (text.length > 65536) return validationFailed({ resource: 'PullRequestReviewComment', code: 'custom', field: 'body', message: 'Body is too long (maximum is 65536 characters)' });
      const at = gh.now();
      const reply: FakeReviewComment = { ...top, id: gh.newId(), body: text, user: gh.login, createdAt: at, updatedAt: at, inReplyTo: top.inReplyTo ?? top.id };
      gh.reviewComments.push(reply);
      return { status: 201, body: gh.reviewCommentJson(reply) };
    });

    for (const [kind, path] of [
      ['issue', '/issues/comments/:comment_id/reactions'],
      ['review', '/pulls/comments/:comment_id/reactions'],
    ] as const) {
      const exists = (repo: FakeRepo, id: string | undefined): boolean =>
        kind === 'issue' ? gh.issueComments.some((c) => c.repo === repo.fullName && String(c.id) === id) : findReviewComment(repo, id) !== undefined;
      gh.repoRoute('POST', path, ({ repo, params, body }) => {
        if (!exists(repo, params.comment_id)) return githubError(404);
        const content = (body as { content?: unknown } | null)?.content;
        if (typeof content !== 'string' || !REACTIONS.includes(content)) {
          return { status: 422, body: { message: `Invalid request.\n\nFor 'properties/content', ${JSON.stringify(content ?? null)} is not a member of ${JSON.stringify(REACTIONS)}.`, status: '422' } };
        }
        const commentId = Number(params.comment_id);
        // Reacting twice with the same content returns the existing reaction (200), as GitHub does.
        const same = this.reactions.find((r) => r.kind === kind && r.commentId === commentId && r.user === gh.login && r.content === content);
        if (same) return { status: 200, body: this.reactionJson(same) };
        const reaction: FakeReaction = { id: gh.newId(), kind, commentId, user: gh.login, content, createdAt: gh.now() };
        this.reactions.push(reaction);
        return { status: 201, body: this.reactionJson(reaction) };
      });
      gh.repoRoute('DELETE', `${path}/:reaction_id`, ({ repo, params }) => {
        if (!exists(repo, params.comment_id)) return githubError(404);
        const at = this.reactions.findIndex((r) => r.kind === kind && String(r.commentId) === params.comment_id && String(r.id) === params.reaction_id);
        if (at < 0) return githubError(404);
        this.reactions.splice(at, 1);
        return { status: 204 };
      });
    }

    gh.route('POST', '/graphql', (ctx) => this.graphql(ctx));
  }

  private reactionJson(r: FakeReaction): Record<string, unknown> {
    return { id: r.id, node_id: `REA_${r.id}`, user: this.gh.userJson(r.user), content: r.content, created_at: r.createdAt };
  }

  /**
   * The two operations agent-os sends, recognised by the fields they select. Variables are checked
   * as GitHub's schema would; anything else is answered with a GraphQL error, as GitHub does (200).
   */
  private graphql(ctx: RouteContext): Reply {
    const input = (ctx.body ?? {}) as { query?: unknown; variables?: unknown };
    const query = typeof input.query === 'string' ? input.query : '';
    const variables = (typeof input.variables === 'object' && input.variables !== null ? input.variables : {}) as Record<string, unknown>;
    const error = (message: string, type?: string): Reply => ({ status: 200, body: { data: null, errors: [{ message, ...(type ? { type } : {}) }] } });
    this.graphqlCalls.push({ operation: query.trim().split(/[\s({]/)[0] ?? '', variables });
    if (/\bresolveReviewThread\s*\(/.test(query)) {
      const threadId = variables['threadId'];
      const id = typeof threadId === 'string' ? /^PRRT_(\d+)$/.exec(threadId)?.[1] : undefined;
      const top = id ? this.gh.reviewComments.find((c) => String(c.id) === id && !c.inReplyTo) : undefined;
      if (!top) return error(`Could not resolve to a node with the global id of '${String(threadId)}'`, 'NOT_FOUND');
      this.resolved.add(top.id);
      return { status: 200, body: { data: { resolveReviewThread: { thread: { id: `PRRT_${top.id}`, isResolved: true } } } } };
    }
    if (/\breviewThreads\s*\(/.test(query)) {
      const { owner, repo: name, number, cursor } = variables;
      if (typeof owner !== 'string' || typeof name !== 'string' || typeof number !== 'number') return error('Variable $number of type Int! was provided invalid value');
      const repo = this.gh.repos.get(`${owner}/${name}`);
      if (!repo) return error(`Could not resolve to a Repository with the name '${owner}/${name}'.`, 'NOT_FOUND');
      if (!this.gh.pulls.some((p) => p.repo === repo.fullName && p.number === number)) return error(`Could not resolve to a PullRequest with the number of ${number}.`, 'NOT_FOUND');
      const threads = this.gh.reviewComments.filter((c) => c.repo === repo.fullName && c.pullNumber === number && !c.inReplyTo);
      const perPage = Number(/reviewThreads\s*\(\s*first:\s*(\d+)/.exec(query)?.[1] ?? 100);
      const start = typeof cursor === 'string' ? Number(Buffer.from(cursor, 'base64').toString('utf8')) : 0;
      const page = threads.slice(start, start + perPage);
      const end = start + page.length;
      return {
        status: 200,
        body: {
          data: {
            repository: {
              pullRequest: {
                reviewThreads: {
                  pageInfo: { hasNextPage: end < threads.length, endCursor: page.length ? Buffer.from(String(end)).toString('base64') : null },
                  nodes: page.map((c) => ({ id: `PRRT_${c.id}`, isResolved: this.resolved.has(c.id), comments: { nodes: [{ databaseId: c.id }] } })),
                },
              },
            },
          },
        },
      };
    }
    return error('This stand-in answers only reviewThreads and resolveReviewThread.');
  }
}
