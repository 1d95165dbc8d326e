/**
 * Planted-flaw changes for the briefing benchmark (`npm run bench -- --only briefing`): small,
 * realistic edits, each with one obvious flaw, labelled with the corpus standard(s) that govern it
 * (any one of them counts as a hit). Each case is a pair of file trees; the benchmark commits
 * `before` in a scratch git repository, writes `after` and hands `git diff` to the persona as an
 * assistant would, with a generic task.
 *
 * The split is fixed here and never tuned: every case whose id is a multiple of 3 is held aside.
 * FRESH_CASES were written after the selection was tuned (at commit 12d405f) and never tuned on: a
 * second check, since the tuning and held-aside cases were both known while the lexicon was written.
 */

export type CorpusDomain = 'security' | 'operations' | 'architecture' | 'development';

export interface BriefingCase {
  id: number;
  persona: 'security' | 'sre' | 'architect' | 'engineer' | 'data' | 'qa';
  domain: CorpusDomain;
  flaw: string;
  /** What the assistant asks; generic on purpose. */
  task?: string;
  /** `before` absent: a new file; `after` null: the file is deleted. */
  files: Array<{ path: string; before?: string; after: string | null }>;
  /** Corpus files (relative to the standards directory) that govern the flaw. */
  governing: string[];
}

export const DEFAULT_TASK = 'Review this change before I commit it';

export function isHeldOut(c: Pick<BriefingCase, 'id'>): boolean {
  return c.id % 3 === 0;
}

export const sec = (name: string): string => `security/${name}_Cheat_Sheet.md`;
export const ops = (name: string): string => `operations/twelve-factor-${name}.md`;
