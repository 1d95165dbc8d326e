import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHooksDeps } from '../../src/app-deps.js';
import { HUSKY_HOOKS } from '../../src/domain/hook-scripts.js';
import { hooksStatus, installExportCheck, installHooks, uninstallHooks } from '../../src/services/hooks.js';
import { rejection } from '../fakes/errors.js';
import { ensureBuilt, makeRepo, type TempRepo } from '../fakes/git-repo.js';

/** hooks install / status / uninstall against real repositories (no hooks are run here; see test/e2e). */
describe('hooks service', () => {
  const repos: TempRepo[] = [];
  // `installed` needs the CLI the hooks would start: the built one.
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });
  function repo(): TempRepo {
    const r = makeRepo();
    repos.push(r);
    process.env['GIT_CONFIG_GLOBAL'] = r.env['GIT_CONFIG_GLOBAL'];
    return r;
  }
  const deps = () => createHooksDeps();

  it('joins a project that already uses husky: appends to your hook, keeps core.hooksPath, uninstall restores the file', async () => {
    const r = repo();
    // What `husky` (v9) leaves behind, plus the project's own committed hooks.
    r.write('.husky/_/h', '#!/usr/bin/env sh\n# husky runner\n', 0o755);
    r.write('.husky/_/.gitignore', '*');
    for (const name of HUSKY_HOOKS) r.write(`.husky/_/${name}`, '#!/usr/bin/env sh\n. "$(dirname "$0")/h"', 0o755);
    r.git('config', 'core.hooksPath', '.husky/_');
    const userPostMerge = 'npm install\n';
    r.write('.husky/post-merge', userPostMerge, 0o755);
    r.write('.husky/pre-commit', 'npx lint-staged\n', 0o755);

    const report = await installHooks(deps(), { root: r.root });
    expect(report.changedHooksPath).toBe(false);
    expect(report.chained).toEqual([]);
    expect(r.read('.husky/_/h')).toBe('#!/usr/bin/env sh\n# husky runner\n'); // husky's files are left alone
    const merged = r.read('.husky/post-merge') ?? '';
    expect(merged.startsWith(userPostMerge)).toBe(true);
    expect(merged).toContain('# >>> agent-os post-merge >>>');
    expect(r.read('.husky/post-checkout')).toContain('# agent-os: managed hook');
    expect(r.tryGit('config', 'agent-os.previousHooksPath').status).toBe(1);

    const status = await hooksStatus(deps(), { root: r.root });
    expect(status.installed).toBe(true);
    expect(status.hooks.map((h) => [h.name, h.state, h.form])).toEqual([
      ['post-merge', 'installed', 'appended'],
      ['post-checkout', 'installed', 'own'],
      ['post-rewrite', 'installed', 'own'],
    ]);

    // Idempotent: the block is replaced, not appended twice.
    await installHooks(deps(), { root: r.root });
    expect((r.read('.husky/post-merge') ?? '').split('>>> agent-os post-merge >>>')).toHaveLength(2);

    const un = await uninstallHooks(deps(), { root: r.root });
    expect(un.restoredHooksPath).toBeUndefined();
    expect(r.read('.husky/post-merge')).toBe(userPostMerge);
    expect(r.read('.husky/pre-commit')).toBe('npx lint-staged\n');
    expect(r.read('.husky/post-checkout')).toBeNull();
    expect(r.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    expect(r.read('.husky/_/h')).not.toBeNull();
  });

  it('reports an outdated hook and a missing installation', async () => {
    const r = repo();
    expect((await hooksStatus(deps(), { root: r.root })).installed).toBe(false);
    await installHooks(deps(), { root: r.root });
    r.write('.husky/post-rewrite', (r.read('.husky/post-rewrite') ?? '').replace('agent_os_reindex || true', 'true'), 0o755);
    const status = await hooksStatus(deps(), { root: r.root });
    expect(status.installed).toBe(false);
    expect(status.hooks.find((h) => h.name === 'post-rewrite')?.state).toBe('outdated');
    await installHooks(deps(), { root: r.root });
    expect((await hooksStatus(deps(), { root: r.root })).installed).toBe(true);
  });

  it('refuses outside a git repository with a clear message', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync(`${(await import('node:os')).tmpdir()}/agent-os-nogit-`);
    try {
      await expect(installHooks(deps(), { root: dir })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('not inside a git work tree') });
      expect((await hooksStatus(deps(), { root: dir })).gitRepo).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('the export check joins your husky pre-commit, needs the hooks installed, and leaves with uninstall', async () => {
    const r = repo();
    const refused = await rejection(installExportCheck(deps(), { root: r.root }));
    expect(refused.code).toBe('CONFIG');
    expect(refused.message).toContain('would never run');
    r.write('.husky/pre-commit', '#!/usr/bin/env sh\nnpx lint-staged\n', 0o755);
    await installHooks(deps(), { root: r.root });
    expect(await installExportCheck(deps(), { root: r.root })).toEqual({ file: '.husky/pre-commit', action: 'updated' });
    const hook = r.read('.husky/pre-commit') ?? '';
    expect(hook.startsWith('#!/usr/bin/env sh\nnpx lint-staged\n\n# >>> agent-os export-check >>>')).toBe(true);
    expect(await installExportCheck(deps(), { root: r.root })).toEqual({ file: '.husky/pre-commit', action: 'unchanged' });
    await uninstallHooks(deps(), { root: r.root });
    expect(r.read('.husky/pre-commit')).toBe('#!/usr/bin/env sh\nnpx lint-staged\n');
  });
});
