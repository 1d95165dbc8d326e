import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../fakes/build.js';
import { ensureBuilt, isolatedGitEnv, makeRepo, runCli, type TempRepo } from '../fakes/git-repo.js';
import { FAKE } from '../fixtures/fake-secrets.js';

/**
 * The proposal workflow as a team meets it, through the built CLI: a proposal pushed to a bare
 * `file://` remote, merged by a reviewer in a second clone, pulled back; the installed hooks
 * re-index and search finds the new standard. AGENT_OS_EMBEDDINGS=none keeps indexing fast.
 */

const STANDARD = `# Error responses

## Context
Clients need one error shape across services.

## Pattern
Return problem+json bodies with a stable type URI and the HTTP status.

## Examples
\`\`\`json
{"type": "https://example.com/errors/not-found", "status": 404}
\`\`\`

## Anti-patterns
Plain-text error bodies; stack traces in responses.
`;

interface ProposeJson {
  proposal_id: string;
  status: string;
  branch: string;
  file: string;
  commit: string;
  pushed: boolean;
  push_error?: string;
}

describe('proposals end to end (built CLI, real git, bare remote, hooks)', () => {
  const cleanups: Array<() => void> = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(async () => {
    // Background hook runs may still write into the cache for a moment.
    await sleep(300);
    for (const c of cleanups.splice(0)) c();
  });

  function tempDir(prefix: string): string {
    const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
    return d;
  }
  function project(): { repo: TempRepo; remote: string } {
    const repo = makeRepo();
    cleanups.push(() => repo.cleanup());
    repo.write('.agent-os/standards/development/logging.md', '# Logging\n\nLog with structured fields.\n');
    repo.write('.gitignore', '.agent-os/.cache/\n');
    repo.commitAll('standards');
    const remote = tempDir('agent-os-remote-');
    repo.git('init', '-q', '--bare', '-b', 'main', remote);
    repo.git('remote', 'add', 'origin', `file://${remote}`);
    repo.git('push', '-q', '-u', 'origin', 'main');
    return { repo, remote };
  }
  const cli = (repo: TempRepo, ...args: string[]) => runCli(['--root', repo.root, ...args], repo.env);

  async function eventuallyFound(repo: TempRepo, query: string, file: string): Promise<void> {
    let last = '';
    for (let i = 0; i < 100; i++) {
      const r = cli(repo, 'search', '--json', query);
      last = r.stdout || r.stderr;
      if (r.status === 0 && (JSON.parse(r.stdout) as { results: Array<{ file: string }> }).results.some((x) => x.file === file)) return;
      await sleep(200);
    }
    throw new Error(`search never found ${file}: ${last}\nhooks.log:\n${repo.read('.agent-os/.cache/hooks.log') ?? '(none)'}`);
  }

  it('propose → push → a reviewer merges in another clone → pull → hooks re-index → search finds it, approved by the reviewer', async () => {
    const { repo, remote } = project();
    const install = cli(repo, 'hooks', 'install', '--json');
    expect(install.status, install.stderr).toBe(0);
    repo.commitAll('hooks');
    repo.git('push', '-q', 'origin', 'main');
    expect(cli(repo, 'index', '--json').status).toBe(0);

    repo.write('work-in-progress.txt', 'not committed\n');
    const status = repo.git('status', '--porcelain');
    repo.write('standard.md', STANDARD);
    const r = cli(repo, 'propose', '--json', '--domain', 'api', '--topic', 'error-responses', '--file', 'standard.md', '--rationale', 'Handlers disagree on error bodies.', '--by', 'architect', '--tags', 'api,errors', '--push');
    expect(r.status, r.stderr).toBe(0);
    const proposed = JSON.parse(r.stdout) as ProposeJson;
    expect(proposed).toMatchObject({ status: 'draft', branch: 'agent-os/standard/api/error-responses', file: '.agent-os/standards/api/error-responses.md', pushed: true });
    fs.rmSync(path.join(repo.root, 'standard.md'));
    expect(repo.git('status', '--porcelain')).toBe(status);
    expect(repo.git('ls-remote', remote, proposed.branch)).toContain(proposed.commit);

    const listed = cli(repo, 'proposals', '--json');
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { proposals: Array<{ proposal_id: string; status: string }> }).proposals).toEqual([
      expect.objectContaining({ proposal_id: proposed.proposal_id, status: 'draft' }),
    ]);
    expect(cli(repo, 'proposals', 'show', proposed.proposal_id).stdout).toContain('+Return problem+json bodies');

    // A reviewer merges the branch the way a person would, in their own clone.
    const other = tempDir('agent-os-reviewer-');
    const reviewerEnv = isolatedGitEnv({ GIT_AUTHOR_NAME: 'Rita Reviewer', GIT_AUTHOR_EMAIL: 'rita@example.com', GIT_COMMITTER_NAME: 'Rita Reviewer', GIT_COMMITTER_EMAIL: 'rita@example.com' });
    const git = (...args: string[]) => repo.git('-C', other, ...args);
    const saved = repo.env;
    repo.env = reviewerEnv;
    git('clone', '-q', `file://${remote}`, '.');
    git('merge', '-q', '--no-ff', '-m', 'Approve the error standard', `origin/${proposed.branch}`);
    git('push', '-q', 'origin', 'main');
    repo.env = saved;

    repo.git('pull', '-q', '--no-rebase', 'origin', 'main');
    await eventuallyFound(repo, 'problem+json error bodies', 'api/error-responses.md');

    const after = JSON.parse(cli(repo, 'proposals', 'list', '--json').stdout) as { proposals: Array<{ status: string; approved_by: string | null }> };
    expect(after.proposals[0]).toMatchObject({ status: 'approved', approved_by: 'Rita Reviewer <rita@example.com>' });
    const { standards } = JSON.parse(cli(repo, 'standards', '--json').stdout) as { standards: Array<{ file_path: string; created_by: string | null; approved_by: string | null; tags: string[] }> };
    expect(standards.find((s) => s.file_path === 'api/error-responses.md')).toMatchObject({ created_by: 'architect', approved_by: 'Rita Reviewer <rita@example.com>', tags: ['api', 'errors'] });
    const hit = (JSON.parse(cli(repo, 'search', '--json', 'problem+json error bodies').stdout) as { results: Array<Record<string, unknown>> }).results.find((x) => x['file'] === 'api/error-responses.md');
    expect(hit).toMatchObject({ created_by: 'architect', approved_by: 'Rita Reviewer <rita@example.com>', tags: ['api', 'errors'] });
    expect(hit?.['created_at']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(hit?.['last_updated']).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('bad input exits 2 with the reason and creates nothing; a failing push exits 1 and keeps the proposal', async () => {
    const { repo } = project();
    repo.write('secret.md', STANDARD.replace('Clients need one error shape across services.', `Connect with postgres://app:${FAKE.urlPassword}@db.prod.internal/app`));
    const secret = cli(repo, 'propose', '--domain', 'api', '--topic', 'errors', '--file', 'secret.md');
    expect(secret.status).toBe(2);
    expect(secret.stderr).toMatch(/Possible secret \(connection-string\) on line 4/);
    expect(secret.stderr).toContain('$DATABASE_URL');
    const tricks = cli(repo, 'propose', '--domain', '..', '--topic', 'errors', '--file', 'secret.md');
    expect(tricks.status).toBe(2);
    expect(cli(repo, 'proposals', 'show', 'not-an-id').status).toBe(2);
    const badStatus = cli(repo, 'proposals', 'list', '--status', 'weird');
    expect(badStatus.status).toBe(2);
    expect(badStatus.stderr).toContain('Use one of: draft, approved, rejected.');
    expect(repo.git('for-each-ref', 'refs/agent-os', 'refs/heads/agent-os')).toBe('');

    repo.git('remote', 'set-url', 'origin', `file://${path.join(os.tmpdir(), 'agent-os-missing-remote', String(process.pid))}`);
    repo.write('standard.md', STANDARD);
    const failed = cli(repo, 'propose', '--json', '--domain', 'api', '--topic', 'error-responses', '--file', 'standard.md', '--push');
    expect(failed.status).toBe(1);
    const kept = JSON.parse(failed.stdout) as ProposeJson;
    expect(kept.pushed).toBe(false);
    expect(kept.push_error).toContain('git push');
    expect(repo.git('rev-parse', kept.branch).trim()).toBe(kept.commit);

    // Approve locally for a team without GitHub: a --no-ff merge into the checked-out main.
    fs.rmSync(path.join(repo.root, 'standard.md'));
    fs.rmSync(path.join(repo.root, 'secret.md'));
    const approved = cli(repo, 'proposals', 'approve', kept.proposal_id, '--json');
    expect(approved.status, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ status: 'approved', approved_by: 'Test User <test@example.com>' });
    expect(repo.read('.agent-os/standards/api/error-responses.md')).toContain('proposal: ' + kept.proposal_id);
  });

  it('serves propose_standard, revise_standard_proposal and list_standard_proposals over stdio', async () => {
    const { repo } = project();
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--root', repo.root], env: repo.env as Record<string, string>, stderr: 'ignore' });
    const client = new Client({ name: 'e2e-proposals', version: '0' });
    await client.connect(transport);
    cleanups.push(() => void client.close());

    const { tools } = await client.listTools();
    for (const name of ['propose_standard', 'revise_standard_proposal', 'list_standard_proposals']) {
      expect(tools.find((t) => t.name === name)?.outputSchema, name).toBeDefined();
    }
    const res = await client.callTool({ name: 'propose_standard', arguments: { domain: 'api', topic: 'error-responses', content: STANDARD, rationale: 'Seen in three handlers.', proposed_by: 'architect' } });
    expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
    const made = res.structuredContent as unknown as ProposeJson;
    expect(made).toMatchObject({ status: 'draft', branch: 'agent-os/standard/api/error-responses', pushed: false });
    // The remote exists but there is no GitHub: the proposal stays local and says how to share it.
    expect((res.structuredContent as { next_steps: string[] }).next_steps[0]).toContain(`git push origin ${made.branch}`);

    const revised = await client.callTool({ name: 'revise_standard_proposal', arguments: { proposal_id: made.proposal_id, content: `${STANDARD}\nMore detail.\n`, feedback: 'Yes, but say more.' } });
    expect(revised.isError, JSON.stringify(revised.content)).toBeFalsy();
    const listed = await client.callTool({ name: 'list_standard_proposals', arguments: { status: 'draft' } });
    const out = listed.structuredContent as { proposals: Array<{ proposal_id: string; feedback: string | null; revisions: unknown[] }> };
    expect(out.proposals).toEqual([expect.objectContaining({ proposal_id: made.proposal_id, feedback: 'Yes, but say more.' })]);
    expect(out.proposals[0]!.revisions).toHaveLength(1);

    const dup = await client.callTool({ name: 'propose_standard', arguments: { domain: 'api', topic: 'error-responses', content: STANDARD } });
    expect(dup.isError).toBe(true);
    expect(JSON.stringify(dup.content)).toContain(made.proposal_id);
    const secret = await client.callTool({ name: 'propose_standard', arguments: { domain: 'api', topic: 'keys', content: STANDARD.replace('HTTP status.', `HTTP status. Key: ${FAKE.awsKeyId}`) } });
    expect(secret.isError).toBe(true);
    expect(JSON.stringify(secret.content)).toMatch(/Possible secret \(aws-access-key-id\) on line 7/);
    const webhook = await client.callTool({ name: 'propose_standard', arguments: { domain: 'api', topic: 'keys', content: STANDARD, rationale: `Alerts: ${FAKE.slackWebhook}` } });
    expect(webhook.isError).toBe(true);
    expect(JSON.stringify(webhook.content)).toContain('The rationale was refused:\\n- Possible secret (slack-webhook) on line 1: Alerts: http…');
    for (const result of [secret, webhook]) expect(JSON.stringify(result.content)).not.toMatch(new RegExp(`${FAKE.awsKeyId.slice(4)}|${FAKE.slackWebhook.slice(-12)}`));
  });
});
