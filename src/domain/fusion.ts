import picomatch from 'picomatch';
import type { ChunkRef } from './standard.js';

/** A retriever's candidate list entry: a chunk and that retriever's raw score, best first. */
export interface Ranked {
  chunk: ChunkRef;
  score: number;
}

export interface FusionOptions {
  /** Share of the vector ranking in the fused score; the keyword ranking gets the rest. */
  vectorWeight: number;
  /** 'rrf': reciprocal-rank fusion; 'linear': weighted sum of scores scaled to each list's best. */
  method: 'rrf' | 'linear';
  /** RRF damping constant. */
  k: number;
}

export const defaultFusion: FusionOptions = { vectorWeight: 0.5, method: 'rrf', k: 60 };

/** One retriever's ranking and its share of the fused score. */
export interface WeightedList {
  ranked: readonly Ranked[];
  weight: number;
}

/**
 * Fuse several rankings into one with scores in 0–1. Weights of empty lists are given to the
 * others in proportion, so one retriever alone keeps its order and reaches 1 at its top.
 */
export function fuseLists(lists: readonly WeightedList[], opts: Pick<FusionOptions, 'method' | 'k'>): Ranked[] {
  const nonEmpty = lists.filter((l) => l.ranked.length > 0);
  const weighted = nonEmpty.filter((l) => l.weight > 0);
  // Only zero-weight rankings have results (e.g. vectors weighted 1 but the model is down): use them.
  const live = weighted.length > 0 ? weighted : nonEmpty.map((l) => ({ ranked: l.ranked, weight: 1 }));
  const total = live.reduce((sum, l) => sum + l.weight, 0);
  const acc = new Map<string, { chunk: ChunkRef; score: number }>();
  for (const { ranked, weight } of live) {
    const w = weight / total;
    const best = Math.max(...ranked.map((r) => r.score));
    const worst = Math.min(...ranked.map((r) => r.score));
    ranked.forEach((r, rank) => {
      const part =
        opts.method === 'rrf'
          ? w * ((opts.k + 1) / (opts.k + rank + 1))
          : w * (best > worst ? (r.score - worst) / (best - worst) : 1);
      const entry = acc.get(r.chunk.id);
      if (entry) entry.score += part;
      else acc.set(r.chunk.id, { chunk: r.chunk, score: part });
    });
  }
  return [...acc.values()].sort((a, b) => b.score - a.score || a.chunk.file.localeCompare(b.chunk.file) || a.chunk.ordinal - b.chunk.ordinal);
}

/** Fuse a keyword and a vector ranking (`vectorWeight` to vectors, the rest to keywords). */
export function fuse(keyword: readonly Ranked[], vector: readonly Ranked[], opts: FusionOptions = defaultFusion): Ranked[] {
  return fuseLists(
    [
      { ranked: keyword, weight: 1 - opts.vectorWeight },
      { ranked: vector, weight: opts.vectorWeight },
    ],
    opts,
  );
}

/** Keep at most `maxPerFile` chunks of one file, so a result list spans several standards. */
export function diversify(ranked: readonly Ranked[], maxPerFile: number): Ranked[] {
  const seen = new Map<string, number>();
  const out: Ranked[] = [];
  for (const r of ranked) {
    const n = seen.get(r.chunk.file) ?? 0;
    if (n >= maxPerFile) continue;
    seen.set(r.chunk.file, n + 1);
    out.push(r);
  }
  return out;
}

/** Whether a standard's `applies_to` globs match a project path. */
export function appliesTo(globs: readonly string[], filePath: string): boolean {
  if (globs.length === 0) return false;
  const normalized = filePath.replace(/\\/g, '/').replace(/^\.\//, '');
  return picomatch(globs as string[], { dot: true, matchBase: !globs.some((g) => g.includes('/')) })(normalized);
}

/** Stable re-order putting standards whose `applies_to` matches `filePath` first. */
export function preferApplicable(ranked: readonly Ranked[], filePath: string | undefined): Ranked[] {
  if (!filePath) return [...ranked];
  const hit: Ranked[] = [];
  const rest: Ranked[] = [];
  for (const r of ranked) (appliesTo(r.chunk.appliesTo, filePath) ? hit : rest).push(r);
  return [...hit, ...rest];
}

/**
 * Put the keyword ranking's best section first when its standard is a clear winner: it scores at least
 * `ratio` times the best section of any other standard (or no other standard matches at all). A
 * question that names a team's own topic ("kafka topic naming") then finds that standard even where the
 * semantic ranking, which weighs most, has never placed it. 0 turns this off.
 */
export function keepKeywordWinner(fused: readonly Ranked[], keyword: readonly Ranked[], ratio: number): Ranked[] {
  const top = keyword[0];
  if (ratio <= 0 || !top || top.score <= 0) return [...fused];
  const other = keyword.find((r) => r.chunk.file !== top.chunk.file);
  if (other && top.score < ratio * other.score) return [...fused];
  const rest = fused.filter((r) => r.chunk.id !== top.chunk.id);
  const best = fused[0]?.score ?? 1;
  return [{ chunk: top.chunk, score: Math.max(best, fused.find((r) => r.chunk.id === top.chunk.id)?.score ?? 0) }, ...rest];
}
