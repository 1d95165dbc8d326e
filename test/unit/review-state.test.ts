import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import { sha256 } from '../../src/domain/hashing.js';
import { fingerprint, type PersonaFinding } from '../../src/domain/pr-review.js';
import {
  countFindings,
  countsByPersona,
  dismissFindings,
  emptyState,
  encodeState,
  fileVersion,
  parseSticky,
  pendingFor,
  postedFingerprints,
  recordRun,
  renderSticky,
  STICKY_MARKER,
  type ReviewState,
  type RunRecord,
  type TrackedFinding,
} from '../../src/domain/review-state.js';

const HEAD = '0123456789abcdef0123456789abcdef01234567';
const HEAD2 = 'fedcba9876543210fedcba9876543210fedcba98';

function finding(over: Partial<PersonaFinding> = {}): PersonaFinding {
  return { persona: 'security', path: 'src/a.ts', line: 15, severity: 'error', title: 'Hard-coded password', body: 'A credential in source.', ...over };
}

function tracked(over: Partial<TrackedFinding> = {}): TrackedFinding {
  return { fingerprint: 'aaaaaaaaaaaa', severity: 'error', path: 'src/a.ts', line: 15, persona: 'security', title: 'Hard-coded password', status: 'open', ...over };
}

function stateOf(over: Partial<ReviewState> = {}): ReviewState {
  return { ...emptyState(HEAD), ...over };
}

/** A run over src/a.ts and src/b.ts (both in the PR), by default reviewed by nobody and finding nothing. */
function run(over: Partial<RunRecord> = {}): RunRecord {
  return {
    headSha: HEAD2,
    files: [
      { path: 'src/a.ts', removed: false },
      { path: 'src/b.ts', removed: false },
    ],
    complete: true,
    reviewable: [
      { path: 'src/a.ts', version: 'a2' },
      { path: 'src/b.ts', version: 'b1' },
    ],
    personas: ['engineer', 'security'],
    reviews: [],
    findings: [],
    ...over,
  };
}

const withFp = (f: PersonaFinding) => ({ fingerprint: fingerprint(f), finding: f });
const v1Sticky = (json: unknown) => `${STICKY_MARKER}\n## agent-os review\n\n<!-- agent-os:state ${Buffer.from(JSON.stringify(json)).toString('base64')} -->\n`;

