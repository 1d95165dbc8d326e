import path from 'node:path';
import { AgentOsError } from '../domain/errors.js';
import {
  AGENT_OS_HOOKS,
  CLI_FILE,
  HUSKY_HOOKS,
  HUSKY_SH,
  HUSKY_STUB,
  chainBlock,
  chainOnlyScript,
  findBlock,
  isManaged,
  parseCliFile,
  removeBlock,
  renderCliFile,
  upsertBlock,
  withChain,
  withExportCheck,
  EXPORT_CHECK_HOOK,
  type AgentOsHook,
  type PreviousHooks,
} from '../domain/hook-scripts.js';
import type { Files } from '../ports/files.js';
import type { CliInvocation, GitConfig, GitRepoPaths, HookAssets } from '../ports/hooks.js';

/** Ports the hook installer uses: git config, files, and the package's hook templates. */
export interface HooksDeps {
  git: GitConfig;
  files: Files;
  assets: HookAssets;
}

/** Which project to install for, and whether to take over a foreign core.hooksPath. */
export interface HooksInput {
  /** The agent-os project root (holds `.agent-os/`); may be below the work tree top level. */
  root: string;
  /** Take over a core.hooksPath set by another tool (its hooks are chained, not dropped). */
  force?: boolean;
}

/** Where agent-os remembers the core.hooksPath it replaced, so uninstall can put it back. */
const PREVIOUS_KEY = 'agent-os.previousHooksPath';
const WAS_UNSET = '(unset)';

/** What `installHooks` did. */
export interface HooksInstallReport {
  topLevel: string;
  /** The husky directory holding the hook scripts (e.g. `<repo>/.husky`). */
  hooksDir: string;
  /** core.hooksPath after install (relative to the top level). */
  hooksPath: string;
  /** core.hooksPath before, or null when it was unset. */
  previousHooksPath: string | null;
  changedHooksPath: boolean;
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Hooks that were active before and are now called first from the new ones. */
  chained: string[];
  /** How the hooks start the CLI on this machine; null: they skip quietly until agent-os is on PATH. */
  cli: string | null;
  warnings: string[];
}

/** One agent-os hook as found on disk. */
export interface HookState {
  name: AgentOsHook;
  file: string;
  /** `installed`: current; `outdated`: from an older agent-os (re-run install); `missing`. */
  state: 'installed' | 'outdated' | 'missing';
  /** `own`: a file agent-os wrote; `appended`: agent-os's block inside a file of yours. */
  form: 'own' | 'appended' | null;
  /** Whether it calls a hook that was active before agent-os. */
  chained: boolean;
}

/** What `hooksStatus` found: where git looks for hooks and whether agent-os's are there and current. */
export interface HooksStatus {
  gitRepo: boolean;
  topLevel: string | null;
  hooksPath: string | null;
  hooksPathScope: string | null;
  hooksDir: string | null;
  /** core.hooksPath points at the husky runner directory holding agent-os's hooks. */
  active: boolean;
  /** Every agent-os hook is present and current, and active. */
  installed: boolean;
  hooks: HookState[];
  /** Other hook files that only chain a pre-existing hook. */
  chainedOthers: string[];
  cli: string | null;
  cliFound: boolean;
  log: string;
  problems: string[];
}

/** What `uninstallHooks` did; `restoredHooksPath` is undefined when core.hooksPath was left alone. */
export interface HooksUninstallReport {
  removed: string[];
  updated: string[];
  restoredHooksPath: string | null | undefined;
  warnings: string[];
}

const posix = (p: string): string => p.split(path.sep).join('/');

async function requireRepo(deps: HooksDeps, root: string): Promise<GitRepoPaths> {
  const repo = await deps.git.repo(root);
  if (!repo) {
    throw new AgentOsError('NOT_FOUND', `${root} is not inside a git work tree, so there are no git hooks to install.`, {
      hint: 'Run `git init` first (the watcher inside `agent-os serve` keeps the index fresh without hooks).',
    });
  }
  return repo;
}

/** The husky directory to use: the one core.hooksPath already runs (husky layout), else `<top>/.husky`. */
async function locate(deps: HooksDeps, repo: GitRepoPaths): Promise<{ hooksDir: string; current: { value: string; scope: string } | null; ours: boolean }> {
  const current = await deps.git.get(repo.topLevel, 'core.hooksPath');
  if (current) {
    const abs = path.resolve(repo.topLevel, current.value);
    if (path.basename(abs) === '_' && (await deps.files.stat(path.join(abs, 'h')))?.kind === 'file') {
      return { hooksDir: path.dirname(abs), current, ours: true };
    }
  }
  return { hooksDir: path.join(repo.topLevel, '.husky'), current, ours: false };
}

