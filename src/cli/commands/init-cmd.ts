import type { Command } from 'commander';
import { configDefaults, createInitDeps } from '../../app.js';
import { initProject, type InitReport } from '../../services/init-project.js';
import type { Runner } from '../context.js';

function render(r: InitReport): string {
  const lines = [`agent-os in ${r.root}:`];
  for (const f of r.files) lines.push(`  ${f.action.padEnd(11)} ${f.file}${f.reason ? ` (${f.reason})` : ''}`);
  lines.push(`  hooks       ${r.hooks.status}: ${r.hooks.detail.replace(/\n/g, ' ')}`);
  lines.push('', `Add this to ${r.mcp.file} (merge it into mcpServers if the file exists):`, JSON.stringify(r.mcp.json, null, 2), r.mcp.note, '');
  lines.push('Next: add standards as .agent-os/standards/<domain>/<topic>.md, run `agent-os index`, and check with `agent-os doctor`.');
  return lines.join('\n');
}

export function registerInit(program: Command, run: Runner): void {
  program
    .command('init')
    .description('Scaffold .agent-os/ (config, domain folders), install the git hooks, write a Cursor rule, print the mcp.json entry')
    .option('--force', 'overwrite existing files (config.yaml, the Cursor rule) and take over a foreign core.hooksPath')
    .option('--no-hooks', 'do not install the git hooks')
    .action(
      run(async (ctx, opts) => {
        const report = await initProject(createInitDeps(), {
          root: ctx.root,
          force: Boolean(opts['force']),
          hooks: opts['hooks'] !== false,
          configDefaults: configDefaults(),
        });
        ctx.out.result(report, () => render(report));
      }),
    );
}
