import { AgentOsError } from '../../domain/errors.js';
import { isImportMessage } from '../../domain/import-record.js';
import { parseProposalMessage, type ProposalRecord } from '../../domain/proposal.js';
import { decidedByPullRequest, landedAsIs, type ProposalFacts } from '../../domain/proposal-status.js';
import type { PullRequestInfo } from '../../ports/github.js';
import type { CommitInfo, ProposalGit } from '../../ports/proposal-git.js';
import type { ProposalDeps } from './types.js';

/*
 * The ledger: the one place the proposal use cases read git and GitHub. It finds proposals from their
 * records and branches, their pull requests, file contents and merges, batched so that many proposals
 * cost a few processes and requests rather than a few each. What the facts mean is decided in
 * `domain/proposal-status.ts`; writes stay with the use cases.
 */

/** Where each proposal's record (its latest step or rejection marker) is kept. */
export const PROPOSAL_REFS = 'refs/agent-os/proposals/';
const MAX_LOG = 200;

export interface ProposalStep {
  commit: CommitInfo;
  record: ProposalRecord;
}

/** A proposal as its refs and commit trailers show it. */
export interface FoundProposal {
  id: string;
  domain: string;
  topic: string;
  /** Oldest first: the propose commit, then revisions. */
  steps: ProposalStep[];
  reject: ProposalStep | null;
  branch: string | null;
  localTip: string | null;
  remoteTip: string | null;
  /** The latest content commit: a branch tip, else the last recorded step. */
  tip: string;
  /** Where its record ref points (null when it has none here). */
  recorded: string | null;
}

/** A proposal with everything read about it. */
export interface ProposalEntry {
  found: FoundProposal;
  pr: PullRequestInfo | null;
  /** Repository-relative path of its standard. */
  file: string;
  /** The file at the proposal's tip ('' when it cannot be read). */
  text: string;
  /** The file where the proposal started (null: a new standard). */
  atStart: string | null;
  /** The file on the default branch (null: not there). */
  onBase: string | null;
  facts: ProposalFacts;
}

export class ProposalLedger {
  private constructor(
    readonly deps: ProposalDeps,
    /** The default branch as git names it here (`main`, or `origin/main` when there is no local one). */
    readonly base: string,
    /** The default branch's own name (`main`). */
    readonly baseName: string,
    /** Repository-relative path of the standards directory, without a trailing slash. */
    readonly standardsPath: string,
  ) {}

  static async open(deps: ProposalDeps): Promise<ProposalLedger> {
    const base = await deps.git.defaultBranch();
    const standardsPath = await deps.git.repoPath(deps.standardsDir);
    const prefix = `${deps.settings.remote}/`;
    const baseName = base.startsWith(prefix) && !(await deps.git.branchExists(base)) ? base.slice(prefix.length) : base;
    return new ProposalLedger(deps, base, baseName, standardsPath.replace(/\/+$/, ''));
  }

  fileOf(domain: string, topic: string): string {
    return `${this.standardsPath}/${domain}/${topic}.md`;
  }

  /** Proposals found from their records and from proposal branches (local and remote-tracking). */
  async all(): Promise<FoundProposal[]> {
    const { git, settings } = this.deps;
    const localPrefix = `refs/heads/${settings.branchPrefix}`;
    const remotePrefix = `refs/remotes/${settings.remote}/${settings.branchPrefix}`;
    const refs = await git.listRefs([PROPOSAL_REFS, localPrefix, remotePrefix]);
    const byId = new Map<string, FoundProposal>();
    // A branch and its record usually point at the same commit: read each history once.
    const chains = new Map<string, ReturnType<typeof proposalChain>>();
    const chainOf = (head: CommitInfo, id: string | null) => {
      const key = `${head.sha}:${id ?? ''}`;
      if (!chains.has(key)) chains.set(key, proposalChain(git, head, id));
      return chains.get(key)!;
    };
    const expected = (ref: string): string | null => (ref.startsWith(PROPOSAL_REFS) ? ref.slice(PROPOSAL_REFS.length) : null);
    // Start every read at once (git runs them in parallel processes), then fold them in ref order.
    for (const { ref, head } of refs) void chainOf(head, expected(ref)).catch(() => null);
    const stepsAt = new Map<string, number>();
    for (const { ref, commit, head } of refs) {
      const chain = await chainOf(head, expected(ref));
      if (!chain) continue;
      stepsAt.set(commit, chain.steps.length);
      const f = byId.get(chain.id) ?? { id: chain.id, domain: chain.steps[0]!.record.domain, topic: chain.steps[0]!.record.topic, steps: [], reject: null, branch: null, localTip: null, remoteTip: null, tip: '', recorded: null };
      byId.set(chain.id, f);
      if (chain.steps.length > f.steps.length) f.steps = chain.steps;
      if (ref.startsWith(PROPOSAL_REFS)) {
        f.recorded = commit;
        f.reject = chain.reject;
      } else if (ref.startsWith(localPrefix)) {
        f.branch = ref.slice('refs/heads/'.length);
        f.localTip = commit;
      } else {
        f.branch ??= ref.slice(`refs/remotes/${settings.remote}/`.length);
        f.remoteTip = commit;
      }
    }
    for (const f of byId.values()) {
      // A remote branch with more proposal steps than the local one was revised elsewhere: it is the newer.
      const remoteAhead = f.remoteTip !== null && (stepsAt.get(f.remoteTip) ?? 0) > (f.localTip ? (stepsAt.get(f.localTip) ?? 0) : -1);
      f.tip = (remoteAhead ? f.remoteTip : f.localTip ?? f.remoteTip) ?? f.steps[f.steps.length - 1]!.commit.sha;
      // Recorded only (branch deleted): the branch its first commit went to.
      f.branch ??= f.steps[0]!.record.branch ?? `${settings.branchPrefix}${f.domain}/${f.topic}`;
    }
    return [...byId.values()];
  }

