import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { issueCommentEvent, pullRequestEvent, reviewCommentEvent, runBundledAction } from '../fakes/action-runner.js';
import { FakeGitHub } from '../fakes/fake-github.js';
import { FakeConversation } from '../fakes/fake-github-conversation.js';
import { startFakeLlm, type FakeLlm, type FakeRequest } from '../fakes/fake-llm.js';
import { makeRepo, type TempRepo } from '../fakes/git-repo.js';

/**
 * Reviews as a conversation, through the bundled Action: GitHub's webhook payloads (pull_request,
 * issue_comment, pull_request_review_comment), the loopback GitHub stand-in (permissions, reactions,
 * threads, GraphQL) and a loopback model. The checkout's remote is a plain directory: the repository
 * the Action talks to comes from GITHUB_REPOSITORY.
 */

const STANDARD = `---
applies_to: ["src/**"]
---
# Secrets

## Context
Credentials in code leak through history.

## Pattern
Never commit secrets: read them from the environment (process.env) or a secret manager.

## Examples
const password = process.env.DB_PASSWORD;

## Anti-patterns
String literals holding passwords.
`;
const APP = Array.from({ length: 20 }, (_, i) => `export const line${i + 1} = ${i + 1};`).join('\n') + '\n';

interface Finding {
  path: string;
  line: number;
  severity: 'info' | 'warning' | 'error';
  title: string;
  body: string;
  suggestion: string | null;
  standard: string | null;
}

const HARD_CODED: Finding = { path: 'src/app.ts', line: 15, severity: 'error', title: 'Hard-coded password', body: 'A credential is committed in source.', suggestion: null, standard: 'security/secrets.md' };

