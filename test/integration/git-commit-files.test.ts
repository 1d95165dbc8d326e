import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitPlumbing } from '../../src/infra/git-plumbing.js';
import { rejection } from '../fakes/errors.js';
import { makeRepo, type TempRepo } from '../fakes/git-repo.js';

const BRANCH = 'agent-os/standard/import/2026-11-30';

/** `commitFiles`: several files in one commit on a new branch, with the same guarantees as `commitFile`. */
describe('GitPlumbing.commitFiles', () => {
  const repos: TempRepo[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });
  function repo(): TempRepo {
    const r = makeRepo();
    repos.push(r);
    r.write('README.md', '# Project\n');
    r.write('.agent-os/standards/testing/unit.md', '# Unit\n');
    r.commitAll('Initial commit');
    return r;
  }
  function snapshot(r: TempRepo) {
    r.git('status', '--porcelain');
    return {
      status: r.git('status', '--porcelain=v1', '-z', '--untracked-files=all'),
      head: r.git('rev-parse', 'HEAD').trim(),
      index: fs.readFileSync(path.join(r.root, '.git/index')),
      staged: r.git('diff', '--cached', '--binary'),
      unstaged: r.git('diff', '--binary'),
    };
  }

  it('writes every file in one commit on a new branch; the dirty checkout is untouched', async () => {
    const r = repo();
    r.write('README.md', '# Project\n\nunstaged\n');
    r.write('staged.txt', 'staged\n');
    r.git('add', 'staged.txt');
    const before = snapshot(r);
    const g = new GitPlumbing(r.root, { env: r.env });
    const files = [
      { path: '.agent-os/standards/security/secrets.md', content: '# Secrets\n' },
      { path: '.agent-os/standards/testing/unit.md', content: '# Unit tests, replaced\n' },
      { path: '.agent-os/standards/data/migrations.md', content: '# Migrations\n' },
    ];
    const res = await g.commitFiles({ branch: BRANCH, base: 'main', files, message: 'Import 3 standards', expectTip: null });
    expect(res.created).toBe(true);
    expect(snapshot(r)).toEqual(before);
    expect(r.git('rev-list', '--count', `main..${BRANCH}`).trim()).toBe('1');
    expect(r.git('diff-tree', '--no-commit-id', '--name-status', '-r', BRANCH).trim().split('\n').sort()).toEqual([
      'A\t.agent-os/standards/data/migrations.md',
      'A\t.agent-os/standards/security/secrets.md',
      'M\t.agent-os/standards/testing/unit.md',
    ]);
    for (const f of files) expect(r.git('show', `${BRANCH}:${f.path}`)).toBe(f.content);
    expect(r.git('show', '-s', '--format=%B', BRANCH).trim()).toBe('Import 3 standards');
    // The branch exists now: a second import with expectTip null is refused, nothing moves.
    const again = await rejection(g.commitFiles({ branch: BRANCH, base: 'main', files, message: 'again', expectTip: null }));
    expect(again.code).toBe('CONFLICT');
    expect(r.git('rev-parse', BRANCH).trim()).toBe(res.commit);
  });

  it('refuses nothing to commit, duplicate paths, unsafe paths and an empty list', async () => {
    const r = repo();
    const g = new GitPlumbing(r.root, { env: r.env });
    const same = await rejection(g.commitFiles({ branch: BRANCH, base: 'main', files: [{ path: '.agent-os/standards/testing/unit.md', content: '# Unit\n' }], message: 'm' }));
    expect(same.code).toBe('BAD_INPUT');
    expect(same.message).toContain('nothing to commit');
    const dup = await rejection(
      g.commitFiles({ branch: BRANCH, base: 'main', files: [{ path: 'a.md', content: 'a' }, { path: 'a.md', content: 'b' }], message: 'm' }),
    );
    expect(dup.message).toContain('"a.md" twice');
    expect((await rejection(g.commitFiles({ branch: BRANCH, base: 'main', files: [{ path: '../x.md', content: 'a' }], message: 'm' }))).code).toBe('BAD_INPUT');
    expect((await rejection(g.commitFiles({ branch: BRANCH, base: 'main', files: [], message: 'm' }))).message).toContain('No files');
    expect(r.tryGit('rev-parse', '--verify', '-q', BRANCH).status).not.toBe(0);
  });
});
