import type { ProjectTrust } from '../config/load.js';
import { isAgentOsError, messageOf } from '../domain/errors.js';
import type { LoadedPersonas } from './personas.js';
import { hooksStatus, type HooksDeps } from './hooks.js';
import { planIndex, type PlanDeps } from './index-standards.js';

/** ok: nothing to do; warn: works, but worse than it could; fail: broken (doctor exits 1). */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One finding: what was checked, how it stands, and what to do about it. */
export interface DoctorCheck {
  id: 'config' | 'trust' | 'standards' | 'embeddings' | 'index' | 'hooks' | 'personas' | 'llm' | 'proposals';
  title: string;
  status: CheckStatus;
  detail: string;
  /** What to do (absent when nothing needs doing). */
  fix?: string;
  /** Machine-readable specifics (e.g. the stale files). */
  data?: Record<string, unknown>;
}

/** All findings (printed by `agent-os doctor --json`). */
export interface DoctorReport {
  root: string;
  /** False when any check failed (the CLI exits 1). */
  ok: boolean;
  counts: Record<CheckStatus, number>;
  checks: DoctorCheck[];
}

/** The project as configured, opened without creating anything on disk. */
export interface DoctorProject {
  /** Absolute path of config.yaml, or null when defaults are in use. */
  configFile: string | null;
  /** Whether the project config may route credentials; null when opened with the defaults. */
  trust: ProjectTrust | null;
  /** The embedding provider named by the configuration. */
  embeddingProvider: string;
  plan: PlanDeps;
  /** Whether an index exists at all (checked without opening or creating it). */
  indexPresent(): Promise<boolean>;
  close(): Promise<void>;
}

/** How doctor opens the project; built by the composition root so that nothing is created. */
export interface DoctorDeps {
  root: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The project with its configuration; throws AgentOsError('CONFIG') when it is invalid. */
  open(): DoctorProject;
  /** The project with the default configuration (used after a configuration failure). */
  openWithDefaults(): DoctorProject;
  hooks: HooksDeps;
  /** Core and project personas with the files that failed to load. */
  personas(): Promise<LoadedPersonas>;
  /** Where proposals would go, found without network: the default branch, the remote, GitHub or why not. */
  proposals(): Promise<ProposalSetup>;
}

export interface ProposalSetup {
  /** The branch proposals start from; an AgentOsError when the repository cannot hold proposals. */
  base: string | Error;
  remote: { name: string; url: string | null };
  /** `owner/name` when draft PRs can be opened, else null with `missing` saying why. */
  github: string | null;
  missing: string | null;
}

function describe(e: unknown): string {
  return isAgentOsError(e) ? e.describe() : messageOf(e);
}

function listed(files: string[], max = 10): string {
  return files.length <= max ? files.join(', ') : `${files.slice(0, max).join(', ')} and ${files.length - max} more`;
}

function checkTrust(trust: ProjectTrust | null): DoctorCheck | null {
  if (!trust || trust.state === 'none' || trust.state === 'not-needed') return null;
  if (trust.state === 'trusted') {
    return { id: 'trust', title: 'Config trust', status: 'ok', detail: `${trust.file} is trusted: its endpoints and secret variable names apply.` };
  }
  const why = trust.state === 'changed' ? 'has changed since you trusted it' : 'is not trusted';
  return {
    id: 'trust',
    title: 'Config trust',
    status: 'warn',
    detail: `${trust.file} ${why}; ignored: ${trust.ignored.join(', ')}.\nA repository's config may not choose where your credentials are sent until you trust it.`,
    fix: 'Review the file, then run `agent-os trust`; or set these in the environment or in your user config ($XDG_CONFIG_HOME/agent-os/config.yaml).',
    data: { state: trust.state, ignored: trust.ignored },
  };
}