describe('the Action answers /agent-os commands in pull request comments', () => {
  let repo: TempRepo;
  let remote: string;
  let github: FakeGitHub;
  let talk: FakeConversation;
  let llm: FakeLlm;
  let temp: string;
  let base: string;
  let head: string;
  let findings: Record<'security' | 'engineer', Finding[]>;
  let draft: (req: FakeRequest) => string;

  beforeEach(async () => {
    temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-talk-')));
    remote = path.join(temp, 'remote.git');
    repo = makeRepo();
    repo.git('init', '-q', '--bare', remote);
    repo.git('remote', 'add', 'origin', remote);
    repo.write('.agent-os/standards/security/secrets.md', STANDARD);
    repo.write('src/app.ts', APP);
    repo.commitAll('base');
    base = repo.git('rev-parse', 'HEAD').trim();
    repo.git('push', '-q', 'origin', 'main');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('src/app.ts', APP.replace('export const line15 = 15;', 'export const password = "hunter2";'));
    repo.commitAll('head');
    head = repo.git('rev-parse', 'HEAD').trim();

    github = await FakeGitHub.start({ repos: ['octo-org/widgets'], login: 'github-actions[bot]' });
    talk = FakeConversation.install(github);
    talk.setPermission('maintainer', 'write');
    talk.setPermission('reader', 'read');
    github.setBranch('main', base);
    github.setBranch('feature', head);
    github.openPull({ head: 'feature', base: 'main', title: 'Add the database password', user: 'octocat' });
    listFiles(head);
    findings = { security: [HARD_CODED], engineer: [] };
    draft = () => JSON.stringify({ domain: 'x', topic: 'y', content: 'not a standard' });
    llm = await startFakeLlm((req: FakeRequest) => {
      const format = req.body['response_format'] as { json_schema?: { name?: string } } | undefined;
      if (format?.json_schema?.name === 'standard_draft') return { kind: 'answer', content: draft(req) };
      const who = req.text.includes('your domain is "security"') ? 'security' : 'engineer';
      if (format) return { kind: 'answer', content: JSON.stringify({ summary: `${who} review`, findings: req.text.includes('+++ b/src/app.ts') && req.text.includes('hunter2') ? findings[who] : [] }) };
      return { kind: 'answer', content: `## Summary\n${who} review` };
    });
  });
  afterEach(async () => {
    await github.close();
    await llm.close();
    repo.cleanup();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  function listFiles(tip: string): void {
    const names = repo.git('diff', '--name-only', base, tip).split('\n').filter(Boolean);
    github.setPullFiles(
      1,
      names.map((filename) => {
        const diff = repo.git('diff', '--no-color', base, tip, '--', filename);
        return { filename, patch: diff.slice(diff.indexOf('@@')).replace(/\n$/, ''), sha: repo.git('rev-parse', `${tip}:${filename}`).trim() };
      }),
    );
  }

  const MODEL = { 'INPUT_OPENAI-API-KEY': 'sk-test', 'INPUT_OPENAI-BASE-URL': '', INPUT_MODEL: 'test-model' };
  function run(eventName: string, event: Record<string, unknown>, inputs: Record<string, string> = {}) {
    return runBundledAction({
      temp,
      workspace: repo.root,
      eventName,
      event,
      env: { GITHUB_API_URL: github.url, 'INPUT_GITHUB-TOKEN': github.token, INPUT_PERSONAS: 'engineer,security', ...MODEL, 'INPUT_OPENAI-BASE-URL': llm.baseUrl, ...inputs },
    });
  }
  const opened = (inputs: Record<string, string> = {}) => run('pull_request', pullRequestEvent('opened', { number: 1, base, head }), inputs);
  const pr = () => ({ number: 1, base, head });
  const sticky = () => github.issueComments.filter((c) => c.body.startsWith('<!-- agent-os:review -->'));
  const botReplies = (top: number) => github.reviewComments.filter((c) => c.inReplyTo === top && c.user === 'github-actions[bot]');

  it('merges one problem raised by two personas into one inline comment naming both; min-severity keeps an info finding off the diff', async () => {
    findings.engineer = [
      { ...HARD_CODED, severity: 'warning', title: 'Hard coded password!', standard: null, body: 'Move it to configuration.' },
      { ...HARD_CODED, severity: 'info', title: 'Name the constant after its use', standard: null },
    ];
    const r = await opened({ 'INPUT_MIN-SEVERITY': 'warning' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(github.reviews).toHaveLength(1);
    const inline = github.reviewComments.filter((c) => c.reviewId === github.reviews[0]!.id);
    expect(inline.map((c) => [c.path, c.line])).toEqual([['src/app.ts', 15]]);
    expect(inline[0]!.body).toContain('**error**: Hard-coded password');
    expect(inline[0]!.body).toContain('_security, engineer_ · Standard: `security/secrets.md`');
    expect(inline[0]!.body.match(/<!-- agent-os:finding [0-9a-f]{12} -->/g)).toHaveLength(2);
    expect(github.reviews[0]!.body).toMatch(/Name the constant after its use.*below min-severity/);
    const body = sticky()[0]!.body;
    expect(body).toMatch(/\| error \| `src\/app\.ts:15` \| Hard-coded password \| security, engineer \| `[0-9a-f]{12}` \|/);
    expect(body).toContain('| security | 1 | 0 | 0 |');
    expect(body).toContain('| engineer | 2 | 0 | 0 |');
    expect(r.summary).toContain('| engineer | 2 | 0 | 0 |');
  });

  it('learn on a finding: a persona drafts the amendment of the cited standard, pushed as a branch with a labelled draft PR linking the thread, and the bot replies with its link', async () => {
    expect((await opened()).status).toBe(0);
    const top = github.reviewComments[0]!;
    const amended = STANDARD.replace('## Examples', 'Test fixtures may hold fake credentials named fake_*.\n\n## Examples');
    draft = () => JSON.stringify({ domain: 'ignored', topic: 'ignored', content: amended });
    const lesson = '/agent-os learn Test fixtures may hold fake credentials when their names start with fake_.';
    const reply = talk.addReviewReply(top.id, 'maintainer', lesson);
    const r = await run('pull_request_review_comment', reviewCommentEvent(pr(), reply));
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ command: 'learn', 'command-outcome': 'done' });

    // The persona that raised the finding drafted it, from the lesson and the standard as the base has it.
    const asked = llm.records.find((x) => (x.body?.['response_format'] as { json_schema?: { name?: string } } | undefined)?.json_schema?.name === 'standard_draft')!;
    expect(asked.text).toContain("You are the project's Security Engineer.");
    expect(asked.text).toMatch(/<material-[0-9a-f]{8}>[\s\S]*Test fixtures may hold fake credentials when their names start with fake_\.[\s\S]*<\/material-/);
    expect(asked.text).toContain('Never commit secrets: read them from the environment');

    // A branch on the checkout's remote (a plain directory), with the amended standard.
    const branch = 'agent-os/standard/security/secrets';
    expect(repo.git('ls-remote', remote, `refs/heads/${branch}`)).toContain(branch);
    const pushed = repo.git('--git-dir', remote, 'show', `${branch}:.agent-os/standards/security/secrets.md`);
    expect(pushed).toContain('Test fixtures may hold fake credentials named fake_*.');
    expect(pushed).toContain('updated_by: maintainer');

    // A labelled draft PR in GITHUB_REPOSITORY whose body links the thread.
    const proposal = github.pulls.find((p) => p.head.ref === branch)!;
    expect(proposal).toMatchObject({ repo: 'octo-org/widgets', draft: true, labels: ['agent-os:standard'], base: { ref: 'main', sha: expect.any(String) } });
    expect(proposal.body).toContain(`https://github.com/octo-org/widgets/pull/1#discussion_r${reply.id}`);
    expect(proposal.body).toContain('> Test fixtures may hold fake credentials when their names start with fake_.');
    expect(proposal.body).toContain('Drafted by the security persona');

    // The reply carries the PR's link; the command was acknowledged 👀 then 👍.
    const answer = botReplies(top.id);
    expect(answer).toHaveLength(1);
    expect(answer[0]!.body).toContain(`@maintainer proposed an amendment of \`security/secrets.md\` from this lesson, as a draft pull request: https://github.com/octo-org/widgets/pull/${proposal.number}`);
    expect(talk.reactionsOn('review', reply.id)).toEqual(['+1']);
    expect(talk.reactions.some((x) => x.content === 'eyes')).toBe(false);

    // A second lesson for the same standard joins the open proposal instead of opening another.
    const drafts = llm.records.length;
    const more = talk.addReviewReply(top.id, 'maintainer', '/agent-os learn Fake tokens are named fake_* too.');
    expect((await run('pull_request_review_comment', reviewCommentEvent(pr(), more))).status).toBe(0);
    expect(github.pulls.filter((p) => p.head.ref.startsWith('agent-os/standard/'))).toHaveLength(1);
    expect(github.issueComments.filter((c) => c.issueNumber === proposal.number).map((c) => c.body)).toEqual([
      `Another lesson for this standard, from @maintainer in pull request #1 (https://github.com/octo-org/widgets/pull/1#discussion_r${more.id}):\n\n> Fake tokens are named fake_* too.`,
    ]);
    expect(botReplies(top.id).at(-1)!.body).toBe(`@maintainer \`security/secrets.md\` already has an open proposal, https://github.com/octo-org/widgets/pull/${proposal.number}: the lesson is added to it as a comment.`);
    expect(llm.records.length).toBe(drafts);
  });

  it('learn in the conversation without a model: the lesson is proposed as written in the template; a lesson holding a secret is refused', async () => {
    const said = talk.addIssueComment(1, 'maintainer', '/agent-os learn api/error-codes: Every error response carries a stable, documented code.');
    const r = await run('issue_comment', issueCommentEvent(1, said), { 'INPUT_OPENAI-API-KEY': '', INPUT_MODEL: '' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const branch = 'agent-os/standard/api/error-codes';
    const text = repo.git('--git-dir', remote, 'show', `${branch}:.agent-os/standards/api/error-codes.md`);
    expect(text).toContain('# Every error response carries a stable, documented code');
    expect(text).toContain('## Pattern\n\nEvery error response carries a stable, documented code.');
    expect(text).toContain(`Taught in a pull request review: https://github.com/octo-org/widgets/pull/1#issuecomment-${said.id}`);
    const proposal = github.pulls.find((p) => p.head.ref === branch)!;
    expect(proposal.body).toContain('The lesson is proposed as written (no model drafted it).');
    const answer = github.issueComments.filter((c) => c.user === 'github-actions[bot]' && !c.body.startsWith('<!-- agent-os:review'));
    expect(answer.map((c) => c.body)).toEqual([`@maintainer proposed a new standard \`api/error-codes.md\` from this lesson, as a draft pull request: https://github.com/octo-org/widgets/pull/${proposal.number}\n\nMerging it approves the change; closing it rejects it.`]);
    expect(llm.records).toHaveLength(0);

    const leaky = talk.addIssueComment(1, 'maintainer', '/agent-os learn ops/keys: Use the deploy key AKIAIOSFODNN7EXAMPLF with aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY for staging.');
    const refused = await run('issue_comment', issueCommentEvent(1, leaky), { 'INPUT_OPENAI-API-KEY': '', INPUT_MODEL: '' });
    expect(refused.status).toBe(1);
    expect(refused.outputs).toMatchObject({ command: 'learn', 'command-outcome': 'failed' });
    expect(repo.tryGit('ls-remote', '--exit-code', remote, 'refs/heads/agent-os/standard/ops/keys').status).not.toBe(0);
    expect(github.issueComments.at(-1)!.body).toMatch(/^@maintainer `\/agent-os learn` failed: The proposed standard ops\/keys was refused:[\s\S]*Possible secret/);
    expect(talk.reactionsOn('issue', leaky.id)).toEqual(['confused']);
  });

  it('dismiss: the finding is dismissed with its reason, its thread resolved, the gate passes on the next run and nothing is repeated', async () => {
    const first = await opened({ 'INPUT_FAIL-ON': 'error' });
    expect(first.status, first.stdout).toBe(1);
    const top = github.reviewComments[0]!;
    const reply = talk.addReviewReply(top.id, 'maintainer', '/agent-os dismiss a test fixture, not a real credential');
    const r = await run('pull_request_review_comment', reviewCommentEvent(pr(), reply), { 'INPUT_FAIL-ON': 'error' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ command: 'dismiss', 'command-outcome': 'done' });
    expect(talk.resolved.has(top.id)).toBe(true);
    expect(botReplies(top.id)[0]!.body).toContain('@maintainer dismissed **Hard-coded password** (security): it is not raised again on this pull request and no longer counts for `fail-on`. The thread is resolved. 0 open findings remain');
    expect(sticky()).toHaveLength(1);
    expect(sticky()[0]!.body).toContain('**Findings on this pull request:** 0 open · 0 fixed · 1 dismissed.');
    expect(sticky()[0]!.body).toContain('- `src/app.ts:15` Hard-coded password (_security_): a test fixture, not a real credential (@maintainer)');

    // The next push touches the file again; both personas report the problem: nothing is posted, the gate passes.
    const flawed = APP.replace('export const line15 = 15;', 'export const password = "hunter2";').replace('export const line3 = 3;', 'export const line3 = 33;');
    repo.write('src/app.ts', flawed);
    repo.commitAll('second push');
    head = repo.git('rev-parse', 'HEAD').trim();
    github.setBranch('feature', head);
    listFiles(head);
    findings.engineer = [{ ...HARD_CODED, title: 'Password in source' }];
    const before = llm.records.length;
    const next = await run('pull_request', pullRequestEvent('synchronize', pr()), { 'INPUT_FAIL-ON': 'error' });
    expect(next.status, next.stdout).toBe(0);
    expect(llm.records.length).toBeGreaterThan(before);
    expect(next.outputs).toMatchObject({ reviewed: 'true', findings: '0', 'open-findings': '0' });
    expect(github.reviewComments.filter((c) => !c.inReplyTo)).toHaveLength(1);
    expect(sticky()[0]!.body).toContain('0 open · 0 fixed · 2 dismissed');
  });

  it('dismiss in the conversation names the finding by the Id the summary shows', async () => {
    expect((await opened({ 'INPUT_FAIL-ON': 'error' })).status).toBe(1);
    const id = /\| `([0-9a-f]{12})` \|/.exec(sticky()[0]!.body)![1]!;
    const said = talk.addIssueComment(1, 'maintainer', `/agent-os dismiss ${id} the value is a documented test vector`);
    const r = await run('issue_comment', issueCommentEvent(1, said), { 'INPUT_FAIL-ON': 'error' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(sticky()[0]!.body).toContain('0 open · 0 fixed · 1 dismissed');
    expect(sticky()[0]!.body).toContain('the value is a documented test vector (@maintainer)');
    expect(github.issueComments.at(-1)!.body).toMatch(/^@maintainer dismissed \*\*Hard-coded password\*\* \(security\)/);
    expect(talk.resolved.size).toBe(0);
    const unknown = talk.addIssueComment(1, 'maintainer', '/agent-os dismiss 0123456789ab no such finding');
    const missing = await run('issue_comment', issueCommentEvent(1, unknown));
    expect(missing.outputs).toMatchObject({ 'command-outcome': 'failed' });
    expect(github.issueComments.at(-1)!.body).toContain('No finding `0123456789ab` on this pull request.');
  });

  it('refuses a reader (whatever author_association says) with a short reply and runs nothing; ignores bots', async () => {
    expect((await opened()).status).toBe(0);
    const stickyBefore = sticky()[0]!.body;
    const llmBefore = llm.records.length;
    const said = talk.addIssueComment(1, 'reader', `/agent-os dismiss ${'0'.repeat(12)} not a problem`);
    const r = await run('issue_comment', issueCommentEvent(1, said, { authorAssociation: 'OWNER' }));
    expect(r.status, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ command: 'dismiss', 'command-outcome': 'refused' });
    expect(github.issueComments.at(-1)).toMatchObject({ user: 'github-actions[bot]', body: '@reader only people with write access to this repository can run agent-os commands.' });
    expect(talk.reactionsOn('issue', said.id)).toEqual(['confused']);
    expect(sticky()[0]!.body).toBe(stickyBefore);
    expect(llm.records.length).toBe(llmBefore);
    expect(github.requests.filter((q) => q.path === '/repos/octo-org/widgets/collaborators/reader/permission')).toHaveLength(1);

    const fromBot = talk.addIssueComment(1, 'helper[bot]', '/agent-os help');
    const count = github.issueComments.length;
    const bot = await run('issue_comment', issueCommentEvent(1, fromBot, { userType: 'Bot' }));
    expect(bot.outputs).toMatchObject({ 'command-outcome': 'ignored' });
    expect(github.issueComments.length).toBe(count);
  });

  it('explain, help and review: the standard and its text, the commands, a full review now', async () => {
    expect((await opened()).status).toBe(0);
    const top = github.reviewComments[0]!;
    const ask = talk.addReviewReply(top.id, 'maintainer', '/agent-os explain');
    expect((await run('pull_request_review_comment', reviewCommentEvent(pr(), ask))).status).toBe(0);
    const explained = botReplies(top.id)[0]!.body;
    expect(explained).toContain('**Hard-coded password** relies on `security/secrets.md`');
    expect(explained).toContain('Never commit secrets: read them from the environment');

    const help = talk.addIssueComment(1, 'maintainer', '/agent-os help');
    expect((await run('issue_comment', issueCommentEvent(1, help))).status).toBe(0);
    expect(github.issueComments.at(-1)!.body).toContain('`/agent-os dismiss <reason>`, as a reply to an agent-os comment');

    const before = llm.records.length;
    const again = talk.addIssueComment(1, 'maintainer', '/agent-os review security');
    const r = await run('issue_comment', issueCommentEvent(1, again));
    expect(r.status, r.stdout).toBe(0);
    const sent = llm.records.slice(before).filter((x) => x.body?.['response_format']);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((x) => x.text.includes('your domain is "security"'))).toBe(true);
    expect(github.issueComments.at(-1)!.body).toContain('@maintainer reviewed the whole pull request with security: 0 new findings');
    expect(r.outputs).toMatchObject({ command: 'review', 'command-outcome': 'done', 'open-findings': '1' });
  });
});
