import { normalizePrPath, normalizeTitle, SEVERITY_ORDER, type PersonaFinding, type Severity } from './pr-review.js';

/**
 * When two findings are one problem: personas that flag the same line for the same thing get one
 * comment naming them all, and a problem dismissed once stays dismissed whoever raises it again.
 */

const MAX_TITLE_CHARS = 100;

/** A title as the review state keeps it: one line, at most 100 characters. */
export function shortTitle(title: string): string {
  const one = title.replace(/\s+/g, ' ').trim();
  return one.length > MAX_TITLE_CHARS ? `${one.slice(0, MAX_TITLE_CHARS - 1)}…` : one;
}

/** A cited standard as `domain/topic.md` (lower case, without the standards directory), or ''. */
export function standardKey(standard: string | null | undefined): string {
  return normalizePrPath(standard ?? '').replace(/^\.agent-os\/standards\//, '').toLowerCase();
}

/** What identifies a problem on a line, whoever reported it. */
export interface ProblemShape {
  path: string;
  line?: number | null;
  title: string;
  standard?: string | null;
}

function lineOf(line: number | null | undefined): number | null {
  return typeof line === 'number' && Number.isSafeInteger(line) && line > 0 ? line : null;
}

/**
 * Same file and line (a finding without a line matches nothing), and the same title once case,
 * punctuation and line references are ignored, or the same cited standard.
 */
export function sameProblem(a: ProblemShape, b: ProblemShape): boolean {
  const line = lineOf(a.line);
  if (line === null || line !== lineOf(b.line) || normalizePrPath(a.path) !== normalizePrPath(b.path)) return false;
  if (normalizeTitle(shortTitle(a.title)) === normalizeTitle(shortTitle(b.title))) return true;
  const standard = standardKey(a.standard);
  return standard !== '' && standard === standardKey(b.standard);
}

export interface FindingGroup {
  /** The finding shown: the worst member's words, every member's persona, the worst severity. */
  shown: PersonaFinding;
  /** Each member's own fingerprint, primary first. */
  fingerprints: string[];
  personas: string[];
}

/**
 * Groups one run's findings by problem, across personas only: a persona's two findings on a line are
 * two problems. The input order decides the groups' order; a group's primary is its worst member.
 */
export function groupByProblem(findings: ReadonlyArray<{ finding: PersonaFinding; fingerprint: string }>): FindingGroup[] {
  const groups: Array<Array<{ finding: PersonaFinding; fingerprint: string }>> = [];
  for (const item of findings) {
    const home = groups.find((g) => !g.some((m) => m.finding.persona === item.finding.persona) && g.some((m) => sameProblem(m.finding, item.finding)));
    if (home) home.push(item);
    else groups.push([item]);
  }
  return groups.map((members) => {
    const ranked = [...members].sort((a, b) => SEVERITY_ORDER[b.finding.severity] - SEVERITY_ORDER[a.finding.severity]);
    const primary = ranked[0]!.finding;
    const personas = [...new Set(ranked.map((m) => m.finding.persona))];
    const severity: Severity = primary.severity;
    const shown: PersonaFinding = {
      ...primary,
      severity,
      persona: personas.join(', '),
      suggestion: ranked.map((m) => m.finding.suggestion).find((s) => typeof s === 'string' && s.trim() !== '') ?? null,
      standard: ranked.map((m) => m.finding.standard).find((s) => standardKey(s) !== '') ?? null,
    };
    return { shown, fingerprints: ranked.map((m) => m.fingerprint), personas };
  });
}
