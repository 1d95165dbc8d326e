import type { Command } from 'commander';
import { renderReport } from '../../domain/review-report.js';
import type { ReportOutput } from '../../services/review-report.js';
import type { Runner } from '../context.js';
import { EXIT_FAILURE, EXIT_USAGE, ExitError } from '../io.js';

const HELP = `
Per standard and per persona: findings raised in agent-os reviews, fixed before merge, dismissed
(with the reasons maintainers gave) and left open, read from the summary comments of the last closed
pull requests (--github); beside them, how often coding agents retrieved each standard through search
(query_count, from this clone's index). Standards whose findings keep being dismissed are listed;
--propose-amendments proposes an amendment of each, drafted from the dismissal reasons (a branch and
a labelled draft pull request, as every proposal). GitHub is reached as proposals reach it:
GITHUB_TOKEN (proposals.github.tokenEnv) and the remote's URL or proposals.github.repository.`;

function render(r: ReportOutput): string {
  const lines = [renderReport(r, r.notes)];
  for (const a of r.amendments) {
    lines.push(a.error ? `amendment of ${a.standard} not proposed: ${a.error}` : `amendment of ${a.standard} proposed: ${a.pr_url ?? `branch ${a.branch ?? ''}`} (${a.proposal_id ?? ''})`);
  }
  return lines.join('\n');
}

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new ExitError(EXIT_USAGE, `agent-os: ${name} must be a whole number of at least 1; got ${JSON.stringify(String(value))}.`);
  return n;
}

export function registerReport(program: Command, run: Runner): void {
  program
    .command('report')
    .description('Which standards prevent problems and which only cost context: review outcomes per standard and persona, and search retrievals')
    .option('--github', 'read the review outcomes of the last closed pull requests on GitHub')
    .option('--since <n>', 'how many of the most recently closed pull requests to read', '30')
    .option('--min-dismissals <n>', 'list a standard as dismissed often from this many dismissals', '2')
    .option('--propose-amendments', 'propose an amendment of each standard dismissed often, drafted from the reasons')
    .option('--author <login>', 'trust summary comments by this account only (the one the Action posts as)', 'github-actions[bot]')
    .addHelpText('after', HELP)
    .action(
      run(async (ctx, opts) => {
        const report = await ctx.commands.report({
          github: opts['github'] === true,
          since: count(opts['since'], '--since', 30),
          minDismissals: count(opts['minDismissals'], '--min-dismissals', 2),
          proposeAmendments: opts['proposeAmendments'] === true,
          author: String(opts['author'] ?? 'github-actions[bot]'),
        });
        ctx.out.result(report, () => render(report));
        if (report.amendments.some((a) => a.error)) throw new ExitError(EXIT_FAILURE);
      }),
    );
}
