import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isAgentOsError, messageOf } from '../domain/errors.js';
import { stripFrontMatter } from '../domain/front-matter.js';
import { importMessage, newImportId } from '../domain/import-record.js';
import { planImport, type PlannedStandard, type ScannedFile, type SkippedRule } from '../domain/rule-import.js';
import { classifyRuleSource, findSection, isGeneratedFile, sourceLabel } from '../domain/rule-sources.js';
import type { Files } from '../ports/files.js';
import type { Logger } from '../ports/logger.js';
import type { ProjectFiles } from '../ports/project-files.js';
import type { WorkTreeGit } from '../ports/work-tree.js';
import { linkFree } from './link-free.js';
import type { SecretFinding } from '../domain/secrets.js';
import type { SecretScanner } from '../ports/secret-scanner.js';
import type { ProposalDeps } from './proposals/types.js';

export interface ImportDeps {
  files: Files;
  /** Reads the rule files, confined to the project (no links leading out). */
  project: ProjectFiles;
  tree: WorkTreeGit;
  /** Absolute project root. */
  root: string;
  /** Absolute standards directory. */
  standardsDir: string;
  /** Finds secrets in the rule files (rules holding one are left out). */
  secrets: SecretScanner;
  /** Git plumbing, GitHub and the proposal settings; asked for only when the import is proposed. */
  proposals: () => Promise<ProposalDeps>;
  logger: Logger;
  now?: () => Date;
  randomHex?: () => string;
}

export interface ImportInput {
  /** `propose` (default): one branch, one commit, a draft PR when GitHub is configured. `write`: files in the working tree. */
  mode?: 'propose' | 'write';
  /** Show the plan, change nothing. */
  dryRun?: boolean;
  /** Replace standards that exist with different content. */
  force?: boolean;
  /** Also read what `agent-os export` generated. */
  includeGenerated?: boolean;
  /** Overrides the push setting for the proposal. */
  push?: boolean;
  /** Recorded as `created_by` and on the commit. */
  by?: string | null;
}

export interface ImportedStandard {
  /** Project-relative path of the standard. */
  file: string;
  domain: string;
  topic: string;
  title: string;
  /** `file:line` of each rule it came from. */
  sources: string[];
  applies_to: string[];
  /** add: new; replace: an existing standard is overwritten (--force); unchanged: already there; skipped: exists and differs. */
  action: 'add' | 'replace' | 'unchanged' | 'skipped';
  reason?: string;
}

export interface ImportReport {
  mode: 'propose' | 'write';
  dryRun: boolean;
  files: ScannedFile[];
  standards: ImportedStandard[];
  /** Rules and files left out, with why (a possible secret, a generated file, bad front matter). */
  skipped: SkippedRule[];
  proposal: { import_id: string; branch: string; commit: string | null; pushed: boolean; pr_url?: string; push_error?: string } | null;
  warnings: string[];
  next_steps: string[];
}

const IMPORT_REFS = 'refs/agent-os/imports/';
const MAX_SOURCE_BYTES = 512 * 1024;

/** Reads the team's existing rule files and turns them into standards: one proposal by default, or files with `write`. */
export async function importRules(deps: ImportDeps, input: ImportInput = {}): Promise<ImportReport> {
  const mode = input.mode ?? 'propose';
  const dryRun = input.dryRun === true;
  const now = (deps.now ?? (() => new Date()))();
  const sources: Array<{ path: string; text: string }> = [];
  const unread: SkippedRule[] = [];
  for (const file of await deps.tree.listFiles()) {
    if (!classifyRuleSource(file)) continue;
    try {
      const read = await deps.project.readFile(file, { maxBytes: MAX_SOURCE_BYTES });
      if (read.truncated) unread.push({ source: file, title: null, reason: `larger than ${MAX_SOURCE_BYTES / 1024} KiB; not read`, secret: false });
      else sources.push({ path: file, text: read.content });
    } catch (e) {
      // A link leading out of the project, or a file gone meanwhile.
      if (isAgentOsError(e) && e.code !== 'NOT_FOUND') unread.push({ source: file, title: null, reason: `not read: ${e.message}`, secret: false });
    }
  }
  // Rules holding a possible secret are left out before anything is planned, let alone committed.
  const secrets = new Map<string, SecretFinding[]>();
  for (const s of sources) secrets.set(s.path, await deps.secrets.scan(s.text));
  const plan = planImport(sources, { includeGenerated: input.includeGenerated === true, createdAt: now.toISOString(), createdBy: input.by ?? null, secrets });
  const report: ImportReport = { mode, dryRun, files: plan.files, standards: [], skipped: [...unread, ...plan.skipped], proposal: null, warnings: [], next_steps: [] };
  if (plan.files.length === 0 && plan.standards.length === 0) {
    report.next_steps.push('No rule files found (AGENTS.md, CLAUDE.md, GEMINI.md, .cursor/rules/*.mdc, .cursorrules, .github/copilot-instructions.md, .github/instructions/*.instructions.md, .windsurfrules).');
    return report;
  }
  if (mode === 'write') return writeStandards(deps, input, plan.standards, report);
  return proposeImport(deps, input, plan.standards, report, now);
}

