/** The git hooks agent-os installs: they keep the index fresh after merges, switches and rebases. */
export const AGENT_OS_HOOKS = ['post-merge', 'post-checkout', 'post-rewrite'] as const;
export type AgentOsHook = (typeof AGENT_OS_HOOKS)[number];

/** Hooks husky 9 writes a runner stub for in `.husky/_/`. */
export const HUSKY_HOOKS = [
  'pre-commit',
  'pre-merge-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'applypatch-msg',
  'pre-applypatch',
  'post-applypatch',
  'pre-rebase',
  'post-rewrite',
  'post-checkout',
  'post-merge',
  'pre-push',
  'pre-auto-gc',
] as const;

/** husky 9's per-hook stub: it sources the runner `h`, which runs `.husky/<hook>`. */
export const HUSKY_STUB = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"';

/** husky 9's deprecation notice for scripts that still source `husky.sh`. */
export const HUSKY_SH = `echo "husky - DEPRECATED\n\nPlease remove the following two lines from $0:\n\n#!/usr/bin/env sh\n. \\"\\$(dirname -- \\"\\$0\\")/_/husky.sh\\"\n\nThey WILL FAIL in v10.0.0\n"`;

/** Second line of every hook file agent-os wrote whole (and may therefore delete). */
export const MANAGED_MARKER = '# agent-os: managed hook';

/** Machine-local file (in the git-ignored `.husky/_/`) telling hooks how to start the CLI. */
export const CLI_FILE = 'agent-os.cli';

/** Blocks agent-os puts into hook files: its re-index call, the call of a pre-existing hook, the export check. */
export type BlockKind = AgentOsHook | 'chain' | 'export-check';

function markers(kind: BlockKind): { start: string; end: string } {
  return { start: `# >>> agent-os ${kind} >>>`, end: `# <<< agent-os ${kind} <<<` };
}

/** The marked block of `kind` in `text` (markers included), or null. */
export function findBlock(text: string, kind: BlockKind): string | null {
  const { start, end } = markers(kind);
  const i = text.indexOf(start);
  if (i < 0) return null;
  const j = text.indexOf(end, i);
  if (j < 0) return null;
  return text.slice(i, j + end.length);
}

/** `text` without the block of `kind` (and the blank line before it). */
export function removeBlock(text: string, kind: BlockKind): string {
  const block = findBlock(text, kind);
  if (!block) return text;
  const i = text.indexOf(block);
  let before = text.slice(0, i);
  let after = text.slice(i + block.length);
  if (after.startsWith('\n')) after = after.slice(1);
  if (before.endsWith('\n\n')) before = before.slice(0, -1);
  return before + after;
}

/** `text` with `block` appended (after a blank line), or replacing the block of the same kind. */
export function upsertBlock(text: string, kind: BlockKind, block: string): string {
  const existing = findBlock(text, kind);
  if (existing) return text.replace(existing, () => block);
  const base = text.endsWith('\n') || text === '' ? text : `${text}\n`;
  return `${base}${base.trim() === '' ? '' : '\n'}${block}\n`;
}

export function isManaged(text: string): boolean {
  return text.split('\n', 3).some((line) => line.startsWith(MANAGED_MARKER));
}

/** Quote a string for POSIX sh. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Where the hook that was active before agent-os took over core.hooksPath lives: the repository's
 * own `hooks/` folder (found at run time, so the committed file works in every clone) or the
 * directory core.hooksPath named before (relative paths are relative to the work tree top level).
 */
export type PreviousHooks = { kind: 'git-dir' } | { kind: 'dir'; dir: string };

/**
 * A block running the previous hook, with git's arguments and stdin, so a failing pre-commit still
 * stops the commit. `remember` (agent-os's own files): the status is kept in `agent_os_prev_status`
 * and the file exits with it at the end, after agent-os's block ran; `exit`: the hook exits at once.
 */
export function chainBlock(hook: string, previous: PreviousHooks, onFailure: 'remember' | 'exit' = 'remember'): string {
  const { start, end } = markers('chain');
  const locate =
    previous.kind === 'git-dir'
      ? `agent_os_prev="$(git rev-parse --git-common-dir)/hooks/${hook}"`
      : `agent_os_prev=${shellQuote(`${previous.dir.replace(/\/+$/, '')}/${hook}`)}`;
  return [
    start,
    `# The ${hook} hook that ran before agent-os set core.hooksPath; it runs first, as before.`,
    locate,
    `if [ -x "$agent_os_prev" ]; then "$agent_os_prev" "$@" || ${onFailure === 'exit' ? 'exit $?' : 'agent_os_prev_status=$?'}; fi`,
    end,
  ].join('\n');
}

/** A whole hook file that only runs the previous hook (for hooks agent-os does not use itself). */
export function chainOnlyScript(hook: string, previous: PreviousHooks): string {
  return [
    '#!/usr/bin/env sh',
    `${MANAGED_MARKER} (${hook}): written by \`agent-os hooks install\` to keep a hook that was active before.`,
    chainBlock(hook, previous),
    'exit "${agent_os_prev_status:-0}"',
    '',
  ].join('\n');
}

