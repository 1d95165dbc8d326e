import { AgentOsError, messageOf } from '../../domain/errors.js';
import { proposalMessage, type ProposalRecord } from '../../domain/proposal.js';
import { checkId, checkText } from './checks.js';
import { PROPOSAL_REFS, ProposalLedger } from './ledger.js';
import type { ProposalDeps, ProposalView } from './types.js';
import { describe } from './view.js';

/** Rejects a draft: records why, closes its PR, deletes its branches (the record keeps the history). */
export async function rejectStandardProposal(deps: ProposalDeps, proposalId: string, input: { reason?: string | null } = {}): Promise<ProposalView & { warnings: string[] }> {
  const id = checkId(proposalId);
  const reason = await checkText(deps, 'reason', input.reason);
  const ledger = await ProposalLedger.open(deps);
  const found = await ledger.find(id);
  const pr = await ledger.pullRequest(found);
  const { view } = await describe(ledger, found, pr);
  if (view.status !== 'draft') throw new AgentOsError('CONFLICT', `Proposal ${id} is already ${view.status}.`);
  const record: ProposalRecord = { id, action: 'reject', domain: found.domain, topic: found.topic, by: null, jobId: null, text: reason ?? '' };
  const marker = await deps.git.markerCommit(found.tip, proposalMessage(record, ''));
  await deps.git.setRef(`${PROPOSAL_REFS}${id}`, marker, found.recorded);
  const warnings: string[] = [];
  if (pr && pr.state === 'open' && deps.github) {
    try {
      if (reason) await deps.github.comment(pr.number, `Rejected: ${reason}`);
      await deps.github.close(pr.number);
    } catch (e) {
      warnings.push(`Could not close PR #${pr.number}: ${messageOf(e)}`);
    }
  }
  if (found.localTip) {
    try {
      await deps.git.deleteBranch(view.branch);
    } catch (e) {
      warnings.push(`Kept the local branch ${view.branch}: ${messageOf(e)}`);
    }
  }
  if (found.remoteTip) {
    try {
      await deps.git.deleteRemoteBranch(deps.settings.remote, view.branch);
    } catch (e) {
      warnings.push(`Kept ${view.branch} on ${deps.settings.remote}: ${messageOf(e)}`);
    }
  }
  deps.logger.info('standard proposal rejected', { id });
  return { ...(await describe(ledger, await ledger.find(id), null)).view, warnings };
}
