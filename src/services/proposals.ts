import { randomBytes } from 'node:crypto';

import { AgentOsError, isAgentOsError, messageOf } from '../domain/errors.js';
import {
  isProposalId,
  newProposalId,
  parseProposalMessage,
  proposalMessage,
  renderStandardFile,
  standardFrontMatterLists,
  type ProposalRecord,
  type ProposalStatus,
} from '../domain/proposal.js';
import { stripFrontMatter } from '../domain/front-matter.js';
import { isImportMessage } from '../domain/import-record.js';
import { SECRETS_HINT, secretProblems, validateProposal } from '../domain/proposal-validation.js';
import type { SecretFinding } from '../domain/secrets.js';
import type { PullRequestInfo, PullRequests } from '../ports/github.js';
import type { Logger } from '../ports/logger.js';
import type { CommitInfo, ProposalGit } from '../ports/proposal-git.js';
import type { SecretScanner } from '../ports/secret-scanner.js';

/** How proposals reach git and GitHub (config `proposals`). */
export interface ProposalSettings {
  /** Branch names are `<prefix><domain>/<topic>`. */
  branchPrefix: string;
  remote: string;
  /** auto: push when a pull request can be opened; always: push whenever there is a remote; never. */
  push: 'auto' | 'always' | 'never';
  label: string;
}

export interface ProposalDeps {
  git: ProposalGit;
  /** null when there is no GitHub remote or token; `githubMissing` then says why. */
  github: PullRequests | null;
  githubMissing?: string | null;
  /** Refuses content, rationale and feedback that hold credentials: they land in commits and PRs. */
  secrets: SecretScanner;
  /** Absolute path of the standards directory (inside the git work tree). */
  standardsDir: string;
  settings: ProposalSettings;
  logger: Logger;
  now?: () => Date;
  randomHex?: () => string;
}

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

/** The spec's StandardProposal, with where it lives in git and on GitHub. */
export interface ProposalView {
  proposal_id: string;
  status: ProposalStatus;
  domain: string;
  topic: string;
  title: string;
  /** Repository-relative path of the standard, e.g. `.agent-os/standards/api/errors.md`. */
  file: string;
  branch: string;
  /** The proposal's latest commit. */
  commit: string;
  /** The branch it is proposed into (the default branch). */
  base: string;
  /** True when it changes a standard that already exists on the base. */
  update: boolean;
  proposed_by: string | null;
  rationale: string | null;
  /** The latest feedback a revision answered, if any. */
  feedback: string | null;
  revisions: { commit: string; at: string; by: string | null; feedback: string | null }[];
  job_id: string | null;
  created_at: string;
  updated_at: string;
  approved_by: string | null;
  approved_at: string | null;
  rejected_reason: string | null;
  /** The branch exists on the remote. */
  pushed: boolean;
  pr_url: string | null;
  pr_number: number | null;
}

/** The result of a propose or revise call. */
export interface ProposeResult {
  proposal_id: string;
  status: ProposalStatus;
  branch: string;
  file: string;
  commit: string;
  pr_url?: string;
  pushed: boolean;
  /** Set when a push was wanted and failed: the proposal is kept locally. */
  push_error?: string;
  update: boolean;
  /** Problems that did not stop the proposal (a failed push, a PR that could not be opened). */
  warnings: string[];
  /** What a person does next. */
  next_steps: string[];
}

const PROPOSAL_REFS = 'refs/agent-os/proposals/';
const MAX_LOG = 200;
const MAX_TEXT = 10_000;

interface Found {
  id: string;
  domain: string;
  topic: string;
  /** Oldest first: the propose commit, then revisions. */
  steps: { commit: CommitInfo; record: ProposalRecord }[];
  reject: { commit: CommitInfo; record: ProposalRecord } | null;
  branch: string | null;
  localTip: string | null;
  remoteTip: string | null;
  /** The latest content commit: a branch tip, else the last recorded step. */
  tip: string;
  recorded: string | null;
}

/** Everything a proposal call needs resolved once. */
interface Context {
  deps: ProposalDeps;
  standardsPath: string;
  base: string;
  baseName: string;
}

