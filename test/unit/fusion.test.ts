import { describe, expect, it } from 'vitest';
import { appliesTo, diversify, fuse, fuseLists, preferApplicable, type Ranked } from '../../src/domain/fusion.js';
import type { Chunk } from '../../src/domain/standard.js';

function chunk(id: string, file = `${id}.md`, appliesToGlobs: string[] = []): Chunk {
  return { id, file, domain: 'd', topic: id, title: id, section: '', content: id, text: id, ordinal: 0, fileHash: '', textHash: id, tags: [], appliesTo: appliesToGlobs };
}
const r = (id: string, score: number, file?: string): Ranked => ({ chunk: chunk(id, file), score });

describe('fuse', () => {
  it('rewards documents both retrievers found', () => {
    const keyword = [r('a', 9), r('b', 5), r('c', 1)];
    const vector = [r('b', 0.9), r('c', 0.8), r('d', 0.7)];
    const fused = fuse(keyword, vector, { method: 'rrf', vectorWeight: 0.5, k: 60 });
    expect(fused[0]?.chunk.id).toBe('b');
    expect(fused.map((f) => f.chunk.id).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps scores within 0..1 and gives a top-ranked hit in both lists 1', () => {
    const fused = fuse([r('a', 3)], [r('a', 0.5)], { method: 'rrf', vectorWeight: 0.3, k: 60 });
    expect(fused[0]?.score).toBeCloseTo(1, 10);
    const linear = fuse([r('a', 3), r('b', 1)], [r('b', 0.9), r('a', 0.1)], { method: 'linear', vectorWeight: 0.5, k: 60 });
    for (const f of linear) expect(f.score).toBeGreaterThanOrEqual(0), expect(f.score).toBeLessThanOrEqual(1);
  });

  it('uses the only list present at full weight', () => {
    const fused = fuse([r('a', 2), r('b', 1)], [], { method: 'rrf', vectorWeight: 0.9, k: 60 });
    expect(fused.map((f) => f.chunk.id)).toEqual(['a', 'b']);
    expect(fused[0]?.score).toBeCloseTo(1, 10);
  });

  it('falls back to a zero-weight ranking when it is the only one with results', () => {
    const fused = fuse([r('a', 2), r('b', 1)], [], { method: 'rrf', vectorWeight: 1, k: 60 });
    expect(fused.map((f) => f.chunk.id)).toEqual(['a', 'b']);
  });

  it('fuses three rankings by weight', () => {
    const text = [r('a', 5), r('b', 4)];
    const heading = [r('b', 3), r('c', 2)];
    const vector = [r('c', 0.9), r('b', 0.8)];
    const fused = fuseLists(
      [
        { ranked: text, weight: 0.4 },
        { ranked: heading, weight: 0.2 },
        { ranked: vector, weight: 0.4 },
      ],
      { method: 'rrf', k: 60 },
    );
    expect(fused[0]?.chunk.id).toBe('b');
    expect(fuseLists([{ ranked: text, weight: 1 }, { ranked: heading, weight: 0 }], { method: 'rrf', k: 60 }).map((f) => f.chunk.id)).toEqual(['a', 'b']);
  });

  it('follows the weight: all-vector ignores keyword order', () => {
    const fused = fuse([r('a', 9), r('b', 1)], [r('b', 0.9), r('a', 0.1)], { method: 'linear', vectorWeight: 1, k: 60 });
    expect(fused[0]?.chunk.id).toBe('b');
  });
});

describe('diversify', () => {
  it('caps chunks per file and keeps order', () => {
    const list = [r('1', 5, 'x.md'), r('2', 4, 'x.md'), r('3', 3, 'x.md'), r('4', 2, 'y.md')];
    expect(diversify(list, 2).map((x) => x.chunk.id)).toEqual(['1', '2', '4']);
    expect(diversify(list, 1).map((x) => x.chunk.id)).toEqual(['1', '4']);
  });
});

describe('applies_to', () => {
  it('matches globs with and without folders', () => {
    expect(appliesTo(['src/auth/**'], 'src/auth/login.ts')).toBe(true);
    expect(appliesTo(['src/auth/**'], './src/auth/login.ts')).toBe(true);
    expect(appliesTo(['*.sql'], 'db/migrations/001.sql')).toBe(true);
    expect(appliesTo(['src/auth/**'], 'src/billing/pay.ts')).toBe(false);
    expect(appliesTo([], 'anything')).toBe(false);
  });

  it('moves applicable standards first, stable otherwise', () => {
    const list: Ranked[] = [
      { chunk: chunk('a', 'a.md'), score: 0.9 },
      { chunk: chunk('b', 'b.md', ['**/*.sql']), score: 0.5 },
      { chunk: chunk('c', 'c.md'), score: 0.4 },
    ];
    expect(preferApplicable(list, 'db/1.sql').map((x) => x.chunk.id)).toEqual(['b', 'a', 'c']);
    expect(preferApplicable(list, undefined).map((x) => x.chunk.id)).toEqual(['a', 'b', 'c']);
  });
});
