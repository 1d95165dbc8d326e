import { isAgentOsError, messageOf } from '../../domain/errors.js';
import type { ProposalRecord } from '../../domain/proposal.js';
import type { ProposalLedger } from './ledger.js';
import type { ProposeResult } from './types.js';

/** A proposal step just committed, to share. */
export interface Publish {
  id: string;
  branch: string;
  file: string;
  commit: string;
  update: boolean;
  title: string;
  record: ProposalRecord;
  push: boolean | undefined;
  /** The open PR a revision updates; null opens a new draft. */
  prNumber: number | null;
}

/** Pushes the step and opens (or updates) its pull request as the settings allow; failures become warnings. */
export async function publish(ledger: ProposalLedger, p: Publish): Promise<ProposeResult> {
  const { deps } = ledger;
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
      const body = pullRequestBody(p, ledger.standardsPath);
      if (p.prNumber === null) {
        const pr = await github.openDraft({ head: p.branch, base: ledger.baseName, title: `Standard ${p.record.domain}/${p.record.topic}: ${p.title}`.slice(0, 250), body, labels: [settings.label] });
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
    next.push(`Open a pull request from ${p.branch} into ${ledger.baseName}${deps.githubMissing ? ` (no draft PR was opened: ${deps.githubMissing})` : ''}.`);
  }
  next.push(`Approve by merging ${p.branch} into ${ledger.baseName} (or \`agent-os proposals approve ${p.id}\`); reject with \`agent-os proposals reject ${p.id}\`.`);
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
