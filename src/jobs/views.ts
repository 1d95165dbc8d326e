/**
 * Pure renderings of JobState into the shapes the spec's tools return (check_persona_job,
 * list_persona_jobs, invoke_* "started"). `now` is Unix seconds, like every stored time.
 */
import type { JobState, JobStatus, ProgressUpdate } from '../domain/job.js';

export interface RunningView {
  status: 'running';
  job_id: string;
  persona: string;
  /** The spec's ProgressUpdate; its elapsed time is reported beside it, as check_persona_job shows. */
  progress: Omit<ProgressUpdate, 'elapsed_seconds'>;
  elapsed_seconds: number;
}

export interface PendingView {
  status: 'pending';
  job_id: string;
  persona: string;
  message: string;
  waiting_seconds: number;
}

export interface CompleteView {
  status: 'complete';
  job_id: string;
  persona: string;
  result: string;
  duration_seconds: number | null;
  tool_calls_made: number;
  tokens_used: { input: number | null; output: number | null };
}

export interface FailedView {
  status: 'failed';
  job_id: string;
  persona: string;
  error: string;
  partial_result: string | null;
  elapsed_seconds: number | null;
}

export interface CancelledView {
  status: 'cancelled';
  job_id: string;
  persona: string;
  partial_result: string | null;
  elapsed_seconds: number | null;
  message: string;
}

export type JobView = PendingView | RunningView | CompleteView | FailedView | CancelledView;

export interface JobListItem {
  job_id: string;
  persona: string;
  status: JobStatus;
  task: string;
  created_at: string;
  duration_seconds: number | null;
}

export interface JobListView {
  jobs: JobListItem[];
  /** Jobs matching the filter, before the limit. */
  total_count: number;
  /** Jobs returned. */
  filtered_count: number;
}

export interface StartedView {
  status: 'started';
  job_id: string;
  persona: string;
  estimated_duration_seconds: number;
  poll_command: string;
  message: string;
}

const TASK_PREVIEW_CHARS = 100;

function secs(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Unix seconds as an ISO-8601 UTC time without milliseconds. */
export function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** check_persona_job's answer for a job in any state. */
export function jobView(job: JobState, now: number): JobView {
  const base = { job_id: job.id, persona: job.persona };
  const end = job.completed_at ?? now;
  const elapsedSinceStart = job.started_at === null ? null : secs(Math.max(0, end - job.started_at));
  switch (job.status) {
    case 'pending':
      return {
        status: 'pending',
        ...base,
        message: 'Queued: waiting for a free worker.',
        waiting_seconds: secs(Math.max(0, now - job.created_at)),
      };
    case 'running':
      return {
        status: 'running',
        ...base,
        progress: {
          phase: job.progress_phase ?? 'initializing',
          percent_complete: job.progress_percent,
          message: job.progress_message ?? 'Starting…',
          eta_seconds: job.progress_eta_seconds,
          tool_calls_completed: job.tool_calls_made,
        },
        elapsed_seconds: elapsedSinceStart ?? 0,
      };
    case 'complete':
      return {
        status: 'complete',
        ...base,
        result: job.result ?? '',
        duration_seconds: job.duration_seconds === null ? null : secs(job.duration_seconds),
        tool_calls_made: job.tool_calls_made,
        tokens_used: { input: job.tokens_input, output: job.tokens_output },
      };
    case 'failed':
      return {
        status: 'failed',
        ...base,
        error: job.error ?? 'the job failed',
        partial_result: job.partial_result,
        elapsed_seconds: elapsedSinceStart,
      };
    case 'cancelled':
      return {
        status: 'cancelled',
        ...base,
        partial_result: job.partial_result,
        elapsed_seconds: elapsedSinceStart,
        message: elapsedSinceStart === null ? 'Job cancelled before it started.' : `Job cancelled after ${Math.round(elapsedSinceStart)} seconds.`,
      };
  }
}

/** One row of list_persona_jobs. */
export function jobListItem(job: JobState): JobListItem {
  const task = job.task.length > TASK_PREVIEW_CHARS ? `${job.task.slice(0, TASK_PREVIEW_CHARS - 1)}…` : job.task;
  return {
    job_id: job.id,
    persona: job.persona,
    status: job.status,
    task,
    created_at: isoTime(job.created_at),
    duration_seconds: job.duration_seconds === null ? null : secs(job.duration_seconds),
  };
}

/** list_persona_jobs's answer from a store/engine list result. */
export function jobListView(list: { jobs: readonly JobState[]; total_count: number }): JobListView {
  return { jobs: list.jobs.map(jobListItem), total_count: list.total_count, filtered_count: list.jobs.length };
}

/** invoke_<persona>'s immediate answer. `estimatedSeconds` comes from history (JobEngine.estimateSeconds). */
export function startedView(job: JobState, estimatedSeconds: number, personaLabel: string = capitalized(job.persona)): StartedView {
  const poll = `check_persona_job('${job.id}')`;
  return {
    status: 'started',
    job_id: job.id,
    persona: job.persona,
    estimated_duration_seconds: Math.max(1, Math.round(estimatedSeconds)),
    poll_command: poll,
    message: `${personaLabel} review started. Poll ${poll} every few seconds for progress.`,
  };
}
