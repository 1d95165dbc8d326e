import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentOsError, isAgentOsError } from '../../src/domain/errors.js';
import type { JobState, ProgressUpdate } from '../../src/domain/job.js';
import { ProcessTable } from '../../src/infra/process-identity.js';
import { SqliteJobStore } from '../../src/infra/sqlite-job-store.js';
import { createJobEngine, type JobEngine, type JobEngineOptions, type JobRunner } from '../../src/jobs/engine.js';
import { jobListView, jobView, startedView } from '../../src/jobs/views.js';
import { waitForJob } from '../../src/services/review-working-tree.js';
import { silentLogger } from '../../src/ports/logger.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(run: JobRunner, opts: Partial<JobEngineOptions> = {}): { engine: JobEngine; store: SqliteJobStore; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-os-engine-'));
  const file = path.join(dir, 'jobs.db');
  const store = new SqliteJobStore(file);
  const engine = createJobEngine({ store, run, logger: silentLogger, pollIntervalMs: 0, ...opts });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close(), () => engine.stop({ abort: true, timeoutMs: 2000 }));
  return { engine, store, file };
}

/** Polls (bounded) until the condition holds; no wall-clock assertions. */
async function until(cond: () => boolean, what: string, tries = 2000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/** A run function whose jobs each wait for an explicit release. */
function gated(): { run: JobRunner; release(id?: string): void; inFlight: Set<string>; maxInFlight: () => number; order: string[] } {
  const waiters = new Map<string, () => void>();
  const inFlight = new Set<string>();
  const order: string[] = [];
  let max = 0;
  const run: JobRunner = (job, ctx) =>
    new Promise((resolve, reject) => {
      order.push(job.task);
      inFlight.add(job.id);
      max = Math.max(max, inFlight.size);
      const finish = (): void => {
        inFlight.delete(job.id);
        resolve({ result: `done: ${job.task}`, tokens_input: 10, tokens_output: 5 });
      };
      waiters.set(job.id, finish);
      ctx.signal.addEventListener('abort', () => {
        inFlight.delete(job.id);
        reject(new Error('aborted'));
      });
    });
  return {
    run,
    inFlight,
    order,
    maxInFlight: () => max,
    release(id) {
      for (const [k, f] of [...waiters]) {
        if (id === undefined || id === k) {
          waiters.delete(k);
          f();
        }
      }
    },
  };
}

describe('job engine', () => {
  it('submit returns a pending job at once; a worker runs it to completion', async () => {
    const { engine } = setup(async (job) => ({ result: `review of ${job.task}`, tokens_input: 2500, tokens_output: 1800 }));
    engine.start();
    const job = engine.submit({ persona: 'architect', task: 'review API', context: 'src/api.ts' });
    expect(job.status).toBe('pending');
    expect(job.id).toMatch(/^[0-9a-f-]{36}$/);
    const started = startedView(job, engine.estimateSeconds('architect'));
    expect(started).toEqual({
      status: 'started',
      job_id: job.id,
      persona: 'architect',
      estimated_duration_seconds: 60,
      poll_command: `check_persona_job('${job.id}')`,
      message: expect.stringContaining('Architect review started'),
    });
    await engine.idle();
    const done = engine.get(job.id);
    expect(jobView(done, done.completed_at!)).toMatchObject({
      status: 'complete',
      persona: 'architect',
      result: 'review of review API',
      tool_calls_made: 0,
      tokens_used: { input: 2500, output: 1800 },
    });
    expect(() => engine.get('nope')).toThrow(AgentOsError);
    expect(() => engine.submit({ persona: 'architect', task: '  ' })).toThrow(/needs a task/);
    expect(() => engine.submit({ persona: 'architect', task: 't', priority: 'urgent' as never })).toThrow(/Unknown priority/);
  });

  it('runs by priority, then age', async () => {
    const g = gated();
    const { engine } = setup(g.run, { concurrency: 1 });
    for (const [task, priority] of [['low1', 'low'], ['normal1', 'normal'], ['high1', 'high'], ['low2', 'low'], ['high2', 'high'], ['normal2', 'normal']] as const) {
      engine.submit({ persona: 'qa', task, priority });
    }
    engine.start();
    for (let i = 0; i < 6; i++) {
      await until(() => g.inFlight.size === 1, 'a job running');
      expect(g.maxInFlight()).toBe(1);
      g.release();
      await until(() => g.inFlight.size === 0, 'the job finishing');
    }
    await engine.idle();
    expect(g.order).toEqual(['high1', 'high2', 'normal1', 'normal2', 'low1', 'low2']);
  });

  it('keeps 12 jobs in flight with concurrency 12, never more', async () => {
    const g = gated();
    const { engine, store } = setup(g.run, { concurrency: 12 });
    engine.start();
    const ids = Array.from({ length: 20 }, (_, i) => engine.submit({ persona: 'sre', task: `t${i}` }).id);
    await until(() => g.inFlight.size === 12, '12 in flight');
    expect(store.countByStatus()).toMatchObject({ running: 12, pending: 8 });
    g.release();
    await until(() => store.countByStatus().complete === 12 && g.inFlight.size === 8, 'the rest starting');
    g.release();
    await engine.idle();
    expect(g.maxInFlight()).toBe(12);
    expect(ids.map((id) => engine.get(id).status).every((s) => s === 'complete')).toBe(true);
  });

  it('completes 1,000 queued jobs with the default concurrency', async () => {
    let inFlight = 0;
    let max = 0;
    const { engine, store } = setup(async () => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return { result: 'ok', tokens_input: null, tokens_output: null };
    });
    for (let i = 0; i < 1000; i++) engine.submit({ persona: 'engineer', task: `t${i}`, priority: (['low', 'normal', 'high'] as const)[i % 3] });
    engine.start();
    await engine.idle();
    expect(store.countByStatus()).toEqual({ pending: 0, running: 0, complete: 1000, failed: 0, cancelled: 0 });
    expect(max).toBe(3);
    expect(engine.stats().total_jobs).toBe(1000);
  });

  it('shows progress while running, with an ETA from the persona history', async () => {
    let nowMs = 1_700_000_000_000;
    const g = gated();
    const progress: Array<[string, ProgressUpdate]> = [];
    const run: JobRunner = async (job, ctx) => {
      ctx.progress({ phase: 'searching', percent: 40, message: 'Searching standards...' });
      ctx.toolCall();
      nowMs += 5000;
      ctx.progress({ phase: 'analyzing', percent: 60, message: 'Analyzing code patterns...' });
      return g.run(job, ctx);
    };
    const { engine } = setup(run, { clock: () => nowMs });
    engine.events.on('progress', (id, p) => progress.push([id, p]));
    const finished: JobState[] = [];
    engine.events.on('finished', (j) => finished.push(j));
    engine.start();

    // First job: no history, so no ETA.
    const first = engine.submit({ persona: 'architect', task: 'one' });
    await until(() => engine.get(first.id).progress_phase === 'analyzing', 'progress recorded');
    expect(jobView(engine.get(first.id), nowMs / 1000)).toEqual({
      status: 'running',
      job_id: first.id,
      persona: 'architect',
      progress: { phase: 'analyzing', percent_complete: 60, message: 'Analyzing code patterns...', eta_seconds: null, tool_calls_completed: 1 },
      elapsed_seconds: 5,
    });
    nowMs += 35_000; // the first job takes 40 s in all
    g.release();
    await engine.idle();
    expect(engine.get(first.id).duration_seconds).toBe(40);
    expect(finished.map((j) => j.id)).toEqual([first.id]);
    expect(engine.estimateSeconds('architect')).toBe(40);

    // Second job: median of history (40 s) minus 5 s elapsed.
    const second = engine.submit({ persona: 'architect', task: 'two' });
    await until(() => engine.get(second.id).progress_phase === 'analyzing', 'progress recorded');
    expect(engine.get(second.id)).toMatchObject({ status: 'running', progress_percent: 60, progress_eta_seconds: 35, tool_calls_made: 1 });
    g.release();
    await engine.idle();
    const secondEvents = progress.filter(([id]) => id === second.id).map(([, p]) => p);
    expect(secondEvents.map((p) => p.phase)).toEqual(['searching', 'searching', 'analyzing']);
    expect(secondEvents.at(-1)).toMatchObject({ percent_complete: 60, eta_seconds: 35, tool_calls_completed: 1, elapsed_seconds: 5 });
  });

  it('cancel aborts the run, keeps the latest partial result and wins over a late completion', async () => {
    let sawAbort = false;
    let lateResolve: (() => void) | undefined;
    const { engine } = setup(
      (_job, ctx) =>
        new Promise((resolve) => {
          ctx.progress({ phase: 'generating', percent: 70, message: 'Writing...' });
          ctx.partial('first draft');
          ctx.partial('second draft');
          ctx.signal.addEventListener('abort', () => {
            sawAbort = true;
            // Resolve late anyway: the cancellation must still win.
            lateResolve = () => resolve({ result: 'too late', tokens_input: 1, tokens_output: 1 });
          });
        }),
    );
    engine.start();
    const job = engine.submit({ persona: 'security', task: 'audit' });
    await until(() => engine.get(job.id).progress_phase === 'generating', 'running');
    const out = engine.cancel(job.id);
    expect(out).toEqual({ status: 'cancelled', job_id: job.id, partial_result: 'second draft', message: expect.stringMatching(/^Job cancelled after \d+ seconds\.$/) });
    expect(sawAbort).toBe(true);
    lateResolve!();
    await engine.idle();
    const after = engine.get(job.id);
    expect(after).toMatchObject({ status: 'cancelled', partial_result: 'second draft', result: null });
    expect(jobView(after, after.completed_at!)).toMatchObject({ status: 'cancelled', partial_result: 'second draft' });

    // Cancelling again changes nothing and says so.
    const again = engine.cancel(job.id);
    expect(again).toMatchObject({ status: 'cancelled', partial_result: 'second draft', message: 'Job already cancelled; nothing to cancel.' });
    let notFound: unknown;
    try {
      engine.cancel('no-such-job');
    } catch (e) {
      notFound = e;
    }
    expect(notFound).toBeInstanceOf(AgentOsError);
    expect((notFound as AgentOsError).code).toBe('NOT_FOUND');
  });

  it('cancels a pending job before it starts, and a finished job stays as it was', async () => {
    const g = gated();
    const { engine } = setup(g.run, { concurrency: 1 });
    engine.start();
    const a = engine.submit({ persona: 'data', task: 'a' });
    const b = engine.submit({ persona: 'data', task: 'b' });
    await until(() => g.inFlight.size === 1, 'a running');
    expect(engine.cancel(b.id)).toMatchObject({ status: 'cancelled', message: 'Job cancelled before it started.' });
    g.release();
    await engine.idle();
    expect(g.order).toEqual(['a']);
    expect(engine.cancel(a.id)).toMatchObject({ status: 'complete', message: 'Job already complete; nothing to cancel.' });
    expect(engine.get(a.id).result).toBe('done: a');
  });

  it('a job cancelled from another process (store) is aborted at its next progress report', async () => {
    const g = gated();
    let step: (() => void) | undefined;
    let aborted = false;
    const { engine, file } = setup(async (job, ctx) => {
      ctx.signal.addEventListener('abort', () => (aborted = true));
      ctx.progress({ phase: 'searching', percent: 10, message: 's' });
      await new Promise<void>((r) => (step = r));
      ctx.progress({ phase: 'analyzing', percent: 50, message: 'a' });
      ctx.signal.throwIfAborted();
      return g.run(job, ctx);
    });
    engine.start();
    const job = engine.submit({ persona: 'qa', task: 'x' });
    await until(() => step !== undefined, 'running');
    const other = new SqliteJobStore(file);
    expect(other.cancel(job.id, { partial_result: null, completed_at: Date.now() / 1000 })).toBe(true);
    other.close();
    step!();
    await until(() => aborted, 'abort seen');
    await engine.idle();
    expect(engine.get(job.id)).toMatchObject({ status: 'cancelled', progress_phase: 'searching' });
  });

  it('a run that throws fails the job with its message and the partial result', async () => {
    const { engine } = setup(async (_job, ctx) => {
      ctx.toolCall();
      ctx.partial('found 2 issues so far');
      ctx.usage({ input: 1200, output: 80 });
      throw new Error('LLM API timeout after 120s');
    });
    const failed: JobState[] = [];
    engine.events.on('finished', (j) => failed.push(j));
    engine.start();
    const job = engine.submit({ persona: 'architect', task: 't' });
    await engine.idle();
    const after = engine.get(job.id);
    expect(after).toMatchObject({ status: 'failed', error: 'LLM API timeout after 120s', partial_result: 'found 2 issues so far', tool_calls_made: 1, tokens_input: 1200, tokens_output: 80 });
    expect(jobView(after, after.completed_at!)).toMatchObject({ status: 'failed', persona: 'architect', error: 'LLM API timeout after 120s', partial_result: 'found 2 issues so far' });
    expect(failed.map((j) => j.status)).toEqual(['failed']);
  });

  it('with onlyOwnJobs runs the jobs it submitted and leaves the rest of the queue alone', async () => {
    const ran: string[] = [];
    const { engine, store } = setup(async (job) => {
      ran.push(job.task);
      return { result: 'ok', tokens_input: null, tokens_output: null };
    }, { onlyOwnJobs: true });
    const foreign = store.create({ id: 'foreign-job', persona: 'qa', task: 'queued by a server', context: null, priority: 'high', created_at: 1 });
    engine.start();
    const mine = engine.submit({ persona: 'qa', task: 'my review' });
    await engine.idle();
    expect(ran).toEqual(['my review']);
    expect(engine.get(mine.id).status).toBe('complete');
    expect(store.get(foreign.id)?.status).toBe('pending');
  });

  it('lists jobs as the spec shapes them', async () => {
    const { engine } = setup(async () => ({ result: 'r', tokens_input: null, tokens_output: null }));
    const long = 'x'.repeat(300);
    engine.submit({ persona: 'architect', task: long });
    engine.submit({ persona: 'security', task: 'short' });
    const view = jobListView(engine.list({ persona: 'architect', limit: 5 }));
    expect(view.total_count).toBe(1);
    expect(view.filtered_count).toBe(1);
    expect(view.jobs[0]).toMatchObject({ persona: 'architect', status: 'pending', duration_seconds: null });
    expect(view.jobs[0]!.task.length).toBeLessThanOrEqual(100);
    expect(view.jobs[0]!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(jobView(engine.list({ persona: 'security' }).jobs[0]!, Date.now() / 1000)).toMatchObject({ status: 'pending' });
    expect(() => engine.list({ status: 'weird' as never })).toThrow(/Unknown job status/);
  });

  it('reset without confirm deletes nothing; with confirm it deletes everything', async () => {
    const { engine, store } = setup(async () => ({ result: 'r', tokens_input: null, tokens_output: null }));
    engine.start();
    for (let i = 0; i < 5; i++) engine.submit({ persona: 'qa', task: `t${i}` });
    await engine.idle();
    for (const confirm of [undefined, false, 'true', 1]) {
      expect(engine.reset(confirm)).toMatchObject({ status: 'not_reset', jobs_deleted: 0, message: expect.stringMatching(/Nothing deleted/) });
    }
    expect(store.list({}).total_count).toBe(5);
    expect(engine.reset(true)).toMatchObject({ status: 'reset', jobs_deleted: 5, jobs_kept: 0, message: 'All job history deleted' });
    expect(store.list({}).total_count).toBe(0);
  });

  it('reset leaves the jobs other live processes run or wait for, and says so', async () => {
    const { engine: a, store: storeA, file } = setup(async () => ({ result: 'r', tokens_input: null, tokens_output: null }));
    // Engine B stands for another live agent-os process (an `agent-os review` waiting for its job):
    // its store records the parent of this test process as owner.
    const procs = new ProcessTable();
    const parent = procs.identityOf(process.ppid)!;
    const storeB = new SqliteJobStore(file, { owner: parent });
    const gB = gated();
    const b = createJobEngine({ store: storeB, run: gB.run, logger: silentLogger, pollIntervalMs: 0, onlyOwnJobs: true, concurrency: 1 });
    cleanups.push(() => storeB.close(), () => b.stop({ abort: true, timeoutMs: 2000 }));
    const dead = new SqliteJobStore(file, { owner: { ...procs.self(), pid: 2 ** 22 + 17, start: '1' } });
    cleanups.push(() => dead.close());

    // A finished job of this process's history.
    a.start();
    const old = a.submit({ persona: 'qa', task: 'old' });
    await a.idle();
    await a.stop();
    // B runs one job of its own and waits with a second one queued.
    b.start();
    const b1 = b.submit({ persona: 'security', task: 'b1' });
    await until(() => gB.inFlight.size === 1, 'b1 running in B');
    const b2 = b.submit({ persona: 'security', task: 'b2' });
    // A second engine of this process takes B's queued job: it runs here, but B waits for it.
    const gA = gated();
    const a2 = createJobEngine({ store: storeA, run: gA.run, logger: silentLogger, pollIntervalMs: 0, concurrency: 1 });
    cleanups.push(() => a2.stop({ abort: true, timeoutMs: 2000 }));
    a2.start();
    await until(() => gA.inFlight.size === 1, 'b2 running in A');
    // A job queued by a process that died before anyone took it.
    dead.create({ id: 'orphan', persona: 'qa', task: 'orphan', context: null, priority: 'normal', created_at: Date.now() / 1000 });

    const res = a2.reset(true);
    expect(res).toEqual({
      status: 'reset',
      jobs_deleted: 2,
      jobs_kept: 2,
      space_freed_mb: expect.any(Number),
      message:
        `Deleted 2 job(s); kept 2 pending or running job(s) that other live agent-os processes run or wait for (pid ${process.ppid}). ` +
        'Cancel them with cancel_persona_job, or reset again once they have finished.',
    });
    expect(storeA.get(old.id)).toBeNull();
    expect(storeA.get('orphan')).toBeNull();
    // Nothing B waits for was deleted or stopped: both jobs finish and B sees them.
    expect(gA.inFlight.has(b2.id)).toBe(true);
    const waitB1 = waitForJob(b, b1.id, { pollMs: 10 });
    const waitB2 = waitForJob(b, b2.id, { pollMs: 10 });
    gB.release();
    gA.release();
    expect(await waitB1).toMatchObject({ status: 'complete', result: 'done: b1' });
    expect(await waitB2).toMatchObject({ status: 'complete', result: 'done: b2' });

    // Once nobody needs them, a reset deletes them.
    await a2.idle();
    await b.idle();
    expect(a2.reset(true)).toMatchObject({ jobs_deleted: 2, jobs_kept: 0, message: 'All job history deleted' });
  });

  it('cleanup deletes only final jobs older than the retention; stats report it', async () => {
    let nowMs = Date.UTC(2025, 9, 6, 3, 0, 0);
    const g = gated();
    const { engine, store } = setup(g.run, { clock: () => nowMs, retentionDays: 30, cleanupIntervalMs: 86_400_000, concurrency: 1 });
    engine.start();
    const old = engine.submit({ persona: 'sre', task: 'old' });
    await until(() => g.inFlight.size === 1, 'old running');
    g.release();
    await engine.idle();
    const oldFailed = engine.submit({ persona: 'sre', task: 'old-but-pending' });
    const running = engine.submit({ persona: 'sre', task: 'old-running' });
    await until(() => g.inFlight.size === 1, 'pending running');
    nowMs += 31 * 86_400_000;
    const fresh = engine.submit({ persona: 'sre', task: 'fresh' });
    expect(engine.cleanup()).toBe(1);
    expect(store.get(old.id)).toBeNull();
    for (const id of [oldFailed.id, running.id, fresh.id]) expect(store.get(id)).not.toBeNull();

    const stats = engine.stats();
    expect(stats).toEqual({
      database_size_mb: expect.any(Number),
      total_jobs: 3,
      jobs_by_status: { pending: 2, running: 1, complete: 0, failed: 0, cancelled: 0 },
      oldest_job_days: 31,
      next_cleanup: '2025-10-07T03:00:00Z',
      cleanup_recommendation: 'healthy',
    });
    g.release();
  });

  it('stop waits for running jobs and stops taking new ones', async () => {
    const g = gated();
    const { engine, store } = setup(g.run, { concurrency: 1 });
    engine.start();
    const a = engine.submit({ persona: 'qa', task: 'a' });
    engine.submit({ persona: 'qa', task: 'b' });
    await until(() => g.inFlight.size === 1, 'a running');
    const stopping = engine.stop({ timeoutMs: 30_000 });
    g.release();
    expect(await stopping).toEqual({ unfinished: 0 });
    expect(engine.get(a.id).status).toBe('complete');
    expect(store.countByStatus()).toMatchObject({ pending: 1, running: 0 });
  });
});

/** The real store, whose final writes fail the way SQLite does when another writer holds it too long. */
class FlakyStore extends SqliteJobStore {
  completeFailures = 0;
  failFailures = 0;
  completeCalls = 0;
  failCalls = 0;

  override complete(...args: Parameters<SqliteJobStore['complete']>): boolean {
    this.completeCalls++;
    if (this.completeFailures-- > 0) throw new Database.SqliteError('database is locked', 'SQLITE_BUSY');
    return super.complete(...args);
  }

  override fail(...args: Parameters<SqliteJobStore['fail']>): boolean {
    this.failCalls++;
    if (this.failFailures-- > 0) throw new Database.SqliteError('disk I/O error', 'SQLITE_IOERR');
    return super.fail(...args);
  }
}

/** Settles `p`, or says it is still pending after a bounded wait (so a hang fails the test rather than timing it out). */
async function settled<T>(p: Promise<T>, ms = 10_000): Promise<{ value: T } | { error: unknown } | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((r) => (timer = setTimeout(() => r('pending'), ms)));
  try {
    return await Promise.race([p.then((value) => ({ value }), (error: unknown) => ({ error })), pending]);
  } finally {
    clearTimeout(timer);
  }
}

