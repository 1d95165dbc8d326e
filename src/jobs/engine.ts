import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { AgentOsError, messageOf } from '../domain/errors.js';
import { JOB_PRIORITIES, JOB_STATUSES, type JobPhase, type JobPriority, type JobState, type JobStatus, type ProgressUpdate } from '../domain/job.js';
import type { JobFilter, JobStore } from '../ports/job-store.js';
import type { Logger } from '../ports/logger.js';

/** What a running job may report. */
export interface JobRunContext {
  /** Aborted when the job is cancelled (or the engine stops with `abort: true`). */
  signal: AbortSignal;
  progress(p: { phase: JobPhase; percent: number; message: string }): void;
  /** Counts one tool call (written through with the current progress). */
  toolCall(): void;
  /** The latest partial output; kept if the job is cancelled or fails. */
  partial(text: string): void;
  /** Tokens used so far (running totals); recorded even when the job fails. */
  usage(tokens: { input: number; output: number }): void;
}

export interface JobRunResult {
  result: string;
  tokens_input: number | null;
  tokens_output: number | null;
}

export type JobRunner = (job: JobState, ctx: JobRunContext) => Promise<JobRunResult>;

export interface JobEngineOptions {
  store: JobStore;
  run: JobRunner;
  /** Milliseconds since the epoch (Date.now by default). Stored times are Unix seconds. */
  clock?: () => number;
  /** Jobs run at once in this process (default 3). */
  concurrency?: number;
  logger: Logger;
  /** Final jobs older than this are deleted by the cleanup timer (default 30). */
  retentionDays?: number;
  /** How often cleanup runs (default daily). It also runs at start(). */
  cleanupIntervalMs?: number;
  /** How often to look for pending jobs submitted by other processes (default 1 s; 0 disables). */
  pollIntervalMs?: number;
  /** Estimated duration when a persona has no history yet (default 60 s). */
  defaultEstimateSeconds?: number;
  /**
   * Run only jobs submitted through this engine (a CLI `review` waits for its own job and must not
   * take over the queue of a running server). Default false: any pending job is run.
   */
  onlyOwnJobs?: boolean;
}

export interface SubmitInput {
  persona: string;
  task: string;
  context?: string | null;
  priority?: JobPriority;
}

export interface CancelResult {
  status: JobStatus;
  job_id: string;
  partial_result: string | null;
  message: string;
}

export interface DatabaseStats {
  database_size_mb: number;
  total_jobs: number;
  jobs_by_status: Record<JobStatus, number>;
  oldest_job_days: number | null;
  next_cleanup: string | null;
  cleanup_recommendation: string;
}

export interface ResetResult {
  status: 'reset' | 'not_reset';
  jobs_deleted: number;
  /** Pending or running jobs left in place because another live process runs or waits for them. */
  jobs_kept: number;
  space_freed_mb: number;
  message: string;
}

export interface JobEngineEvents {
  /** A job was queued. */
  submitted: [job: JobState];
  /** A worker took a job. */
  started: [job: JobState];
  /** A running job reported progress (already written to the store). */
  progress: [jobId: string, update: ProgressUpdate];
  /** A job reached a final state (complete, failed or cancelled). */
  finished: [job: JobState];
}

export interface JobEngine {
  readonly events: EventEmitter<JobEngineEvents>;
  submit(input: SubmitInput): JobState;
  /** The job; NOT_FOUND if there is none. */
  get(id: string): JobState;
  cancel(id: string): CancelResult;
  list(filter?: JobFilter): { jobs: JobState[]; total_count: number };
  /** Seconds a job of this persona is expected to take: the median of recent runs, or the default. */
  estimateSeconds(persona: string): number;
  stats(): DatabaseStats;
  reset(confirm: unknown): ResetResult;
  /** Deletes final jobs older than the retention; returns how many. */
  cleanup(): number;
  /** Recovers interrupted jobs, starts the workers and the cleanup timer. */
  start(): { requeued: number; failed: number; cleaned: number };
  /** Stops taking jobs; aborts running ones only with `abort`; waits for them up to `timeoutMs` (default 10 s). */
  stop(options?: { abort?: boolean; timeoutMs?: number }): Promise<{ unfinished: number }>;
  /** Resolves once no job runs in this process and none is left to claim (for tests). */
  idle(): Promise<void>;
  /** Jobs running in this process now. */
  runningCount(): number;
}

const DAY_SECONDS = 86_400;
const HISTORY_SIZE = 10;
const FINAL: ReadonlySet<JobStatus> = new Set(['complete', 'failed', 'cancelled']);
const MB = 1024 * 1024;

