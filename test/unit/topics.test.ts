import { describe, expect, it } from 'vitest';
import { keepKeywordWinner, type Ranked } from '../../src/domain/fusion.js';
import { buildTopics, searchTopics, topicsStale, updateTopics, type TopicChunk, type TopicOptions } from '../../src/domain/topics.js';
import { decodeTopics, encodeTopics } from '../../src/infra/topics-file.js';

/** Sections about cars and about fruit, in several wordings, so LSA learns which words keep company. */
function corpus(): TopicChunk[] {
  const car = ['car engine wheels brakes', 'automobile engine wheels brakes', 'car engine fuel gearbox', 'automobile fuel gearbox wheels', 'vehicle brakes tyres engine'];
  const fruit = ['apple banana fruit orchard', 'banana fruit smoothie orchard', 'apple fruit juice orchard', 'orchard harvest apple pears'];
  const texts = [...car.map((t) => ['vehicles', t] as const), ...fruit.map((t) => ['food', t] as const)];
  return texts.map(([domain, text], i) => ({
    ref: { id: `c${i}`, file: `${domain}/doc${i}.md`, domain, ordinal: 0, appliesTo: [], title: '', section: '' },
    title: '',
    section: '',
    text,
  }));
}
const opts: TopicOptions = { dims: 2, minChunks: 5, maxFitChunks: 100 };

describe('topic index', () => {
  it('keeps none below minChunks', () => {
    expect(buildTopics(corpus().slice(0, 4), opts)).toBeNull();
  });

  it('finds a section by the company its words keep, and filters by domain', () => {
    const t = buildTopics(corpus(), opts)!;
    // "automobile" is not in doc0 ("car engine wheels brakes"), yet doc0 ranks above every fruit section.
    const hits = searchTopics(t, 'automobile', 20);
    const fruitAt = hits.findIndex((h) => h.chunk.domain === 'food');
    expect(hits.findIndex((h) => h.chunk.id === 'c0')).toBeLessThan(fruitAt);
    expect(hits.slice(0, 5).every((h) => h.chunk.domain === 'vehicles')).toBe(true);
    expect(searchTopics(t, 'automobile', 20, { domain: 'food' }).every((h) => h.chunk.domain === 'food')).toBe(true);
    expect(searchTopics(t, 'zeppelin', 20)).toEqual([]);
    expect(searchTopics(t, 'apple', 3).map((h) => h.score)).toEqual([...searchTopics(t, 'apple', 3).map((h) => h.score)].sort((a, b) => b - a));
  });

  it('folds new chunks in and drops those of replaced files, until drift calls for a new fit', () => {
    const t = buildTopics(corpus(), opts)!;
    const added: TopicChunk = { ref: { id: 'n1', file: 'vehicles/doc0.md', domain: 'vehicles', ordinal: 0, appliesTo: [] }, title: '', section: '', text: 'car gearbox fuel' };
    const next = updateTopics(t, new Set(['vehicles/doc0.md', 'food/doc8.md']), [added]);
    expect(next.refs.map((r) => r.id)).not.toContain('c0');
    expect(next.refs.map((r) => r.id)).not.toContain('c8');
    expect(next.refs.at(-1)!.id).toBe('n1');
    expect(next.folded).toBe(1);
    const hits = searchTopics(next, 'automobile', 20);
    expect(hits.findIndex((h) => h.chunk.id === 'n1')).toBeGreaterThanOrEqual(0);
    expect(hits.findIndex((h) => h.chunk.id === 'n1')).toBeLessThan(hits.findIndex((h) => h.chunk.domain === 'food'));
    expect(topicsStale(next, opts)).toBe(false);
    const drifted = updateTopics(next, new Set(), Array.from({ length: t.fitted + 1 }, (_, i) => ({ ...added, ref: { ...added.ref, id: `d${i}` } })));
    expect(topicsStale(drifted, opts)).toBe(true);
    expect(topicsStale(t, { ...opts, dims: 3 })).toBe(true);
  });

  it('round-trips through its file format and refuses a damaged file', () => {
    const t = buildTopics(corpus(), opts)!;
    const back = decodeTopics(encodeTopics(t));
    if ('reason' in back) throw new Error(back.reason);
    expect(back.refs).toEqual(t.refs);
    expect([...back.model.terms]).toEqual([...t.model.terms]);
    expect(searchTopics(back, 'automobile', 5).map((h) => h.chunk.id)).toEqual(searchTopics(t, 'automobile', 5).map((h) => h.chunk.id));
    const buf = encodeTopics(t);
    expect(decodeTopics(buf.subarray(0, buf.length - 4))).toEqual({ reason: 'size does not match its header' });
    expect(decodeTopics(Buffer.from('AOSTOPIC\u0002\0\0\0\0\0\0\0', 'latin1'))).toMatchObject({ reason: expect.stringContaining('format version 2') });
    expect(decodeTopics(Buffer.from('not a topic index'))).toEqual({ reason: 'not a topic index file' });
    // A header whose chunk references are not chunk references (a hand-edited or foreign file).
    const json = Buffer.from(JSON.stringify({ dims: 1, requestedDims: 1, fitted: 0, folded: 0, terms: [], refs: [{ id: 1 }] }));
    const forged = Buffer.concat([Buffer.from('AOSTOPIC', 'latin1'), Buffer.from([1, 0, 0, 0]), Buffer.from(Uint32Array.of(json.length).buffer), json]);
    expect(decodeTopics(forged)).toEqual({ reason: 'malformed chunk references' });
  });
});

describe('keepKeywordWinner', () => {
  const r = (id: string, file: string, score: number): Ranked => ({ chunk: { id, file, domain: 'd', ordinal: 0, appliesTo: [] }, score });
  const fused = [r('a', 'a.md', 0.9), r('b', 'b.md', 0.8), r('k', 'k.md', 0.1)];

  it('puts a standard the keyword ranking prefers by the ratio first', () => {
    expect(keepKeywordWinner(fused, [r('k', 'k.md', 30), r('k2', 'k.md', 20), r('a', 'a.md', 14)], 2).map((x) => x.chunk.id)).toEqual(['k', 'a', 'b']);
    expect(keepKeywordWinner(fused, [r('k', 'k.md', 30)], 2)[0]!.chunk.id).toBe('k');
  });

  it('leaves the order alone below the ratio, or when off', () => {
    const keyword = [r('k', 'k.md', 30), r('a', 'a.md', 16)];
    expect(keepKeywordWinner(fused, keyword, 2).map((x) => x.chunk.id)).toEqual(['a', 'b', 'k']);
    expect(keepKeywordWinner(fused, [r('k', 'k.md', 30), r('a', 'a.md', 1)], 0).map((x) => x.chunk.id)).toEqual(['a', 'b', 'k']);
    expect(keepKeywordWinner(fused, [], 2)).toEqual(fused);
  });
});
