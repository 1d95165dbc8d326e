/**
 * Combining several standards searches into one short list: each source (a changed file, the task)
 * ranks standards by reciprocal rank over its own searches; every source gets a fair share of the
 * slots, so one busy file cannot crowd out the others; the chosen standards are then ordered by their
 * combined score. Pure.
 */
import { tokenizeText } from './tokenize.js';

export interface SelectedSection {
  section: string;
  content: string;
  score: number;
}

/** A changed line that shares words with a standard: why the standard was chosen. */
export interface Evidence {
  /** The changed file ("snippet N" for code without a path; '' for the task). */
  path: string;
  /** Line in the new file; negative: a removed line of the old file; null: the task or the path. */
  line: number | null;
  text: string;
  words: string[];
}

export interface SelectedStandard {
  file: string;
  title: string;
  domain: string;
  score: number;
  /** The sections that matched, best first (at most two). */
  sections: SelectedSection[];
  evidence: Evidence[];
  /** The sources that found it: changed file paths, or "task". */
  via: string[];
}

export interface RankedList {
  /** Standard files, best first (one entry per file). */
  files: readonly string[];
  /** Share of this list in its source's score. */
  weight: number;
}

export interface Source {
  id: string;
  lists: readonly RankedList[];
  /** Share of this source in the combined score. */
  weight: number;
  /** Slots this source is owed before any other source gets a second one (0: none, it only adds to scores). */
  share: number;
}

export interface Combined {
  /** Chosen standard files, best first. */
  chosen: string[];
  /** Combined score of every standard any source found. */
  scores: Map<string, number>;
  /** Which sources found each standard. */
  foundBy: Map<string, string[]>;
  /** Found but not chosen, best first. */
  rest: string[];
}

/** Reciprocal-rank damping: small, so the first few ranks of a list dominate. */
const RRF_K = 2;
/** Each further list that finds a standard adds half as much as the one before: breadth alone does not win. */
const AGAIN = 0.5;

function sourceScores(source: Source): Map<string, number> {
  const parts = new Map<string, number[]>();
  for (const list of source.lists) {
    list.files.forEach((file, rank) => parts.set(file, [...(parts.get(file) ?? []), list.weight / (RRF_K + rank + 1)]));
  }
  const scores = new Map<string, number>();
  for (const [file, ps] of parts) scores.set(file, ps.sort((a, b) => b - a).reduce((sum, p, i) => sum + p * AGAIN ** i, 0));
  return scores;
}

/**
 * The `max` standards to show: rounds over the sources (in the given order), each taking its best
 * standard not yet chosen while it has share left; once every share is spent, the best by combined
 * score. Ties keep the sources' order.
 */
export function combineSources(sources: readonly Source[], max: number): Combined {
  const per = sources.map((s) => ({ source: s, scores: sourceScores(s) }));
  const scores = new Map<string, number>();
  const foundBy = new Map<string, string[]>();
  for (const { source, scores: own } of per) {
    for (const [file, score] of own) {
      scores.set(file, (scores.get(file) ?? 0) + source.weight * score);
      foundBy.set(file, [...(foundBy.get(file) ?? []), source.id]);
    }
  }
  const chosen: string[] = [];
  const taken = new Set<string>();
  const ranked = per.map(({ source, scores: own }) => ({
    share: source.share,
    order: [...own.entries()].sort((a, b) => b[1] - a[1] || (scores.get(b[0]) ?? 0) - (scores.get(a[0]) ?? 0)).map(([f]) => f),
  }));
  let progress = true;
  while (chosen.length < max && progress) {
    progress = false;
    for (const r of ranked) {
      if (chosen.length >= max) break;
      if (r.share <= 0) continue;
      const next = r.order.find((f) => !taken.has(f));
      if (next === undefined) continue;
      chosen.push(next);
      taken.add(next);
      r.share--;
      progress = true;
    }
  }
  const byScore = [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([f]) => f);
  for (const f of byScore) {
    if (chosen.length >= max) break;
    if (!taken.has(f)) {
      chosen.push(f);
      taken.add(f);
    }
  }
  chosen.sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0));
  return { chosen, scores, foundBy, rest: byScore.filter((f) => !taken.has(f)) };
}

/** A crude stem, the same on both sides of a comparison: case and common English endings dropped. */
export function stem(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 4) return w;
  if (w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  return w.replace(/(ations?|ization|isation|ings?|ers?|ed|es|s|ly)$/, '') || w;
}

export function stems(text: string): Set<string> {
  return new Set(tokenizeText(text).map(stem));
}

/** The words of `term` (one or more words) that occur in `text`'s stems. */
export function sharedWords(term: string, textStems: ReadonlySet<string>): string[] {
  return tokenizeText(term).filter((w) => w.length >= 3 && textStems.has(stem(w)));
}
