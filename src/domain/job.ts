/** Lifecycle of a persona job (spec model JobState.status). */
export type JobStatus = 'pending' | 'running' | 'complete' | 'failed' | 'cancelled';
export type JobPriority = 'low' | 'normal' | 'high';
export type JobPhase = 'initializing' | 'searching' | 'analyzing' | 'generating';

export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'complete', 'failed', 'cancelled'];
export const JOB_PRIORITIES: readonly JobPriority[] = ['low', 'normal', 'high'];
/** The statuses a job never leaves. */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['complete', 'failed', 'cancelled'];

/** Whether a job has ended (complete, failed or cancelled): its record no longer changes. */
export function isFinal(status: JobStatus): boolean {
  return (FINAL_JOB_STATUSES as readonly string[]).includes(status);
}

/** Spec model 3 (JobState), field for field; timestamps are Unix seconds (float). */
export interface JobState {
  id: string;
  persona: string;
  task: string;
  context: string | null;
  status: JobStatus;
  priority: JobPriority;
  progress_phase: JobPhase | null;
  progress_percent: number;
  progress_message: string | null;
  progress_eta_seconds: number | null;
  result: string | null;
  error: string | null;
  partial_result: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  tool_calls_made: number;
  tokens_input: number | null;
  tokens_output: number | null;
  duration_seconds: number | null;
}

/** Spec model 4 (ProgressUpdate), as reported while a job runs. */
export interface ProgressUpdate {
  phase: JobPhase;
  percent_complete: number;
  message: string;
  eta_seconds: number | null;
  tool_calls_completed: number;
  elapsed_seconds: number;
}

/** Spec model 1 (PersonaConfig). */
export interface PersonaConfig {
  name: string;
  identifier: string;
  system_prompt: string;
  standard_directory: string;
  mcp_tool_name: string;
  priority: 'core' | 'specialist';
}

/** Jobs of higher priority run first; among equals, the oldest first. */
export const PRIORITY_RANK: Record<JobPriority, number> = { high: 0, normal: 1, low: 2 };
