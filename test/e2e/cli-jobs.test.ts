import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteJobStore } from '../../src/infra/sqlite-job-store.js';
import { BIN } from '../fakes/build.js';
import { startFakeLlm } from '../fakes/fake-llm.js';
import { ensureBuilt, isolatedGitEnv, makeRepo, runCli, type TempRepo } from '../fakes/git-repo.js';
import { copyCorpus } from '../fakes/project.js';

/** `agent-os review`, `jobs` and `personas` through the built CLI, with no LLM (briefing mode). */
function testEnv(): NodeJS.ProcessEnv {
  const env = isolatedGitEnv({ AGENT_OS_EMBEDDINGS: 'none' });
  for (const key of Object.keys(env)) if (key.startsWith('OPENAI_') || key === 'AGENT_OS_MODEL') delete env[key];
  return env;
}

const PASSWORDS = '---\ntags: [auth]\n---\n# Password storage\n\n## Hashing\n\nHash passwords with argon2id. Never log credentials.\n';
const SPECIALIST =
  '---\nname: Database Specialist\nidentifier: database\nstandard_directory: data\nmcp_tool_name: invoke_database\npriority: specialist\n---\n' +
  '# Database Specialist\n\nYou review schemas and migrations.\n\n## Checklist\n\n- Is every migration reversible?\n';

type Json = Record<string, unknown>;

