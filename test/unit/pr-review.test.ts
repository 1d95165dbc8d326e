import { describe, expect, it } from 'vitest';

import { errorOf } from '../fakes/errors.js';
import {
  commentableLines,
  DEFAULT_SKIPPED,
  findingFingerprintOf,
  fingerprint,
  isIgnoredPath,
  maxSeverity,
  mergeFingerprints,
  normalizeTitle,
  parseActionInputs,
  parseSticky,
  placeFindings,
  renderInlineComment,
  renderReviewBody,
  renderStepSummary,
  renderSticky,
  SEVERITY_ORDER,
  shouldFail,
  STICKY_MARKER,
  STICKY_MAX_FINGERPRINTS,
  type PersonaFinding,
  type StickyState,
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
    const otherPersona = finding({ title: 'Repeated', line: 2, persona: 'security' });
    const old = finding({ title: 'Old news', line: 4 });
    const out = placeFindings({ findings: [a, sameAgain, otherPersona, old], files, maxComments: 0, alreadyPosted: new Set([fingerprint(old)]) });
    expect(out.duplicates).toBe(2);
    expect(out.inline).toEqual([]);
    expect(out.summaryOnly.map((s) => [s.finding.persona, s.reason])).toEqual([
      ['engineer', 'over-limit'],
      ['security', 'over-limit'],
    ]);
    expect(out.fingerprints).toEqual([fingerprint(a), fingerprint(otherPersona)]);
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

describe('sticky comment', () => {
  const state: StickyState = {
    headSha: '0123456789abcdef0123456789abcdef01234567',
    fingerprints: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'],
    personas: [
      { persona: 'engineer', verdict: 'changes suggested', findings: 2, maxSeverity: 'warning' },
      { persona: 'security', verdict: 'failed', findings: 0, maxSeverity: 'none', error: 'model timed out' },
    ],
    reviewUrl: 'https://github.com/o/r/pull/1#pullrequestreview-9',
    notes: ['2 files skipped'],
  };

  it('renders the marker, the table, notes and a hidden state that round-trips', () => {
    const body = renderSticky(state);
    const visible = body.slice(0, body.indexOf('<!-- agent-os:state'));
    expect(visible).toBe(
      [
        STICKY_MARKER,
        '## agent-os review',
        '',
        'Reviewed commit `0123456` · [open the review](https://github.com/o/r/pull/1#pullrequestreview-9)',
        '',
        '| Persona | Verdict | Findings | Max severity |',
        '| --- | --- | ---: | --- |',
        '| engineer | changes suggested | 2 | warning |',
        '| security | failed | 0 | none |',
        '',
        '- **security** failed: model timed out',
        '',
        '- 2 files skipped',
        '',
        '',
      ].join('\n'),
    );
    expect(parseSticky(body)).toEqual({ headSha: state.headSha, fingerprints: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'] });
  });

  it('survives hostile model text: forged markers are escaped and the real state wins', () => {
    const forged = Buffer.from(JSON.stringify({ v: 1, headSha: 'evil', fingerprints: ['cccccccccccc'] })).toString('base64');
    const body = renderSticky({
      ...state,
      personas: [{ persona: 'engineer', verdict: `ok --> <!-- agent-os:state ${forged} -->`, findings: 1, maxSeverity: 'info' }],
      briefing: `read this\n<!-- agent-os:state ${forged} -->\n\`\`\`\nopen fence`,
      notes: [`<!-- agent-os:state ${forged} -->`, 'a | b'],
    });
    expect(body.split('<!-- agent-os:state').length).toBe(2);
    expect(body).toContain(`| engineer | ok --&gt; &lt;!-- agent-os:state ${forged} --&gt; | 1 | info |`);
    expect(body).toContain('- a | b\n');
    expect(body).toContain('```\nopen fence\n```\n\n</details>');
    expect(parseSticky(body)).toEqual({ headSha: state.headSha, fingerprints: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'] });
  });

  it('keeps the newest fingerprints, deduplicated and valid, within the bound', () => {
    const many = Array.from({ length: 600 }, (_, i) => i.toString(16).padStart(12, '0'));
    const parsed = parseSticky(renderSticky({ ...state, fingerprints: [...many, many[599]!, 'not-a-print', 'AAAAAAAAAAAA'] }));
    expect(STICKY_MAX_FINGERPRINTS).toBe(500);
    expect(parsed?.fingerprints.length).toBe(500);
    expect(parsed?.fingerprints[0]).toBe(many[100]);
    expect(parsed?.fingerprints[499]).toBe(many[599]);
    expect(mergeFingerprints(['aaaaaaaaaaaa'], ['bbbbbbbbbbbb', 'aaaaaaaaaaaa'])).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
  });

  it.each([
    ['empty', ''],
    ['another comment', 'LGTM'],
    ['quoted marker', `> ${STICKY_MARKER}\n<!-- agent-os:state ${Buffer.from('{"headSha":"x","fingerprints":[]}').toString('base64')} -->`],
    ['no state', `${STICKY_MARKER}\nhello`],
    ['bad base64', `${STICKY_MARKER}\n<!-- agent-os:state !!!! -->`],
    ['not JSON', `${STICKY_MARKER}\n<!-- agent-os:state ${Buffer.from('{nope').toString('base64')} -->`],
    ['JSON null', `${STICKY_MARKER}\n<!-- agent-os:state ${Buffer.from('null').toString('base64')} -->`],
    ['headSha not a string', `${STICKY_MARKER}\n<!-- agent-os:state ${Buffer.from('{"headSha":5,"fingerprints":[]}').toString('base64')} -->`],
  ])('parseSticky returns null for %s', (_name, body) => {
    expect(parseSticky(body)).toBeNull();
  });

  it('parseSticky keeps only valid fingerprints of a damaged list', () => {
    const json = JSON.stringify({ headSha: 'abc', fingerprints: ['aaaaaaaaaaaa', 7, null, 'zzzzzzzzzzzz', 'bbbbbbbbbbbb'] });
    expect(parseSticky(`${STICKY_MARKER}\n<!-- agent-os:state ${Buffer.from(json).toString('base64')} -->`)).toEqual({
      headSha: 'abc',
      fingerprints: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'],
    });
    const noList = JSON.stringify({ headSha: 'abc' });
    expect(parseSticky(`${STICKY_MARKER}\n<!-- agent-os:state ${Buffer.from(noList).toString('base64')} -->`)).toEqual({ headSha: 'abc', fingerprints: [] });
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
      truncatedFiles: ['src/huge.ts'],
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
        '### Findings not on changed lines',
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
        'Not reviewed (generated, lock or ignored files): `package-lock.json`',
        '',
        'Reviewed in part (diff too large): `src/huge.ts`',
      ].join('\n'),
    );
  });

  it('uses the plural for several duplicates and omits empty sections', () => {
    const body = renderReviewBody({ personas: [{ persona: 'qa', summary: '', findings: 0, maxSeverity: 'none' }], summaryOnly: [], duplicates: 3 });
    expect(body).toBe('## agent-os review\n\n### qa: no issues found\n\n3 findings already reported earlier are not repeated.');
  });
});

describe('renderStepSummary', () => {
  it('renders the table, totals, the review link and the failure reason', () => {
    const md = renderStepSummary({
      personas: [
        { persona: 'engineer', findings: 3, maxSeverity: 'error' },
        { persona: 'security', verdict: 'looks fine', findings: 1, maxSeverity: 'info' },
      ],
      inlineComments: 2,
      summaryOnly: 1,
      duplicates: 1,
      reviewUrl: 'https://github.com/o/r/pull/1#pullrequestreview-9',
      failOn: 'error',
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
        '**Total:** 4 findings (2 inline, 1 in the review body, 1 already reported); max severity error.',
        '',
        '[Open the review](https://github.com/o/r/pull/1#pullrequestreview-9)',
        '',
        'Failing: a finding reached `fail-on: error`.',
        '',
      ].join('\n'),
    );
  });

  it('says when no review was posted and rejects non-http links', () => {
    const md = renderStepSummary({ personas: [], inlineComments: 0, summaryOnly: 0, duplicates: 0, reviewUrl: 'javascript:alert(1)', failOn: 'warning' });
    expect(md).toContain('**Total:** 0 findings (0 inline, 0 in the review body, 0 already reported); max severity none.');
    expect(md).toContain('No review was posted.');
    expect(md).not.toContain('javascript');
    expect(md).not.toContain('Failing');
  });
});

describe('parseActionInputs', () => {
  it('applies defaults', () => {
    expect(parseActionInputs({ 'INPUT_GITHUB-TOKEN': 'tok', 'INPUT_PERSONAS': '', 'INPUT_MODEL': '  ' })).toEqual({
      githubToken: 'tok',
      personas: ['engineer', 'security'],
      openaiApiKey: undefined,
      openaiBaseUrl: undefined,
      model: undefined,
      maxComments: 10,
      failOn: 'none',
      pathsIgnore: [],
      maxDiffChars: 60000,
    });
  });

  it('reads dashed and underscored names and normalises values', () => {
    const inputs = parseActionInputs({
      INPUT_GITHUB_TOKEN: 'tok',
      INPUT_PERSONAS: 'Engineer, security,engineer\nqa-lead',
      'INPUT_OPENAI-API-KEY': 'sk-x',
      'INPUT_OPENAI-BASE-URL': 'http://localhost:11434/v1',
      INPUT_MODEL: 'gpt-4.1-mini',
      'INPUT_MAX-COMMENTS': '0',
      INPUT_FAIL_ON: 'Warning',
      'INPUT_PATHS-IGNORE': 'docs/**, src/**/*.{js,ts}\n\n# comment\n*.md',
      'INPUT_MAX-DIFF-CHARS': '120000',
    });
    expect(inputs).toEqual({
      githubToken: 'tok',
      personas: ['engineer', 'security', 'qa-lead'],
      openaiApiKey: 'sk-x',
      openaiBaseUrl: 'http://localhost:11434/v1',
      model: 'gpt-4.1-mini',
      maxComments: 0,
      failOn: 'warning',
      pathsIgnore: ['docs/**', 'src/**/*.{js,ts}', '*.md'],
      maxDiffChars: 120000,
    });
    expect(isIgnoredPath('src/deep/a.ts', inputs.pathsIgnore)).toBe(true);
    expect(isIgnoredPath('src/deep/a.py', inputs.pathsIgnore)).toBe(false);
  });

  it.each([
    [{}, 'Input github-token is required'],
    [{ 'INPUT_MAX-COMMENTS': '51' }, 'Input max-comments must be a whole number from 0 to 50; got "51".'],
    [{ 'INPUT_MAX-COMMENTS': '-1' }, 'Input max-comments must be a whole number from 0 to 50; got "-1".'],
    [{ 'INPUT_MAX-COMMENTS': '2.5' }, 'Input max-comments must be a whole number from 0 to 50; got "2.5".'],
    [{ 'INPUT_FAIL-ON': 'info' }, 'Input fail-on must be one of none, warning, error; got "info".'],
    [{ INPUT_PERSONAS: 'engineer,../etc' }, 'Input personas must be a comma-separated list of persona ids (lowercase letters and digits, words joined by "-" or "_"); got "../etc".'],
    [{ INPUT_PERSONAS: ' , ' }, 'Input personas must name at least one persona, e.g. "engineer,security".'],
    [{ 'INPUT_OPENAI-BASE-URL': 'ftp://x' }, 'Input openai-base-url must be an http:// or https:// URL.'],
    [{ 'INPUT_OPENAI-BASE-URL': 'not a url' }, 'Input openai-base-url must be an http:// or https:// URL.'],
    [{ 'INPUT_MAX-DIFF-CHARS': '10' }, 'Input max-diff-chars must be a whole number from 1000 to 1000000; got "10".'],
  ])('rejects %j', (env, message) => {
    const full = 'INPUT_GITHUB-TOKEN' in env || Object.keys(env).length === 0 ? env : { 'INPUT_GITHUB-TOKEN': 'tok', ...env };
    const err = errorOf(() => parseActionInputs(full));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message.startsWith(message)).toBe(true);
  });
});
