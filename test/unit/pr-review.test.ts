import { describe, expect, it } from 'vitest';

import { findingFingerprintOf, findingFingerprintsOf, placeFindings, renderInlineComment } from '../../src/domain/review-placement.js';
import {
  commentableLines,
  DEFAULT_SKIPPED,
  fingerprint,
  gateFailure,
  isIgnoredPath,
  maxSeverity,
  normalizeTitle,
  renderReviewBody,
  renderStepSummary,
  SEVERITY_ORDER,
  shouldFail,
  type FindingCounts,
  type PersonaFinding,
  type SummaryOnlyFinding,
} from '../../src/domain/pr-review.js';

const MULTI_HUNK = [
  '@@ -1,3 +1,4 @@',
  ' line1',
  '+added2',
  ' line3',
  ' line4',
  '@@ -10,4 +11,3 @@ function foo() {',
  ' ctx11',
  '-removed',
  ' ctx12',
  '+added13',
  '-removed2',
  '\\ No newline at end of file',
].join('\n');

function finding(over: Partial<PersonaFinding> = {}): PersonaFinding {
  return { persona: 'engineer', path: 'src/a.ts', line: 2, severity: 'warning', title: 'Missing error code', body: 'Use AgentOsError.', ...over };
}


describe('commentableLines', () => {
  it('takes added and context lines of every hunk, never removed ones', () => {
    expect([...commentableLines(MULTI_HUNK)].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 11, 12, 13]);
  });

  it('reads CRLF patches the same way', () => {
    expect([...commentableLines(MULTI_HUNK.replace(/\n/g, '\r\n'))].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 11, 12, 13]);
  });

  it('treats omitted hunk counts as 1', () => {
    expect([...commentableLines('@@ -1 +1 @@\n-old\n+new\n')]).toEqual([1]);
    expect([...commentableLines('@@ -5 +7,2 @@\n ctx\n+new')]).toEqual([7, 8]);
  });

  it('handles new files, deleted files and empty patches', () => {
    expect([...commentableLines('@@ -0,0 +1,2 @@\n+a\n+b\n')]).toEqual([1, 2]);
    expect([...commentableLines('@@ -1,2 +0,0 @@\n-a\n-b\n')]).toEqual([]);
    expect([...commentableLines('')]).toEqual([]);
  });

  it('counts a context line whose leading space was stripped, and ignores lines outside hunks', () => {
    expect([...commentableLines('@@ -1,3 +1,3 @@\n a\n\n-c\n+C\n')]).toEqual([1, 2, 3]);
    expect([...commentableLines('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n+stray after the hunk')]).toEqual([1]);
  });
});

describe('fingerprint', () => {
  it('is a pinned 12-hex value (changing it would repost every finding on every open PR)', () => {
    expect(fingerprint({ persona: 'engineer', path: 'src/a.ts', title: 'Missing error code', standard: 'development/error-handling.md' })).toBe('bd2877097006');
  });

  it('ignores line, body, whitespace, case, punctuation, numbers and path prefixes', () => {
    const base = fingerprint(finding({ line: 2 }));
    expect(fingerprint(finding({ line: 40, body: 'different words' }))).toBe(base);
    expect(fingerprint(finding({ title: '  missing   ERROR code. ' }))).toBe(base);
    expect(fingerprint(finding({ path: './src/a.ts' }))).toBe(base);
    expect(fingerprint(finding({ path: '/src/a.ts' }))).toBe(base);
    expect(fingerprint(finding({ title: 'Line 42 is too long' }))).toBe(fingerprint(finding({ title: 'Line 57 is too long' })));
    expect(normalizeTitle('  Don\'t   use `any` (line 42)!  ')).toBe('don t use any line #');
    expect(normalizeTitle('Lines 3-5 duplicate src/a.ts:12:4 and L7')).toBe('line # duplicate src a ts and line #');
    expect(fingerprint(finding({ title: 'Unused variable x1' }))).not.toBe(fingerprint(finding({ title: 'Unused variable x2' })));
    expect(fingerprint(finding({ title: 'Magic number 3600' }))).not.toBe(fingerprint(finding({ title: 'Magic number 60' })));
  });

  it('differs by persona, path, title and standard', () => {
    const base = fingerprint(finding());
    const others = [
      fingerprint(finding({ persona: 'security' })),
      fingerprint(finding({ path: 'src/b.ts' })),
      fingerprint(finding({ title: 'Missing error hint' })),
      fingerprint(finding({ standard: 'development/error-handling.md' })),
    ];
    expect(new Set([base, ...others]).size).toBe(5);
    expect(fingerprint(finding({ standard: '.agent-os/standards/development/error-handling.md' }))).toBe(others[3]);
  });
});

