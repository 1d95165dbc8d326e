import { deflateRawSync, inflateRawSync } from 'node:zlib';

import { sameProblem, shortTitle, standardKey } from './finding-merge.js';
import { block, cell, clamp, code, MAX_BODY_CHARS, oneLine, plural, safeUrl, shortSha } from './markdown.js';
import {
  countsLine,
  errorLines,
  normalizePrPath,
  notReviewedLines,
  personaCountsTable,
  personaTable,
  SEVERITY_ORDER,
  type PersonaCounts,
  type FindingCounts,
  type MaxSeverity,
  type NotReviewedFile,
  type PersonaFinding,
  type PersonaRow,
  type Severity,
} from './pr-review.js';

/**
 * What the Action remembers about a pull request between runs, kept hidden in its one sticky summary
 * comment: every finding it raised (open, fixed or dismissed), which version of each file each persona
 * has reviewed, and the Markdown of that comment. The `fail-on` gate is computed from the open findings
 * here, never from one run's new findings, so re-running a job or pushing elsewhere cannot turn it green.
 */

export const STICKY_MARKER = '<!-- agent-os:review -->';
/** Room the encoded state may take in the comment; the visible part gets the rest of GitHub's limit. */
export const STATE_MAX_CHARS = 45_000;

const STATE_V2_RE = /<!-- agent-os:state:v2 ([A-Za-z0-9+/=]*) -->/g;
/** The format before finding details were kept: `{ v: 1, headSha, fingerprints }`. */
const STATE_V1_RE = /<!-- agent-os:state ([A-Za-z0-9+/=]*) -->/g;
const FINGERPRINT_RE = /^[0-9a-f]{12}$/;
const PERSONA_RE = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const VERSION_RE = /^[0-9a-z:]{1,80}$/;
const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];
const STATUSES: readonly FindingStatus[] = ['open', 'fixed', 'dismissed'];
const MAX_PATH_CHARS = 300;
/** A cited standard as the state keeps it: `domain/topic.md`. */
const STANDARD_RE = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9._-]*\.md$/;
const LOGIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
const MAX_REASON_CHARS = 300;
/** A damaged or hostile state never inflates past this (bytes of JSON). */
const MAX_STATE_JSON = 4_000_000;
const MAX_ENTRIES = 20_000;
const MAX_LEGACY = 500;
const MAX_LISTED_OPEN = 30;
const MAX_LISTED_DISMISSED = 20;

export type FindingStatus = 'open' | 'fixed' | 'dismissed';

export interface TrackedFinding {
  fingerprint: string;
  severity: Severity;
  path: string;
  line: number | null;
  persona: string;
  /** Short title (at most 100 characters). */
  title: string;
  /**
   * open: counts for `fail-on`; fixed: the persona that raised it reviewed its file again and did not
   * report it (or the pull request no longer changes the file); dismissed: by a maintainer, never counts.
   */
  status: FindingStatus;
  /** Why it was fixed or dismissed. */
  reason?: string;
  /** The standard it relies on, as `domain/topic.md`. */
  standard?: string;
  /** Who dismissed it (a GitHub login). */
  by?: string;
}

export interface ReviewState {
  /** Head commit of the last run. */
  headSha: string;
  /** In the order they were first raised. */
  findings: TrackedFinding[];
  /** path → persona → version of the file that persona last reviewed (see `fileVersion`). */
  reviewed: Map<string, Map<string, string>>;
  /**
   * Fingerprints from a summary comment of the earlier format (no details): those comments were
   * posted, so they are not posted again, but they do not count for `fail-on`.
   */
  legacy: string[];
  /** Open findings that did not fit in the comment: still counted, as this many of this severity. */
  overflow: { count: number; maxSeverity: Severity } | null;
}

export function emptyState(headSha = ''): ReviewState {
  return { headSha, findings: [], reviewed: new Map(), legacy: [], overflow: null };
}

/**
 * The version of a changed file as a persona reviews it: its blob sha at the head (from GitHub's file
 * list), or the head commit when GitHub gave none (then any new push reviews it again).
 */
export function fileVersion(file: { sha?: string | null }, headSha: string): string {
  const blob = typeof file.sha === 'string' && /^[0-9a-f]{7,64}$/i.test(file.sha) ? file.sha.toLowerCase() : null;
  return blob ? blob.slice(0, 16) : `commit:${headSha.toLowerCase().replace(/[^0-9a-f]/g, '').slice(0, 16)}`;
}

