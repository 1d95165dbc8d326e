import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { GitLogHistory } from '../../src/infra/git-log-history.js';
import type { GitHistory } from '../../src/ports/git-history.js';
import { silentLogger } from '../../src/ports/logger.js';
import { GitFactsCache, searchStandards } from '../../src/services/search-standards.js';
import { makeRepo, type TempRepo } from '../fakes/git-repo.js';
import { HashEmbedder } from '../fakes/hash-embedder.js';

const AUTH = `---
created_by: security
approved_by: jane
tags: [auth, passwords]
---
# Authentication patterns

Hash passwords with argon2id.
`;

describe('agent-os standards (StandardMetadata)', () => {
  const repos: TempRepo[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });

  it('lists front matter, git dates (mtime when untracked or modified) and query counts', async () => {
    const r = makeRepo();
    repos.push(r);
    process.env['GIT_CONFIG_GLOBAL'] = r.env['GIT_CONFIG_GLOBAL'];
    const commitAt = (date: string, msg: string) => {
      r.git('add', '-A');
      r.env = { ...r.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
      r.git('commit', '-q', '-m', msg);
    };
    r.write('.agent-os/standards/security/auth-patterns.md', AUTH);
    r.write('.agent-os/standards/data/kafka-patterns.md', '# Kafka\n\nKey by entity id.\n');
    commitAt('2024-01-02T10:00:00Z', 'first standards');
    r.write('.agent-os/standards/security/auth-patterns.md', `${AUTH}\nRotate sessions after login.\n`);
    commitAt('2024-03-04T12:00:00Z', 'update auth');
    r.write('.agent-os/standards/data/kafka-patterns.md', '# Kafka\n\nKey by entity id. Keep 7 days.\n'); // uncommitted edit
    r.write('.agent-os/standards/testing/fixtures.md', '# Fixtures\n'); // never committed
    const untrackedTime = new Date('2025-05-06T07:08:09Z');
    fs.utimesSync(path.join(r.root, '.agent-os/standards/testing/fixtures.md'), untrackedTime, untrackedTime);

    const app = createApp({ root: r.root, logger: silentLogger, embedder: new HashEmbedder() });
    try {
      await app.index();
      await app.search({ query: 'argon2id passwords', limit: 1 });
      await app.search({ query: 'hash passwords argon2id', limit: 1 });

      const list = await app.listStandards();
      expect(list.map((s) => s.file_path)).toEqual(['data/kafka-patterns.md', 'security/auth-patterns.md', 'testing/fixtures.md']);
      const auth = list[1]!;
      expect(auth).toMatchObject({
        domain: 'security',
        topic: 'auth-patterns',
        title: 'Authentication patterns',
        created_by: 'security',
        approved_by: 'jane',
        tags: ['auth', 'passwords'],
        query_count: 2,
        dates_from: 'git',
      });
      expect(new Date(auth.created_at).toISOString()).toBe('2024-01-02T10:00:00.000Z');
      expect(new Date(auth.last_updated).toISOString()).toBe('2024-03-04T12:00:00.000Z');

      const kafka = list[0]!;
      expect(kafka).toMatchObject({ created_by: null, approved_by: null, tags: [], dates_from: 'git' });
      expect(new Date(kafka.created_at).toISOString()).toBe('2024-01-02T10:00:00.000Z');
      // Modified in the work tree: last_updated is the file's time, not the last commit's.
      expect(Date.parse(kafka.last_updated)).toBeGreaterThan(Date.parse('2025-01-01'));

      const fixtures = list[2]!;
      expect(fixtures).toMatchObject({ dates_from: 'file', created_at: untrackedTime.toISOString(), last_updated: untrackedTime.toISOString(), query_count: 0 });

      expect((await app.listStandards({ domain: 'security' })).map((s) => s.file_path)).toEqual(['security/auth-patterns.md']);
    } finally {
      await app.close();
    }
  });

  it('approved_by: who merged the proposal branch (the author for GitHub web-flow merges), front matter first', async () => {
    const r = makeRepo();
    repos.push(r);
    process.env['GIT_CONFIG_GLOBAL'] = r.env['GIT_CONFIG_GLOBAL'];
    const base = r.env;
    const as = (env: Record<string, string>, ...args: string[]) => {
      r.env = { ...base, ...env };
      r.git(...args);
      r.env = base;
    };
    const lead = { GIT_COMMITTER_NAME: 'Lead Dev', GIT_COMMITTER_EMAIL: 'lead@example.com' };
    const github = { GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com', GIT_AUTHOR_NAME: 'Octo Cat', GIT_AUTHOR_EMAIL: 'octo@example.com' };
    const propose = (domainTopic: string, content: string) => {
      r.git('checkout', '-q', '-b', `agent-os/standard/${domainTopic}`, 'main');
      r.write(`.agent-os/standards/${domainTopic}.md`, content);
      r.commitAll(`propose ${domainTopic}`);
      r.git('checkout', '-q', 'main');
    };
    r.write('README.md', '# project\n');
    r.commitAll('init');
    propose('security/auth-patterns', '# Authentication patterns\n\nHash passwords with argon2id.\n');
    propose('data/kafka-patterns', '# Kafka\n\nKey partitions by entity id.\n');
    propose('testing/fixtures', '---\napproved_by: Jane\n---\n# Fixtures\n\nBuild fixtures with factories.\n');
    // Committed straight to main while the proposals were open: no merge brought it in.
    r.write('.agent-os/standards/development/direct.md', '# Direct\n\nCommitted without review.\n');
    r.commitAll('direct standard');
    as(lead, 'merge', '-q', '--no-ff', '-m', 'approve auth', 'agent-os/standard/security/auth-patterns');
    as(github, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #2', 'agent-os/standard/data/kafka-patterns');
    as(lead, 'merge', '-q', '--no-ff', '-m', 'approve fixtures', 'agent-os/standard/testing/fixtures');
    // A later direct edit keeps the approver of the merge that brought the file in.
    r.write('.agent-os/standards/security/auth-patterns.md', '# Authentication patterns\n\nHash passwords with argon2id. Rotate sessions.\n');
    r.commitAll('tweak auth');

    let gitRuns = 0;
    const real = new GitLogHistory();
    const counting: GitHistory = {
      filesBelow: (dir) => {
        gitRuns++;
        return real.filesBelow(dir);
      },
      state: (dir) => real.state(dir),
    };
    const { history } = await real.filesBelow(path.join(r.root, '.agent-os', 'standards'));
    expect(history.get('security/auth-patterns.md')?.approvedBy).toBe('Lead Dev <lead@example.com>');
    expect(history.get('development/direct.md')?.approvedBy).toBeNull();

    const app = createApp({ root: r.root, logger: silentLogger, embedder: new HashEmbedder() });
    try {
      await app.index();
      const approvedBy = Object.fromEntries((await app.listStandards()).map((s) => [s.file_path, s.approved_by]));
      expect(approvedBy).toEqual({
        'data/kafka-patterns.md': 'Octo Cat <octo@example.com>',
        'development/direct.md': null,
        'security/auth-patterns.md': 'Lead Dev <lead@example.com>',
        'testing/fixtures.md': 'Jane',
      });

      // Search shows the git approver too, reading the history once per state of git, not per query.
      const deps = { ...app.searchDeps, gitFacts: new GitFactsCache(counting, app.paths.standardsDir) };
      const hitOf = async (query: string, file: string) => (await searchStandards(deps, { query, limit: 10 })).results.find((h) => h.file === file);
      expect(await hitOf('argon2id passwords', 'security/auth-patterns.md')).toMatchObject({ approved_by: 'Lead Dev <lead@example.com>', created_by: null });
      expect(await hitOf('kafka partitions entity', 'data/kafka-patterns.md')).toMatchObject({ approved_by: 'Octo Cat <octo@example.com>' });
      expect(await hitOf('fixtures factories', 'testing/fixtures.md')).toMatchObject({ approved_by: 'Jane' });
      expect(await hitOf('committed without review', 'development/direct.md')).toMatchObject({ approved_by: null });
      expect(gitRuns).toBe(1);

      // A save in the working tree changes the index, not the history: no new git log.
      r.write('.agent-os/standards/development/direct.md', '# Direct\n\nCommitted without review. Edited, not committed.\n');
      await app.index();
      expect(await hitOf('edited not committed', 'development/direct.md')).toMatchObject({ approved_by: null });
      expect(gitRuns).toBe(1);

      propose('data/retention', '# Retention\n\nKeep events for seven days.\n');
      as(lead, 'merge', '-q', '--no-ff', '-m', 'approve retention', 'agent-os/standard/data/retention');
      await app.index();
      expect(await hitOf('keep events seven days', 'data/retention.md')).toMatchObject({ approved_by: 'Lead Dev <lead@example.com>' });
      expect(gitRuns).toBe(2);
    } finally {
      await app.close();
    }
  });
});

describe('GitLogHistory.state', () => {
  const repos: TempRepo[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });

  it('changes with commits, merges and checkouts, not with saves in the working tree; is constant outside a repository', async () => {
    const r = makeRepo();
    repos.push(r);
    r.write('.agent-os/standards/security/a.md', '# A\n\nOne.\n');
    r.commitAll('a');
    const dir = path.join(r.root, '.agent-os', 'standards');
    const history = new GitLogHistory();
    const first = await history.state(dir);
    r.write('.agent-os/standards/security/a.md', '# A\n\nOne, edited.\n');
    expect(await history.state(dir)).toBe(first);
    r.commitAll('edit a');
    const committed = await history.state(dir);
    expect(committed).not.toBe(first);
    r.git('checkout', '-q', '-b', 'topic');
    const topic = await history.state(dir);
    expect(topic).not.toBe(committed);
    r.git('checkout', '-q', 'main');
    r.git('commit', '-q', '--amend', '-m', 'edit a, amended');
    expect(await history.state(dir)).not.toBe(committed);

    // Outside a repository the state is constant, until git is asked again a while later.
    let clock = 0;
    const later = new GitLogHistory(r.env, () => clock);
    const outside = fs.mkdtempSync(path.join(path.dirname(r.root), 'no-repo-'));
    try {
      expect(await later.state(outside)).toBe('no repository');
      const init = spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: outside, env: r.env });
      expect(init.status).toBe(0);
      clock += 10_000;
      expect(await later.state(outside)).toBe('no repository');
      clock += 30_000;
      expect(await later.state(outside)).not.toBe('no repository');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