function same(a: string, b: string): boolean {
  return stripFrontMatter(a).trim() === stripFrontMatter(b).trim();
}

function decide(s: PlannedStandard, file: string, existing: string | null, force: boolean): ImportedStandard {
  const base = { file, domain: s.domain, topic: s.topic, title: s.title, sources: s.sources.map((o) => `${o.file}:${o.line}`), applies_to: s.appliesTo };
  if (existing === null) return { ...base, action: 'add' };
  if (same(existing, s.content)) return { ...base, action: 'unchanged', reason: 'the standard already has this text' };
  if (force) return { ...base, action: 'replace' };
  return { ...base, action: 'skipped', reason: 'a standard with this name exists and differs; --force replaces it' };
}

async function writeStandards(deps: ImportDeps, input: ImportInput, standards: PlannedStandard[], report: ImportReport): Promise<ImportReport> {
  const rel = path.relative(deps.root, deps.standardsDir).split(path.sep).join('/');
  for (const s of standards) {
    const abs = path.join(deps.standardsDir, ...s.file.split('/'));
    if (!(await linkFree(deps.files, deps.root, `${rel}/${s.file}`))) {
      report.standards.push({ ...decide(s, `${rel}/${s.file}`, null, false), action: 'skipped', reason: 'a symbolic link (or below one): agent-os writes no file through a link' });
      continue;
    }
    const decided = decide(s, `${rel}/${s.file}`, await deps.files.readText(abs), input.force === true);
    report.standards.push(decided);
    if (!report.dryRun && (decided.action === 'add' || decided.action === 'replace')) await deps.files.writeText(abs, s.content);
  }
  const written = report.standards.filter((s) => s.action === 'add' || s.action === 'replace').length;
  if (written) report.next_steps.push(`Review the ${written} standard(s) in ${rel}/ (domains and titles were guessed), then commit them and run \`agent-os index\`.`);
  return report;
}

