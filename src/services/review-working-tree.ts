/**
 * `agent-os review`: a persona review of the working tree's changes against a git ref, run as a
 * persona job. Builds the job's context from the diff, submits it, and waits for the job to end
 * (reporting progress), wherever it runs: this process's engine or a server sharing the job store.
 */
import { fileHeader, parseUnifiedDiff, quoteDiffPath } from '../domain/diff.js';
import { AgentOsError, isAgentOsError, messageOf } from '../domain/errors.js';
import { isFinal, type JobPriority, type JobState, type JobStatus, type ProgressUpdate } from '../domain/job.js';
import type { GitDiffResult, ProjectFiles } from '../ports/project-files.js';
import { getPersona, type LoadedPersona, type LoadedPersonas } from './personas.js';

/** The parts of the job engine a review needs (see src/jobs/engine.ts). */
export interface ReviewJobs {
  submit(input: { persona: string; task: string; context?: string | null; priority?: JobPriority }): JobState;
  get(id: string): JobState;
  cancel(id: string): { status: JobStatus; message: string; partial_result: string | null };
  readonly events: {
    on(event: 'progress', listener: (jobId: string, update: ProgressUpdate) => void): unknown;
    on(event: 'finished', listener: (job: JobState) => void): unknown;
    on(event: 'unrecorded', listener: (jobId: string, message: string) => void): unknown;
    off(event: 'progress', listener: (jobId: string, update: ProgressUpdate) => void): unknown;
    off(event: 'finished', listener: (job: JobState) => void): unknown;
    off(event: 'unrecorded', listener: (jobId: string, message: string) => void): unknown;
  };
}

export interface ReviewDeps {
  files: Pick<ProjectFiles, 'gitDiff' | 'readFile'>;
  personas: () => Promise<LoadedPersonas>;
  jobs: ReviewJobs;
  /** Brings the standards index up to date before the review searches it; failures become warnings. */
  refreshIndex?: () => Promise<unknown>;
}

export interface ReviewInput {
  persona: string;
  /** The ref to compare the working tree with (default HEAD). */
  base?: string;
  /** What to ask; default "Review this change to <files>". */
  task?: string;
  priority?: JobPriority;
  /** Largest diff put in the job's context (bytes). */
  maxDiffBytes?: number;
  /** Project-relative path prefixes left out of the file list (e.g. agent-os's own cache). */
  excludePaths?: readonly string[];
}

export interface SubmittedReview {
  job: JobState;
  persona: LoadedPersona;
  base: string;
  /** Files the diff touches plus untracked files. */
  files: string[];
  warnings: string[];
}

export const DEFAULT_REVIEW_TASK = 'Review this change';
const TASK_FILES_SHOWN = 10;
const DEFAULT_CONTEXT_DIFF_BYTES = 200 * 1024;
/** Untracked files shown as new-file diffs, and the bytes read of each. */
const MAX_NEW_FILES = 10;
const MAX_NEW_FILE_BYTES = 16 * 1024;

/** Paths a unified diff touches (the new path; deleted files by their old path). */
export function changedFiles(diff: string): string[] {
  return [...new Set(parseUnifiedDiff(diff).files.map((f) => f.path).filter(Boolean))];
}

/** The default task: names the changed files, which also steers the standards search toward them. */
export function defaultReviewTask(files: readonly string[]): string {
  if (files.length === 0) return DEFAULT_REVIEW_TASK;
  const shown = files.slice(0, TASK_FILES_SHOWN).join(', ');
  const more = files.length > TASK_FILES_SHOWN ? ` and ${files.length - TASK_FILES_SHOWN} more file(s)` : '';
  return `${DEFAULT_REVIEW_TASK} to ${shown}${more}`;
}

/** A new file's text as git would show it once added: every line an added line. */
export function newFileDiff(path: string, content: string): string {
  const head = [`diff --git ${quoteDiffPath(`a/${path}`)} ${quoteDiffPath(`b/${path}`)}`, 'new file mode 100644'];
  if (content === '') return head.join('\n');
  const lines = content.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  return [...head, fileHeader(null, path), `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
}

/**
 * The job's context: the diff against the base, with the untracked files read so far shown as new
 * files (so the standards are chosen from them too), and the rest of the untracked files named.
 */
export function reviewContext(d: GitDiffResult, added: ReadonlyArray<{ path: string; content: string }> = []): string {
  const parts: string[] = [`Changes in the working tree (staged and unstaged) against \`${d.base}\`:`, ''];
  const diff = [d.diff.replace(/\n$/, ''), ...added.map((f) => newFileDiff(f.path, f.content))].filter((x) => x.trim()).join('\n');
  if (diff) parts.push('```diff', diff, '```');
  else parts.push('(no changes to tracked files)');
  if (d.note) parts.push('', d.note);
  const shown = new Set(added.map((f) => f.path));
  const unread = d.untracked.filter((f) => !shown.has(f));
  if (unread.length) {
    parts.push('', 'New files not yet added to git (read them with read_file):', ...unread.map((f) => `- ${f}`));
  }
  return parts.join('\n');
}