/** The files `persona` has not reviewed at their current version. */
export function pendingFor<F extends { path: string; version: string }>(state: ReviewState, persona: string, files: readonly F[]): F[] {
  return files.filter((f) => state.reviewed.get(f.path)?.get(persona) !== f.version);
}

/** Fingerprints never posted again: open and dismissed findings, and those of the earlier format. A fixed one that comes back is posted again. */
export function postedFingerprints(state: ReviewState): Set<string> {
  return new Set([...state.findings.filter((f) => f.status !== 'fixed').map((f) => f.fingerprint), ...state.legacy]);
}

export function countFindings(state: ReviewState): FindingCounts {
  const bySeverity: Record<Severity, number> = { info: 0, warning: 0, error: 0 };
  let max: MaxSeverity = 'none';
  const bump = (severity: Severity, n: number) => {
    bySeverity[severity] += n;
    if (SEVERITY_ORDER[severity] > SEVERITY_ORDER[max]) max = severity;
  };
  for (const f of state.findings) if (f.status === 'open') bump(f.severity, 1);
  if (state.overflow && state.overflow.count > 0) bump(state.overflow.maxSeverity, state.overflow.count);
  const count = (status: FindingStatus) => state.findings.filter((f) => f.status === status).length;
  return { open: count('open') + (state.overflow?.count ?? 0), fixed: count('fixed'), dismissed: count('dismissed'), maxSeverity: max, bySeverity };
}

// ---------------------------------------------------------------------------------------------
// One run's effect

export interface RunRecord {
  headSha: string;
  /** The pull request's changed files as GitHub lists them now. */
  files: ReadonlyArray<{ path: string; removed: boolean }>;
  /** False when GitHub's list stops short of the pull request's changed files (more than 3000). */
  complete: boolean;
  /** The files that can be reviewed (changed, with a diff, not ignored), at their versions. */
  reviewable: ReadonlyArray<{ path: string; version: string }>;
  /** Every persona of this run. */
  personas: readonly string[];
  /** Each persona that completed a review, with the files it was shown (`partial`: only the start of the diff). */
  reviews: ReadonlyArray<{ persona: string; files: ReadonlyArray<{ path: string; version: string; partial?: boolean }> }>;
  /** The findings of those reviews, fingerprinted. */
  findings: ReadonlyArray<{ fingerprint: string; finding: PersonaFinding }>;
}

/** A cited standard fit for the state, or undefined. */
function standardOf(standard: string | null | undefined): string | undefined {
  const key = standardKey(standard);
  return STANDARD_RE.test(key) ? key : undefined;
}

function lineOf(line: number | null | undefined): number | null {
  return typeof line === 'number' && Number.isSafeInteger(line) && line > 0 ? line : null;
}

/**
 * The state after a run. A finding reported again stays open (a fixed one reopens; a dismissed one
 * stays dismissed); an open one not reported again is fixed when the persona that raised it reviewed
 * its file in this run, or when the pull request no longer changes that file (it was reviewed before,
 * or the persona reviewed the pull request in this run). Files each persona was shown are marked
 * reviewed at their version; nothing else is.
 */
