import { describe, expect, it } from 'vitest';

import { AgentOsError } from '../../src/domain/errors.js';
import { gitHubApiUrl, parseGitHubRemote, parseRepository } from '../../src/domain/github-remote.js';

describe('parseGitHubRemote', () => {
  it.each([
    ['https://github.com/octo-org/widgets', 'octo-org', 'widgets'],
    ['https://github.com/octo-org/widgets.git', 'octo-org', 'widgets'],
    ['https://github.com/octo-org/widgets/', 'octo-org', 'widgets'],
    ['https://GitHub.com/Octo-Org/My.Repo_2', 'Octo-Org', 'My.Repo_2'],
    ['https://x-access-token:abc123@github.com/octo-org/widgets.git', 'octo-org', 'widgets'],
    ['https://user@github.com/octo-org/widgets', 'octo-org', 'widgets'],
    ['git@github.com:octo-org/widgets.git', 'octo-org', 'widgets'],
    ['git@github.com:octo-org/widgets', 'octo-org', 'widgets'],
    ['org-123@github.com:octo-org/widgets.git', 'octo-org', 'widgets'],
    ['ssh://git@github.com/octo-org/widgets.git', 'octo-org', 'widgets'],
    ['ssh://git@github.com:22/octo-org/widgets.git', 'octo-org', 'widgets'],
    ['ssh://git@ssh.github.com:443/octo-org/widgets.git', 'octo-org', 'widgets'],
    ['  https://github.com/octo-org/.github  ', 'octo-org', '.github'],
  ])('%s → %s/%s on github.com', (url, owner, repo) => {
    expect(parseGitHubRemote(url)).toEqual({ owner, repo, host: 'github.com' });
  });

  it('accepts GitHub Enterprise hosts that are passed in', () => {
    const hosts = ['github.com', 'GHE.Example.com', 'git.corp.local:8443'];
    expect(parseGitHubRemote('https://ghe.example.com/platform/api-server.git', hosts)).toEqual({ owner: 'platform', repo: 'api-server', host: 'ghe.example.com' });
    expect(parseGitHubRemote('git@ghe.example.com:platform/api-server.git', hosts)).toEqual({ owner: 'platform', repo: 'api-server', host: 'ghe.example.com' });
    expect(parseGitHubRemote('https://git.corp.local:8443/team/tool', hosts)).toEqual({ owner: 'team', repo: 'tool', host: 'git.corp.local:8443' });
    expect(parseGitHubRemote('https://github.com/a/b', hosts)).toEqual({ owner: 'a', repo: 'b', host: 'github.com' });
    // Enterprise Managed Users have underscores in their names.
    expect(parseGitHubRemote('https://ghe.example.com/octocat_acme/dotfiles', hosts)).toEqual({ owner: 'octocat_acme', repo: 'dotfiles', host: 'ghe.example.com' });
  });

  it('does not take Enterprise hosts unless they are listed', () => {
    expect(parseGitHubRemote('https://ghe.example.com/platform/api-server.git')).toBeNull();
    expect(parseGitHubRemote('https://github.com/a/b', ['ghe.example.com'])).toBeNull();
  });

  it.each([
    'file:///srv/git/widgets.git',
    '/srv/git/widgets.git',
    '../widgets',
    'C:\\repos\\widgets',
    'https://gitlab.com/octo-org/widgets.git',
    'https://github.com.evil.example/octo-org/widgets',
    'https://evil.example/github.com/octo-org/widgets',
    'git@gitlab.com:octo-org/widgets.git',
    'https://github.com/octo-org',
    'https://github.com/octo-org/widgets/pull/3',
    'https://github.com/octo-org/widgets?tab=readme',
    'https://github.com//widgets',
    'https://github.com/-octo/widgets',
    'https://github.com/octo-/widgets',
    'https://github.com/oc--to/widgets',
    'https://github.com/octo org/widgets',
    'https://github.com/octo-org/wid gets',
    'https://github.com/octo-org/..',
    'https://github.com/octo-org/.git',
    'ftp://github.com/octo-org/widgets',
    'git@github.com:/octo-org/widgets.git',
    'github.com/octo-org/widgets',
    '',
    'not a url',
  ])('rejects %j', (url) => {
    expect(parseGitHubRemote(url)).toBeNull();
  });

  it('rejects owners longer than 39 characters', () => {
    expect(parseGitHubRemote(`https://github.com/${'a'.repeat(39)}/r`)?.owner).toBe('a'.repeat(39));
    expect(parseGitHubRemote(`https://github.com/${'a'.repeat(40)}/r`)).toBeNull();
  });
});

describe('parseRepository', () => {
  it('splits owner/name', () => {
    expect(parseRepository('octo-org/widgets')).toEqual({ owner: 'octo-org', repo: 'widgets' });
    expect(parseRepository(' octo-org/my.repo-2 ')).toEqual({ owner: 'octo-org', repo: 'my.repo-2' });
  });

  it.each(['widgets', 'octo-org/', '/widgets', 'a/b/c', 'https://github.com/a/b', 'octo org/widgets', ''])('refuses %j with a CONFIG error that says the expected form', (value) => {
    let caught: unknown;
    try {
      parseRepository(value);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AgentOsError);
    expect((caught as AgentOsError).code).toBe('CONFIG');
    expect((caught as AgentOsError).message).toContain(`"${value}"`);
    expect((caught as AgentOsError).message).toContain('owner/name');
  });
});

describe('gitHubApiUrl', () => {
  it('is api.github.com for github.com and /api/v3 on Enterprise Server', () => {
    expect(gitHubApiUrl('github.com')).toBe('https://api.github.com');
    expect(gitHubApiUrl('GHE.example.com')).toBe('https://ghe.example.com/api/v3');
  });
});
