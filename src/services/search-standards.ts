import { AgentOsError, isAgentOsError, messageOf } from '../domain/errors.js';
import { diversify, fuse, fuseLists, keepKeywordWinner, preferApplicable, type FusionOptions, type Ranked } from '../domain/fusion.js';
import { rerank, type RerankOptions } from '../domain/rerank.js';
import type { SearchHit } from '../domain/standard.js';
import { searchTopics, type TopicIndex } from '../domain/topics.js';
import type { Embedder } from '../ports/embedder.js';
import type { GitHistory } from '../ports/git-history.js';
import type { IndexStore, SearchIndexes } from '../ports/index-store.js';
import type { Logger } from '../ports/logger.js';
import type { MetaStore } from '../ports/meta-store.js';

export const MAX_QUERY_CHARS = 4000;
export const MAX_LIMIT = 50;
/** Characters of a query that are searched; longer queries are cut with a warning. */
const SEARCHED_QUERY_CHARS = 1000;

export interface SearchInput {
  query: string;
  limit?: number;
  domain?: string;
  /** A project path; standards whose `applies_to` globs match it rank first. */
  filePath?: string;
  /** Sections of one standard in the results (default: the `search.maxPerFile` setting). */
  maxPerFile?: number;
}

export interface SearchOutput {
  results: SearchHit[];
  query_ms: number;
  /** `hybrid`: keyword + vectors; `keyword`: the embedding model was unavailable. */
  mode: 'hybrid' | 'keyword';
  cached: boolean;
  warnings: string[];
}

export interface SearchTuning extends FusionOptions {
  candidates: number;
  maxPerFile: number;
  maxResultChars: number;
  cacheTtlSeconds: number;
  rerank: RerankOptions;
  /** See `keepKeywordWinner` (absent or 0: off). */
  keywordWinnerRatio?: number;
  /** Topic ranking (absent: not used): its share, the embedding model's share beside it, and whether to rerank. */
  lsa?: { weight: number; embedderWeight: number; rerank: boolean };
}

export interface SearchDeps {
  indexes: SearchIndexes;
  embedder: Embedder | null;
  meta: MetaStore;
  logger: Logger;
  tuning: SearchTuning;
  cache: SearchCache;
  /** Who merged each standard (git), for hits without front matter `approved_by`. */
  gitFacts?: GitFactsCache;
  now?: () => number;
}

/** A hit before what is known of its standard (authorship, query count) is added. */
type Section = Omit<SearchHit, 'created_by' | 'approved_by' | 'query_count' | 'created_at' | 'last_updated'>;

interface CacheEntry {
  at: number;
  version: number;
  output: { results: Section[]; mode: SearchOutput['mode']; warnings: string[] };
}

/** Remembers results of identical queries for a TTL; any index change invalidates them. */
export class SearchCache {
  private readonly entries = new Map<string, CacheEntry>();
  constructor(private readonly maxEntries = 500) {}

  get(key: string, version: number, ttlMs: number, now: number): CacheEntry['output'] | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.version !== version || now - e.at > ttlMs) {
      this.entries.delete(key);
      return null;
    }
    return e.output;
  }

  set(key: string, version: number, output: CacheEntry['output'], now: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { at: now, version, output });
  }

  clear(): void {
    this.entries.clear();
  }
}

/** What git says of a standard: who merged it, and when it was first and last committed. */
export interface StandardGitFacts {
  approvedBy: string | null;
  createdAt: string;
  lastUpdated: string;
}

/**
 * Git facts of the standards (`FileHistory`), read again only when git's state changes (a commit,
 * merge or checkout; see `GitHistory.state`), or, without a state signature, when the index does.
 * A save in the working tree changes the index but not the history, so the search right after it
 * does not wait for a `git log` over every standard.
 */
export class GitFactsCache {
  private key: string | null = null;
  private facts: Promise<Map<string, StandardGitFacts>> = Promise.resolve(new Map());

  constructor(
    private readonly history: GitHistory,
    private readonly standardsDir: string,
  ) {}

  async get(indexKey: string): Promise<Map<string, StandardGitFacts>> {
    const key = this.history.state ? await this.history.state(this.standardsDir).catch(() => indexKey) : indexKey;
    if (key !== this.key) {
      this.key = key;
      this.facts = this.history.filesBelow(this.standardsDir).then(
        ({ history }) => new Map([...history].map(([file, h]) => [file, { approvedBy: h.approvedBy, createdAt: h.createdAt, lastUpdated: h.lastUpdated }] as const)),
        () => new Map(),
      );
    }
    return this.facts;
  }
}