/** Check the installation and say what to do about each problem; never writes anything. */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  let project: DoctorProject;
  try {
    project = deps.open();
    checks.push({
      id: 'config',
      title: 'Configuration',
      status: 'ok',
      detail: project.configFile ? `${project.configFile} is valid.` : 'No .agent-os/config.yaml; the defaults are in use.',
    });
    const trustCheck = checkTrust(project.trust);
    if (trustCheck) checks.push(trustCheck);
  } catch (e) {
    checks.push({ id: 'config', title: 'Configuration', status: 'fail', detail: describe(e), fix: 'Fix the settings named above; the remaining checks use the defaults.' });
    project = deps.openWithDefaults();
  }

  try {
    const { repo, embedder } = project.plan;
    const standardsExist = await repo.exists();
    let count = 0;
    if (!standardsExist) {
      checks.push({
        id: 'standards',
        title: 'Standards',
        status: 'fail',
        detail: `No standards directory at ${repo.dir}.`,
        fix: 'Run `agent-os init` to scaffold .agent-os/ (or pass --root to point at your project).',
      });
    } else {
      count = (await repo.list()).length;
      checks.push(
        count === 0
          ? { id: 'standards', title: 'Standards', status: 'warn', detail: `${repo.dir} holds no standards yet.`, fix: 'Add Markdown files as <domain>/<topic>.md, or let a persona propose some.', data: { count } }
          : { id: 'standards', title: 'Standards', status: 'ok', detail: `${count} standard file(s) in ${repo.dir}.`, data: { count } },
      );
    }

    if (!embedder) {
      checks.push({
        id: 'embeddings',
        title: 'Embedding model',
        status: 'warn',
        detail: `embeddings.provider is "${project.embeddingProvider}": search is keyword-only (BM25), without semantic matching.`,
        fix: 'Set embeddings.provider to glove (offline, no download) in .agent-os/config.yaml or AGENT_OS_EMBEDDINGS, then run `agent-os index`.',
      });
    } else {
      try {
        await embedder.load();
        checks.push({ id: 'embeddings', title: 'Embedding model', status: 'ok', detail: `${embedder.id} loads (${embedder.dimensions} dimensions); search is hybrid (keyword + vectors).` });
      } catch (e) {
        checks.push({
          id: 'embeddings',
          title: 'Embedding model',
          status: 'warn',
          detail: `${embedder.id} does not load: ${describe(e)}\nSearch still works, keyword-only: indexing and queries fall back to BM25 until the model loads.`,
          fix: 'Fix the model settings (embeddings.* in .agent-os/config.yaml), or set AGENT_OS_EMBEDDINGS=glove for the offline default.',
        });
      }
    }

    if (standardsExist) checks.push(await indexCheck(project, count));
    else checks.push({ id: 'index', title: 'Search index', status: 'fail', detail: 'Nothing to index: the standards directory is missing.', fix: 'Run `agent-os init`, add standards, then `agent-os index`.' });
  } finally {
    await project.close();
  }

  checks.push(await hooksCheck(deps));
  checks.push(await personasCheck(deps));
  checks.push(llmCheck(deps.env));
  checks.push(await proposalsCheck(deps));

  const counts: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  return { root: deps.root, ok: counts.fail === 0, counts, checks };
}

async function indexCheck(project: DoctorProject, count: number): Promise<DoctorCheck> {
  const title = 'Search index';
  const build = 'Run `agent-os index` (or start `agent-os serve`, which indexes on start).';
  if (!(await project.indexPresent())) {
    return { id: 'index', title, status: count === 0 ? 'warn' : 'fail', detail: 'No index has been built yet.', fix: build };
  }
  let plan;
  try {
    plan = await planIndex(project.plan);
  } catch (e) {
    return { id: 'index', title, status: 'fail', detail: `The index cannot be read: ${describe(e)}`, fix: 'Run `agent-os index --full` to rebuild it.' };
  }
  const data = { mode: plan.mode, embedder: plan.embedder, added: plan.added, changed: plan.changed, removed: plan.removed, unchanged: plan.unchanged };
  if (!plan.indexExists) {
    return {
      id: 'index',
      title,
      status: count === 0 ? 'warn' : 'fail',
      detail: `No index for ${plan.embedder ?? 'keyword-only search'} yet; the index on disk was built with other embedding settings.`,
      fix: build,
      data,
    };
  }
  if (plan.fullRebuild) {
    return { id: 'index', title, status: 'fail', detail: `The index is unreadable: ${plan.warnings.join('; ')}`, fix: 'Run `agent-os index --full`.', data };
  }
  const stale = [...plan.added.map((f) => `+${f}`), ...plan.changed.map((f) => `~${f}`), ...plan.removed.map((f) => `-${f}`)];
  if (stale.length > 0) {
    return {
      id: 'index',
      title,
      status: 'warn',
      detail: `${stale.length} file(s) changed since the last index (+ added, ~ changed, - removed): ${listed(stale)}.`,
      fix: 'Run `agent-os index`. To keep it fresh automatically: `agent-os hooks install` (after merges and checkouts) and `agent-os serve` (watches the files).',
      data,
    };
  }
  return { id: 'index', title, status: 'ok', detail: `${plan.unchanged} file(s) indexed and up to date (${plan.mode}${plan.embedder ? `, ${plan.embedder}` : ''}).`, data };
}

