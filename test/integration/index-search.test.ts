import { afterEach, describe, expect, it } from 'vitest';
import { indexStandards } from '../../src/services/index-standards.js';
import { searchStandards } from '../../src/services/search-standards.js';
import { HashEmbedder } from '../fakes/hash-embedder.js';
import { realDeps } from '../fakes/deps.js';
import { makeProject } from '../fakes/project.js';

const AUTH = `---
tags: [auth, passwords]
applies_to: ["src/auth/**"]
---
# Authentication patterns

## Passwords

Hash passwords with argon2id. Never store plain text passwords.

\`\`\`ts
const hash = await argon2.hash(password);
\`\`\`

## Sessions

Rotate session identifiers after login.
`;

const KAFKA = `# Kafka conventions

## Topics

Name topics \`<domain>.<entity>.<event>\`; keep partitions keyed by entity id.
`;

const ERRORS = `# Error handling

Throw typed errors with a code and an actionable message; convert them at the edges.
`;

describe('index + search on real LanceDB and SQLite', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  function setup(embedder = new HashEmbedder()) {
    const project = makeProject({ 'security/auth-patterns.md': AUTH, 'data/kafka-patterns.md': KAFKA, 'development/error-handling.md': ERRORS });
    const deps = realDeps(project.root, embedder);
    cleanups.push(() => deps.close(), () => project.cleanup());
    return { project, deps, embedder };
  }

  it('indexes, searches with file/section/score/content, and is incremental', async () => {
    const { project, deps, embedder } = setup();
    const first = await indexStandards(deps.index);
    expect(first.fullRebuild).toBe(true);
    expect(first.added.sort()).toEqual(['data/kafka-patterns.md', 'development/error-handling.md', 'security/auth-patterns.md']);
    expect(first.mode).toBe('hybrid');

    const out = await searchStandards(deps.search, { query: 'how should we hash passwords' });
    expect(out.mode).toBe('hybrid');
    expect(out.results[0]?.file).toBe('security/auth-patterns.md');
    expect(out.results[0]?.section).toContain('Passwords');
    expect(out.results[0]?.content).toContain('argon2id');
    expect(out.results[0]?.domain).toBe('security');
    for (const r of out.results) expect(r.score).toBeGreaterThan(0), expect(r.score).toBeLessThanOrEqual(1);

    // Nothing changed: no embedding, no write.
    const embeddedBefore = embedder.embeddedTexts;
    const second = await indexStandards(deps.index);
    expect(second.unchanged).toBe(3);
    expect(second.chunksWritten).toBe(0);
    expect(embedder.embeddedTexts).toBe(embeddedBefore);

    // A fresh process with an up-to-date index does not even load the model.
    const freshEmbedder = new HashEmbedder();
    const fresh = realDeps(project.root, freshEmbedder);
    const again = await indexStandards(fresh.index);
    await fresh.close();
    expect(again.unchanged).toBe(3);
    expect(freshEmbedder.loads).toBe(0);

    // A change re-embeds only the changed file; a deletion leaves the index.
    project.write('data/kafka-patterns.md', KAFKA + '\n## Retention\n\nKeep seven days of retention on event topics.\n');
    project.remove('development/error-handling.md');
    const third = await indexStandards(deps.index);
    expect(third.changed).toEqual(['data/kafka-patterns.md']);
    expect(third.removed).toEqual(['development/error-handling.md']);
    const retention = await searchStandards(deps.search, { query: 'retention of event topics' });
    expect(retention.results[0]?.file).toBe('data/kafka-patterns.md');
    expect(retention.cached).toBe(false);
    const gone = await searchStandards(deps.search, { query: 'typed errors actionable message edges' });
    expect(gone.results.map((r) => r.file)).not.toContain('development/error-handling.md');
  });

  it('reuses cached embeddings when a file comes back (branch switch)', async () => {
    const { project, deps, embedder } = setup();
    await indexStandards(deps.index);
    project.remove('security/auth-patterns.md');
    await indexStandards(deps.index);
    const before = embedder.embeddedTexts;
    project.write('security/auth-patterns.md', AUTH);
    const back = await indexStandards(deps.index);
    expect(back.added).toEqual(['security/auth-patterns.md']);
    expect(back.cacheHits).toBeGreaterThan(0);
    expect(embedder.embeddedTexts).toBe(before);
  });

  it('caches identical queries and invalidates on index change', async () => {
    const { project, deps } = setup();
    await indexStandards(deps.index);
    const a = await searchStandards(deps.search, { query: 'kafka topic naming' });
    const b = await searchStandards(deps.search, { query: 'kafka topic naming' });
    expect(a.cached).toBe(false);
    expect(b.cached).toBe(true);
    // The same hits; only the query counts moved on (they are read fresh, not cached).
    expect(b.results).toEqual(a.results.map((r) => ({ ...r, query_count: r.query_count + 1 })));
    project.write('data/new.md', '# Topic naming for queues\n\nQueues are named like kafka topics.\n');
    await indexStandards(deps.index);
    const c = await searchStandards(deps.search, { query: 'kafka topic naming' });
    expect(c.cached).toBe(false);
  });

  it('filters by domain, ranks applies_to matches first, and rejects unknown domains', async () => {
    const { deps } = setup();
    await indexStandards(deps.index);
    const onlyData = await searchStandards(deps.search, { query: 'passwords topics errors', domain: 'data' });
    expect(onlyData.results.length).toBeGreaterThan(0);
    expect(onlyData.results.every((r) => r.domain === 'data')).toBe(true);
    const forAuth = await searchStandards(deps.search, { query: 'kafka topics and errors', filePath: 'src/auth/login.ts' });
    expect(forAuth.results[0]?.file).toBe('security/auth-patterns.md');
    await expect(searchStandards(deps.search, { query: 'x', domain: 'nope' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'Unknown domain "nope".',
      hint: 'Known domains: data, development, security.',
    });
  });

  it('rejects an empty or huge query and a bad limit with clear errors', async () => {
    const { deps } = setup();
    await indexStandards(deps.index);
    await expect(searchStandards(deps.search, { query: '   ' })).rejects.toThrow(/empty/);
    await expect(searchStandards(deps.search, { query: 'a'.repeat(5000) })).rejects.toThrow(/maximum is 4000/);
    await expect(searchStandards(deps.search, { query: 'x', limit: 0 })).rejects.toThrow(/limit/);
    const long = await searchStandards(deps.search, { query: 'passwords '.repeat(150) });
    expect(long.warnings.join()).toMatch(/first 1000 characters/);
  });

  it('falls back to keyword search when the model cannot load, and says so', async () => {
    const embedder = new HashEmbedder();
    const { deps } = setup(embedder);
    await indexStandards(deps.index);
    embedder.failLoad = new Error('weights missing');
    const out = await searchStandards(deps.search, { query: 'argon2id passwords' });
    expect(out.mode).toBe('keyword');
    expect(out.warnings.join()).toMatch(/Embedding model unavailable.*weights missing/);
    expect(out.results[0]?.file).toBe('security/auth-patterns.md');
  });

  it('builds a keyword-only index when the model cannot load at index time', async () => {
    const embedder = new HashEmbedder();
    embedder.failLoad = new Error('no model');
    const { deps } = setup(embedder);
    const report = await indexStandards(deps.index);
    expect(report.mode).toBe('keyword');
    expect(report.warnings.join()).toMatch(/keyword-only/);
    const out = await searchStandards(deps.search, { query: 'kafka partitions' });
    expect(out.mode).toBe('keyword');
    expect(out.results[0]?.file).toBe('data/kafka-patterns.md');
  });

  it('counts how often each standard is returned', async () => {
    const { deps } = setup();
    await indexStandards(deps.index);
    await searchStandards(deps.search, { query: 'argon2id' });
    await searchStandards(deps.search, { query: 'argon2id' });
    const usage = deps.search.meta.usage();
    expect(usage.find((u) => u.file === 'security/auth-patterns.md')?.queryCount).toBe(2);
  });

  it('shows each hit\'s created_by, approved_by and query_count, following front matter edits', async () => {
    const { project, deps } = setup();
    project.write('security/auth-patterns.md', AUTH.replace('---\n', '---\ncreated_by: security\napproved_by: Jane Doe <jane@example.com>\n'));
    await indexStandards(deps.index);
    const hitOf = (out: { results: Array<{ file: string }> }, file: string) => out.results.find((r) => r.file === file);

    const first = await searchStandards(deps.search, { query: 'argon2id passwords kafka topics', limit: 10 });
    expect(hitOf(first, 'security/auth-patterns.md')).toMatchObject({ created_by: 'security', approved_by: 'Jane Doe <jane@example.com>', query_count: 1 });
    expect(hitOf(first, 'data/kafka-patterns.md')).toMatchObject({ created_by: null, approved_by: null, query_count: 1 });
    const again = await searchStandards(deps.search, { query: 'argon2id passwords kafka topics', limit: 10 });
    expect(again.cached).toBe(true);
    expect(hitOf(again, 'security/auth-patterns.md')).toMatchObject({ approved_by: 'Jane Doe <jane@example.com>', query_count: 2 });

    // An index built before authorship was recorded (no record, index current): the next run records it without re-indexing.
    deps.index.meta.putAuthorship([], ['security/auth-patterns.md']);
    expect(hitOf(await searchStandards(deps.search, { query: 'argon2id' }), 'security/auth-patterns.md')).toMatchObject({ created_by: null, approved_by: null });
    const caughtUp = await indexStandards(deps.index);
    expect(caughtUp).toMatchObject({ unchanged: 3, chunksWritten: 0, warnings: [] });
    expect(hitOf(await searchStandards(deps.search, { query: 'argon2 hashing' }), 'security/auth-patterns.md')).toMatchObject({ created_by: 'security' });

    // Edited front matter is re-read when the file is re-indexed; a removed file's record goes.
    project.write('security/auth-patterns.md', AUTH.replace('---\n', '---\ncreated_by: architect\n'));
    project.remove('data/kafka-patterns.md');
    await indexStandards(deps.index);
    expect(hitOf(await searchStandards(deps.search, { query: 'argon2id passwords' }), 'security/auth-patterns.md')).toMatchObject({ created_by: 'architect', approved_by: null });
    expect([...deps.index.meta.authorshipHashes().keys()].sort()).toEqual(['development/error-handling.md', 'security/auth-patterns.md']);
  });
});
