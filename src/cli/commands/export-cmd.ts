import type { Command } from 'commander';
import { AgentOsError } from '../../domain/errors.js';
import { EXPORT_BUDGETS, EXPORT_FORMATS, type ExportFormat } from '../../domain/rule-export.js';
import type { ExportReport } from '../../services/export-standards.js';
import type { Runner } from '../context.js';
import { EXIT_FAILURE, ExitError } from '../io.js';

const HELP = `
Formats (all by default):
  agents   a generated section in AGENTS.md, between <!-- agent-os:begin --> and <!-- agent-os:end -->
           (the rest of the file is kept as it is); a standard whose applies_to points into one
           existing directory goes into that directory's AGENTS.md
  claude   a generated section in CLAUDE.md (next to each AGENTS.md) importing it with @AGENTS.md
  cursor   .cursor/rules/agent-os/<domain>-<topic>.mdc (globs from applies_to; alwaysApply without)
  copilot  .github/instructions/<domain>-<topic>.instructions.md (applyTo from applies_to, else **)

Budgets (characters): copilot ${EXPORT_BUDGETS.copilot} per file (what Copilot code review reads),
cursor ${EXPORT_BUDGETS.cursor} per rule, AGENTS.md ${EXPORT_BUDGETS.agentsRoot} for the root section and
${EXPORT_BUDGETS.agentsNested} per nested one, shared fairly between its standards. A standard keeps its title, Pattern and
Anti-patterns first, then its lead, Context and Examples while they fit, and always the pointer
to the full standard; every cut is reported.

Each generated file or section names its standard, the standard's git blob id and the last
commit that touched it (\`uncommitted\` when it has uncommitted changes). --check writes
nothing and exits 1 when a file is stale, missing, left over from a deleted standard, or in
conflict with a file of yours; a standard committed after the export does not make it stale.`;

function parseFormats(value: unknown): ExportFormat[] | undefined {
  if (value === undefined) return undefined;
  const list = String(value)
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = list.filter((f) => !(EXPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length || list.length === 0) {
    throw new AgentOsError('BAD_INPUT', `Unknown export format ${JSON.stringify(unknown.join(',') || String(value))}.`, { hint: `Use a comma-separated list of: ${EXPORT_FORMATS.join(', ')}.` });
  }
  return list as ExportFormat[];
}

function render(r: ExportReport): string {
  const lines: string[] = [];
  if (r.check) lines.push(r.ok ? `All ${r.files.length} exported file(s) are fresh.` : 'Exported files are out of date:');
  else lines.push(`${r.dryRun ? 'Export plan (dry run: nothing written)' : 'Exported'} ${r.standards} standard(s) as ${r.formats.join(', ')}:`);
  for (const f of r.files) {
    if (r.check && f.state === 'fresh') continue;
    lines.push(`  ${f.state.padEnd(9)} ${f.file}${f.reason ? ` (${f.reason})` : ''}`);
  }
  for (const c of r.cuts) {
    const what = c.omitted ? 'left out entirely (no room)' : [c.truncated.length ? `shortened ${c.truncated.join(', ')}` : '', c.cut.length ? `cut ${c.cut.join(', ')}` : ''].filter(Boolean).join('; ');
    lines.push(`  budget    ${c.file}: ${c.standard}: ${what}`);
  }
  for (const p of r.problems) lines.push(`  not exported ${p.standard}: ${p.problem}`);
  if (r.check && !r.ok) lines.push('Run `agent-os export` to bring them up to date.');
  return lines.join('\n');
}

export function registerExport(program: Command, run: Runner): void {
  program
    .command('export')
    .description("Compile the standards into other agents' files (AGENTS.md, CLAUDE.md, Cursor rules, Copilot instructions); --check verifies them")
    .option('--check', 'write nothing; exit 1 when an exported file is stale, missing or left over')
    .option('--format <list>', `comma-separated formats (${EXPORT_FORMATS.join(', ')}; default all)`)
    .option('--force', "replace files at export paths that agent-os did not generate")
    .option('--dry-run', 'show what would change; write nothing')
    .addHelpText('after', HELP)
    .action(
      run(async (ctx, opts) => {
        const formats = parseFormats(opts['format']);
        const report = await ctx.commands.export({
          ...(formats ? { formats } : {}),
          check: opts['check'] === true,
          dryRun: opts['dryRun'] === true,
          force: opts['force'] === true,
        });
        ctx.out.result(report, () => render(report));
        if (!report.ok) throw new ExitError(EXIT_FAILURE);
      }),
    );
}
