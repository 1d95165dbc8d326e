import { describe, expect, it } from 'vitest';
import { keepKeywordWinner, type Ranked } from '../../src/domain/fusion.js';
import { applyDelta, buildTopics, emptyDelta, extendDelta, searchTopics, topicsStale, type TopicChunk, type TopicIndex, type TopicOptions } from '../../src/domain/topics.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeChunks, decodeModel, encodeBlob, encodeChunks, encodeModel, FileTopicStore } from '../../src/infra/topics-file.js';

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
const FIT = '00112233aabbccdd';
const build = (chunks: TopicChunk[]): TopicIndex | null => buildTopics(chunks, opts, FIT);
const fitOf = (t: TopicIndex) => ({ fitId: t.fitId, model: t.model, fitted: t.fitted, requestedDims: t.requestedDims, chunks: t.refs.length, files: new Set(t.refs.map((r) => r.file)).size });

describe('topic index', () => {
  it('keeps none below minChunks', () => {
    expect(build(corpus().slice(0, 4))).toBeNull();
  });

  it('finds a section by the company its words keep, and filters by domain', () => {
    const t = build(corpus())!;
    // "automobile" is not in doc0 ("car engine wheels brakes"), yet doc0 ranks above every fruit section.
    const hits = searchTopics(t, 'automobile', 20);
    const fruitAt = hits.findIndex((h) => h.chunk.domain === 'food');
    expect(hits.findIndex((h) => h.chunk.id === 'c0')).toBeLessThan(fruitAt);
    expect(hits.slice(0, 5).every((h) => h.chunk.domain === 'vehicles')).toBe(true);
    expect(searchTopics(t, 'automobile', 20, { domain: 'food' }).every((h) => h.chunk.domain === 'food')).toBe(true);
    expect(searchTopics(t, 'zeppelin', 20)).toEqual([]);
    expect(searchTopics(t, 'apple', 3).map((h) => h.score)).toEqual([...searchTopics(t, 'apple', 3).map((h) => h.score)].sort((a, b) => b - a));
  });

  it('folds new chunks into a delta that replaces their files, until drift calls for a new fit', () => {
    const t = build(corpus())!;
    const added: TopicChunk = { ref: { id: 'n1', file: 'vehicles/doc0.md', domain: 'vehicles', ordinal: 0, appliesTo: [] }, title: '', section: '', text: 'car gearbox fuel' };
    const delta = extendDelta(t.model, emptyDelta(t.fitId), new Set(['vehicles/doc0.md', 'food/doc8.md']), [added]);
    expect(delta.replaced).toEqual(['food/doc8.md', 'vehicles/doc0.md']);
    const next = applyDelta(t, delta);
    expect(next.refs.map((r) => r.id)).not.toContain('c0');
    expect(next.refs.map((r) => r.id)).not.toContain('c8');
    expect(next.refs.at(-1)!.id).toBe('n1');
    expect(next.refs).toHaveLength(t.refs.length - 1);
    const hits = searchTopics(next, 'automobile', 20);
    expect(hits.findIndex((h) => h.chunk.id === 'n1')).toBeGreaterThanOrEqual(0);
    expect(hits.findIndex((h) => h.chunk.id === 'n1')).toBeLessThan(hits.findIndex((h) => h.chunk.domain === 'food'));
    // Editing the file again replaces the folded chunk too; a delta of another fit is not applied.
    const again = extendDelta(t.model, delta, new Set(['vehicles/doc0.md']), [{ ...added, ref: { ...added.ref, id: 'n2' } }]);
    expect(again.refs.map((r) => r.id)).toEqual(['n2']);
    expect(applyDelta(t, { ...again, fitId: 'ffffffffffffffff' })).toBe(t);
    expect(topicsStale(fitOf(t), delta, opts)).toBe(false);
    const drifted = extendDelta(t.model, delta, new Set(), Array.from({ length: t.fitted + 1 }, (_, i) => ({ ...added, ref: { ...added.ref, file: `vehicles/new${i}.md`, id: `d${i}` } })));
    expect(topicsStale(fitOf(t), drifted, opts)).toBe(true);
    expect(topicsStale(fitOf(t), extendDelta(t.model, delta, new Set(['a', 'b', 'c', 'd', 'e', 'f']), []), opts)).toBe(true);
    expect(topicsStale(fitOf(t), null, { ...opts, dims: 3 })).toBe(true);
  });

  it('round-trips through its file formats and refuses damaged or forged files', () => {
    const t = build(corpus())!;
    const model = decodeModel(encodeModel(fitOf(t)));
    if ('reason' in model) throw new Error(model.reason);
    expect([...model.model.terms]).toEqual([...t.model.terms]);
    const chunks = decodeChunks(encodeChunks('chunks', t.fitId, t.model.dims, t.refs, t.vectors), 'chunks');
    if ('reason' in chunks) throw new Error(chunks.reason);
    expect(chunks.refs).toEqual(t.refs.map((r) => ({ id: r.id, file: r.file, domain: r.domain, ordinal: r.ordinal, appliesTo: r.appliesTo })));
    const back: TopicIndex = { ...t, model: model.model, refs: chunks.refs, vectors: chunks.vectors };
    expect(searchTopics(back, 'automobile', 5).map((h) => h.chunk.id)).toEqual(searchTopics(t, 'automobile', 5).map((h) => h.chunk.id));
    const buf = encodeModel(fitOf(t));
    expect(decodeModel(buf.subarray(0, buf.length - 4))).toEqual({ reason: 'size does not match its header' });
    expect(decodeModel(Buffer.from('AOSTOPIC\u0009\0\0\0\0\0\0\0', 'latin1'))).toMatchObject({ reason: expect.stringContaining('format version 9') });
    expect(decodeModel(Buffer.from('not a topic index'))).toEqual({ reason: 'not a topic index file' });
    expect(decodeChunks(buf, 'chunks')).toEqual({ reason: 'not a topic chunks file' });
    // A fit id names a file: one that is not a plain token is refused.
    expect(decodeModel(encodeModel({ ...fitOf(t), fitId: '../../x' }))).toEqual({ reason: 'malformed header' });
    // Chunk references that are not chunk references (a hand-edited or foreign file).
    expect(decodeChunks(encodeBlob('chunks', { fitId: FIT, dims: 1, replaced: [], refs: { files: [['a.md', 'd', []]], chunks: [['x', 7, 0]] } }, [new Float32Array(1)]), 'chunks')).toEqual({ reason: 'malformed header' });
  });
});

describe('FileTopicStore', () => {
  it('writes a fit only under a plain fit id, so an id cannot name a file elsewhere', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-topics-'));
    try {
      const store = new FileTopicStore(dir, 'chunks_t');
      const t = build(corpus())!;
      await expect(store.writeFit({ ...t, fitId: '../../escape' })).rejects.toThrow(/not a fit id/);
      expect(fs.readdirSync(dir)).toEqual([]);
      expect(fs.existsSync(path.join(dir, '..', '..', 'escape.bin'))).toBe(false);
      await store.writeFit({ ...t, fitId: store.newFitId() });
      expect((await store.read())!.refs.map((r) => r.id)).toEqual(t.refs.map((r) => r.id));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
