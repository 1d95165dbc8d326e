import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, loadConfig, resolveConfig, trustWarning, type ProjectTrust } from './config/load.js';
import type { AgentOsConfig } from './config/schema.js';
import type { Embedder } from './ports/embedder.js';
import type { Logger } from './ports/logger.js';
import { FileWriterLock } from './infra/file-lock.js';
import { FsStandardsRepo } from './infra/fs-standards-repo.js';
import { LanceStores } from './infra/lance-stores.js';
import { SqliteMetaStore } from './infra/sqlite-meta-store.js';
import { createEmbedder } from './infra/embedders/factory.js';
import { GloveModelLoader } from './infra/embedders/glove/load.js';
import { configSchema } from './config/schema.js';
import { messageOf } from './domain/errors.js';
import type { FileWatcher } from './ports/watcher.js';
import type { GitHistory } from './ports/git-history.js';
import { ChokidarWatcher } from './infra/chokidar-watcher.js';
import { NodeFiles } from './infra/node-files.js';
import { SimpleGitConfig } from './infra/git-config.js';
import { SimpleGitHistory } from './infra/simple-git-history.js';
import { PackageHookAssets } from './infra/hook-assets.js';
import { createAutoIndexer } from './services/auto-index.js';
import type { DoctorDeps, DoctorProject } from './services/doctor.js';
import type { HooksDeps } from './services/hooks.js';
import type { InitDeps } from './services/init-project.js';
import { listStandards, type ListStandardsInput, type StandardMetadata } from './services/list-standards.js';
import { indexStandards, planIndex, type IndexDeps, type IndexInput, type IndexPlan, type IndexReport } from './services/index-standards.js';
import { createJobEngine, type JobEngine } from './jobs/engine.js';
import type { Llm } from './ports/llm.js';
import type { ProjectFiles } from './ports/project-files.js';
import { OpenAiLlm } from './infra/openai-llm.js';
import { FsPersonaSource } from './infra/fs-persona-source.js';
import { NodeProjectFiles } from './infra/project-files.js';
import { SqliteJobStore } from './infra/sqlite-job-store.js';
import { getPersona, loadPersonas, type LoadedPersonas } from './services/personas.js';
import { runPersona } from './services/run-persona.js';
import { GitPlumbing } from './infra/git-plumbing.js';
import { OctokitPullRequests } from './infra/github-octokit.js';
import { SecretlintScanner } from './infra/secretlint-scanner.js';
import { parseGitHubRemote, parseRepository } from './domain/github-remote.js';
import type { PullRequests } from './ports/github.js';
import { proposeStandard, type ProposalDeps } from './services/proposals.js';
import type { ImportDeps } from './services/import-rules.js';
import type { ExportDeps } from './services/export-standards.js';
import { GitWorkTree } from './infra/git-work-tree.js';
import { requireProject } from './infra/project-root.js';
import type { PullRequestReviewDeps } from './services/review-pull-request.js';
import { AgentOsError } from './domain/errors.js';
import { GitFactsCache, SearchCache, searchStandards, type SearchDeps, type SearchInput, type SearchOutput } from './services/search-standards.js';

/** Where a project's agent-os files live. */
export interface ProjectPaths {
  root: string;
  agentOsDir: string;
  standardsDir: string;
  cacheDir: string;
  indexUri: string;
  metaDb: string;
  jobsDb: string;
  lockFile: string;
}

export function projectPaths(root: string, config: AgentOsConfig): ProjectPaths {
  const cacheDir = path.resolve(root, config.cacheDir);
  const uri = config.index.uri;
  // Object-store URIs (s3://, gs://, az://) pass through; plain paths resolve against the root.
  const indexUri = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : path.resolve(root, uri);
  return {
    root,
    agentOsDir: path.join(root, '.agent-os'),
    standardsDir: path.resolve(root, config.standardsDir),
    cacheDir,
    indexUri,
    metaDb: path.join(cacheDir, 'meta.db'),
    jobsDb: path.join(cacheDir, 'jobs.db'),
    lockFile: path.join(cacheDir, 'index.lock'),
  };
}

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