/**
 * A hook file from the package template, with a chain block placed before agent-os's own block
 * so the previous hook runs first.
 */
export function withChain(template: string, hook: AgentOsHook, chain: string | null): string {
  if (!chain) return template;
  const own = findBlock(template, hook);
  if (!own) return upsertBlock(template, 'chain', chain);
  return template.replace(own, () => `${chain}\n\n${own}`);
}

/** How the CLI is started, as written to `.husky/_/agent-os.cli` (key=value lines, read by the hooks). */
export interface CliFile {
  node?: string;
  bin?: string;
  command?: string;
  /** Project root relative to the work tree top level ('.' when they are the same) or absolute. */
  root: string;
}

export function renderCliFile(cli: CliFile): string {
  const lines = ['# agent-os: how the git hooks on this machine start the CLI. Written by `agent-os hooks install`; not committed.'];
  if (cli.node && cli.bin) lines.push(`node=${cli.node}`, `bin=${cli.bin}`);
  if (cli.command) lines.push(`command=${cli.command}`);
  lines.push(`root=${cli.root}`);
  return `${lines.join('\n')}\n`;
}

export function parseCliFile(text: string): CliFile {
  const out: CliFile = { root: '.' };
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (line.startsWith('#') || eq < 1) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'node' || key === 'bin' || key === 'command' || key === 'root') out[key] = value;
  }
  return out;
}

/** The hook `agent-os init --export-hook` adds the export check to. */
export const EXPORT_CHECK_HOOK = 'pre-commit';

/**
 * The pre-commit block refusing a commit while the files `agent-os export` generates are out of date.
 * It starts the CLI the way the re-index hooks do; without a CLI it lets the commit through.
 */
export function exportCheckBlock(): string {
  const { start, end } = markers('export-check');
  return [
    start,
    '# Refuses the commit while the files `agent-os export` generates are out of date. AGENT_OS_HOOKS=0 skips it.',
    'agent_os_export_check() {',
    '  [ "${AGENT_OS_HOOKS-}" = 0 ] && return 0',
    '  agent_os_top=$(git rev-parse --show-toplevel 2>/dev/null) || return 0',
    '  agent_os_cli="$(dirname "$0")/_/agent-os.cli"',
    "  agent_os_node='' agent_os_bin='' agent_os_cmd='' agent_os_root=.",
    '  if [ -f "$agent_os_cli" ]; then',
    '    while IFS= read -r agent_os_line; do',
    '      case $agent_os_line in',
    '        node=*) agent_os_node=${agent_os_line#node=} ;;',
    '        bin=*) agent_os_bin=${agent_os_line#bin=} ;;',
    '        command=*) agent_os_cmd=${agent_os_line#command=} ;;',
    '        root=*) agent_os_root=${agent_os_line#root=} ;;',
    '      esac',
    '    done <"$agent_os_cli"',
    '  fi',
    '  case $agent_os_root in /*) ;; *) agent_os_root=$agent_os_top/$agent_os_root ;; esac',
    '  [ -d "$agent_os_root/.agent-os" ] || return 0',
    '  if [ -n "$agent_os_node" ] && [ -x "$agent_os_node" ] && [ -f "$agent_os_bin" ]; then',
    '    set -- "$agent_os_node" "$agent_os_bin"',
    '  elif [ -n "$agent_os_cmd" ] && command -v "$agent_os_cmd" >/dev/null 2>&1; then',
    '    set -- "$agent_os_cmd"',
    '  elif command -v agent-os >/dev/null 2>&1; then',
    '    set -- agent-os',
    '  else',
    '    return 0',
    '  fi',
    '  "$@" --root "$agent_os_root" --quiet export --check && return 0',
    "  echo 'agent-os: the files `agent-os export` generates are out of date: run `agent-os export` and stage them (AGENT_OS_HOOKS=0 skips this check).' >&2",
    '  return 1',
    '}',
    'agent_os_export_check || exit 1',
    end,
  ].join('\n');
}

/** `text` (a pre-commit hook, or null when there is none) with the export check in it. */
export function withExportCheck(text: string | null): string {
  const block = exportCheckBlock();
  if (text === null) {
    return ['#!/usr/bin/env sh', `${MANAGED_MARKER} (${EXPORT_CHECK_HOOK}): written by \`agent-os init --export-hook\`.`, block, ''].join('\n');
  }
  if (findBlock(text, 'export-check')) return upsertBlock(text, 'export-check', block);
  // agent-os's own chain-only hook ends by exiting with the chained hook's status: the check goes before that.
  const finalExit = '\nexit "${agent_os_prev_status:-0}"';
  const at = text.lastIndexOf(finalExit);
  if (isManaged(text) && at >= 0) return `${text.slice(0, at)}\n\n${block}${text.slice(at)}`;
  return upsertBlock(text, 'export-check', block);
}
