import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { AgentOsError, messageOf } from '../domain/errors.js';
import { isFinal, JOB_PRIORITIES, JOB_STATUSES, type JobPhase, type JobState } from '../domain/job.js';
import type { JobStore } from '../ports/job-store.js';
import type { JobEngine, JobEngineEvents, JobEngineOptions, JobRunContext } from './engine-types.js';
import { DEFAULT_FINAL_WRITE_RETRY_MS, retryWrite, unsavedResultError } from './final-write.js';

export type {
  CancelResult,
  DatabaseStats,
  JobEngine,
  JobEngineEvents,
  JobEngineOptions,
  JobRunContext,
  JobRunner,
  JobRunResult,
  ResetResult,
  SubmitInput,
} from './engine-types.js';

const DAY_SECONDS = 86_400;
const HISTORY_SIZE = 10;
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
  /** Ends of jobs no write could record yet: the failure to write, or the original write. */
  const unrecorded = new Map<string, Failure | (() => boolean)>();
  const retryMs = options.finalWriteRetryMs ?? DEFAULT_FINAL_WRITE_RETRY_MS;
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
      if (!now || isFinal(now.status)) {
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
        async (out) => {
          if (r.cancelled) return;
          await recordEnd(r, {
            write: () =>
              store.complete(job.id, {
                result: out.result,
                completed_at: nowSeconds(),
                tool_calls_made: r.toolCalls,
                tokens_input: out.tokens_input,
                tokens_output: out.tokens_output,
              }),
            // A result too big or a row that will not take it: the failure is a smaller write.
            failure: (reason) => ({ ...failureOf(r), error: unsavedResultError(reason), tokens_input: out.tokens_input, tokens_output: out.tokens_output }),
          });
        },
        async (e: unknown) => {
          if (r.cancelled) return;
          if (r.controller.signal.aborted) {
            // Aborted by stop({ abort: true }): left running in the store; the next start re-queues it.
            logger.warn('persona job aborted by shutdown', { job_id: job.id });
            return;
          }
          const failure = { ...failureOf(r), error: messageOf(e) || 'the persona run failed' };
          await recordEnd(r, { write: () => store.fail(job.id, failure), failure: null });
        },
      )
      .catch((e: unknown) => logger.error('could not record the end of a persona job', { job_id: job.id, error: messageOf(e) }))
      .finally(() => {
        running.delete(job.id);
        emitIfFinal(job.id);
        schedulePump();
      });
  }

  type Failure = Parameters<JobStore['fail']>[1];

  function failureOf(r: Running): Failure {
    return {
      error: '',
      partial_result: r.partial,
      completed_at: nowSeconds(),
      tool_calls_made: r.toolCalls,
      tokens_input: r.tokens?.input ?? null,
      tokens_output: r.tokens?.output ?? null,
    };
  }

  function emitIfFinal(id: string): void {
    let final: JobState | null = null;
    try {
      final = store.get(id);
    } catch (e) {
      logger.warn('could not read a persona job', { job_id: id, error: messageOf(e) });
    }
    if (final && isFinal(final.status)) emit('finished', final);
  }

  /**
   * Writes a job's end, retrying; a result that cannot be written fails the job instead. If nothing
   * can be written, the job is remembered and retried from the timers, and waiters are told now.
   */
  async function recordEnd(r: Running, end: { write: () => boolean; failure: ((reason: string) => Failure) | null }): Promise<void> {
    const id = r.job.id;
    const first = await retryWrite(end.write, retryMs);
    if (first.ok) {
      if (!first.value) logger.info('job finished after it was cancelled or reset; its end was dropped', { job_id: id });
      return;
    }
    let failure: Failure | null = null;
    let reason = first.reason;
    if (end.failure) {
      failure = end.failure(first.reason);
      logger.error('could not save a persona job result; failing the job', { job_id: id, error: first.reason });
      const second = await retryWrite(() => store.fail(id, failure!), retryMs);
      if (second.ok) return;
      reason = second.reason;
    }
    unrecorded.set(id, failure ?? end.write);
    logger.error('could not record the end of a persona job; it stays running in the job database until a write succeeds', { job_id: id, error: reason });
    emit(
      'unrecorded',
      id,
      `Persona job ${id} (${r.job.persona}) ended, but the job database could not record it: ${reason}. ` +
        'It stays "running" there while agent-os keeps trying; if this process ends first, the next agent-os start re-queues it.',
    );
  }

  /** Another try at the ends that could not be written (from the poll and cleanup timers). */
  function retryUnrecorded(): void {
    for (const [id, pending] of unrecorded) {
      try {
        if (typeof pending === 'function') pending();
        else store.fail(id, pending);
      } catch {
        continue;
      }
      unrecorded.delete(id);
      logger.info('recorded the end of a persona job on a later attempt', { job_id: id });
      emitIfFinal(id);
    }
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
    retryUnrecorded();
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
      if (isFinal(job.status)) {
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
        pollTimer = setInterval(() => {
          retryUnrecorded();
          pump();
        }, pollIntervalMs);
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
