import { AgentOsError, messageOf } from '../domain/errors.js';
import { importMessage, isImportId, parseImportMessage, type ImportRecord } from '../domain/import-record.js';
import { decidedByPullRequest, proposalStatus, type ProposalFacts } from '../domain/proposal-status.js';
import type { PullRequestInfo } from '../ports/github.js';
import type { CommitInfo } from '../ports/proposal-git.js';
import type { ProposalDeps } from './proposals/types.js';

/*
 * Import proposals (`agent-os import`) as `agent-os proposals` shows them: one branch holding many
 * standards, its state derived from git (and its pull request when GitHub is configured), like a
 * standard proposal's.
 */

const IMPORT_REFS = 'refs/agent-os/imports/';

export interface ImportView {
  import_id: string;
  status: 'draft' | 'approved' | 'rejected';
  branch: string;
  /** The import commit. */
  commit: string;
  base: string;
  /** `domain/topic` of each standard it adds. */
  standards: string[];
  by: string | null;
  created_at: string;
  pushed: boolean;
  pr_url: string | null;
  pr_number: number | null;
  approved_by: string | null;
  rejected_reason: string | null;
}

export interface ImportDetail extends ImportView {
  /** Each standard file as the import commit has it. */
  files: Array<{ file: string; content: string | null }>;
}

interface Found {
  id: string;
  record: ImportRecord;
  commit: CommitInfo;
  reject: ImportRecord | null;
  recorded: string | null;
  localTip: string | null;
  remoteTip: string | null;
  branch: string;
}

/** Every import this clone knows, newest first. */
export async function listImports(p: ProposalDeps): Promise<ImportView[]> {
  const base = await p.git.defaultBranch();
  const found = await gather(p);
  const views = await Promise.all(found.map(async (f) => describe(p, base, f, await pullRequest(p, f).catch(() => null))));
  return views.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.import_id.localeCompare(a.import_id));
}

export async function showImport(p: ProposalDeps, id: string): Promise<ImportDetail> {
  const base = await p.git.defaultBranch();
  const f = await findOne(p, id);
  const view = await describe(p, base, f, await pullRequest(p, f).catch(() => null));
  const dir = (await p.git.repoPath(p.standardsDir)).replace(/\/+$/, '');
  const paths = view.standards.map((s) => `${dir}/${s}.md`);
  const contents = await p.git.readFilesAt(paths.map((file) => ({ ref: f.commit.sha, path: file })));
  return { ...view, files: paths.map((file, i) => ({ file, content: contents[i] ?? null })) };
}

/** Merges a draft import into the default branch (`--no-ff`), for teams without GitHub. */
export async function approveImport(p: ProposalDeps, id: string): Promise<ImportView> {
  const base = await p.git.defaultBranch();
  const f = await findOne(p, id);
  const view = await describe(p, base, f, await pullRequest(p, f).catch(() => null));
  if (view.status !== 'draft') throw new AgentOsError('CONFLICT', `Import ${view.import_id} is already ${view.status}.`);
  if (!f.localTip || !(await p.git.branchExists(base))) {
    throw new AgentOsError('CONFLICT', `${f.localTip ? `The default branch ${base} is not a local branch` : `The branch ${f.branch} exists only on ${p.settings.remote}`}; nothing was merged.`, {
      hint: 'Create the local branch first, or merge the pull request on GitHub.',
    });
  }
  await p.git.mergeNoFf(f.branch, base, `Approve import ${view.import_id}\n\nMerge branch '${f.branch}': ${view.standards.length} imported standard(s)\n\nAgent-OS-Import: ${view.import_id}\n`);
  p.logger.info('import approved', { id: view.import_id, branch: f.branch });
  return describe(p, base, await findOne(p, id), null);
}

