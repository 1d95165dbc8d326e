import { randomBytes } from 'node:crypto';

import { AgentOsError } from '../../domain/errors.js';
import { newProposalId, proposalMessage, renderStandardFile, type ProposalRecord } from '../../domain/proposal.js';
import { validateProposal } from '../../domain/proposal-validation.js';
import { checkList, checkName, checkText, normalise, scanContent } from './checks.js';
import { PROPOSAL_REFS, ProposalLedger } from './ledger.js';
import { publish } from './publish.js';
import type { ProposalDeps, ProposeResult } from './types.js';
import { describeAll } from './view.js';

export interface ProposeInput {
  domain: string;
  topic: string;
  content: string;
  rationale?: string | null;
  proposed_by?: string | null;
  tags?: string[] | null;
  applies_to?: string[] | null;
  /** The persona job that proposed it, if any. */
  job_id?: string | null;
  /** Overrides `settings.push` for this call. */
  push?: boolean;
}

/**
 * Proposes a standard: validates it, commits it on its own branch from the default branch (objects and
 * refs only: the user's checkout is never touched), records it, and pushes it and opens a draft PR when
 * the settings and GitHub allow.
 */
export async function proposeStandard(deps: ProposalDeps, input: ProposeInput): Promise<ProposeResult> {
  const valid = validateProposal({ domain: input.domain, topic: input.topic, content: input.content }, await scanContent(deps, input.content));
  const rationale = await checkText(deps, 'rationale', input.rationale);
  const by = checkName('proposed_by', input.proposed_by);
  const tags = checkList('tags', input.tags);
  const appliesTo = checkList('applies_to', input.applies_to);
  const ledger = await ProposalLedger.open(deps);
  const all = await ledger.all();
  const sameTopic = all.filter((p) => p.domain === valid.domain && p.topic === valid.topic);
  for (const view of await describeAll(ledger, sameTopic, await ledger.pullRequestsEach(sameTopic))) {
    if (view.status === 'draft') {
      throw new AgentOsError('CONFLICT', `${valid.domain}/${valid.topic} already has an open proposal, ${view.proposal_id} (branch ${view.branch}).`, {
        hint: `Revise it with revise_standard_proposal("${view.proposal_id}", ...) (CLI: agent-os proposals revise ${view.proposal_id}), or reject it first.`,
      });
    }
    if (view.status === 'rejected' && (!rationale || normalise(rationale) === normalise(view.rationale ?? ''))) {
      throw new AgentOsError(
        'CONFLICT',
        `${valid.domain}/${valid.topic} was proposed before and rejected (${view.proposal_id}${view.rejected_reason ? `: ${view.rejected_reason}` : ''}).`,
        { hint: 'Propose it again only with a new rationale that says what changed since.' },
      );
    }
  }
  const file = ledger.fileOf(valid.domain, valid.topic);
  const previous = await ledger.fileOnBase(file);
  const now = (deps.now ?? (() => new Date()))();
  const id = newProposalId(now, (deps.randomHex ?? (() => randomBytes(3).toString('hex')))());
  const text = renderStandardFile(valid.content, {
    domain: valid.domain,
    topic: valid.topic,
    proposalId: id,
    proposedBy: by,
    createdAt: now.toISOString(),
    previous,
    ...(tags ? { tags } : {}),
    ...(appliesTo ? { appliesTo } : {}),
  });
  let branch = `${deps.settings.branchPrefix}${valid.domain}/${valid.topic}`;
  // A rejected proposal may have left its branch behind: the new one gets its own.
  if (all.some((p) => p.remoteTip !== null && p.branch === branch) || (await ledger.branchExists(branch))) branch = `${branch}-${id.slice(-6)}`;
  const record: ProposalRecord = { id, action: 'propose', domain: valid.domain, topic: valid.topic, by, jobId: input.job_id ?? null, text: rationale ?? '', branch };
  const { commit } = await deps.git.commitFile({ branch, base: ledger.base, path: file, content: text, message: proposalMessage(record, valid.title), expectTip: null });
  await deps.git.setRef(`${PROPOSAL_REFS}${id}`, commit, null);
  deps.logger.info('standard proposed', { id, branch, commit });
  return publish(ledger, { id, branch, file, commit, update: previous !== null, title: valid.title, record, push: input.push, prNumber: null });
}
