import { stripFrontMatter } from '../../domain/front-matter.js';
import { proposalStatus } from '../../domain/proposal-status.js';
import type { PullRequestInfo } from '../../ports/github.js';
import type { FoundProposal, ProposalEntry, ProposalLedger } from './ledger.js';
import type { ProposalView } from './types.js';

/** A proposal as the tools and the CLI show it, its state decided from the ledger's facts. */
export function viewOf(ledger: ProposalLedger, entry: ProposalEntry): ProposalView {
  const { found: f, pr } = entry;
  const first = f.steps[0]!;
  const last = f.steps[f.steps.length - 1]!;
  const revisions = f.steps.slice(1).map((s) => ({ commit: s.commit.sha, at: s.commit.authorDate, by: s.record.by, feedback: s.record.text || null }));
  const state = proposalStatus(entry.facts);
  return {
    proposal_id: f.id,
    status: state.status,
    domain: f.domain,
    topic: f.topic,
    title: titleOf(entry.text) ?? f.topic,
    file: entry.file,
    branch: f.branch ?? '',
    commit: f.tip,
    base: ledger.baseName,
    update: entry.atStart !== null,
    proposed_by: first.record.by,
    rationale: first.record.text || null,
    feedback: [...revisions].reverse().find((r) => r.feedback)?.feedback ?? null,
    revisions,
    job_id: first.record.jobId,
    created_at: first.commit.authorDate,
    updated_at: last.commit.authorDate,
    approved_by: state.approvedBy,
    approved_at: state.approvedAt,
    rejected_reason: state.rejectedReason,
    pushed: f.remoteTip !== null,
    pr_url: pr?.url ?? null,
    pr_number: pr?.number ?? null,
  };
}

/** Views of many proposals, read in one pass. */
export async function describeAll(ledger: ProposalLedger, found: readonly FoundProposal[], prs: ReadonlyArray<PullRequestInfo | null>): Promise<ProposalView[]> {
  return (await ledger.read(found, prs)).map((entry) => viewOf(ledger, entry));
}

/** One proposal's view with what was read for it. */
export async function describe(ledger: ProposalLedger, found: FoundProposal, pr: PullRequestInfo | null): Promise<{ view: ProposalView; entry: ProposalEntry }> {
  const entry = await ledger.readOne(found, pr);
  return { view: viewOf(ledger, entry), entry };
}

function titleOf(text: string): string | null {
  const m = /^#\s+(.+?)\s*#*\s*$/m.exec(stripFrontMatter(text));
  return m?.[1]?.trim() || null;
}