describe('isIgnoredPath', () => {
  it.each([
    ['package-lock.json', true],
    ['./packages/web/package-lock.json', true],
    ['yarn.lock', true],
    ['apps/api/Cargo.lock', true],
    ['go.sum', true],
    ['deps/custom.lock', true],
    ['bun.lockb', true],
    ['public/app.min.js', true],
    ['public/app.min.css', true],
    ['dist/index.js', true],
    ['packages/x/dist/a.js', true],
    ['vendor/lib/a.go', true],
    ['node_modules/x/index.js', true],
    ['src/api.generated.ts', true],
    ['proto/a.pb.go', true],
    ['py/a_pb2.py', true],
    ['test/__snapshots__/a.test.ts.snap', true],
    ['src/app.js.map', true],
    ['src/dist.ts', false],
    ['src/lockfile.ts', false],
    ['src/distribution/a.ts', false],
    ['.github/workflows/ci.yml', false],
    ['src/a.ts', false],
  ])('%s → %s with no globs of its own', (path, expected) => {
    expect(isIgnoredPath(path, [])).toBe(expected);
  });

  it('applies user globs gitignore-style, including dot files and re-includes', () => {
    expect(isIgnoredPath('docs/guide/a.md', ['*.md'])).toBe(true);
    expect(isIgnoredPath('docs/guide/a.md', ['docs/**'])).toBe(true);
    expect(isIgnoredPath('src/docs/a.md', ['docs/**'])).toBe(false);
    expect(isIgnoredPath('.github/workflows/ci.yml', ['.github/**'])).toBe(true);
    expect(isIgnoredPath('generated/x.ts', ['./generated/**'])).toBe(true);
    expect(isIgnoredPath('docs/keep.md', ['docs/**', '!docs/keep.md'])).toBe(false);
    expect(isIgnoredPath('docs/other.md', ['docs/**', '!docs/keep.md'])).toBe(true);
    // Defaults cannot be re-included.
    expect(isIgnoredPath('package-lock.json', ['!package-lock.json'])).toBe(true);
    expect(DEFAULT_SKIPPED).toContain('**/*.snap');
  });
});