// ─── Use cases ──────────────────────────────────────────────────────────────

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
  const ctx = await context(deps);
  const all = await gather(ctx);
  const sameTopic = all.filter((p) => p.domain === valid.domain && p.topic === valid.topic);
  const sameTopicPrs = await mapLimit(sameTopic, 4, (f) => pullRequestOf(ctx, f).catch(() => null));
  for (const view of await describeAll(ctx, sameTopic, sameTopicPrs)) {
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
  const file = `${ctx.standardsPath}/${valid.domain}/${valid.topic}.md`;
  const previous = await deps.git.readFileAt(ctx.base, file);
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
  if (all.some((p) => p.remoteTip !== null && p.branch === branch) || (await deps.git.branchExists(branch))) branch = `${branch}-${id.slice(-6)}`;
  const record: ProposalRecord = { id, action: 'propose', domain: valid.domain, topic: valid.topic, by, jobId: input.job_id ?? null, text: rationale ?? '', branch };
  const { commit } = await deps.git.commitFile({ branch, base: ctx.base, path: file, content: text, message: proposalMessage(record, valid.title), expectTip: null });
  await deps.git.setRef(`${PROPOSAL_REFS}${id}`, commit, null);
  deps.logger.info('standard proposed', { id, branch, commit });
  return publish(ctx, { id, branch, file, commit, update: previous !== null, title: valid.title, record, push: input.push, prNumber: null });
}

