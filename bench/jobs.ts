/**
 * Persona job benchmarks: `agent-os serve` as a child process over stdio (a real MCP client), its
 * model a loopback OpenAI-compatible fake (test/fakes/fake-llm.ts) with scripted latency.
 *   - job creation latency: invoke_<persona> round trips, p50/p95
 *   - throughput: 100 jobs across the six personas, 300 ms per model request, concurrency 1, 3, 6
 *   - recovery: kill -9 a server with 50 running/pending jobs, restart, time until all 50 complete
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startFakeLlm, type FakeLlm } from '../test/fakes/fake-llm.js';
import { median, percentile } from './lib.js';

export const PERSONAS = ['architect', 'engineer', 'data', 'qa', 'security', 'sre'] as const;
const REVIEW = '## Summary\n\nLooks fine.\n\n## Findings\n\nNone.\n\n## Recommendations\n\n- Keep going.\n';

export interface JobsBenchOptions {
  /** The built CLI (dist/src/bin/agent-os.js). */
  bin: string;
  /** Base environment of the server processes (PATH, HOME, …); the LLM variables are added here. */
  env: Record<string, string>;
  quick: boolean;
  out: (line?: string) => void;
}

interface ServerProc {
  client: Client;
  pid: number;
  stderr(): string;
  close(): Promise<void>;
}

interface JobsProject {
  root: string;
  cleanup(): void;
}

/** A temp project with two small standards and `personas: { concurrency }`. */
export function jobsProject(concurrency: number | null): JobsProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-bench-jobs-'));
  const standards = path.join(root, '.agent-os', 'standards');
  fs.mkdirSync(path.join(standards, 'development'), { recursive: true });
  fs.mkdirSync(path.join(standards, 'security'), { recursive: true });
  fs.writeFileSync(path.join(standards, 'development', 'errors.md'), '# Error handling\n\n## Rule\n\nNever swallow errors; log them with context.\n');
  fs.writeFileSync(path.join(standards, 'security', 'secrets.md'), '# Secrets\n\n## Rule\n\nNever log credentials or tokens.\n');
  if (concurrency !== null) fs.writeFileSync(path.join(root, '.agent-os', 'config.yaml'), `personas:\n  concurrency: ${concurrency}\n`);
  return { root, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export async function startServer(opts: JobsBenchOptions, root: string, fake: FakeLlm): Promise<ServerProc> {
  const env = {
    ...opts.env,
    AGENT_OS_EMBEDDINGS: 'none',
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: 'sk-fake',
    AGENT_OS_MODEL: 'fake-model',
  };
  const transport = new StdioClientTransport({ command: process.execPath, args: [opts.bin, '--root', root, 'serve'], env, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'agent-os-bench-jobs', version: '0' });
  await client.connect(transport);
  return { client, pid: transport.pid!, stderr: () => err, close: () => client.close() };
}

/** kill -9 and wait until the process is reaped (so a restart sees its jobs as orphaned). */
export async function kill9(server: ServerProc): Promise<void> {
  process.kill(server.pid, 'SIGKILL');
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      process.kill(server.pid, 0);
    } catch {
      break;
    }
    if (Date.now() > end) throw new Error(`server ${server.pid} survived SIGKILL`);
    await sleep(5);
  }
  await server.close().catch(() => undefined);
}

/** Waits (bounded) until the server's stderr matches. */
async function waitForStderr(server: ServerProc, pattern: RegExp, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pattern.test(server.stderr())) {
    if (Date.now() > end) throw new Error(`server never logged ${pattern}: ${server.stderr().slice(-2000)}`);
    await sleep(20);
  }
}

async function invoke(client: Client, persona: string, task: string): Promise<string> {
  const res = await client.callTool({ name: `invoke_${persona}`, arguments: { task } });
  if (res.isError) throw new Error(`invoke_${persona} failed: ${JSON.stringify(res.content)}`);
  return String((res.structuredContent as { job_id: string }).job_id);
}

