import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (bench files run from dist/bench/). */
export const REPO_ROOT = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared');
export const CORPUS = path.join(SHARED, 'corpus', 'standards');
export { TEAM_STANDARDS, writeTeamStandards } from '../test/fakes/team-standards.js';
export const QUERIES = path.join(SHARED, 'corpus', 'queries', 'owasp-asvs.json');
/** Developer questions written for this repository as a check that is never tuned on (see its `source`). */
export const DEVELOPER_QUESTIONS = path.join(REPO_ROOT, 'bench', 'queries', 'developer-questions.json');

export interface QualityQuery {
  query: string;
  relevant: string[];
}

export function loadQueries(file = QUERIES): QualityQuery[] {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { queries: QualityQuery[] };
  return data.queries;
}

/** A temp project whose `.agent-os/standards` is a copy of the corpus. */
export function corpusProject(prefix = 'agent-os-bench-'): { root: string; standards: string; cleanup(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const standards = path.join(root, '.agent-os', 'standards');
  fs.cpSync(CORPUS, standards, { recursive: true });
  return { root, standards, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export interface QualityScore {
  hitAt5: number;
  mrrAt10: number;
  queries: number;
}

/** Hit@5 and MRR@10 over ranked result files (one entry per chunk, best first). */
export async function evaluate(queries: QualityQuery[], rank: (q: string) => Promise<string[]>): Promise<QualityScore> {
  let hits = 0;
  let rr = 0;
  for (const q of queries) {
    const files = await rank(q.query);
    const relevant = new Set(q.relevant);
    if (files.slice(0, 5).some((f) => relevant.has(f))) hits++;
    const first = files.slice(0, 10).findIndex((f) => relevant.has(f));
    if (first >= 0) rr += 1 / (first + 1);
  }
  return { hitAt5: hits / queries.length, mrrAt10: rr / queries.length, queries: queries.length };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const fmt = (n: number, d = 3): string => n.toFixed(d);

/** Team names that make each copy of the corpus distinct in the ×N benchmarks. */
export const COPY_TEAMS = ['atlas', 'birch', 'cobalt', 'dune', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'juniper'] as const;

/**
 * One copy of a standard, made distinct for team `team`: the team's name closes every heading
 * (outside code fences) and a line naming the owning team opens every section, so no chunk's text,
 * and therefore no embedding-cache key, equals that of another copy.
 */
export function teamCopy(text: string, team: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      const marker = f[1]!;
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    }
    const heading = fence === null && !f ? /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line) : null;
    if (!heading) {
      out.push(line);
      continue;
    }
    out.push(`${heading[1]} ${heading[2]} (${team})`, '', `Owned by the ${team} team.`);
  }
  return out.join('\n');
}

/**
 * A temp project holding `copies` copies of the corpus: copy 0 is the corpus as it is, copy i > 0 has
 * its file names prefixed with `COPY_TEAMS[i]-` and its text made distinct by `teamCopy`.
 */
export function scaledCorpusProject(copies: number, prefix = 'agent-os-bench-scale-'): { root: string; standards: string; files: number; cleanup(): void } {
  if (copies > COPY_TEAMS.length) throw new Error(`at most ${COPY_TEAMS.length} copies`);
  const p = corpusProject(prefix);
  let files = 0;
  for (const domain of fs.readdirSync(CORPUS)) {
    for (const name of fs.readdirSync(path.join(CORPUS, domain))) {
      if (!name.endsWith('.md')) continue;
      files++;
      const text = fs.readFileSync(path.join(CORPUS, domain, name), 'utf8');
      for (let c = 1; c < copies; c++) {
        const team = COPY_TEAMS[c]!;
        fs.writeFileSync(path.join(p.standards, domain, `${team}-${name}`), teamCopy(text, team));
        files++;
      }
    }
  }
  return { ...p, files };
}
