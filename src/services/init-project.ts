import path from 'node:path';
import { renderConfigTemplate } from '../domain/config-template.js';
import { EDITOR_FILES, mergeEditorConfig, serverEntry, type EditorId, type ServerCommand } from '../domain/editor-config.js';
import { isAgentOsError, messageOf } from '../domain/errors.js';
import type { Files } from '../ports/files.js';
import type { CliInvocation } from '../ports/hooks.js';
import { installExportCheck, installHooks, type HooksDeps, type HooksInstallReport } from './hooks.js';
import { detectRuleFiles } from './import-rules.js';

/** The standards domains of the spec; personas file their proposals under these. */
export const STANDARD_DOMAINS = ['architecture', 'data', 'development', 'testing', 'security', 'operations'] as const;

/** Ports `initProject` uses. */
export interface InitDeps {
  files: Files;
  hooks: HooksDeps;
}

/** Where to scaffold and how. */
export interface InitInput {
  root: string;
  /** Overwrite files that exist (config, Cursor rule); also lets the hooks take over core.hooksPath. */
  force?: boolean;
  /** Install the git hooks (default true). */
  hooks?: boolean;
  /** The configuration defaults, rendered commented-out into config.yaml. */
  configDefaults: Record<string, unknown>;
  /** Report what would change without writing anything (hooks are not installed). */
  dryRun?: boolean;
  /** Add `agent-os export --check` to the husky pre-commit hook. */
  exportHook?: boolean;
}

/** What happened to one file: `skipped` means it exists, differs, and was kept. With dry-run, what would happen. */
export type FileAction = 'created' | 'overwritten' | 'updated' | 'unchanged' | 'skipped';

/** One file `init` considered. */
export interface InitFile {
  /** Path relative to the project root. */
  file: string;
  action: FileAction;
  reason?: string;
}

/** The MCP server entry for Cursor's mcp.json, with why it has that form. */
export interface McpEntry {
  /** Where the entry goes. */
  file: string;
  json: { mcpServers: Record<string, { command: string; args: string[] }> };
  note: string;
}

/** What `initProject` did (printed by `agent-os init --json`). */
export interface InitReport {
  root: string;
  /** True when nothing was written (`--dry-run`): the actions say what would happen. */
  dryRun: boolean;
  files: InitFile[];
  hooks: { status: 'installed' | 'skipped' | 'failed'; detail: string; report?: HooksInstallReport };
  /** The pre-commit export check (`--export-hook`); absent when not asked for. */
  exportHook?: { status: 'installed' | 'skipped' | 'failed'; detail: string };
  /** Rule files of other assistants found in the project, and how to import them (detection only). */
  rules: { found: string[]; note: string | null };
  mcp: McpEntry;
}

export const CURSOR_RULE = `---
description: Search the project's engineering standards (agent-os) before designing or writing code, and cite them
globs:
alwaysApply: true
---
# Follow this project's engineering standards

The project keeps its engineering standards in \`.agent-os/standards/<domain>/<topic>.md\`, searchable
through the \`agent-os\` MCP server.

- Before you design, write or review code, call the \`search_standards\` tool with a short description
  of the task (e.g. "API error responses", "Kafka topic naming"). Pass \`file_path\` when you work on a
  specific file, and \`domain\` (architecture, data, development, testing, security, operations) to
  narrow the search.
- Follow the standards you find, and cite each one you applied by its file, e.g.
  "per \`security/auth-patterns.md\` (Passwords)".
- If no standard covers the task, say so and follow the conventions of the surrounding code.
- If your change departs from a standard, name the standard and say why; do not diverge silently.
`;

const CACHE_IGNORE = '.agent-os/.cache/';

/** Whether a .gitignore already ignores the cache directory. */
export function ignoresCache(gitignore: string): boolean {
  return gitignore
    .split(/\r?\n/)
    .map((l) => l.trim())
    .some((l) => ['.agent-os/.cache', '.agent-os/.cache/', '/.agent-os/.cache', '/.agent-os/.cache/', '.agent-os/.cache/*', '.cache', '.cache/', '**/.cache/'].includes(l));
}

/**
 * How an editor starts the server. Cursor and VS Code expand `${workspaceFolder}`; Claude Code starts
 * project-scope servers in the project directory, so a relative path and the default root do.
 */
export function serverCommand(root: string, cli: CliInvocation | null, editor: EditorId): ServerCommand {
  const workspace = editor === 'claude' ? null : '${workspaceFolder}';
  const rootArgs = workspace ? ['--root', workspace] : [];
  if (cli?.kind === 'node') {
    const rel = path.relative(root, cli.bin);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
      const posix = rel.split(path.sep).join('/');
      return { command: 'node', args: [workspace ? `${workspace}/${posix}` : posix, ...rootArgs, 'serve'] };
    }
  }
  return { command: 'npx', args: ['--no-install', 'agent-os', ...rootArgs, 'serve'] };
}

/**
 * The Cursor MCP entry. With agent-os installed in the project (a dev dependency), node runs its
 * bin through `${workspaceFolder}`, which Cursor expands: no dependency on the working directory
 * Cursor starts servers in, no npx start-up, and the entry can be committed. Otherwise npx, with
 * --no-install so it never fetches an unrelated package of that name.
 */
