import { AgentOsError } from '../../domain/errors.js';
import { checkId } from './checks.js';
import { ProposalLedger } from './ledger.js';
import type { ProposalDeps, ProposalView } from './types.js';
import { describe } from './view.js';

/** Merges a draft proposal into the default branch with a merge commit (`--no-ff`): approval without GitHub. */
export async function approveStandardProposal(deps: ProposalDeps, proposalId: string): Promise<ProposalView> {
  const id = checkId(proposalId);
  const ledger = await ProposalLedger.open(deps);
  const found = await ledger.find(id);
  const pr = await ledger.pullRequest(found);
  const { view } = await describe(ledger, found, pr);
  if (view.status !== 'draft') throw new AgentOsError('CONFLICT', `Proposal ${id} is already ${view.status}.`);
  if (ledger.base !== ledger.baseName) {
    throw new AgentOsError('CONFLICT', `The default branch ${ledger.baseName} exists only as ${ledger.base} here; nothing was merged.`, {
      hint: `Create it locally (\`git branch ${ledger.baseName} ${ledger.base}\`), or merge the pull request on GitHub.`,
    });
  }
  if (!found.localTip) {
    throw new AgentOsError('CONFLICT', `The branch ${view.branch} exists only on ${deps.settings.remote}; nothing was merged.`, {
      hint: `Run \`git branch ${view.branch} ${deps.settings.remote}/${view.branch}\` first, or merge the pull request on GitHub.`,
    });
  }
  const message = `Approve standard ${view.domain}/${view.topic} (${id})\n\nMerge branch '${view.branch}': ${view.title}\n\nAgent-OS-Proposal: ${id}\n`;
  await deps.git.mergeNoFf(view.branch, ledger.base, message);
  deps.logger.info('standard proposal approved', { id, branch: view.branch });
  // Read again after the merge: its state now comes from git's ancestry.
  return (await describe(ledger, await ledger.find(id), null)).view;
}
