/**
 * The standards knowledge base at ten times the shared corpus (1,830 files), against the corpus
 * itself measured in the same run: full index time and throughput, a one-file edit made searchable
 * through the CLI and through the watcher of a running server, `search_standards` latency over MCP,
 * server memory, and how much of the exact vector ranking the ANN index keeps.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as lancedb from '@lancedb/lancedb';
import { createApp } from '../src/app.js';
import { configSchema } from '../src/config/schema.js';
import { annProbes, vectorIndexRows } from '../src/infra/lance-indexes.js';
import { tableNameFor } from '../src/infra/lancedb-store.js';
import { GloveEmbedder } from '../src/infra/embedders/glove/embedder.js';
import { GloveModelLoader } from '../src/infra/embedders/glove/load.js';
import { silentLogger } from '../src/ports/logger.js';
import { searchStandards } from '../src/services/search-standards.js';
import { COPY_TEAMS, evaluate, fmt, loadQueries, median, percentile, scaledCorpusProject, type QualityQuery } from './lib.js';
import { connectServer, mcpSearch, memoryMb, runCli, until, type SearchResultShape } from './procs.js';

export interface ScaleBenchOptions {
  bin: string;
  env: Record<string, string>;
  quick: boolean;
  out: (line?: string) => void;
}

interface Figures {
  chunks: number;
  fullMs: number[];
  editIndexMs: number[];
  editSearchableMs: number[];
  watcherMs: number[];
  roundTrip: number[];
  serverMs: number[];
  rss: number;
  peakRss: number;
}

const SCALES = [1, 10] as const;
type Scale = (typeof SCALES)[number];

/** Standards edited in turn (one per edit), the same topics at both sizes. */
const EDITED = ['security/Password_Storage_Cheat_Sheet.md', 'architecture/azure-rest-api-guidelines.md', 'development/google-go-guide.md', 'operations/twelve-factor-logs.md', 'security/Logging_Cheat_Sheet.md'];

function editTarget(standards: string, i: number, scale: Scale): string {
  const base = EDITED[i % EDITED.length]!;
  // At ×10 the edit lands in a team's copy, not in the original.
  const rel = scale === 1 ? base : base.replace('/', `/${COPY_TEAMS[1 + (i % (COPY_TEAMS.length - 1))]}-`);
  if (!fs.existsSync(path.join(standards, rel))) throw new Error(`bench: no standard ${rel} to edit`);
  return rel;
}

function appendRule(standards: string, rel: string, token: string): void {
  fs.appendFileSync(path.join(standards, rel), `\n\nEvery new module follows the ${token} convention.\n`);
}

/** Pause after a server's start before its latency is measured. */
const SETTLE_MS = 5000;

const token = (): string => `zq${Math.random().toString(36).slice(2, 10)}`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const ms = (v: number): string => `${v.toFixed(1)} ms`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' / ');

/** The corpus file a team's copy was made from (`security/birch-X.md` → `security/X.md`). */
function originalOf(file: string): string {
  const [domain, name] = file.split('/');
  const team = COPY_TEAMS.slice(1).find((t) => name?.startsWith(`${t}-`));
  return team ? `${domain}/${name!.slice(team.length + 1)}` : file;
}

/** Result files with each team's copy counted as its original, first occurrence kept. */
function distinctOriginals(files: string[]): string[] {
  return [...new Set(files.map(originalOf))];
}

/** Share of the exact top 50 (cosine, every vector compared) that the ANN search also returns. */
async function annRecall(indexUri: string, queries: QualityQuery[]): Promise<{ recall: number; probes: number | null }> {
  const embedder = new GloveEmbedder(new GloveModelLoader());
  await embedder.load();
  const db = await lancedb.connect(indexUri);
  const table = await db.openTable(tableNameFor(embedder.id, embedder.dimensions));
  const rows = await vectorIndexRows(table);
  const probes = rows === null ? null : annProbes(rows);
  let kept = 0;
  for (const q of queries) {
    const v = Array.from(await embedder.embedQuery(q.query));
    const search = () => table.vectorSearch(v).distanceType('cosine').select(['id', '_distance']).limit(50);
    const exact = new Set(((await search().bypassVectorIndex().toArray()) as Array<{ id: string }>).map((r) => r.id));
    const approx = (await (probes === null ? search() : search().nprobes(probes)).toArray()) as Array<{ id: string }>;
    kept += approx.filter((r) => exact.has(r.id)).length / Math.max(1, exact.size);
  }
  table.close();
  db.close();
  return { recall: kept / queries.length, probes };
}

