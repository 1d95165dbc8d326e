import { AgentOsError } from '../../domain/errors.js';
import { proposalMessage, renderStandardFile, standardFrontMatterLists, type ProposalRecord } from '../../domain/proposal.js';
import { validateProposal } from '../../domain/proposal-validation.js';
import { checkId, checkList, checkName, checkText, scanContent } from './checks.js';
import { firstParent, PROPOSAL_REFS, ProposalLedger } from './ledger.js';
import { publish } from './publish.js';
import type { ProposalDeps, ProposeResult } from './types.js';
import { describe } from './view.js';

export interface ReviseInput {
  proposal_id: string;
  content: string;
  feedback?: string | null;
  /** Who revised it (persona or person); recorded on the commit. */
  revised_by?: string | null;
  tags?: string[] | null;
  applies_to?: string[] | null;
  job_id?: string | null;
  push?: boolean;
}

/** A new commit on the proposal's branch answering feedback; the PR (if any) is updated and told. */
export async function reviseStandardProposal(deps: ProposalDeps, input: ReviseInput): Promise<ProposeResult> {
  const id = checkId(input.proposal_id);
  const ledger = await ProposalLedger.open(deps);
  const found = await ledger.find(id);
  // GitHub unreachable: the state comes from git alone, and the revision is still committed.
  const pr = await ledger.pullRequest(found);
  const { view, entry } = await describe(ledger, found, pr);
  if (view.status !== 'draft') {
    throw new AgentOsError('CONFLICT', `Proposal ${id} is ${view.status}${view.approved_by ? ` (by ${view.approved_by})` : ''}; only a draft can be revised.`, {
      hint: view.status === 'approved' ? 'Propose a change to the merged standard as a new proposal.' : 'Propose the topic again with a new rationale.',
    });
  }
  const valid = validateProposal({ domain: found.domain, topic: found.topic, content: input.content }, await scanContent(deps, input.content));
  const feedback = await checkText(deps, 'feedback', input.feedback);
  const by = checkName('revised_by', input.revised_by);
  const tags = checkList('tags', input.tags);
  const appliesTo = checkList('applies_to', input.applies_to);
  const kept = standardFrontMatterLists(entry.text);
  const text = renderStandardFile(valid.content, {
    domain: found.domain,
    topic: found.topic,
    proposalId: id,
    proposedBy: view.proposed_by,
    createdAt: view.created_at,
    // The standard as it was before this proposal (the default branch's, for a proposal without a parent).
    previous: firstParent(found) ? entry.atStart : entry.onBase,
    tags: tags ?? kept.tags,
    appliesTo: appliesTo ?? kept.appliesTo,
  });
  const record: ProposalRecord = { id, action: 'revise', domain: found.domain, topic: found.topic, by: by ?? view.proposed_by, jobId: input.job_id ?? null, text: feedback ?? '' };
  const branch = view.branch;
  // Revised elsewhere and fetched: build on the remote's version; diverged histories are for a person to settle.
  let parent: string | undefined;
  if (found.localTip && found.remoteTip && found.localTip !== found.remoteTip) {
    if (await ledger.contains(found.remoteTip, found.localTip)) parent = found.remoteTip;
    else if (!(await ledger.contains(found.localTip, found.remoteTip))) {
      throw new AgentOsError('CONFLICT', `${branch} and ${deps.settings.remote}/${branch} have diverged; nothing was committed.`, {
        hint: `Reconcile them (e.g. \`git rebase ${deps.settings.remote}/${branch} ${branch}\`), then revise again.`,
      });
    }
  }
  const { commit } = await deps.git.commitFile({
    branch,
    base: found.localTip ?? found.remoteTip ?? found.tip,
    path: view.file,
    content: text,
    message: proposalMessage(record, valid.title),
    expectTip: found.localTip,
    ...(parent ? { parent } : {}),
  });
  if (commit === found.tip) {
    throw new AgentOsError('BAD_INPUT', `The revision of ${id} is identical to its current content; nothing was committed.`);
  }
  await deps.git.setRef(`${PROPOSAL_REFS}${id}`, commit, found.recorded);
  deps.logger.info('standard proposal revised', { id, branch, commit });
  return publish(ledger, {
    id,
    branch,
    file: view.file,
    commit,
    update: view.update,
    title: valid.title,
    record,
    push: input.push ?? (found.remoteTip ? true : undefined),
    prNumber: view.pr_number,
  });
}
