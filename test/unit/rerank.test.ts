import { describe, expect, it } from 'vitest';
import type { Ranked } from '../../src/domain/fusion.js';
import { contentWords, coverage, defaultRerank, rerank, sameStem } from '../../src/domain/rerank.js';

const ref = (id: string, file: string, score: number, title = '', section = ''): Ranked => ({
  chunk: { id, file, domain: 'security', ordinal: 0, appliesTo: [], title, section },
  score,
});

describe('rerank', () => {
  it('puts a standard whose title covers the question above a slightly better body match', () => {
    const fused = [ref('a', 'security/logging.md', 1, 'Logging', 'Events'), ref('b', 'security/session-management.md', 0.96, 'Session Management', 'Timeouts')];
    const out = rerank(fused, 'session timeout', { depth: 50, title: 0.1, heading: 0, support: 0, supportFloor: 0, supportSections: 1000 });
    expect(out.map((r) => r.chunk.file)).toEqual(['security/session-management.md', 'security/logging.md']);
  });

  it('lifts a standard that matches in several sections over one lucky section', () => {
    const fused = [
      ref('x', 'ops/caching.md', 1),
      ref('s1', 'security/sessions.md', 0.9),
      ref('y', 'ops/queues.md', 0.85),
      ref('s2', 'security/sessions.md', 0.6),
      ref('s3', 'security/sessions.md', 0.5),
    ];
    const out = rerank(fused, 'anything', { depth: 50, title: 0, heading: 0, support: 0.1, supportFloor: 0, supportSections: 1000 });
    expect(out.map((r) => r.chunk.id).slice(0, 3)).toEqual(['s1', 'x', 'y']);
  });

  it('lets only strong sections lend support, so many weak mentions of a common word do not bury the standard about the rare one', () => {
    const weak = Array.from({ length: 30 }, (_, i) => ref(`g${i}`, 'development/go-style.md', 0.3, 'Go Style', 'Naming'));
    const fused = [ref('k', 'data/kafka.md', 1, 'Kafka conventions', 'Topics'), ref('g', 'development/go-style.md', 0.6, 'Go Style', 'Naming'), ...weak];
    const unfloored = rerank(fused, 'kafka topic naming', { ...defaultRerank, title: 0, supportFloor: 0, supportSections: 1000 });
    expect(unfloored[0]?.chunk.file).toBe('development/go-style.md');
    const floored = rerank(fused, 'kafka topic naming', { ...defaultRerank, title: 0 });
    expect(floored[0]?.chunk.id).toBe('k');
  });

  it('lets at most supportSections other sections lend support, so a long guide touching the question in thirty places does not outrank the one-section standard on it', () => {
    const many = Array.from({ length: 30 }, (_, i) => ref(`p${i}`, 'development/py-style.md', 0.36, 'Python Style', `Modules ${i}`));
    const fused = [ref('t', 'infra/terraform.md', 1, 'Terraform modules', 'Layout'), ref('p', 'development/py-style.md', 0.75, 'Python Style', 'Modules'), ...many];
    const opts = { ...defaultRerank, title: 0 };
    expect(rerank(fused, 'terraform module layout', { ...opts, supportSections: 1000 })[0]?.chunk.file).toBe('development/py-style.md');
    expect(rerank(fused, 'terraform module layout', { ...opts, supportSections: 12 })[0]?.chunk.id).toBe('t');
    // No supporting sections is no support at all.
    expect(rerank(fused, 'terraform module layout', { ...opts, supportSections: 0 })).toEqual(rerank(fused, 'terraform module layout', { ...opts, support: 0 }));
  });

  it('counts a title word by its rarity among the candidates: the one title with the rare word beats the many with the common one', () => {
    const fused = [
      ref('n1', 'architecture/naming.md', 1, 'Naming', 'Property names'),
      ref('k', 'data/kafka.md', 0.97, 'Kafka conventions', 'Topics'),
      ref('n2', 'development/go-style.md', 0.9, 'Go Style', 'Naming'),
      ref('n3', 'development/py-style.md', 0.85, 'Python Style', 'Naming'),
    ];
    const opts = { depth: 50, title: 0.3, heading: 0, support: 0, supportFloor: 0, supportSections: 1000 };
    expect(rerank(fused, 'kafka topic naming', opts)[0]?.chunk.id).toBe('k');
  });

  it('keeps scores in 0–1 and in order, and changes nothing with all weights at zero', () => {
    const fused = [ref('a', 'a.md', 1, 'Alpha'), ref('b', 'b.md', 0.5, 'Beta guide'), ref('c', 'b.md', 0.4)];
    const out = rerank(fused, 'beta guide', defaultRerank);
    for (const r of out) expect(r.score).toBeGreaterThanOrEqual(0), expect(r.score).toBeLessThanOrEqual(1);
    expect(out.map((r) => r.score)).toEqual([...out.map((r) => r.score)].sort((x, y) => y - x));
    expect(rerank(fused, 'beta guide', { depth: 50, title: 0, heading: 0, support: 0, supportFloor: 0, supportSections: 1000 })).toEqual(fused);
  });

  it('looks at titles and headings only within depth', () => {
    const fused = [ref('a', 'a.md', 1), ref('b', 'b.md', 0.99), ref('c', 'c.md', 0.98, 'Password storage')];
    expect(rerank(fused, 'password storage', { depth: 2, title: 1, heading: 0, support: 0, supportFloor: 0, supportSections: 1000 })[0]?.chunk.id).toBe('a');
    expect(rerank(fused, 'password storage', { depth: 3, title: 1, heading: 0, support: 0, supportFloor: 0, supportSections: 1000 })[0]?.chunk.id).toBe('c');
  });
});

describe('word matching', () => {
  it('drops stop words and matches word forms, not unrelated prefixes', () => {
    expect(contentWords('How should we handle the Sessions?')).toEqual(['handle', 'sessions']);
    expect(sameStem('session', 'sessions')).toBe(true);
    expect(sameStem('validation', 'validate')).toBe(true);
    expect(sameStem('cryptographic', 'cryptography')).toBe(true);
    expect(sameStem('log', 'logging')).toBe(false);
    expect(sameStem('token', 'topic')).toBe(false);
    expect(coverage(['session', 'timeout'], contentWords('Session Management'))).toBe(0.5);
    expect(coverage(['kafka', 'naming'], ['kafka'], (i) => [3, 1][i]!)).toBe(0.75);
  });
});