describe('placeFindings', () => {
  const files = [
    { path: 'src/a.ts', patch: MULTI_HUNK },
    { path: 'src/b.ts', patch: '@@ -1 +1,2 @@\n-x\n+y\n+z' },
    { path: 'img/logo.png', patch: null },
  ];

  it('puts commentable findings inline, worst first, and explains every other one', () => {
    const findings: PersonaFinding[] = [
      finding({ title: 'info on b', path: 'src/b.ts', line: 2, severity: 'info' }),
      finding({ title: 'warning on a13', path: './src/a.ts', line: 13 }),
      finding({ title: 'error on b', path: '/src/b.ts', line: 1, severity: 'error', persona: 'security' }),
      finding({ title: 'warning on a2', line: 2 }),
      finding({ title: 'removed line', line: 12 + 100 }),
      finding({ title: 'elsewhere', path: 'src/c.ts', line: 3, severity: 'error' }),
      finding({ title: 'no line', line: 0, severity: 'info' }),
      finding({ title: 'binary', path: 'img/logo.png', line: 1 }),
      finding({ title: 'missing line', line: undefined }),
    ];
    const out = placeFindings({ findings, files, maxComments: 3, alreadyPosted: new Set() });

    expect(out.inline.map((c) => [c.path, c.line, c.finding.title])).toEqual([
      ['src/b.ts', 1, 'error on b'],
      ['src/a.ts', 2, 'warning on a2'],
      ['src/a.ts', 13, 'warning on a13'],
    ]);
    expect(out.inline[0]?.fingerprint).toBe(fingerprint(findings[2]!));
    expect(out.inline[0]?.body).toContain(`<!-- agent-os:finding ${fingerprint(findings[2]!)} -->`);
    expect(out.summaryOnly.map((s) => [s.finding.title, s.reason])).toEqual([
      ['elsewhere', 'file-not-in-pr'],
      ['binary', 'outside-diff'],
      ['missing line', 'no-line'],
      ['removed line', 'outside-diff'],
      ['no line', 'no-line'],
      ['info on b', 'over-limit'],
    ]);
    expect(out.duplicates).toBe(0);
    expect(out.fingerprints).toEqual(findings.map((f) => fingerprint(f)));
  });

  it('drops findings already posted and repeats within the run, and respects maxComments 0', () => {
    const a = finding({ title: 'Repeated', line: 2 });
    const sameAgain = finding({ title: 'repeated!', line: 3, body: 'reworded' });
    const otherLine = finding({ title: 'Repeated', line: 11, persona: 'security' });
    const old = finding({ title: 'Old news', line: 4 });
    const out = placeFindings({ findings: [a, sameAgain, otherLine, old], files, maxComments: 0, alreadyPosted: new Set([fingerprint(old)]) });
    expect(out.duplicates).toBe(2);
    expect(out.inline).toEqual([]);
    expect(out.summaryOnly.map((s) => [s.finding.persona, s.reason])).toEqual([
      ['engineer', 'over-limit'],
      ['security', 'over-limit'],
    ]);
    expect(out.fingerprints).toEqual([fingerprint(a), fingerprint(otherLine)]);
  });

  it('merges the same problem on the same line across personas into one comment naming each of them', () => {
    const engineer = finding({ title: 'Hard-coded password', line: 13, severity: 'warning', standard: null });
    const security = finding({ title: 'Hard coded password!', line: 13, severity: 'error', persona: 'security', body: 'A credential in source.', standard: 'security/secrets.md' });
    // Same line and standard, other words: one problem. Same persona twice on a line: two problems.
    const qa = finding({ title: 'Secret in code', line: 13, persona: 'qa', standard: 'Security/Secrets.md' });
    const engineerAgain = finding({ title: 'Magic string', line: 13 });
    const out = placeFindings({ findings: [engineer, security, qa, engineerAgain], files, maxComments: 10, alreadyPosted: new Set() });
    expect(out.inline.map((c) => [c.line, c.finding.title, c.finding.persona, c.finding.severity])).toEqual([
      [13, 'Hard coded password!', 'security, engineer, qa', 'error'],
      [13, 'Magic string', 'engineer', 'warning'],
    ]);
    const merged = out.inline[0]!;
    expect(merged.fingerprints).toEqual([fingerprint(security), fingerprint(engineer), fingerprint(qa)]);
    expect(merged.body).toContain('_security, engineer, qa_ · Standard: `security/secrets.md`');
    expect(findingFingerprintsOf(merged.body)).toEqual(merged.fingerprints);
    expect(out.fingerprints).toHaveLength(4);
  });

  it('lists findings below min-severity and over the per-file cap in the body, and never reposts a tracked problem', () => {
    const onB = [1, 2].map((line) => finding({ title: `b${line}`, path: 'src/b.ts', line, severity: 'error' }));
    const low = finding({ title: 'Style nit', line: 2, severity: 'info' });
    const tracked = finding({ title: 'Known problem', line: 13, persona: 'security' });
    const out = placeFindings({
      findings: [...onB, low, finding({ title: 'known problem', line: 13, persona: 'qa' })],
      files,
      maxComments: 10,
      maxPerFile: 1,
      minSeverity: 'warning',
      alreadyPosted: new Set(),
      known: [tracked],
    });
    expect(out.inline.map((c) => c.finding.title)).toEqual(['b1']);
    expect(out.summaryOnly.map((s) => [s.finding.title, s.reason])).toEqual([
      ['b2', 'over-file-limit'],
      ['Style nit', 'below-min-severity'],
    ]);
    expect(out.duplicates).toBe(1);
  });
});

describe('renderInlineComment', () => {
  it('renders badge, title, body, suggestion, persona and standard', () => {
    const body = renderInlineComment(
      finding({ suggestion: 'throw new AgentOsError(\'IO\', msg);\n', standard: 'development/error-handling.md' }),
      'abcdef012345',
    );
    expect(body).toBe(
      [
        '**warning**: Missing error code',
        '',
        'Use AgentOsError.',
        '',
        '```suggestion',
        "throw new AgentOsError('IO', msg);",
        '```',
        '',
        '_engineer_ · Standard: `development/error-handling.md`',
        '',
        '<!-- agent-os:finding abcdef012345 -->',
      ].join('\n'),
    );
    expect(findingFingerprintOf(body)).toBe('abcdef012345');
  });

  it('fences a suggestion containing backticks with a longer fence and skips blank ones', () => {
    const body = renderInlineComment(finding({ suggestion: 'const md = `\n```ts\nx\n```\n`;' }));
    expect(body).toContain('````suggestion\nconst md = `\n```ts\nx\n```\n`;\n````');
    expect(renderInlineComment(finding({ suggestion: '   ' }))).not.toContain('suggestion');
  });

  it('keeps hostile model text from opening or closing HTML comments or leaving a fence open', () => {
    const body = renderInlineComment(
      finding({ title: 'x --> y', body: 'see <!-- agent-os:finding 111111111111 -->\n```js\nunterminated', persona: 'eng-->' }),
      '222222222222',
    );
    expect(body).toBe(
      [
        '**warning**: x --&gt; y',
        '',
        'see &lt;!-- agent-os:finding 111111111111 --&gt;\n```js\nunterminated\n```',
        '',
        '_eng--&gt;_',
        '',
        '<!-- agent-os:finding 222222222222 -->',
      ].join('\n'),
    );
    expect(findingFingerprintOf(body)).toBe('222222222222');
  });
});

