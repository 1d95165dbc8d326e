import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (bench files run from dist/bench/). */
export const REPO_ROOT = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared');
export const CORPUS = path.join(SHARED, 'corpus', 'standards');
export const QUERIES = path.join(SHARED, 'corpus', 'queries', 'owasp-asvs.json');

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

/**
 * Short team standards, each asked for by a question that names its topic. Written for this check (not
 * from the corpus): beside the 183 shared standards, each should come first for its question, as a
 * team's own one-section rule must not be buried under a long imported guide that touches the same
 * common words in many sections.
 */
export const TEAM_STANDARDS: ReadonlyArray<{ file: string; query: string; text: string }> = [
  { file: 'data/kafka-patterns.md', query: 'kafka topic naming', text: '# Kafka conventions\n\n## Topics\n\nName topics by domain, entity and event.\n' },
  { file: 'infra/terraform-modules.md', query: 'terraform module layout', text: '# Terraform modules\n\n## Layout\n\nOne module per directory, with main.tf, variables.tf and outputs.tf.\n' },
  { file: 'process/feature-flags.md', query: 'feature flag cleanup', text: '# Feature flags\n\n## Removal\n\nDelete a flag within two sprints of its full rollout.\n' },
  { file: 'data/database-migrations.md', query: 'how do we name database migrations', text: '# Database migrations\n\n## Naming\n\nPrefix each migration with a UTC timestamp and describe the change, e.g. 20240101120000_add_orders_index.sql.\n' },
  { file: 'frontend/react-components.md', query: 'react component file structure', text: '# React components\n\n## Files\n\nOne component per file, named in PascalCase, with its test and styles beside it.\n' },
  { file: 'backend/grpc-calls.md', query: 'grpc deadline for service calls', text: '# gRPC calls\n\n## Deadlines\n\nEvery outgoing call sets a deadline: 2 seconds unless the method documents another.\n' },
  { file: 'process/on-call.md', query: 'on-call handover', text: '# On-call\n\n## Handover\n\nThe outgoing engineer lists open incidents and risky deploys in the handover document before the shift ends.\n' },
  { file: 'backend/redis-usage.md', query: 'redis cache key format', text: '# Redis usage\n\n## Keys\n\nKeys are service:entity:id in lower case, and every key has a TTL.\n' },
  { file: 'process/library-releases.md', query: 'semantic versioning of our libraries', text: '# Library releases\n\n## Versions\n\nLibraries follow semantic versioning: a breaking change bumps the major version.\n' },
  { file: 'process/pull-requests.md', query: 'pull request size limit', text: '# Pull requests\n\n## Size\n\nKeep a pull request under 400 changed lines; split larger work.\n' },
];

/** Writes the team standards into a standards directory. */
export function writeTeamStandards(standards: string): void {
  for (const t of TEAM_STANDARDS) {
    fs.mkdirSync(path.dirname(path.join(standards, t.file)), { recursive: true });
    fs.writeFileSync(path.join(standards, t.file), t.text);
  }
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