describe('agent-os review, jobs and personas', () => {
  const cleanups: Array<() => void> = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  /** A repo with a committed security standard and an uncommitted change to review. */
  function repoWithChange(): TempRepo {
    const repo = makeRepo(testEnv());
    cleanups.push(() => repo.cleanup());
    repo.write('.gitignore', '.agent-os/.cache/\n');
    repo.write('.agent-os/standards/security/passwords.md', PASSWORDS);
    repo.write('src/auth/passwords.ts', 'export const hash = (p: string): string => p;\n');
    repo.commitAll('initial');
    repo.write('src/auth/passwords.ts', "import { createHash } from 'node:crypto';\nexport const hash = (p: string): string => createHash('md5').update(p).digest('hex');\n");
    return repo;
  }

  const cli = (repo: TempRepo, ...args: string[]) => runCli(['--root', repo.root, ...args], repo.env);

  it('reviews the working tree in briefing mode, then lists, shows and resets the job', () => {
    const repo = repoWithChange();
    const review = cli(repo, 'review', '--persona', 'security', '--json');
    expect(review.status, review.stderr).toBe(0);
    const view = JSON.parse(review.stdout) as Json;
    expect(view).toMatchObject({ status: 'complete', persona: 'security' });
    const result = String(view['result']);
    expect(result).toMatch(/Briefing mode/);
    expect(result).toContain('security/passwords.md');
    expect(result).toContain('src/auth/passwords.ts');
    const id = String(view['job_id']);

    const list = cli(repo, 'jobs', 'list', '--json');
    expect(list.status, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as { jobs: Json[]; total_count: number };
    expect(listed.total_count).toBe(1);
    expect(listed.jobs[0]).toMatchObject({ job_id: id, persona: 'security', status: 'complete' });
    expect(String(listed.jobs[0]!['task'])).toMatch(/^Review this change to src\/auth\/passwords\.ts/);
    const filtered = JSON.parse(cli(repo, 'jobs', 'list', '--status', 'failed', '--json').stdout) as { jobs: Json[] };
    expect(filtered.jobs).toEqual([]);

    const show = cli(repo, 'jobs', 'show', id);
    expect(show.status, show.stderr).toBe(0);
    expect(show.stdout.trimEnd()).toBe(result.trimEnd());
    const showJson = JSON.parse(cli(repo, 'jobs', 'show', id, '--json').stdout) as Json;
    expect(showJson).toMatchObject({ status: 'complete', job_id: id, tool_calls_made: expect.any(Number) });

    const stats = JSON.parse(cli(repo, 'jobs', 'stats', '--json').stdout) as Json;
    expect(stats).toMatchObject({ total_jobs: 1, jobs_by_status: { complete: 1 } });

    const watch = cli(repo, 'jobs', 'watch', id, '--json');
    expect(watch.status, watch.stderr).toBe(0);
    expect(JSON.parse(watch.stdout)).toMatchObject({ status: 'complete', job_id: id });

    const refused = cli(repo, 'jobs', 'reset');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/Nothing deleted/);
    expect(refused.stderr).toMatch(/--yes/);
    expect((JSON.parse(cli(repo, 'jobs', 'list', '--json').stdout) as { total_count: number }).total_count).toBe(1);

    const reset = cli(repo, 'jobs', 'reset', '--yes', '--json');
    expect(reset.status, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ status: 'reset', jobs_deleted: 1 });
    expect((JSON.parse(cli(repo, 'jobs', 'list', '--json').stdout) as { total_count: number }).total_count).toBe(0);
  }, 60_000);

  it('prints the result as text without --json, and reviews against another base with a task', () => {
    const repo = repoWithChange();
    repo.commitAll('md5 hashing');
    const human = cli(repo, 'review', '--persona', 'security', '--base', 'HEAD~1', 'check', 'password', 'hashing');
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^# Security Engineer: briefing/);
    expect(human.stdout).toContain('**Task:** check password hashing');
    expect(human.stdout).toContain('security/passwords.md');

    const nothing = cli(repo, 'review', '--persona', 'security');
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toMatch(/Nothing to review/);
    const badRef = cli(repo, 'review', '--persona', 'security', '--base', 'no-such-branch');
    expect(badRef.status).toBe(2);
    expect(badRef.stderr).toMatch(/Unknown git ref "no-such-branch"/);
  }, 60_000);

  it('a review of a planted flaw names the standard that governs it and the changed line', () => {
    const repo = makeRepo(testEnv());
    cleanups.push(() => repo.cleanup());
    repo.write('.gitignore', '.agent-os/.cache/\n');
    const picked = ['Secure_Code_Review', 'Secure_Coding_with_AI', 'Session_Management', 'Secrets_Management', 'Deserialization', 'Input_Validation', 'Logging', 'SQL_Injection_Prevention'];
    copyCorpus(`${repo.root}/.agent-os/standards`, (rel) => picked.some((name) => rel === `security/${name}_Cheat_Sheet.md`));
    repo.write('service/api/sessions.py', 'import base64\n\nfrom flask import request\n\n\ndef current_cart():\n    return {}\n');
    repo.commitAll('initial');
    repo.write(
      'service/api/sessions.py',
      'import base64\nimport pickle\n\nfrom flask import request\n\n\ndef current_cart():\n    raw = request.cookies.get("cart")\n    return pickle.loads(base64.b64decode(raw))\n',
    );
    const review = cli(repo, 'review', '--persona', 'security', '--json');
    expect(review.status, review.stderr).toBe(0);
    const result = String((JSON.parse(review.stdout) as Json)['result']);
    const listed = [...result.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1]);
    expect(listed.slice(0, 3)).toContain('security/Deserialization_Cheat_Sheet.md');
    expect(result).toMatch(/- `service\/api\/sessions\.py:9` `return pickle\.loads\(base64\.b64decode\(raw\)\)` — [^\n]*deserialization/);

    // A new file not yet added to git is read into the review, so its flaw counts too.
    repo.write('service/api/search.py', 'def search(db, term):\n    return db.execute("SELECT * FROM items WHERE name = \'" + term + "\'")\n');
    const again = cli(repo, 'review', '--persona', 'security', '--json');
    expect(again.status, again.stderr).toBe(0);
    const second = String((JSON.parse(again.stdout) as Json)['result']);
    expect([...second.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1])).toContain('security/SQL_Injection_Prevention_Cheat_Sheet.md');
    expect(second).toContain('`service/api/search.py:2`');
  }, 60_000);

  it('exits 2 for an unknown persona, listing the known ones, and submits nothing', () => {
    const repo = repoWithChange();
    const res = cli(repo, 'review', '--persona', 'nobody', '--json');
    expect(res.status).toBe(2);
    const err = JSON.parse(res.stdout) as { error: { code: string; message: string } };
    expect(err.error.code).toBe('BAD_INPUT');
    expect(err.error.message).toMatch(/Unknown persona "nobody"\. Known personas: architect, engineer, data, qa, security, sre/);
    expect(cli(repo, 'review', '--persona', 'nobody').stderr).toMatch(/Known personas: architect/);
    expect(cli(repo, 'review').status).toBe(2);
    expect((JSON.parse(cli(repo, 'jobs', '--json').stdout) as { total_count: number }).total_count).toBe(0);
  }, 60_000);

  it('cancelling an unknown job fails with a clear message', () => {
    const repo = repoWithChange();
    const res = cli(repo, 'jobs', 'cancel', 'no-such-job');
    expect([1, 2]).toContain(res.status);
    expect(res.stderr).toMatch(/No persona job with id 'no-such-job'/);
    const json = cli(repo, 'jobs', 'cancel', 'no-such-job', '--json');
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect(cli(repo, 'jobs', 'list', '--status', 'weird').status).toBe(2);
  }, 60_000);

  it('lists the six core personas and a project specialist, with load errors by file and field', () => {
    const repo = repoWithChange();
    repo.write('.agent-os/personas/database.md', SPECIALIST);
    repo.write('.agent-os/personas/broken.md', '---\nname: Broken\n---\nNo identifier.\n');
    const res = cli(repo, 'personas', '--json');
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { personas: Json[]; errors: Json[] };
    expect(out.personas.map((p) => p['identifier'])).toEqual(['architect', 'engineer', 'data', 'qa', 'security', 'sre', 'database']);
    expect(out.personas.find((p) => p['identifier'] === 'security')).toMatchObject({ origin: 'core', mcp_tool_name: 'invoke_security', standard_directory: 'security' });
    expect(out.personas.find((p) => p['identifier'] === 'database')).toMatchObject({
      origin: 'project',
      name: 'Database Specialist',
      standard_directory: 'data',
      file: '.agent-os/personas/database.md',
    });
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ file: '.agent-os/personas/broken.md', field: expect.any(String) });

    const human = cli(repo, 'personas');
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/database\s+Database Specialist\s+invoke_database\s+project\s+data/);
    expect(human.stdout).toMatch(/\.agent-os\/personas\/broken\.md/);

    const specialist = cli(repo, 'review', '--persona', 'database', '--json');
    expect(specialist.status, specialist.stderr).toBe(0);
    expect(String((JSON.parse(specialist.stdout) as Json)['result'])).toMatch(/reversible/);
  }, 60_000);

  it('jobs watch gives up after --timeout with what to do, and leaves the job alone', () => {
    const repo = repoWithChange();
    // A job queued by a server that is not running now: nobody will run it while we watch.
    const store = new SqliteJobStore(path.join(repo.root, '.agent-os', '.cache', 'jobs.db'));
    const job = store.create({ id: 'queued-job', persona: 'security', task: 'audit', context: null, priority: 'normal', created_at: Date.now() / 1000 });
    store.close();
    const res = cli(repo, 'jobs', 'watch', job.id, '--timeout', '1');
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`agent-os: Stopped waiting for persona job ${job.id} (security) after 1 s: it is still pending.`);
    expect(res.stderr).toContain(`The job was not cancelled. Follow it with \`agent-os jobs watch ${job.id}\``);
    expect(res.stderr).toContain('Raise the limit with --timeout <seconds>.');
    expect((JSON.parse(cli(repo, 'jobs', 'show', job.id, '--json').stdout) as Json)['status']).toBe('pending');
    const bad = cli(repo, 'jobs', 'watch', job.id, '--timeout', 'soon');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--timeout must be a number of seconds/);
  }, 60_000);

  it('review gives up after --timeout when the model never answers, and cancels the job it ran', async () => {
    const repo = repoWithChange();
    const fake = await startFakeLlm(() => ({ kind: 'hang' }));
    cleanups.push(() => void fake.close());
    const env = { ...repo.env, OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-fake', AGENT_OS_MODEL: 'fake-model' };
    const res = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, '--root', repo.root, 'review', '--persona', 'security', '--timeout', '2', '--json'], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(res.status, res.stderr).toBe(1);
    expect(fake.requestCount()).toBeGreaterThan(0);
    const view = JSON.parse(res.stdout) as Json;
    expect(view).toMatchObject({ status: 'cancelled', persona: 'security' });
    expect(res.stderr).toContain(
      `agent-os: the security review (job ${String(view['job_id'])}) did not finish within 2 s and was cancelled, as this process runs it and is exiting. Raise the limit with --timeout <seconds>.`,
    );
    const shown = JSON.parse(cli(repo, 'jobs', 'show', String(view['job_id']), '--json').stdout) as Json;
    expect(shown['status']).toBe('cancelled');
  }, 60_000);
});