/** Untracked text files read into the review (the first few, the start of each): binary or refused ones are skipped. */
async function readNewFiles(files: ReviewDeps['files'], paths: readonly string[]): Promise<Array<{ path: string; content: string }>> {
  const out: Array<{ path: string; content: string }> = [];
  for (const path of paths.slice(0, MAX_NEW_FILES)) {
    try {
      const f = await files.readFile(path, { maxBytes: MAX_NEW_FILE_BYTES });
      out.push({ path: f.path, content: f.content });
    } catch {
      // Binary files and files the read policy refuses stay listed by name only.
    }
  }
  return out;
}

/** Resolves the persona, diffs the working tree, and submits the review job. */
export async function submitWorkingTreeReview(deps: ReviewDeps, input: ReviewInput): Promise<SubmittedReview> {
  let persona: LoadedPersona;
  try {
    persona = getPersona(await deps.personas(), input.persona);
  } catch (e) {
    // Naming a persona that does not exist is a usage error of the review.
    if (isAgentOsError(e) && e.code === 'NOT_FOUND') throw new AgentOsError('BAD_INPUT', e.message, { cause: e, ...(e.hint ? { hint: e.hint } : {}) });
    throw e;
  }
  const base = input.base?.trim() || 'HEAD';
  const diff = await deps.files.gitDiff(base, { maxBytes: input.maxDiffBytes ?? DEFAULT_CONTEXT_DIFF_BYTES });
  const excluded = (input.excludePaths ?? []).map((p) => p.replace(/\/+$/, '')).filter((p) => p && p !== '.');
  const files = [...new Set([...changedFiles(diff.diff), ...diff.untracked])].filter((f) => !excluded.some((p) => f === p || f.startsWith(`${p}/`)));
  if (files.length === 0 && !diff.diff.trim()) {
    throw new AgentOsError('BAD_INPUT', `Nothing to review: the working tree has no changes against ${base}.`, {
      hint: 'Make a change first, or compare with another ref, e.g. --base main or --base HEAD~1.',
    });
  }
  const warnings: string[] = [];
  if (diff.note) warnings.push(diff.note);
  if (deps.refreshIndex) {
    try {
      await deps.refreshIndex();
    } catch (e) {
      warnings.push(`The standards index could not be refreshed, so the review may miss standards: ${isAgentOsError(e) ? e.describe() : messageOf(e)}`);
    }
  }
  const task = input.task?.trim() || defaultReviewTask(files);
  const untracked = diff.untracked.filter((f) => files.includes(f));
  const job = deps.jobs.submit({
    persona: persona.identifier,
    task,
    context: reviewContext({ ...diff, untracked }, await readNewFiles(deps.files, untracked)),
    ...(input.priority ? { priority: input.priority } : {}),
  });
  return { job, persona, base: diff.base, files, warnings };
}

export { isFinal };

/** Progress as read from the stored job (for jobs another process runs). */
export function storedProgress(job: JobState, nowSeconds: number): ProgressUpdate {
  return {
    phase: job.progress_phase ?? 'initializing',
    percent_complete: job.progress_percent,
    message: job.progress_message ?? (job.status === 'pending' ? 'Queued: waiting for a free worker.' : 'Starting…'),
    eta_seconds: job.progress_eta_seconds,
    tool_calls_completed: job.tool_calls_made,
    elapsed_seconds: job.started_at === null ? 0 : Math.round(Math.max(0, nowSeconds - job.started_at) * 10) / 10,
  };
}