async function hooksCheck(deps: DoctorDeps): Promise<DoctorCheck> {
  const title = 'Git hooks';
  let status;
  try {
    status = await hooksStatus(deps.hooks, { root: deps.root });
  } catch (e) {
    return { id: 'hooks', title, status: 'warn', detail: `The hooks could not be inspected: ${describe(e)}`, fix: 'Run `agent-os hooks status` for details.' };
  }
  if (!status.gitRepo) {
    return { id: 'hooks', title, status: 'warn', detail: 'Not a git repository, so no hooks re-index after merges or checkouts.', fix: 'After `git init`, run `agent-os hooks install`; meanwhile `agent-os serve` watches the files.' };
  }
  const data = { hooksPath: status.hooksPath, hooksDir: status.hooksDir, cli: status.cli, hooks: status.hooks.map((h) => ({ name: h.name, state: h.state })) };
  if (status.installed && status.cliFound) {
    return { id: 'hooks', title, status: 'ok', detail: `post-merge, post-checkout and post-rewrite re-index in the background (core.hooksPath = ${status.hooksPath}; log: ${status.log}).`, data };
  }
  return { id: 'hooks', title, status: 'warn', detail: status.problems.join(' '), fix: 'Run `agent-os hooks install` (`--force` if another tool owns core.hooksPath; its hooks keep running).', data };
}

async function personasCheck(deps: DoctorDeps): Promise<DoctorCheck> {
  const title = 'Personas';
  try {
    const { personas, errors } = await deps.personas();
    const ids = personas.map((p) => p.identifier).join(', ');
    if (errors.length === 0) return { id: 'personas', title, status: 'ok', detail: `${personas.length} persona(s): ${ids}.` };
    return {
      id: 'personas',
      title,
      status: 'warn',
      detail: `${personas.length} persona(s) loaded (${ids}); skipped: ${errors.map((e) => e.message).join(' ')}`,
      fix: 'Fix the persona files named above (front matter fields name, identifier, standard_directory, mcp_tool_name, priority; a prompt of at most 1,500 tokens).',
    };
  } catch (e) {
    return { id: 'personas', title, status: 'fail', detail: describe(e), fix: 'Reinstall agent-os: its personas/ folder is missing or unreadable.' };
  }
}

async function proposalsCheck(deps: DoctorDeps): Promise<DoctorCheck> {
  const title = 'Standard proposals';
  let setup: ProposalSetup;
  try {
    setup = await deps.proposals();
  } catch (e) {
    return { id: 'proposals', title, status: 'warn', detail: describe(e) };
  }
  if (setup.base instanceof Error) {
    return { id: 'proposals', title, status: 'warn', detail: `Personas cannot propose standards here: ${describe(setup.base)}` };
  }
  const data = { base: setup.base, remote: setup.remote.name, remoteUrl: setup.remote.url, github: setup.github };
  if (setup.github) {
    return { id: 'proposals', title, status: 'ok', detail: `Proposals branch from ${setup.base} and open draft pull requests on ${setup.github}.`, data };
  }
  return {
    id: 'proposals',
    title,
    status: 'ok',
    detail: `Proposals branch from ${setup.base} and stay local (${setup.missing ?? 'no GitHub'}); merge them with \`agent-os proposals approve\`.`,
    fix: 'For draft pull requests, set GITHUB_TOKEN and use a GitHub remote (or proposals.github.repository).',
    data,
  };
}

function llmCheck(env: DoctorDeps['env']): DoctorCheck {
  const title = 'LLM for persona jobs';
  const key = env['OPENAI_API_KEY']?.trim();
  const baseUrl = env['OPENAI_BASE_URL']?.trim();
  const model = env['AGENT_OS_MODEL']?.trim();
  if (baseUrl) {
    try {
      new URL(baseUrl);
    } catch {
      return { id: 'llm', title, status: 'fail', detail: `OPENAI_BASE_URL is not a URL: "${baseUrl}".`, fix: 'Set it to the endpoint root, e.g. http://localhost:11434/v1 for Ollama.' };
    }
  }
  if (!model) {
    return {
      id: 'llm',
      title,
      status: 'warn',
      detail:
        key || baseUrl
          ? 'An endpoint is configured but no model is named, so persona jobs run in briefing mode (the persona checklist and the relevant standards, for your assistant to apply).'
          : 'No LLM configured: persona jobs run in briefing mode (they return the persona checklist and the relevant standards for your assistant to apply).',
      fix: 'To have personas write reviews themselves, set AGENT_OS_MODEL (or llm.model in .agent-os/config.yaml) to a model name, plus OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any OpenAI-compatible endpoint (Azure, Ollama, vLLM, LM Studio).',
    };
  }
  const where = baseUrl ?? 'api.openai.com';
  return {
    id: 'llm',
    title,
    status: 'ok',
    detail: `Persona jobs call ${where} with model ${model}${key ? '' : ', without an API key'}.`,
    data: { baseUrl: baseUrl ?? null, model: model ?? null, apiKey: Boolean(key) },
  };
}
