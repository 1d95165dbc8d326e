import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, isolatedGitEnv, makeRepo, runCli, type TempRepo } from '../fakes/git-repo.js';

/**
 * The git hooks as a user meets them: `agent-os hooks install` from the built CLI in a fresh
 * repository, then real merges, branch switches and rebases, with the index checked through
 * `agent-os search --json`. AGENT_OS_EMBEDDINGS=none keeps the background indexer fast.
 */

const LOGGING = '# Logging\n\nLog with structured fields; never log secrets.\n';

interface SearchJson {
  results: Array<{ file: string; content: string }>;
}

function cli(repo: TempRepo, ...args: string[]) {
  return runCli(['--root', repo.root, ...args], repo.env);
}

/** Files whose indexed content contains `word`, or null while there is no index yet. */
function indexedWith(repo: TempRepo, word: string): string[] | null {
  const r = cli(repo, 'search', '--json', '--limit', '20', word);
  if (r.status !== 0) return null;
  const out = JSON.parse(r.stdout) as SearchJson;
  return out.results.filter((x) => x.content.toLowerCase().includes(word)).map((x) => x.file);
}

/** Poll the index (bounded) until `ok`; the hook indexes in the background, so there is no fixed delay. */
async function eventually(repo: TempRepo, word: string, ok: (files: string[]) => boolean, what: string): Promise<string[]> {
  let last: string[] | null = null;
  for (let i = 0; i < 100; i++) {
    last = indexedWith(repo, word);
    if (last && ok(last)) return last;
    await sleep(200);
  }
  throw new Error(`never happened: ${what}; last result ${JSON.stringify(last)}\nhooks.log:\n${repo.read('.agent-os/.cache/hooks.log') ?? '(none)'}`);
}

/** Wait until every background index the hooks started has finished (each logs a result or an error). */
async function hooksSettled(repo: TempRepo): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const log = repo.read('.agent-os/.cache/hooks.log') ?? '';
    const started = log.split('\n').filter((l) => / re-indexing$/.test(l)).length;
    const finished = log.split('\n').filter((l) => l.startsWith('Indexed ') || l.startsWith('agent-os: ')).length;
    if (finished >= started) return;
    await sleep(100);
  }
}

function reindexCount(repo: TempRepo, hook: string): number {
  return (repo.read('.agent-os/.cache/hooks.log') ?? '').split('\n').filter((l) => l.endsWith(` ${hook}: re-indexing`)).length;
}