export function recordRun(prior: ReviewState, run: RunRecord): { state: ReviewState; fixed: TrackedFinding[]; reopened: number } {
  const byFingerprint = new Map(prior.findings.map((f) => [f.fingerprint, { ...f }]));
  const found = new Set<string>();
  let reopened = 0;
  const dismissed = prior.findings.filter((f) => f.status === 'dismissed');
  for (const { fingerprint, finding } of run.findings) {
    if (found.has(fingerprint) || !FINGERPRINT_RE.test(fingerprint)) continue;
    found.add(fingerprint);
    const standard = standardOf(finding.standard);
    const details = { severity: finding.severity, path: normalizePrPath(finding.path), line: lineOf(finding.line), persona: finding.persona, title: shortTitle(finding.title), ...(standard ? { standard } : {}) };
    const known = byFingerprint.get(fingerprint);
    // Another persona's report of a problem a maintainer dismissed is dismissed with it.
    const answered = known ? undefined : dismissed.find((d) => sameProblem(d, details));
    if (!known) {
      const carried = answered ? { status: 'dismissed' as const, ...(answered.reason ? { reason: answered.reason } : {}), ...(answered.by ? { by: answered.by } : {}) } : { status: 'open' as const };
      byFingerprint.set(fingerprint, { fingerprint, ...details, ...carried });
    } else if (known.status === 'dismissed') Object.assign(known, details);
    else {
      if (known.status === 'fixed') reopened++;
      Object.assign(known, details, { status: 'open' });
      delete known.reason;
    }
  }

  // A file shown in part proves nothing about findings in the part that was not shown.
  const shown = new Map(run.reviews.map((r) => [r.persona, new Set(r.files.filter((f) => !f.partial).map((f) => f.path))]));
  const inPullRequest = new Set(run.files.filter((f) => !f.removed).map((f) => f.path));
  const fixed: TrackedFinding[] = [];
  for (const f of byFingerprint.values()) {
    if (f.status !== 'open' || found.has(f.fingerprint)) continue;
    const seen = shown.get(f.persona);
    if (seen?.has(f.path)) {
      Object.assign(f, { status: 'fixed', reason: `${f.persona} reviewed the file again at ${shortSha(run.headSha)} and did not report it` });
      fixed.push(f);
    } else if (run.complete && !inPullRequest.has(f.path) && (shown.has(f.persona) || prior.reviewed.has(f.path))) {
      Object.assign(f, { status: 'fixed', reason: `the pull request no longer changes this file (${shortSha(run.headSha)})` });
      fixed.push(f);
    }
  }

  const reviewed = new Map([...prior.reviewed].map(([path, byPersona]) => [path, new Map(byPersona)]));
  for (const r of run.reviews) {
    for (const file of r.files) {
      const byPersona = reviewed.get(file.path) ?? new Map<string, string>();
      byPersona.set(r.persona, file.version);
      reviewed.set(file.path, byPersona);
    }
  }
  if (run.complete) for (const path of reviewed.keys()) if (!inPullRequest.has(path)) reviewed.delete(path);

  const state: ReviewState = {
    headSha: run.headSha,
    findings: [...byFingerprint.values()],
    reviewed,
    legacy: prior.legacy.filter((fp) => !byFingerprint.has(fp)),
    overflow: prior.overflow,
  };
  // Findings kept only as a count are resolved once every file has been reviewed again by every persona:
  // any of them still there was reported again and is tracked by itself now.
  const nothingPending = run.complete && run.personas.every((p) => pendingFor(state, p, run.reviewable).length === 0);
  if (nothingPending && run.reviews.length > 0) state.overflow = null;
  return { state, fixed, reopened };
}

/**
 * The state after a maintainer dismissed findings: each named one (open or fixed) and every tracked
 * finding that is the same problem becomes dismissed with the reason and who gave it. `dismissed`
 * lists what changed; findings dismissed before keep their first reason.
 */
export function dismissFindings(state: ReviewState, fingerprints: readonly string[], input: { reason: string; by: string }): { state: ReviewState; dismissed: TrackedFinding[] } {
  const next = copyState(state);
  const reason = oneLineReason(input.reason);
  const by = LOGIN_RE.test(input.by) ? input.by : undefined;
  const named = next.findings.filter((f) => fingerprints.includes(f.fingerprint));
  const dismissed: TrackedFinding[] = [];
  for (const f of next.findings) {
    if (f.status === 'dismissed' || !named.some((n) => n === f || sameProblem(n, f))) continue;
    Object.assign(f, { status: 'dismissed', reason, ...(by ? { by } : {}) });
    dismissed.push(f);
  }
  return { state: next, dismissed };
}

function oneLineReason(reason: string): string {
  const one = reason.replace(/\s+/g, ' ').trim();
  return one.length > MAX_REASON_CHARS ? `${one.slice(0, MAX_REASON_CHARS - 1)}…` : one;
}

/** Open, fixed and dismissed findings of each persona, in the order personas first raised one. */
export function countsByPersona(state: ReviewState): PersonaCounts[] {
  const rows = new Map<string, PersonaCounts>();
  for (const f of state.findings) {
    const row = rows.get(f.persona) ?? { persona: f.persona, open: 0, fixed: 0, dismissed: 0 };
    row[f.status]++;
    rows.set(f.persona, row);
  }
  return [...rows.values()];
}

// ---------------------------------------------------------------------------------------------
// Encoding