describe('severities', () => {
  it('orders and reduces severities', () => {
    expect(SEVERITY_ORDER.error).toBeGreaterThan(SEVERITY_ORDER.warning);
    expect(SEVERITY_ORDER.warning).toBeGreaterThan(SEVERITY_ORDER.info);
    expect(SEVERITY_ORDER.info).toBeGreaterThan(SEVERITY_ORDER.none);
    expect(maxSeverity([])).toBe('none');
    expect(maxSeverity([{ severity: 'info' }, { severity: 'error' }, { severity: 'warning' }])).toBe('error');
    expect(maxSeverity([{ severity: 'info' }, { severity: 'warning' }])).toBe('warning');
  });

  it.each([
    ['error', 'none', false],
    ['error', 'error', true],
    ['warning', 'error', false],
    ['error', 'warning', true],
    ['warning', 'warning', true],
    ['info', 'warning', false],
    ['none', 'warning', false],
  ] as const)('shouldFail(%s, %s) = %s', (max, failOn, expected) => {
    expect(shouldFail(max, failOn)).toBe(expected);
  });
});

describe('renderReviewBody', () => {
  it('lists persona summaries, findings off the diff, duplicates and skipped files', () => {
    const placed = placeFindings({
      findings: [
        finding({ title: 'Outside', path: 'src/a.ts', line: 50, standard: 'development/error-handling.md', body: 'Line one.\n\n```ts\ncode' }),
        finding({ title: 'No line', path: 'src/z.ts', line: 0, severity: 'info', persona: 'security', body: '' }),
        finding({ title: 'Dup', line: 2 }),
      ],
      files: [{ path: 'src/a.ts', patch: MULTI_HUNK }],
      maxComments: 10,
      alreadyPosted: new Set([fingerprint(finding({ title: 'Dup' }))]),
    });
    const body = renderReviewBody({
      personas: [
        { persona: 'engineer', summary: 'Two issues.\r\n', findings: 2, maxSeverity: 'warning' },
        { persona: 'security', summary: 'ignored', findings: 0, maxSeverity: 'none', error: 'rate limited' },
      ],
      summaryOnly: placed.summaryOnly,
      duplicates: placed.duplicates,
      skippedFiles: ['package-lock.json'],
      partlyReviewed: ['src/huge.ts'],
      notReviewed: [
        { path: 'src/late.ts', reason: 'diff-budget' },
        { path: 'src/a.ts', reason: 'persona-failed', personas: ['security'] },
        { path: 'assets/big.sql', reason: 'no-diff' },
      ],
    });
    expect(body).toBe(
      [
        '## agent-os review',
        '',
        '### engineer: changes suggested',
        '',
        'Two issues.',
        '',
        '### security: failed',
        '',
        'Review failed: rate limited',
        '',
        '### Findings not posted inline',
        '',
        '- `src/a.ts:50` **warning**: Outside (Standard: `development/error-handling.md`) — _engineer_, line not in the diff',
        '',
        '  Line one.',
        '',
        '  ```ts',
        '  code',
        '  ```',
        '',
        '- `src/z.ts` **info**: No line — _security_, no line given',
        '',
        '1 finding already reported earlier is not repeated.',
        '',
        'Not reviewed (generated, lock, binary, removed or ignored files): `package-lock.json`',
        '',
        'Reviewed in part (the diff of each alone is over max-diff-chars): `src/huge.ts`',
        '',
        '**Not reviewed in this run** (left pending for the next run):',
        '',
        '- `src/late.ts`: did not fit in max-diff-chars',
        '- `src/a.ts`: security failed',
        '- `assets/big.sql`: GitHub sent no diff (too large for its API)',
      ].join('\n'),
    );
  });

  it('uses the plural for several duplicates and omits empty sections', () => {
    const body = renderReviewBody({ personas: [{ persona: 'qa', summary: '', findings: 0, maxSeverity: 'none' }], summaryOnly: [], duplicates: 3 });
    expect(body).toBe('## agent-os review\n\n### qa: no issues found\n\n3 findings already reported earlier are not repeated.');
  });

  it('lists findings only while they fit in GitHub\'s limit and says how many it left out', () => {
    const many: SummaryOnlyFinding[] = Array.from({ length: 120 }, (_, i) => ({
      finding: finding({ title: `Problem ${i}`, line: i + 1, body: `${'why '.repeat(400)}` }),
      fingerprint: fingerprint(finding({ title: `Problem ${i}` })),
      reason: 'refused-line',
    }));
    const body = renderReviewBody({
      personas: [{ persona: 'engineer', summary: 'S'.repeat(50_000), findings: 120, maxSeverity: 'warning' }],
      summaryOnly: many,
      duplicates: 0,
      notReviewed: [{ path: 'src/late.ts', reason: 'diff-budget' }],
    });
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain(`${'S'.repeat(4000)} …`);
    expect(body).not.toContain('S'.repeat(4001));
    expect(body).toContain('- `src/a.ts:1` **warning**: Problem 0 — _engineer_, GitHub would not place it on the line');
    const shown = (body.match(/\*\*warning\*\*: Problem \d+/g) ?? []).length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(120);
    expect(body).toContain(`- … and ${120 - shown} more findings are not shown here: GitHub limits a review to 65,536 characters. The summary comment counts them.`);
    // What was not reviewed is never the part that gets cut.
    expect(body.endsWith('- `src/late.ts`: did not fit in max-diff-chars')).toBe(true);
  });
});

