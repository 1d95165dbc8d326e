/**
 * Briefing quality: each planted-flaw change of bench/briefing-cases.ts goes to its persona as an
 * assistant hands it over (a generic task, `git diff` as the context) through the app's job engine
 * with no model configured, over the whole shared corpus with the default embedder. A case is a hit
 * at k when one of its governing standards is among the first k standards the briefing lists.
 * The tuning cases and the held-aside third are reported separately.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.js';
import { configSchema } from '../src/config/schema.js';
import { silentLogger } from '../src/ports/logger.js';
import { waitForJob } from '../src/services/review-working-tree.js';
import { CASES, DEFAULT_TASK, FRESH_CASES, isHeldOut, type BriefingCase } from './briefing-cases.js';
import { startFakeLlm } from '../test/fakes/fake-llm.js';
import { corpusProject, median, percentile } from './lib.js';

export interface BriefingBenchOptions {
  quick: boolean;
  out: (line?: string) => void;
  /** Print every case's listed standards (for tuning: `--verbose`). */
  verbose?: boolean;
}

interface CaseResult {
  c: BriefingCase;
  listed: string[];
  rank: number | null;
  chars: number;
  budget: number;
  /** The briefing left a standard out for its size. */
  cut: boolean;
  /** Job submitted → briefing complete. */
  ms: number;
  /** With a model: the rank of the governing standard among those seeding its first request. */
  seedRank?: number | null;
}

function rankOf(listed: readonly string[], c: BriefingCase): number | null {
  const at = listed.findIndex((f) => c.governing.includes(f));
  return at < 0 ? null : at + 1;
}

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com', GIT_CONFIG_NOSYSTEM: '1' };

