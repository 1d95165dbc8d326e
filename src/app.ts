import { createProposalDeps, proposalUseCases, type ProposalUseCases } from './app-proposals.js';
import { loadProjectConfig } from './config/load.js';
import path from 'node:path';
import { projectPaths, type ProjectPaths } from './config/paths.js';
import type { AgentOsConfig } from './config/schema.js';
import { ChokidarWatcher } from './infra/chokidar-watcher.js';
import { createEmbedder } from './infra/embedders/factory.js';
import { GloveModelLoader } from './infra/embedders/glove/load.js';
import { FileWriterLock } from './infra/file-lock.js';
import { FsPersonaSource } from './infra/fs-persona-source.js';
import { FsStandardsRepo } from './infra/fs-standards-repo.js';
import { LanceStores } from './infra/lance-stores.js';
import { NodeFiles } from './infra/node-files.js';
import { OpenAiLlm } from './infra/openai-llm.js';
import { NodeProjectFiles } from './infra/project-files.js';
import { GitLogHistory } from './infra/git-log-history.js';
import { SqliteJobStore } from './infra/sqlite-job-store.js';
import { SqliteMetaStore } from './infra/sqlite-meta-store.js';
import { createJobEngine, type JobEngine } from './jobs/engine.js';
import type { Embedder } from './ports/embedder.js';
import type { GitHistory } from './ports/git-history.js';
import type { Llm } from './ports/llm.js';
import type { Logger } from './ports/logger.js';
import type { ProjectFiles } from './ports/project-files.js';
import type { FileWatcher } from './ports/watcher.js';
import { watchStandards, type Watching } from './services/auto-index.js';
import { indexStandards, planIndex, type IndexDeps, type IndexInput, type IndexPlan, type IndexReport } from './services/index-standards.js';
import { listStandards, type ListStandardsInput, type StandardMetadata } from './services/list-standards.js';
import { personaJobRunner } from './services/persona-jobs.js';
import { submitWorkingTreeReview, type ReviewInput, type SubmittedReview } from './services/review-working-tree.js';
import { loadPersonas, type LoadedPersonas } from './services/personas.js';
import { proposeStandard } from './services/proposals/propose.js';
import type { ProposalDeps } from './services/proposals/types.js';
import { GitFactsCache, SearchCache, searchStandards, type SearchDeps, type SearchInput, type SearchOutput } from './services/search-standards.js';

export type { Watching };
export { projectPaths, type ProjectPaths };

export interface AppOptions {
  root: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Already-loaded configuration; loaded from the project when absent. */
  config?: AgentOsConfig;
  /** Replaces the configured embedder (tests, benchmarks). */
  embedder?: Embedder | null;
  /** Replaces the chokidar file watcher. */
  watcher?: FileWatcher;
  /** Where `.agent-os/personas/` is read from (default: the root); the Action reads the base commit's. */
  personasRoot?: string;
  /** Persona jobs answer with schema-checked JSON findings (the PR review path); they cannot propose. */
  structuredJobs?: boolean;
}

/** The composition root: builds the real infrastructure once and exposes the use cases. */
export interface App {
  config: AgentOsConfig;
  paths: ProjectPaths;
  logger: Logger;
  embedder: Embedder | null;
  index(input?: IndexInput): Promise<IndexReport>;
  search(input: SearchInput): Promise<SearchOutput>;
  /** What `index()` would change, without writing (staleness). */
  plan(input?: Pick<IndexInput, 'full'>): Promise<IndexPlan>;
  /** Every standard with its metadata (front matter, git dates, query counts). */
  listStandards(input?: ListStandardsInput): Promise<StandardMetadata[]>;
  /**
   * Watch the standards directory and re-index incrementally after changes (debounced, one run
   * at a time, errors logged). `catchUp` (default true) also runs once at start, covering changes
   * made before the watch began. `onIndexed` sees each run's report (e.g. to tell MCP clients
   * the list of standards changed when `added` or `removed` is non-empty). `close()` of the app
   * closes open watches too.
   */
  watch(options?: { catchUp?: boolean; onIndexed?: (report: IndexReport) => void }): Promise<Watching>;
  indexDeps: IndexDeps;
  searchDeps: SearchDeps;
  /** The configured model, or null: persona jobs then run in briefing mode. */
  llm: Llm | null;
  /** Read-only access to the project's files, confined to its root (persona tools, reviews). */
  projectFiles: ProjectFiles;
  /** Core personas and the project's specialists (read on each call: files may change). */
  personas(): Promise<LoadedPersonas>;
  /**
   * The persona job engine, created on first use (call `start()` to run workers). `onlyOwnJobs`
   * (fixed at creation) makes it run only the jobs submitted through it, as `agent-os review` needs.
   */
  jobs(options?: { onlyOwnJobs?: boolean }): JobEngine;
  /**
   * Submits a persona's review of the working tree's changes as a job of this process's own engine
   * (`jobs({ onlyOwnJobs: true })`), refreshing the index first unless `refreshIndex` is false.
   */
  submitReview(input: Omit<ReviewInput, 'excludePaths'> & { refreshIndex?: boolean }): Promise<SubmittedReview>;
  /** Propose, revise, list, show, approve and reject standard proposals (and imports). */
  proposals: ProposalUseCases;
  /** What the proposal use cases need (git plumbing, GitHub when a token and a GitHub remote exist), for composing other use cases. */
  proposalDeps(): Promise<ProposalDeps>;
  close(): Promise<void>;
}

