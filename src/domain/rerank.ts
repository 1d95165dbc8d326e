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
}

/** Chosen on the dev queries with a two-fold split and leave-one-out (bench/RESULTS.md, 2026-12-02). */
export const defaultRerank: RerankOptions = { depth: 50, title: 0.1, heading: 0, support: 0.05 };

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

/** Share (0–1) of `query` words that some word of `words` matches. */
export function coverage(query: readonly string[], words: readonly string[]): number {
  if (query.length === 0 || words.length === 0) return 0;
  let found = 0;
  for (const q of query) if (words.some((w) => sameStem(q, w))) found++;
  return found / query.length;
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
  const fileTotal = new Map<string, number>();
  for (const r of ranked) fileTotal.set(r.chunk.file, (fileTotal.get(r.chunk.file) ?? 0) + r.score);
  const top = ranked[0]!.score || 1;
  const scored = ranked.map((r, i) => {
    let score = r.score + opts.support * ((fileTotal.get(r.chunk.file) ?? r.score) - r.score);
    if (i < opts.depth && (opts.title > 0 || opts.heading > 0)) {
      const title = coverage(words, contentWords(r.chunk.title ?? ''));
      const heading = coverage(words, contentWords(r.chunk.section ?? ''));
      score += top * (opts.title * title + opts.heading * heading);
    }
    return { r, i, score };
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  const max = scored[0]!.score || 1;
  return scored.map((s) => ({ ...s.r, score: s.score / Math.max(1, max) }));
}
