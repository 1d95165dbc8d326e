import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitPlumbing, type GitPlumbingOptions } from '../../src/infra/git-plumbing.js';
import { rejection } from '../fakes/errors.js';
import { makeRepo, type TempRepo } from '../fakes/git-repo.js';

const FILE = '.agent-os/standards/api/errors.md';
const BRANCH = 'agent-os/standard/api/errors';
const STANDARD = '# Errors\n\n## Context\nAPIs fail.\n\n## Pattern\nUse problem+json.\n';

/** ProposalGit against real repositories: nothing the user has checked out, staged or left uncommitted may change. */
describe('GitPlumbing (ProposalGit)', () => {
  const dirs: string[] = [];
  const repos: TempRepo[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function repo(withCommit = true): TempRepo {
    const r = makeRepo();
    repos.push(r);
    if (withCommit) {
      r.write('README.md', '# Project\n');
      r.write('src/a.txt', 'one\n');
      r.commitAll('Initial commit');
    }
    return r;
  }
  function tempDir(): string {
    const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-gitp-')));
    dirs.push(d);
    return d;
  }
  const plumbing = (r: TempRepo, options: GitPlumbingOptions = {}) => new GitPlumbing(r.root, { env: r.env, ...options });
  const bytes = (r: TempRepo, rel: string) => fs.readFileSync(path.join(r.root, rel));
  function snapshot(r: TempRepo) {
    r.git('status', '--porcelain'); // may refresh the index's stat data: do it before reading the index bytes
    return {
      status: r.git('status', '--porcelain=v1', '-z', '--untracked-files=all'),
      head: r.git('rev-parse', 'HEAD').trim(),
      symbolic: r.tryGit('symbolic-ref', '-q', 'HEAD').stdout,
      index: bytes(r, '.git/index'),
      staged: r.git('diff', '--cached', '--binary'),
      unstaged: r.git('diff', '--binary'),
      files: ['README.md', 'src/a.txt', 'src/b.txt', 'untracked.txt'].map((f) => r.read(f)),
    };
  }

  it('commits the file on a new branch without touching a dirty checkout (staged, unstaged, untracked)', async () => {
    const r = repo();
    const base = r.git('rev-parse', 'main').trim();
    r.write('src/a.txt', 'one\ntwo (staged)\n');
    r.git('add', 'src/a.txt');
    r.write('src/a.txt', 'one\ntwo (staged)\nthree (unstaged)\n');
    r.write('src/b.txt', 'new staged file\n');
    r.git('add', 'src/b.txt');
    r.write('untracked.txt', 'scratch\n');
    const before = snapshot(r);

    const g = plumbing(r);
    expect(await g.defaultBranch()).toBe('main');
    expect(await g.branchExists(BRANCH)).toBe(false);
    const res = await g.commitFile({
      branch: BRANCH,
      base: 'main',
      path: FILE,
      content: STANDARD,
      message: 'Propose standard api/errors\n\nRationale: consistency.',
      author: { name: 'Architect Persona', email: 'architect@agent-os.local' },
    });

    expect(res.created).toBe(true);
    expect(snapshot(r)).toEqual(before);
    expect(r.read(FILE)).toBeNull(); // not written into the working tree
    expect(await g.branchExists(BRANCH)).toBe(true);
    expect(r.git('rev-parse', BRANCH).trim()).toBe(res.commit);
    expect(r.git('rev-list', '--count', `main..${BRANCH}`).trim()).toBe('1');
    expect(r.git('rev-parse', `${BRANCH}^`).trim()).toBe(base);
    expect(r.git('diff-tree', '--no-commit-id', '--name-status', '-r', BRANCH).trim()).toBe(`A\t${FILE}`);
    expect(r.git('show', `${BRANCH}:${FILE}`)).toBe(STANDARD);
    expect(r.git('show', '-s', '--format=%an <%ae>|%cn <%ce>|%B', BRANCH).trim()).toBe(
      'Architect Persona <architect@agent-os.local>|Test User <test@example.com>|Propose standard api/errors\n\nRationale: consistency.',
    );
    expect(await g.readFileAt(BRANCH, FILE)).toBe(STANDARD);
    expect(await g.readFileAt('main', FILE)).toBeNull();
    expect(await g.readFileAt('no-such-ref', FILE)).toBeNull();
    // One batch: answers in order; missing refs, missing paths and directories are null; bytes stay intact.
    expect(await g.readFilesAt([{ ref: BRANCH, path: FILE }, { ref: 'main', path: FILE }, { ref: 'nope', path: FILE }, { ref: BRANCH, path: '.agent-os' }, { ref: '--all', path: FILE }, { ref: 'main', path: 'README.md' }, { ref: BRANCH, path: FILE }])).toEqual([
      STANDARD, null, null, null, null, '# Project\n', STANDARD,
    ]);
    expect(await g.isMergedInto(BRANCH, 'main')).toEqual({ merged: false });
    const listed = await g.listRefs(['refs/heads/agent-os/']);
    expect(listed.map((t) => [t.ref, t.commit, t.head.message])).toEqual([[`refs/heads/${BRANCH}`, res.commit, 'Propose standard api/errors\n\nRationale: consistency.']]);
    expect(listed[0]!.head).toMatchObject({ author: 'Architect Persona <architect@agent-os.local>', committer: 'Test User <test@example.com>', parents: [base] });
    expect(await g.listRefs(['refs/heads/agent-os/'], { mergedInto: 'main' })).toEqual([]);
    expect(await g.listRefs(['refs/heads/agent-os/'], { mergedInto: 'no-such-branch' })).toEqual([]);
  });

  it('a revision is a new commit on the same branch; the same content again is no new commit', async () => {
    const r = repo();
    const g = plumbing(r);
    const first = await g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: STANDARD, message: 'Propose' });
    r.git('commit', '--allow-empty', '-q', '-m', 'main moves on'); // a revision builds on the branch, not on base
    const revised = `${STANDARD}\n## Examples\nAdded after review.\n`;
    const second = await g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: revised, message: 'Revise: add examples' });
    expect(second.created).toBe(false);
    expect(r.git('rev-parse', `${BRANCH}^`).trim()).toBe(first.commit);
    expect(r.git('rev-list', '--count', `main~1..${BRANCH}`).trim()).toBe('2');
    expect(await g.readFileAt(BRANCH, FILE)).toBe(revised);
    expect(r.git('diff', first.commit, second.commit)).toContain('+Added after review.');

    const again = await g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: revised, message: 'Revise again' });
    expect(again).toEqual({ commit: second.commit, created: false });
  });

  it('refuses to move a proposal branch that is checked out (here or in a linked worktree)', async () => {
    const r = repo();
    const g = plumbing(r);
    const first = await g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: STANDARD, message: 'Propose' });
    const revised = `${STANDARD}\nMore.\n`;
    r.git('checkout', '-q', BRANCH);
    const here = await rejection(g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: revised, message: 'Revise' }));
    expect(here.code).toBe('CONFLICT');
    expect(here.message).toContain('checked out');
    expect(r.git('rev-parse', BRANCH).trim()).toBe(first.commit);
    expect(r.git('status', '--porcelain')).toBe('');

    r.git('checkout', '-q', 'main');
    const linked = tempDir();
    r.git('worktree', 'add', '-q', path.join(linked, 'wt'), BRANCH);
    expect((await rejection(g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: revised, message: 'Revise' }))).code).toBe('CONFLICT');
    r.git('worktree', 'remove', '--force', path.join(linked, 'wt'));
    expect((await g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: revised, message: 'Revise' })).commit).not.toBe(first.commit);
  });

  it('replacing an existing standard shows the change as a diff; unchanged content is refused', async () => {
    const r = repo();
    r.write(FILE, STANDARD);
    r.commitAll('Add standard');
    const g = plumbing(r);
    const updated = STANDARD.replace('Use problem+json.', 'Use problem+json with a stable `type` URI.');
    await g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: updated, message: 'Update api/errors' });
    expect(r.git('diff-tree', '--no-commit-id', '--name-status', '-r', BRANCH).trim()).toBe(`M\t${FILE}`);
    const diff = r.git('diff', 'main', BRANCH);
    expect(diff).toContain('-Use problem+json.');
    expect(diff).toContain('+Use problem+json with a stable `type` URI.');
    expect(r.read(FILE)).toBe(STANDARD);

    const e = await rejection(g.commitFile({ branch: 'agent-os/standard/api/same', base: 'main', path: FILE, content: STANDARD, message: 'x' }));
    expect(e.code).toBe('BAD_INPUT');
    expect(await g.branchExists('agent-os/standard/api/same')).toBe(false);
  });

  it('without a configured identity the author also commits (else agent-os)', async () => {
    const r = repo();
    r.git('config', '--unset', 'user.name');
    r.git('config', '--unset', 'user.email');
    const g = plumbing(r);
    await g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: STANDARD, message: 'Propose', author: { name: 'Persona', email: 'p@agent-os.local' } });
    expect(r.git('show', '-s', '--format=%an <%ae>|%cn <%ce>', BRANCH).trim()).toBe('Persona <p@agent-os.local>|Persona <p@agent-os.local>');
    await g.commitFile({ branch: 'agent-os/standard/x/y', base: 'main', path: 'x.md', content: 'x\n', message: 'Propose' });
    expect(r.git('show', '-s', '--format=%an <%ae>|%cn <%ce>', 'agent-os/standard/x/y').trim()).toBe('agent-os <agent-os@localhost>|agent-os <agent-os@localhost>');
  });

  it('works on a detached HEAD and leaves it detached', async () => {
    const r = repo();
    r.git('commit', '--allow-empty', '-q', '-m', 'second');
    r.git('checkout', '-q', '--detach', 'HEAD~1');
    const head = r.git('rev-parse', 'HEAD').trim();
    const g = plumbing(r);
    expect(await g.defaultBranch()).toBe('main');
    const res = await g.commitFile({ branch: BRANCH, base: await g.defaultBranch(), path: FILE, content: STANDARD, message: 'Propose' });
    expect(r.git('rev-parse', `${res.commit}^`).trim()).toBe(r.git('rev-parse', 'main').trim());
    expect(r.git('rev-parse', 'HEAD').trim()).toBe(head);
    expect(r.tryGit('symbolic-ref', '-q', 'HEAD').status).toBe(1);
    expect(r.git('status', '--porcelain')).toBe('');
  });

  it('a repository without commits is NOT_INITIALIZED, with a hint to make a first commit', async () => {
    const r = repo(false);
    const g = plumbing(r);
    const e = await rejection(g.defaultBranch());
    expect(e.code).toBe('NOT_INITIALIZED');
    expect(e.hint).toMatch(/first commit/);
    const e2 = await rejection(g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: STANDARD, message: 'x' }));
    expect(e2.code).toBe('NOT_INITIALIZED');
    expect(r.tryGit('rev-parse', '--verify', '-q', BRANCH).status).not.toBe(0);
  });

  it('refuses unsafe branch names and paths', async () => {
    const r = repo();
    const g = plumbing(r);
    for (const branch of ['', '-f', 'a..b', '@{-1}', 'HEAD', 'refs/heads/x', 'a b', 'x.lock', 'agent-os/standard/api/errors.']) {
      const e = await rejection(g.commitFile({ branch, base: 'main', path: FILE, content: STANDARD, message: 'x' }));
      expect(e.code, branch).toBe('BAD_INPUT');
    }
    for (const file of ['', '/etc/passwd', '../outside.md', 'a/../../b.md', '.git/config', 'a//b.md', 'a\\b.md', 'C:/x.md']) {
      const e = await rejection(g.commitFile({ branch: BRANCH, base: 'main', path: file, content: STANDARD, message: 'x' }));
      expect(e.code, file).toBe('BAD_INPUT');
    }
    expect(r.git('for-each-ref', '--format=%(refname)', 'refs/heads').trim()).toBe('refs/heads/main');
  });

  it('a concurrent update of the branch is detected (compare-and-swap), no commit is lost', async () => {
    const r = repo();
    // Another writer creates the branch between our read and our ref update.
    let competing = '';
    const racing = plumbing(r, {
      beforeRefUpdate: async () => {
        competing = (
          await plumbing(r).commitFile({ branch: BRANCH, base: 'main', path: FILE, content: 'other\n', message: 'Other writer' })
        ).commit;
      },
    });
    const e = await rejection(racing.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: STANDARD, message: 'Propose' }));
    expect(e.code).toBe('LOCKED');
    expect(r.git('rev-parse', BRANCH).trim()).toBe(competing);

    // Same on an existing branch: the concurrent revision stays, ours is refused and can be retried.
    let competing2 = '';
    const racing2 = plumbing(r, {
      beforeRefUpdate: async () => {
        competing2 = (await plumbing(r).commitFile({ branch: BRANCH, base: 'main', path: FILE, content: 'other 2\n', message: 'Other 2' })).commit;
      },
    });
    expect((await rejection(racing2.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: STANDARD, message: 'Revise' }))).code).toBe('LOCKED');
    expect(r.git('rev-parse', BRANCH).trim()).toBe(competing2);
    expect(r.git('rev-parse', `${BRANCH}^`).trim()).toBe(competing);
    const retried = await plumbing(r).commitFile({ branch: BRANCH, base: 'main', path: FILE, content: STANDARD, message: 'Revise' });
    expect(r.git('rev-parse', `${retried.commit}^`).trim()).toBe(competing2);
  });

  it('reports a merge done by a human in the same repository, with the merge commit and its committer', async () => {
    const r = repo();
    const g = plumbing(r);
    const { commit } = await g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: STANDARD, message: 'Propose' });
    r.git('commit', '--allow-empty', '-q', '-m', 'unrelated work on main');
    expect(await g.isMergedInto(BRANCH, 'main')).toEqual({ merged: false });
    r.env = { ...r.env, GIT_COMMITTER_NAME: 'Mia Merger', GIT_COMMITTER_EMAIL: 'mia@example.com' };
    r.git('merge', '--no-ff', '-q', '--no-edit', BRANCH);
    r.git('commit', '--allow-empty', '-q', '-m', 'later work on main');
    const merge = r.git('rev-parse', 'HEAD~1').trim();
    expect(await g.isMergedInto(BRANCH, 'main')).toEqual({ merged: true, mergeCommit: merge, mergedBy: 'Mia Merger <mia@example.com>' });
    // After the branch is deleted the recorded proposal commit still answers.
    await g.deleteBranch(BRANCH);
    expect(await g.branchExists(BRANCH)).toBe(false);
    expect((await g.isMergedInto(commit, 'main')).mergeCommit).toBe(merge);
    expect(await g.isMergedInto('agent-os/standard/gone/away', 'main')).toEqual({ merged: false });
    await g.deleteBranch(BRANCH); // already gone: no-op
  });

  it('pushes to a bare file:// remote; a second clone merges as a human would; a broken remote fails clearly', async () => {
    const r = repo();
    const bare = tempDir();
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare], { env: r.env });
    r.git('remote', 'add', 'origin', `file://${bare}`);
    r.git('push', '-q', 'origin', 'main');
    r.git('remote', 'set-head', 'origin', '--auto');
    const g = plumbing(r);
    expect(await g.defaultBranch()).toBe('main');
    await g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: STANDARD, message: 'Propose' });
    await g.push('origin', BRANCH);
    expect(execFileSync('git', ['rev-parse', BRANCH], { cwd: bare, env: r.env, encoding: 'utf8' }).trim()).toBe(r.git('rev-parse', BRANCH).trim());

    // A reviewer merges in their own clone and pushes.
    const cloneDir = path.join(tempDir(), 'clone');
    execFileSync('git', ['clone', '-q', `file://${bare}`, cloneDir], { env: r.env });
    const reviewer = { ...r.env, GIT_AUTHOR_NAME: 'Rae Reviewer', GIT_AUTHOR_EMAIL: 'rae@example.com', GIT_COMMITTER_NAME: 'Rae Reviewer', GIT_COMMITTER_EMAIL: 'rae@example.com' };
    const inClone = (...args: string[]) => execFileSync('git', args, { cwd: cloneDir, env: reviewer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    inClone('merge', '--no-ff', '-q', '--no-edit', `origin/${BRANCH}`);
    inClone('push', '-q', 'origin', 'main');
    const merge = inClone('rev-parse', 'HEAD').trim();

    expect((await g.isMergedInto(BRANCH, 'origin/main')).merged).toBe(false); // not fetched yet
    r.git('fetch', '-q', 'origin');
    expect(await g.isMergedInto(BRANCH, 'origin/main')).toEqual({ merged: true, mergeCommit: merge, mergedBy: 'Rae Reviewer <rae@example.com>' });

    r.git('remote', 'add', 'broken', `file://${path.join(bare, 'does-not-exist')}`);
    const e = await rejection(g.push('broken', BRANCH));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/git push of agent-os\/standard\/api\/errors to broken failed: .*(does not appear to be a git repository|Could not read)/s);
    expect(e.hint).toMatch(/kept on the local branch/);
    expect((await rejection(g.push('--upload-pack=evil', BRANCH))).code).toBe('BAD_INPUT');
  });

  it('mergeNoFf: plumbing when the target is not checked out, git merge on a clean checkout, refusal on a dirty one', async () => {
    const r = repo();
    const g = plumbing(r);
    await g.commitFile({ branch: BRANCH, base: 'main', path: FILE, content: STANDARD, message: 'Propose' });
    r.git('checkout', '-q', '-b', 'feature');
    r.write('src/a.txt', 'dirty\n');
    const merge = await g.mergeNoFf(BRANCH, 'main', 'Approve api/errors');
    expect(r.git('rev-parse', 'main').trim()).toBe(merge);
    expect(r.git('rev-parse', `${merge}^2`).trim()).toBe(r.git('rev-parse', BRANCH).trim());
    expect(r.git('show', `main:${FILE}`)).toBe(STANDARD);
    expect(r.read('src/a.txt')).toBe('dirty\n');
    expect(r.git('symbolic-ref', '--short', 'HEAD').trim()).toBe('feature');
    expect((await g.isMergedInto(BRANCH, 'main')).mergeCommit).toBe(merge);

    const second = 'agent-os/standard/api/paging';
    await g.commitFile({ branch: second, base: 'main', path: '.agent-os/standards/api/paging.md', content: '# Paging\n', message: 'Propose' });
    r.git('checkout', '-q', 'main'); // carries the dirty src/a.txt along
    const e = await rejection(g.mergeNoFf(second, 'main', 'Approve api/paging'));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(/uncommitted changes/);
    expect(r.git('rev-parse', 'main').trim()).toBe(merge);
    r.git('checkout', '-q', '--', 'src/a.txt');
    const merge2 = await g.mergeNoFf(second, 'main', 'Approve api/paging');
    expect(r.git('rev-parse', 'HEAD').trim()).toBe(merge2);
    expect(r.read('.agent-os/standards/api/paging.md')).toBe('# Paging\n');
    expect(r.git('status', '--porcelain')).toBe('');
  });
});