function validate(input: SearchInput): { query: string; limit: number; warnings: string[] } {
  const warnings: string[] = [];
  if (typeof input.query !== 'string' || input.query.trim() === '') {
    throw new AgentOsError('BAD_INPUT', 'The query is empty.', {
      hint: 'Describe what you are about to build or review, e.g. "how do we handle API errors".',
    });
  }
  if (input.query.length > MAX_QUERY_CHARS) {
    throw new AgentOsError('BAD_INPUT', `The query is ${input.query.length} characters; the maximum is ${MAX_QUERY_CHARS}.`, {
      hint: 'Search with a short description of the topic instead of pasting code or documents.',
    });
  }
  let query = input.query.trim().replace(/\s+/g, ' ');
  if (query.length > SEARCHED_QUERY_CHARS) {
    warnings.push(`Only the first ${SEARCHED_QUERY_CHARS} characters of the query were searched.`);
    query = query.slice(0, SEARCHED_QUERY_CHARS);
  }
  const limit = input.limit ?? 5;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AgentOsError('BAD_INPUT', `limit must be a whole number from 1 to ${MAX_LIMIT}; got ${String(input.limit)}.`);
  }
  if (input.maxPerFile !== undefined && !(Number.isInteger(input.maxPerFile) && input.maxPerFile >= 1 && input.maxPerFile <= MAX_LIMIT)) {
    throw new AgentOsError('BAD_INPUT', `maxPerFile must be a whole number from 1 to ${MAX_LIMIT}; got ${String(input.maxPerFile)}.`);
  }
  return { query, limit, warnings };
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const lastBreak = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. '));
  return `${(lastBreak > max * 0.6 ? cut.slice(0, lastBreak + 1) : cut).trimEnd()} …`;
}

