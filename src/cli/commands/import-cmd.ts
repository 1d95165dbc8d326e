import type { Command } from 'commander';
import type { ImportReport } from '../../services/import-rules.js';
import type { Runner } from '../context.js';
import { EXIT_FAILURE, ExitError } from '../io.js';

const HELP = `
Sources: AGENTS.md (the root one and nested ones, which apply to their directory), CLAUDE.md,
GEMINI.md, .cursor/rules/*.mdc (globs, description, alwaysApply), .cursorrules,
.github/copilot-instructions.md, .github/instructions/*.instructions.md (applyTo), .windsurfrules.
Documents are split at their headings into one standard per topic; each standard records where it
came from (imported_from: AGENTS.md:12). Identical rules found in several files become one standard.
Rules holding a possible secret are left out and reported. Files agent-os export generated are
skipped (unless --include-generated).

By default the import is one proposal: every new standard in one commit on its own branch
(<branchPrefix>import/<date>), your checkout untouched, pushed with a labelled draft pull request
when GitHub is configured. Approve by merging it (or \`agent-os proposals approve <id>\`).`;

function render(r: ImportReport): string {
  const lines: string[] = [];
  const verb = r.dryRun ? 'would' : 'will';
  lines.push(`${r.dryRun ? 'Import plan (dry run: nothing changed)' : 'Imported'} from ${r.files.length} file(s): ${r.files.map((f) => `${f.file} (${f.rules})`).join(', ') || 'none'}`);
  for (const s of r.standards) {
    const note = s.action === 'add' ? '' : ` [${s.action}${s.reason ? `: ${s.reason}` : ''}]`;
    lines.push(`  ${s.file}  "${s.title}"  <- ${s.sources.join(', ')}${s.applies_to.length ? `  (applies to ${s.applies_to.join(', ')})` : ''}${note}`);
  }
  for (const s of r.skipped) lines.push(`  skipped ${s.source}${s.title ? ` "${s.title}"` : ''}: ${s.reason}`);
  if (r.proposal) {
    const p = r.proposal;
    lines.push(r.dryRun ? `Proposal ${p.import_id} ${verb} be committed on ${p.branch}.` : `Proposal ${p.import_id}: branch ${p.branch}${p.commit ? ` (commit ${p.commit.slice(0, 12)})` : ''}${p.pushed ? ', pushed' : ''}`);
    if (p.pr_url) lines.push(`  draft pull request ${p.pr_url}`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const n of r.next_steps) lines.push(`next: ${n}`);
  return lines.join('\n');
}

export function registerImport(program: Command, run: Runner): void {
  program
    .command('import')
    .description("Turn the team's existing agent rule files (AGENTS.md, CLAUDE.md, Cursor, Copilot, Windsurf) into standards, as one proposal")
    .option('--write', 'write the standards into the working tree instead of proposing them')
    .option('--force', 'replace existing standards whose text differs')
    .option('--dry-run', 'show what would be imported; change nothing')
    .option('--include-generated', 'also read the files and sections `agent-os export` generated')
    .option('--by <name>', 'who imports (recorded as created_by and on the commit)')
    .option('--push', 'push the proposal branch even without GitHub')
    .option('--no-push', 'keep the proposal local')
    .addHelpText('after', HELP)
    .action(
      run(async (ctx, opts) => {
        const push = opts['push'] === true ? true : opts['push'] === false ? false : undefined;
        const report = await ctx.commands.import({
          mode: opts['write'] === true ? 'write' : 'propose',
          dryRun: opts['dryRun'] === true,
          force: opts['force'] === true,
          includeGenerated: opts['includeGenerated'] === true,
          by: typeof opts['by'] === 'string' ? opts['by'] : null,
          ...(push === undefined ? {} : { push }),
        });
        ctx.out.result(report, () => render(report));
        // The import is kept locally, but a script should notice that sharing it failed.
        if (report.proposal?.push_error) throw new ExitError(EXIT_FAILURE);
      }),
    );
}
