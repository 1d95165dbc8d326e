/**
 * Read-only project access for personas: confinement to the root, secrets, caps, grep and git diff.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AgentOsError } from '../../src/domain/errors.js';
import { NodeProjectFiles } from '../../src/infra/project-files.js';
import { makeRepo, type TempRepo } from '../fakes/git-repo.js';

let repo: TempRepo;
let outside: string;
let files: NodeProjectFiles;

async function refusal(promise: Promise<unknown>): Promise<AgentOsError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgentOsError);
  return err as AgentOsError;
}

beforeAll(() => {
  repo = makeRepo();
  outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-outside-')));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET');
  repo.write('src/app.ts', 'export function handle() {\n  // TODO: validate input\n  return 1;\n}\n');
  repo.write('src/util.ts', 'export const x = 1; // todo later\n');
  repo.write('docs/guide.md', '# Guide\nTODO: write it\n');
  repo.write('.gitignore', 'dist/\nlocal.json\n');
  repo.write('big.txt', 'a'.repeat(10_000));
  repo.write('.env', 'API_KEY=sk-live-123\n');
  repo.write('.env.production', 'API_KEY=sk-live-456\n');
  repo.write('certs/server.pem', '-----BEGIN PRIVATE KEY-----\n');
  repo.write('certs/server.key', 'key\n');
  repo.write('deploy/id_rsa', 'key\n');
  repo.commitAll('initial');
  // Not committed: ignored build output and local config, and an untracked file.
  repo.write('dist/app.js', 'TODO compiled\n');
  repo.write('local.json', '{"password":"hunter2"}\n');
  repo.write('src/new.ts', 'export const fresh = true; // TODO new\n');
  repo.write('bin.dat', 'abc\0def');
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(repo.root, 'escape.txt'));
  fs.symlinkSync(outside, path.join(repo.root, 'escape-dir'));
  fs.symlinkSync('src/app.ts', path.join(repo.root, 'inside-link.ts'));
  fs.symlinkSync('.env', path.join(repo.root, 'env-link'));
  files = new NodeProjectFiles(repo.root, { env: repo.env, maxReadBytes: 1000 });
});

afterAll(() => {
  repo.cleanup();
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('NodeProjectFiles.readFile', () => {
  it('reads a project file by relative path', async () => {
    const f = await files.readFile('src/app.ts');
    expect(f).toMatchObject({ path: 'src/app.ts', truncated: false });
    expect(f.content).toContain('TODO: validate input');
    expect((await files.readFile('./src//app.ts')).path).toBe('src/app.ts');
    expect((await files.readFile('src\\app.ts')).path).toBe('src/app.ts');
  });

  it('refuses paths that leave the root', async () => {
    for (const p of ['../x', 'src/../../x', '..', 'src/../src/app.ts']) {
      expect((await refusal(files.readFile(p))).code).toBe('OUTSIDE_PROJECT');
    }
    for (const p of [path.join(outside, 'secret.txt'), '/etc/passwd', 'C:\\Windows\\win.ini', '\\\\server\\share']) {
      expect((await refusal(files.readFile(p))).code).toBe('OUTSIDE_PROJECT');
    }
  });

  it('refuses symlinks whose real path is outside the root, but follows those inside', async () => {
    const e = await refusal(files.readFile('escape.txt'));
    expect(e.code).toBe('OUTSIDE_PROJECT');
    expect(e.message).not.toContain('TOP SECRET');
    expect((await refusal(files.readFile('escape-dir/secret.txt'))).code).toBe('OUTSIDE_PROJECT');
    expect((await files.readFile('inside-link.ts')).content).toContain('handle');
    // A link inside the project that points at a secrets file is still a secrets file.
    expect((await refusal(files.readFile('env-link'))).code).toBe('BAD_INPUT');
  });

  it('refuses .git and secrets files', async () => {
    for (const p of ['.git/config', '.git/HEAD', 'src/.git/x', '.GIT/config']) {
      const e = await refusal(files.readFile(p));
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toContain('.git');
    }
    for (const p of ['.env', '.env.production', 'certs/server.pem', 'certs/server.key', 'deploy/id_rsa']) {
      const e = await refusal(files.readFile(p));
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toContain('secrets');
    }
  });

  it('refuses files git ignores', async () => {
    for (const p of ['local.json', 'dist/app.js']) {
      const e = await refusal(files.readFile(p));
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toContain('ignored by git');
    }
  });

  it('caps the size with a truncation note', async () => {
    const f = await files.readFile('big.txt');
    expect(f.truncated).toBe(true);
    expect(f.content).toHaveLength(1000);
    expect(f.bytes).toBe(10_000);
    expect(f.note).toContain('first 1000 of 10000 bytes');
    expect((await files.readFile('big.txt', { maxBytes: 10 })).content).toBe('a'.repeat(10));
  });

  it('reports missing files, directories and binaries clearly', async () => {
    expect((await refusal(files.readFile('nope.ts'))).code).toBe('NOT_FOUND');
    expect((await refusal(files.readFile('src'))).message).toContain('not a file');
    expect((await refusal(files.readFile('bin.dat'))).message).toContain('binary');
    expect((await refusal(files.readFile(''))).code).toBe('BAD_INPUT');
  });
});

describe('NodeProjectFiles.listFiles', () => {
  it('lists tracked and untracked files, without ignored, secrets or .git', async () => {
    const { files: all, truncated } = await files.listFiles('.', { limit: 100 });
    expect(truncated).toBe(false);
    expect(all).toEqual(expect.arrayContaining(['src/app.ts', 'src/new.ts', 'docs/guide.md', 'big.txt', '.gitignore']));
    for (const f of all) {
      expect(f).not.toMatch(/^\.git\/|^\.env|\.pem$|\.key$|id_rsa|^dist\/|local\.json/);
    }
  });

  it('filters by directory and glob, with a limit', async () => {
    expect((await files.listFiles('src', { limit: 100 })).files).toEqual(['src/app.ts', 'src/new.ts', 'src/util.ts']);
    expect((await files.listFiles('', { glob: '*.md' })).files).toEqual(['docs/guide.md']);
    expect((await files.listFiles('.', { glob: 'src/**/*.ts' })).files).toEqual(['src/app.ts', 'src/new.ts', 'src/util.ts']);
    const capped = await files.listFiles('src', { limit: 2 });
    expect(capped.files).toHaveLength(2);
    expect(capped.truncated).toBe(true);
    expect(capped.note).toContain('first 2 files');
  });

  it('refuses directories outside the root or in .git', async () => {
    expect((await refusal(files.listFiles('..'))).code).toBe('OUTSIDE_PROJECT');
    expect((await refusal(files.listFiles('escape-dir'))).code).toBe('OUTSIDE_PROJECT');
    expect((await refusal(files.listFiles('.git'))).code).toBe('BAD_INPUT');
  });

  it('walks the tree when the project is not a git repository', async () => {
    const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-plain-')));
    try {
      fs.mkdirSync(path.join(plain, 'a'));
      fs.mkdirSync(path.join(plain, 'node_modules', 'x'), { recursive: true });
      fs.writeFileSync(path.join(plain, 'a', 'one.ts'), 'TODO one');
      fs.writeFileSync(path.join(plain, '.env'), 'SECRET=1');
      fs.writeFileSync(path.join(plain, 'node_modules', 'x', 'index.js'), 'TODO');
      const p = new NodeProjectFiles(plain, { env: repo.env });
      expect((await p.listFiles('.')).files).toEqual(['a/one.ts']);
      expect((await p.grep('TODO')).matches).toEqual([{ path: 'a/one.ts', line: 1, text: 'TODO one' }]);
      expect((await refusal(p.gitDiff())).message).toContain('not a git repository');
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('NodeProjectFiles.grep', () => {
  it('finds matching lines with paths and line numbers, skipping secrets, ignored and outside files', async () => {
    const r = await files.grep('TODO', { limit: 100 });
    expect(r.matches).toEqual(
      expect.arrayContaining([
        { path: 'src/app.ts', line: 2, text: '  // TODO: validate input' },
        { path: 'docs/guide.md', line: 2, text: 'TODO: write it' },
        { path: 'src/new.ts', line: 1, text: 'export const fresh = true; // TODO new' },
      ]),
    );
    expect(r.matches.map((m) => m.path)).not.toContain('dist/app.js');
    expect((await files.grep('sk-live')).matches).toEqual([]);
    expect((await files.grep('TOP SECRET')).matches).toEqual([]);
  });

  it('filters by glob, ignores case on request, and caps the matches', async () => {
    expect((await files.grep('todo', { glob: '*.ts' })).matches.map((m) => m.path)).toEqual(['src/util.ts']);
    expect((await files.grep('todo', { glob: '*.ts', ignoreCase: true })).matches.map((m) => m.path).sort()).toEqual(
      ['inside-link.ts', 'src/app.ts', 'src/new.ts', 'src/util.ts'],
    );
    const capped = await files.grep('TODO', { limit: 1 });
    expect(capped.matches).toHaveLength(1);
    expect(capped.truncated).toBe(true);
    expect(capped.note).toContain('first 1 matches');
  });

  it('rejects an invalid pattern clearly', async () => {
    const e = await refusal(files.grep('(unclosed'));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('Invalid regular expression');
    expect(e.message).toContain('missing closing )');
  });

  it('names what RE2 syntax does not support: backreferences and lookaround', async () => {
    for (const [pattern, feature] of [
      ['(a)\\1', 'backreferences'],
      ['(?<word>a)\\k<word>', 'backreferences'],
      ['foo(?=bar)', 'lookaround'],
      ['foo(?!bar)', 'lookaround'],
      ['(?<=a)b', 'lookaround'],
      ['(?<!a)b', 'lookaround'],
    ] as const) {
      const e = await refusal(files.grep(pattern));
      expect(e.code, pattern).toBe('BAD_INPUT');
      expect(e.message, pattern).toContain(`RE2 syntax does not support ${feature}`);
      expect(e.hint, pattern).toContain('RE2');
    }
  });

  // On a backtracking engine this pattern takes 2^n steps on a line of n "a"s and a "!", freezing the
  // process; the timeout makes a regression fail instead of hanging.
  it('matches in linear time: a catastrophic backtracking pattern completes', { timeout: 20_000 }, async () => {
    const r = makeRepo();
    try {
      r.write('long.txt', `${'a'.repeat(70)}!\naaaa\n${'a'.repeat(3000)}!\n`);
      r.commitAll('long lines');
      const p = new NodeProjectFiles(r.root, { env: r.env });
      expect((await p.grep('(a+)+$')).matches).toEqual([{ path: 'long.txt', line: 2, text: 'aaaa' }]);
      expect((await p.grep('(A+)+$', { ignoreCase: true })).matches).toEqual([{ path: 'long.txt', line: 2, text: 'aaaa' }]);
      expect((await p.grep('^(a|aa)+!$')).matches.map((m) => m.line)).toEqual([1, 3]);
    } finally {
      r.cleanup();
    }
  });

  it('stops with the job when its signal is aborted, before or during the search', async () => {
    const before = new AbortController();
    before.abort(new Error('job cancelled'));
    const e = await refusal(files.grep('TODO', { signal: before.signal }));
    expect(e.message).toBe('grep stopped after 0 files: job cancelled.');

    const during = new AbortController();
    const running = files.grep('TODO', { signal: during.signal });
    during.abort(new Error('agent-os is shutting down'));
    expect((await refusal(running)).message).toMatch(/^grep stopped after \d+ files: agent-os is shutting down\.$/);
  });
});

describe('NodeProjectFiles.gitDiff', () => {
  it('diffs the working tree against HEAD and a named ref, without secrets', async () => {
    const r = makeRepo();
    try {
      r.write('a.ts', 'one\n');
      r.write('.env', 'KEY=old\n');
      r.commitAll('first');
      r.git('tag', 'v1');
      r.write('a.ts', 'one\ntwo\n');
      r.commitAll('second');
      r.write('a.ts', 'one\ntwo\nthree\n');
      r.write('.env', 'KEY=new-secret\n');
      r.write('untracked.ts', 'new\n');
      const p = new NodeProjectFiles(r.root, { env: r.env });

      const head = await p.gitDiff();
      expect(head.base).toBe('HEAD');
      expect(head.diff).toContain('+three');
      expect(head.diff).not.toContain('+two');
      expect(head.diff).not.toContain('new-secret');
      expect(head.untracked).toEqual(['untracked.ts']);
      expect(head.truncated).toBe(false);

      const v1 = await p.gitDiff('v1');
      expect(v1.diff).toContain('+two');
      expect(v1.diff).toContain('+three');

      const small = await p.gitDiff('v1', { maxBytes: 40 });
      expect(small.truncated).toBe(true);
      expect(small.diff.length).toBeLessThanOrEqual(40);
      expect(small.note).toContain('Truncated');
    } finally {
      r.cleanup();
    }
  });

  it('rejects unknown refs and option-like refs', async () => {
    expect((await refusal(files.gitDiff('no-such-branch'))).message).toContain('Unknown git ref');
    for (const bad of ['--output=/tmp/x', '-p', 'a b', 'main;rm -rf /', 'HEAD..main']) {
      expect((await refusal(files.gitDiff(bad))).code).toBe('BAD_INPUT');
    }
  });
});

