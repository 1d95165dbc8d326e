import type { Command } from 'commander';
import type { SearchOutput } from '../../services/search-standards.js';
import { AgentOsError } from '../../domain/errors.js';
import type { Runner } from '../context.js';

function render(o: SearchOutput): string {
  if (o.results.length === 0) return 'No matching standards.';
  const parts = o.results.map((r, i) => {
    const who = [r.created_by && `created by ${r.created_by}`, r.approved_by && `approved by ${r.approved_by}`].filter(Boolean).join(', ');
    const head = `${i + 1}. ${r.file}${r.section ? ` — ${r.section}` : ''}  (score ${r.score.toFixed(3)}${who ? `; ${who}` : ''})`;
    const body = r.content.split('\n').map((l) => `   ${l}`).join('\n');
    return `${head}\n${body}`;
  });
  const meta = `${o.results.length} result(s) in ${o.query_ms} ms, ${o.mode}${o.cached ? ', cached' : ''}`;
  return [...parts, '', meta, ...o.warnings.map((w) => `warning: ${w}`)].join('\n');
}

export function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new AgentOsError('BAD_INPUT', `--limit must be a whole number; got "${value}".`);
  return n;
}

export function registerSearch(program: Command, run: Runner): void {
  program
    .command('search')
    .description('Search the standards (hybrid keyword + vector)')
    .argument('<query...>', 'what to look for')
    .option('-l, --limit <n>', 'number of results (1-50)', '5')
    .option('-d, --domain <domain>', 'only this domain (e.g. security)')
    .option('-f, --file <path>', 'rank standards whose applies_to globs match this path first')
    .action(
      run(async (ctx, opts, args) => {
        const query = args.join(' ');
        const input = {
          query,
          limit: parseLimit(String(opts['limit'] ?? '5')),
          ...(opts['domain'] ? { domain: String(opts['domain']) } : {}),
          ...(opts['file'] ? { filePath: String(opts['file']) } : {}),
        };
        const output = await ctx.app().search(input);
        ctx.out.result(output, () => render(output));
      }),
    );
}