/** Rejects a draft import: records why, closes its pull request, deletes its branches. */
export async function rejectImport(p: ProposalDeps, id: string, reason: string | null): Promise<ImportView & { warnings: string[] }> {
  const base = await p.git.defaultBranch();
  const f = await findOne(p, id);
  const pr = await pullRequest(p, f).catch(() => null);
  const view = await describe(p, base, f, pr);
  if (view.status !== 'draft') throw new AgentOsError('CONFLICT', `Import ${view.import_id} is already ${view.status}.`);
  const text = (reason ?? '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim().slice(0, 2000);
  const marker = await p.git.markerCommit(f.localTip ?? f.remoteTip ?? f.commit.sha, importMessage({ ...f.record, action: 'reject', text }, `Reject import ${f.id}`));
  await p.git.setRef(`${IMPORT_REFS}${f.id}`, marker, f.recorded);
  const warnings: string[] = [];
  if (pr && pr.state === 'open' && p.github) {
    try {
      if (text) await p.github.comment(pr.number, `Rejected: ${text}`);
      await p.github.close(pr.number);
    } catch (e) {
      warnings.push(`Could not close PR #${pr.number}: ${messageOf(e)}`);
    }
  }
  if (f.localTip) await p.git.deleteBranch(f.branch).catch((e: unknown) => warnings.push(`Kept the local branch ${f.branch}: ${messageOf(e)}`));
  if (f.remoteTip) await p.git.deleteRemoteBranch(p.settings.remote, f.branch).catch((e: unknown) => warnings.push(`Kept ${f.branch} on ${p.settings.remote}: ${messageOf(e)}`));
  return { ...(await describe(p, base, await findOne(p, id), null)), warnings };
}

async function gather(p: ProposalDeps): Promise<Found[]> {
  const { git, settings } = p;
  const local = `refs/heads/${settings.branchPrefix}import/`;
  const remote = `refs/remotes/${settings.remote}/${settings.branchPrefix}import/`;
  const byId = new Map<string, Found>();
  for (const { ref, commit, head } of await git.listRefs([IMPORT_REFS, local, remote])) {
    // The import commit, under any fix-ups a person added on its branch.
    let own = parseImportMessage(head.message);
    let importCommit = head;
    let reject: ImportRecord | null = null;
    if (own?.action === 'reject') {
      reject = own;
      own = null;
    }
    if (!own) {
      for (const c of await git.log(commit, 50)) {
        const r = parseImportMessage(c.message);
        if (r?.action === 'import') {
          own = r;
          importCommit = c;
          break;
        }
      }
    }
    if (!own) continue;
    const f: Found = byId.get(own.id) ?? { id: own.id, record: own, commit: importCommit, reject: null, recorded: null, localTip: null, remoteTip: null, branch: own.branch ?? '' };
    byId.set(own.id, f);
    if (ref.startsWith(IMPORT_REFS)) {
      f.recorded = commit;
      f.reject = reject;
    } else if (ref.startsWith(local)) {
      f.localTip = commit;
      f.branch = ref.slice('refs/heads/'.length);
    } else {
      f.remoteTip = commit;
      f.branch ||= ref.slice(`refs/remotes/${settings.remote}/`.length);
    }
  }
  return [...byId.values()];
}

async function findOne(p: ProposalDeps, id: string): Promise<Found> {
  const v = String(id).trim();
  if (!isImportId(v)) throw new AgentOsError('BAD_INPUT', `Invalid import id ${JSON.stringify(id)}: ids look like im-20261130-a1b2c3.`);
  const f = (await gather(p)).find((x) => x.id === v);
  if (!f) throw new AgentOsError('NOT_FOUND', `No import ${v} in this repository.`, { hint: 'List them with `agent-os proposals list`.' });
  return f;
}

async function pullRequest(p: ProposalDeps, f: Found): Promise<PullRequestInfo | null> {
  if (!p.github || !f.branch) return null;
  const pr = await p.github.findByBranch(f.branch);
  return pr && (pr.state === 'open' || pr.merged || pr.headSha === f.commit.sha || pr.headSha === f.localTip || pr.headSha === f.remoteTip) ? pr : null;
}

async function describe(p: ProposalDeps, base: string, f: Found, pr: PullRequestInfo | null): Promise<ImportView> {
  let merge: ProposalFacts['merge'] = null;
  if (!decidedByPullRequest(pr)) {
    const tip = f.localTip ?? f.remoteTip ?? f.commit.sha;
    for (const target of [...new Set([base, `${p.settings.remote}/${base}`])]) {
      const merged = await p.git.isMergedInto(tip, target);
      if (!merged.merged) continue;
      merge = { by: merged.mergedBy ?? null, at: null };
      break;
    }
  }
  // An import spans many files: only ancestry (or its PR) shows it merged, not one file's content.
  const state = proposalStatus({
    pullRequest: pr,
    merge,
    proposedText: '',
    textOnBase: null,
    baseHeadAt: null,
    rejection: f.reject ? { reason: f.reject.text } : null,
    branchExists: f.localTip !== null || f.remoteTip !== null,
  });
  return {
    import_id: f.id,
    status: state.status,
    branch: f.branch,
    commit: f.commit.sha,
    base,
    standards: f.record.standards,
    by: f.record.by,
    created_at: f.commit.authorDate,
    pushed: f.remoteTip !== null,
    pr_url: pr?.url ?? null,
    pr_number: pr?.number ?? null,
    approved_by: state.approvedBy,
    rejected_reason: state.rejectedReason,
  };
}