export function mcpEntry(root: string, cli: CliInvocation | null): McpEntry {
  const cmd = serverCommand(root, cli, 'cursor');
  return {
    file: '.cursor/mcp.json',
    json: { mcpServers: { 'agent-os': cmd } },
    note:
      cmd.command === 'node'
        ? 'Runs the agent-os installed in this project (dev dependency) with node; Cursor expands ${workspaceFolder}, so the entry works from any working directory and can be committed.'
        : 'agent-os is not installed in this project: run `npm install --save-dev agent-os` (npx then runs that copy; --no-install keeps npx from downloading anything), or replace "npx" and its first two arguments by the absolute path of an installed agent-os.',
  };
}

/**
 * Scaffold agent-os in a project: `.agent-os/` (commented config, the domain folders), the cache in
 * .gitignore, the git hooks, and a Cursor rule; returns the mcp.json entry to add. Idempotent;
 * files that exist are never overwritten without `force`.
 */
export async function initProject(deps: InitDeps, input: InitInput): Promise<InitReport> {
  const { files } = deps;
  const root = path.resolve(input.root);
  const out: InitFile[] = [];
  const rel = (p: string): string => path.relative(root, p).split(path.sep).join('/');

  const dryRun = input.dryRun === true;
  // Before init writes its own Cursor rule, which is not one of the team's.
  const found = await detectRuleFiles(files, root);
  const rules = { found, note: found.length ? `Found ${found.join(', ')}: run \`agent-os import\` to turn them into standards.` : null };
  const write = async (file: string, text: string): Promise<void> => {
    if (!dryRun) await files.writeText(file, text);
  };
  const place = async (file: string, text: string): Promise<void> => {
    const existing = await files.readText(file);
    if (existing === text) out.push({ file: rel(file), action: 'unchanged' });
    else if (existing !== null && !input.force) out.push({ file: rel(file), action: 'skipped', reason: 'exists and differs; --force overwrites it' });
    else {
      await write(file, text);
      out.push({ file: rel(file), action: existing === null ? 'created' : 'overwritten' });
    }
  };

  const agentOs = path.join(root, '.agent-os');
  await place(path.join(agentOs, 'config.yaml'), renderConfigTemplate(input.configDefaults));
  for (const domain of STANDARD_DOMAINS) {
    const dir = path.join(agentOs, 'standards', domain);
    const entries = await files.list(dir);
    if (entries.length > 0) {
      out.push({ file: `${rel(dir)}/`, action: 'unchanged' });
      continue;
    }
    // .gitkeep, not a README: every .md below standards/ would be indexed as a standard.
    await write(path.join(dir, '.gitkeep'), '');
    out.push({ file: rel(path.join(dir, '.gitkeep')), action: 'created' });
  }

  const gitignore = path.join(root, '.gitignore');
  const ignore = await files.readText(gitignore);
  if (ignore !== null && ignoresCache(ignore)) out.push({ file: '.gitignore', action: 'unchanged' });
  else {
    const base = ignore === null || ignore === '' ? '' : ignore.endsWith('\n') ? ignore : `${ignore}\n`;
    await write(gitignore, `${base}# agent-os: search index, databases and logs (rebuilt from the standards)\n${CACHE_IGNORE}\n`);
    out.push({ file: '.gitignore', action: ignore === null ? 'created' : 'updated' });
  }

  await place(path.join(root, '.cursor', 'rules', 'agent-os.mdc'), CURSOR_RULE);

  const cli = await deps.hooks.assets.cli();
  for (const target of EDITOR_FILES) {
    const file = path.join(root, target.file);
    const merged = mergeEditorConfig(await files.readText(file), target, serverEntry(target.editor, serverCommand(root, cli, target.editor)), input.force ?? false);
    if (merged.text !== undefined) await write(file, merged.text);
    out.push({ file: target.file, action: merged.action, ...(merged.reason ? { reason: merged.reason } : {}) });
  }

  let hooks: InitReport['hooks'];
  if (dryRun) hooks = { status: 'skipped', detail: 'dry run: the hooks would be installed (post-merge, post-checkout, post-rewrite)' };
  else if (input.hooks === false) hooks = { status: 'skipped', detail: 'not requested (--no-hooks)' };
  else {
    try {
      const report = await installHooks(deps.hooks, { root, force: input.force ?? false });
      hooks = { status: 'installed', detail: `core.hooksPath = ${report.hooksPath}`, report };
    } catch (e) {
      const detail = isAgentOsError(e) ? e.describe() : messageOf(e);
      hooks = { status: isAgentOsError(e) && (e.code === 'NOT_FOUND' || e.code === 'CONFIG') ? 'skipped' : 'failed', detail };
    }
  }

  let exportHook: InitReport['exportHook'];
  if (input.exportHook) {
    if (dryRun) exportHook = { status: 'skipped', detail: 'dry run: `agent-os export --check` would be added to the pre-commit hook' };
    else if (hooks.status === 'failed') exportHook = { status: 'skipped', detail: 'the git hooks could not be installed' };
    else {
      try {
        const r = await installExportCheck(deps.hooks, { root });
        exportHook = { status: 'installed', detail: `${r.file} ${r.action}: commits are refused while the exported files are stale` };
      } catch (e) {
        exportHook = { status: isAgentOsError(e) && (e.code === 'NOT_FOUND' || e.code === 'CONFIG') ? 'skipped' : 'failed', detail: isAgentOsError(e) ? e.describe() : messageOf(e) };
      }
    }
  }

  return { root, dryRun, files: out, hooks, ...(exportHook ? { exportHook } : {}), rules, mcp: mcpEntry(root, cli) };
}
