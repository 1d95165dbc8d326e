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

/**
 * Fuse keyword and vector candidates into one ranking with scores in 0–1.
 * With only one list present, that list's order is kept and its weight becomes 1.
 */
export function fuse(keyword: readonly Ranked[], vector: readonly Ranked[], opts: FusionOptions = defaultFusion): Ranked[] {
  const wv = vector.length === 0 ? 0 : keyword.length === 0 ? 1 : opts.vectorWeight;
  const wk = 1 - wv;
  const acc = new Map<string, { chunk: ChunkRef; score: number }>();
  const add = (list: readonly Ranked[], weight: number): void => {
    if (weight === 0 || list.length === 0) return;
    const best = Math.max(...list.map((r) => r.score));
    const worst = Math.min(...list.map((r) => r.score));
    list.forEach((r, rank) => {
      const part =
        opts.method === 'rrf'
          ? weight * ((opts.k + 1) / (opts.k + rank + 1))
          : weight * (best > worst ? (r.score - worst) / (best - worst) : 1);
      const entry = acc.get(r.chunk.id);
      if (entry) entry.score += part;
      else acc.set(r.chunk.id, { chunk: r.chunk, score: part });
    });
  };
  add(keyword, wk);
  add(vector, wv);
  return [...acc.values()].sort((a, b) => b.score - a.score || a.chunk.file.localeCompare(b.chunk.file) || a.chunk.ordinal - b.chunk.ordinal);
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