/** Hybrid search over the standards: keyword (stemmed BM25) and vectors, fused, spread over files. */
export async function searchStandards(deps: SearchDeps, input: SearchInput): Promise<SearchOutput> {
  const started = performance.now();
  const now = deps.now ?? Date.now;
  const { query, limit, warnings } = validate(input);
  const { tuning } = deps;

  let mode: SearchOutput['mode'] = 'keyword';
  let vectorStore: IndexStore | null = null;
  if (deps.embedder) {
    try {
      await deps.embedder.load();
      vectorStore = await deps.indexes.vectorStore(deps.embedder);
      if (vectorStore) mode = 'hybrid';
      else warnings.push('No vector index has been built for the configured embedding model yet; answered from the keyword index. Run `agent-os index`.');
    } catch (e) {
      const msg = isAgentOsError(e) ? e.describe() : messageOf(e);
      warnings.push(`Embedding model unavailable; answered without its vectors (${msg})`);
      deps.logger.warn('search degraded to keyword-only', { error: msg });
    }
  }
  const store = vectorStore ?? (await deps.indexes.keywordStore(deps.embedder));
  if (!store) {
    throw new AgentOsError('NOT_INITIALIZED', 'The standards have not been indexed yet.', {
      hint: 'Run `agent-os index` (or start `agent-os serve`, which indexes on start).',
    });
  }

  const version = await store.version();
  const gitFacts = deps.gitFacts?.get(`${mode}:${version}`);
  // Counted before it is read, so a hit's query_count includes this search.
  const finish = async (results: Section[]): Promise<SearchHit[]> => {
    deps.meta.recordHits(results.map((r) => r.file));
    const info = deps.meta.standardInfo(results.map((r) => r.file));
    const facts = await gitFacts;
    return results.map((r) => {
      const i = info.get(r.file);
      const g = facts?.get(r.file);
      return {
        ...r,
        created_by: i?.createdBy ?? null,
        approved_by: i?.approvedBy ?? g?.approvedBy ?? null,
        query_count: i?.queryCount ?? 0,
        created_at: g?.createdAt ?? null,
        last_updated: g?.lastUpdated ?? null,
      };
    });
  };
  const perFile = input.maxPerFile ?? tuning.maxPerFile;
  const lsa = tuning.lsa && tuning.lsa.weight > 0 ? tuning.lsa : null;
  const topics = lsa ? ((await store.topics()?.read()) ?? null) : null;
  // The topic index is written after the table, so results are remembered per topic index too.
  const key = JSON.stringify([query.toLowerCase(), limit, input.domain ?? '', input.filePath ?? '', perFile, mode, topics ? topicSerial(topics) : 0]);
  const ttlMs = tuning.cacheTtlSeconds * 1000;
  const hit = ttlMs > 0 ? deps.cache.get(key, version, ttlMs, now()) : null;
  if (hit) {
    const results = await finish(hit.results);
    return { ...hit, results, warnings: [...hit.warnings], cached: true, query_ms: round(performance.now() - started) };
  }

  const filter = input.domain ? { domain: input.domain } : {};
  // With topics the embedding model's ranking has its own share (often none: then it is not searched).
  const vectorShare = topics && lsa ? lsa.embedderWeight : tuning.vectorWeight;
  const retrieved = Promise.all([
    store.keywordSearch(query, tuning.candidates, filter).catch((e: unknown) => {
      warnings.push(`Keyword search failed: ${messageOf(e)}`);
      return [] as Ranked[];
    }),
    mode === 'hybrid' && deps.embedder && vectorShare > 0
      ? deps.embedder.embedQuery(query).then((v) => store.vectorSearch(v, tuning.candidates, filter))
      : Promise.resolve([] as Ranked[]),
  ]);
  // Scored here, in JavaScript, while the store's searches run natively.
  const topical = topics ? searchTopics(topics, query, tuning.candidates, filter) : [];
  const [keyword, vector] = await retrieved;
  if (input.domain && keyword.length === 0 && vector.length === 0 && topical.length === 0) {
    const known = await knownDomains(store);
    if (!known.includes(input.domain)) {
      throw new AgentOsError('BAD_INPUT', `Unknown domain "${input.domain}".`, {
        hint: known.length ? `Known domains: ${known.join(', ')}.` : 'The index holds no standards yet.',
      });
    }
  }
  let fused: Ranked[];
  if (topics && lsa) {
    const lists = [
      { ranked: keyword, weight: 1 - lsa.weight - lsa.embedderWeight },
      { ranked: vector, weight: lsa.embedderWeight },
      { ranked: topical, weight: lsa.weight },
    ];
    fused = fuseLists(lists, tuning);
    if (lsa.rerank) fused = rerank(fused, query, tuning.rerank);
  } else {
    // Support needs two retrievers: with one, rank fusion leaves every candidate within a small factor of
    // the best, so the support floor holds nothing back and a long standard's many weak sections win.
    fused = rerank(fuse(keyword, vector, tuning), query, vector.length > 0 ? tuning.rerank : { ...tuning.rerank, support: 0 });
  }
  fused = keepKeywordWinner(fused, keyword, tuning.keywordWinnerRatio ?? 0);
  const ranked = preferApplicable(diversify(fused, perFile), input.filePath).slice(0, limit);
  const chunks = new Map((await store.getChunks(ranked.map((r) => r.chunk.id))).map((c) => [c.id, c]));
  const results: Section[] = [];
  for (const r of ranked) {
    // A chunk replaced between the two reads drops out rather than failing the search.
    const c = chunks.get(r.chunk.id);
    if (!c) continue;
    results.push({
      file: c.file,
      section: c.section,
      score: round(Math.min(1, Math.max(0, r.score)), 4),
      content: clip(c.content, tuning.maxResultChars),
      domain: c.domain,
      title: c.title,
      tags: c.tags,
    });
  }
  const output = { results, mode, warnings };
  if (ttlMs > 0) deps.cache.set(key, version, output, now());
  return { ...output, results: await finish(results), cached: false, query_ms: round(performance.now() - started) };
}

const serials = new WeakMap<TopicIndex, number>();
let lastSerial = 0;
/** A number per topic index read, so results from an older one are not served from the cache. */
function topicSerial(t: TopicIndex): number {
  let n = serials.get(t);
  if (n === undefined) serials.set(t, (n = ++lastSerial));
  return n;
}

async function knownDomains(store: IndexStore): Promise<string[]> {
  const files = (await store.listFiles()) ?? [];
  return [...new Set(files.map((f) => f.file.split('/')[0] ?? ''))].filter(Boolean).sort();
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
