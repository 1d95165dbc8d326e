import picomatch from 'picomatch';

import { newSideLines, parsePatch } from './diff.js';
import { sha256 } from './hashing.js';
import { block, cell, clamp, code, MAX_BODY_CHARS, oneLine, plural, safeUrl } from './markdown.js';
import type { ReviewFinding, ReviewSeverity } from './review-schema.js';

export { MAX_BODY_CHARS } from './markdown.js';

/**
 * Pure logic of the pull-request review Action: which diff lines take a comment, stable finding
 * fingerprints (no repeats across pushes), placement under a comment limit, and the Markdown of the
 * one review, its inline comments and the job's step summary. The sticky summary comment and the
 * state it carries are in review-state.ts.
 */

export type Severity = ReviewSeverity;
export type MaxSeverity = Severity | 'none';
/** The levels `fail-on` takes: 'none' never fails; otherwise an open finding at or above it fails. */
export const FAIL_ON_LEVELS = ['none', 'warning', 'error'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** Rank of each severity; higher is worse. */
export const SEVERITY_ORDER: Readonly<Record<MaxSeverity, number>> = { none: 0, info: 1, warning: 2, error: 3 };

/** A persona's finding as the Action sees it; `line` may be missing or 0 when the model gave none. */
export type PersonaFinding = Omit<ReviewFinding, 'line' | 'suggestion' | 'standard'> & {
  persona: string;
  line?: number | null;
  suggestion?: string | null;
  standard?: string | null;
};


// ---------------------------------------------------------------------------------------------
// Paths, diff lines, fingerprints

/** Repository-relative form of a path a model wrote (`./src/a.ts`, `/src/a.ts`, `src\a.ts`). */
export function normalizePrPath(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^(?:\.?\/)+/, '');
}

/** Right-side (new file) lines of a GitHub file `patch` that accept a review comment: added and context lines. */
export function commentableLines(patch: string): Set<number> {
  return newSideLines(parsePatch(patch));
}

