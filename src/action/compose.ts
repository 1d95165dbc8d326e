import fs from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../app.js';
import { loadConfig } from '../config/load.js';
import type { AgentOsConfig } from '../config/schema.js';
import { AgentOsError } from '../domain/errors.js';
import { GitPlumbing } from '../infra/git-plumbing.js';
import { OctokitPullRequests } from '../infra/github-octokit.js';
import type { Logger } from '../ports/logger.js';
import type { PullRequestReviewDeps } from '../services/review-pull-request.js';

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
export async function createActionApp(opts: ActionAppOptions): Promise<{ deps: PullRequestReviewDeps; app: App; notes: string[]; close(): Promise<void> }> {
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
      index: async () => {
        const r = await app.index();
        opts.logger.info(
          `Standards index: ${r.added.length} added, ${r.changed.length} changed, ${r.removed.length} removed, ${r.unchanged} unchanged (${(r.durationMs / 1000).toFixed(1)} s)`,
        );
        return r;
      },
      llmConfigured: app.llm !== null,
      logger: opts.logger,
    },
    app,
    notes,
    close: () => app.close(),
  };
}
