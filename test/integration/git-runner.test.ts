/** The one git runner: argument arrays, `--` before paths, stdin, truncation, exit codes, abort. */
import { afterEach, describe, expect, it } from 'vitest';

import { runGit, runGitBytes, runGitSync } from '../../src/infra/git-runner.js';
import { makeRepo, type TempRepo } from '../fakes/git-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function repo(): TempRepo {
  const r = makeRepo();
  repos.push(r);
  return r;
}

describe('runGit', () => {
  it('reads paths after `--`, so a name that looks like an option is a path', async () => {
    const r = repo();
    r.write('-x.md', 'dash\n');
    r.write('a.md', 'a\n');
    r.commitAll('files');
    const listed = await runGit(['ls-files'], { cwd: r.root, env: r.env, paths: ['-x.md'] });
    expect(listed).toMatchObject({ code: 0, stdout: '-x.md\n', truncated: false });
    expect(runGitSync(['ls-files'], { cwd: r.root, env: r.env, paths: ['-x.md'] }).stdout).toBe('-x.md\n');
  });

  it('feeds stdin, and never lets git ask for a password', async () => {
    const r = repo();
    const blob = await runGit(['hash-object', '--stdin'], { cwd: r.root, env: r.env, input: 'hello\n' });
    expect(blob.stdout.trim()).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    const prompt = await runGit(['-c', 'alias.prompt=!printenv GIT_TERMINAL_PROMPT', 'prompt'], { cwd: r.root, env: { ...r.env, GIT_TERMINAL_PROMPT: '1' } });
    expect(prompt.stdout.trim()).toBe('0');
  });

  it("reports git's exit status and stderr without throwing", async () => {
    const r = repo();
    const miss = await runGit(['rev-parse', '--verify', 'no-such-branch'], { cwd: r.root, env: r.env });
    expect(miss.code).toBe(128);
    expect(miss.stderr).toContain('fatal: Needed a single revision');
    expect(runGitSync(['rev-parse', '--verify', 'no-such-branch'], { cwd: r.root, env: r.env }).code).toBe(128);
  });

  it('keeps at most maxBuffer bytes of stdout and says it truncated', async () => {
    const r = repo();
    r.write('big.txt', 'x'.repeat(200_000));
    r.commitAll('big');
    const whole = await runGitBytes(['cat-file', '-p', 'HEAD:big.txt'], { cwd: r.root, env: r.env });
    expect(whole).toMatchObject({ code: 0, truncated: false });
    expect(whole.stdout.length).toBe(200_000);
    const cut = await runGit(['cat-file', '-p', 'HEAD:big.txt'], { cwd: r.root, env: r.env, maxBuffer: 1000 });
    expect(cut).toMatchObject({ code: -1, truncated: true });
    expect(cut.stdout).toBe('x'.repeat(1000));
  });

  it('says when git cannot be started', async () => {
    const r = repo();
    const missing = await runGit(['status'], { cwd: r.root, env: { ...r.env, PATH: '/nonexistent' } });
    expect(missing).toMatchObject({ code: 127, stderr: 'git is not installed' });
    expect(missing.startError).toBeInstanceOf(Error);
    const gone = await runGit(['status'], { cwd: `${r.root}/no-such-dir`, env: r.env });
    expect(gone).toMatchObject({ code: 127, stderr: `git could not be started: ${r.root}/no-such-dir does not exist` });
  });

  it('stops git when the signal aborts', async () => {
    const r = repo();
    const controller = new AbortController();
    const pending = runGit(['-c', 'alias.pause=!exec sleep 30', 'pause'], { cwd: r.root, env: r.env, signal: controller.signal });
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
    await expect(runGit(['status'], { cwd: r.root, env: r.env, signal: controller.signal })).rejects.toThrow('cancelled');
  });
});