  async find(id: string): Promise<FoundProposal> {
    const found = (await this.all()).find((f) => f.id === id);
    if (!found) {
      throw new AgentOsError('NOT_FOUND', `No standard proposal ${id} in this repository.`, {
        hint: 'List them with list_standard_proposals (CLI: agent-os proposals list); a proposal made in another clone appears here once its branch is fetched.',
      });
    }
    return found;
  }

  /** The proposal's PR, looked up by branch; GitHub unreachable: null, so the state comes from git alone. */
  pullRequest(f: FoundProposal): Promise<PullRequestInfo | null> {
    return this.pullRequestOf(f).catch(() => null);
  }

  /** Each proposal's PR with one lookup by branch (errors: null, as `pullRequest`). */
  pullRequestsEach(found: readonly FoundProposal[]): Promise<Array<PullRequestInfo | null>> {
    return mapLimit(found, 4, (f) => this.pullRequest(f));
  }

  /**
   * The PRs of many proposals with one listing (plus one read per merged PR, for who merged it), rather
   * than two requests per proposal. GitHub's failures are thrown, for the caller to report.
   */
  async pullRequestsListed(found: readonly FoundProposal[]): Promise<Array<PullRequestInfo | null>> {
    const { github } = this.deps;
    if (!github || found.length === 0) return found.map(() => null);
    const newest = new Map<string, PullRequestInfo>();
    for (const pr of await github.listByHeadPrefix(this.deps.settings.branchPrefix)) {
      const seen = newest.get(pr.headRef);
      if (!seen || pr.number > seen.number) newest.set(pr.headRef, pr);
    }
    return mapLimit(found, 4, async (f) => {
      const pr = f.branch ? newest.get(f.branch) : undefined;
      if (!pr || !belongsTo(pr, f)) return null;
      return pr.merged && pr.mergedBy === null ? github.get(pr.number) : pr;
    });
  }

