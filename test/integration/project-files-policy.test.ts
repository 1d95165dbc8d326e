/**
 * What personas may read: one policy for read_file, list_files and grep, decided on each file's real
 * path (after symlinks) with git's ignore rules, plus credential files that are never readable.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { NodeProjectFiles } from '../../src/infra/project-files.js';
import { rejection } from '../fakes/errors.js';
import { isolatedGitEnv, makeRepo, type TempRepo } from '../fakes/git-repo.js';

/** Credential files of the project: each holds a marker that must never reach a persona. */
const CREDENTIALS: Record<string, string> = {
  '.aws/credentials': 'CRED-MARKER-aws',
  'home/.Aws/config': 'CRED-MARKER-aws-case',
  'deep/down/.ssh/config': 'CRED-MARKER-ssh',
  '.config/gh/hosts.yml': 'CRED-MARKER-gh',
  'tools/.config/gh/hosts.yml': 'CRED-MARKER-gh-deep',
  '.git-credentials': 'CRED-MARKER-git-credentials',
  '.netrc': 'CRED-MARKER-netrc',
  '.npmrc': 'CRED-MARKER-npmrc',
  '.envrc': 'CRED-MARKER-envrc',
  '.ENV': 'CRED-MARKER-env-upper',
  'certs/Server.PEM': 'CRED-MARKER-pem',
  'certs/tls.Key': 'CRED-MARKER-key',
};

let repo: TempRepo;
let files: NodeProjectFiles;

beforeAll(() => {
  repo = makeRepo();
  repo.write('.gitignore', 'dist/\nlocal.json\n');
  repo.write('src/app.ts', 'export const app = 1;\n');
  repo.write('sub/.gitignore', 'private.txt\n');
  repo.write('sub/ok.txt', 'visible text\n');
  repo.write('config/app.json', '{"note":"TRACKED-CONFIG"}\n');
  repo.write('config/.gitkeep', '');
  for (const [rel, content] of Object.entries(CREDENTIALS)) repo.write(rel, `${content}\n`);
  // Tracked links whose targets are ignored (the targets are created after the commit).
  fs.symlinkSync('local.json', path.join(repo.root, 'local-link.json'));
  fs.symlinkSync('dist', path.join(repo.root, 'dist-link'));
  fs.symlinkSync('sub/private.txt', path.join(repo.root, 'private-link.txt'));
  repo.commitAll('initial');
  // A tracked file later matched by an ignore rule stays the project's content.
  repo.write('.gitignore', 'dist/\nlocal.json\nconfig/\n');
  repo.commitAll('ignore config');
  repo.write('local.json', '{"password":"LOCAL-PASSWORD"}\n');
  repo.write('dist/app.js', 'const DIST_SECRET = 1;\n');
  repo.write('sub/private.txt', 'NESTED-PRIVATE\n');
  files = new NodeProjectFiles(repo.root, { env: repo.env });
});

afterAll(() => repo.cleanup());

describe('readFile decides on the real path', () => {
  it('refuses links to ignored files and files below a linked ignored directory', async () => {
    for (const [asked, real] of [
      ['local-link.json', 'local.json'],
      ['dist-link/app.js', 'dist/app.js'],
      ['private-link.txt', 'sub/private.txt'],
    ]) {
      const e = await rejection(files.readFile(asked!));
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toContain('ignored by git');
      expect(e.message).toContain(`"${real}"`);
      expect(e.message).not.toMatch(/LOCAL-PASSWORD|DIST_SECRET|NESTED-PRIVATE/);
    }
  });

  it('refuses a file ignored by a nested .gitignore, and keeps tracked files readable after an ignore rule matches them', async () => {
    expect((await rejection(files.readFile('sub/private.txt'))).message).toContain('ignored by git');
    expect((await files.readFile('config/app.json')).content).toContain('TRACKED-CONFIG');
    expect((await files.readFile('sub/ok.txt')).content).toBe('visible text\n');
  });

  it('refuses credential files whatever git says, at any depth and in any case', async () => {
    for (const rel of Object.keys(CREDENTIALS)) {
      const e = await rejection(files.readFile(rel));
      expect(e.code, rel).toBe('BAD_INPUT');
      expect(e.message, rel).toContain('secrets');
    }
  });
});

