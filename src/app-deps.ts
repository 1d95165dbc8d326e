import fs from 'node:fs';
import path from 'node:path';
import { projectPaths, type App } from './app.js';
import { createProposalDeps } from './app-proposals.js';
import { CONFIG_FILE, loadConfig, loadProjectConfig, resolveConfig, type ProjectTrust } from './config/load.js';
import { configSchema, type AgentOsConfig } from './config/schema.js';
import { messageOf } from './domain/errors.js';
import { createEmbedder } from './infra/embedders/factory.js';
import { FsPersonaSource } from './infra/fs-persona-source.js';
import { FsStandardsRepo } from './infra/fs-standards-repo.js';
import { GitPlumbing } from './infra/git-plumbing.js';
import { GitBinaryConfig } from './infra/git-config.js';
import { GitWorkTree } from './infra/git-work-tree.js';
import { connectGitHub } from './infra/github-connect.js';
import { PackageHookAssets } from './infra/hook-assets.js';
import { LanceStores } from './infra/lance-stores.js';
import { NodeFiles } from './infra/node-files.js';
import { requireProject } from './infra/project-root.js';
import { NodeProjectFiles } from './infra/project-files.js';
import { SecretlintScanner } from './infra/secretlint-scanner.js';
import type { Embedder } from './ports/embedder.js';
import type { Logger } from './ports/logger.js';
import { runDoctor, type DoctorDeps, type DoctorProject, type DoctorReport } from './services/doctor.js';
import { exportStandards, type ExportDeps, type ExportInput, type ExportReport } from './services/export-standards.js';
import { hooksStatus, installHooks, uninstallHooks, type HooksDeps, type HooksInput, type HooksInstallReport, type HooksStatus, type HooksUninstallReport } from './services/hooks.js';
import { importRules, type ImportDeps, type ImportInput, type ImportReport } from './services/import-rules.js';
import { initProject, type InitDeps, type InitInput, type InitReport } from './services/init-project.js';
import { loadPersonas } from './services/personas.js';
import type { ProposalDeps } from './services/proposals/types.js';
import { reviewReport, type ReportDeps, type ReportInput, type ReportOutput } from './services/review-report.js';

/**
 * Composition of the commands that work without the whole app (init, hooks, doctor, import, export)
 * or on top of it (report), and of proposal deps: each builds what its use case needs, nothing more.
 */


/** Deps of `agent-os import`: the work tree, files, and (when proposing) git plumbing and GitHub. */
export function createImportDeps(root: string, logger: Logger, env: NodeJS.ProcessEnv = process.env): ImportDeps {
  requireProject(root);
  const config = loadProjectConfig(root, env, (w) => logger.warn(w));
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
  const config = loadProjectConfig(root, env, (w) => logger.warn(w));
  return { files: new NodeFiles(), tree: new GitWorkTree(root, env), repo: new FsStandardsRepo(projectPaths(root, config).standardsDir), root };
}

/** Deps of `agent-os hooks`: git config, files and this package's hook templates. */
export function createHooksDeps(env: NodeJS.ProcessEnv = process.env): HooksDeps {
  return { git: new GitBinaryConfig(), files: new NodeFiles(), assets: new PackageHookAssets(undefined, env) };
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
export function createDoctorDeps(opts: { root: string; logger: Logger; env?: NodeJS.ProcessEnv; embedder?: Embedder | null }): DoctorDeps {
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
      const gh = await connectGitHub(config.proposals, env, opts.logger, async () => url);
      return { base, remote: { name: config.proposals.remote, url }, github: gh.github?.repository ?? null, missing: gh.missing };
    },
  };
}

/**
 * Deps of `agent-os report`: the project's standards and query counts, GitHub as proposals reach it
 * (token from proposals.github.tokenEnv, repository from the trusted config or the remote's URL), and
 * proposals for amendments.
 */
export function createReportDeps(app: App, env: NodeJS.ProcessEnv, logger: Logger): ReportDeps {
  return {
    usage: async () => (await app.listStandards()).map((s) => ({ file: s.file_path, query_count: s.query_count, last_queried_at: s.last_queried_at })),
    history: async () => {
      const git = new GitPlumbing(app.paths.root, { env, remote: app.config.proposals.remote });
      const { github, missing } = await connectGitHub(app.config.proposals, env, logger, () => git.remoteUrl(app.config.proposals.remote));
      return { history: github, missing };
    },
    standardText: (file) => app.indexDeps.repo.read(file).then((bytes) => Buffer.from(bytes).toString('utf8'), () => null),
    personas: () => app.personas(),
    llm: app.llm,
    proposals: () => app.proposalDeps(),
    logger,
  };
}

/**
 * The use cases of the commands above, each composed on call, so the CLI runs them without wiring
 * deps itself. `app` builds the whole app on first use (only `report` needs it).
 */
export interface ProjectCommands {
  init(input: Omit<InitInput, 'root' | 'configDefaults'>): Promise<InitReport>;
  hooks: {
    install(input: Omit<HooksInput, 'root'>): Promise<HooksInstallReport>;
    uninstall(): Promise<HooksUninstallReport>;
    status(): Promise<HooksStatus>;
  };
  doctor(): Promise<DoctorReport>;
  import(input: ImportInput): Promise<ImportReport>;
  export(input: ExportInput): Promise<ExportReport>;
  report(input: ReportInput): Promise<ReportOutput>;
}

export function projectCommands(root: string, logger: Logger, app: () => App, env: NodeJS.ProcessEnv = process.env): ProjectCommands {
  return {
    init: (input) => initProject(createInitDeps(env), { ...input, root, configDefaults: configDefaults() }),
    hooks: {
      install: (input) => installHooks(createHooksDeps(env), { ...input, root }),
      uninstall: () => uninstallHooks(createHooksDeps(env), { root }),
      status: () => hooksStatus(createHooksDeps(env), { root }),
    },
    doctor: () => runDoctor(createDoctorDeps({ root, logger, env })),
    import: (input) => importRules(createImportDeps(root, logger, env), input),
    export: (input) => exportStandards(createExportDeps(root, logger, env), input),
    report: (input) => reviewReport(createReportDeps(app(), env, logger), input),
  };
}
