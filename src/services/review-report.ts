import { AgentOsError, isAgentOsError, messageOf } from '../domain/errors.js';
import type { PersonaConfig } from '../domain/job.js';
import { aggregateReviews, type ClosedReview, type Dismissal, type ReviewReport, type StandardUsage } from '../domain/review-report.js';
import { amendStandard } from '../domain/standard-draft.js';
import type { PullRequestHistory } from '../ports/github.js';
import type { Llm } from '../ports/llm.js';
import type { Logger } from '../ports/logger.js';
import { draftStandard } from './draft-standard.js';
import { getPersona, type LoadedPersonas } from './personas.js';
import { proposeStandard } from './proposals/propose.js';
import type { ProposalDeps } from './proposals/types.js';
import { stickyOf } from './review-sticky.js';

/**
 * `agent-os report`: review outcomes of the last closed pull requests (from the sticky summary
 * comments agent-os wrote, read through GitHub) per standard and per persona, beside how often coding
 * agents retrieved each standard; and, when asked, amendments proposed for standards that keep being
 * dismissed, drafted from the dismissal reasons.
 */

export interface ReportDeps {
  /** Every standard of the project with its query counts (local meta store). */
  usage(): Promise<StandardUsage[]>;
  /** GitHub's closed pull requests; `missing` says why there is none. */
  history(): Promise<{ history: PullRequestHistory | null; missing: string | null }>;
  standardText(file: string): Promise<string | null>;
  personas(): Promise<LoadedPersonas>;
  llm: Llm | null;
  proposals(): Promise<ProposalDeps>;
  logger: Logger;
}

export interface ReportInput {
  /** Read the review outcomes of closed pull requests on GitHub. */
  github: boolean;
  /** How many of the most recently closed pull requests. */
  since: number;
  /** A standard dismissed this often is offered an amendment. */
  minDismissals: number;
  proposeAmendments: boolean;
  /** Summary comments are trusted from this account only (the Action's, e.g. github-actions[bot]). */
  author: string;
}

export interface AmendmentResult {
  standard: string;
  proposal_id?: string;
  pr_url?: string;
  branch?: string;
  error?: string;
}

export interface ReportOutput extends ReviewReport {
  amendments: AmendmentResult[];
  notes: string[];
}

export async function reviewReport(deps: ReportDeps, input: ReportInput): Promise<ReportOutput> {
  if (!Number.isSafeInteger(input.since) || input.since < 1 || input.since > 1000) throw new AgentOsError('BAD_INPUT', `--since must be a number of pull requests from 1 to 1000; got ${input.since}.`);
  if (input.proposeAmendments && !input.github) throw new AgentOsError('BAD_INPUT', '--propose-amendments needs --github: the dismissals are read from the pull requests.');
  const notes: string[] = [];
  const usage = await deps.usage();
  const reviews: ClosedReview[] = [];
  if (input.github) {
    const { history, missing } = await deps.history();
    if (!history) {
      throw new AgentOsError('CONFIG', `Cannot read pull requests from GitHub: ${missing ?? 'not configured'}.`, {
        hint: 'Set GITHUB_TOKEN (or proposals.github.tokenEnv) and a GitHub remote, or proposals.github.repository in the (trusted) project config.',
      });
    }
    const closed = await history.closedPulls(input.since);
    for (const pr of closed) {
      const sticky = stickyOf(await history.comments(pr.number), input.author, deps.logger);
      if (sticky.found) reviews.push({ ...pr, state: sticky.state });
    }
    notes.push(`Read ${closed.length} closed pull request(s) of ${history.repository}; ${reviews.length} had an agent-os summary comment by ${input.author}.`);
  }
  const report = aggregateReviews(reviews, usage, { minDismissals: input.minDismissals });
  const amendments: AmendmentResult[] = [];
  if (report.dismissed_often.length && !input.proposeAmendments) {
    notes.push('Run `agent-os report --github --propose-amendments` to propose an amendment of each standard listed as dismissed often, drafted from the dismissal reasons.');
  }
  if (input.proposeAmendments) {
    for (const d of report.dismissed_often) amendments.push(await proposeAmendment(deps, d.standard, d.dismissals, d.raised));
  }
  return { ...report, amendments, notes };
}

async function proposeAmendment(deps: ReportDeps, standard: string, dismissals: readonly Dismissal[], raised: number): Promise<AmendmentResult> {
  try {
    const m = /^([a-z0-9-]+)\/([a-z0-9-]+)\.md$/.exec(standard);
    const existing = m ? await deps.standardText(standard) : null;
    if (!m || existing === null) return { standard, error: 'the standard is not in this project (any more)' };
    const target = { domain: m[1]!, topic: m[2]! };
    const reasons = dismissals.filter((d) => d.reason.trim());
    const bullets = reasons.map((d) => `Not a finding when: ${d.reason} (dismissed in ${d.url})`);
    const persona = await drafter(deps, dismissals);
    const material = [
      `Findings citing ${standard} were dismissed ${dismissals.length} time(s) out of ${raised}. The reasons maintainers gave:`,
      ...dismissals.map((d) => `- "${d.title}" (${d.persona}, pull request #${d.pull_request}): ${d.reason || '(no reason)'}`),
    ].join('\n');
    const draft = await draftStandard(
      { llm: deps.llm, logger: deps.logger },
      {
        persona,
        instruction: `Amend the standard ${standard} so that reviews stop raising what maintainers keep dismissing: make its Pattern say when it does not apply, from the reasons below.`,
        material,
        target,
        existing,
        fallback: { ...target, content: amendStandard(existing, bullets.length ? bullets : ['Review how this standard is applied: its findings keep being dismissed.']) },
      },
    );
    const rationale = [`Findings citing \`${standard}\` were dismissed ${dismissals.length} time(s) in ${raised} finding(s) of recent pull requests:`, '', ...dismissals.map((d) => `- ${d.url}: ${d.reason || '(no reason given)'}`)].join('\n');
    const result = await proposeStandard(await deps.proposals(), { ...target, content: draft.content, rationale: rationale.slice(0, 9_000), proposed_by: 'agent-os report' });
    return { standard, proposal_id: result.proposal_id, branch: result.branch, ...(result.pr_url ? { pr_url: result.pr_url } : {}) };
  } catch (e) {
    deps.logger.warn('could not propose an amendment', { standard, error: messageOf(e) });
    return { standard, error: isAgentOsError(e) ? e.message : messageOf(e) };
  }
}

/** The persona that raised most of the dismissed findings drafts (the architect when none can). */
async function drafter(deps: ReportDeps, dismissals: readonly Dismissal[]): Promise<PersonaConfig | null> {
  const counts = new Map<string, number>();
  for (const d of dismissals) counts.set(d.persona, (counts.get(d.persona) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([p]) => p);
  const loaded = await deps.personas();
  for (const id of [...ranked, 'architect']) {
    try {
      return getPersona(loaded, id);
    } catch {
      // Not a persona of this project: the next one drafts.
    }
  }
  return null;
}
