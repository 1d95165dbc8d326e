import type { ReviewState } from './review-state.js';

/**
 * What reviews of closed pull requests say about each standard and persona: findings raised, fixed
 * before merge, dismissed (and why), left open; and, beside them, how often coding agents retrieved
 * each standard. Standards that keep being dismissed are the ones to amend.
 */

export interface ClosedReview {
  number: number;
  url: string;
  title: string;
  merged: boolean;
  closedAt: string | null;
  state: ReviewState;
}

export interface Dismissal {
  reason: string;
  by: string | null;
  pull_request: number;
  url: string;
  persona: string;
  title: string;
}

export interface OutcomeCounts {
  /** Findings raised (each persona's own). */
  raised: number;
  /** Fixed before the pull request was merged (merged pull requests only). */
  fixed: number;
  dismissed: number;
  /** Still open when the pull request was closed or merged. */
  open: number;
  dismissals: Dismissal[];
}

export interface StandardReport extends OutcomeCounts {
  /** `domain/topic.md`, or null for findings that cite no standard. */
  standard: string | null;
  /** How often search returned it (local meta store); null for a standard this project does not have. */
  query_count: number | null;
  last_queried_at: string | null;
}

export interface PersonaReport extends OutcomeCounts {
  persona: string;
}

export interface ReviewReport {
  /** The closed pull requests read (with a summary comment agent-os wrote). */
  pull_requests: Array<{ number: number; url: string; merged: boolean; findings: number }>;
  standards: StandardReport[];
  personas: PersonaReport[];
  /** Standards whose findings were dismissed at least `minDismissals` times: candidates for an amendment. */
  dismissed_often: Array<{ standard: string; dismissed: number; raised: number; dismissals: Dismissal[] }>;
}

export interface StandardUsage {
  file: string;
  query_count: number;
  last_queried_at: string | null;
}

const empty = (): OutcomeCounts => ({ raised: 0, fixed: 0, dismissed: 0, open: 0, dismissals: [] });

export function aggregateReviews(reviews: readonly ClosedReview[], usage: readonly StandardUsage[], options: { minDismissals: number }): ReviewReport {
  const byStandard = new Map<string | null, OutcomeCounts>();
  const byPersona = new Map<string, OutcomeCounts>();
  for (const u of usage) byStandard.set(u.file, empty());
  for (const r of reviews) {
    for (const f of r.state.findings) {
      const rows = [byStandard.get(f.standard ?? null) ?? empty(), byPersona.get(f.persona) ?? empty()];
      byStandard.set(f.standard ?? null, rows[0]!);
      byPersona.set(f.persona, rows[1]!);
      for (const row of rows) {
        row.raised++;
        if (f.status === 'open') row.open++;
        else if (f.status === 'fixed' && r.merged) row.fixed++;
        else if (f.status === 'dismissed') {
          row.dismissed++;
          row.dismissals.push({ reason: f.reason ?? '', by: f.by ?? null, pull_request: r.number, url: r.url, persona: f.persona, title: f.title });
        }
      }
    }
  }
  const usageOf = new Map(usage.map((u) => [u.file, u]));
  const standards: StandardReport[] = [...byStandard.entries()]
    .map(([standard, c]) => ({ standard, ...c, query_count: standard ? (usageOf.get(standard)?.query_count ?? null) : null, last_queried_at: standard ? (usageOf.get(standard)?.last_queried_at ?? null) : null }))
    .sort((a, b) => b.raised - a.raised || (b.query_count ?? -1) - (a.query_count ?? -1) || (a.standard ?? '~').localeCompare(b.standard ?? '~'));
  const personas: PersonaReport[] = [...byPersona.entries()].map(([persona, c]) => ({ persona, ...c })).sort((a, b) => b.raised - a.raised || a.persona.localeCompare(b.persona));
  const min = Math.max(1, Math.floor(options.minDismissals));
  const dismissed_often = standards
    .filter((s): s is StandardReport & { standard: string } => s.standard !== null && s.dismissed >= min)
    .map((s) => ({ standard: s.standard, dismissed: s.dismissed, raised: s.raised, dismissals: s.dismissals }))
    .sort((a, b) => b.dismissed - a.dismissed);
  return {
    pull_requests: reviews.map((r) => ({ number: r.number, url: r.url, merged: r.merged, findings: r.state.findings.length })),
    standards,
    personas,
    dismissed_often,
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? pad(c, widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}

/** The report for a terminal. */
export function renderReport(report: ReviewReport, notes: readonly string[] = []): string {
  const prs = report.pull_requests;
  const out: string[] = [];
  out.push(prs.length ? `Reviews of ${prs.length} closed pull request(s) (${prs.filter((p) => p.merged).length} merged).` : 'No review outcomes read (pass --github to read the last closed pull requests).');
  out.push('', 'Per standard (fixed = before merge; queries = retrieved by coding agents through search):');
  out.push(
    ...table(
      ['standard', 'raised', 'fixed', 'dismissed', 'open', 'queries'],
      report.standards.map((s) => [s.standard ?? '(no standard cited)', String(s.raised), String(s.fixed), String(s.dismissed), String(s.open), s.query_count === null ? '-' : String(s.query_count)]),
    ).map((l) => `  ${l}`),
  );
  if (report.personas.length) {
    out.push('', 'Per persona:');
    out.push(...table(['persona', 'raised', 'fixed', 'dismissed', 'open'], report.personas.map((p) => [p.persona, String(p.raised), String(p.fixed), String(p.dismissed), String(p.open)])).map((l) => `  ${l}`));
  }
  if (report.dismissed_often.length) {
    out.push('', 'Standards that keep being dismissed:');
    for (const d of report.dismissed_often) {
      out.push(`  ${d.standard}: ${d.dismissed} of ${d.raised} finding(s) dismissed`);
      for (const x of d.dismissals.slice(0, 10)) out.push(`    - #${x.pull_request}: ${x.reason || '(no reason)'}${x.by ? ` (@${x.by})` : ''}`);
    }
  }
  for (const n of notes) out.push('', n);
  return out.join('\n');
}