describe('git hooks re-index in the background (built CLI, real git)', () => {
  const repos: TempRepo[] = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(async () => {
    for (const r of repos.splice(0)) {
      await hooksSettled(r);
      r.cleanup();
    }
  });

  function project(env?: NodeJS.ProcessEnv): TempRepo {
    const repo = makeRepo(env);
    repos.push(repo);
    repo.write('.agent-os/standards/development/logging.md', LOGGING);
    repo.write('.gitignore', '.agent-os/.cache/\n');
    repo.commitAll('standards');
    return repo;
  }

  it('after `hooks install`, a merged standard becomes searchable; a branch switch re-indexes', async () => {
    const repo = project();
    const install = cli(repo, 'hooks', 'install', '--json');
    expect(install.status, install.stderr).toBe(0);
    expect(repo.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    expect(repo.read('.husky/_/agent-os.cli')).toContain(`bin=${path.join(path.resolve(__dirname, '../..'), 'dist', 'src', 'bin', 'agent-os.js')}`);
    // The husky runner dir is git-ignored; the hook scripts can be committed.
    expect(repo.git('status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual(['?? .husky/']);
    expect(repo.git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).sort()).toEqual([
      '?? .husky/post-checkout',
      '?? .husky/post-merge',
      '?? .husky/post-rewrite',
    ]);

    repo.git('switch', '-q', '-c', 'feature');
    repo.write('.agent-os/standards/security/auth.md', '---\ncreated_by: security\n---\n# Auth\n\nHash passwords with argon2id; zebrafish rule.\n');
    repo.commitAll('add auth standard');
    repo.git('switch', '-q', 'main');
    const merge = repo.tryGit('merge', '--no-ff', '-m', 'merge feature', 'feature');
    expect(merge.status, merge.stderr).toBe(0);
    await eventually(repo, 'zebrafish', (f) => f.includes('security/auth.md'), 'merged standard searchable');
    expect(reindexCount(repo, 'post-merge')).toBe(1);

    // A branch holding another standard: switching to it re-indexes (post-checkout, $3 = 1).
    repo.git('switch', '-q', '-c', 'docs');
    repo.write('.agent-os/standards/data/kafka.md', '# Kafka\n\nKey partitions by pangolin id.\n');
    repo.commitAll('kafka');
    await hooksSettled(repo);
    repo.git('switch', '-q', 'main');
    await eventually(repo, 'zebrafish', () => true, 'index readable');
    await hooksSettled(repo);
    expect(indexedWith(repo, 'pangolin')).toEqual([]);
    const switched = repo.tryGit('switch', '-q', 'docs');
    expect(switched.status, switched.stderr).toBe(0);
    await eventually(repo, 'pangolin', (f) => f.includes('data/kafka.md'), 'standard of the checked-out branch searchable');
    // Back on main the standard leaves the index again.
    repo.git('switch', '-q', 'main');
    await eventually(repo, 'pangolin', (f) => f.length === 0, 'standard gone after switching back');

    // A file checkout ($3 = 0) and a new branch at the same commit do not re-index.
    await hooksSettled(repo);
    const before = reindexCount(repo, 'post-checkout');
    repo.write('.agent-os/standards/development/logging.md', 'scratch');
    repo.git('checkout', '--', '.agent-os/standards/development/logging.md');
    repo.git('switch', '-q', '-c', 'same-commit');
    expect(reindexCount(repo, 'post-checkout')).toBe(before);

    // Status reports the installation; a second install changes nothing.
    const status = JSON.parse(cli(repo, 'hooks', 'status', '--json').stdout) as { installed: boolean; cliFound: boolean };
    expect(status).toMatchObject({ installed: true, cliFound: true });
    const again = JSON.parse(cli(repo, 'hooks', 'install', '--json').stdout) as { created: string[]; updated: string[] };
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
  }, 180_000);

  it('re-indexes after a rebase (post-rewrite)', async () => {
    const repo = project();
    expect(cli(repo, 'hooks', 'install').status).toBe(0);
    repo.git('switch', '-q', '-c', 'topic');
    repo.write('.agent-os/standards/testing/fixtures.md', '# Fixtures\n\nBuild axolotl fixtures with factories.\n');
    repo.commitAll('fixtures');
    repo.git('switch', '-q', 'main');
    repo.write('README.md', 'hello\n');
    repo.commitAll('readme');
    await hooksSettled(repo);
    const rebase = repo.tryGit('rebase', '-q', 'topic');
    expect(rebase.status, rebase.stderr).toBe(0);
    await eventually(repo, 'axolotl', (f) => f.includes('testing/fixtures.md'), 'rebased-in standard searchable');
    expect(reindexCount(repo, 'post-rewrite')).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('never fails git: a missing CLI is skipped quietly, a crashing CLI does not matter', async () => {
    const repo = project(isolatedGitEnv({ PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` }));
    expect(cli(repo, 'hooks', 'install').status).toBe(0);

    // The recorded CLI is gone and agent-os is not on PATH.
    repo.write('.husky/_/agent-os.cli', 'node=/nonexistent/node\nbin=/nonexistent/agent-os.js\nroot=.\n');
    repo.git('switch', '-q', '-c', 'feature');
    repo.write('.agent-os/standards/security/a.md', '# A\n\nquokka\n');
    repo.commitAll('a');
    const checkout = repo.tryGit('switch', '-q', 'main');
    expect(checkout.status, checkout.stderr).toBe(0);
    const merge = repo.tryGit('merge', '--no-ff', '-m', 'm', 'feature');
    expect(merge.status, merge.stderr).toBe(0);
    expect(merge.stderr).not.toMatch(/husky|agent-os/);
    expect(reindexCount(repo, 'post-merge')).toBe(0);

    // The CLI exists but crashes: it runs detached, so git still succeeds at once.
    repo.write('.husky/_/agent-os.cli', `node=${process.execPath}\nbin=${path.join(repo.root, 'crash.js')}\nroot=.\n`);
    repo.write('crash.js', 'console.error("agent-os: crashed on purpose"); process.exit(3);\n');
    repo.git('switch', '-q', '-c', 'feature2');
    repo.write('.agent-os/standards/security/b.md', '# B\n\nquokka\n');
    repo.commitAll('b');
    expect(repo.tryGit('switch', '-q', 'main').status).toBe(0);
    expect(repo.tryGit('merge', '--no-ff', '-m', 'm2', 'feature2').status).toBe(0);
    expect(reindexCount(repo, 'post-merge')).toBe(1);

    // Broken project state (the cache path is a file): the hook gives up, git does not notice.
    await hooksSettled(repo);
    const cache = path.join(repo.root, '.agent-os', '.cache');
    fs.rmSync(cache, { recursive: true, force: true });
    fs.writeFileSync(cache, 'not a directory');
    repo.git('switch', '-q', '-c', 'feature3');
    repo.write('.agent-os/standards/security/c.md', '# C\n');
    repo.commitAll('c');
    expect(repo.tryGit('switch', '-q', 'main').status).toBe(0);
    expect(repo.tryGit('merge', '--no-ff', '-m', 'm3', 'feature3').status).toBe(0);
    fs.rmSync(cache, { force: true });
  }, 120_000);

  it('keeps pre-existing hooks working: .git/hooks are chained, a foreign core.hooksPath needs --force', async () => {
    const repo = project();
    // A legacy post-merge (like git-lfs installs) and a commit-msg that rejects WIP commits.
    repo.write('.git/hooks/post-merge', '#!/bin/sh\necho "legacy post-merge $1" >> "$(git rev-parse --git-dir)/legacy.log"\n', 0o755);
    repo.write('.git/hooks/commit-msg', '#!/bin/sh\nif grep -q WIP "$1"; then echo "no WIP commits" >&2; exit 1; fi\n', 0o755);
    repo.write('.git/hooks/pre-push.sample', '#!/bin/sh\nexit 1\n', 0o755);
    const install = JSON.parse(cli(repo, 'hooks', 'install', '--json').stdout) as { chained: string[] };
    expect(install.chained.sort()).toEqual(['commit-msg', 'post-merge']);

    repo.git('switch', '-q', '-c', 'feature');
    repo.write('.agent-os/standards/security/auth.md', '# Auth\n\nnarwhal sessions rotate.\n');
    repo.commitAll('auth');
    repo.git('switch', '-q', 'main');
    expect(repo.tryGit('merge', '--no-ff', '-m', 'merge', 'feature').status).toBe(0);
    expect(repo.read('.git/legacy.log')).toBe('legacy post-merge 0\n');
    await eventually(repo, 'narwhal', (f) => f.includes('security/auth.md'), 'agent-os hook ran after the legacy one');

    repo.write('x.txt', 'x');
    repo.git('add', 'x.txt');
    const wip = repo.tryGit('commit', '-q', '-m', 'WIP stuff');
    expect(wip.status).not.toBe(0);
    expect(wip.stderr).toContain('no WIP commits');
    expect(repo.tryGit('commit', '-q', '-m', 'real work').status).toBe(0);

    // Uninstall puts everything back: hooksPath unset, .husky gone, the legacy hooks run directly again.
    const un = cli(repo, 'hooks', 'uninstall');
    expect(un.status, un.stderr).toBe(0);
    expect(repo.tryGit('config', 'core.hooksPath').status).toBe(1);
    expect(repo.read('.husky/post-merge')).toBeNull();
    repo.write('y.txt', 'y');
    repo.git('add', 'y.txt');
    expect(repo.tryGit('commit', '-q', '-m', 'WIP again').status).not.toBe(0);

    // Another tool's core.hooksPath: refused with a clear message, taken over (and chained) with --force.
    repo.write('.githooks/post-merge', '#!/bin/sh\necho "githooks post-merge" >> "$(git rev-parse --git-dir)/legacy.log"\n', 0o755);
    repo.git('config', 'core.hooksPath', '.githooks');
    const refused = cli(repo, 'hooks', 'install');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/core\.hooksPath is already set to "\.githooks".*\n.*--force/);
    expect(repo.git('config', 'core.hooksPath').trim()).toBe('.githooks');
    expect(cli(repo, 'hooks', 'install', '--force').status).toBe(0);
    repo.git('switch', '-q', '-c', 'feature2');
    repo.write('.agent-os/standards/security/more.md', '# More\n\nocelot tokens expire.\n');
    repo.commitAll('more');
    repo.git('switch', '-q', 'main');
    expect(repo.tryGit('merge', '--no-ff', '-m', 'merge2', 'feature2').status).toBe(0);
    expect(repo.read('.git/legacy.log')).toContain('githooks post-merge');
    await eventually(repo, 'ocelot', (f) => f.includes('security/more.md'), 'indexed after forced install');
    expect(cli(repo, 'hooks', 'uninstall').status).toBe(0);
    expect(repo.git('config', 'core.hooksPath').trim()).toBe('.githooks');
  }, 180_000);
});