export interface WaitOptions {
  /** Each progress report (from this process's engine, or polled from the store). */
  onProgress?: (update: ProgressUpdate, job: JobState | null) => void;
  /** Stops waiting (the job is not cancelled here); resolves with the job as it is then. */
  signal?: AbortSignal;
  /** How often the store is read, for jobs another process runs (default 500 ms). */
  pollMs?: number;
  /** Longest wait (default 30 minutes); then the wait rejects with AgentOsError('TIMEOUT'). The job goes on. */
  timeoutMs?: number;
  /** Said after the standard advice when the wait times out (e.g. the flag that raises the limit). */
  timeoutHint?: string;
  clock?: () => number;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60_000;

function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${Math.round(s * 10) / 10} s`;
  const min = Math.floor(s / 60);
  const rest = Math.round(s - min * 60);
  return rest ? `${min} min ${rest} s` : `${min} min`;
}

function stateOf(job: JobState | null): string {
  if (!job) return 'in an unknown state (the job database could not be read)';
  if (job.status !== 'running') return `still ${job.status}`;
  const p = `${job.progress_phase ?? 'initializing'} ${job.progress_percent}%`;
  return `still running (${job.progress_message ? `${p}: ${job.progress_message}` : p})`;
}

/**
 * Resolves with the job once it is complete, failed or cancelled (or when `signal` aborts). Rejects
 * with TIMEOUT after `timeoutMs`, with IO when this process's engine could not record the job's end,
 * and with NOT_FOUND when the job is gone. A failed read of the store is retried at the next poll.
 */
export function waitForJob(jobs: ReviewJobs, id: string, opts: WaitOptions = {}): Promise<JobState> {
  const clock = opts.clock ?? Date.now;
  const pollMs = opts.pollMs ?? 500;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  return new Promise<JobState>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;
    let lastSeen = '';
    let last: JobState | null = null;
    let readError: unknown = null;
    const cleanup = (): void => {
      if (timer) clearInterval(timer);
      if (deadline) clearTimeout(deadline);
      jobs.events.off('progress', onProgress);
      jobs.events.off('finished', onFinished);
      jobs.events.off('unrecorded', onUnrecorded);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    const done = (job: JobState): void => {
      cleanup();
      resolve(job);
    };
    const fail = (e: unknown): void => {
      cleanup();
      reject(e instanceof Error ? e : new Error(messageOf(e)));
    };
    const onProgress = (jobId: string, update: ProgressUpdate): void => {
      if (jobId !== id) return;
      lastSeen = `${update.phase}|${update.percent_complete}|${update.message}`;
      opts.onProgress?.(update, null);
    };
    const onFinished = (job: JobState): void => {
      if (job.id === id) done(job);
    };
    const onUnrecorded = (jobId: string, message: string): void => {
      if (jobId !== id) return;
      fail(
        new AgentOsError('IO', message, {
          hint: 'Check that .agent-os/.cache/jobs.db is writable and its disk has space (`agent-os doctor`), then run the review again.',
        }),
      );
    };
    const poll = (): void => {
      let job: JobState;
      try {
        job = jobs.get(id);
        readError = null;
      } catch (e) {
        // A job that is gone will not come back; a busy or failing database may recover.
        if (isAgentOsError(e) && e.code === 'NOT_FOUND') return fail(e);
        readError = e;
        return;
      }
      last = job;
      if (isFinal(job.status)) return done(job);
      const update = storedProgress(job, clock() / 1000);
      const key = `${update.phase}|${update.percent_complete}|${update.message}`;
      if (key !== lastSeen) {
        lastSeen = key;
        opts.onProgress?.(update, job);
      }
    };
    const onTimeout = (): void => {
      const persona = last ? ` (${last.persona})` : '';
      const unreadable = readError === null ? '' : ` The last read of the job database failed: ${messageOf(readError)}.`;
      fail(
        new AgentOsError('TIMEOUT', `Stopped waiting for persona job ${id}${persona} after ${duration(timeoutMs)}: it is ${stateOf(last)}.${unreadable}`, {
          hint:
            `The job was not cancelled. Follow it with \`agent-os jobs watch ${id}\` (or check_persona_job), or stop it with \`agent-os jobs cancel ${id}\`.` +
            (opts.timeoutHint ? ` ${opts.timeoutHint}` : ''),
        }),
      );
    };
    const onAbort = (): void => {
      cleanup();
      try {
        resolve(jobs.get(id));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(messageOf(e)));
      }
    };
    jobs.events.on('progress', onProgress);
    jobs.events.on('finished', onFinished);
    jobs.events.on('unrecorded', onUnrecorded);
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    timer = setInterval(poll, pollMs);
    deadline = setTimeout(onTimeout, timeoutMs);
    poll();
  });
}
