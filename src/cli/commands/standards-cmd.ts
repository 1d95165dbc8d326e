import type { Command } from 'commander';
import type { StandardMetadata } from '../../services/list-standards.js';
import type { Runner } from '../context.js';

function render(list: StandardMetadata[]): string {
  if (list.length === 0) return 'No standards yet. Add Markdown files as .agent-os/standards/<domain>/<topic>.md.';
  const lines: string[] = [];
  for (const s of list) {
    lines.push(`${s.file_path}  ${s.title}`);
    const who = [s.created_by && `created by ${s.created_by}`, s.approved_by && `approved by ${s.approved_by}`].filter(Boolean).join(', ');
    lines.push(`  ${who ? `${who}; ` : ''}created ${s.created_at.slice(0, 10)}, updated ${s.last_updated.slice(0, 10)} (${s.dates_from}); queried ${s.query_count}×${s.tags.length ? `; tags: ${s.tags.join(', ')}` : ''}`);
    for (const w of s.warnings) lines.push(`  warning: ${w}`);
  }
  lines.push('', `${list.length} standard(s).`);
  return lines.join('\n');
}

export function registerStandards(program: Command, run: Runner): void {
  program
    .command('standards')
    .description('List the standards with their metadata (created/approved by, dates, query count, tags)')
    .option('-d, --domain <domain>', 'only this domain (e.g. security)')
    .action(
      run(async (ctx, opts) => {
        const standards = await ctx.app().listStandards(opts['domain'] ? { domain: String(opts['domain']) } : {});
        ctx.out.result({ standards }, () => render(standards));
      }),
    );
}
