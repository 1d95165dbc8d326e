import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { defaultRerank } from '../../src/domain/rerank.js';
import { GloveEmbedder } from '../../src/infra/embedders/glove/embedder.js';
import { GloveModelLoader } from '../../src/infra/embedders/glove/load.js';
import { indexStandards } from '../../src/services/index-standards.js';
import { SearchCache, searchStandards, type SearchTuning } from '../../src/services/search-standards.js';
import { realDeps } from '../fakes/deps.js';
import { silentLogger } from '../../src/ports/logger.js';
import { HashEmbedder } from '../fakes/hash-embedder.js';
import { copyCorpus, makeProject } from '../fakes/project.js';
import { TEAM_STANDARDS } from '../fakes/team-standards.js';

/** Ranking behaviour of the default configuration, on real LanceDB. */
describe('default ranking', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function appWith(files: Record<string, string>) {
    const project = makeProject(files);
    const app = createApp({ root: project.root, logger: silentLogger, embedder: new HashEmbedder(), env: {} });
    cleanups.push(() => app.close(), () => project.cleanup());
    await app.index();
    return app;
  }

  it('a title match ranks a standard above one that mentions the words once in passing', async () => {
    const app = await appWith({
      'security/session-management.md': '# Session management\n\n## Cookies\n\nSet Secure and HttpOnly on cookies; rotate identifiers at login.\n',
      'operations/caching.md': '# Caching\n\n## Notes\n\nOur caching layer is unrelated to session management, but shares the cluster.\n',
    });
    const out = await app.search({ query: 'session management' });
    expect(out.results.map((r) => r.file)).toEqual(['security/session-management.md', 'operations/caching.md']);
  });

  it('returns one chunk per standard so results span several files', async () => {
    const long = Array.from({ length: 6 }, (_, i) => `## Part ${i}\n\nLogging rule ${i}: structured logging with request ids.`).join('\n\n');
    const app = await appWith({
      'operations/logging.md': `# Logging\n\n${long}\n`,
      'operations/tracing.md': '# Tracing\n\n## Spans\n\nPropagate request ids into logging and spans.\n',
    });
    const out = await app.search({ query: 'structured logging request ids', limit: 5 });
    expect(out.results.map((r) => r.file)).toEqual(['operations/logging.md', 'operations/tracing.md']);
  });
});

describe('reranking inside search', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('applies the configured title weight to the fused candidates', async () => {
    const project = makeProject({
      'ops/notes.md': '# Notes\n\n## Misc\n\nPassword storage: argon2id. Password storage needs salts. Password storage, password storage.\n',
      'security/credentials.md': '# Password storage\n\n## Rules\n\nUse a slow hash with a salt for every password.\n',
    });
    const deps = realDeps(project.root, new HashEmbedder());
    cleanups.push(() => deps.close(), () => project.cleanup());
    await indexStandards(deps.index);
    const order = async (title: number) =>
      (await searchStandards({ ...deps.search, cache: new SearchCache(), tuning: { ...deps.search.tuning, rerank: { ...defaultRerank, title, support: 0 } } }, { query: 'password storage notes' })).results.map((r) => r.file);
    expect(await order(0)).toEqual(['ops/notes.md', 'security/credentials.md']);
    expect(await order(2)).toEqual(['security/credentials.md', 'ops/notes.md']);
  });
});

describe('reranking with one retriever', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('without an embedding model, a long standard naming a common word in many sections does not outrank the short one the question names', async () => {
    const naming = Array.from({ length: 30 }, (_, i) => `## Naming rule ${i}\n\nNaming of kind ${i}: pick names that say what the value holds.`).join('\n\n');
    const project = makeProject({
      'development/style.md': `# Style guide\n\n${naming}\n`,
      'data/kafka.md': '# Kafka conventions\n\n## Topics\n\nName topics by domain, entity and event.\n',
    });
    const app = createApp({ root: project.root, logger: silentLogger, embedder: null, env: {} });
    cleanups.push(() => app.close(), () => project.cleanup());
    await app.index();
    const out = await app.search({ query: 'kafka topic naming' });
    expect(out.mode).toBe('keyword');
    expect(out.results[0]?.file).toBe('data/kafka.md');
  });
});

describe('team standards beside a large imported corpus (real GloVe model)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it("puts a team's one-section standard first for the question that names it, above long guides touching its common words in many sections", async () => {
    const team = TEAM_STANDARDS.filter((t) => ['data/kafka-patterns.md', 'infra/terraform-modules.md', 'process/feature-flags.md', 'data/database-migrations.md'].includes(t.file));
    expect(team).toHaveLength(4);
    const project = makeProject(Object.fromEntries(team.map((t) => [t.file, t.text])));
    copyCorpus(project.standards);
    const app = createApp({ root: project.root, logger: silentLogger, embedder: new GloveEmbedder(new GloveModelLoader()), env: {} });
    cleanups.push(() => app.close(), () => project.cleanup());
    expect((await app.index()).topics).toBe('fitted');
    const first = async (tuning: Partial<SearchTuning>): Promise<string[]> => {
      const out: string[] = [];
      for (const { query } of team) {
        const found = await searchStandards({ ...app.searchDeps, cache: new SearchCache(), tuning: { ...app.searchDeps.tuning, ...tuning } }, { query });
        expect(found.mode).toBe('hybrid');
        out.push(found.results[0]?.file ?? '');
      }
      return out;
    };
    const files = team.map((t) => t.file);
    expect(await first({})).toEqual(files);
    // The topic ranking weighs most, and it has never placed the Kafka standard: the clear keyword
    // winner is what puts it first.
    expect((await first({ keywordWinnerRatio: 0 }))[0]).not.toBe('data/kafka-patterns.md');
    // Without the topic index (GloVe beside keywords), the reranking keeps them first; the reranking
    // before the cap (title 0.3, every strong section of a long guide lending support) put a long
    // style guide first for each of these questions.
    const glove = { lsa: undefined, keywordWinnerRatio: 0 };
    expect(await first(glove)).toEqual(files);
    const before = await first({ ...glove, rerank: { ...app.searchDeps.tuning.rerank, title: 0.3, supportSections: 1000 } });
    expect(before.filter((f, i) => f !== files[i]).length).toBeGreaterThanOrEqual(3);
  });
});