export function createApp(opts: AppOptions): App {
  const env = opts.env ?? process.env;
  const logger = opts.logger;
  const config = opts.config ?? loadProjectConfig(opts.root, env, (w) => logger.warn(w));
  const paths = projectPaths(opts.root, config);
  // One GloVe model (~45 MB) per app, loaded on first use; the app owns it, no module holds it.
  const embedder = opts.embedder !== undefined ? opts.embedder : createEmbedder(config.embeddings, { logger, env, glove: new GloveModelLoader(undefined, logger) });
  const meta = new SqliteMetaStore(paths.metaDb);
  const stores = new LanceStores(paths.indexUri, config.search.headingBoost, { annMinRows: config.index.annMinRows });
  const cache = new SearchCache();
  const watcher = opts.watcher ?? new ChokidarWatcher();
  const history: GitHistory = new GitLogHistory();
  const files = new NodeFiles();
  const watches = new Set<Watching>();
  const indexDeps: IndexDeps = {
    repo: new FsStandardsRepo(paths.standardsDir),
    stores,
    embedder,
    meta,
    lock: new FileWriterLock(paths.lockFile, { logger }),
    logger,
    chunking: { ...config.index, batchSize: config.embeddings.batchSize },
    topics: config.search.lsa.weight > 0 ? { dims: config.search.lsa.dims, minChunks: config.search.lsa.minChunks, maxFitChunks: config.search.lsa.maxFitChunks } : null,
  };
  const llmConfig = config.llm.model
    ? {
        model: config.llm.model,
        ...(config.llm.baseUrl ? { baseUrl: config.llm.baseUrl } : {}),
        ...(env[config.llm.apiKeyEnv] ? { apiKey: env[config.llm.apiKeyEnv] } : {}),
        timeoutMs: config.llm.timeoutSeconds * 1000,
        maxRetries: config.llm.maxRetries,
        logger,
      }
    : null;
  const llm: Llm | null = llmConfig ? new OpenAiLlm(llmConfig) : null;
  const projectFiles = new NodeProjectFiles(opts.root, { env });
  const personaSource = new FsPersonaSource(opts.personasRoot ?? opts.root);
  const personas = (): Promise<LoadedPersonas> => loadPersonas({ source: personaSource });
  let proposalSetup: Promise<ProposalDeps> | null = null;
  const proposalDeps = (): Promise<ProposalDeps> => {
    proposalSetup ??= createProposalDeps(opts.root, config, paths.standardsDir, env, logger);
    proposalSetup.catch(() => (proposalSetup = null));
    return proposalSetup;
  };
  let engine: JobEngine | null = null;
  let jobStore: SqliteJobStore | null = null;
  const jobs = (options: { onlyOwnJobs?: boolean } = {}): JobEngine => {
    if (engine) return engine;
    jobStore = new SqliteJobStore(paths.jobsDb);
    engine = createJobEngine({
      store: jobStore,
      logger,
      concurrency: config.personas.concurrency,
      retentionDays: config.personas.retentionDays,
      onlyOwnJobs: options.onlyOwnJobs === true,
      run: personaJobRunner({
        personas,
        llm,
        search: (input) => searchStandards(searchDeps, input),
        files: projectFiles,
        logger,
        ...(opts.structuredJobs ? { structured: true } : { propose: async (input) => proposeStandard(await proposalDeps(), input) }),
        limits: { maxToolCalls: config.personas.maxToolCalls, maxTurns: config.personas.maxTurns, maxOutputTokens: config.personas.maxOutputTokens },
        briefing: { budgetChars: config.personas.briefingBudgetChars, maxStandards: config.personas.briefingMaxStandards },
      }),
    });
    return engine;
  };
  const searchDeps: SearchDeps = {
    indexes: stores,
    embedder,
    meta,
    logger,
    cache,
    gitFacts: new GitFactsCache(history, paths.standardsDir),
    tuning: { ...config.search, method: config.search.fusion, k: config.search.rrfK },
  };
  const app: App = {
    config,
    paths,
    logger,
    embedder,
    indexDeps,
    searchDeps,
    llm,
    projectFiles,
    personas,
    jobs,
    proposals: proposalUseCases(proposalDeps),
    proposalDeps,
    async index(input) {
      const report = await indexStandards(indexDeps, input);
      cache.clear(); // the one place search results can go stale
      return report;
    },
    search: (input) => searchStandards(searchDeps, input),
    plan: (input) => planIndex(indexDeps, input),
    submitReview: ({ refreshIndex, ...input }) =>
      submitWorkingTreeReview(
        { files: projectFiles, personas, jobs: jobs({ onlyOwnJobs: true }), ...(refreshIndex === false ? {} : { refreshIndex: () => app.index() }) },
        // The cache (index, databases) may live in the tree; it is never part of a review.
        { ...input, excludePaths: [path.relative(opts.root, paths.cacheDir).split(path.sep).join('/')] },
      ),
    listStandards: (input) => listStandards({ repo: indexDeps.repo, meta, history, files }, input),
    async watch(options = {}) {
      const inner = await watchStandards(
        {
          watcher,
          dir: paths.standardsDir,
          debounceMs: config.index.debounceMs,
          logger,
          reindex: async () => {
            if (!(await indexDeps.repo.exists())) {
              logger.debug('standards directory missing; nothing to re-index', { dir: paths.standardsDir });
              return null;
            }
            return app.index();
          },
        },
        options,
      );
      const watching: Watching = {
        idle: () => inner.idle(),
        async close() {
          watches.delete(watching);
          await inner.close();
        },
      };
      watches.add(watching);
      return watching;
    },
    async close() {
      for (const w of [...watches]) await w.close();
      if (engine) {
        // Jobs still running after the grace period stay `running` in the store; the next start re-queues them.
        await engine.stop({ abort: true, timeoutMs: 5000 });
        engine = null;
        jobStore?.close();
        jobStore = null;
      }
      await stores.close();
      meta.close();
    },
  };
  return app;
}