/** Executable hooks in a directory git ran before (samples and odd names skipped). */
async function activeHooks(files: Files, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await files.list(dir)) {
    if (!/^[a-z0-9-]+$/.test(name)) continue;
    const st = await files.stat(path.join(dir, name));
    if (st?.kind === 'file' && st.executable) out.push(name);
  }
  return out;
}

function describeCli(cli: CliInvocation | null): string | null {
  if (!cli) return null;
  return cli.kind === 'node' ? `${cli.node} ${cli.bin}` : cli.command;
}

/**
 * Install the post-merge / post-checkout / post-rewrite hooks, husky 9 style: core.hooksPath
 * points at `.husky/_` (husky's runner and stubs, git-ignored) and the hooks are `.husky/<name>`
 * scripts. Hooks that were active before (in `.git/hooks`, or a core.hooksPath of another tool
 * with `force`) keep running: the new hooks call them first. Idempotent.
 */
export async function installHooks(deps: HooksDeps, input: HooksInput): Promise<HooksInstallReport> {
  const { files, git, assets } = deps;
  const repo = await requireRepo(deps, input.root);
  const top = repo.topLevel;
  const { hooksDir, current, ours } = await locate(deps, repo);
  const runnerDir = path.join(hooksDir, '_');
  const hooksPath = posix(path.relative(top, runnerDir)) || '.';
  const warnings: string[] = [];
  const report: HooksInstallReport = {
    topLevel: top,
    hooksDir,
    hooksPath,
    previousHooksPath: current?.value ?? null,
    changedHooksPath: !ours,
    created: [],
    updated: [],
    unchanged: [],
    chained: [],
    cli: null,
    warnings,
  };

  let previous: PreviousHooks | null = null;
  let previousNames: string[] = [];
  if (!ours) {
    if (current) {
      if (!input.force) {
        throw new AgentOsError('CONFIG', `core.hooksPath is already set to "${current.value}" (${current.scope} config), so git runs the hooks there.`, {
          hint:
            'agent-os will not take it over silently. Re-run with --force to point core.hooksPath at .husky/_ and call the hooks of ' +
            `"${current.value}" first from the new ones, or add the agent-os hooks (hooks/post-merge, post-checkout, post-rewrite of the agent-os package) to "${current.value}" yourself.`,
        });
      }
      previous = { kind: 'dir', dir: current.value };
      previousNames = await activeHooks(files, path.resolve(top, current.value));
    } else {
      previous = { kind: 'git-dir' };
      previousNames = await activeHooks(files, path.join(repo.commonDir, 'hooks'));
    }
  }

  const write = async (file: string, text: string, executable: boolean): Promise<void> => {
    const before = await files.readText(file);
    const rel = posix(path.relative(top, file));
    if (before === text) {
      report.unchanged.push(rel);
      if (executable && !(await files.stat(file))?.executable) await files.writeText(file, text, { executable });
      return;
    }
    await files.writeText(file, text, { executable });
    (before === null ? report.created : report.updated).push(rel);
  };
  const writeIfMissing = async (file: string, text: string, executable: boolean): Promise<void> => {
    if ((await files.stat(file)) === null) await write(file, text, executable);
  };

  // husky 9's layout (what `husky` itself writes); files husky already wrote are left as they are.
  await writeIfMissing(path.join(runnerDir, '.gitignore'), '*', false);
  await writeIfMissing(path.join(runnerDir, 'h'), await assets.huskyRunner(), true);
  await writeIfMissing(path.join(runnerDir, 'husky.sh'), HUSKY_SH, false);
  for (const name of new Set<string>([...HUSKY_HOOKS, ...previousNames])) {
    await writeIfMissing(path.join(runnerDir, name), HUSKY_STUB, true);
  }

  const cli = await assets.cli();
  report.cli = describeCli(cli);
  if (!cli) warnings.push('The agent-os CLI was not found (build it, or put agent-os on PATH); until then the hooks skip quietly.');
  const relRoot = posix(path.relative(top, path.resolve(input.root))) || '.';
  const cliFile = renderCliFile({
    ...(cli?.kind === 'node' ? { node: cli.node, bin: cli.bin } : {}),
    ...(cli?.kind === 'path' ? { command: cli.command } : {}),
    root: relRoot.startsWith('..') ? path.resolve(input.root) : relRoot,
  });
  await write(path.join(runnerDir, CLI_FILE), cliFile, false);

  for (const name of AGENT_OS_HOOKS) {
    const file = path.join(hooksDir, name);
    const template = await assets.template(name);
    const block = findBlock(template, name);
    if (!block) throw new AgentOsError('INTERNAL', `The agent-os ${name} template has no agent-os block.`);
    const existing = await files.readText(file);
    const chain = previous && previousNames.includes(name) ? chainBlock(name, previous) : findBlock(existing ?? '', 'chain');
    if (previous && previousNames.includes(name)) report.chained.push(name);
    if (existing === null || isManaged(existing)) {
      await write(file, withChain(template, name, chain), true);
    } else {
      // A hook of yours: keep it, run it first, then agent-os's block.
      let text = existing;
      if (chain && !findBlock(text, 'chain')) text = upsertBlock(text, 'chain', chainBlock(name, previous ?? { kind: 'git-dir' }, 'exit'));
      text = upsertBlock(text, name, block);
      await write(file, text, true);
    }
  }

  for (const name of previousNames) {
    if ((AGENT_OS_HOOKS as readonly string[]).includes(name) || !previous) continue;
    const file = path.join(hooksDir, name);
    const existing = await files.readText(file);
    report.chained.push(name);
    if (existing === null) await write(file, chainOnlyScript(name, previous), true);
    else if (!findBlock(existing, 'chain')) {
      await write(file, upsertBlock(existing, 'chain', chainBlock(name, previous, 'exit')), true);
      warnings.push(`${posix(path.relative(top, file))} was not active before (core.hooksPath was not set); it runs from now on, after the previous ${name} hook.`);
    }
  }

  if (!ours) {
    // Remember what was there only once: a second install must not record our own value.
    if ((await git.get(top, PREVIOUS_KEY)) === null) {
      const local = current?.scope === 'local' ? current.value : WAS_UNSET;
      await git.set(top, PREVIOUS_KEY, local);
    }
    await git.set(top, 'core.hooksPath', hooksPath);
  }
  return report;
}

