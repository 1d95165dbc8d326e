import type { Command } from 'commander';
import type { HooksInstallReport, HooksStatus, HooksUninstallReport } from '../../services/hooks.js';
import type { Runner } from '../context.js';

function renderInstall(r: HooksInstallReport): string {
  const lines = [`Git hooks installed in ${r.hooksDir} (core.hooksPath = ${r.hooksPath}${r.changedHooksPath ? `, was ${r.previousHooksPath ?? 'unset'}` : ''}).`];
  // The runner files in _/ are husky's boilerplate: one line for all of them.
  const runner = `${r.hooksPath}/`;
  const inRunner = (f: string): boolean => f.startsWith(runner);
  const runnerCreated = r.created.filter(inRunner).length;
  if (runnerCreated) lines.push(`  created   ${runner} (husky runner, ${runnerCreated} file(s), git-ignored)`);
  for (const f of r.created.filter((f) => !inRunner(f))) lines.push(`  created   ${f}`);
  for (const f of r.updated) lines.push(`  updated   ${f}`);
  if (r.chained.length) lines.push(`  chained   ${r.chained.join(', ')} (the hooks active before run first)`);
  lines.push(r.cli ? `  CLI       ${r.cli}` : '  CLI       not found; the hooks skip quietly until agent-os is on PATH');
  lines.push('post-merge, post-checkout (branch switches) and post-rewrite (rebases) now re-index in the background; log: .agent-os/.cache/hooks.log');
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

function renderStatus(s: HooksStatus): string {
  if (!s.gitRepo) return `Not a git repository: ${s.problems.join(' ')}`;
  const lines = [
    `Git hooks: ${s.installed ? 'installed' : 'not (fully) installed'}`,
    `  core.hooksPath  ${s.hooksPath ?? '(unset)'}${s.hooksPathScope ? ` [${s.hooksPathScope}]` : ''}`,
    `  hooks dir       ${s.hooksDir ?? '-'}`,
  ];
  for (const h of s.hooks) lines.push(`  ${h.name.padEnd(14)}  ${h.state}${h.form === 'appended' ? ' (block in your hook)' : ''}${h.chained ? ', calls the previous hook first' : ''}`);
  if (s.chainedOthers.length) lines.push(`  chained         ${s.chainedOthers.join(', ')}`);
  lines.push(`  CLI             ${s.cli ?? '(none recorded)'}${s.cli && !s.cliFound ? ' (not found)' : ''}`);
  lines.push(`  log             ${s.log}`);
  for (const p of s.problems) lines.push(`problem: ${p}`);
  return lines.join('\n');
}

function renderUninstall(r: HooksUninstallReport): string {
  const lines = ['agent-os git hooks removed.'];
  for (const f of r.removed) lines.push(`  removed   ${f}`);
  for (const f of r.updated) lines.push(`  updated   ${f} (agent-os block taken out)`);
  if (r.restoredHooksPath !== undefined) lines.push(`  core.hooksPath restored to ${r.restoredHooksPath ?? '(unset)'}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

export function registerHooks(program: Command, run: Runner): void {
  const hooks = program.command('hooks').description('Manage the git hooks that re-index after merges, branch switches and rebases');
  hooks
    .command('install')
    .description('Install post-merge, post-checkout and post-rewrite (husky layout in .husky/; existing hooks keep running)')
    .option('--force', 'take over a core.hooksPath set by another tool (its hooks are called first)')
    .action(
      run(async (ctx, opts) => {
        const report = await ctx.commands.hooks.install({ force: Boolean(opts['force']) });
        ctx.out.result(report, () => renderInstall(report));
      }),
    );
  hooks
    .command('uninstall')
    .description('Remove the agent-os hooks and restore the previous core.hooksPath')
    .action(
      run(async (ctx) => {
        const report = await ctx.commands.hooks.uninstall();
        ctx.out.result(report, () => renderUninstall(report));
      }),
    );
  hooks
    .command('status')
    .description('Show what is installed')
    .action(
      run(async (ctx) => {
        const status = await ctx.commands.hooks.status();
        ctx.out.result(status, () => renderStatus(status));
      }),
    );
}