interface WireFinding {
  fp: string;
  severity: string;
  path: string;
  line: number | null;
  persona: string;
  title: string;
  status: string;
  reason?: string;
  standard?: string;
  by?: string;
}

function pack(state: ReviewState): string {
  const reviewed: Array<[string, string, string]> = [];
  for (const [path, byPersona] of state.reviewed) for (const [persona, version] of byPersona) reviewed.push([path, persona, version]);
  const wire = {
    v: 2,
    headSha: state.headSha,
    findings: state.findings.map<WireFinding>((f) => ({ fp: f.fingerprint, severity: f.severity, path: f.path, line: f.line, persona: f.persona, title: f.title, status: f.status, ...(f.reason ? { reason: f.reason } : {}), ...(f.standard ? { standard: f.standard } : {}), ...(f.by ? { by: f.by } : {}) })),
    reviewed,
    legacy: state.legacy,
    overflow: state.overflow,
  };
  return deflateRawSync(Buffer.from(JSON.stringify(wire), 'utf8')).toString('base64');
}

function copyState(state: ReviewState): ReviewState {
  return { ...state, findings: state.findings.map((f) => ({ ...f })), reviewed: new Map([...state.reviewed].map(([p, m]) => [p, new Map(m)])), legacy: [...state.legacy] };
}

/**
 * The hidden state marker, within `maxChars`. When the state is too large, it forgets, in this order
 * and only as much as needed: fixed findings (oldest first), fingerprints of the earlier format,
 * reviewed-file records (those files are reviewed again), dismissed findings, and last open findings,
 * least severe first, which are then kept as a count that still fails the gate (fail closed).
 * `kept` is the state actually stored; `forgotten` says what was dropped.
 */
export function encodeState(state: ReviewState, maxChars = STATE_MAX_CHARS): { marker: string; kept: ReviewState; forgotten: string[] } {
  const s = copyState(state);
  let encoded = pack(s);
  const forgotten: string[] = [];
  const fits = () => (encoded = pack(s)).length <= maxChars;
  const half = (n: number) => Math.max(1, Math.ceil(n / 2));
  const dropFindings = (status: FindingStatus, what: string) => () => {
    const of = s.findings.filter((f) => f.status === status);
    if (of.length === 0) return false;
    const drop = new Set(of.slice(0, half(of.length)));
    s.findings = s.findings.filter((f) => !drop.has(f));
    forgotten.push(`${plural(drop.size, `${what} finding`, `${what} findings`)} forgotten`);
    return true;
  };
  const steps: Array<() => boolean> = [
    dropFindings('fixed', 'fixed'),
    () => {
      if (s.legacy.length === 0) return false;
      const n = half(s.legacy.length);
      s.legacy = s.legacy.slice(n);
      forgotten.push(`${plural(n, 'fingerprint', 'fingerprints')} of the earlier format forgotten`);
      return true;
    },
    () => {
      if (s.reviewed.size === 0) return false;
      const paths = [...s.reviewed.keys()].slice(0, half(s.reviewed.size));
      for (const p of paths) s.reviewed.delete(p);
      forgotten.push(`${plural(paths.length, 'file', 'files')} will be reviewed again (their review record did not fit)`);
      return true;
    },
    dropFindings('dismissed', 'dismissed'),
    () => {
      const open = s.findings.filter((f) => f.status === 'open');
      if (open.length === 0) return false;
      const mildestFirst = [...open].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
      const drop = new Set(mildestFirst.slice(0, half(open.length)));
      let worst: Severity = s.overflow?.maxSeverity ?? 'info';
      for (const f of drop) if (SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[worst]) worst = f.severity;
      s.findings = s.findings.filter((f) => !drop.has(f));
      s.overflow = { count: (s.overflow?.count ?? 0) + drop.size, maxSeverity: worst };
      forgotten.push(`${plural(drop.size, 'open finding is', 'open findings are')} kept only as a count (still counted for fail-on until every file is reviewed again)`);
      return true;
    },
  ];
  for (const step of steps) {
    while (encoded.length > maxChars && step()) fits();
    if (encoded.length <= maxChars) break;
  }
  return { marker: `<!-- agent-os:state:v2 ${encoded} -->`, kept: s, forgotten };
}

// ---------------------------------------------------------------------------------------------
// Decoding

function str(value: unknown, max: number): string | null {
  return typeof value === 'string' && value !== '' && value.length <= max ? value : null;
}