/** What is installed: hooks path, each agent-os hook's state, and whether the CLI can be found. */
export async function hooksStatus(deps: HooksDeps, input: Pick<HooksInput, 'root'>): Promise<HooksStatus> {
  const { files, git, assets } = deps;
  const log = path.join(path.resolve(input.root), '.agent-os', '.cache', 'hooks.log');
  const repo = await git.repo(input.root);
  if (!repo) {
    return {
      gitRepo: false,
      topLevel: null,
      hooksPath: null,
      hooksPathScope: null,
      hooksDir: null,
      active: false,
      installed: false,
      hooks: AGENT_OS_HOOKS.map((name) => ({ name, file: '', state: 'missing', form: null, chained: false })),
      chainedOthers: [],
      cli: null,
      cliFound: false,
      log,
      problems: [`${input.root} is not inside a git work tree.`],
    };
  }
  const { hooksDir, current, ours } = await locate(deps, repo);
  const problems: string[] = [];
  const hooks: HookState[] = [];
  for (const name of AGENT_OS_HOOKS) {
    const file = path.join(hooksDir, name);
    const text = await files.readText(file);
    const block = text === null ? null : findBlock(text, name);
    const expected = findBlock(await assets.template(name), name);
    const st = text === null ? null : await files.stat(file);
    const state: HookState['state'] = block === null ? 'missing' : block === expected && st?.executable ? 'installed' : 'outdated';
    hooks.push({ name, file, state, form: block === null ? null : isManaged(text ?? '') ? 'own' : 'appended', chained: findBlock(text ?? '', 'chain') !== null });
    if (state === 'missing') problems.push(`${name} hook is not installed.`);
    if (state === 'outdated') problems.push(`${name} hook is from another agent-os version or not executable.`);
  }
  const chainedOthers: string[] = [];
  for (const name of await files.list(hooksDir)) {
    if ((AGENT_OS_HOOKS as readonly string[]).includes(name) || name === '_') continue;
    const text = await files.readText(path.join(hooksDir, name)).catch(() => null);
    if (text && findBlock(text, 'chain')) chainedOthers.push(name);
  }
  if (!current) problems.push('core.hooksPath is not set, so git does not run the hooks in .husky/.');
  else if (!ours) problems.push(`core.hooksPath is "${current.value}", so git does not run the hooks in .husky/.`);

  const cliText = await files.readText(path.join(hooksDir, '_', CLI_FILE));
  const cliFile = cliText ? parseCliFile(cliText) : null;
  let cli: string | null = null;
  let cliFound = false;
  if (cliFile?.node && cliFile.bin) {
    cli = `${cliFile.node} ${cliFile.bin}`;
    cliFound = (await files.stat(cliFile.node))?.kind === 'file' && (await files.stat(cliFile.bin))?.kind === 'file';
  } else if (cliFile?.command) {
    cli = cliFile.command;
    cliFound = (await files.stat(cliFile.command)) !== null;
  }
  if (ours && !cliFound && hooks.some((h) => h.state !== 'missing')) problems.push('The hooks cannot find the agent-os CLI on this machine; re-run `agent-os hooks install`.');
  const active = ours;
  return {
    gitRepo: true,
    topLevel: repo.topLevel,
    hooksPath: current?.value ?? null,
    hooksPathScope: current?.scope ?? null,
    hooksDir,
    active,
    installed: active && hooks.every((h) => h.state === 'installed'),
    hooks,
    chainedOthers,
    cli,
    cliFound,
    log,
    problems,
  };
}