describe('listFiles and grep follow the same policy', () => {
  it('lists neither ignored files, nor links to them, nor credential files', async () => {
    const listed = (await files.listFiles('.', { limit: 500 })).files;
    expect(listed).toEqual(expect.arrayContaining(['src/app.ts', 'sub/ok.txt', 'config/app.json', '.gitignore']));
    for (const hidden of ['local-link.json', 'dist-link', 'private-link.txt', 'local.json', 'sub/private.txt', ...Object.keys(CREDENTIALS)]) {
      expect(listed, hidden).not.toContain(hidden);
    }
  });

  it('lists a linked directory under its real path and only what may be read there', async () => {
    fs.mkdirSync(path.join(repo.root, 'shown'), { recursive: true });
    fs.writeFileSync(path.join(repo.root, 'shown', 'a.md'), 'shown\n');
    fs.symlinkSync('shown', path.join(repo.root, 'shown-link'));
    try {
      expect((await files.listFiles('shown-link')).files).toEqual(['shown/a.md']);
      expect((await files.listFiles('dist-link')).files).toEqual([]);
    } finally {
      fs.rmSync(path.join(repo.root, 'shown-link'));
      fs.rmSync(path.join(repo.root, 'shown'), { recursive: true });
    }
  });

  it('grep finds nothing in ignored files reached through links, nor in credential files', async () => {
    expect((await files.grep('LOCAL-PASSWORD|DIST_SECRET|NESTED-PRIVATE', { limit: 100 })).matches).toEqual([]);
    expect((await files.grep('CRED-MARKER', { limit: 100 })).matches).toEqual([]);
    expect((await files.grep('TRACKED-CONFIG')).matches).toEqual([{ path: 'config/app.json', line: 1, text: '{"note":"TRACKED-CONFIG"}' }]);
  });
});

describe('gitDiff leaves credential files out', () => {
  it('excludes changed tracked credential files and untracked ones, at any depth and in any case', async () => {
    for (const [rel, content] of Object.entries(CREDENTIALS)) repo.write(rel, `${content}\nCHANGED-${rel}\n`);
    repo.write('src/app.ts', 'export const app = 2;\n');
    repo.write('.ssh/new_key', 'CRED-MARKER-untracked\n');
    repo.write('x/.AWS/sso', 'CRED-MARKER-untracked-case\n');
    repo.write('.config/gh/new.yml', 'CRED-MARKER-untracked-gh\n');
    repo.write('notes.txt', 'plain\n');
    try {
      const d = await files.gitDiff();
      expect(d.diff).toContain('+export const app = 2;');
      expect(d.diff).not.toContain('CRED-MARKER');
      expect(d.diff).not.toContain('CHANGED-');
      expect(d.untracked).toEqual(['notes.txt']);
    } finally {
      repo.git('checkout', '-q', '--', '.');
      for (const rel of ['.ssh', 'x', '.config/gh/new.yml', 'notes.txt']) fs.rmSync(path.join(repo.root, rel), { recursive: true });
    }
  });
});

describe('case-insensitive ignore rules', () => {
  it('follows core.ignorecase: a differently cased ignored file stays unreadable, also through a link', async () => {
    const r = makeRepo();
    try {
      r.git('config', 'core.ignorecase', 'true');
      r.write('.gitignore', 'local.json\n');
      fs.symlinkSync('LOCAL.JSON', path.join(r.root, 'case-link'));
      r.commitAll('initial');
      r.write('LOCAL.JSON', 'CASE-SECRET\n');
      const p = new NodeProjectFiles(r.root, { env: r.env });
      expect((await rejection(p.readFile('LOCAL.JSON'))).message).toContain('ignored by git');
      expect((await rejection(p.readFile('case-link'))).message).toContain('ignored by git');
      expect((await p.grep('CASE-SECRET')).matches).toEqual([]);
      expect((await p.listFiles('.')).files).toEqual(['.gitignore']);
    } finally {
      r.cleanup();
    }
  });
});

