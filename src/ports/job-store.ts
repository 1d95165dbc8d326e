import type { JobPhase, JobPriority, JobState, JobStatus } from '../domain/job.js';

export interface NewJob {
  id: string;
  persona: string;
  task: string;
  context: string | null;
  priority: JobPriority;
  created_at: number;
}

export interface JobFilter {
  status?: JobStatus;
  persona?: string;
  limit?: number;
}

export interface ResetOutcome {
  deleted: number;
  kept: number;
  /** Pids of the live processes the kept jobs belong to. */
  keptFor: number[];
}

/** Durable job records (SQLite in production). Every call writes through at once. */
export interface JobStore {
  create(job: NewJob): JobState;
  get(id: string): JobState | null;
  list(filter: JobFilter): { jobs: JobState[]; total_count: number };
  /**
   * Atomically take the next pending job (priority, then age) and mark it running; null if none.
   * With `onlyIds`, only those jobs are considered.
   */
  claimNext(now: number, onlyIds?: readonly string[]): JobState | null;
  updateProgress(id: string, p: { phase: JobPhase; percent: number; message: string; eta_seconds: number | null; tool_calls_made: number }): void;
  /** Final states; each is a no-op if the job is already final (a cancel wins over a late completion). */
  complete(id: string, r: { result: string; completed_at: number; tool_calls_made: number; tokens_input: number | null; tokens_output: number | null }): boolean;
  fail(id: string, r: { error: string; partial_result: string | null; completed_at: number; tool_calls_made?: number; tokens_input?: number | null; tokens_output?: number | null }): boolean;
  cancel(id: string, r: { partial_result: string | null; completed_at: number }): boolean;
  /** Jobs left `running` by a dead process: re-queued once, failed the second time. Returns counts. */
  recoverInterrupted(now: number): { requeued: number; failed: number };
  /** Durations (seconds) of the most recent completed jobs of a persona, newest first. */
  recentDurations(persona: string, limit: number): number[];
  countByStatus(): Record<JobStatus, number>;
  oldestCreatedAt(): number | null;
  /** Delete final jobs completed before `before`; returns how many. */
  deleteOlderThan(before: number): number;
  /**
   * Delete every job except the pending and running ones another live process runs or submitted
   * (it may be waiting for them); jobs of this process and of dead processes go.
   */
  reset(): ResetOutcome;
  sizeBytes(): number;
  close(): void;
}
