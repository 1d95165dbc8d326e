/**
 * The Octokit conversation adapter against the loopback GitHub stand-in: permissions, reactions,
 * review threads and replies, GraphQL `resolveReviewThread`, and the history of closed pull requests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AgentOsError } from '../../src/domain/errors.js';
import { OctokitConversation } from '../../src/infra/github-conversation.js';
import { FakeGitHub } from '../fakes/fake-github.js';
import { FakeConversation } from '../fakes/fake-github-conversation.js';

const TOKEN = 'test-token-c0nv';

let gh: FakeGitHub;
let talk: FakeConversation;

function client(): OctokitConversation {
  return new OctokitConversation({ apiUrl: gh.url, token: TOKEN, owner: 'octo-org', repo: 'widgets', timeoutMs: 5_000, retryDelayMs: 5, knownLogin: 'github-actions[bot]' });
}

/** PR #1 with one inline comment by the bot on line 1 of src/a.ts; resolves to that comment's id. */
function seedThread(): number {
  gh.setBranch('feature', 'b'.repeat(40));
  gh.openPull({ head: 'feature', title: 'Feature', user: 'octocat' });
  gh.setPullFiles(1, [{ filename: 'src/a.ts', patch: '@@ -0,0 +1,2 @@\n+const a = 1;\n+const b = 2;' }]);
  gh.reviews.push({ id: 500, repo: 'octo-org/widgets', pullNumber: 1, user: gh.login, body: '', state: 'COMMENTED', commitId: 'b'.repeat(40), submittedAt: gh.now() });
  const at = gh.now();
  gh.reviewComments.push({ id: 600, reviewId: 500, repo: 'octo-org/widgets', pullNumber: 1, path: 'src/a.ts', line: 1, side: 'RIGHT', startLine: null, startSide: null, position: 1, diffHunk: '@@ -0,0 +1,2 @@\n+const a = 1;', body: 'Finding <!-- agent-os:finding 0123456789ab -->', commitId: 'b'.repeat(40), user: gh.login, createdAt: at, updatedAt: at });
  return 600;
}

beforeEach(async () => {
  gh = await FakeGitHub.start({ token: TOKEN, repos: ['octo-org/widgets'], login: 'github-actions[bot]' });
  talk = FakeConversation.install(gh);
});
afterEach(async () => {
  await gh.close();
});

describe('OctokitConversation against the GitHub stand-in', () => {
  it('reads permissions by role, with maintain and custom roles, and none for an unknown user', async () => {
    talk.setPermission('alice', 'maintain');
    talk.setPermission('bob', 'read');
    talk.setPermission('carol', 'admin');
    const c = client();
    expect(await c.permission('alice')).toBe('maintain');
    expect(await c.permission('bob')).toBe('read');
    expect(await c.permission('carol')).toBe('admin');
    // A private repository's stranger has no permission; a login GitHub rejects is 'none' without asking.
    expect(await c.permission('mallory')).toBe('none');
    const before = gh.requests.length;
    expect(await c.permission('../evil')).toBe('none');
    expect(gh.requests.length).toBe(before);
  });

  it('reacts to issue and review comments and takes a reaction back', async () => {
    const top = seedThread();
    const said = talk.addIssueComment(1, 'octocat', '/agent-os help');
    const c = client();
    const eyes = await c.react({ kind: 'issue', id: said.id }, 'eyes');
    await c.react({ kind: 'review', id: top }, 'confused');
    expect(talk.reactionsOn('issue', said.id)).toEqual(['eyes']);
    await c.unreact({ kind: 'issue', id: said.id }, eyes);
    await c.react({ kind: 'issue', id: said.id }, '+1');
    expect(talk.reactionsOn('issue', said.id)).toEqual(['+1']);
    expect(talk.reactionsOn('review', top)).toEqual(['confused']);
  });

  it('reads a thread, replies in it and resolves it once', async () => {
    const top = seedThread();
    const human = talk.addReviewReply(top, 'octocat', '/agent-os dismiss not a secret');
    const c = client();
    expect(await c.reviewComment(human.id)).toMatchObject({ id: human.id, user: 'octocat', inReplyTo: top, path: 'src/a.ts', line: 1 });
    const reply = await c.replyToReviewComment(1, top, 'Dismissed.');
    expect(reply).toMatchObject({ inReplyTo: top, user: 'github-actions[bot]', body: 'Dismissed.' });
    expect((await c.reviewComments(1)).map((x) => x.id)).toEqual([top, human.id, reply.id]);
    expect(await c.resolveThread(1, top)).toBe('resolved');
    expect(talk.resolved.has(top)).toBe(true);
    expect(await c.resolveThread(1, top)).toBe('already');
    expect(await c.resolveThread(1, 999_999)).toBe('not-found');
    expect(talk.graphqlCalls.map((q) => q.operation)).toEqual(['query', 'mutation', 'query', 'query']);
  });

  it('turns a GraphQL error into an AgentOsError', async () => {
    const c = new OctokitConversation({ apiUrl: gh.url, token: TOKEN, owner: 'octo-org', repo: 'missing', timeoutMs: 5_000 });
    const e = await c.resolveThread(1, 1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AgentOsError);
    expect((e as AgentOsError).code).toBe('NOT_FOUND');
    expect((e as AgentOsError).message).toContain("Could not resolve to a Repository with the name 'octo-org/missing'");
  });

  it('lists the most recently closed pull requests, merged or not', async () => {
    for (const name of ['a', 'b', 'c', 'd']) {
      gh.setBranch(name, name.repeat(40));
      gh.openPull({ head: name, title: `PR ${name}` });
    }
    gh.mergePull(2, { by: 'octocat' });
    gh.closePull(1);
    gh.mergePull(4, { by: 'octocat' });
    const closed = await client().closedPulls(2);
    expect(closed.map((p) => [p.number, p.merged])).toEqual([
      [4, true],
      [1, false],
    ]);
    expect(closed[0]!.url).toBe('https://github.com/octo-org/widgets/pull/4');
  });
});