describe('when git cannot answer, nothing is read', () => {
  it('refuses a file git gives no verdict on (inside a submodule) and still searches the others', async () => {
    const r = makeRepo();
    try {
      r.write('a.txt', 'visible one\n');
      r.commitAll('initial');
      const head = r.git('rev-parse', 'HEAD').trim();
      r.git('update-index', '--add', '--cacheinfo', `160000,${head},sm`);
      fs.symlinkSync('sm/inner.txt', path.join(r.root, 'inner-link.txt'));
      r.write('z.txt', 'visible two\n');
      // Not `add -A`: that would stage the submodule's removal (its directory does not exist yet).
      r.git('add', 'inner-link.txt', 'z.txt');
      r.git('commit', '-q', '-m', 'submodule');
      r.write('sm/inner.txt', 'SUBMODULE-CONTENT visible\n');
      const p = new NodeProjectFiles(r.root, { env: r.env });
      for (const asked of ['sm/inner.txt', 'inner-link.txt']) {
        const e = await rejection(p.readFile(asked));
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toContain('git could not tell whether "sm/inner.txt" is ignored');
        expect(e.message).toContain('submodule');
      }
      expect((await p.grep('visible')).matches.map((m) => m.path)).toEqual(['a.txt', 'z.txt']);
    } finally {
      r.cleanup();
    }
  });

  it('refuses to read, list or grep when git fails on the repository (broken config)', async () => {
    const r = makeRepo();
    try {
      r.write('.gitignore', 'local.json\n');
      r.write('a.txt', 'text\n');
      r.commitAll('initial');
      r.write('local.json', 'BROKEN-REPO-SECRET\n');
      fs.writeFileSync(path.join(r.root, '.git', 'config'), '[core\nbroken');
      const p = new NodeProjectFiles(r.root, { env: r.env });
      for (const attempt of [() => p.readFile('local.json'), () => p.readFile('a.txt'), () => p.listFiles('.'), () => p.grep('SECRET'), () => p.gitDiff()]) {
        const e = await rejection(attempt());
        expect(e.message).toContain('bad config');
        expect(e.message).not.toContain('BROKEN-REPO-SECRET');
      }
    } finally {
      r.cleanup();
    }
  });
});

describe('a project that is not a git repository', () => {
  it('walks past credential files and directories and refuses to read them', async () => {
    const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-plain-')));
    try {
      for (const [rel, content] of Object.entries({ ...CREDENTIALS, 'a.ts': 'export const a = 1;\n', 'docs/local.json': 'plain local\n' })) {
        fs.mkdirSync(path.dirname(path.join(plain, rel)), { recursive: true });
        fs.writeFileSync(path.join(plain, rel), content);
      }
      const p = new NodeProjectFiles(plain, { env: isolatedGitEnv({ GIT_CEILING_DIRECTORIES: path.dirname(plain) }) });
      expect((await p.listFiles('.')).files).toEqual(['a.ts', 'docs/local.json']);
      expect((await p.grep('CRED-MARKER')).matches).toEqual([]);
      expect((await p.readFile('docs/local.json')).content).toBe('plain local\n');
      for (const rel of Object.keys(CREDENTIALS)) expect((await rejection(p.readFile(rel))).message, rel).toContain('secrets');
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('git calls are batched', () => {
  it('grep and list_files over 1,200 files run a handful of git processes, not one per file', async () => {
    const r = makeRepo();
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-gitwrap-'));
    try {
      for (let i = 0; i < 1200; i++) r.write(`many/f${String(i).padStart(4, '0')}.txt`, `line ${i}\n`);
      r.commitAll('many');
      const log = path.join(bin, 'calls.log');
      const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
      fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$*" >> "${log}"\nexec "${realGit}" "$@"\n`, { mode: 0o755 });
      const p = new NodeProjectFiles(r.root, { env: { ...r.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` } });
      const found = await p.grep('line 1199');
      expect(found.matches).toEqual([{ path: 'many/f1199.txt', line: 1, text: 'line 1199' }]);
      expect(found.filesSearched).toBe(1200);
      expect((await p.listFiles('many', { limit: 5000 })).files).toHaveLength(1200);
      const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
      expect(calls.length, calls.join('\n')).toBeLessThanOrEqual(20);
    } finally {
      r.cleanup();
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