describe('recordRun: what a run does to the findings of the pull request', () => {
  it('a new finding is open; the same finding reported again stays open with its latest details', () => {
    const first = recordRun(emptyState(), run({ reviews: [{ persona: 'security', files: [{ path: 'src/a.ts', version: 'a1' }] }], findings: [withFp(finding())] })).state;
    expect(first.findings).toEqual([tracked({ fingerprint: fingerprint(finding()) })]);
    const second = recordRun(first, run({ reviews: [{ persona: 'security', files: [{ path: 'src/a.ts', version: 'a2' }] }], findings: [withFp(finding({ line: 17, severity: 'warning' }))] }));
    expect(second.state.findings).toEqual([tracked({ fingerprint: fingerprint(finding()), line: 17, severity: 'warning' })]);
    expect(second.fixed).toEqual([]);
  });

  it('is fixed only when the persona that raised it reviewed its file again and did not report it', () => {
    const prior = stateOf({ findings: [tracked()] });
    // Another persona reviewing the file says nothing about the security finding.
    const byEngineer = recordRun(prior, run({ reviews: [{ persona: 'engineer', files: [{ path: 'src/a.ts', version: 'a2' }] }] }));
    expect(byEngineer.state.findings[0]!.status).toBe('open');
    // Security reviewing only another file leaves it open too.
    const otherFile = recordRun(prior, run({ reviews: [{ persona: 'security', files: [{ path: 'src/b.ts', version: 'b1' }] }] }));
    expect(otherFile.state.findings[0]!.status).toBe('open');
    // Nobody ran (a re-run, or the persona failed): open.
    expect(recordRun(prior, run()).state.findings[0]!.status).toBe('open');

    const again = recordRun(prior, run({ reviews: [{ persona: 'security', files: [{ path: 'src/a.ts', version: 'a2' }] }] }));
    expect(again.state.findings[0]).toEqual(tracked({ status: 'fixed', reason: 'security reviewed the file again at fedcba9 and did not report it' }));
    expect(again.fixed.map((f) => f.fingerprint)).toEqual(['aaaaaaaaaaaa']);
  });

  it('is not fixed by a review that saw only the start of its file\'s diff', () => {
    const prior = stateOf({ findings: [tracked()] });
    const r = recordRun(prior, run({ reviews: [{ persona: 'security', files: [{ path: 'src/a.ts', version: 'a2', partial: true }] }] })).state;
    expect(r.findings[0]!.status).toBe('open');
    expect(r.reviewed.get('src/a.ts')?.get('security')).toBe('a2');
  });

  it('is fixed when the pull request no longer changes a file reviewed before, unless GitHub listed the files only in part', () => {
    const prior = stateOf({ findings: [tracked({ path: 'src/gone.ts' })], reviewed: new Map([['src/gone.ts', new Map([['security', 'g1']])]]) });
    const reverted = recordRun(prior, run());
    expect(reverted.state.findings[0]).toMatchObject({ status: 'fixed', reason: 'the pull request no longer changes this file (fedcba9)' });
    expect(reverted.state.reviewed.has('src/gone.ts')).toBe(false);

    const deleted = recordRun(prior, run({ files: [{ path: 'src/gone.ts', removed: true }] }));
    expect(deleted.state.findings[0]!.status).toBe('fixed');

    const partial = recordRun(prior, run({ complete: false }));
    expect(partial.state.findings[0]!.status).toBe('open');
    expect(partial.state.reviewed.get('src/gone.ts')?.get('security')).toBe('g1');
  });

  it('a finding on a file the pull request never changed is fixed once its persona reviews the pull request again without it', () => {
    const prior = stateOf({ findings: [tracked({ path: 'docs/elsewhere.md' })] });
    expect(recordRun(prior, run()).state.findings[0]!.status).toBe('open');
    expect(recordRun(prior, run({ reviews: [{ persona: 'engineer', files: [{ path: 'src/b.ts', version: 'b1' }] }] })).state.findings[0]!.status).toBe('open');
    expect(recordRun(prior, run({ reviews: [{ persona: 'security', files: [{ path: 'src/b.ts', version: 'b1' }] }] })).state.findings[0]!.status).toBe('fixed');
  });

  it('a fixed finding that comes back is open again; a dismissed one stays dismissed and never counts', () => {
    const fp = fingerprint(finding());
    const prior = stateOf({ findings: [tracked({ fingerprint: fp, status: 'fixed', reason: 'gone' }), tracked({ fingerprint: 'dddddddddddd', status: 'dismissed', reason: 'false positive (maintainer)' })] });
    const dismissedAgain = finding({ title: 'Dismissed one' });
    const r = recordRun(prior, run({ findings: [withFp(finding()), { fingerprint: 'dddddddddddd', finding: dismissedAgain }] }));
    expect(r.reopened).toBe(1);
    expect(r.state.findings[0]).toEqual(tracked({ fingerprint: fp }));
    expect(r.state.findings[1]).toMatchObject({ status: 'dismissed', reason: 'false positive (maintainer)', title: 'Dismissed one' });
    expect(countFindings(r.state)).toEqual({ open: 1, fixed: 0, dismissed: 1, maxSeverity: 'error', bySeverity: { info: 0, warning: 0, error: 1 } });
    expect([...postedFingerprints(r.state)].sort()).toEqual([fp, 'dddddddddddd'].sort());
    expect(postedFingerprints(stateOf({ findings: [tracked({ status: 'fixed' })] })).size).toBe(0);
  });

  it('marks only the files each persona was shown as reviewed, at their versions', () => {
    const r = recordRun(emptyState(), run({ reviews: [{ persona: 'engineer', files: [{ path: 'src/a.ts', version: 'a2' }] }] })).state;
    expect([...r.reviewed].map(([p, m]) => [p, [...m]])).toEqual([['src/a.ts', [['engineer', 'a2']]]]);
    const files = run().reviewable;
    expect(pendingFor(r, 'engineer', files).map((f) => f.path)).toEqual(['src/b.ts']);
    expect(pendingFor(r, 'security', files).map((f) => f.path)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(pendingFor(r, 'engineer', [{ path: 'src/a.ts', version: 'a3' }]).map((f) => f.path)).toEqual(['src/a.ts']);
  });

  it('keeps findings held only as a count until every file has been reviewed again by every persona', () => {
    const prior = stateOf({ overflow: { count: 4, maxSeverity: 'error' } });
    const partly = recordRun(prior, run({ reviews: [{ persona: 'engineer', files: run().reviewable }] })).state;
    expect(partly.overflow).toEqual({ count: 4, maxSeverity: 'error' });
    expect(countFindings(partly)).toMatchObject({ open: 4, maxSeverity: 'error' });
    const all = recordRun(partly, run({ reviews: [{ persona: 'security', files: run().reviewable }] })).state;
    expect(all.overflow).toBeNull();
  });
});

describe('fileVersion', () => {
  it('is the blob sha, or the head commit when GitHub gave none', () => {
    expect(fileVersion({ sha: 'ABCDEF0123456789abcdef0123456789abcdef01' }, HEAD)).toBe('abcdef0123456789');
    expect(fileVersion({ sha: null }, HEAD)).toBe('commit:0123456789abcdef');
    expect(fileVersion({ sha: '<script>' }, HEAD)).toBe('commit:0123456789abcdef');
  });
});

describe('the sticky comment', () => {
  const state = stateOf({
    findings: [
      tracked(),
      tracked({ fingerprint: 'bbbbbbbbbbbb', severity: 'info', path: 'src/b.ts', line: null, persona: 'engineer', title: 'Name | it', status: 'open' }),
      tracked({ fingerprint: 'cccccccccccc', status: 'fixed', reason: 'security reviewed the file again' }),
      tracked({ fingerprint: 'eeeeeeeeeeee', status: 'dismissed', reason: 'accepted risk' }),
    ],
    reviewed: new Map([['src/a.ts', new Map([['security', 'a1'], ['engineer', 'a1']])]]),
    legacy: ['ffffffffffff'],
  });

  it('shows the counts, the open findings, this run and what was not reviewed; its hidden state round-trips', () => {
    const { body, kept, forgotten } = renderSticky({
      state,
      personas: [
        { persona: 'engineer', verdict: 'comments only', findings: 1, maxSeverity: 'info' },
        { persona: 'security', verdict: 'failed', findings: 0, maxSeverity: 'none', error: 'model timed out' },
      ],
      reviewUrl: 'https://github.com/o/r/pull/1#pullrequestreview-9',
      notReviewed: [{ path: 'src/b.ts', reason: 'persona-failed', personas: ['security'] }],
      notes: ['1 finding(s) raised earlier are fixed.'],
    });
    expect(forgotten).toEqual([]);
    expect(body.slice(0, body.indexOf('<!-- agent-os:state'))).toBe(
      [
        STICKY_MARKER,
        '## agent-os review',
        '',
        'Last run on commit `0123456` · [open the review](https://github.com/o/r/pull/1#pullrequestreview-9)',
        '',
        '**Findings on this pull request:** 2 open · 1 fixed · 1 dismissed; the worst open one is error.',
        '',
        '| Severity | Where | Open finding | Persona | Id |',
        '| --- | --- | --- | --- | --- |',
        '| error | `src/a.ts:15` | Hard-coded password | security | `aaaaaaaaaaaa` |',
        '| info | `src/b.ts` | Name \\| it | engineer | `bbbbbbbbbbbb` |',
        '',
        '**Dismissed:**',
        '',
        '- `src/a.ts:15` Hard-coded password (_security_): accepted risk',
        '',
        '**Findings per persona** (open · fixed · dismissed, whole pull request):',
        '',
        '| Persona | Open | Fixed | Dismissed |',
        '| --- | ---: | ---: | ---: |',
        '| security | 1 | 1 | 1 |',
        '| engineer | 1 | 0 | 0 |',
        '',
        '| Persona | Verdict | Findings | Max severity |',
        '| --- | --- | ---: | --- |',
        '| engineer | comments only | 1 | info |',
        '| security | failed | 0 | none |',
        '',
        '- **security** failed: model timed out',
        '',
        '**Not reviewed in this run** (left pending for the next run):',
        '',
        '- `src/b.ts`: security failed',
        '',
        '- 1 finding(s) raised earlier are fixed.',
        '',
        '',
      ].join('\n'),
    );
    expect(body).toMatch(/<!-- agent-os:state:v2 [A-Za-z0-9+/=]+ -->\n$/);
    expect(parseSticky(body)).toEqual(state);
    expect(kept).toEqual(state);
  });

  it('survives hostile text: forged markers are escaped and the real state wins', () => {
    const forgedV2 = `<!-- agent-os:state:v2 ${deflateRawSync(Buffer.from(JSON.stringify({ v: 2, headSha: 'evil', findings: [], reviewed: [], legacy: [], overflow: null }))).toString('base64')} -->`;
    const forgedV1 = `<!-- agent-os:state ${Buffer.from(JSON.stringify({ headSha: 'evil', fingerprints: [] })).toString('base64')} -->`;
    const { body } = renderSticky({
      state: stateOf({ findings: [tracked({ title: `x ${forgedV2}`, path: `src/${forgedV1}.ts` })] }),
      personas: [{ persona: 'engineer', verdict: `ok --> ${forgedV2}`, findings: 1, maxSeverity: 'info' }],
      briefing: `read this\n${forgedV1}\n\`\`\`\nopen fence`,
      notes: [forgedV2, 'a | b'],
    });
    expect(body.split('<!-- agent-os:state').length).toBe(2);
    expect(body).toContain('```\nopen fence\n```\n\n</details>');
    expect(parseSticky(body)?.headSha).toBe(HEAD);
  });

  it('reads a summary of the earlier format: its fingerprints are not posted again, count for nothing, and every file is reviewed', () => {
    const old = parseSticky(v1Sticky({ v: 1, headSha: HEAD, fingerprints: ['aaaaaaaaaaaa', 7, 'not-a-print', 'bbbbbbbbbbbb', 'aaaaaaaaaaaa'] }))!;
    expect(old).toEqual(stateOf({ legacy: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'] }));
    expect(countFindings(old)).toMatchObject({ open: 0, maxSeverity: 'none' });
    expect([...postedFingerprints(old)]).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
    expect(pendingFor(old, 'security', run().reviewable)).toHaveLength(2);
    // Found again in the full review: now tracked with its details, and no longer a bare fingerprint.
    const f = finding();
    const migrated = recordRun(stateOf({ legacy: [fingerprint(f), 'bbbbbbbbbbbb'] }), run({ reviews: [{ persona: 'security', files: run().reviewable }], findings: [withFp(f)] })).state;
    expect(migrated.legacy).toEqual(['bbbbbbbbbbbb']);
    expect(countFindings(migrated)).toMatchObject({ open: 1, maxSeverity: 'error' });
  });

  it.each([
    ['empty', ''],
    ['another comment', 'LGTM'],
    ['quoted marker', `> ${STICKY_MARKER}\n<!-- agent-os:state ${Buffer.from('{"headSha":"x","fingerprints":[]}').toString('base64')} -->`],
    ['no state', `${STICKY_MARKER}\nhello`],
    ['bad base64 v1', `${STICKY_MARKER}\n<!-- agent-os:state !!!! -->`],
    ['not JSON v1', `${STICKY_MARKER}\n<!-- agent-os:state ${Buffer.from('{nope').toString('base64')} -->`],
    ['JSON null v1', `${STICKY_MARKER}\n<!-- agent-os:state ${Buffer.from('null').toString('base64')} -->`],
    ['headSha not a string v1', v1Sticky({ headSha: 5, fingerprints: [] })],
    ['not deflated v2', `${STICKY_MARKER}\n<!-- agent-os:state:v2 ${Buffer.from('{"v":2}').toString('base64')} -->`],
    ['wrong version v2', `${STICKY_MARKER}\n<!-- agent-os:state:v2 ${deflateRawSync(Buffer.from('{"v":3,"headSha":"x"}')).toString('base64')} -->`],
    ['inflates past the bound v2', `${STICKY_MARKER}\n<!-- agent-os:state:v2 ${deflateRawSync(Buffer.alloc(5_000_000, 32)).toString('base64')} -->`],
  ])('parseSticky returns null for %s', (_name, body) => {
    expect(parseSticky(body)).toBeNull();
  });

  it('parseSticky drops damaged entries and keeps the rest', () => {
    const wire = {
      v: 2,
      headSha: HEAD,
      findings: [
        { fp: 'aaaaaaaaaaaa', severity: 'error', path: 'src/a.ts', line: 3, persona: 'security', title: 'ok', status: 'open' },
        { fp: 'aaaaaaaaaaaa', severity: 'info', path: 'src/dup.ts', line: 3, persona: 'security', title: 'duplicate', status: 'open' },
        { fp: 'bbbbbbbbbbbb', severity: 'fatal', path: 'src/a.ts', line: 3, persona: 'security', title: 'bad severity', status: 'open' },
        { fp: 'cccccccccccc', severity: 'error', path: 'src/a.ts', line: 3, persona: '../x', title: 'bad persona', status: 'open' },
        { fp: 'dddddddddddd', severity: 'error', path: 'src/a.ts', line: -1, persona: 'qa', title: 'bad line', status: 'dismissed', reason: 'won’t fix' },
        null,
      ],
      reviewed: [['src/a.ts', 'security', 'a1'], ['src/a.ts', 'Security', 'a1'], ['src/b.ts', 'qa', 'has spaces'], 'junk'],
      legacy: ['eeeeeeeeeeee', 3],
      overflow: { count: -2, maxSeverity: 'error' },
    };
    const parsed = parseSticky(`${STICKY_MARKER}\n<!-- agent-os:state:v2 ${deflateRawSync(Buffer.from(JSON.stringify(wire))).toString('base64')} -->`);
    expect(parsed).toEqual(
      stateOf({
        findings: [
          tracked({ line: 3, title: 'ok' }),
          tracked({ fingerprint: 'dddddddddddd', line: null, persona: 'qa', title: 'bad line', status: 'dismissed', reason: 'won’t fix' }),
        ],
        reviewed: new Map([['src/a.ts', new Map([['security', 'a1']])]]),
        legacy: ['eeeeeeeeeeee'],
      }),
    );
  });
});

describe('encodeState within the size budget', () => {
  /** Findings whose text does not compress, so the budget is really reached. */
  const noisy = (n: number, status: TrackedFinding['status'], severity: TrackedFinding['severity'] = 'warning', from = 0): TrackedFinding[] =>
    Array.from({ length: n }, (_, i) => tracked({ fingerprint: sha256(`${status}${from + i}`).slice(0, 12), severity, status, path: `src/${sha256(`p${status}${from + i}`).slice(0, 40)}.ts`, title: sha256(`t${status}${from + i}`) }));

  it('forgets fixed findings, then review records, then dismissed ones, before any open finding', () => {
    const reviewed = new Map(Array.from({ length: 200 }, (_, i) => [`src/${sha256(`r${i}`).slice(0, 40)}.ts`, new Map([['security', sha256(`v${i}`).slice(0, 16)]])] as const));
    const state = stateOf({ findings: [...noisy(200, 'fixed'), ...noisy(40, 'dismissed'), ...noisy(30, 'open', 'error')], reviewed: new Map(reviewed), legacy: ['ffffffffffff'] });
    const big = encodeState(state, 1_000_000);
    expect(big.forgotten).toEqual([]);
    const { marker, kept, forgotten } = encodeState(state, 6_000);
    expect(marker.length).toBeLessThanOrEqual(6_000 + '<!-- agent-os:state:v2  -->'.length);
    expect(kept.findings.filter((f) => f.status === 'fixed')).toHaveLength(0);
    expect(kept.findings.filter((f) => f.status === 'open')).toHaveLength(30);
    expect(kept.overflow).toBeNull();
    expect(forgotten[0]).toMatch(/^\d+ fixed findings forgotten$/);
    expect(parseSticky(`${STICKY_MARKER}\n${marker}`)).toEqual(kept);
  });

  it('keeps the most severe open findings and the rest as a count that still fails the gate', () => {
    const state = stateOf({ findings: [...noisy(150, 'open', 'info'), ...noisy(3, 'open', 'error', 1000)] });
    const { marker, kept, forgotten } = encodeState(state, 3_000);
    expect(marker.length).toBeLessThan(3_100);
    const stillListed = kept.findings.filter((f) => f.status === 'open');
    expect(stillListed.filter((f) => f.severity === 'error')).toHaveLength(3);
    expect(kept.overflow).toEqual({ count: 153 - stillListed.length, maxSeverity: 'info' });
    expect(countFindings(kept)).toMatchObject({ open: 153, maxSeverity: 'error' });
    expect(forgotten.at(-1)).toMatch(/open findings are kept only as a count \(still counted for fail-on until every file is reviewed again\)$/);

    const allErrors = encodeState(stateOf({ findings: noisy(150, 'open', 'error') }), 3_000).kept;
    expect(allErrors.overflow?.maxSeverity).toBe('error');
    expect(countFindings(allErrors)).toMatchObject({ open: 150, maxSeverity: 'error' });
  });

  it('renderSticky stays within GitHub’s limit and says what it forgot', () => {
    const state = stateOf({ findings: [...noisy(2000, 'fixed'), ...noisy(5, 'open', 'error')] });
    const { body, kept } = renderSticky({ state, personas: [], notes: ['n'.repeat(70_000)] });
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/The summary comment was full: \d+ fixed findings forgotten\./);
    expect(parseSticky(body)).toEqual(kept);
    expect(countFindings(kept)).toMatchObject({ open: 5, maxSeverity: 'error' });
  });
});

describe('dismissals: a maintainer\'s answer sticks', () => {
  it('dismisses the named findings and the same problem raised by another persona, with reason and who', () => {
    const state = stateOf({
      findings: [
        tracked(),
        tracked({ fingerprint: 'cccccccccccc', persona: 'engineer', title: 'Hard coded password!', severity: 'warning' }),
        tracked({ fingerprint: 'bbbbbbbbbbbb', persona: 'engineer', path: 'src/b.ts', title: 'Other', severity: 'warning' }),
      ],
    });
    const { state: next, dismissed } = dismissFindings(state, ['aaaaaaaaaaaa'], { reason: '  a test fixture,\n not a credential ', by: 'octocat' });
    expect(dismissed.map((f) => f.fingerprint)).toEqual(['aaaaaaaaaaaa', 'cccccccccccc']);
    expect(next.findings.map((f) => [f.fingerprint, f.status, f.reason ?? null, f.by ?? null])).toEqual([
      ['aaaaaaaaaaaa', 'dismissed', 'a test fixture, not a credential', 'octocat'],
      ['cccccccccccc', 'dismissed', 'a test fixture, not a credential', 'octocat'],
      ['bbbbbbbbbbbb', 'open', null, null],
    ]);
    // The input is not changed; the gate now sees only the other finding.
    expect(state.findings[0]!.status).toBe('open');
    expect(countFindings(next)).toMatchObject({ open: 1, dismissed: 2, maxSeverity: 'warning' });
    expect(countsByPersona(next)).toEqual([
      { persona: 'security', open: 0, fixed: 0, dismissed: 1 },
      { persona: 'engineer', open: 1, fixed: 0, dismissed: 1 },
    ]);
    // Reason, who and the cited standard survive the comment.
    const { body } = renderSticky({ state: { ...next, findings: next.findings.map((f) => ({ ...f, standard: 'security/secrets.md' })) }, personas: [] });
    expect(parseSticky(body)!.findings[0]).toMatchObject({ status: 'dismissed', reason: 'a test fixture, not a credential', by: 'octocat', standard: 'security/secrets.md' });
    expect(body).toContain('- `src/a.ts:15` Hard-coded password (_security, engineer_): a test fixture, not a credential (@octocat)');
  });

  it('a later report of a dismissed problem by another persona is dismissed too, and is never posted', () => {
    const prior = stateOf({ findings: [tracked({ status: 'dismissed', reason: 'fixture', by: 'octocat', standard: 'security/secrets.md' })] });
    const again = finding({ persona: 'engineer', title: 'Secret in code', severity: 'error', standard: 'security/secrets.md' });
    const elsewhere = finding({ persona: 'engineer', title: 'Token in code', line: 20, standard: 'security/secrets.md' });
    const { state } = recordRun(prior, run({ findings: [withFp(again), withFp(elsewhere)] }));
    expect(state.findings.map((f) => [f.persona, f.line, f.status, f.reason ?? null])).toEqual([
      ['security', 15, 'dismissed', 'fixture'],
      ['engineer', 15, 'dismissed', 'fixture'],
      ['engineer', 20, 'open', null],
    ]);
    expect(countFindings(state).open).toBe(1);
    expect(postedFingerprints(state).has(fingerprint(again))).toBe(true);
  });

  it('forgets a hostile standard or login in a state instead of trusting it', () => {
    const { body } = renderSticky({ state: stateOf({ findings: [tracked({ standard: '../../etc/passwd', by: 'a b' })] }), personas: [] });
    const read = parseSticky(body)!.findings[0]!;
    expect(read.standard).toBeUndefined();
    expect(read.by).toBeUndefined();
  });
});