/**
 * Title as compared across pushes: case, punctuation, whitespace and line references (`line 42`,
 * `lines 3-5`, `L42`, `a.ts:42`) ignored. Other numbers count: `x1` and `x2` are different findings.
 */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\b(?:lines?|l)\s*#?\s*\d+(?:\s*(?:-|–|to|and)\s*\d+)?/g, 'line #')
    .replace(/:\d+(?::\d+)?\b/g, '')
    .replace(/[^\p{L}\p{N}#]+/gu, ' ')
    .trim();
}

export function normalizeStandard(standard: string | null | undefined): string {
  return normalizePrPath(standard ?? '').replace(/^\.agent-os\/standards\//, '').toLowerCase();
}

/** 12-hex-digit identity of a finding, stable when lines shift: persona, path, normalised title, standard. */
export function fingerprint(f: { persona: string; path: string; title: string; standard?: string | null; body?: string }): string {
  const key = ['v1', f.persona.trim().toLowerCase(), normalizePrPath(f.path), normalizeTitle(f.title), normalizeStandard(f.standard)];
  return sha256(key.join('\u0000')).slice(0, 12);
}

// ---------------------------------------------------------------------------------------------
// Skipped files

/** Lock files and generated or vendored code: never sent for review. */
export const DEFAULT_SKIPPED: readonly string[] = [
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/bun.lockb',
  '**/Cargo.lock',
  '**/Gemfile.lock',
  '**/poetry.lock',
  '**/composer.lock',
  '**/go.sum',
  '**/*.lock',
  '**/*.min.js',
  '**/*.min.css',
  '**/*.map',
  '**/dist/**',
  '**/vendor/**',
  '**/node_modules/**',
  '**/*.generated.*',
  '**/*.pb.go',
  '**/*_pb2.py',
  '**/__snapshots__/**',
  '**/*.snap',
];

/**
 * Predicate for skipped paths: DEFAULT_SKIPPED always, then `ignoreGlobs` in order, gitignore-style
 * (a glob without `/` matches the file name at any depth; a later `!glob` re-includes).
 */
export function pathFilter(ignoreGlobs: readonly string[]): (path: string) => boolean {
  const defaults = picomatch([...DEFAULT_SKIPPED], { dot: true });
  const user = ignoreGlobs
    .map((g) => g.trim())
    .filter((g) => g !== '' && g !== '!')
    .map((g) => {
      const negated = g.startsWith('!');
      const glob = (negated ? g.slice(1) : g).replace(/^(?:\.?\/)+/, '');
      return { negated, match: picomatch(glob, { dot: true, basename: !glob.includes('/') }) };
    });
  return (path) => {
    const p = normalizePrPath(path);
    if (defaults(p)) return true;
    let ignored = false;
    for (const u of user) if (u.match(p)) ignored = !u.negated;
    return ignored;
  };
}

export function isIgnoredPath(path: string, ignoreGlobs: readonly string[]): boolean {
  return pathFilter(ignoreGlobs)(path);
}

// ---------------------------------------------------------------------------------------------
// Findings not posted inline (placement itself is in review-placement.ts)

export type SummaryReason = 'outside-diff' | 'over-limit' | 'over-file-limit' | 'below-min-severity' | 'no-line' | 'file-not-in-pr' | 'refused-line';

export interface SummaryOnlyFinding {
  /** As shown: for a problem several personas raised, the worst one's words and every persona. */
  finding: PersonaFinding;
  fingerprint: string;
  /** Every raising persona's fingerprint (absent: just `fingerprint`). */
  fingerprints?: string[];
  reason: SummaryReason;
}

// ---------------------------------------------------------------------------------------------
// Severities and verdicts

export function maxSeverity(findings: ReadonlyArray<{ severity: Severity }>): MaxSeverity {
  let max: MaxSeverity = 'none';
  for (const f of findings) if (SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[max]) max = f.severity;
  return max;
}

/** Whether the check fails: `failOn` is 'none', or the worst finding is below it → false. */
export function shouldFail(max: MaxSeverity, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITY_ORDER[max] >= SEVERITY_ORDER[failOn];
}

/** Short outcome of a persona's review, for tables and headings. */
export function verdictFor(p: { maxSeverity: MaxSeverity; error?: string | null }): string {
  if (p.error) return 'failed';
  return { none: 'no issues found', info: 'comments only', warning: 'changes suggested', error: 'changes requested' }[p.maxSeverity];
}

export interface PersonaRow {
  persona: string;
  verdict?: string;
  findings: number;
  maxSeverity: MaxSeverity;
  error?: string | null;
}

export function personaTable(rows: readonly PersonaRow[]): string[] {
  return [
    '| Persona | Verdict | Findings | Max severity |',
    '| --- | --- | ---: | --- |',
    ...rows.map((r) => `| ${cell(r.persona)} | ${cell(r.verdict ?? verdictFor(r))} | ${r.findings} | ${r.maxSeverity} |`),
  ];
}

export function errorLines(rows: readonly PersonaRow[]): string[] {
  const failed = rows.filter((r) => r.error);
  return failed.length === 0 ? [] : ['', ...failed.map((r) => `- **${oneLine(r.persona)}** failed: ${oneLine(r.error ?? '')}`)];
}

/** Open, fixed and dismissed findings of the whole pull request: what `fail-on` judges. */
export interface FindingCounts {
  open: number;
  fixed: number;
  dismissed: number;
  /** Worst severity among the open findings. */
  maxSeverity: MaxSeverity;
  /** Open findings by severity. */
  bySeverity: Readonly<Record<Severity, number>>;
}

/** One persona's findings on the whole pull request, by status. */
export interface PersonaCounts {
  persona: string;
  open: number;
  fixed: number;
  dismissed: number;
}

/** The counts per persona as a Markdown table (nothing when no finding was raised). */
export function personaCountsTable(rows: readonly PersonaCounts[]): string[] {
  if (rows.length === 0) return [];
  return ['| Persona | Open | Fixed | Dismissed |', '| --- | ---: | ---: | ---: |', ...rows.map((r) => `| ${cell(r.persona)} | ${r.open} | ${r.fixed} | ${r.dismissed} |`)];
}

/** The failure message when open findings reach `failOn`, else null. */
export function gateFailure(counts: FindingCounts, failOn: FailOn): string | null {
  if (!shouldFail(counts.maxSeverity, failOn)) return null;
  const reaching = (Object.keys(counts.bySeverity) as Severity[]).filter((s) => SEVERITY_ORDER[s] >= SEVERITY_ORDER[failOn]).reduce((n, s) => n + counts.bySeverity[s], 0);
  return `${plural(reaching, 'open finding', 'open findings')} reached fail-on: ${failOn} (worst: ${counts.maxSeverity}).`;
}

export function countsLine(c: FindingCounts): string {
  const worst = c.open > 0 ? `; the worst open one is ${c.maxSeverity}` : '';
  return `**Findings on this pull request:** ${c.open} open · ${c.fixed} fixed · ${c.dismissed} dismissed${worst}.`;
}

// ---------------------------------------------------------------------------------------------
// Files not reviewed

/** Why a changed file was not reviewed in a run; it stays pending for the next one. */
export type NotReviewedReason = 'persona-failed' | 'diff-budget' | 'no-diff';

export interface NotReviewedFile {
  path: string;
  reason: NotReviewedReason;
  /** For 'persona-failed': the personas that failed on it. */
  personas?: readonly string[];
}

const MAX_LISTED_FILES = 20;

function notReviewedText(f: NotReviewedFile): string {
  if (f.reason === 'persona-failed') return `${(f.personas ?? []).map(oneLine).join(', ') || 'the review'} failed`;
  if (f.reason === 'diff-budget') return 'did not fit in max-diff-chars';
  return 'GitHub sent no diff (too large for its API)';
}

/** The list of files not reviewed in this run, for the review body, the summary comment and the step summary. */
export function notReviewedLines(files: readonly NotReviewedFile[]): string[] {
  if (files.length === 0) return [];
  const more = files.length - MAX_LISTED_FILES;
  return [
    '**Not reviewed in this run** (left pending for the next run):',
    '',
    ...files.slice(0, MAX_LISTED_FILES).map((f) => `- ${code(f.path)}: ${notReviewedText(f)}`),
    ...(more > 0 ? [`- … and ${plural(more, 'more file', 'more files')}`] : []),
  ];
}

function fileList(files: readonly string[]): string {
  const shown = files.slice(0, MAX_LISTED_FILES).map(code).join(', ');
  return files.length > MAX_LISTED_FILES ? `${shown} and ${files.length - MAX_LISTED_FILES} more` : shown;
}

// ---------------------------------------------------------------------------------------------
// Review body and step summary

export interface PersonaOutcome {
  persona: string;
  summary: string;
  findings: number;
  maxSeverity: MaxSeverity;
  error?: string | null;
}

export interface ReviewBodyInput {
  personas: readonly PersonaOutcome[];
  summaryOnly: readonly SummaryOnlyFinding[];
  duplicates: number;
  /** Reviewed, but only the start of their diff: it alone is over max-diff-chars. */
  partlyReviewed?: readonly string[];
  skippedFiles?: readonly string[];
  notReviewed?: readonly NotReviewedFile[];
  notes?: readonly string[];
}

const REASON_TEXT: Readonly<Record<SummaryReason, string>> = {
  'outside-diff': 'line not in the diff',
  'over-limit': 'comment limit reached',
  'over-file-limit': 'comment limit for this file reached',
  'below-min-severity': 'below min-severity',
  'no-line': 'no line given',
  'file-not-in-pr': 'file not changed in this pull request',
  'refused-line': 'GitHub would not place it on the line',
};
const MAX_FINDING_BODY_CHARS = 1000;
const MAX_SUMMARY_CHARS = 4000;

function findingEntry({ finding: f, reason }: SummaryOnlyFinding): string {
  const where = f.line && f.line > 0 ? `${f.path}:${f.line}` : f.path;
  const standard = normalizeStandard(f.standard);
  const out = [`- ${code(where)} **${f.severity}**: ${oneLine(f.title)}${standard ? ` (Standard: ${code(standard)})` : ''} — _${oneLine(f.persona)}_, ${REASON_TEXT[reason]}`];
  const body = block(f.body.length > MAX_FINDING_BODY_CHARS ? `${f.body.slice(0, MAX_FINDING_BODY_CHARS)} …` : f.body);
  if (body) out.push('', ...body.split('\n').map((l) => (l ? `  ${l}` : '')), '');
  return out.join('\n');
}

/**
 * Body of the one review: each persona's verdict and summary, then the findings that are not inline
 * comments, as many as GitHub's size limit takes (the rest are counted, and the summary comment keeps
 * them all), then what was not reviewed.
 */
export function renderReviewBody(input: ReviewBodyInput): string {
  const head = ['## agent-os review'];
  for (const p of input.personas) {
    head.push('', `### ${oneLine(p.persona)}: ${verdictFor(p)}`);
    const summary = p.summary.length > MAX_SUMMARY_CHARS ? `${p.summary.slice(0, MAX_SUMMARY_CHARS)} …` : p.summary;
    const text = p.error ? `Review failed: ${oneLine(p.error)}` : block(summary);
    if (text) head.push('', text);
  }
  const tail: string[] = [];
  if (input.duplicates > 0) {
    tail.push('', input.duplicates === 1 ? '1 finding already reported earlier is not repeated.' : `${input.duplicates} findings already reported earlier are not repeated.`);
  }
  if (input.skippedFiles?.length) tail.push('', `Not reviewed (generated, lock, binary, removed or ignored files): ${fileList(input.skippedFiles)}`);
  if (input.partlyReviewed?.length) tail.push('', `Reviewed in part (the diff of each alone is over max-diff-chars): ${fileList(input.partlyReviewed)}`);
  const pending = notReviewedLines(input.notReviewed ?? []);
  if (pending.length) tail.push('', ...pending);
  const notes = (input.notes ?? []).map(oneLine).filter(Boolean).slice(0, 20);
  if (notes.length) tail.push('', ...notes.map((n) => `- ${n.length > 1000 ? `${n.slice(0, 1000)} …` : n}`));

  const list: string[] = [];
  if (input.summaryOnly.length > 0) {
    const room = MAX_BODY_CHARS - head.join('\n').length - tail.join('\n').length - 400;
    let used = 0;
    let shown = 0;
    for (const entry of input.summaryOnly.map(findingEntry)) {
      if (used + entry.length + 1 > room) break;
      list.push(entry);
      used += entry.length + 1;
      shown++;
    }
    const more = input.summaryOnly.length - shown;
    if (more > 0) list.push(`- … and ${plural(more, 'more finding is', 'more findings are')} not shown here: GitHub limits a review to 65,536 characters. The summary comment counts them.`);
    list.unshift('', '### Findings not posted inline', '');
  }
  return clamp([...head, ...list, ...tail].join('\n'));
}

export interface StepSummaryInput {
  personas: readonly PersonaRow[];
  inlineComments: number;
  summaryOnly: number;
  duplicates: number;
  reviewUrl?: string | null;
  failOn?: FailOn;
  /** Why nothing was reviewed in this run (null: something was). */
  notReviewedWhy?: string | null;
  counts?: FindingCounts;
  /** Findings of the whole pull request per persona. */
  byPersona?: readonly PersonaCounts[];
  notReviewed?: readonly NotReviewedFile[];
  notes?: readonly string[];
}

/** Markdown for $GITHUB_STEP_SUMMARY. */
export function renderStepSummary(input: StepSummaryInput): string {
  const total = input.personas.reduce((n, p) => n + p.findings, 0);
  const worst = input.personas.reduce<MaxSeverity>((m, p) => (SEVERITY_ORDER[p.maxSeverity] > SEVERITY_ORDER[m] ? p.maxSeverity : m), 'none');
  const url = safeUrl(input.reviewUrl);
  const out = ['## agent-os review', ''];
  if (input.notReviewedWhy) out.push(`Not reviewed: ${oneLine(input.notReviewedWhy)}`, '');
  if (input.personas.length > 0) out.push(...personaTable(input.personas), ...errorLines(input.personas), '');
  out.push(`**New in this run:** ${plural(total, 'finding', 'findings')} (${input.inlineComments} inline, ${input.summaryOnly} in the review body, ${input.duplicates} already reported); max severity ${worst}.`);
  if (input.counts) out.push('', countsLine(input.counts));
  const perPersona = personaCountsTable(input.byPersona ?? []);
  if (perPersona.length) out.push('', ...perPersona);
  const pending = notReviewedLines(input.notReviewed ?? []);
  if (pending.length) out.push('', ...pending);
  const notes = (input.notes ?? []).map(oneLine).filter(Boolean);
  if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
  out.push('', url ? `[Open the review](${url})` : 'No review was posted.');
  const failing = input.failOn && input.counts ? gateFailure(input.counts, input.failOn) : null;
  if (failing) out.push('', `Failing: ${failing}`);
  return `${out.join('\n')}\n`;
}
