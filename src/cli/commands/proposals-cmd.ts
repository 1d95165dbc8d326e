import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AgentOsError, messageOf } from '../../domain/errors.js';
import { PROPOSAL_STATUSES } from '../../domain/proposal.js';
import type { ProposalView, ProposeResult } from '../../services/proposals/types.js';
import { isImportId } from '../../domain/import-record.js';
import type { ImportView } from '../../services/imports.js';
import type { CliContext, Runner } from '../context.js';
import { EXIT_FAILURE, ExitError, parseChoice } from '../io.js';

/** Markdown from a file, or from stdin with `-`. */
function readContent(ctx: CliContext, file: unknown): string {
  const name = typeof file === 'string' ? file : '';
  if (!name) throw new AgentOsError('BAD_INPUT', 'No content: pass --file <path> (or --file - to read standard input).');
  try {
    return name === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(path.resolve(ctx.root, name), 'utf8');
  } catch (e) {
    throw new AgentOsError('BAD_INPUT', `Cannot read ${name === '-' ? 'standard input' : name}: ${messageOf(e)}`);
  }
}

const list = (v: unknown): string[] | undefined =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

function pushChoice(v: unknown): boolean | undefined {
  return v === true ? true : v === false ? false : undefined;
}

function renderResult(r: ProposeResult, verb: string): string {
  return [
    `${verb} ${r.proposal_id}: ${r.file}`,
    `  branch ${r.branch} (commit ${r.commit.slice(0, 12)})${r.pushed ? ', pushed' : ''}`,
    ...(r.pr_url ? [`  draft pull request ${r.pr_url}`] : []),
    ...r.warnings.map((w) => `  warning: ${w}`),
    ...r.next_steps.map((s) => `  next: ${s}`),
  ].join('\n');
}

/** Push failures keep the proposal but end with exit code 1, so scripts notice. */
function finish(ctx: CliContext, r: ProposeResult, verb: string): void {
  ctx.out.result(r, () => renderResult(r, verb));
  if (r.push_error) throw new ExitError(EXIT_FAILURE);
}

function renderList(proposals: ProposalView[], warnings: string[]): string {
  if (proposals.length === 0) return ['No standard proposals.', ...warnings.map((w) => `warning: ${w}`)].join('\n');
  const rows = proposals.map((p) => [p.proposal_id, p.status, `${p.domain}/${p.topic}`, p.proposed_by ?? '-', p.created_at.slice(0, 10), p.approved_by ?? p.pr_url ?? p.branch]);
  const head = ['PROPOSAL', 'STATUS', 'STANDARD', 'BY', 'CREATED', 'APPROVED BY / PR / BRANCH'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line), ...warnings.map((w) => `warning: ${w}`)].join('\n');
}

function renderImports(imports: ImportView[]): string {
  if (imports.length === 0) return '';
  const rows = imports.map((i) => `${i.import_id}  ${i.status.padEnd(8)}  ${i.standards.length} standard(s)  ${i.created_at.slice(0, 10)}  ${i.pr_url ?? i.branch}`);
  return ['', 'Imports (agent-os import):', ...rows.map((r) => `  ${r}`)].join('\n');
}

function renderImport(i: ImportView): string {
  return [
    `${i.import_id}: ${i.status} — import of ${i.standards.length} standard(s)`,
    `  branch    ${i.branch} → ${i.base}${i.pushed ? ' (pushed)' : ''}`,
    `  commit    ${i.commit}`,
    `  created   ${i.created_at}${i.by ? ` by ${i.by}` : ''}`,
    ...(i.pr_url ? [`  pr        ${i.pr_url}`] : []),
    ...(i.status === 'approved' && i.approved_by ? [`  approved  by ${i.approved_by}`] : []),
    ...(i.status === 'rejected' ? [`  rejected  ${i.rejected_reason ?? ''}`] : []),
    ...i.standards.map((s) => `  standard  ${s}`),
  ].join('\n');
}

function renderView(p: ProposalView): string {
  return [
    `${p.proposal_id}: ${p.status} — ${p.title}`,
    `  standard  ${p.file}${p.update ? ' (update)' : ' (new)'}`,
    `  branch    ${p.branch} → ${p.base}${p.pushed ? ' (pushed)' : ''}`,
    `  commit    ${p.commit}`,
    `  proposed  ${p.created_at}${p.proposed_by ? ` by ${p.proposed_by}` : ''}${p.job_id ? ` (job ${p.job_id})` : ''}`,
    ...(p.rationale ? [`  rationale ${p.rationale.split('\n').join('\n            ')}`] : []),
    ...p.revisions.map((r) => `  revised   ${r.at} ${r.commit.slice(0, 12)}${r.by ? ` by ${r.by}` : ''}${r.feedback ? `: ${r.feedback}` : ''}`),
    ...(p.pr_url ? [`  pr        ${p.pr_url}`] : []),
    ...(p.status === 'approved' ? [`  approved  ${p.approved_at ?? ''}${p.approved_by ? ` by ${p.approved_by}` : ''}`] : []),
    ...(p.status === 'rejected' ? [`  rejected  ${p.rejected_reason ?? ''}`] : []),
  ].join('\n');
}

