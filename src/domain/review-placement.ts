import { groupByProblem, sameProblem, type ProblemShape } from './finding-merge.js';
import { block, clamp, code, MAX_BODY_CHARS, oneLine } from './markdown.js';
import {
  commentableLines,
  fingerprint,
  normalizePrPath,
  normalizeStandard,
  SEVERITY_ORDER,
  type PersonaFinding,
  type Severity,
  type SummaryOnlyFinding,
} from './pr-review.js';

/**
 * Which findings of a run become inline comments: one comment per problem (personas that flag the same
 * line for the same thing are named together), never a problem already posted, only on diff lines, at
 * or above `min-severity`, and at most so many per file and in all. The rest go into the review body.
 */

const FINDING_RE = /<!-- agent-os:finding ([0-9a-f]{12}) -->/g;
const FINGERPRINT_RE = /^[0-9a-f]{12}$/;

export interface InlineComment {
  path: string;
  line: number;
  body: string;
  /** The primary (worst) finding's fingerprint. */
  fingerprint: string;
  /** Every raising persona's fingerprint, primary first; each is marked in the body. */
  fingerprints: string[];
  /** As shown: the primary finding with every persona's name. */
  finding: PersonaFinding;
}

export interface PlaceInput {
  findings: readonly PersonaFinding[];
  files: ReadonlyArray<{ path: string; patch?: string | null }>;
  maxComments: number;
  /** At most this many inline comments on one file; 0 or absent: no limit per file. */
  maxPerFile?: number;
  /** Findings below it are listed in the review body only; default info (all may be inline). */
  minSeverity?: Severity;
  alreadyPosted: ReadonlySet<string>;
  /** Problems already tracked and not fixed (open or dismissed): another persona's report of one is not posted again. */
  known?: readonly ProblemShape[];
}

export interface Placement {
  /** Sorted by severity (worst first), then path, then line; at most `maxComments`. */
  inline: InlineComment[];
  /** Same order as `inline`. */
  summaryOnly: SummaryOnlyFinding[];
  /** Findings not posted: their fingerprint was already posted, repeated in this run, or their problem is already tracked. */
  duplicates: number;
  /** Every new fingerprint (inline and summary-only), in input order, for the sticky state. */
  fingerprints: string[];
}

function byPlace(a: { finding: PersonaFinding }, b: { finding: PersonaFinding }): number {
  const sev = SEVERITY_ORDER[b.finding.severity] - SEVERITY_ORDER[a.finding.severity];
  if (sev !== 0) return sev;
  if (a.finding.path !== b.finding.path) return a.finding.path < b.finding.path ? -1 : 1;
  return (a.finding.line ?? 0) - (b.finding.line ?? 0);
}

