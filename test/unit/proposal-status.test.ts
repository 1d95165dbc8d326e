import { describe, expect, it } from 'vitest';
import { decidedByPullRequest, landedAsIs, proposalStatus, type ProposalFacts, type PullRequestFacts } from '../../src/domain/proposal-status.js';

const TEXT = '# Retries\n\nRetry with backoff.\n';

/** A draft with its branch in place and nothing else known. */
function facts(over: Partial<ProposalFacts> = {}): ProposalFacts {
  return { pullRequest: null, merge: null, proposedText: TEXT, textOnBase: null, baseHeadAt: null, rejection: null, branchExists: true, ...over };
}
const openPr: PullRequestFacts = { number: 7, state: 'open', merged: false, mergedBy: null, mergedAt: null };
const mergedPr: PullRequestFacts = { number: 7, state: 'closed', merged: true, mergedBy: 'octocat', mergedAt: '2026-11-30T10:00:00Z' };
const closedPr: PullRequestFacts = { number: 7, state: 'closed', merged: false, mergedBy: null, mergedAt: null };

describe('proposalStatus', () => {
  it('is a draft while its branch exists and nothing else is known', () => {
    expect(proposalStatus(facts())).toEqual({ status: 'draft', approvedBy: null, approvedAt: null, rejectedReason: null });
    expect(proposalStatus(facts({ pullRequest: openPr }))).toEqual({ status: 'draft', approvedBy: null, approvedAt: null, rejectedReason: null });
  });

  it('is approved by a merge into the default branch, with who merged and when', () => {
    const merge = { by: 'A Person <a@example.com>', at: '2026-11-30T11:00:00Z' };
    expect(proposalStatus(facts({ merge }))).toEqual({ status: 'approved', approvedBy: 'A Person <a@example.com>', approvedAt: '2026-11-30T11:00:00Z', rejectedReason: null });
    // A fast-forward has no merge commit: nobody to name.
    expect(proposalStatus(facts({ merge: { by: null, at: null }, branchExists: false }))).toMatchObject({ status: 'approved', approvedBy: null, approvedAt: null });
  });

  it('is approved by a squash merge when the default branch holds exactly the proposed text', () => {
    expect(proposalStatus(facts({ textOnBase: TEXT, baseHeadAt: '2026-12-01T09:00:00Z', branchExists: false }))).toEqual({
      status: 'approved',
      approvedBy: null,
      approvedAt: '2026-12-01T09:00:00Z',
      rejectedReason: null,
    });
  });

  it('does not count different or empty content on the default branch as a squash merge', () => {
    expect(proposalStatus(facts({ textOnBase: `${TEXT}More.\n`, baseHeadAt: 'x' })).status).toBe('draft');
    expect(proposalStatus(facts({ proposedText: '', textOnBase: '', baseHeadAt: 'x' })).status).toBe('draft');
    expect(landedAsIs('', '')).toBe(false);
    expect(landedAsIs(TEXT, null)).toBe(false);
    expect(landedAsIs(TEXT, TEXT)).toBe(true);
  });

  it('is approved by a merged pull request, named by who merged it on GitHub', () => {
    expect(proposalStatus(facts({ pullRequest: mergedPr }))).toEqual({ status: 'approved', approvedBy: 'octocat', approvedAt: '2026-11-30T10:00:00Z', rejectedReason: null });
  });

  it('is rejected by a pull request closed without merging, with the recorded reason when there is one', () => {
    expect(proposalStatus(facts({ pullRequest: closedPr }))).toEqual({ status: 'rejected', approvedBy: null, approvedAt: null, rejectedReason: 'pull request #7 was closed without merging' });
    expect(proposalStatus(facts({ pullRequest: closedPr, rejection: { reason: 'Duplicates api/errors.' } })).rejectedReason).toBe('Duplicates api/errors.');
    expect(proposalStatus(facts({ pullRequest: closedPr, rejection: { reason: '' } })).rejectedReason).toBe('pull request #7 was closed without merging');
  });

  it('is rejected by a recorded rejection, with its reason or a plain word', () => {
    expect(proposalStatus(facts({ rejection: { reason: 'Too vague.' }, branchExists: false }))).toEqual({ status: 'rejected', approvedBy: null, approvedAt: null, rejectedReason: 'Too vague.' });
    expect(proposalStatus(facts({ rejection: { reason: '' } })).rejectedReason).toBe('rejected');
  });

  it('is rejected once its branch is deleted unmerged', () => {
    expect(proposalStatus(facts({ branchExists: false }))).toEqual({ status: 'rejected', approvedBy: null, approvedAt: null, rejectedReason: 'the branch was deleted without being merged' });
  });

  describe('precedence', () => {
    const merge = { by: 'A Person <a@example.com>', at: '2026-11-30T11:00:00Z' };
    it('a merged pull request outranks everything git says', () => {
      const s = proposalStatus(facts({ pullRequest: mergedPr, merge, textOnBase: TEXT, rejection: { reason: 'no' }, branchExists: false }));
      expect(s).toMatchObject({ status: 'approved', approvedBy: 'octocat' });
    });
    it('a closed pull request outranks a merge found in git', () => {
      expect(proposalStatus(facts({ pullRequest: closedPr, merge, textOnBase: TEXT })).status).toBe('rejected');
    });
    it('a merge in git outranks the squash check and a recorded rejection', () => {
      const s = proposalStatus(facts({ merge, textOnBase: TEXT, baseHeadAt: '2026-12-01T09:00:00Z', rejection: { reason: 'no' } }));
      expect(s).toMatchObject({ status: 'approved', approvedBy: 'A Person <a@example.com>', approvedAt: '2026-11-30T11:00:00Z' });
    });
    it('identical content on the default branch outranks a recorded rejection', () => {
      expect(proposalStatus(facts({ textOnBase: TEXT, baseHeadAt: 'd', rejection: { reason: 'no' } })).status).toBe('approved');
    });
    it('a recorded rejection outranks an existing branch', () => {
      expect(proposalStatus(facts({ rejection: { reason: 'no' }, branchExists: true })).status).toBe('rejected');
    });
  });

  it('says when a pull request has decided, so ancestry need not be read', () => {
    expect(decidedByPullRequest(null)).toBe(false);
    expect(decidedByPullRequest(openPr)).toBe(false);
    expect(decidedByPullRequest(mergedPr)).toBe(true);
    expect(decidedByPullRequest(closedPr)).toBe(true);
  });
});
