import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { silentLogger } from '../../src/ports/logger.js';
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
});