  /**
   * Everything the views need, for many proposals at once: file contents in one batch read, merge state
   * from one listing per target; only merged proposals cost more (finding who merged them).
   */
  async read(found: readonly FoundProposal[], prs: ReadonlyArray<PullRequestInfo | null>): Promise<ProposalEntry[]> {
    if (found.length === 0) return [];
    const { git, settings } = this.deps;
    const reads = await git.readFilesAt(
      found.flatMap((f) => {
        const file = this.fileOf(f.domain, f.topic);
        return [
          { ref: f.tip, path: file },
          { ref: firstParent(f) ?? '', path: file },
          { ref: this.base, path: file },
        ];
      }),
    );
    const prefixes = [PROPOSAL_REFS, `refs/heads/${settings.branchPrefix}`, `refs/remotes/${settings.remote}/${settings.branchPrefix}`];
    const targets = [...new Set([this.base, `${settings.remote}/${this.baseName}`])];
    const mergedInto = await Promise.all(targets.map(async (target) => new Set((await git.listRefs(prefixes, { mergedInto: target })).map((r) => r.commit))));
    let baseHead: Promise<string | null> | null = null;
    const baseHeadAt = (): Promise<string | null> => (baseHead ??= git.log(this.base, 1).then(([head]) => head?.committerDate ?? null));
    return mapLimit(found, 4, async (f, i) => {
      const pr = prs[i] ?? null;
      const text = reads[3 * i] ?? '';
      const onBase = reads[3 * i + 2] ?? null;
      let merge: ProposalFacts['merge'] = null;
      if (!decidedByPullRequest(pr)) {
        for (const [t, target] of targets.entries()) {
          if (!mergedInto[t]!.has(f.tip)) continue;
          const merged = await git.isMergedInto(f.tip, target);
          if (!merged.merged) continue;
          const by = merged.mergeCommit ? (await git.log(merged.mergeCommit, 1))[0] : undefined;
          merge = { by: merged.mergedBy ?? null, at: by?.committerDate ?? null };
          break;
        }
      }
      const squashed = !decidedByPullRequest(pr) && !merge && landedAsIs(text, onBase);
      return {
        found: f,
        pr,
        file: this.fileOf(f.domain, f.topic),
        text,
        atStart: reads[3 * i + 1] ?? null,
        onBase,
        facts: {
          pullRequest: pr,
          merge,
          proposedText: text,
          textOnBase: onBase,
          baseHeadAt: squashed ? await baseHeadAt() : null,
          rejection: f.reject ? { reason: f.reject.record.text } : null,
          branchExists: f.localTip !== null || f.remoteTip !== null,
        },
      };
    });
  }

  async readOne(f: FoundProposal, pr: PullRequestInfo | null): Promise<ProposalEntry> {
    return (await this.read([f], [pr]))[0]!;
  }

  /** A file on the default branch (null when absent). */
  fileOnBase(file: string): Promise<string | null> {
    return this.deps.git.readFileAt(this.base, file);
  }

  branchExists(branch: string): Promise<boolean> {
    return this.deps.git.branchExists(branch);
  }

  /** Whether `commit` is contained in `target`. */
  async contains(target: string, commit: string): Promise<boolean> {
    return (await this.deps.git.isMergedInto(commit, target)).merged;
  }

  /** What the proposal changes in its file since the commit it started from ('' for a root commit). */
  async diff(f: FoundProposal, file: string): Promise<string> {
    const start = firstParent(f);
    return start ? this.deps.git.diff(start, f.tip, file) : '';
  }

  private async pullRequestOf(f: FoundProposal): Promise<PullRequestInfo | null> {
    if (!this.deps.github || !f.branch) return null;
    const pr = await this.deps.github.findByBranch(f.branch);
    return pr && belongsTo(pr, f) ? pr : null;
  }
}

/** The commit a proposal's first step was made on (null for a root commit). */
export function firstParent(f: FoundProposal): string | null {
  return f.steps[0]?.commit.parents[0] ?? null;
}

/** The proposal steps ending at `tip` (newest commits without a record, e.g. a person's fix-up, are skipped). */
async function proposalChain(
  git: ProposalGit,
  tip: CommitInfo,
  expectId: string | null,
): Promise<{ id: string; steps: ProposalStep[]; reject: ProposalStep | null } | null> {
  // The common case, a proposal never revised: its tip is the whole chain.
  const own = parseProposalMessage(tip.message);
  if (own?.action === 'propose' && (!expectId || own.id === expectId)) return { id: own.id, steps: [{ commit: tip, record: own }], reject: null };
  const log = await git.log(tip.sha, MAX_LOG);
  let id: string | null = expectId;
  let reject: ProposalStep | null = null;
  const steps: ProposalStep[] = [];
  for (const commit of log) {
    const record = parseProposalMessage(commit.message);
    if (!record) {
      // An import branch shares the branch prefix: the history below its commit belongs to no proposal.
      if (steps.length || reject || isImportMessage(commit.message)) break;
      continue;
    }
    if (id && record.id !== id) {
      if (steps.length || reject) break;
      continue;
    }
    id = record.id;
    if (record.action === 'reject') {
      if (!steps.length && !reject) reject = { commit, record };
      continue;
    }
    steps.unshift({ commit, record });
    if (record.action === 'propose') break;
  }
  if (!id || steps.length === 0 || steps[0]!.record.action !== 'propose') return null;
  return { id, steps, reject };
}

/** A PR on the proposal's branch name that was closed unmerged before this proposal reused the name is not its PR. */
function belongsTo(pr: PullRequestInfo, f: FoundProposal): boolean {
  return !(pr.state === 'closed' && !pr.merged && !f.steps.some((s) => s.commit.sha === pr.headSha) && pr.headSha !== f.tip);
}

/** `fn` over `items`, at most `limit` at a time, results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