function decodeFinding(raw: unknown): TrackedFinding | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const fingerprint = str(r['fp'], 12);
  const severity = SEVERITIES.find((x) => x === r['severity']);
  const status = STATUSES.find((x) => x === r['status']);
  const persona = str(r['persona'], 64);
  const path = str(r['path'], MAX_PATH_CHARS);
  const title = typeof r['title'] === 'string' ? shortTitle(r['title']) : '';
  if (!fingerprint || !FINGERPRINT_RE.test(fingerprint) || !severity || !status || !persona || !PERSONA_RE.test(persona) || !path) return null;
  const reason = str(r['reason'], MAX_REASON_CHARS);
  const standard = str(r['standard'], 200);
  const by = str(r['by'], 50);
  return {
    fingerprint,
    severity,
    path,
    line: lineOf(r['line'] as number | null),
    persona,
    title,
    status,
    ...(reason ? { reason } : {}),
    ...(standard && STANDARD_RE.test(standard) ? { standard } : {}),
    ...(by && LOGIN_RE.test(by) ? { by } : {}),
  };
}

function decodeV2(base64: string): ReviewState | null {
  const json = inflateRawSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_STATE_JSON }).toString('utf8');
  const data: unknown = JSON.parse(json);
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  const headSha = str(d['headSha'], 100);
  if (d['v'] !== 2 || headSha === null) return null;
  const state = emptyState(headSha);
  const seen = new Set<string>();
  for (const raw of Array.isArray(d['findings']) ? d['findings'].slice(0, MAX_ENTRIES) : []) {
    const f = decodeFinding(raw);
    if (f && !seen.has(f.fingerprint)) {
      seen.add(f.fingerprint);
      state.findings.push(f);
    }
  }
  for (const entry of Array.isArray(d['reviewed']) ? d['reviewed'].slice(0, MAX_ENTRIES) : []) {
    if (!Array.isArray(entry)) continue;
    const [path, persona, version] = [str(entry[0], MAX_PATH_CHARS), str(entry[1], 64), str(entry[2], 80)];
    if (!path || !persona || !PERSONA_RE.test(persona) || !version || !VERSION_RE.test(version)) continue;
    const byPersona = state.reviewed.get(path) ?? new Map<string, string>();
    byPersona.set(persona, version);
    state.reviewed.set(path, byPersona);
  }
  state.legacy = fingerprints(d['legacy']);
  const o = d['overflow'] as { count?: unknown; maxSeverity?: unknown } | null | undefined;
  const severity = SEVERITIES.find((x) => x === o?.maxSeverity);
  if (o && typeof o.count === 'number' && Number.isSafeInteger(o.count) && o.count > 0 && severity) state.overflow = { count: o.count, maxSeverity: severity };
  return state;
}

function fingerprints(list: unknown): string[] {
  const valid = Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string' && FINGERPRINT_RE.test(f)) : [];
  return [...new Set(valid)].slice(-MAX_LEGACY);
}

/**
 * A state of the earlier format: only fingerprints, with no file, persona or severity. They are kept
 * so those comments are not posted again, but cannot be judged or resolved; no file counts as reviewed,
 * so the next run reviews the whole pull request and every finding still there is tracked anew.
 */
function decodeV1(base64: string): ReviewState | null {
  const data: unknown = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  if (typeof data !== 'object' || data === null) return null;
  const { headSha, fingerprints: list } = data as { headSha?: unknown; fingerprints?: unknown };
  if (typeof headSha !== 'string' || headSha === '' || headSha.length > 100) return null;
  return { ...emptyState(headSha), legacy: fingerprints(list) };
}

