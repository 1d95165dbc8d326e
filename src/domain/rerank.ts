import type { Ranked } from './fusion.js';

/** Weights of the cheap features that reorder the fused top candidates; all zero leaves the order alone. */
export interface RerankOptions {
  /** Candidates (best fused first) that are reordered; the rest keep their place after them. */
  depth: number;
  /** Share of the query's words found in the standard's title. */
  title: number;
  /** Share of the query's words found in the section's heading path. */
  heading: number;
  /** Share of the fused scores of the standard's other candidate sections added to a section's own. */
  support: number;
  /**
   * Only other sections scoring at least this share of the best fused score lend support: without a
   * floor, a long standard that mentions a common word of the question in dozens of weak sections
   * outweighs a short one about the rare word asked for ("kafka topic naming").
   */
  supportFloor: number;
  /**
   * At most this many other sections (the strongest) lend support: evidence that a standard is about
   * the question saturates, and without a cap a long guide that touches the question's common words in
   * fifteen sections outweighs the team's one-section standard that the question names.
   */
  supportSections: number;
}

/**
 * Support weight chosen on the dev queries with a two-fold split and leave-one-out; the support floor,
 * rarity-weighted titles, the cap on supporting sections and the title weight chosen so that short
 * team standards named by their question come first, with the dev queries as a check
 * (bench/RESULTS.md, 2026-12-02).
 */
export const defaultRerank: RerankOptions = { depth: 50, title: 0.6, heading: 0, support: 0.05, supportFloor: 0.35, supportSections: 12 };

/** Words too common in questions and headings to say what a question is about. */
const STOP = new Set(
  'a an and are as at be by can do does for from how i in into is it its of on or our should that the their them then there these this to use using was we what when where which who why will with you your'.split(' '),
);

/** Lower-cased words of a text that carry meaning (letters and digits, two characters or more, no stop words). */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1 && !STOP.has(w));
}

/**
 * Whether two words are forms of one another: equal, or sharing their first five letters (or all of
 * the shorter one, when it has four). "session"/"sessions", "validation"/"validate" and
 * "cryptographic"/"cryptography" match; "log"/"logging" and "token"/"topic" do not.
 */
export function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 4) return false;
  const need = Math.min(5, shorter);
  for (let i = 0; i < need; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Share (0–1) of `query` words that some word of `words` matches, each query word counting `weight(i)` (default 1). */
export function coverage(query: readonly string[], words: readonly string[], weight: (i: number) => number = () => 1): number {
  if (query.length === 0 || words.length === 0) return 0;
  let found = 0;
  let total = 0;
  query.forEach((q, i) => {
    total += weight(i);
    if (words.some((w) => sameStem(q, w))) found += weight(i);
  });
  return total > 0 ? found / total : 0;
}

/**
 * How much each query word says, from the candidates' own titles: log(1 + standards / standards whose
 * title or headings hold the word). A word in every candidate's headings ("naming") says little; one
 * in a single title ("kafka") says what the question is about.
 */
function titleWeights(words: readonly string[], ranked: readonly Ranked[]): number[] {
  const byFile = new Map<string, string[]>();
  for (const r of ranked) {
    const seen = byFile.get(r.chunk.file) ?? contentWords(r.chunk.title ?? '');
    byFile.set(r.chunk.file, seen.concat(contentWords(r.chunk.section ?? '')));
  }
  const files = [...byFile.values()];
  return words.map((q) => Math.log(1 + files.length / Math.max(1, files.filter((ws) => ws.some((w) => sameStem(q, w))).length)));
}

/**
 * Reorder fused candidates. Every candidate gains `support` times the fused scores of the other
 * candidate sections of its standard (a standard that matches in many places is more likely about the
 * question than one lucky paragraph); the top `depth` also gain from title and heading matches, each
 * at most its weight times the best fused score. Scores are scaled back into 0–1.
 */
export function rerank(ranked: readonly Ranked[], query: string, opts: RerankOptions): Ranked[] {
  if ((opts.title === 0 && opts.heading === 0 && opts.support === 0) || ranked.length < 2) return [...ranked];
  const words = [...new Set(contentWords(query))];
  const weights = titleWeights(words, ranked.slice(0, opts.depth));
  const weight = (i: number): number => weights[i] ?? 1;
  const top = ranked[0]!.score || 1;
  const floor = top * opts.supportFloor;
  // Sections above the floor, per standard, strongest first (the fused list is sorted best first).
  const strong = new Map<string, number[]>();
  for (const r of ranked) {
    if (r.score < floor) continue;
    const list = strong.get(r.chunk.file);
    if (list) list.push(r.score);
    else strong.set(r.chunk.file, [r.score]);
  }
  /** The summed scores of the strongest `supportSections` sections of the standard other than `self`. */
  const support = (file: string, self: number): number => {
    let sum = 0;
    let n = 0;
    let skipped = false;
    for (const score of strong.get(file) ?? []) {
      if (!skipped && score === self) {
        skipped = true;
        continue;
      }
      if (n++ >= opts.supportSections) break;
      sum += score;
    }
    return sum;
  };
  const scored = ranked.map((r, i) => {
    let score = r.score + (opts.support > 0 ? opts.support * support(r.chunk.file, r.score >= floor ? r.score : Number.NaN) : 0);
    if (i < opts.depth && (opts.title > 0 || opts.heading > 0)) {
      const title = coverage(words, contentWords(r.chunk.title ?? ''), weight);
      const heading = coverage(words, contentWords(r.chunk.section ?? ''), weight);
      score += top * (opts.title * title + opts.heading * heading);
    }
    return { r, i, score };
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  const max = scored[0]!.score || 1;
  return scored.map((s) => ({ ...s.r, score: s.score / Math.max(1, max) }));
}
