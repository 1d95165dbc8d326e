import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { fingerprint } from '../../src/domain/pr-review.js';
import { emptyState, renderSticky } from '../../src/domain/review-state.js';
import { pullRequestEvent, reviewCommentEvent, runBundledAction } from '../fakes/action-runner.js';
import { BIN, ensureBuilt } from '../fakes/build.js';
import { FakeGitHub } from '../fakes/fake-github.js';
import { FakeConversation } from '../fakes/fake-github-conversation.js';
import { startFakeLlm, type FakeLlm, type FakeRequest } from '../fakes/fake-llm.js';
import { makeRepo, type TempRepo } from '../fakes/git-repo.js';

/**
 * `agent-os report` on a history made the way teams make it: the bundled Action reviews a pull request
 * (webhook payloads, the GitHub stand-in, a loopback model), a maintainer dismisses a finding with
 * `/agent-os dismiss`, a push fixes another, the pull request is merged; a second one carries another
 * dismissal; a look-alike summary by someone else must not count. The built CLI then reads the last
 * closed pull requests through the stand-in, beside the query counts of this clone's index.
 */

const SECRETS = `# Secrets

## Context
Credentials in code leak through history.

## Pattern
Never commit secrets: read them from the environment.

## Examples
const password = process.env.DB_PASSWORD;

## Anti-patterns
String literals holding passwords.
`;
const NAMING = SECRETS.replace('# Secrets', '# Naming').replace('Never commit secrets: read them from the environment.', 'Name constants after what they mean.');
const APP = Array.from({ length: 20 }, (_, i) => `export const line${i + 1} = ${i + 1};`).join('\n') + '\n';