/** The change as `git diff` shows it: `before` committed, `after` staged. */
export function caseDiff(c: BriefingCase): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-bench-case-'));
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: GIT_ENV });
  try {
    git('init', '-q', '-b', 'main');
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write('.keep', '');
    for (const f of c.files) if (f.before !== undefined) write(f.path, f.before);
    git('add', '-A');
    git('commit', '-qm', 'before');
    for (const f of c.files) {
      if (f.after === null) fs.rmSync(path.join(dir, f.path));
      else write(f.path, f.after);
    }
    git('add', '-A');
    return git('diff', '--cached', '--no-color', '-M', 'HEAD');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The standards a briefing lists, in order (its `### \`domain/topic.md\`` headings). */
export function listedStandards(briefing: string): string[] {
  return [...briefing.matchAll(/^### `([^`\n]+\.md)`/gm)].map((m) => m[1]!);
}

function label(c: BriefingCase): string {
  return FRESH_CASES.includes(c) ? ' (written after tuning)' : isHeldOut(c) ? ' (held aside)' : '';
}

function pct(hits: number, n: number): string {
  return n === 0 ? '–' : `${((100 * hits) / n).toFixed(0)}% (${hits}/${n})`;
}

export async function benchBriefing(opts: BriefingBenchOptions): Promise<void> {
  const { out } = opts;
  const p = corpusProject('agent-os-bench-briefing-');
  const config = configSchema.parse({});
  const app = createApp({ root: p.root, logger: silentLogger, config, env: { ...process.env, AGENT_OS_MODEL: '' } });
  const results: CaseResult[] = [];
  const all = [...CASES, ...FRESH_CASES];
  const diffs = new Map(all.map((c) => [c.id, caseDiff(c)]));
  try {
    try {
      if (app.llm) throw new Error('the briefing benchmark needs briefing mode: unset AGENT_OS_MODEL');
      await app.index({ full: true });
      const engine = app.jobs({ onlyOwnJobs: true });
      engine.start();
      for (const c of all) {
        const t0 = performance.now();
        const job = engine.submit({ persona: c.persona, task: c.task ?? DEFAULT_TASK, context: diffs.get(c.id)! });
        const done = await waitForJob(engine, job.id, { pollMs: 20 });
        const ms = performance.now() - t0;
        if (done.status !== 'complete') throw new Error(`case ${c.id}: the job ended ${done.status}: ${done.error ?? ''}`);
        const briefing = done.result ?? '';
        const listed = listedStandards(briefing);
        const rank = rankOf(listed, c);
        results.push({ c, listed, rank, chars: briefing.length, budget: config.personas.briefingBudgetChars, cut: briefing.includes('- Over the size budget'), ms });
        if (opts.verbose) {
          out(`case ${c.id}${label(c)} [${c.persona}] ${c.flaw}: ${rank === null ? 'MISS' : `rank ${rank}`}, ${briefing.length} chars`);
          for (const f of listed) out(`    ${c.governing.includes(f) ? '*' : ' '} ${f}`);
        }
      }
    } finally {
      await app.close();
    }
    // The model path: the same cases with a (loopback, instant) model; what seeds its first request?
    const llm = await startFakeLlm(() => ({ kind: 'answer', content: '## Summary\nNothing found.' }));
    const withModel = createApp({ root: p.root, logger: silentLogger, config: configSchema.parse({ llm: { model: 'fake-model', baseUrl: llm.baseUrl } }), env: { ...process.env, OPENAI_API_KEY: 'bench' } });
    try {
      const engine = withModel.jobs({ onlyOwnJobs: true });
      engine.start();
      for (const r of results) {
        llm.clearRecords();
        const job = engine.submit({ persona: r.c.persona, task: r.c.task ?? DEFAULT_TASK, context: diffs.get(r.c.id)! });
        const done = await waitForJob(engine, job.id, { pollMs: 20 });
        if (done.status !== 'complete') throw new Error(`case ${r.c.id} with a model: the job ended ${done.status}: ${done.error ?? ''}`);
        const first = llm.records[0]?.text ?? '';
        const seed = first.includes('## Standards chosen for this change') ? first.slice(first.indexOf('## Standards chosen for this change')) : '';
        r.seedRank = rankOf(listedStandards(seed), r.c);
      }
    } finally {
      await withModel.close();
      await llm.close();
    }
  } finally {
    p.cleanup();
  }

  const fresh = (c: BriefingCase): boolean => FRESH_CASES.includes(c);
  const main = results.filter((r) => !fresh(r.c));
  const sets: Array<[string, CaseResult[]]> = [
    ['tuning cases', main.filter((r) => !isHeldOut(r.c))],
    ['**held-aside third**', main.filter((r) => isHeldOut(r.c))],
    ['tuning + held aside', main],
    ['written after tuning (never tuned on)', results.filter((r) => fresh(r.c))],
  ];
  out(`### Briefings for planted flaws (${CASES.length} + ${FRESH_CASES.length} changes, no model, default embedder, whole corpus)`);
  out();
  out('| cases | governing standard in top 3 | in top 6 | with a model: in the standards of its first request |');
  out('|---|---|---|---|');
  for (const [name, rs] of sets) {
    const top = (k: number): number => rs.filter((r) => r.rank !== null && r.rank <= k).length;
    const seeded = rs.filter((r) => r.seedRank !== null && r.seedRank !== undefined).length;
    out(`| ${name} | ${pct(top(3), rs.length)} | ${pct(top(6), rs.length)} | ${pct(seeded, rs.length)} |`);
  }
  out();
  const domains = [...new Set(results.map((r) => r.c.domain))];
  out('| corpus domain | cases (held aside) | top 3 | top 6 | held aside, top 6 | written after tuning, top 6 |');
  out('|---|---|---|---|---|---|');
  for (const d of domains) {
    const rs = main.filter((r) => r.c.domain === d);
    const held = rs.filter((r) => isHeldOut(r.c));
    const later = results.filter((r) => fresh(r.c) && r.c.domain === d);
    const top = (xs: CaseResult[], k: number): number => xs.filter((r) => r.rank !== null && r.rank <= k).length;
    out(`| ${d} | ${rs.length} (${held.length}) | ${pct(top(rs, 3), rs.length)} | ${pct(top(rs, 6), rs.length)} | ${pct(top(held, 6), held.length)} | ${pct(top(later, 6), later.length)} |`);
  }
  out();
  const sizes = results.map((r) => r.chars);
  const over = results.filter((r) => r.chars > r.budget);
  out(`Briefing size: median ${(median(sizes) / 1024).toFixed(1)} KB, max ${(Math.max(...sizes) / 1024).toFixed(1)} KB; budget ${results[0]?.budget ?? 0} characters, ${over.length} over it, ${results.filter((r) => r.cut).length} left a standard out to stay within it.`);
  const times = results.map((r) => r.ms);
  out(`Briefing time (job submitted → complete, warm index): median ${median(times).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms.`);
  out();
  const misses = results.filter((r) => r.rank === null || r.rank > 3);
  if (misses.length) {
    out('Not in the top 3 (rank, or "–" when not listed at all):');
    out();
    for (const r of misses) {
      out(`- ${r.c.id}${label(r.c)}, ${r.c.domain}, ${r.c.persona}: ${r.c.flaw} — ${r.rank ?? '–'}; listed ${r.listed.slice(0, 6).map((f) => `\`${f}\``).join(', ') || 'nothing'}`);
    }
    out();
  }
}