export async function benchScale(opts: ScaleBenchOptions): Promise<void> {
  const { bin, env, quick, out } = opts;
  const reps = quick ? 1 : 3;
  const edits = quick ? 2 : 5;
  const cli = (root: string, args: string[]): string => runCli(bin, env, root, args);
  const loadBefore = load();
  const started = performance.now();
  const projects = new Map(SCALES.map((n) => [n, scaledCorpusProject(n)] as const));
  const figures = new Map<Scale, Figures>(
    SCALES.map((n) => [n, { chunks: 0, fullMs: [], editIndexMs: [], editSearchableMs: [], watcherMs: [], roundTrip: [], serverMs: [], rss: NaN, peakRss: NaN }]),
  );
  const fig = (n: Scale): Figures => figures.get(n)!;
  const queries = loadQueries();
  let quality: { x1: { hitAt5: number; mrrAt10: number }; x10: { hitAt5: number; mrrAt10: number } } | null = null;
  let ann: { recall: number; probes: number | null } | null = null;
  try {
    // Full index from nothing (no index, no embedding cache), the two sizes taking turns.
    for (let r = 0; r < reps; r++) {
      for (const n of SCALES) {
        const p = projects.get(n)!;
        fs.rmSync(path.join(p.root, '.agent-os', '.cache'), { recursive: true, force: true });
        const t0 = performance.now();
        const report = JSON.parse(cli(p.root, ['index', '--json'])) as { chunksWritten: number };
        fig(n).fullMs.push(performance.now() - t0);
        fig(n).chunks = report.chunksWritten;
      }
    }

    // One-file edit → `agent-os index` → `agent-os search` finds the edit.
    for (let i = 0; i < edits; i++) {
      for (const n of SCALES) {
        const p = projects.get(n)!;
        const rel = editTarget(p.standards, i, n);
        const word = token();
        const t0 = performance.now();
        appendRule(p.standards, rel, word);
        cli(p.root, ['index', '--json']);
        fig(n).editIndexMs.push(performance.now() - t0);
        const found = (JSON.parse(cli(p.root, ['search', '--json', '--limit', '3', word])) as SearchResultShape).results.some((x) => x.file === rel);
        fig(n).editSearchableMs.push(found ? performance.now() - t0 : NaN);
      }
    }

    // The server: warm search latency, memory, and edits found through its watcher.
    for (const n of SCALES) {
      const p = projects.get(n)!;
      const { client, transport } = await connectServer(bin, env, p.root);
      for (const q of ['warm up logging', 'warm up sessions', 'warm up api versioning']) await mcpSearch(client, q);
      // Warm means settled: the start-up index and the watcher's catch-up scan have run by now.
      await sleep(SETTLE_MS);
      for (let r = 0; r < (quick ? 1 : 3); r++) {
        for (const q of queries) {
          // A different limit per round keeps the query cache out of the figures.
          const t0 = performance.now();
          const res = await mcpSearch(client, q.query, 5 + r);
          fig(n).roundTrip.push(performance.now() - t0);
          fig(n).serverMs.push(res.query_ms);
        }
      }
      const mem = memoryMb(transport.pid!);
      fig(n).rss = mem.rss;
      for (let i = 0; i < edits; i++) {
        const rel = editTarget(p.standards, edits + i, n);
        const word = token();
        const t0 = performance.now();
        appendRule(p.standards, rel, word);
        const found = await until(async () => ((await mcpSearch(client, word, 3)).results.some((x) => x.file === rel) ? true : null), 30_000);
        fig(n).watcherMs.push(found ? performance.now() - t0 : NaN);
      }
      fig(n).peakRss = memoryMb(transport.pid!).peak;
      await client.close();
    }

    // Quality at both sizes (in-process, same code path as the server), and the ANN's share of the exact
    // ranking. At ×10 a team's copy stands for its original, so the figure asks whether the ranking of
    // distinct standards holds up when every one of them has nine near-twins.
    const rank = async (root: string, limit: number) => {
      const app = createApp({ root, logger: silentLogger, config: configSchema.parse({ search: { cacheTtlSeconds: 0 } }) });
      try {
        return await evaluate(queries, async (q) => distinctOriginals((await searchStandards(app.searchDeps, { query: q, limit })).results.map((r) => r.file)));
      } finally {
        await app.close();
      }
    };
    quality = { x1: await rank(projects.get(1)!.root, 10), x10: await rank(projects.get(10)!.root, 50) };
    ann = await annRecall(path.join(projects.get(10)!.root, '.agent-os', '.cache', 'index'), queries);
  } finally {
    for (const p of projects.values()) p.cleanup();
  }

  const a = fig(1);
  const b = fig(10);
  const throughput = (f: Figures): number => f.chunks / (median(f.fullMs) / 1000);
  out(`### Scale: ×10 corpus (${projects.get(10)!.files} files) against ×1 (${projects.get(1)!.files} files), same run`);
  out();
  out(`Load average (1 / 5 / 15 min) at start ${loadBefore}, at end ${load()}; section took ${secs(performance.now() - started)}.`);
  out();
  out('| what | ×1 | ×10 | ×10 / ×1 | target at ×10 |');
  out('|---|---|---|---|---|');
  out(`| chunks | ${a.chunks} | ${b.chunks} | ${ratio(b.chunks, a.chunks)} | – |`);
  out(`| full index, CLI wall clock (median of ${reps}) | ${secs(median(a.fullMs))} | ${secs(median(b.fullMs))} | ${ratio(median(b.fullMs), median(a.fullMs))} | ≤ 90 s |`);
  out(`| index throughput | ${throughput(a).toFixed(0)} chunks/s | ${throughput(b).toFixed(0)} chunks/s | ${ratio(throughput(b), throughput(a))} | ≥ 1.00× |`);
  out(`| one-file edit → \`agent-os index\` exits (median of ${edits}) | ${secs(median(a.editIndexMs))} | ${secs(median(b.editIndexMs))} | ${ratio(median(b.editIndexMs), median(a.editIndexMs))} | ≤ 2 s |`);
  out(`| … → then \`agent-os search\` returns it | ${secs(median(a.editSearchableMs))} | ${secs(median(b.editSearchableMs))} | ${ratio(median(b.editSearchableMs), median(a.editSearchableMs))} | – |`);
  out(`| one-file edit → found through \`serve\`'s watcher (median, max of ${edits}) | ${secs(median(a.watcherMs))}, ${secs(Math.max(...a.watcherMs))} | ${secs(median(b.watcherMs))}, ${secs(Math.max(...b.watcherMs))} | ${ratio(median(b.watcherMs), median(a.watcherMs))} | ≤ 1 s |`);
  out(`| \`search_standards\` over MCP, warm, uncached, p50 (${b.roundTrip.length} calls) | ${ms(median(a.roundTrip))} | ${ms(median(b.roundTrip))} | ${ratio(median(b.roundTrip), median(a.roundTrip))} | – |`);
  out(`| … p95 | ${ms(percentile(a.roundTrip, 95))} | ${ms(percentile(b.roundTrip, 95))} | ${ratio(percentile(b.roundTrip, 95), percentile(a.roundTrip, 95))} | ≤ 60 ms |`);
  out(`| … of which inside the server (\`query_ms\`), p50 / p95 | ${ms(median(a.serverMs))} / ${ms(percentile(a.serverMs, 95))} | ${ms(median(b.serverMs))} / ${ms(percentile(b.serverMs, 95))} | – | – |`);
  out(`| server RSS after the searches | ${a.rss.toFixed(0)} MB | ${b.rss.toFixed(0)} MB | ${ratio(b.rss, a.rss)} | ≤ 500 MB |`);
  out(`| server peak RSS, after the watcher edits too | ${a.peakRss.toFixed(0)} MB | ${b.peakRss.toFixed(0)} MB | ${ratio(b.peakRss, a.peakRss)} | – |`);
  if (quality) {
    out(`| dev queries Hit@5 / MRR@10 (at ×10 over distinct originals: a team's copy counts as its original) | ${fmt(quality.x1.hitAt5)} / ${fmt(quality.x1.mrrAt10)} | ${fmt(quality.x10.hitAt5)} / ${fmt(quality.x10.mrrAt10)} | – | – |`);
  }
  if (ann) {
    out(`| vector top 50 shared with an exact scan (ANN recall@50, ${ann.probes ?? 'no'} partitions probed) | exact | ${fmt(ann.recall)} | – | – |`);
  }
  out();
}
