/**
 * MCP Tasks (protocol revision 2025-11-25, `@modelcontextprotocol/sdk/experimental/tasks`) backed by
 * the persona job engine: a task IS a persona job. The task id is the job id, the task status is the
 * job status, `tasks/result` answers what the polling path answers for a finished job, and
 * `tasks/cancel` cancels the job. Nothing is kept here that the job store does not already hold,
 * so a task survives a reconnect or a restart (jobs are durable) and any connection may ask for it.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CreateTaskOptions, TaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import {
  type CallToolResult,
  type ProgressToken,
  type Request,
  type RequestId,
  type Result,
  type ServerCapabilities,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { isAgentOsError, messageOf } from '../domain/errors.js';
import { isFinal, JOB_PRIORITIES, type JobPriority, type JobState, type PersonaConfig, type ProgressUpdate } from '../domain/job.js';
import type { JobEngine, SubmitInput } from '../jobs/engine.js';
import { jobView, startedView } from '../jobs/views.js';
import { toolResult } from './results.js';
import type { Logger } from '../ports/logger.js';

/** What the server declares: tools/call may be task-augmented; tasks can be listed and cancelled. */
export const TASKS_CAPABILITY: NonNullable<ServerCapabilities['tasks']> = { list: {}, cancel: {}, requests: { tools: { call: {} } } };

/** Suggested tasks/get interval; the spec's polling guidance for persona jobs is every 3-5 s. */
export const DEFAULT_TASK_POLL_INTERVAL_MS = 3000;
/** The job engine's default retention (30 days): finished jobs, and so their tasks, are deleted after it. */
export const DEFAULT_TASK_TTL_MS = 30 * 86_400 * 1000;

export interface JobTaskDeps {
  personas: readonly PersonaConfig[];
  jobs: JobEngine;
  logger: Logger;
  /** Unix seconds. */
  now?: () => number;
  /** pollInterval suggested to clients (ms). */
  taskPollIntervalMs?: number;
  /** ttl reported for a task (ms from creation; null = unlimited). Should match the job retention. */
  taskTtlMs?: number | null;
}


function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}



/** invoke_<persona>'s immediate answer (the spec's "started" object). */
export function startedResult(job: JobState, estimateSeconds: number, personaLabel?: string): CallToolResult {
  const view = startedView(job, estimateSeconds, personaLabel);
  return toolResult(view, `${view.message}\nPoll with check_persona_job("${view.job_id}") every few seconds until the status is complete, failed or cancelled.`);
}

/** check_persona_job's answer: the job view; the text is the result itself once there is one. */
export function jobResult(job: JobState, now: number): CallToolResult {
  const view = jobView(job, now);
  const text = 'result' in view && typeof view.result === 'string' ? view.result : JSON.stringify(view, null, 2);
  return toolResult(view, text);
}

function statusMessage(job: JobState): string {
  switch (job.status) {
    case 'pending':
      return 'Queued: waiting for a free worker.';
    case 'running':
      return `${job.progress_phase ?? 'initializing'} (${job.progress_percent}%): ${job.progress_message ?? 'Starting…'}`;
    case 'complete':
      return 'Review complete.';
    case 'failed':
      return job.error ?? 'the job failed';
    case 'cancelled':
      return 'Job cancelled.';
  }
}

/** A persona job as an MCP task. pending/running → working; complete → completed; failed, cancelled as is. */
export function jobToTask(job: JobState, opts: { pollIntervalMs: number; ttlMs: number | null }): Task {
  const status: Task['status'] = job.status === 'pending' || job.status === 'running' ? 'working' : job.status === 'complete' ? 'completed' : job.status;
  return {
    taskId: job.id,
    status,
    ttl: opts.ttlMs,
    createdAt: iso(job.created_at),
    lastUpdatedAt: iso(job.completed_at ?? job.started_at ?? job.created_at),
    pollInterval: opts.pollIntervalMs,
    statusMessage: statusMessage(job),
  };
}

/** The job a task-creating persona tool asks for, passed through CreateTaskOptions.context. */
function submitInput(context: Record<string, unknown> | undefined): SubmitInput {
  const persona = context?.['persona'];
  const task = context?.['task'];
  const ctx = context?.['context'];
  const priority = context?.['priority'];
  if (typeof persona !== 'string' || typeof task !== 'string') throw new Error('A persona task needs a persona and a task.');
  return {
    persona,
    task,
    context: typeof ctx === 'string' ? ctx : null,
    priority: typeof priority === 'string' && (JOB_PRIORITIES as readonly string[]).includes(priority) ? (priority as JobPriority) : 'normal',
  };
}

interface Tracked {
  token: ProgressToken | undefined;
  relatedRequestId: RequestId;
  lastProgress: number;
}

/**
 * The SDK's TaskStore over the job engine, one per McpServer (per connection). The SDK answers
 * tasks/get, tasks/result, tasks/list and tasks/cancel from it.
 *
 * Progress (spec, basic/utilities/progress): a progress token may only be used while its request is
 * active. A task-augmented invoke keeps its request "active" until the task is terminal, so the
 * job's progress is sent as `notifications/progress` with the call's token until the job finishes
 * (never after), plus a `notifications/tasks/status` when it does. A plain invoke_* call answers at
 * once with the "started" object, which ends its request: no progress is sent for it (the client
 * polls check_persona_job, and check_persona_job itself answers at once, so neither has any).
 */