async function proposeImport(deps: ImportDeps, input: ImportInput, standards: PlannedStandard[], report: ImportReport, now: Date): Promise<ImportReport> {
  const p = await deps.proposals();
  const { git, settings, github } = p;
  const base = await git.defaultBranch();
  const prefix = `${settings.remote}/`;
  const baseName = base.startsWith(prefix) && !(await git.branchExists(base)) ? base.slice(prefix.length) : base;
  const standardsPath = (await git.repoPath(deps.standardsDir)).replace(/\/+$/, '');
  const onBase = await git.readFilesAt(standards.map((s) => ({ ref: base, path: `${standardsPath}/${s.file}` })));
  standards.forEach((s, i) => report.standards.push(decide(s, `${standardsPath}/${s.file}`, onBase[i] ?? null, input.force === true)));
  const files = standards.flatMap((s, i) => (['add', 'replace'].includes(report.standards[i]!.action) ? [{ path: report.standards[i]!.file, content: s.content }] : []));
  const hex = (deps.randomHex ?? (() => randomBytes(3).toString('hex')))();
  const id = newImportId(now, hex);
  let branch = `${settings.branchPrefix}import/${now.toISOString().slice(0, 10)}`;
  const taken = (await git.branchExists(branch)) || (await git.listRefs([`refs/remotes/${settings.remote}/${branch}`])).length > 0;
  if (taken) branch = `${branch}-${id.slice(-6)}`;
  if (files.length === 0) {
    report.next_steps.push(`Nothing to propose: every standard found is already on ${baseName} or exists there with other text (--force replaces those).`);
    return report;
  }
  report.proposal = { import_id: id, branch, commit: null, pushed: false };
  if (report.dryRun) {
    report.next_steps.push(`Run without --dry-run to commit ${files.length} standard(s) on ${branch} (your checkout is not touched), or with --write to put them in the working tree.`);
    return report;
  }
  const proposed = report.standards.filter((s) => s.action === 'add' || s.action === 'replace');
  const labels = [...new Set(report.files.map((f) => sourceLabel(f.file)))];
  const body = [
    `Imported by \`agent-os import\` from ${labels.join(', ')}:`,
    ...proposed.map((s) => `- ${s.domain}/${s.topic}${s.action === 'replace' ? ' (replaces the existing standard)' : ''} <- ${s.sources.join(', ')}`),
    ...(report.skipped.some((s) => s.secret) ? ['', `Left out: ${report.skipped.filter((s) => s.secret).length} rule(s) holding a possible secret.`] : []),
  ].join('\n');
  const message = importMessage({ id, action: 'import', branch, standards: proposed.map((s) => `${s.domain}/${s.topic}`), by: input.by ?? null, text: body }, `Import ${proposed.length} standard(s) from ${labels.join(', ')}`);
  const { commit } = await git.commitFiles({ branch, base, files, message, expectTip: null });
  await git.setRef(`${IMPORT_REFS}${id}`, commit, null);
  report.proposal.commit = commit;
  deps.logger.info('rules imported as a proposal', { id, branch, commit, standards: proposed.length });

  const remoteUrl = await git.remoteUrl(settings.remote).catch(() => null);
  const wantPush = input.push ?? (settings.push === 'always' || (settings.push === 'auto' && github !== null));
  if (wantPush && !remoteUrl) report.warnings.push(`There is no remote named ${settings.remote}; the import stays local.`);
  if (wantPush && remoteUrl) {
    try {
      await git.push(settings.remote, branch);
      report.proposal.pushed = true;
    } catch (e) {
      report.proposal.push_error = messageOf(e);
      report.warnings.push(`Push failed; the import is kept on the local branch ${branch}. ${report.proposal.push_error}`);
    }
  }
  if (report.proposal.pushed && github) {
    try {
      const pr = await github.openDraft({
        head: branch,
        base: baseName,
        title: `Import ${proposed.length} standard(s) from existing agent rules`,
        body: `${body}\n\nDomains and titles were guessed from the rules: move or rename a standard in this branch before merging. Merging approves them all; closing the pull request rejects the import.\n\nImport: \`${id}\``,
        labels: [settings.label],
      });
      report.proposal.pr_url = pr.url;
      if (pr.note) report.warnings.push(pr.note);
    } catch (e) {
      report.warnings.push(`The branch is pushed but the pull request could not be opened: ${isAgentOsError(e) ? e.describe() : messageOf(e)}`);
    }
  }
  if (!report.proposal.pushed) {
    report.next_steps.push(
      remoteUrl
        ? `Share it: git push ${settings.remote} ${branch}${github ? '' : `, then open a pull request${p.githubMissing ? ` (no draft PR was opened: ${p.githubMissing})` : ''}`}.`
        : `Review it with \`agent-os proposals show ${id}\` (or \`git show ${branch}\`).`,
    );
  } else if (!report.proposal.pr_url) {
    report.next_steps.push(`Open a pull request from ${branch} into ${baseName}${p.githubMissing ? ` (no draft PR was opened: ${p.githubMissing})` : ''}.`);
  }
  report.next_steps.push(`Approve by merging ${branch} into ${baseName} (or \`agent-os proposals approve ${id}\`); reject with \`agent-os proposals reject ${id}\`.`);
  return report;
}

/**
 * Rule files of other assistants at the usual places (nested AGENTS.md are not searched for), as
 * labels for `init`'s note; files agent-os generated do not count.
 */
export async function detectRuleFiles(files: Files, root: string): Promise<string[]> {
  const found: string[] = [];
  const consider = async (rel: string): Promise<void> => {
    const text = await files.readText(path.join(root, ...rel.split('/'))).catch(() => null);
    if (text === null || isGeneratedFile(text)) return;
    // A file holding only the section export wrote is agent-os's own.
    const span = findSection(text);
    if (span && span !== 'malformed' && (text.slice(0, span.start) + text.slice(span.end)).trim() === '') return;
    const label = sourceLabel(rel);
    if (!found.includes(label)) found.push(label);
  };
  for (const rel of ['AGENTS.md', 'CLAUDE.md', 'GEMINI.md', '.cursorrules', '.windsurfrules', '.github/copilot-instructions.md']) await consider(rel);
  for (const name of await files.list(path.join(root, '.cursor', 'rules'))) {
    const rel = `.cursor/rules/${name}`;
    if (/\.mdc?$/.test(name) && !classifyRuleSource(rel)?.ownRule) await consider(rel);
  }
  for (const name of await files.list(path.join(root, '.github', 'instructions'))) if (name.endsWith('.instructions.md')) await consider(`.github/instructions/${name}`);
  return found;
}
