import { describe, expect, it } from 'vitest';

import { aggregateReviews, renderReport, type ClosedReview } from '../../src/domain/review-report.js';
import { emptyState, type TrackedFinding } from '../../src/domain/review-state.js';

function finding(over: Partial<TrackedFinding>): TrackedFinding {
  return { fingerprint: 'aaaaaaaaaaaa', severity: 'warning', path: 'src/a.ts', line: 1, persona: 'security', title: 'T', status: 'open', ...over };
}

function review(number: number, merged: boolean, findings: TrackedFinding[]): ClosedReview {
  return { number, url: `https://github.com/o/r/pull/${number}`, title: `PR ${number}`, merged, closedAt: null, state: { ...emptyState('f'.repeat(40)), findings } };
}

describe('aggregateReviews', () => {
  const reviews = [
    review(1, true, [
      finding({ standard: 'security/secrets.md', status: 'dismissed', reason: 'fixture', by: 'octocat' }),
      finding({ fingerprint: 'bbbbbbbbbbbb', standard: 'security/secrets.md', status: 'fixed', persona: 'engineer' }),
      finding({ fingerprint: 'cccccccccccc', status: 'open', persona: 'engineer' }),
    ]),
    // Closed without merging: its fixed finding was not fixed "before merge".
    review(2, false, [finding({ standard: 'security/secrets.md', status: 'fixed' }), finding({ fingerprint: 'dddddddddddd', standard: 'security/secrets.md', status: 'dismissed', reason: 'seed data' })]),
  ];
  const usage = [
    { file: 'security/secrets.md', query_count: 7, last_queried_at: '2026-01-01T00:00:00Z' },
    { file: 'api/errors.md', query_count: 3, last_queried_at: null },
  ];

  it('counts raised, fixed before merge, dismissed and open per standard and persona, beside query counts', () => {
    const r = aggregateReviews(reviews, usage, { minDismissals: 2 });
    expect(r.standards.map((s) => [s.standard, s.raised, s.fixed, s.dismissed, s.open, s.query_count])).toEqual([
      ['security/secrets.md', 4, 1, 2, 0, 7],
      [null, 1, 0, 0, 1, null],
      ['api/errors.md', 0, 0, 0, 0, 3],
    ]);
    expect(r.personas.map((p) => [p.persona, p.raised, p.fixed, p.dismissed, p.open])).toEqual([
      ['security', 3, 0, 2, 0],
      ['engineer', 2, 1, 0, 1],
    ]);
    expect(r.dismissed_often).toEqual([
      {
        standard: 'security/secrets.md',
        dismissed: 2,
        raised: 4,
        dismissals: [
          { reason: 'fixture', by: 'octocat', pull_request: 1, url: 'https://github.com/o/r/pull/1', persona: 'security', title: 'T' },
          { reason: 'seed data', by: null, pull_request: 2, url: 'https://github.com/o/r/pull/2', persona: 'security', title: 'T' },
        ],
      },
    ]);
    expect(aggregateReviews(reviews, usage, { minDismissals: 3 }).dismissed_often).toEqual([]);
  });

  it('renders a table per standard and persona, and the standards dismissed often with their reasons', () => {
    const text = renderReport(aggregateReviews(reviews, usage, { minDismissals: 2 }), ['A note.']);
    expect(text).toContain('Reviews of 2 closed pull request(s) (1 merged).');
    expect(text).toContain('  security/secrets.md       4      1          2     0        7');
    expect(text).toContain('  (no standard cited)       1      0          0     1        -');
    expect(text).toContain('  security/secrets.md: 2 of 4 finding(s) dismissed\n    - #1: fixture (@octocat)\n    - #2: seed data');
    expect(text.endsWith('\n\nA note.')).toBe(true);
    expect(renderReport(aggregateReviews([], usage, { minDismissals: 2 }))).toContain('No review outcomes read (pass --github');
  });
});