/** The state a sticky comment carries (either format); null for any other body or a damaged state. Never throws. */
export function parseSticky(body: string): ReviewState | null {
  if (typeof body !== 'string' || !body.trimStart().startsWith(STICKY_MARKER)) return null;
  try {
    const v2 = [...body.matchAll(STATE_V2_RE)].at(-1);
    if (v2) return decodeV2(v2[1] ?? '');
    const v1 = [...body.matchAll(STATE_V1_RE)].at(-1);
    return v1 ? decodeV1(v1[1] ?? '') : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The sticky comment

export interface StickyInput {
  state: ReviewState;
  /** The personas that ran in this run. */
  personas: readonly PersonaRow[];
  reviewUrl?: string | null;
  briefing?: string | null;
  notes?: readonly string[];
  notReviewed?: readonly NotReviewedFile[];
}

/** Tracked findings of one status, one entry per problem (personas that raised the same one together), worst first. */
export function problems(state: ReviewState, status: FindingStatus): Array<{ findings: TrackedFinding[]; severity: Severity; personas: string[] }> {
  const groups: TrackedFinding[][] = [];
  for (const f of state.findings) {
    if (f.status !== status) continue;
    const home = groups.find((g) => !g.some((m) => m.persona === f.persona) && g.some((m) => sameProblem(m, f)));
    if (home) home.push(f);
    else groups.push([f]);
  }
  return groups
    .map((g) => {
      const worst = [...g].sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity])[0]!;
      return { findings: [worst, ...g.filter((m) => m !== worst)], severity: worst.severity, personas: [...new Set([worst, ...g].map((m) => m.persona))] };
    })
    .sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity]);
}

const where = (f: TrackedFinding): string => code(f.line ? `${f.path}:${f.line}` : f.path).replace(/\|/g, '\\|');

/** The open problems; the Id lets a maintainer answer one in the conversation (`/agent-os dismiss <id> <reason>`). */
function openTable(state: ReviewState): string[] {
  const open = problems(state, 'open');
  if (open.length === 0) return [];
  const rows = open.slice(0, MAX_LISTED_OPEN).map((p) => {
    const f = p.findings[0]!;
    return `| ${p.severity} | ${where(f)} | ${cell(f.title)} | ${cell(p.personas.join(', '))} | ${code(f.fingerprint)} |`;
  });
  const more = open.length - rows.length;
  return ['', '| Severity | Where | Open finding | Persona | Id |', '| --- | --- | --- | --- | --- |', ...rows, ...(more > 0 ? ['', `… and ${plural(more, 'more open finding', 'more open findings')}.`] : [])];
}

/** The dismissed problems with their reasons: what the team answered, kept for the report. */
function dismissedList(state: ReviewState): string[] {
  const dismissed = problems(state, 'dismissed');
  if (dismissed.length === 0) return [];
  const rows = dismissed.slice(0, MAX_LISTED_DISMISSED).map((p) => {
    const f = p.findings[0]!;
    return `- ${where(f)} ${oneLine(f.title)} (_${oneLine(p.personas.join(', '))}_)${f.reason ? `: ${oneLine(f.reason)}` : ''}${f.by ? ` (@${f.by})` : ''}`;
  });
  const more = dismissed.length - rows.length;
  return ['', '**Dismissed:**', '', ...rows, ...(more > 0 ? [`- … and ${plural(more, 'more', 'more')}`] : [])];
}

/**
 * Body of the one sticky PR comment: STICKY_MARKER, the counts and open findings of the whole pull
 * request, this run's personas, what was not reviewed, notes, and the hidden state last. `kept` is the
 * state as stored (see `encodeState`): count from it.
 */
export function renderSticky(input: StickyInput): { body: string; kept: ReviewState; forgotten: string[] } {
  const { marker, kept, forgotten } = encodeState(input.state);
  const url = safeUrl(input.reviewUrl);
  const out = [STICKY_MARKER, '## agent-os review', '', `Last run on commit ${code(shortSha(kept.headSha))}${url ? ` · [open the review](${url})` : ''}`, '', countsLine(countFindings(kept)), ...openTable(kept), ...dismissedList(kept)];
  const perPersona = personaCountsTable(countsByPersona(kept));
  if (perPersona.length) out.push('', '**Findings per persona** (open · fixed · dismissed, whole pull request):', '', ...perPersona);
  if (input.personas.length > 0) out.push('', ...personaTable(input.personas), ...errorLines(input.personas));
  const pending = notReviewedLines(input.notReviewed ?? []);
  if (pending.length) out.push('', ...pending);
  const notes = [...forgotten.map((f) => `The summary comment was full: ${f}.`), ...(input.notes ?? [])].map(oneLine).filter(Boolean);
  if (notes.length > 0) out.push('', ...notes.map((n) => `- ${n}`));
  const briefing = block(input.briefing ?? '');
  if (briefing) out.push('', '<details><summary>Briefing</summary>', '', briefing, '', '</details>');
  return { body: `${clamp(out.join('\n'), MAX_BODY_CHARS - marker.length - 100)}\n\n${marker}\n`, kept, forgotten };
}