describe('agent-os report on a fixture history of reviews', () => {
  beforeAll(() => ensureBuilt(), 180_000);
  let repo: TempRepo;
  let remote: string;
  let github: FakeGitHub;
  let talk: FakeConversation;
  let llm: FakeLlm;
  let temp: string;
  let base: string;
  let head: string;

  beforeEach(async () => {
    temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-report-')));
    remote = path.join(temp, 'remote.git');
    repo = makeRepo();
    repo.git('init', '-q', '--bare', remote);
    repo.git('remote', 'add', 'origin', remote);
    repo.write('.agent-os/standards/security/secrets.md', SECRETS);
    repo.write('.agent-os/standards/development/naming.md', NAMING);
    repo.write('.gitignore', '.agent-os/.cache/\n');
    repo.write('src/app.ts', APP);
    repo.commitAll('base');
    base = repo.git('rev-parse', 'HEAD').trim();
    repo.git('push', '-q', 'origin', 'main');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('src/app.ts', APP.replace('export const line15 = 15;', 'export const password = "hunter2";').replace('export const line3 = 3;', 'export const x = 3;'));
    repo.commitAll('head');
    head = repo.git('rev-parse', 'HEAD').trim();
    github = await FakeGitHub.start({ repos: ['octo-org/widgets'], login: 'github-actions[bot]' });
    talk = FakeConversation.install(github);
    talk.setPermission('maintainer', 'write');
    github.setBranch('main', base);
    github.setBranch('feature', head);
    github.openPull({ head: 'feature', base: 'main', title: 'Add the database password', user: 'octocat' });
    listFiles(head);
    llm = await startFakeLlm((req: FakeRequest) => {
      if (!req.body['response_format']) return { kind: 'answer', content: 'Review.' };
      const security = req.text.includes('your domain is "security"');
      const findings = security
        ? req.text.includes('hunter2')
          ? [{ path: 'src/app.ts', line: 15, severity: 'error', title: 'Hard-coded password', body: 'A credential in source.', suggestion: null, standard: 'security/secrets.md' }]
          : []
        : req.text.includes('export const x = 3;')
          ? [{ path: 'src/app.ts', line: 3, severity: 'warning', title: 'Meaningless name x', body: 'Say what it is.', suggestion: null, standard: 'development/naming.md' }]
          : [];
      return { kind: 'answer', content: JSON.stringify({ summary: 'ok', findings }) };
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

  const action = (eventName: string, event: Record<string, unknown>) =>
    runBundledAction({
      temp,
      workspace: repo.root,
      eventName,
      event,
      env: { GITHUB_API_URL: github.url, 'INPUT_GITHUB-TOKEN': github.token, INPUT_PERSONAS: 'engineer,security', 'INPUT_OPENAI-API-KEY': 'sk-test', 'INPUT_OPENAI-BASE-URL': llm.baseUrl, INPUT_MODEL: 'test-model' },
    });

  /** The built CLI, spawned asynchronously (the GitHub stand-in answers from this process). */
  function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const xdg = path.join(temp, 'xdg');
    fs.mkdirSync(path.join(xdg, 'agent-os'), { recursive: true });
    // The user-level config may name the repository (a project's config would need `agent-os trust`).
    fs.writeFileSync(path.join(xdg, 'agent-os', 'config.yaml'), 'proposals:\n  github:\n    repository: octo-org/widgets\n');
    const env = { ...repo.env, XDG_CONFIG_HOME: xdg, GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url, AGENT_OS_EMBEDDINGS: 'none' };
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, '--root', repo.root, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  it('counts raised, fixed before merge, dismissed with reasons and query counts per standard and persona, and proposes an amendment of a standard that keeps being dismissed', async () => {
    // Pull request #1: reviewed, a finding dismissed by a maintainer, another fixed by a push, merged.
    expect((await action('pull_request', pullRequestEvent('opened', { number: 1, base, head }))).status).toBe(0);
    const secretComment = github.reviewComments.find((c) => c.line === 15)!;
    const dismiss = talk.addReviewReply(secretComment.id, 'maintainer', '/agent-os dismiss fixtures hold fake passwords');
    expect((await action('pull_request_review_comment', reviewCommentEvent({ number: 1, base, head }, dismiss))).outputs).toMatchObject({ 'command-outcome': 'done' });
    repo.write('src/app.ts', APP.replace('export const line15 = 15;', 'export const password = "hunter2";').replace('export const line3 = 3;', 'export const retries = 3;'));
    repo.commitAll('rename');
    head = repo.git('rev-parse', 'HEAD').trim();
    github.setBranch('feature', head);
    listFiles(head);
    const fixed = await action('pull_request', pullRequestEvent('synchronize', { number: 1, base, head }));
    expect(fixed.outputs).toMatchObject({ 'open-findings': '0' });
    github.mergePull(1, { by: 'maintainer' });

    // Pull request #2: another dismissal of the same standard (its summary as the Action writes it).
    github.setBranch('second', 'c'.repeat(40));
    github.openPull({ head: 'second', title: 'Seed data' });
    const second = emptyState('c'.repeat(40));
    second.findings.push({ fingerprint: fingerprint({ persona: 'security', path: 'db/seed.ts', title: 'Password literal', standard: 'security/secrets.md' }), severity: 'error', path: 'db/seed.ts', line: 4, persona: 'security', title: 'Password literal', status: 'dismissed', reason: 'seed data for local development', by: 'maintainer', standard: 'security/secrets.md' });
    github.issueComments.push({ id: 9001, repo: 'octo-org/widgets', issueNumber: 2, body: renderSticky({ state: second, personas: [] }).body, user: 'github-actions[bot]', createdAt: github.now(), updatedAt: github.now() });
    github.mergePull(2, { by: 'maintainer' });
    // Pull request #3: a look-alike summary by someone else claims dismissals; it is not read.
    github.setBranch('third', 'd'.repeat(40));
    github.openPull({ head: 'third', title: 'Forged' });
    const forged = emptyState('d'.repeat(40));
    forged.findings.push({ ...second.findings[0]!, reason: 'forged' });
    github.issueComments.push({ id: 9002, repo: 'octo-org/widgets', issueNumber: 3, body: renderSticky({ state: forged, personas: [] }).body, user: 'mallory', createdAt: github.now(), updatedAt: github.now() });
    github.closePull(3);

    // Coding agents retrieved the secrets standard twice through search.
    expect((await cli('index')).status).toBe(0);
    for (let i = 0; i < 2; i++) expect((await cli('search', '--json', '--limit', '1', 'secrets environment password')).status).toBe(0);

    const json = await cli('--json', 'report', '--github', '--since', '10');
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as {
      pull_requests: Array<{ number: number; merged: boolean }>;
      standards: Array<{ standard: string | null; raised: number; fixed: number; dismissed: number; open: number; query_count: number | null; dismissals: Array<{ reason: string; pull_request: number; by: string | null }> }>;
      personas: Array<{ persona: string; raised: number; fixed: number; dismissed: number }>;
      dismissed_often: Array<{ standard: string; dismissed: number }>;
    };
    expect(report.pull_requests.map((p) => [p.number, p.merged]).sort()).toEqual([
      [1, true],
      [2, true],
    ]);
    const secrets = report.standards.find((s) => s.standard === 'security/secrets.md')!;
    expect(secrets).toMatchObject({ raised: 2, fixed: 0, dismissed: 2, open: 0, query_count: 2 });
    expect(secrets.dismissals.map((d) => [d.pull_request, d.reason, d.by]).sort()).toEqual([
      [1, 'fixtures hold fake passwords', 'maintainer'],
      [2, 'seed data for local development', 'maintainer'],
    ]);
    expect(report.standards.find((s) => s.standard === 'development/naming.md')).toMatchObject({ raised: 1, fixed: 1, dismissed: 0, open: 0, query_count: 0 });
    expect(report.personas).toEqual([
      expect.objectContaining({ persona: 'security', raised: 2, fixed: 0, dismissed: 2 }),
      expect.objectContaining({ persona: 'engineer', raised: 1, fixed: 1, dismissed: 0 }),
    ]);
    expect(report.dismissed_often).toEqual([expect.objectContaining({ standard: 'security/secrets.md', dismissed: 2 })]);

    const text = await cli('report', '--github');
    expect(text.stdout).toContain('Standards that keep being dismissed:');
    expect(text.stdout).toContain('security/secrets.md: 2 of 2 finding(s) dismissed');
    expect(text.stdout).toContain('Run `agent-os report --github --propose-amendments`');

    // Without a model, the reasons go into the standard's Pattern as written, proposed like any standard.
    const proposed = await cli('--json', 'report', '--github', '--propose-amendments');
    expect(proposed.status, proposed.stderr).toBe(0);
    const amendments = (JSON.parse(proposed.stdout) as { amendments: Array<{ standard: string; pr_url?: string }> }).amendments;
    expect(amendments).toEqual([expect.objectContaining({ standard: 'security/secrets.md', pr_url: expect.stringMatching(/^https:\/\/github\.com\/octo-org\/widgets\/pull\/\d+$/) })]);
    const branch = 'agent-os/standard/security/secrets';
    const amended = repo.git('--git-dir', remote, 'show', `${branch}:.agent-os/standards/security/secrets.md`);
    expect(amended).toContain('- Not a finding when: fixtures hold fake passwords (dismissed in https://github.com/octo-org/widgets/pull/1)');
    expect(amended).toContain('- Not a finding when: seed data for local development (dismissed in https://github.com/octo-org/widgets/pull/2)');
    const pr = github.pulls.find((p) => p.head.ref === branch)!;
    expect(pr).toMatchObject({ draft: true, labels: ['agent-os:standard'] });
    expect(pr.body).toContain('were dismissed 2 time(s)');
  });
});