/**
 * Remove agent-os's hooks: files it wrote are deleted, its blocks leave your files, chained hooks
 * go back where they were, and core.hooksPath is restored when agent-os set it.
 */
export async function uninstallHooks(deps: HooksDeps, input: Pick<HooksInput, 'root'>): Promise<HooksUninstallReport> {
  const { files, git } = deps;
  const repo = await requireRepo(deps, input.root);
  const top = repo.topLevel;
  const { hooksDir } = await locate(deps, repo);
  const runnerDir = path.join(hooksDir, '_');
  const report: HooksUninstallReport = { removed: [], updated: [], restoredHooksPath: undefined, warnings: [] };
  const rel = (p: string): string => posix(path.relative(top, p));

  let userHooksLeft = 0;
  for (const name of await files.list(hooksDir)) {
    if (name === '_') continue;
    const file = path.join(hooksDir, name);
    const text = await files.readText(file).catch(() => null);
    if (text === null) continue;
    if (isManaged(text)) {
      await files.remove(file);
      report.removed.push(rel(file));
      continue;
    }
    let next = text;
    for (const kind of [...AGENT_OS_HOOKS, 'chain', 'export-check'] as const) next = removeBlock(next, kind);
    if (next !== text) {
      await files.writeText(file, next, { executable: true });
      report.updated.push(rel(file));
    }
    userHooksLeft++;
  }
  const cliFile = path.join(runnerDir, CLI_FILE);
  if (await files.stat(cliFile)) {
    await files.remove(cliFile);
    report.removed.push(rel(cliFile));
  }

  const previous = await git.get(top, PREVIOUS_KEY);
  if (previous) {
    if (previous.value === WAS_UNSET) await git.unset(top, 'core.hooksPath');
    else await git.set(top, 'core.hooksPath', previous.value);
    await git.unset(top, PREVIOUS_KEY);
    report.restoredHooksPath = previous.value === WAS_UNSET ? null : previous.value;
    if (userHooksLeft === 0) {
      // agent-os created the husky layout and nothing else uses it: leave no trace.
      for (const name of await files.list(runnerDir)) await files.remove(path.join(runnerDir, name));
      await files.remove(runnerDir);
      await files.remove(hooksDir);
      report.removed.push(rel(runnerDir));
    } else {
      report.warnings.push(`${rel(hooksDir)} still holds hooks of yours; they are inactive again now that core.hooksPath is restored.`);
    }
  }
  return report;
}

/**
 * Adds `agent-os export --check` to the husky pre-commit hook (created when missing; a hook of yours
 * keeps its commands and gets the block appended). The agent-os hooks must be installed, since git
 * runs `.husky/` only through them.
 */
export async function installExportCheck(deps: HooksDeps, input: Pick<HooksInput, 'root'>): Promise<{ file: string; action: 'created' | 'updated' | 'unchanged' }> {
  const repo = await requireRepo(deps, input.root);
  const { hooksDir, ours } = await locate(deps, repo);
  if (!ours) {
    throw new AgentOsError('CONFIG', 'The agent-os git hooks are not installed (core.hooksPath does not point at .husky/_), so a pre-commit check would never run.', {
      hint: 'Install them with `agent-os hooks install` (or `agent-os init` without --no-hooks), then add the check again.',
    });
  }
  const file = path.join(hooksDir, EXPORT_CHECK_HOOK);
  const existing = await deps.files.readText(file);
  const text = withExportCheck(existing);
  const rel = posix(path.relative(repo.topLevel, file));
  if (text === existing && (await deps.files.stat(file))?.executable) return { file: rel, action: 'unchanged' };
  await deps.files.writeText(file, text, { executable: true });
  return { file: rel, action: existing === null ? 'created' : 'updated' };
}
