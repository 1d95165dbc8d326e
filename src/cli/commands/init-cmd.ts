import type { Command } from 'commander';
import type { InitReport } from '../../services/init-project.js';
import type { Runner } from '../context.js';

function render(r: InitReport): string {
  const lines = [r.dryRun ? `agent-os init would change, in ${r.root} (dry run: nothing written):` : `agent-os in ${r.root}:`];
  for (const f of r.files) lines.push(`  ${f.action.padEnd(11)} ${f.file}${f.reason ? ` (${f.reason})` : ''}`);
  lines.push(`  hooks       ${r.hooks.status}: ${r.hooks.detail.replace(/\n/g, ' ')}`);
  if (r.exportHook) lines.push(`  export hook ${r.exportHook.status}: ${r.exportHook.detail.replace(/\n/g, ' ')}`);
  const skipped = r.files.filter((f) => /mcp\.json$/.test(f.file) && f.action === 'skipped');
  if (skipped.length) lines.push('', `Not merged: ${skipped.map((f) => f.file).join(', ')}. The server entry (VS Code's file calls the map "servers"):`, JSON.stringify(r.mcp.json, null, 2));
  lines.push('', r.mcp.note, '');
  lines.push('The MCP server is wired for Cursor (.cursor/mcp.json), VS Code (.vscode/mcp.json) and Claude Code (.mcp.json); commit them to share it with your team.');
  if (r.rules.note) lines.push(r.rules.note);
  lines.push('Next: add standards as .agent-os/standards/<domain>/<topic>.md, run `agent-os index`, and check with `agent-os doctor`.');
  return lines.join('\n');
}

export function registerInit(program: Command, run: Runner): void {
  program
    .command('init')
    .description('Scaffold .agent-os/ (config, domain folders), install the git hooks, write a Cursor rule, and add the MCP server to .cursor/mcp.json, .vscode/mcp.json and .mcp.json')
    .option('--force', "overwrite existing files (config.yaml, the Cursor rule), replace a changed agent-os server entry, and take over a foreign core.hooksPath")
    .option('--no-hooks', 'do not install the git hooks')
    .option('--dry-run', 'show what would change, write nothing')
    .option('--export-hook', 'add `agent-os export --check` to the husky pre-commit hook (refuses commits while exported agent files are stale)')
    .action(
      run(async (ctx, opts) => {
        const report = await ctx.commands.init({
          force: Boolean(opts['force']),
          hooks: opts['hooks'] !== false,
          dryRun: Boolean(opts['dryRun']),
          exportHook: opts['exportHook'] === true,
        });
        ctx.out.result(report, () => render(report));
      }),
    );
}
