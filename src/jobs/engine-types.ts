/** The job engine's contract: what runs a job, what the engine offers, and what it reports. */
import type { EventEmitter } from 'node:events';
import type { JobPhase, JobPriority, JobState, JobStatus, ProgressUpdate } from '../domain/job.js';
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
  /** Pauses between attempts at the write that ends a job (default 100, 400, 1600 ms). */
  finalWriteRetryMs?: readonly number[];
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
  /**
   * A job ended here but no write recording it succeeded: the store still says running. The engine
   * keeps trying (each poll and cleanup); `finished` follows once a write succeeds.
   */
  unrecorded: [jobId: string, message: string];
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