interface Running {
  job: JobState;
  controller: AbortController;
  done: Promise<void>;
  phase: JobPhase;
  percent: number;
  message: string;
  toolCalls: number;
  partial: string | null;
  tokens: { input: number; output: number } | null;
  /** Median duration of recent runs of this persona, or null without history. */
  typicalSeconds: number | null;
  cancelled: boolean;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function createJobEngine(options: JobEngineOptions): JobEngine {
  const { store, run, logger } = options;
  const clock = options.clock ?? Date.now;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 3));
  const retentionDays = options.retentionDays ?? 30;
  const cleanupIntervalMs = options.cleanupIntervalMs ?? DAY_SECONDS * 1000;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const defaultEstimate = options.defaultEstimateSeconds ?? 60;
  const events = new EventEmitter<JobEngineEvents>();
  const running = new Map<string, Running>();
  /** Ids this engine submitted and has not yet claimed, when it runs only its own jobs. */
  const own: Set<string> | null = options.onlyOwnJobs ? new Set() : null;

  let started = false;
  let stopping = false;
  let cleanupTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let nextCleanupMs: number | null = null;
  let pumpScheduled = false;

  const nowSeconds = (): number => clock() / 1000;

  function emit<K extends keyof JobEngineEvents>(event: K, ...args: JobEngineEvents[K]): void {
    try {
      (events.emit as (e: K, ...a: JobEngineEvents[K]) => boolean)(event, ...args);
    } catch (e) {
      logger.warn('job event listener failed', { event, error: messageOf(e) });
    }
  }

  function mustGet(id: string): JobState {
    const job = store.get(id);
    if (!job) throw new AgentOsError('NOT_FOUND', `No persona job with id '${id}'.`, { hint: 'list_persona_jobs shows recent jobs and their ids.' });
    return job;
  }

  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      pump();
    });
  }

  function pump(): void {
    while (started && !stopping && running.size < concurrency) {
      let job: JobState | null;
      try {
        job = own ? store.claimNext(nowSeconds(), [...own]) : store.claimNext(nowSeconds());
      } catch (e) {
        logger.error('could not claim a persona job', { error: messageOf(e) });
        return;
      }
      if (!job) return;
      launch(job);
    }
  }

  function writeProgress(r: Running): void {
    if (r.cancelled || r.controller.signal.aborted) return;
    const elapsed = Math.max(0, nowSeconds() - (r.job.started_at ?? nowSeconds()));
    const eta = r.typicalSeconds === null ? null : Math.max(0, Math.round(r.typicalSeconds - elapsed));
    try {
      store.updateProgress(r.job.id, { phase: r.phase, percent: r.percent, message: r.message, eta_seconds: eta, tool_calls_made: r.toolCalls });
      // Another process (the CLI) may have cancelled the job: stop the work here too.
      const now = store.get(r.job.id);
      if (!now || FINAL.has(now.status)) {
        r.cancelled = true;
        r.controller.abort(new Error('job cancelled'));
        return;
      }
    } catch (e) {
      logger.warn('could not record job progress', { job_id: r.job.id, error: messageOf(e) });
    }
    emit('progress', r.job.id, {
      phase: r.phase,
      percent_complete: r.percent,
      message: r.message,
      eta_seconds: eta,
      tool_calls_completed: r.toolCalls,
      elapsed_seconds: round(elapsed, 1),
    });
  }

  function launch(job: JobState): void {
    own?.delete(job.id);
    let typical: number | null = null;
    try {
      typical = median(store.recentDurations(job.persona, HISTORY_SIZE));
    } catch (e) {
      logger.warn('could not read job history', { persona: job.persona, error: messageOf(e) });
    }
    const r: Running = {
      job,
      controller: new AbortController(),
      done: Promise.resolve(),
      phase: 'initializing',
      percent: 0,
      message: 'Starting…',
      toolCalls: 0,
      partial: null,
      tokens: null,
      typicalSeconds: typical,
      cancelled: false,
    };
    const ctx: JobRunContext = {
      signal: r.controller.signal,
      progress(p) {
        r.phase = p.phase;
        r.percent = Math.max(0, Math.min(100, Math.round(p.percent)));
        r.message = p.message;
        writeProgress(r);
      },
      toolCall() {
        r.toolCalls += 1;
        writeProgress(r);
      },
      partial(text) {
        if (!r.cancelled) r.partial = text;
      },
      usage(tokens) {
        r.tokens = { input: tokens.input, output: tokens.output };
      },
    };
    running.set(job.id, r);
    emit('started', job);
    r.done = Promise.resolve()
      .then(() => run(job, ctx))
      .then(
        (out) => {
          if (r.cancelled) return;
          const applied = store.complete(job.id, {
            result: out.result,
            completed_at: nowSeconds(),
            tool_calls_made: r.toolCalls,
            tokens_input: out.tokens_input,
            tokens_output: out.tokens_output,
          });
          if (!applied) logger.info('job finished after it was cancelled; result dropped', { job_id: job.id });
        },
        (e: unknown) => {
          if (r.cancelled) return;
          if (r.controller.signal.aborted) {
            // Aborted by stop({ abort: true }): left running in the store; the next start re-queues it.
            logger.warn('persona job aborted by shutdown', { job_id: job.id });
            return;
          }
          store.fail(job.id, {
            error: messageOf(e) || 'the persona run failed',
            partial_result: r.partial,
            completed_at: nowSeconds(),
            tool_calls_made: r.toolCalls,
            tokens_input: r.tokens?.input ?? null,
            tokens_output: r.tokens?.output ?? null,
          });
        },
      )
      .catch((e: unknown) => logger.error('could not record the end of a persona job', { job_id: job.id, error: messageOf(e) }))
      .finally(() => {
        running.delete(job.id);
        const final = store.get(job.id);
        if (final && FINAL.has(final.status)) emit('finished', final);
        schedulePump();
      });
  }

  function estimateSeconds(persona: string): number {
    const m = median(store.recentDurations(persona, HISTORY_SIZE));
    return m === null ? defaultEstimate : Math.max(1, Math.round(m));
  }

  function cleanup(): number {
    const before = nowSeconds() - retentionDays * DAY_SECONDS;
    const deleted = store.deleteOlderThan(before);
    if (deleted > 0) logger.info('deleted old persona jobs', { deleted, retention_days: retentionDays });
    return deleted;
  }

  function runCleanup(): void {
    try {
      cleanup();
      // Also pick up jobs orphaned by another process that died while this one runs.
      const { requeued, failed } = store.recoverInterrupted(nowSeconds());
      if (requeued || failed) {
        logger.warn('recovered interrupted persona jobs', { requeued, failed });
        schedulePump();
      }
    } catch (e) {
      logger.warn('persona job cleanup failed', { error: messageOf(e) });
    }
    nextCleanupMs = clock() + cleanupIntervalMs;
  }

  return {
    events,

    submit(input) {
      const persona = typeof input.persona === 'string' ? input.persona.trim() : '';
      const task = typeof input.task === 'string' ? input.task.trim() : '';
      if (!persona) throw new AgentOsError('BAD_INPUT', 'A persona job needs a persona.');
      if (!task) throw new AgentOsError('BAD_INPUT', 'A persona job needs a task: say what to review or design.');
      const priority = input.priority ?? 'normal';
      if (!JOB_PRIORITIES.includes(priority)) {
        throw new AgentOsError('BAD_INPUT', `Unknown priority '${String(priority)}'.`, { hint: `Use one of: ${JOB_PRIORITIES.join(', ')}.` });
      }
      const job = store.create({ id: randomUUID(), persona, task, context: input.context ?? null, priority, created_at: nowSeconds() });
      own?.add(job.id);
      emit('submitted', job);
      schedulePump();
      return job;
    },

    get: mustGet,

    cancel(id) {
      const job = mustGet(id);
      if (FINAL.has(job.status)) {
        return {
          status: job.status,
          job_id: id,
          partial_result: job.partial_result,
          message: `Job already ${job.status}; nothing to cancel.`,
        };
      }
      const r = running.get(id);
      const now = nowSeconds();
      const partial = r?.partial ?? null;
      if (r) r.cancelled = true;
      const applied = store.cancel(id, { partial_result: partial, completed_at: now });
      if (r) r.controller.abort(new Error('job cancelled'));
      const after = mustGet(id);
      if (!applied) {
        return {
          status: after.status,
          job_id: id,
          partial_result: after.partial_result,
          message: `Job already ${after.status}; nothing to cancel.`,
        };
      }
      if (!r) emit('finished', after);
      const message =
        job.status === 'pending' || job.started_at === null
          ? 'Job cancelled before it started.'
          : `Job cancelled after ${Math.max(0, Math.round(now - job.started_at))} seconds.`;
      return { status: 'cancelled', job_id: id, partial_result: after.partial_result, message };
    },

    list(filter = {}) {
      if (filter.status !== undefined && !JOB_STATUSES.includes(filter.status)) {
        throw new AgentOsError('BAD_INPUT', `Unknown job status '${String(filter.status)}'.`, { hint: `Use one of: ${JOB_STATUSES.join(', ')}.` });
      }
      return store.list({ ...filter, limit: filter.limit ?? 10 });
    },

    estimateSeconds,

    stats() {
      const byStatus = store.countByStatus();
      const total = JOB_STATUSES.reduce((n, s) => n + byStatus[s], 0);
      const oldest = store.oldestCreatedAt();
      const oldestDays = oldest === null ? null : round(Math.max(0, nowSeconds() - oldest) / DAY_SECONDS, 1);
      const sizeMb = round(store.sizeBytes() / MB, 1);
      let recommendation = 'healthy';
      if (sizeMb > 100) recommendation = 'database is large: run reset_persona_jobs(confirm=true) if the history is not needed';
      else if (oldestDays !== null && oldestDays > retentionDays + 1 && byStatus.pending + byStatus.running < total) {
        recommendation = `cleanup overdue: jobs older than the ${retentionDays}-day retention remain`;
      }
      return {
        database_size_mb: sizeMb,
        total_jobs: total,
        jobs_by_status: byStatus,
        oldest_job_days: oldestDays,
        next_cleanup: nextCleanupMs === null ? null : isoSeconds(nextCleanupMs),
        cleanup_recommendation: recommendation,
      };
    },

    reset(confirm) {
      if (confirm !== true) {
        return {
          status: 'not_reset',
          jobs_deleted: 0,
          jobs_kept: 0,
          space_freed_mb: 0,
          message: 'Nothing deleted: pass confirm=true to delete all persona job history.',
        };
      }
      const before = store.sizeBytes();
      const out = store.reset();
      // Stop the work of this process's jobs that are gone; the ones kept go on.
      for (const r of running.values()) {
        if (store.get(r.job.id)) continue;
        r.cancelled = true;
        r.controller.abort(new Error('job history reset'));
      }
      if (own) for (const id of own) if (!store.get(id)) own.delete(id);
      const freed = round(Math.max(0, before - store.sizeBytes()) / MB, 1);
      logger.warn('persona job history reset', { deleted: out.deleted, kept: out.kept });
      const message =
        out.kept === 0
          ? 'All job history deleted'
          : `Deleted ${out.deleted} job(s); kept ${out.kept} pending or running job(s) that other live agent-os processes run or wait for ` +
            `(pid ${out.keptFor.join(', ')}). Cancel them with cancel_persona_job, or reset again once they have finished.`;
      return { status: 'reset', jobs_deleted: out.deleted, jobs_kept: out.kept, space_freed_mb: freed, message };
    },

    cleanup,

    start() {
      if (started) return { requeued: 0, failed: 0, cleaned: 0 };
      started = true;
      stopping = false;
      const recovered = store.recoverInterrupted(nowSeconds());
      if (recovered.requeued || recovered.failed) logger.warn('recovered interrupted persona jobs', recovered);
      let cleaned = 0;
      try {
        cleaned = cleanup();
      } catch (e) {
        logger.warn('persona job cleanup failed', { error: messageOf(e) });
      }
      nextCleanupMs = clock() + cleanupIntervalMs;
      cleanupTimer = setInterval(runCleanup, cleanupIntervalMs);
      cleanupTimer.unref();
      if (pollIntervalMs > 0) {
        pollTimer = setInterval(pump, pollIntervalMs);
        pollTimer.unref();
      }
      pump();
      return { ...recovered, cleaned };
    },

    async stop(opts = {}) {
      stopping = true;
      started = false;
      if (cleanupTimer) clearInterval(cleanupTimer);
      if (pollTimer) clearInterval(pollTimer);
      cleanupTimer = pollTimer = undefined;
      nextCleanupMs = null;
      if (opts.abort) for (const r of running.values()) r.controller.abort(new Error('agent-os is shutting down'));
      const pending = [...running.values()].map((r) => r.done);
      if (pending.length === 0) return { unfinished: 0 };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, opts.timeoutMs ?? 10_000);
        timer.unref();
      });
      await Promise.race([Promise.allSettled(pending), timeout]);
      if (timer) clearTimeout(timer);
      return { unfinished: running.size };
    },

    async idle() {
      for (;;) {
        if (running.size === 0) {
          pump();
          if (running.size === 0) return;
        }
        await Promise.allSettled([...running.values()].map((r) => r.done));
        // Let the completion handlers schedule the next claims.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },

    runningCount: () => running.size,
  };
}