type Counts = Record<'pending' | 'running' | 'complete' | 'failed' | 'cancelled', number>;

async function counts(client: Client): Promise<Counts> {
  const res = await client.callTool({ name: 'persona_database_stats', arguments: {} });
  return (res.structuredContent as { jobs_by_status: Counts }).jobs_by_status;
}

/** Polls the job counts every `everyMs` until no job is pending or running (bounded). */
async function untilSettled(server: ServerProc, timeoutMs: number, everyMs = 25): Promise<Counts> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const c = await counts(server.client);
    if (c.pending + c.running === 0) return c;
    if (Date.now() > end) throw new Error(`jobs did not finish within ${timeoutMs} ms: ${JSON.stringify(c)}\n${server.stderr().slice(-2000)}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------

export interface CreationResult {
  samples: number[];
  runs: number;
}

/**
 * invoke_<persona> round trips (MCP request → "started" answer) on a warm server (start-up index
 * done, 20 warm-up calls), while the jobs already submitted run in the background (300 ms model).
 */
export async function measureJobCreation(opts: JobsBenchOptions, fake: FakeLlm, calls = 200, runs = 1): Promise<CreationResult> {
  fake.script(() => ({ kind: 'answer', content: REVIEW, latencyMs: 300 }));
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const p = jobsProject(null);
    const server = await startServer(opts, p.root, fake);
    try {
      // Measure the steady state: after the start-up index (and the watcher's catch-up run after it).
      await waitForStderr(server, /index up to date/, 60_000);
      await sleep(500);
      for (let i = 0; i < 20; i++) await invoke(server.client, PERSONAS[i % PERSONAS.length]!, `warm-up ${i}`);
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        await invoke(server.client, PERSONAS[i % PERSONAS.length]!, `review change ${i}`);
        samples.push(performance.now() - t0);
      }
    } finally {
      await server.close();
      p.cleanup();
    }
  }
  return { samples, runs };
}

export interface ThroughputResult {
  concurrency: number;
  jobs: number;
  /** Seconds from the first invoke until every job is final, one per run. */
  totals: number[];
  failed: number;
  /** Model requests the fake served. */
  requests: number;
  idealSeconds: number;
}

/** `jobs` jobs across the six personas, one model request each taking `latencyMs`. */
export async function measureThroughput(opts: JobsBenchOptions, fake: FakeLlm, concurrency: number, jobs = 100, latencyMs = 300, runs = 1): Promise<ThroughputResult> {
  fake.script(() => ({ kind: 'answer', content: REVIEW, latencyMs }));
  const totals: number[] = [];
  let failed = 0;
  let requests = 0;
  for (let run = 0; run < runs; run++) {
    const p = jobsProject(concurrency);
    const server = await startServer(opts, p.root, fake);
    fake.clearRecords();
    try {
      const t0 = performance.now();
      for (let i = 0; i < jobs; i++) await invoke(server.client, PERSONAS[i % PERSONAS.length]!, `throughput job ${i}`);
      const c = await untilSettled(server, 10 * 60_000);
      totals.push((performance.now() - t0) / 1000);
      failed += c.failed + c.cancelled;
      requests += fake.requestCount();
    } finally {
      await server.close();
      p.cleanup();
    }
  }
  return { concurrency, jobs, totals, failed, requests, idealSeconds: (Math.ceil(jobs / concurrency) * latencyMs) / 1000 };
}

export interface RecoveryResult {
  jobs: number;
  concurrency: number;
  /** Restart (spawn) → MCP client connected, ms, one per run. */
  readyMs: number[];
  /** Restart (spawn) → all jobs complete, ms, one per run. */
  recoverMs: number[];
  /** Jobs the killed server had running (model requests in flight) at the kill. */
  runningAtKill: number[];
  incomplete: number;
}

/**
 * kill -9 a server holding `jobs` jobs (its model hangs, so `concurrency` run and the rest wait),
 * restart it with a fast model, and time until every job is complete.
 */
export async function measureRecovery(opts: JobsBenchOptions, fake: FakeLlm, jobs = 50, runs = 1, concurrency = 3): Promise<RecoveryResult> {
  const result: RecoveryResult = { jobs, concurrency, readyMs: [], recoverMs: [], runningAtKill: [], incomplete: 0 };
  for (let run = 0; run < runs; run++) {
    const p = jobsProject(concurrency);
    try {
      fake.script(() => ({ kind: 'hang' }));
      fake.clearRecords();
      const first = await startServer(opts, p.root, fake);
      for (let i = 0; i < jobs; i++) await invoke(first.client, PERSONAS[i % PERSONAS.length]!, `recovery job ${i}`);
      await fake.waitFor(() => fake.inFlight() >= concurrency, `${concurrency} hung model requests`);
      result.runningAtKill.push(fake.inFlight());
      await kill9(first);

      fake.script(() => ({ kind: 'answer', content: REVIEW }));
      const t0 = performance.now();
      const second = await startServer(opts, p.root, fake);
      result.readyMs.push(performance.now() - t0);
      try {
        const c = await untilSettled(second, 5 * 60_000, 10);
        result.recoverMs.push(performance.now() - t0);
        result.incomplete += jobs - c.complete;
      } finally {
        await second.close();
      }
    } finally {
      p.cleanup();
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

const s2 = (n: number): string => `${n.toFixed(2)} s`;
const ms1 = (n: number): string => `${n.toFixed(1)} ms`;

/** The "Persona jobs" section of `npm run bench`. */
export async function benchPersonaJobs(opts: JobsBenchOptions): Promise<void> {
  const { out, quick } = opts;
  const sectionStart = performance.now();
  const fake = await startFakeLlm();
  try {
    const creation = await measureJobCreation(opts, fake, 200, quick ? 1 : 3);
    const throughput: ThroughputResult[] = [];
    for (const c of [1, 3, 6]) throughput.push(await measureThroughput(opts, fake, c, 100, 300, quick ? 1 : 2));
    const recovery = await measureRecovery(opts, fake, 50, quick ? 1 : 3);

    out('### Persona jobs (`agent-os serve` over stdio, loopback fake OpenAI-compatible model)');
    out();
    out('| what | measured | target |');
    out('|---|---|---|');
    const c = creation.samples;
    out(`| \`invoke_<persona>\` round trip (job created, "started" returned) on a warm server while earlier jobs run | p50 ${ms1(median(c))}, p95 ${ms1(percentile(c, 95))}, max ${ms1(Math.max(...c))} (${c.length} calls, ${creation.runs} server${creation.runs > 1 ? 's' : ''}) | p95 ≤ 10 ms |`);
    for (const t of throughput) {
      const total = median(t.totals);
      out(
        `| 100 jobs across the six personas, 300 ms per model request, concurrency ${t.concurrency} | ${s2(total)} total, ${(t.jobs / total).toFixed(2)} jobs/s (median of ${t.totals.length}; ideal ${s2(t.idealSeconds)}, ${(t.jobs / t.idealSeconds).toFixed(2)} jobs/s; ${t.failed} failed) | – |`,
      );
    }
    const r = recovery;
    out(
      `| restart after kill -9 with ${r.jobs} jobs (${median(r.runningAtKill)} running, the rest pending) → all ${r.jobs} complete (fast model, concurrency ${r.concurrency}) | median ${s2(median(r.recoverMs) / 1000)} (of which start → MCP ready ${s2(median(r.readyMs) / 1000)}; ${r.recoverMs.length} run${r.recoverMs.length > 1 ? 's' : ''}; ${r.incomplete} not complete) | – |`,
    );
    out();
    out(
      `Throughput: one model request per job (a direct final answer, no tool calls), so the ideal is ⌈100 / concurrency⌉ × 0.3 s; the gap is process and job-store overhead (claim, progress and result writes) plus the 25 ms polling of the benchmark. Section time ${s2((performance.now() - sectionStart) / 1000)}.`,
    );
    out();
  } finally {
    await fake.close();
  }
}