/** A running watch of the standards directory (see `App.watch`). */
export interface Watching {
  /** Resolves once no re-index is pending or running (for tests and orderly shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
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
  /** What the proposal use cases need: git plumbing, and GitHub when a token and a GitHub remote exist. */
  proposals(): Promise<ProposalDeps>;
  close(): Promise<void>;
}

export function createApp(opts: AppOptions): App {
  const env = opts.env ?? process.env;
  const logger = opts.logger;
  let config: AgentOsConfig;
  if (opts.config) config = opts.config;
  else {
    const loaded = resolveConfig(opts.root, { env });
    config = loaded.config;
    const warning = trustWarning(loaded.trust);
    if (warning) logger.warn(warning);
  }
  const paths = projectPaths(opts.root, config);
  // One GloVe model (~45 MB) per app, loaded on first use; the app owns it, no module holds it.
  const embedder = opts.embedder !== undefined ? opts.embedder : createEmbedder(config.embeddings, { logger, env, glove: new GloveModelLoader(undefined, logger) });
  const meta = new SqliteMetaStore(paths.metaDb);
  const stores = new LanceStores(paths.indexUri, config.search.headingBoost, { annMinRows: config.index.annMinRows });
  const cache = new SearchCache();
  const watcher = opts.watcher ?? new ChokidarWatcher();
  const history: GitHistory = new SimpleGitHistory();
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
  let proposalDeps: Promise<ProposalDeps> | null = null;
  const proposals = (): Promise<ProposalDeps> => {
    proposalDeps ??= createProposalDeps(opts.root, config, paths.standardsDir, env, logger);
    proposalDeps.catch(() => (proposalDeps = null));
    return proposalDeps;
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
      run: async (job, ctx) => {
        const persona = getPersona(await personas(), job.persona);
        return runPersona(
          {
            llm,
            search: (input) => searchStandards(searchDeps, input),
            files: projectFiles,
            logger,
            ...(opts.structuredJobs ? {} : { propose: async (input) => proposeStandard(await proposals(), { ...input, proposed_by: job.persona, job_id: job.id }) }),
            limits: { maxToolCalls: config.personas.maxToolCalls, maxTurns: config.personas.maxTurns, maxOutputTokens: config.personas.maxOutputTokens },
          },
          {
            persona,
            task: job.task,
            context: job.context,
            signal: ctx.signal,
            progress: (phase, percent, message) => ctx.progress({ phase, percent, message }),
            toolCall: () => ctx.toolCall(),
            partial: (text) => ctx.partial(text),
            usage: (tokens) => ctx.usage(tokens),
            ...(opts.structuredJobs ? { structured: true } : {}),
          },
        );
      },
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
  return {
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
    proposals,
    async index(input) {
      const report = await indexStandards(indexDeps, input);
      cache.clear();
      return report;
    },
    search: (input) => searchStandards(searchDeps, input),
    plan: (input) => planIndex(indexDeps, input),
    listStandards: (input) => listStandards({ repo: indexDeps.repo, meta, history, files }, input),
    async watch(options = {}) {
      const indexer = createAutoIndexer({
        debounceMs: config.index.debounceMs,
        logger,
        run: async () => {
          if (!(await indexDeps.repo.exists())) {
            logger.debug('standards directory missing; nothing to re-index', { dir: paths.standardsDir });
            return;
          }
          const report = await indexStandards(indexDeps);
          cache.clear();
          if (report.added.length + report.changed.length + report.removed.length > 0) {
            logger.info('re-indexed after changes', { added: report.added, changed: report.changed, removed: report.removed, ms: report.durationMs });
          }
          try {
            options.onIndexed?.(report);
          } catch (e) {
            logger.warn('onIndexed callback failed', { error: messageOf(e) });
          }
        },
      });
      const handle = await watcher.watch(
        paths.standardsDir,
        (event) => indexer.trigger(`${event.kind} ${event.file}`),
        (error) => logger.warn('file watcher error', { error: messageOf(error) }),
      );
      if (options.catchUp !== false) indexer.trigger('catch-up');
      const watching: Watching = {
        idle: () => indexer.idle(),
        async close() {
          watches.delete(watching);
          await handle.close();
          await indexer.close();
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
}

/** Git plumbing, GitHub (when a token and a GitHub remote exist) and the proposal settings of a project. */
async function createProposalDeps(root: string, config: AgentOsConfig, standardsDir: string, env: NodeJS.ProcessEnv, logger: Logger): Promise<ProposalDeps> {
  const git = new GitPlumbing(root, { env, remote: config.proposals.remote });
  const gh = await connectGitHub(config, env, logger, () => git.remoteUrl(config.proposals.remote));
  const { branchPrefix, remote, push, label } = config.proposals;
  return { git, github: gh.github, githubMissing: gh.missing, secrets: new SecretlintScanner(), standardsDir, settings: { branchPrefix, remote, push, label }, logger };
}

/** The project's configuration for commands that need no index (import, export); the trust warning is logged. */
function projectConfig(root: string, env: NodeJS.ProcessEnv, logger: Logger): AgentOsConfig {
  const loaded = resolveConfig(root, { env });
  const warning = trustWarning(loaded.trust);
  if (warning) logger.warn(warning);
  return loaded.config;
}

/** Deps of `agent-os import`: the work tree, files, and (when proposing) git plumbing and GitHub. */
export function createImportDeps(root: string, logger: Logger, env: NodeJS.ProcessEnv = process.env): ImportDeps {
  requireProject(root);
  const config = projectConfig(root, env, logger);
  const standardsDir = projectPaths(root, config).standardsDir;
  let proposals: Promise<ProposalDeps> | null = null;
  return {
    files: new NodeFiles(),
    secrets: new SecretlintScanner(),
    project: new NodeProjectFiles(root, { env }),
    tree: new GitWorkTree(root, env),
    root,
    standardsDir,
    proposals: () => (proposals ??= createProposalDeps(root, config, standardsDir, env, logger)),
    logger,
  };
}

/** Deps of `agent-os export`: nothing is opened but the standards and the files it writes. */
export function createExportDeps(root: string, logger: Logger, env: NodeJS.ProcessEnv = process.env): ExportDeps {
  requireProject(root);
  const config = projectConfig(root, env, logger);
  return { files: new NodeFiles(), tree: new GitWorkTree(root, env), repo: new FsStandardsRepo(projectPaths(root, config).standardsDir), root };
}

/**
 * GitHub for proposals: a token (`proposals.github.tokenEnv`) and a repository, from config or from the
 * remote's URL (github.com, or the host of GITHUB_SERVER_URL / the configured API URL for Enterprise).
 */
async function connectGitHub(
  config: AgentOsConfig,
  env: NodeJS.ProcessEnv,
  logger: Logger,
  remoteUrl: () => Promise<string | null>,
): Promise<{ github: PullRequests | null; missing: string | null }> {
  const cfg = config.proposals.github;
  const token = env[cfg.tokenEnv];
  if (!token) return { github: null, missing: `${cfg.tokenEnv} is not set` };
  const hostOf = (url: string | undefined): string | null => {
    try {
      return url ? new URL(url).hostname : null;
    } catch {
      return null;
    }
  };
  let target: { owner: string; repo: string; host: string | null };
  if (cfg.repository) target = { ...parseRepository(cfg.repository), host: null };
  else {
    const url = await remoteUrl().catch(() => null);
    const hosts = ['github.com', hostOf(env['GITHUB_SERVER_URL']), hostOf(cfg.apiUrl)].filter((h): h is string => Boolean(h));
    const parsed = url ? parseGitHubRemote(url, hosts) : null;
    if (!parsed) {
      return { github: null, missing: `the ${config.proposals.remote} remote is not a GitHub repository (set proposals.github.repository to owner/name)` };
    }
    target = parsed;
  }
  const apiUrl = cfg.apiUrl ?? env['GITHUB_API_URL'] ?? (target.host && target.host !== 'github.com' ? `https://${target.host}/api/v3` : 'https://api.github.com');
  return { github: new OctokitPullRequests({ apiUrl, token, owner: target.owner, repo: target.repo, logger }), missing: null };
}

/** How the GitHub Action runs: the runner's checkout and temp dir, GitHub, and the model from the inputs. */
export interface ActionAppOptions {
  /** GITHUB_WORKSPACE: the checkout of the pull request. */
  workspace: string;
  /** A directory of its own below RUNNER_TEMP for the base's exported `.agent-os/` (removed by the caller). */
  tempDir: string;
  /** Index, meta and job databases; kept between runs (the action caches it), so unchanged standards are not re-embedded. */
  cacheDir: string;
  /** The PR's base commit: the standards, personas and configuration that judge it come from there. */
  baseSha: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  llm: { model?: string; baseUrl?: string; apiKey?: string };
  /** `knownLogin`: who the token posts as, when that is known without asking GitHub (the workflow token). */
  github: { apiUrl: string; token: string; repository: string; knownLogin?: string };
}

/**
 * The Action's composition: the base commit's `.agent-os/` exported to the temp dir (a PR cannot change
 * the rules that judge it), an app over it with structured persona jobs, and GitHub through Octokit.
 */
export async function createActionApp(opts: ActionAppOptions): Promise<{ deps: PullRequestReviewDeps; notes: string[]; close(): Promise<void> }> {
  const notes: string[] = [];
  const git = new GitPlumbing(opts.workspace, { env: opts.env });
  const baseRoot = path.join(opts.tempDir, 'base');
  fs.rmSync(baseRoot, { recursive: true, force: true });
  fs.mkdirSync(baseRoot, { recursive: true });
  if (!(await git.ensureCommit(opts.baseSha))) {
    throw new AgentOsError('NOT_FOUND', `The base commit ${opts.baseSha} is not in the checkout and could not be fetched.`, {
      hint: 'Check out the repository with actions/checkout before this step (fetch-depth: 0 avoids the extra fetch).',
    });
  }
  const top = await git.repoPath(opts.workspace);
  const agentOsDir = top ? `${top}/.agent-os` : '.agent-os';
  const exported = await git.exportDir(opts.baseSha, agentOsDir, path.join(baseRoot, '.agent-os'));
  if (exported === 0) notes.push(`The base commit ${opts.baseSha.slice(0, 7)} has no .agent-os/ directory: the core personas review without project standards.`);
  const env: NodeJS.ProcessEnv = { ...opts.env, ...(opts.llm.apiKey ? { OPENAI_API_KEY: opts.llm.apiKey } : {}) };
  // The base commit's config is the repository's own reviewed state: trusted, unlike a clone's.
  const fromBase = loadConfig(baseRoot, { env, trustProject: true });
  const cacheDir = opts.cacheDir;
  const config: AgentOsConfig = {
    ...fromBase,
    standardsDir: path.resolve(baseRoot, fromBase.standardsDir),
    cacheDir,
    index: { ...fromBase.index, uri: path.join(cacheDir, 'index') },
    llm: {
      ...fromBase.llm,
      apiKeyEnv: 'OPENAI_API_KEY',
      ...(opts.llm.model ? { model: opts.llm.model } : {}),
      ...(opts.llm.baseUrl ? { baseUrl: opts.llm.baseUrl } : {}),
    },
  };
  fs.mkdirSync(config.standardsDir, { recursive: true });
  const app = createApp({ root: opts.workspace, config, logger: opts.logger, env, personasRoot: baseRoot, structuredJobs: true });
  const jobs = app.jobs({ onlyOwnJobs: true });
  jobs.start();
  const [owner = '', repo = ''] = opts.github.repository.split('/');
  const github = new OctokitPullRequests({
    apiUrl: opts.github.apiUrl,
    token: opts.github.token,
    owner,
    repo,
    logger: opts.logger,
    ...(opts.github.knownLogin ? { knownLogin: opts.github.knownLogin } : {}),
  });
  return {
    deps: {
      github,
      jobs,
      personas: () => app.personas(),
      search: (input) => app.search(input),
      index: async () => {
        const r = await app.index();
        opts.logger.info(
          `Standards index: ${r.added.length} added, ${r.changed.length} changed, ${r.removed.length} removed, ${r.unchanged} unchanged (${(r.durationMs / 1000).toFixed(1)} s)`,
        );
        return r;
      },
      standardText: (file) => app.indexDeps.repo.read(file).then((bytes) => Buffer.from(bytes).toString('utf8'), () => null),
      llmConfigured: app.llm !== null,
      logger: opts.logger,
    },
    notes,
    close: () => app.close(),
  };
}

/** Deps of `agent-os hooks`: git config, files and this package's hook templates. */
export function createHooksDeps(env: NodeJS.ProcessEnv = process.env): HooksDeps {
  return { git: new SimpleGitConfig(), files: new NodeFiles(), assets: new PackageHookAssets(undefined, env) };
}

/** Deps of `agent-os init`. */
export function createInitDeps(env: NodeJS.ProcessEnv = process.env): InitDeps {
  return { files: new NodeFiles(), hooks: createHooksDeps(env) };
}

/** The configuration defaults (what an empty config.yaml means). */
export function configDefaults(): AgentOsConfig {
  return configSchema.parse({});
}

/**
 * Deps of `agent-os doctor`. Nothing is created on disk: no meta store is opened, and the index is
 * opened only when its directory exists.
 */
export function createDoctorDeps(opts: Omit<AppOptions, 'config' | 'watcher'>): DoctorDeps {
  const env = opts.env ?? process.env;
  const files = new NodeFiles();
  const configFile = path.join(opts.root, CONFIG_FILE);
  const open = (config: AgentOsConfig, fromFile: boolean, trust: ProjectTrust | null = null): DoctorProject => {
    const paths = projectPaths(opts.root, config);
    const embedder = opts.embedder !== undefined ? opts.embedder : createEmbedder(config.embeddings, { logger: opts.logger, env });
    const stores = new LanceStores(paths.indexUri, config.search.headingBoost, { annMinRows: config.index.annMinRows });
    return {
      configFile: fromFile && fs.existsSync(configFile) ? configFile : null,
      trust,
      embeddingProvider: config.embeddings.provider,
      plan: {
        repo: new FsStandardsRepo(paths.standardsDir),
        stores,
        embedder,
        logger: opts.logger,
        chunking: { ...config.index, batchSize: config.embeddings.batchSize },
      },
      async indexPresent() {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(paths.indexUri)) return true;
        return (await files.stat(paths.indexUri))?.kind === 'dir';
      },
      close: () => stores.close(),
    };
  };
  return {
    root: opts.root,
    env,
    open: () => {
      const loaded = resolveConfig(opts.root, { env });
      return open(loaded.config, true, loaded.trust);
    },
    openWithDefaults: () => open(configDefaults(), false),
    hooks: createHooksDeps(env),
    personas: () => loadPersonas({ source: new FsPersonaSource(opts.root) }),
    async proposals() {
      let config: AgentOsConfig;
      try {
        config = loadConfig(opts.root, { env });
      } catch {
        config = configDefaults();
      }
      const git = new GitPlumbing(opts.root, { env, remote: config.proposals.remote });
      const base = await git.defaultBranch().catch((e: unknown) => (e instanceof Error ? e : new Error(messageOf(e))));
      const url = base instanceof Error ? null : await git.remoteUrl(config.proposals.remote).catch(() => null);
      const gh = await connectGitHub(config, env, opts.logger, async () => url);
      return { base, remote: { name: config.proposals.remote, url }, github: gh.github?.repository ?? null, missing: gh.missing };
    },
  };
}