export function registerProposals(program: Command, run: Runner): void {
  program
    .command('propose')
    .description('Propose a standard: commits it on its own branch (your checkout is untouched) and opens a draft PR when GitHub is configured')
    .requiredOption('-d, --domain <domain>', 'standards domain, e.g. api')
    .requiredOption('-t, --topic <topic>', 'topic slug, e.g. error-responses')
    .requiredOption('-f, --file <path>', 'the standard in Markdown (- for standard input)')
    .option('-r, --rationale <text>', 'why the project needs it')
    .option('--by <name>', 'who proposes it (persona or person)')
    .option('--tags <list>', 'comma-separated tags')
    .option('--applies-to <globs>', 'comma-separated globs of the files it governs')
    .option('--push', 'push the branch even without GitHub')
    .option('--no-push', 'keep the proposal local')
    .action(
      run(async (ctx, opts) => {
        const content = readContent(ctx, opts['file']);
        const push = pushChoice(opts['push']);
        const r = await ctx.app().proposals.propose({
          domain: String(opts['domain']),
          topic: String(opts['topic']),
          content,
          rationale: typeof opts['rationale'] === 'string' ? opts['rationale'] : null,
          proposed_by: typeof opts['by'] === 'string' ? opts['by'] : null,
          tags: list(opts['tags']) ?? null,
          applies_to: list(opts['appliesTo']) ?? null,
          ...(push === undefined ? {} : { push }),
        });
        finish(ctx, r, 'Proposed');
      }),
    );

  const proposals = program.command('proposals').description('Standard proposals: list, show, revise, approve (merge locally) or reject');
  proposals
    .command('list', { isDefault: true })
    .description('Proposals and their state from git (and GitHub): draft, approved, rejected')
    .option('-s, --status <status>', `only this status (${PROPOSAL_STATUSES.join(', ')})`)
    .option('--fetch', 'fetch the remote first, to see merges made elsewhere')
    .action(
      run(async (ctx, opts) => {
        const status = parseChoice(opts['status'], PROPOSAL_STATUSES, 'status');
        const { proposals } = ctx.app();
        const out = await proposals.list({ ...(status ? { status } : {}), fetch: opts['fetch'] === true });
        const imports = (await proposals.imports.list()).filter((i) => !status || i.status === status);
        ctx.out.result({ ...out, imports }, () => `${renderList(out.proposals, out.warnings)}${renderImports(imports)}`);
      }),
    );
  proposals
    .command('show')
    .description('One proposal: state, rationale, feedback, and its diff')
    .argument('<id>', 'proposal id, e.g. sp-20261130-a1b2c3 (or an import, im-20261130-a1b2c3)')
    .action(
      run(async (ctx, _opts, args) => {
        if (isImportId(args[0] ?? '')) {
          const i = await ctx.app().proposals.imports.show(args[0] ?? '');
          ctx.out.result(i, () => [renderImport(i), ...i.files.map((f) => `\n--- ${f.file}\n${f.content ?? '(missing)'}`)].join('\n'));
          return;
        }
        const p = await ctx.app().proposals.show(args[0] ?? '');
        ctx.out.result(p, () => `${renderView(p)}\n\n${p.diff.trim() || p.content}`);
      }),
    );
  proposals
    .command('revise')
    .description('A new version of a draft proposal (a new commit on its branch; the PR is updated)')
    .argument('<id>', 'proposal id')
    .requiredOption('-f, --file <path>', 'the revised standard in Markdown (- for standard input)')
    .option('--feedback <text>', 'the feedback this revision answers')
    .option('--by <name>', 'who revised it')
    .option('--push', 'push the branch')
    .option('--no-push', 'keep the revision local')
    .action(
      run(async (ctx, opts, args) => {
        const content = readContent(ctx, opts['file']);
        const push = pushChoice(opts['push']);
        const r = await ctx.app().proposals.revise({
          proposal_id: args[0] ?? '',
          content,
          feedback: typeof opts['feedback'] === 'string' ? opts['feedback'] : null,
          revised_by: typeof opts['by'] === 'string' ? opts['by'] : null,
          ...(push === undefined ? {} : { push }),
        });
        finish(ctx, r, 'Revised');
      }),
    );
  proposals
    .command('approve')
    .description('Approve a draft by merging its branch into the default branch with --no-ff (for teams without GitHub)')
    .argument('<id>', 'proposal id')
    .action(
      run(async (ctx, _opts, args) => {
        if (isImportId(args[0] ?? '')) {
          const i = await ctx.app().proposals.imports.approve(args[0] ?? '');
          ctx.out.result(i, () => `${renderImport(i)}\n\nMerged into ${i.base}. Push ${i.base} to share it.`);
          return;
        }
        const p = await ctx.app().proposals.approve(args[0] ?? '');
        ctx.out.result(p, () => `${renderView(p)}\n\nMerged into ${p.base}. Push ${p.base} to share it.`);
      }),
    );
  proposals
    .command('reject')
    .description('Reject a draft: records the reason, closes its PR, deletes its branches')
    .argument('<id>', 'proposal id')
    .option('-r, --reason <text>', 'why (kept with the proposal)')
    .action(
      run(async (ctx, opts, args) => {
        if (isImportId(args[0] ?? '')) {
          const i = await ctx.app().proposals.imports.reject(args[0] ?? '', typeof opts['reason'] === 'string' ? opts['reason'] : null);
          ctx.out.result(i, () => [renderImport(i), ...i.warnings.map((w) => `warning: ${w}`)].join('\n'));
          return;
        }
        const p = await ctx.app().proposals.reject(args[0] ?? '', { reason: typeof opts['reason'] === 'string' ? opts['reason'] : null });
        ctx.out.result(p, () => [renderView(p), ...p.warnings.map((w) => `warning: ${w}`)].join('\n'));
      }),
    );
}