describe('renderStepSummary and the gate', () => {
  const counts = (over: Partial<FindingCounts> = {}): FindingCounts => ({ open: 2, fixed: 1, dismissed: 1, maxSeverity: 'error', bySeverity: { info: 0, warning: 1, error: 1 }, ...over });

  it('renders the table, this run, the pull request, what was not reviewed, the review link and the failure', () => {
    const md = renderStepSummary({
      personas: [
        { persona: 'engineer', findings: 3, maxSeverity: 'error' },
        { persona: 'security', verdict: 'looks fine', findings: 1, maxSeverity: 'info' },
      ],
      inlineComments: 2,
      summaryOnly: 1,
      duplicates: 1,
      reviewUrl: 'https://github.com/o/r/pull/1#pullrequestreview-9',
      failOn: 'warning',
      counts: counts(),
      notReviewed: [{ path: 'src/b.ts', reason: 'diff-budget' }],
    });
    expect(md).toBe(
      [
        '## agent-os review',
        '',
        '| Persona | Verdict | Findings | Max severity |',
        '| --- | --- | ---: | --- |',
        '| engineer | changes requested | 3 | error |',
        '| security | looks fine | 1 | info |',
        '',
        '**New in this run:** 4 findings (2 inline, 1 in the review body, 1 already reported); max severity error.',
        '',
        '**Findings on this pull request:** 2 open · 1 fixed · 1 dismissed; the worst open one is error.',
        '',
        '**Not reviewed in this run** (left pending for the next run):',
        '',
        '- `src/b.ts`: did not fit in max-diff-chars',
        '',
        '[Open the review](https://github.com/o/r/pull/1#pullrequestreview-9)',
        '',
        'Failing: 2 open findings reached fail-on: warning (worst: error).',
        '',
      ].join('\n'),
    );
  });

  it('says plainly why nothing was reviewed, and fails on open findings even then', () => {
    const md = renderStepSummary({
      personas: [],
      inlineComments: 0,
      summaryOnly: 0,
      duplicates: 0,
      reviewUrl: 'javascript:alert(1)',
      failOn: 'error',
      notReviewedWhy: 'every changed file was already reviewed at its current content.',
      counts: counts({ open: 1, bySeverity: { info: 0, warning: 0, error: 1 } }),
    });
    expect(md.startsWith('## agent-os review\n\nNot reviewed: every changed file was already reviewed at its current content.\n\n**New in this run:** 0 findings')).toBe(true);
    expect(md).toContain('No review was posted.');
    expect(md).not.toContain('javascript');
    expect(md).toContain('Failing: 1 open finding reached fail-on: error (worst: error).');
  });

  it('gateFailure counts the open findings at or above fail-on, and nothing below it', () => {
    expect(gateFailure(counts({ open: 3, maxSeverity: 'warning', bySeverity: { info: 1, warning: 2, error: 0 } }), 'warning')).toBe('2 open findings reached fail-on: warning (worst: warning).');
    expect(gateFailure(counts({ open: 3, maxSeverity: 'warning', bySeverity: { info: 1, warning: 2, error: 0 } }), 'error')).toBeNull();
    expect(gateFailure(counts(), 'none')).toBeNull();
    expect(gateFailure(counts({ open: 0, maxSeverity: 'none', bySeverity: { info: 0, warning: 0, error: 0 } }), 'warning')).toBeNull();
  });
});
