import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitPlumbing } from '../../src/infra/git-plumbing.js';
import { SecretlintScanner } from '../../src/infra/secretlint-scanner.js';
import { silentLogger } from '../../src/ports/logger.js';
import { approveStandardProposal } from '../../src/services/proposals/approve.js';
import { listStandardProposals } from '../../src/services/proposals/list.js';
import { proposeStandard } from '../../src/services/proposals/propose.js';
import { rejectStandardProposal } from '../../src/services/proposals/reject.js';
import { reviseStandardProposal } from '../../src/services/proposals/revise.js';
import { showStandardProposal } from '../../src/services/proposals/show.js';
import type { ProposalDeps } from '../../src/services/proposals/types.js';
import { rejection } from '../fakes/errors.js';
import { isolatedGitEnv, makeRepo, type TempRepo } from '../fakes/git-repo.js';
import { basicHeader, FAKE } from '../fixtures/fake-secrets.js';

const STANDARD = `# Error responses

## Context
Clients need one error shape.

## Pattern
Return problem+json with a stable \`type\` URI.

## Examples
\`\`\`json
{"type": "https://example.com/errors/not-found", "status": 404}
\`\`\`

## Anti-patterns
Plain-text error bodies.
`;
const REVISED = STANDARD.replace('Plain-text error bodies.', 'Plain-text error bodies.\nStack traces in responses.');
const FILE = '.agent-os/standards/api/error-responses.md';
const BRANCH = 'agent-os/standard/api/error-responses';


