import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitPlumbing } from '../../src/infra/git-plumbing.js';
import { OctokitPullRequests } from '../../src/infra/github-octokit.js';
import { SecretlintScanner } from '../../src/infra/secretlint-scanner.js';
import { silentLogger } from '../../src/ports/logger.js';
import { listStandardProposals } from '../../src/services/proposals/list.js';
import { proposeStandard } from '../../src/services/proposals/propose.js';
import { rejectStandardProposal } from '../../src/services/proposals/reject.js';
import { reviseStandardProposal } from '../../src/services/proposals/revise.js';
import type { ProposalDeps } from '../../src/services/proposals/types.js';
import { FakeGitHub } from '../fakes/fake-github.js';
import { makeRepo, type TempRepo } from '../fakes/git-repo.js';

const STANDARD = '# Idempotent handlers\n\n## Context\nQueues redeliver.\n\n## Pattern\nKey writes by message id.\n\n## Examples\nUpsert on message_id.\n\n## Anti-patterns\nBlind inserts.\n';
const BRANCH = 'agent-os/standard/data/idempotent-handlers';

/**
 * Proposals with GitHub: the real Octokit client against a loopback stand-in for the REST API, the
 * branch pushed to a bare `file://` remote. GitHub learns the pushed tip (as it would from the push).
 */
describe('standard proposals with GitHub (loopback API)', () => {
  let fake: FakeGitHub;
  let repo: TempRepo;
  let remote: string;
  beforeEach(async () => {
    fake = await FakeGitHub.start({ repos: ['octo-org/widgets'], login: 'agent-os-bot' });
    repo = makeRepo();
    repo.write('README.md', '# Widgets\n');
    repo.commitAll('Initial commit');
    remote = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-remote-')));
    repo.git('init', '-q', '--bare', '-b', 'main', remote);
    repo.git('remote', 'add', 'origin', `file://${remote}`);
    repo.git('push', '-q', '-u', 'origin', 'main');
  });
  afterEach(async () => {
    await fake.close();
    repo.cleanup();
    fs.rmSync(remote, { recursive: true, force: true });
  });

  function deps(): ProposalDeps {
    return {
      git: new GitPlumbing(repo.root, { env: repo.env }),
      github: new OctokitPullRequests({ apiUrl: fake.url, token: fake.token, owner: 'octo-org', repo: 'widgets', logger: silentLogger }),
      secrets: new SecretlintScanner(),
      standardsDir: path.join(repo.root, '.agent-os', 'standards'),
      settings: { branchPrefix: 'agent-os/standard/', remote: 'origin', push: 'auto', label: 'agent-os:standard' },
      logger: silentLogger,
    };
  }
  /** GitHub learns a pushed tip from the push (an open PR's head follows its branch). */
  const mirror = (branch: string) => fake.setBranch(branch, repo.git('ls-remote', remote, `refs/heads/${branch}`).split('\t')[0]!);

  it('pushes the branch and opens a labelled draft PR described from the proposal; a revision updates it', async () => {
    const d = deps();
    const p = await proposeStandard(d, { domain: 'data', topic: 'idempotent-handlers', content: STANDARD, rationale: 'Two consumers double-insert on redelivery.', proposed_by: 'data', job_id: 'job-7' });
    expect(p.pushed).toBe(true);
    expect(p.warnings).toEqual([]);
    const pr = fake.pulls[0]!;
    expect(p.pr_url).toBe(`https://github.com/octo-org/widgets/pull/${pr.number}`);
    expect(pr).toMatchObject({ draft: true, state: 'open', labels: ['agent-os:standard'], head: expect.objectContaining({ ref: BRANCH }), base: expect.objectContaining({ ref: 'main' }) });
    expect(pr.title).toBe('Standard data/idempotent-handlers: Idempotent handlers');
    expect(pr.body).toContain('Two consumers double-insert on redelivery.');
    expect(pr.body).toContain('Proposed by: data');
    expect(pr.body).toContain('`job-7`');
    expect(pr.body).toContain(p.proposal_id);
    mirror(BRANCH);

    const listed = await listStandardProposals(d);
    expect(listed.proposals[0]).toMatchObject({ status: 'draft', pr_number: pr.number, pr_url: p.pr_url, pushed: true });

    const r = await reviseStandardProposal(d, { proposal_id: p.proposal_id, content: STANDARD.replace('Blind inserts.', 'Blind inserts.\nRetries without keys.'), feedback: 'Yes, but add retries.' });
    expect(r.pushed).toBe(true);
    expect(repo.git('ls-remote', remote, BRANCH)).toContain(r.commit);
    expect(fake.pulls).toHaveLength(1);
    expect(fake.pull(pr.number).body).toContain('Yes, but add retries.');
    expect(fake.issueComments.map((c) => c.body)).toEqual([expect.stringContaining('Yes, but add retries.')]);
  });

  it('reads approved (merged_by) and rejected (closed unmerged) from the PR', async () => {
    const d = deps();
    const a = await proposeStandard(d, { domain: 'data', topic: 'idempotent-handlers', content: STANDARD });
    const b = await proposeStandard(d, { domain: 'data', topic: 'retention', content: STANDARD.replace('Idempotent handlers', 'Retention') });
    mirror(BRANCH);
    mirror('agent-os/standard/data/retention');
    const prA = fake.pulls.find((x) => x.head.ref === BRANCH)!;
    const prB = fake.pulls.find((x) => x.head.ref === 'agent-os/standard/data/retention')!;
    fake.mergePull(prA.number, { by: 'octocat' });
    fake.closePull(prB.number);

    const before = fake.requests.length;
    const states = Object.fromEntries((await listStandardProposals(d)).proposals.map((v) => [v.proposal_id, v]));
    expect(states[a.proposal_id]).toMatchObject({ status: 'approved', approved_by: 'octocat' });
    // One listing for all proposals, and one read for the merged PR (the listing does not say who merged).
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /repos/octo-org/widgets/pulls', `GET /repos/octo-org/widgets/pulls/${prA.number}`]);
    expect(states[b.proposal_id]).toMatchObject({ status: 'rejected', rejected_reason: `pull request #${prB.number} was closed without merging` });
    // A topic whose PR was closed is not proposed again without a new rationale.
    const again = await proposeStandard(d, { domain: 'data', topic: 'retention', content: STANDARD }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'CONFLICT' });
  });

  it('reject closes the PR with the reason and deletes the branches', async () => {
    const d = deps();
    const p = await proposeStandard(d, { domain: 'data', topic: 'idempotent-handlers', content: STANDARD });
    mirror(BRANCH);
    const v = await rejectStandardProposal(d, p.proposal_id, { reason: 'Covered by the messaging standard.' });
    expect(v).toMatchObject({ status: 'rejected', warnings: [] });
    expect(fake.pulls[0]!.state).toBe('closed');
    expect(fake.issueComments.map((c) => c.body)).toEqual(['Rejected: Covered by the messaging standard.']);
    expect(repo.git('ls-remote', remote, BRANCH)).toBe('');
  });

  it('keeps the pushed proposal when GitHub refuses the PR, and says so', async () => {
    fake.failNext('POST', /\/pulls$/, 403);
    const p = await proposeStandard(deps(), { domain: 'data', topic: 'idempotent-handlers', content: STANDARD });
    expect(p.pushed).toBe(true);
    expect(p.pr_url).toBeUndefined();
    expect(p.warnings.join('\n')).toMatch(/pull request could not be opened/);
    expect(repo.git('ls-remote', remote, BRANCH)).toContain(p.commit);
  });
});
