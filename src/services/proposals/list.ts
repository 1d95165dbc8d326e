import { messageOf } from '../../domain/errors.js';
import type { ProposalStatus } from '../../domain/proposal.js';
import type { PullRequestInfo } from '../../ports/github.js';
import { ProposalLedger } from './ledger.js';
import type { ProposalDeps, ProposalView } from './types.js';
import { describeAll } from './view.js';

export interface ListProposalsInput {
  status?: ProposalStatus;
  /** Fetch the remote first, so merges and deletions made elsewhere are seen. */
  fetch?: boolean;
}

export interface ListProposalsOutput {
  proposals: ProposalView[];
  total_count: number;
  warnings: string[];
}

/** Every proposal this clone knows (recorded here or found as a branch), newest first, state derived from git and GitHub. */
export async function listStandardProposals(deps: ProposalDeps, input: ListProposalsInput = {}): Promise<ListProposalsOutput> {
  const ledger = await ProposalLedger.open(deps);
  const warnings: string[] = [];
  if (input.fetch) {
    try {
      await deps.git.fetch(deps.settings.remote);
    } catch (e) {
      warnings.push(`Could not fetch ${deps.settings.remote}: ${messageOf(e)}`);
    }
  }
  const found = await ledger.all();
  let prs: Array<PullRequestInfo | null> = found.map(() => null);
  try {
    prs = await ledger.pullRequestsListed(found);
  } catch (e) {
    warnings.push(`GitHub: ${messageOf(e)} (states from git alone)`);
  }
  const views = await describeAll(ledger, found, prs);
  views.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.proposal_id.localeCompare(a.proposal_id));
  const proposals = input.status ? views.filter((v) => v.status === input.status) : views;
  return { proposals, total_count: views.length, warnings: [...new Set(warnings)] };
}