/** Splits findings into inline comments and the review body's list, dropping ones already posted. */
export function placeFindings(input: PlaceInput): Placement {
  const patches = new Map<string, string>();
  for (const f of input.files) patches.set(normalizePrPath(f.path), f.patch ?? '');
  const lineCache = new Map<string, Set<number>>();
  const commentable = (path: string): Set<number> => {
    let lines = lineCache.get(path);
    if (!lines) lineCache.set(path, (lines = commentableLines(patches.get(path) ?? '')));
    return lines;
  };

  const seen = new Set<string>();
  let duplicates = 0;
  const fresh: Array<{ finding: PersonaFinding; fingerprint: string }> = [];
  for (const raw of input.findings) {
    const finding: PersonaFinding = { ...raw, path: normalizePrPath(raw.path) };
    const fp = fingerprint(finding);
    if (input.alreadyPosted.has(fp) || seen.has(fp) || (input.known ?? []).some((k) => sameProblem(k, finding))) {
      duplicates++;
      continue;
    }
    seen.add(fp);
    fresh.push({ finding, fingerprint: fp });
  }

  const minRank = SEVERITY_ORDER[input.minSeverity ?? 'info'];
  const candidates: Array<{ finding: PersonaFinding; fingerprints: string[]; line: number }> = [];
  const summaryOnly: SummaryOnlyFinding[] = [];
  for (const group of groupByProblem(fresh)) {
    const finding = group.shown;
    const ids = { fingerprint: group.fingerprints[0]!, fingerprints: group.fingerprints };
    const line = finding.line;
    if (SEVERITY_ORDER[finding.severity] < minRank) summaryOnly.push({ finding, ...ids, reason: 'below-min-severity' });
    else if (typeof line !== 'number' || !Number.isInteger(line) || line <= 0) summaryOnly.push({ finding, ...ids, reason: 'no-line' });
    else if (!patches.has(finding.path)) summaryOnly.push({ finding, ...ids, reason: 'file-not-in-pr' });
    else if (!commentable(finding.path).has(line)) summaryOnly.push({ finding, ...ids, reason: 'outside-diff' });
    else candidates.push({ finding, fingerprints: group.fingerprints, line });
  }

  candidates.sort(byPlace);
  const limit = Number.isFinite(input.maxComments) ? Math.max(0, Math.floor(input.maxComments)) : 0;
  const perFile = Math.max(0, Math.floor(input.maxPerFile ?? 0));
  const onFile = new Map<string, number>();
  const inline: InlineComment[] = [];
  for (const c of candidates) {
    const ids = { fingerprint: c.fingerprints[0]!, fingerprints: c.fingerprints };
    const used = onFile.get(c.finding.path) ?? 0;
    if (perFile > 0 && used >= perFile) summaryOnly.push({ finding: c.finding, ...ids, reason: 'over-file-limit' });
    else if (inline.length >= limit) summaryOnly.push({ finding: c.finding, ...ids, reason: 'over-limit' });
    else {
      onFile.set(c.finding.path, used + 1);
      inline.push({ path: c.finding.path, line: c.line, body: renderInlineComment(c.finding, c.fingerprints), ...ids, finding: c.finding });
    }
  }
  summaryOnly.sort(byPlace);
  return { inline, summaryOnly, duplicates, fingerprints: [...seen] };
}

/**
 * Markdown of one inline comment; with fingerprints, it ends in one hidden `<!-- agent-os:finding fp -->`
 * marker per fingerprint (a reply to it names the findings it answers).
 */
export function renderInlineComment(f: PersonaFinding, fp?: string | readonly string[]): string {
  const parts = [`**${f.severity}**: ${oneLine(f.title)}`];
  const body = block(f.body);
  if (body) parts.push(body);
  const suggestion = f.suggestion?.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  if (suggestion && suggestion.trim() !== '') {
    const longest = Math.max(0, ...(suggestion.match(/`{3,}/g) ?? []).map((r) => r.length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    parts.push(`${fence}suggestion\n${suggestion}\n${fence}`);
  }
  const standard = normalizeStandard(f.standard);
  parts.push(`_${oneLine(f.persona)}_${standard ? ` · Standard: ${code(standard)}` : ''}`);
  const marks = (typeof fp === 'string' ? [fp] : (fp ?? [])).filter((x) => FINGERPRINT_RE.test(x)).map((x) => `<!-- agent-os:finding ${x} -->`);
  // The markers come last and are never cut: a reply to the comment finds its findings through them.
  const tail = marks.length ? `\n\n${marks.join('\n')}` : '';
  return `${clamp(parts.join('\n\n'), MAX_BODY_CHARS - tail.length)}${tail}`;
}

/** The fingerprint in an inline comment agent-os wrote (the last marker), or null. */
export function findingFingerprintOf(body: string): string | null {
  return findingFingerprintsOf(body).at(-1) ?? null;
}

/** Every fingerprint marked in a comment agent-os wrote, in order, each once. */
export function findingFingerprintsOf(body: string): string[] {
  return [...new Set([...body.matchAll(FINDING_RE)].map((m) => m[1]!))];
}