describe('recording the end of a job', () => {
  const retries = { finalWriteRetryMs: [1, 1, 1] };

  function flakySetup(opts: Partial<JobEngineOptions> & { owner?: ConstructorParameters<typeof SqliteJobStore>[1] } = {}): { engine: JobEngine; store: FlakyStore; file: string } {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-os-engine-'));
    const file = path.join(dir, 'jobs.db');
    const store = new FlakyStore(file, opts.owner ?? {});
    const engine = createJobEngine({
      store,
      run: async (job) => ({ result: `review of ${job.task}`, tokens_input: 3, tokens_output: 2 }),
      logger: silentLogger,
      pollIntervalMs: 0,
      ...retries,
      ...opts,
    });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close(), () => engine.stop({ abort: true, timeoutMs: 2000 }));
    return { engine, store, file };
  }

  it('retries a final write that fails a few times (SQLITE_BUSY), then records the result', async () => {
    const { engine, store } = flakySetup();
    store.completeFailures = 3;
    const finished: JobState[] = [];
    engine.events.on('finished', (j) => finished.push(j));
    engine.start();
    const job = engine.submit({ persona: 'qa', task: 'busy' });
    const waiting = waitForJob(engine, job.id, { pollMs: 10 });
    await engine.idle();
    expect(store.completeCalls).toBe(4);
    expect(store.get(job.id)).toMatchObject({ status: 'complete', result: 'review of busy', tokens_input: 3 });
    expect(finished.map((j) => [j.id, j.status])).toEqual([[job.id, 'complete']]);
    expect(await settled(waiting)).toEqual({ value: expect.objectContaining({ status: 'complete' }) });
  });

  it('a result that cannot be saved fails the job with the reason, instead of leaving it running', async () => {
    const { engine, store } = flakySetup();
    store.completeFailures = Infinity;
    engine.start();
    const job = engine.submit({ persona: 'qa', task: 'never saved' });
    await engine.idle();
    expect(store.completeCalls).toBe(4);
    expect(store.get(job.id)).toMatchObject({
      status: 'failed',
      result: null,
      error: 'The persona run finished, but its result could not be saved in the job database: database is locked (SQLITE_BUSY, 4 attempts).',
    });
  });

  it('when no end can be written: waiters learn it at once, the engine keeps trying, and a later write heals the job', async () => {
    const { engine, store } = flakySetup({ pollIntervalMs: 5 });
    store.completeFailures = Infinity;
    store.failFailures = Infinity;
    const unrecorded: string[] = [];
    engine.events.on('unrecorded', (id) => unrecorded.push(id));
    engine.start();
    const job = engine.submit({ persona: 'qa', task: 'unwritable' });
    const waiting = waitForJob(engine, job.id, { pollMs: 10 });
    const outcome = await settled(waiting);
    expect(outcome).not.toBe('pending');
    const error = (outcome as { error: unknown }).error;
    expect(isAgentOsError(error) && error.code).toBe('IO');
    expect((error as AgentOsError).message).toBe(
      `Persona job ${job.id} (qa) ended, but the job database could not record it: disk I/O error (SQLITE_IOERR, 4 attempts). ` +
        'It stays "running" there while agent-os keeps trying; if this process ends first, the next agent-os start re-queues it.',
    );
    expect((error as AgentOsError).hint).toMatch(/jobs\.db is writable/);
    expect(unrecorded).toEqual([job.id]);
    expect(store.get(job.id)?.status).toBe('running');
    // The disk recovers: the poll timer records the failure.
    store.failFailures = 0;
    await until(() => store.get(job.id)?.status === 'failed', 'the end recorded');
    expect(store.get(job.id)?.error).toBe('The persona run finished, but its result could not be saved in the job database: database is locked (SQLITE_BUSY, 4 attempts).');
  });

  it('a job whose end was never written is re-queued by the next start once its process is gone', async () => {
    // This engine's store stands for an earlier process with our pid (a previous run of agent-os).
    const earlier = { ...new ProcessTable().self(), start: '1' };
    const { engine, store, file } = flakySetup({ owner: { owner: earlier } });
    store.completeFailures = Infinity;
    store.failFailures = Infinity;
    engine.start();
    const job = engine.submit({ persona: 'qa', task: 'lost end' });
    await engine.idle();
    await engine.stop();
    expect(store.get(job.id)?.status).toBe('running');

    const next = new SqliteJobStore(file);
    const again = createJobEngine({ store: next, logger: silentLogger, pollIntervalMs: 0, run: async () => ({ result: 'second run', tokens_input: null, tokens_output: null }) });
    cleanups.push(() => next.close(), () => again.stop());
    expect(again.start()).toMatchObject({ requeued: 1, failed: 0 });
    await again.idle();
    expect(next.get(job.id)).toMatchObject({ status: 'complete', result: 'second run' });
  });

  it('waiting has a time limit that names the job, how long, and what to do', async () => {
    const g = gated();
    const { engine } = setup(async (job, ctx) => {
      ctx.progress({ phase: 'analyzing', percent: 50, message: 'Analyzing code patterns...' });
      return g.run(job, ctx);
    });
    engine.start();
    const job = engine.submit({ persona: 'sre', task: 'slow' });
    const outcome = await settled(waitForJob(engine, job.id, { pollMs: 10, timeoutMs: 200, timeoutHint: 'Raise the limit with --timeout <seconds>.' }));
    expect(outcome).not.toBe('pending');
    const error = (outcome as { error: AgentOsError }).error;
    expect(error).toBeInstanceOf(AgentOsError);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(`Stopped waiting for persona job ${job.id} (sre) after 0.2 s: it is still running (analyzing 50%: Analyzing code patterns...).`);
    expect(error.hint).toBe(
      `The job was not cancelled. Follow it with \`agent-os jobs watch ${job.id}\` (or check_persona_job), or stop it with \`agent-os jobs cancel ${job.id}\`. Raise the limit with --timeout <seconds>.`,
    );
    expect(engine.get(job.id).status).toBe('running');
    g.release();
    await engine.idle();
  });
});
