import { describe, expect, it } from 'vitest';

import { isGitInternal, isSecretFile, SECRET_EXCLUDE_PATHSPECS } from '../../src/domain/read-policy.js';

describe('isSecretFile', () => {
  it('knows the usual credential files, in any case and at any depth', () => {
    for (const f of [
      '.env',
      '.env.local',
      'a/.env.test',
      '.envrc',
      '.ENV',
      'x.pem',
      'tls/X.PEM',
      'tls/x.key',
      'a/b.p12',
      'c.PFX',
      'id_rsa',
      'deploy/id_ed25519.pub',
      'ID_ECDSA',
      '.npmrc',
      '.netrc',
      'sub/.pypirc',
      '.pgpass',
      '.git-credentials',
      'home/.GIT-CREDENTIALS',
    ]) {
      expect(isSecretFile(f), f).toBe(true);
    }
    for (const f of ['env.ts', 'src/keys.ts', 'README.md', 'docs/environment.md', 'keyboard.ts', 'pem.md', 'netrc.md', 'src/aws/client.ts', 'gh/cli.md']) {
      expect(isSecretFile(f), f).toBe(false);
    }
  });

  it('knows credential directories at any depth: .aws/, .ssh/, .config/gh/', () => {
    for (const f of ['.aws/credentials', 'home/user/.aws/config', '.AWS/sso/cache/x.json', '.ssh/known_hosts', 'a/.Ssh/config', '.config/gh/hosts.yml', 'x/.config/GH/config.yml', '.env.d/prod']) {
      expect(isSecretFile(f), f).toBe(true);
    }
    for (const f of ['.config/other/x.yml', 'config/gh/x.yml', 'gh/.config/x', 'aws/credentials.md', 'ssh.md']) {
      expect(isSecretFile(f), f).toBe(false);
    }
    // Directories themselves, so a walk skips them.
    for (const d of ['.ssh', 'x/.aws', '.config/gh']) expect(isSecretFile(d), d).toBe(true);
    for (const d of ['.config', 'src']) expect(isSecretFile(d), d).toBe(false);
  });
});

describe('isGitInternal', () => {
  it('is true for anything inside a .git directory, in any case', () => {
    for (const f of ['.git', '.git/config', 'sub/.git/HEAD', '.GIT/config']) expect(isGitInternal(f), f).toBe(true);
    for (const f of ['.gitignore', '.github/workflows/ci.yml', 'git/x']) expect(isGitInternal(f), f).toBe(false);
  });
});

describe('SECRET_EXCLUDE_PATHSPECS', () => {
  it('are case-insensitive glob excludes, one for a file and one for everything below a directory of each rule', () => {
    expect(SECRET_EXCLUDE_PATHSPECS.every((p) => p.startsWith(':(exclude,glob,icase)**/'))).toBe(true);
    expect(SECRET_EXCLUDE_PATHSPECS).toEqual(expect.arrayContaining([':(exclude,glob,icase)**/.env*', ':(exclude,glob,icase)**/.aws/**', ':(exclude,glob,icase)**/.config/gh/**', ':(exclude,glob,icase)**/.git-credentials']));
  });
});
