import type { ProposalStatus } from './proposal.js';

/** The parts of a pull request that settle a proposal's state. */
export interface PullRequestFacts {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  /** Login of whoever merged it (null when GitHub did not say). */
  mergedBy: string | null;
  mergedAt: string | null;
}

/**
 * What git and GitHub say about one proposal (or one import). Facts that cannot change the outcome
 * may be left unread, as null: ancestry once a pull request has decided, the base's date unless the
 * content landed as is.
 */
export interface ProposalFacts {
  /** The proposal's own pull request, when GitHub is configured and answered. */
  pullRequest: PullRequestFacts | null;
  /** The proposal's tip is contained in the default branch (local or remote-tracking). */
  merge: { by: string | null; at: string | null } | null;
  /** The proposed file at the proposal's tip ('' when it cannot be read or does not apply). */
  proposedText: string;
  /** The same file on the default branch (null when absent there). */
  textOnBase: string | null;
  /** When the default branch's head was committed: the date a squash or rebase merge is given. */
  baseHeadAt: string | null;
  /** A recorded rejection; `reason` is '' when none was given. */
  rejection: { reason: string } | null;
  /** The proposal's branch still exists, here or on the remote. */
  branchExists: boolean;
}

export interface ProposalState {
  status: ProposalStatus;
  approvedBy: string | null;
  approvedAt: string | null;
  rejectedReason: string | null;
}

/** A merged or closed pull request is GitHub's final word: nothing git says overrides it. */
export function decidedByPullRequest(pr: PullRequestFacts | null): boolean {
  return pr !== null && (pr.merged || pr.state === 'closed');
}

/** Squash and rebase merges leave no ancestry: the default branch holding exactly the proposed text counts as a merge. */
export function landedAsIs(proposedText: string, textOnBase: string | null): boolean {
  return textOnBase !== null && textOnBase === proposedText && proposedText !== '';
}

/**
 * A proposal's state, in order of authority: its pull request (merged, then closed), a merge into the
 * default branch, the proposed text found on the default branch, a recorded rejection; otherwise a
 * draft while its branch exists, and rejected once the branch is gone unmerged.
 */
export function proposalStatus(facts: ProposalFacts): ProposalState {
  const pr = facts.pullRequest;
  if (pr?.merged) return approved(pr.mergedBy, pr.mergedAt);
  if (pr && pr.state === 'closed') return rejected(facts.rejection?.reason || `pull request #${pr.number} was closed without merging`);
  if (facts.merge) return approved(facts.merge.by, facts.merge.at);
  if (landedAsIs(facts.proposedText, facts.textOnBase)) return approved(null, facts.baseHeadAt);
  if (facts.rejection) return rejected(facts.rejection.reason || 'rejected');
  if (facts.branchExists) return { status: 'draft', approvedBy: null, approvedAt: null, rejectedReason: null };
  return rejected('the branch was deleted without being merged');
}

function approved(by: string | null, at: string | null): ProposalState {
  return { status: 'approved', approvedBy: by, approvedAt: at, rejectedReason: null };
}

function rejected(reason: string): ProposalState {
  return { status: 'rejected', approvedBy: null, approvedAt: null, rejectedReason: reason };
}