/** The proposal use cases against real repositories, with a bare `file://` remote where a remote is needed. */
describe('standard proposals (git only)', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  function repo(): TempRepo {
    const r = makeRepo();
    cleanups.push(() => r.cleanup());
    r.write('README.md', '# Project\n');
    r.write('.agent-os/standards/testing/unit-tests.md', '# Unit tests\n\nKeep them fast.\n');
    r.commitAll('Initial commit');
    return r;
  }
  function bareRemote(r: TempRepo): string {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-remote-')));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    r.git('init', '-q', '--bare', '-b', 'main', dir);
    r.git('remote', 'add', 'origin', `file://${dir}`);
    r.git('push', '-q', '-u', 'origin', 'main');
    return dir;
  }
  function deps(r: TempRepo, over: Partial<ProposalDeps> = {}, root = r.root): ProposalDeps {
    let n = 0;
    return {
      git: new GitPlumbing(root, { env: r.env }),
      github: null,
      githubMissing: 'GITHUB_TOKEN is not set',
      secrets: new SecretlintScanner(),
      standardsDir: path.join(root, '.agent-os', 'standards'),
      settings: { branchPrefix: 'agent-os/standard/', remote: 'origin', push: 'auto', label: 'agent-os:standard' },
      logger: silentLogger,
      randomHex: () => (++n).toString(16).padStart(6, 'a'),
      ...over,
    };
  }
  const proposalRefs = (r: TempRepo): string => r.git('for-each-ref', '--format=%(refname)', 'refs/agent-os', 'refs/heads/agent-os');

  it('commits the standard with generated front matter on its own branch, leaving a dirty checkout untouched', async () => {
    const r = repo();
    r.write('README.md', '# Project\n\nstaged edit\n');
    r.git('add', 'README.md');
    r.write('README.md', '# Project\n\nstaged edit\n\nand an unstaged one\n');
    r.write('notes.txt', 'untracked\n');
    const before = { status: r.git('status', '--porcelain=v1', '-z', '--untracked-files=all'), head: r.git('rev-parse', 'HEAD'), staged: r.git('diff', '--cached'), unstaged: r.git('diff') };

    const res = await proposeStandard(deps(r), { domain: 'api', topic: 'error-responses', content: STANDARD, rationale: 'Three handlers disagree on error shapes.', proposed_by: 'architect', tags: ['api', 'errors'], applies_to: ['src/api/**/*.ts'], job_id: 'job-1' });

    expect(res).toMatchObject({ status: 'draft', branch: BRANCH, file: FILE, pushed: false, update: false });
    expect(res.proposal_id).toMatch(/^sp-\d{8}-[0-9a-f]{6}$/);
    expect(r.git('rev-parse', BRANCH).trim()).toBe(res.commit);
    const text = r.git('show', `${BRANCH}:${FILE}`);
    expect(text).toMatch(/^---\ndomain: api\ntopic: error-responses\ntags:\n {2}- api\n {2}- errors\napplies_to:\n {2}- src\/api\/\*\*\/\*\.ts\ncreated_by: architect\ncreated_at: .+\nproposal: sp-/);
    expect(text).toContain('## Anti-patterns\nPlain-text error bodies.');
    const message = r.git('log', '-1', '--format=%B', BRANCH);
    expect(message).toContain('Three handlers disagree on error shapes.');
    expect(message).toContain(`Agent-OS-Proposal: ${res.proposal_id}`);
    expect(message).toContain('Agent-OS-Job: job-1');
    // The branch starts from main and adds exactly one file.
    expect(r.git('diff', '--name-only', `main...${BRANCH}`).trim()).toBe(FILE);
    expect(r.git('status', '--porcelain=v1', '-z', '--untracked-files=all')).toBe(before.status);
    expect(r.git('rev-parse', 'HEAD')).toBe(before.head);
    expect(r.git('diff', '--cached')).toBe(before.staged);
    expect(r.git('diff')).toBe(before.unstaged);
    expect(fs.existsSync(path.join(r.root, FILE))).toBe(false);
    expect(res.next_steps.join(' ')).toContain(`agent-os proposals approve ${res.proposal_id}`);

    const listed = await listStandardProposals(deps(r));
    expect(listed.proposals).toHaveLength(1);
    expect(listed.proposals[0]).toMatchObject({ proposal_id: res.proposal_id, status: 'draft', proposed_by: 'architect', rationale: 'Three handlers disagree on error shapes.', job_id: 'job-1', title: 'Error responses', base: 'main' });
  });

  it('refuses a second proposal for a topic with an open one, and revises the open one with feedback', async () => {
    const r = repo();
    const d = deps(r);
    const first = await proposeStandard(d, { domain: 'api', topic: 'error-responses', content: STANDARD, proposed_by: 'architect' });
    const dup = await rejection(proposeStandard(d, { domain: 'api', topic: 'error-responses', content: REVISED, rationale: 'again' }));
    expect(dup.code).toBe('CONFLICT');
    expect(dup.message).toContain(first.proposal_id);
    expect(dup.hint).toContain('revise_standard_proposal');

    const revised = await reviseStandardProposal(d, { proposal_id: first.proposal_id, content: REVISED, feedback: 'Yes, but add stack traces as an anti-pattern.', revised_by: 'architect' });
    expect(revised.commit).not.toBe(first.commit);
    expect(r.git('rev-parse', `${BRANCH}^`).trim()).toBe(first.commit);
    expect(r.git('show', `${BRANCH}:${FILE}`)).toContain('Stack traces in responses.');
    const shown = await showStandardProposal(d, first.proposal_id);
    expect(shown.feedback).toBe('Yes, but add stack traces as an anti-pattern.');
    expect(shown.revisions).toHaveLength(1);
    expect(shown.diff).toContain('+Stack traces in responses.');
    expect(shown.created_at).toBe((await listStandardProposals(d)).proposals[0]!.created_at);
    // Same content again: nothing to commit.
    expect((await rejection(reviseStandardProposal(d, { proposal_id: first.proposal_id, content: REVISED }))).code).toBe('BAD_INPUT');
    expect((await rejection(reviseStandardProposal(d, { proposal_id: 'sp-20260101-ffffff', content: REVISED }))).code).toBe('NOT_FOUND');
    expect((await rejection(reviseStandardProposal(d, { proposal_id: '../../etc', content: REVISED }))).code).toBe('BAD_INPUT');
  });

  it('approve merges with --no-ff into the checked-out default branch; the merger is approved_by', async () => {
    const r = repo();
    const d = deps(r);
    const p = await proposeStandard(d, { domain: 'api', topic: 'error-responses', content: STANDARD });
    const view = await approveStandardProposal(d, p.proposal_id);
    expect(view).toMatchObject({ status: 'approved', approved_by: 'Test User <test@example.com>' });
    expect(r.git('rev-list', '--parents', '-1', 'main').trim().split(' ')).toHaveLength(3);
    expect(r.read(FILE)).toContain('# Error responses');
    expect((await rejection(approveStandardProposal(d, p.proposal_id))).code).toBe('CONFLICT');
    const revise = await rejection(reviseStandardProposal(d, { proposal_id: p.proposal_id, content: REVISED }));
    expect(revise.code).toBe('CONFLICT');
    expect(revise.message).toContain('approved');
  });

  it('a rejected topic is proposed again only with a new rationale; a deleted branch means rejected', async () => {
    const r = repo();
    const d = deps(r);
    const p = await proposeStandard(d, { domain: 'api', topic: 'error-responses', content: STANDARD, rationale: 'We keep arguing about it.' });
    const rejected = await rejectStandardProposal(d, p.proposal_id, { reason: 'We follow the platform team standard.' });
    expect(rejected).toMatchObject({ status: 'rejected', rejected_reason: 'We follow the platform team standard.' });
    expect(r.tryGit('rev-parse', '--verify', '-q', BRANCH).status).not.toBe(0);

    for (const rationale of [undefined, 'We keep   arguing about it.']) {
      const again = await rejection(proposeStandard(d, { domain: 'api', topic: 'error-responses', content: STANDARD, ...(rationale ? { rationale } : {}) }));
      expect(again.code).toBe('CONFLICT');
      expect(again.message).toContain('rejected');
    }
    const second = await proposeStandard(d, { domain: 'api', topic: 'error-responses', content: STANDARD, rationale: 'The platform standard was retired.' });
    expect(second.branch).toBe(BRANCH);

    // Deleting the branch by hand, unmerged, also rejects.
    r.git('branch', '-D', BRANCH);
    const states = Object.fromEntries((await listStandardProposals(d)).proposals.map((v) => [v.proposal_id, v]));
    expect(states[p.proposal_id]!.status).toBe('rejected');
    expect(states[second.proposal_id]).toMatchObject({ status: 'rejected', rejected_reason: 'the branch was deleted without being merged' });
    expect((await listStandardProposals(d, { status: 'draft' })).proposals).toHaveLength(0);
  });

  it('pushes to a bare remote; a second clone merges it and the first sees approved_by after a fetch', async () => {
    const r = repo();
    const remote = bareRemote(r);
    const d = deps(r, { settings: { branchPrefix: 'agent-os/standard/', remote: 'origin', push: 'always', label: 'agent-os:standard' } });
    const p = await proposeStandard(d, { domain: 'api', topic: 'error-responses', content: STANDARD });
    expect(p.pushed).toBe(true);
    expect(r.git('ls-remote', remote, BRANCH)).toContain(p.commit);

    const other = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-clone-')));
    cleanups.push(() => fs.rmSync(other, { recursive: true, force: true }));
    const env = isolatedGitEnv({ GIT_AUTHOR_NAME: 'Rev Iewer', GIT_AUTHOR_EMAIL: 'rev@example.com', GIT_COMMITTER_NAME: 'Rev Iewer', GIT_COMMITTER_EMAIL: 'rev@example.com' });
    const git = (...args: string[]) => r.git('-C', other, ...args);
    r.env = env;
    git('clone', '-q', `file://${remote}`, '.');
    // The second clone sees the proposal from the remote branch alone.
    const seen = await listStandardProposals(deps(r, {}, other));
    expect(seen.proposals[0]).toMatchObject({ proposal_id: p.proposal_id, status: 'draft', pushed: true });
    git('merge', '-q', '--no-ff', '-m', 'Merge the error standard', `origin/${BRANCH}`);
    git('push', '-q', 'origin', 'main');
    r.env = isolatedGitEnv();

    expect((await listStandardProposals(d)).proposals[0]!.status).toBe('draft');
    const after = await listStandardProposals(d, { fetch: true });
    expect(after.proposals[0]).toMatchObject({ status: 'approved', approved_by: 'Rev Iewer <rev@example.com>' });
  });

  it('a revision made in another clone is built upon after a fetch; diverged branches are refused', async () => {
    const r = repo();
    const remote = bareRemote(r);
    const always = { branchPrefix: 'agent-os/standard/', remote: 'origin', push: 'always' as const, label: 'agent-os:standard' };
    const a = deps(r, { settings: always });
    const p = await proposeStandard(a, { domain: 'api', topic: 'error-responses', content: STANDARD });
    const other = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-clone-')));
    cleanups.push(() => fs.rmSync(other, { recursive: true, force: true }));
    r.git('clone', '-q', `file://${remote}`, other);
    const b = deps(r, { settings: always }, other);
    const fromB = await reviseStandardProposal(b, { proposal_id: p.proposal_id, content: REVISED, feedback: 'From the other clone.' });
    expect(fromB.pushed).toBe(true);

    r.git('fetch', '-q', 'origin');
    const seen = (await listStandardProposals(a)).proposals[0]!;
    expect(seen).toMatchObject({ commit: fromB.commit, feedback: 'From the other clone.' });
    const third = await reviseStandardProposal(a, { proposal_id: p.proposal_id, content: `${REVISED}\nThird.\n`, feedback: 'Building on it.' });
    expect(third.push_error).toBeUndefined();
    expect(r.git('rev-parse', `${third.commit}^`).trim()).toBe(fromB.commit);
    expect(r.git('ls-remote', remote, BRANCH)).toContain(third.commit);

    // Both sides revise without seeing each other: a person settles it.
    await reviseStandardProposal(a, { proposal_id: p.proposal_id, content: `${REVISED}\nFrom A.\n`, push: false });
    r.git('-C', other, 'fetch', '-q', 'origin');
    await reviseStandardProposal(b, { proposal_id: p.proposal_id, content: `${REVISED}\nFrom B.\n` });
    r.git('fetch', '-q', 'origin');
    const diverged = await rejection(reviseStandardProposal(a, { proposal_id: p.proposal_id, content: `${REVISED}\nAgain.\n` }));
    expect(diverged.code).toBe('CONFLICT');
    expect(diverged.message).toContain('diverged');
  });

  it('a failing push keeps the proposal locally and says so', async () => {
    const r = repo();
    r.git('remote', 'add', 'origin', `file://${path.join(os.tmpdir(), 'agent-os-no-such-remote', String(process.pid))}`);
    const p = await proposeStandard(deps(r), { domain: 'api', topic: 'error-responses', content: STANDARD, push: true });
    expect(p.pushed).toBe(false);
    expect(p.push_error).toMatch(/git push .* failed/);
    expect(p.warnings.join(' ')).toContain('kept on the local branch');
    expect(r.git('rev-parse', BRANCH).trim()).toBe(p.commit);
    expect((await listStandardProposals(deps(r))).proposals[0]!.status).toBe('draft');
  });

  it('refuses secrets, path tricks and template-less bodies, creating nothing', async () => {
    const r = repo();
    const d = deps(r);
    const cases: Array<[Partial<Parameters<typeof proposeStandard>[1]>, RegExp]> = [
      [{ content: STANDARD.replace('Clients need one error shape.', `Use key ${FAKE.awsKeyId} here.`) }, /on line 4/],
      [{ content: STANDARD.replace('Plain-text error bodies.', 'DATABASE_URL=postgres://admin:hunter2pass@db.internal:5432/app') }, /connection-string\) on line 15/],
      [{ rationale: `token ${FAKE.githubClassic} was leaked` }, /rationale/],
      [{ domain: '../etc' }, /domain/i],
      [{ topic: 'a/b' }, /topic/i],
      [{ topic: '/abs' }, /topic/i],
      [{ domain: '.git' }, /domain/i],
      [{ content: '# Just a title\n\nSome words.\n' }, /Missing from the standard template: Context, Pattern, Examples, Anti-patterns/],
      [{ content: '   ' }, /empty/],
    ];
    for (const [over, message] of cases) {
      const e = await rejection(proposeStandard(d, { domain: 'api', topic: 'error-responses', content: STANDARD, ...over }));
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message, e.message).toMatch(message);
    }
    expect(proposalRefs(r)).toBe('');
  });

  it('refuses secrets the rebuilt scanner finds in content, rationale, feedback and reason, masked, committing nothing', async () => {
    const r = repo();
    const d = deps(r);
    const withKey = STANDARD.replace('Plain-text error bodies.', `Plain-text error bodies.\n\n\`\`\`yaml\nopenai:\n  key: ${FAKE.openAiProject}\n\`\`\``);
    const content = await rejection(proposeStandard(d, { domain: 'api', topic: 'error-responses', content: withKey }));
    expect(content.code).toBe('BAD_INPUT');
    expect(content.message).toBe(`The proposed standard api/error-responses was refused:\n- Possible secret (openai-api-key) on line 19: key: ${FAKE.openAiProject.slice(0, 4)}…`);
    expect(content.hint).toContain('$DATABASE_URL');
    const rationale = await rejection(proposeStandard(d, { domain: 'api', topic: 'error-responses', content: STANDARD, rationale: `Our alerts hook is\n${FAKE.slackWebhook}` }));
    expect(rationale.message).toBe('The rationale was refused:\n- Possible secret (slack-webhook) on line 2: http…');
    expect(rationale.hint).toContain('$DATABASE_URL');
    expect(proposalRefs(r)).toBe('');

    const p = await proposeStandard(d, { domain: 'api', topic: 'error-responses', content: STANDARD });
    const feedback = await rejection(reviseStandardProposal(d, { proposal_id: p.proposal_id, content: REVISED, feedback: `Try: curl -H "Authorization: ${basicHeader()}"` }));
    expect(feedback.message).toMatch(/^The feedback was refused:\n- Possible secret \(basic-auth\) on line 1: Try: curl -H "Authorization: Basic ZGVw…"$/);
    const reason = await rejection(rejectStandardProposal(d, p.proposal_id, { reason: `signing_key: ${FAKE.labelled}` }));
    expect(reason.message).toBe(`The reason was refused:\n- Possible secret (labelled-secret) on line 1: signing_key: ${FAKE.labelled.slice(0, 4)}…`);
    for (const e of [content, rationale, feedback, reason]) {
      for (const secret of [FAKE.openAiProject, FAKE.slackWebhook, basicHeader().slice(6), FAKE.labelled]) expect(e.message).not.toContain(secret.slice(4, 16));
    }
    expect(r.git('rev-parse', BRANCH).trim()).toBe(p.commit);
    expect((await listStandardProposals(d)).proposals[0]!.status).toBe('draft');
  });

  it('works from a detached HEAD and leaves it detached', async () => {
    const r = repo();
    r.write('src/x.ts', 'x\n');
    r.commitAll('second');
    r.git('checkout', '-q', '--detach', 'HEAD~1');
    const head = r.git('rev-parse', 'HEAD');
    const p = await proposeStandard(deps(r), { domain: 'api', topic: 'error-responses', content: STANDARD });
    expect(r.git('rev-parse', `${p.commit}^`)).toBe(r.git('rev-parse', 'main'));
    expect(r.git('rev-parse', 'HEAD')).toBe(head);
    expect(r.tryGit('symbolic-ref', '-q', 'HEAD').status).not.toBe(0);
  });

  it('says what to do in a repository without commits', async () => {
    const r = makeRepo();
    cleanups.push(() => r.cleanup());
    const e = await rejection(proposeStandard(deps(r), { domain: 'api', topic: 'error-responses', content: STANDARD }));
    expect(e.code).toBe('NOT_INITIALIZED');
    expect(e.hint).toContain('first commit');
  });

  it('an update of an existing standard keeps its author and shows the change', async () => {
    const r = repo();
    r.write(FILE, `---\ncreated_by: data\ncreated_at: '2026-01-02T00:00:00.000Z'\napproved_by: Old Approver\ntags: [api]\n---\n${STANDARD}`);
    r.commitAll('existing standard');
    const d = deps(r);
    const p = await proposeStandard(d, { domain: 'api', topic: 'error-responses', content: REVISED, proposed_by: 'qa' });
    expect(p.update).toBe(true);
    const text = r.git('show', `${p.branch}:${FILE}`);
    expect(text).toContain('created_by: data');
    expect(text).toContain('created_at: 2026-01-02T00:00:00.000Z');
    expect(text).toContain('updated_by: qa');
    expect(text).toContain('  - api');
    expect(text).not.toContain('approved_by');
    const shown = await showStandardProposal(d, p.proposal_id);
    expect(shown.update).toBe(true);
    expect(shown.diff).toContain('+Stack traces in responses.');
  });

  it('a squash merge (no ancestry) still counts as approved', async () => {
    const r = repo();
    const d = deps(r);
    const p = await proposeStandard(d, { domain: 'api', topic: 'error-responses', content: STANDARD });
    r.git('merge', '-q', '--squash', BRANCH);
    r.git('commit', '-q', '-m', 'Squashed standard');
    expect((await listStandardProposals(d)).proposals[0]).toMatchObject({ proposal_id: p.proposal_id, status: 'approved' });
  });

  it('writes to the standards directory of a project that lives in a subdirectory of the repository', async () => {
    const r = repo();
    r.write('services/api/README.md', '# API\n');
    r.commitAll('service');
    const root = path.join(r.root, 'services', 'api');
    const p = await proposeStandard(deps(r, {}, root), { domain: 'api', topic: 'error-responses', content: STANDARD });
    expect(p.file).toBe(`services/api/${FILE}`);
    expect(r.git('show', `${p.branch}:services/api/${FILE}`)).toContain('# Error responses');
  });
});
