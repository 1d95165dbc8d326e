import { checkId } from './checks.js';
import { ProposalLedger } from './ledger.js';
import type { ProposalDeps, ProposalView } from './types.js';
import { describe } from './view.js';

export interface ProposalDetail extends ProposalView {
  /** The proposed file as it stands on the branch. */
  content: string;
  /** What the proposal changes, as a unified diff against where it started. */
  diff: string;
}

export async function showStandardProposal(deps: ProposalDeps, proposalId: string): Promise<ProposalDetail> {
  const ledger = await ProposalLedger.open(deps);
  const found = await ledger.find(checkId(proposalId));
  const pr = await ledger.pullRequest(found);
  const { view, entry } = await describe(ledger, found, pr);
  return { ...view, content: entry.text, diff: await ledger.diff(found, view.file) };
}