export class JobTaskStore implements TaskStore {
  private readonly now: () => number;
  private readonly pollIntervalMs: number;
  private readonly ttlMs: number | null;
  /** Tasks created through this connection by task-augmented calls, oldest first. */
  private readonly created: string[] = [];
  private readonly tracked = new Map<string, Tracked>();
  private server: McpServer | null = null;
  private listening = false;

  constructor(private readonly deps: JobTaskDeps) {
    this.now = deps.now ?? (() => Date.now() / 1000);
    this.pollIntervalMs = deps.taskPollIntervalMs ?? DEFAULT_TASK_POLL_INTERVAL_MS;
    this.ttlMs = deps.taskTtlMs === undefined ? DEFAULT_TASK_TTL_MS : deps.taskTtlMs;
  }

  /** The server that notifications for this connection's tasks go through. */
  bind(server: McpServer): void {
    this.server = server;
  }

  private toTask(job: JobState): Task {
    return jobToTask(job, { pollIntervalMs: this.pollIntervalMs, ttlMs: this.ttlMs });
  }

  private find(taskId: string): JobState | null {
    try {
      return this.deps.jobs.get(taskId);
    } catch (e) {
      if (isAgentOsError(e) && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }

  private label(persona: string): string | undefined {
    return this.deps.personas.find((p) => p.identifier === persona)?.name;
  }

  async createTask(options: CreateTaskOptions, requestId: RequestId, request: Request): Promise<Task> {
    const job = this.deps.jobs.submit(submitInput(options.context));
    const task = this.toTask(job);
    // Only task-augmented calls get here: plain invoke_* calls are answered by tool-calls.ts.
    const params = request.params as { _meta?: { progressToken?: ProgressToken } } | undefined;
    this.created.push(job.id);
    this.track(job.id, params?._meta?.progressToken, requestId);
    return task;
  }

  async getTask(taskId: string): Promise<Task | null> {
    const job = this.find(taskId);
    return job ? this.toTask(job) : null;
  }

  /**
   * The tools/call result of the task: for a finished job, check_persona_job's answer (the spec's
   * complete/failed/cancelled view, the result as text; a failed job is a tool error). For a job
   * still going (tasks/result waits for a terminal status, so this is a fallback), the "started" object.
   */
  async getTaskResult(taskId: string): Promise<Result> {
    const job = this.find(taskId);
    if (!job) throw new Error(`Task not found: ${taskId}`);
    if (!isFinal(job.status)) return startedResult(job, this.deps.jobs.estimateSeconds(job.persona), this.label(job.persona));
    const result = jobResult(job, this.now());
    return job.status === 'failed' ? { ...result, isError: true } : result;
  }

  async storeTaskResult(taskId: string): Promise<void> {
    throw new Error(`Task ${taskId} is a persona job: its result is written by the job engine.`);
  }

  async updateTaskStatus(taskId: string, status: Task['status']): Promise<void> {
    if (status !== 'cancelled') throw new Error(`Task ${taskId} is a persona job: only cancellation can be requested.`);
    const out = this.deps.jobs.cancel(taskId);
    this.deps.logger.info('persona task cancelled', { job_id: taskId, status: out.status });
  }

  /** Tasks this connection created (task-augmented calls), newest first. Other jobs: list_persona_jobs. */
  async listTasks(): Promise<{ tasks: Task[] }> {
    const tasks: Task[] = [];
    for (const id of [...this.created].reverse()) {
      const job = this.find(id);
      if (job) tasks.push(this.toTask(job));
    }
    return { tasks };
  }

  // ---- notifications for this connection's tasks ----

  private readonly onProgress = (jobId: string, update: ProgressUpdate): void => {
    if (!this.server?.isConnected()) return this.untrackAll();
    const t = this.tracked.get(jobId);
    if (!t) return;
    // The spec: progress MUST increase with each notification; updates that do not move it are left out.
    if (t.token === undefined || update.percent_complete <= t.lastProgress) return;
    t.lastProgress = update.percent_complete;
    this.notify(
      { method: 'notifications/progress', params: { progressToken: t.token, progress: update.percent_complete, total: 100, message: `${update.phase}: ${update.message}` } },
      t.relatedRequestId,
    );
  };

  private readonly onFinished = (job: JobState): void => {
    if (!this.server?.isConnected()) return this.untrackAll();
    const t = this.tracked.get(job.id);
    if (!t) return;
    this.tracked.delete(job.id);
    if (this.tracked.size === 0) this.stopListening();
    // Terminal: no progress after this. Tell the client so it can stop polling.
    this.notify({ method: 'notifications/tasks/status', params: this.toTask(job) });
  };

  private track(jobId: string, token: ProgressToken | undefined, relatedRequestId: RequestId): void {
    if (!this.server) return;
    this.tracked.set(jobId, { token, relatedRequestId, lastProgress: -1 });
    if (!this.listening) {
      this.deps.jobs.events.on('progress', this.onProgress);
      this.deps.jobs.events.on('finished', this.onFinished);
      this.listening = true;
    }
  }

  private untrackAll(): void {
    this.tracked.clear();
    this.stopListening();
  }

  private stopListening(): void {
    if (!this.listening) return;
    this.deps.jobs.events.off('progress', this.onProgress);
    this.deps.jobs.events.off('finished', this.onFinished);
    this.listening = false;
  }

  private notify(notification: Parameters<McpServer['server']['notification']>[0], relatedRequestId?: RequestId): void {
    const server = this.server;
    if (!server) return;
    server.server.notification(notification, relatedRequestId === undefined ? undefined : { relatedRequestId }).catch((e: unknown) => {
      this.deps.logger.debug('could not send a task notification', { method: notification.method, error: messageOf(e) });
    });
  }
}