/** A new commit on the proposal's branch answering feedback; the PR (if any) is updated and told. */
export async function reviseStandardProposal(deps: ProposalDeps, input: ReviseInput): Promise<ProposeResult> {
  const id = checkId(input.proposal_id);
  const ctx = await context(deps);
  const found = await findOne(ctx, id);
  // GitHub unreachable: the state comes from git alone, and the revision is still committed.
  const view = await describe(ctx, found, await pullRequestOf(ctx, found).catch(() => null));
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
  const current = (await deps.git.readFileAt(found.tip, view.file)) ?? '';
  const kept = standardFrontMatterLists(current);
  const text = renderStandardFile(valid.content, {
    domain: found.domain,
    topic: found.topic,
    proposalId: id,
    proposedBy: view.proposed_by,
    createdAt: view.created_at,
    previous: await deps.git.readFileAt(firstParent(found) ?? ctx.base, view.file),
    tags: tags ?? kept.tags,
    appliesTo: appliesTo ?? kept.appliesTo,
  });
  const record: ProposalRecord = { id, action: 'revise', domain: found.domain, topic: found.topic, by: by ?? view.proposed_by, jobId: input.job_id ?? null, text: feedback ?? '' };
  const branch = view.branch;
  // Revised elsewhere and fetched: build on the remote's version; diverged histories are for a person to settle.
  let parent: string | undefined;
  if (found.localTip && found.remoteTip && found.localTip !== found.remoteTip) {
    if ((await deps.git.isMergedInto(found.localTip, found.remoteTip)).merged) parent = found.remoteTip;
    else if (!(await deps.git.isMergedInto(found.remoteTip, found.localTip)).merged) {
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
  return publish(ctx, {
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
  const ctx = await context(deps);
  const warnings: string[] = [];
  if (input.fetch) {
    try {
      await deps.git.fetch(deps.settings.remote);
    } catch (e) {
      warnings.push(`Could not fetch ${deps.settings.remote}: ${messageOf(e)}`);
    }
  }
  const found = await gather(ctx);
  let prs: Array<PullRequestInfo | null> = found.map(() => null);
  try {
    prs = await pullRequestsOf(ctx, found);
  } catch (e) {
    warnings.push(`GitHub: ${messageOf(e)} (states from git alone)`);
  }
  const views = await describeAll(ctx, found, prs);
  views.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.proposal_id.localeCompare(a.proposal_id));
  const proposals = input.status ? views.filter((v) => v.status === input.status) : views;
  return { proposals, total_count: views.length, warnings: [...new Set(warnings)] };
}

export interface ProposalDetail extends ProposalView {
  /** The proposed file as it stands on the branch. */
  content: string;
  /** What the proposal changes, as a unified diff against where it started. */
  diff: string;
}

export async function showStandardProposal(deps: ProposalDeps, proposalId: string): Promise<ProposalDetail> {
  const ctx = await context(deps);
  const found = await findOne(ctx, checkId(proposalId));
  const view = await describe(ctx, found, await pullRequestOf(ctx, found).catch(() => null));
  const content = (await deps.git.readFileAt(found.tip, view.file)) ?? '';
  const start = firstParent(found);
  const diff = start ? await deps.git.diff(start, found.tip, view.file) : '';
  return { ...view, content, diff };
}

/** Merges a draft proposal into the default branch with a merge commit (`--no-ff`): approval without GitHub. */
export async function approveStandardProposal(deps: ProposalDeps, proposalId: string): Promise<ProposalView> {
  const id = checkId(proposalId);
  const ctx = await context(deps);
  const found = await findOne(ctx, id);
  const view = await describe(ctx, found, await pullRequestOf(ctx, found).catch(() => null));
  if (view.status !== 'draft') throw new AgentOsError('CONFLICT', `Proposal ${id} is already ${view.status}.`);
  if (ctx.base !== ctx.baseName) {
    throw new AgentOsError('CONFLICT', `The default branch ${ctx.baseName} exists only as ${ctx.base} here; nothing was merged.`, {
      hint: `Create it locally (\`git branch ${ctx.baseName} ${ctx.base}\`), or merge the pull request on GitHub.`,
    });
  }
  if (!found.localTip) {
    throw new AgentOsError('CONFLICT', `The branch ${view.branch} exists only on ${deps.settings.remote}; nothing was merged.`, {
      hint: `Run \`git branch ${view.branch} ${deps.settings.remote}/${view.branch}\` first, or merge the pull request on GitHub.`,
    });
  }
  const message = `Approve standard ${view.domain}/${view.topic} (${id})\n\nMerge branch '${view.branch}': ${view.title}\n\nAgent-OS-Proposal: ${id}\n`;
  await deps.git.mergeNoFf(view.branch, ctx.base, message);
  deps.logger.info('standard proposal approved', { id, branch: view.branch });
  return describe(ctx, await findOne(ctx, id), null);
}

/** Rejects a draft: records why, closes its PR, deletes its branches (the record keeps the history). */
export async function rejectStandardProposal(deps: ProposalDeps, proposalId: string, input: { reason?: string | null } = {}): Promise<ProposalView & { warnings: string[] }> {
  const id = checkId(proposalId);
  const reason = await checkText(deps, 'reason', input.reason);
  const ctx = await context(deps);
  const found = await findOne(ctx, id);
  const pr = await pullRequestOf(ctx, found).catch(() => null);
  const view = await describe(ctx, found, pr);
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
  return { ...(await describe(ctx, await findOne(ctx, id), null)), warnings };
}

// ─── Publishing ─────────────────────────────────────────────────────────────

interface Publish {
  id: string;
  branch: string;
  file: string;
  commit: string;
  update: boolean;
  title: string;
  record: ProposalRecord;
  push: boolean | undefined;
  prNumber: number | null;
}

async function publish(ctx: Context, p: Publish): Promise<ProposeResult> {
  const { deps } = ctx;
  const { settings, github } = deps;
  const warnings: string[] = [];
  const next: string[] = [];
  const result: ProposeResult = { proposal_id: p.id, status: 'draft', branch: p.branch, file: p.file, commit: p.commit, pushed: false, update: p.update, warnings, next_steps: next };
  const remoteUrl = await deps.git.remoteUrl(settings.remote).catch(() => null);
  const wantPush = p.push ?? (settings.push === 'always' || (settings.push === 'auto' && github !== null));
  if (wantPush && !remoteUrl) warnings.push(`There is no remote named ${settings.remote}; the proposal stays local.`);
  if (wantPush && remoteUrl) {
    try {
      await deps.git.push(settings.remote, p.branch);
      result.pushed = true;
    } catch (e) {
      result.push_error = isAgentOsError(e) ? e.message : messageOf(e);
      warnings.push(`Push failed; the proposal is kept on the local branch ${p.branch}. ${result.push_error}`);
    }
  }
  if (result.pushed && github) {
    try {
      const body = pullRequestBody(p, ctx.standardsPath);
      if (p.prNumber === null) {
        const pr = await github.openDraft({ head: p.branch, base: ctx.baseName, title: `Standard ${p.record.domain}/${p.record.topic}: ${p.title}`.slice(0, 250), body, labels: [settings.label] });
        result.pr_url = pr.url;
        if (pr.note) warnings.push(pr.note);
      } else {
        const pr = await github.get(p.prNumber);
        await github.update(p.prNumber, { body: `${pr.body.trimEnd()}\n\n${revisionNote(p)}` });
        await github.comment(p.prNumber, revisionNote(p));
        result.pr_url = pr.url;
      }
    } catch (e) {
      warnings.push(`The branch is pushed but the pull request could not be ${p.prNumber === null ? 'opened' : 'updated'}: ${isAgentOsError(e) ? e.describe() : messageOf(e)}`);
    }
  }
  if (!result.pushed) {
    next.push(
      remoteUrl
        ? `Share it: git push ${settings.remote} ${p.branch}${github ? '' : `, then open a pull request${deps.githubMissing ? ` (no draft PR was opened: ${deps.githubMissing})` : ''}`}.`
        : `Review it with \`agent-os proposals show ${p.id}\`.`,
    );
  } else if (!result.pr_url) {
    next.push(`Open a pull request from ${p.branch} into ${ctx.baseName}${deps.githubMissing ? ` (no draft PR was opened: ${deps.githubMissing})` : ''}.`);
  }
  next.push(`Approve by merging ${p.branch} into ${ctx.baseName} (or \`agent-os proposals approve ${p.id}\`); reject with \`agent-os proposals reject ${p.id}\`.`);
  return result;
}

function pullRequestBody(p: Publish, standardsPath: string): string {
  const r = p.record;
  const lines = [
    `A proposed ${p.update ? 'update to the' : 'new'} project standard \`${r.domain}/${r.topic}\`: **${p.title}**.`,
    '',
    `- File: \`${p.file}\``,
    `- Proposal: \`${p.id}\``,
    ...(r.by ? [`- Proposed by: ${r.by}`] : []),
    ...(r.jobId ? [`- Persona job: \`${r.jobId}\``] : []),
    '',
    '### Rationale',
    r.text || '_None given._',
    '',
    `Merging this pull request approves the standard; it becomes searchable (\`${standardsPath}\`) once the merge is pulled. Closing it unmerged rejects it.`,
  ];
  return lines.join('\n');
}

function revisionNote(p: Publish): string {
  return `**Revised** in ${p.commit.slice(0, 12)}${p.record.by ? ` by ${p.record.by}` : ''}.${p.record.text ? `\n\n> ${p.record.text.split('\n').join('\n> ')}` : ''}`;
}

// ─── State ──────────────────────────────────────────────────────────────────

async function context(deps: ProposalDeps): Promise<Context> {
  const base = await deps.git.defaultBranch();
  const standardsPath = await deps.git.repoPath(deps.standardsDir);
  const prefix = `${deps.settings.remote}/`;
  const baseName = base.startsWith(prefix) && !(await deps.git.branchExists(base)) ? base.slice(prefix.length) : base;
  return { deps, standardsPath: standardsPath.replace(/\/+$/, ''), base, baseName };
}

/** Proposals found from their records and from proposal branches (local and remote-tracking). */
async function gather(ctx: Context): Promise<Found[]> {
  const { git, settings } = ctx.deps;
  const localPrefix = `refs/heads/${settings.branchPrefix}`;
  const remotePrefix = `refs/remotes/${settings.remote}/${settings.branchPrefix}`;
  const refs = await git.listRefs([PROPOSAL_REFS, localPrefix, remotePrefix]);
  const byId = new Map<string, Found>();
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

/** The proposal steps ending at `tip` (newest commits without a record, e.g. a person's fix-up, are skipped). */
async function proposalChain(
  git: ProposalGit,
  tip: CommitInfo,
  expectId: string | null,
): Promise<{ id: string; steps: Found['steps']; reject: Found['reject'] } | null> {
  // The common case, a proposal never revised: its tip is the whole chain.
  const own = parseProposalMessage(tip.message);
  if (own?.action === 'propose' && (!expectId || own.id === expectId)) return { id: own.id, steps: [{ commit: tip, record: own }], reject: null };
  const log = await git.log(tip.sha, MAX_LOG);
  let id: string | null = expectId;
  let reject: Found['reject'] = null;
  const steps: Found['steps'] = [];
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

async function findOne(ctx: Context, id: string): Promise<Found> {
  const found = (await gather(ctx)).find((f) => f.id === id);
  if (!found) {
    throw new AgentOsError('NOT_FOUND', `No standard proposal ${id} in this repository.`, {
      hint: 'List them with list_standard_proposals (CLI: agent-os proposals list); a proposal made in another clone appears here once its branch is fetched.',
    });
  }
  return found;
}

async function pullRequestOf(ctx: Context, f: Found): Promise<PullRequestInfo | null> {
  if (!ctx.deps.github || !f.branch) return null;
  const pr = await ctx.deps.github.findByBranch(f.branch);
  return pr && belongsTo(pr, f) ? pr : null;
}

/**
 * The PRs of many proposals with one listing (plus one read per merged PR, for who merged it), rather
 * than two requests per proposal.
 */
async function pullRequestsOf(ctx: Context, found: readonly Found[]): Promise<Array<PullRequestInfo | null>> {
  const { github } = ctx.deps;
  if (!github || found.length === 0) return found.map(() => null);
  const newest = new Map<string, PullRequestInfo>();
  for (const pr of await github.listByHeadPrefix(ctx.deps.settings.branchPrefix)) {
    const seen = newest.get(pr.headRef);
    if (!seen || pr.number > seen.number) newest.set(pr.headRef, pr);
  }
  return mapLimit(found, 4, async (f) => {
    const pr = f.branch ? newest.get(f.branch) : undefined;
    if (!pr || !belongsTo(pr, f)) return null;
    return pr.merged && pr.mergedBy === null ? github.get(pr.number) : pr;
  });
}

/** A PR on the proposal's branch name that was closed unmerged before this proposal reused the name is not its PR. */
function belongsTo(pr: PullRequestInfo, f: Found): boolean {
  return !(pr.state === 'closed' && !pr.merged && !f.steps.some((s) => s.commit.sha === pr.headSha) && pr.headSha !== f.tip);
}

function firstParent(f: Found): string | null {
  return f.steps[0]?.commit.parents[0] ?? null;
}

async function describe(ctx: Context, f: Found, pr: PullRequestInfo | null): Promise<ProposalView> {
  return (await describeAll(ctx, [f], [pr]))[0]!;
}

/**
 * Views with their state, for many proposals at once: file contents in one batch read, merge state from
 * one listing per target; only merged proposals cost more (finding who merged them).
 */
async function describeAll(ctx: Context, found: readonly Found[], prs: ReadonlyArray<PullRequestInfo | null>): Promise<ProposalView[]> {
  const { git, settings } = ctx.deps;
  const fileOf = (f: Found): string => `${ctx.standardsPath}/${f.domain}/${f.topic}.md`;
  const reads = await git.readFilesAt(
    found.flatMap((f) => [
      { ref: f.tip, path: fileOf(f) },
      { ref: firstParent(f) ?? '', path: fileOf(f) },
      { ref: ctx.base, path: fileOf(f) },
    ]),
  );
  const prefixes = [PROPOSAL_REFS, `refs/heads/${settings.branchPrefix}`, `refs/remotes/${settings.remote}/${settings.branchPrefix}`];
  const targets = [...new Set([ctx.base, `${settings.remote}/${ctx.baseName}`])];
  const mergedInto = await Promise.all(targets.map(async (target) => new Set((await git.listRefs(prefixes, { mergedInto: target })).map((r) => r.commit))));
  return mapLimit(found, 4, async (f, i) => {
    const pr = prs[i] ?? null;
    const text = reads[3 * i] ?? '';
    const atStart = reads[3 * i + 1] ?? null;
    const onBase = reads[3 * i + 2] ?? null;
    const first = f.steps[0]!;
    const last = f.steps[f.steps.length - 1]!;
    const revisions = f.steps.slice(1).map((s) => ({ commit: s.commit.sha, at: s.commit.authorDate, by: s.record.by, feedback: s.record.text || null }));
    const view: ProposalView = {
      proposal_id: f.id,
      status: 'draft',
      domain: f.domain,
      topic: f.topic,
      title: titleOf(text) ?? f.topic,
      file: fileOf(f),
      branch: f.branch ?? '',
      commit: f.tip,
      base: ctx.baseName,
      update: atStart !== null,
      proposed_by: first.record.by,
      rationale: first.record.text || null,
      feedback: [...revisions].reverse().find((r) => r.feedback)?.feedback ?? null,
      revisions,
      job_id: first.record.jobId,
      created_at: first.commit.authorDate,
      updated_at: last.commit.authorDate,
      approved_by: null,
      approved_at: null,
      rejected_reason: null,
      pushed: f.remoteTip !== null,
      pr_url: pr?.url ?? null,
      pr_number: pr?.number ?? null,
    };
    if (pr?.merged) return { ...view, status: 'approved', approved_by: pr.mergedBy, approved_at: pr.mergedAt };
    if (pr && pr.state === 'closed') return { ...view, status: 'rejected', rejected_reason: f.reject?.record.text || `pull request #${pr.number} was closed without merging` };
    for (const [t, target] of targets.entries()) {
      if (!mergedInto[t]!.has(f.tip)) continue;
      const merged = await git.isMergedInto(f.tip, target);
      if (!merged.merged) continue;
      const by = merged.mergeCommit ? (await git.log(merged.mergeCommit, 1))[0] : undefined;
      return { ...view, status: 'approved', approved_by: merged.mergedBy ?? null, approved_at: by?.committerDate ?? null };
    }
    // Squash or rebase merges leave no ancestry: the base holding exactly the proposed text counts.
    if (onBase !== null && onBase === text && text !== '') {
      const [head] = await git.log(ctx.base, 1);
      return { ...view, status: 'approved', approved_by: null, approved_at: head?.committerDate ?? null };
    }
    if (f.reject) return { ...view, status: 'rejected', rejected_reason: f.reject.record.text || 'rejected' };
    if (f.localTip || f.remoteTip) return view;
    return { ...view, status: 'rejected', rejected_reason: 'the branch was deleted without being merged' };
  });
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

// ─── Input checks ───────────────────────────────────────────────────────────

function titleOf(text: string): string | null {
  const m = /^#\s+(.+?)\s*#*\s*$/m.exec(stripFrontMatter(text));
  return m?.[1]?.trim() || null;
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function checkId(id: string): string {
  const v = typeof id === 'string' ? id.trim() : '';
  if (!isProposalId(v)) {
    throw new AgentOsError('BAD_INPUT', `Invalid proposal id ${JSON.stringify(id)}: ids look like sp-20261130-a1b2c3.`, {
      hint: 'List proposals with list_standard_proposals (CLI: agent-os proposals list).',
    });
  }
  return v;
}

function scanContent(deps: ProposalDeps, content: unknown): Promise<SecretFinding[]> {
  return typeof content === 'string' && content.trim() ? deps.secrets.scan(content) : Promise.resolve([]);
}

/** Free text (rationale, feedback, reason): bounded, and free of secrets since it lands in commits and PRs. */
async function checkText(deps: ProposalDeps, what: string, value: string | null | undefined): Promise<string | null> {
  if (value === undefined || value === null) return null;
  const text = String(value).replace(/\r\n/g, '\n').trim();
  if (!text) return null;
  if (text.length > MAX_TEXT) throw new AgentOsError('BAD_INPUT', `The ${what} is too long (${text.length} characters; at most ${MAX_TEXT}).`);
  const secrets = await deps.secrets.scan(text);
  if (secrets.length) {
    throw new AgentOsError('BAD_INPUT', `The ${what} was refused:\n- ${secretProblems(secrets).join('\n- ')}`, {
      hint: SECRETS_HINT,
    });
  }
  return text;
}

function checkName(what: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null || !String(value).trim()) return null;
  const v = String(value).trim();
  if (v.length > 100 || /[\u0000-\u001f\u007f]/.test(v)) throw new AgentOsError('BAD_INPUT', `Invalid ${what} ${JSON.stringify(v.slice(0, 40))}: one line, at most 100 characters.`);
  return v;
}

function checkList(what: string, value: string[] | null | undefined): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > 50) throw new AgentOsError('BAD_INPUT', `${what} must be a list of at most 50 strings.`);
  return value.map((v) => {
    const s = String(v).trim();
    if (!s || s.length > 200 || /[\u0000-\u001f\u007f]/.test(s)) throw new AgentOsError('BAD_INPUT', `Invalid ${what} entry ${JSON.stringify(s.slice(0, 40))}.`);
    if (what === 'applies_to' && (s.startsWith('/') || s.split('/').includes('..'))) {
      throw new AgentOsError('BAD_INPUT', `Invalid applies_to glob ${JSON.stringify(s)}: use a project-relative glob such as "src/api/**/*.ts".`);
    }
    return s;
  });
}
