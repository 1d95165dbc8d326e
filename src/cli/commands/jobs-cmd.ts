import { MultiBar, Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { AgentOsError } from '../../domain/errors.js';
import { JOB_STATUSES, type JobState, type ProgressUpdate } from '../../domain/job.js';
import type { DatabaseStats } from '../../jobs/engine.js';
import { isoTime, jobListView, jobView, type JobListView, type JobView } from '../../jobs/views.js';
import { isFinal, waitForJob } from '../../services/review-working-tree.js';
import type { Runner } from '../context.js';
import { parseChoice } from '../io.js';
import { parseLimit } from './search-cmd.js';

const nowSeconds = (): number => Date.now() / 1000;

/** Default --timeout of the commands that wait for jobs (seconds). */
export const DEFAULT_WAIT_SECONDS = 1800;
export const TIMEOUT_HINT = 'Raise the limit with --timeout <seconds>.';

/** --timeout in seconds (a positive number, at most a week) as milliseconds. */
export function parseTimeout(value: unknown): number {
  const n = Number(value ?? DEFAULT_WAIT_SECONDS);
  if (!Number.isFinite(n) || n <= 0 || n > 7 * 86_400) {
    throw new AgentOsError('BAD_INPUT', `--timeout must be a number of seconds between 0 and 604800; got "${String(value)}".`);
  }
  return Math.round(n * 1000);
}
const shortId = (id: string): string => id.slice(0, 8);

function fmtSeconds(s: number | null): string {
  if (s === null) return '-';
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function renderList(v: JobListView): string {
  if (v.jobs.length === 0) return 'No persona jobs.';
  const rows = v.jobs.map((j) => [j.job_id, j.persona, j.status, j.created_at, fmtSeconds(j.duration_seconds), j.task]);
  const head = ['JOB', 'PERSONA', 'STATUS', 'CREATED', 'DURATION', 'TASK'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const more = v.total_count > v.filtered_count ? ` (${v.total_count} match; raise --limit to see more)` : '';
  return [line(head), ...rows.map(line), '', `${v.filtered_count} job(s)${more}.`].join('\n');
}

/** A person's view of a job: the result text as is when complete, else its state. */
export function renderJob(v: JobView): string {
  const head = `Job ${v.job_id} (${v.persona}): ${v.status}`;
  switch (v.status) {
    case 'complete':
      return v.result;
    case 'pending':
      return `${head}. ${v.message} Waiting ${fmtSeconds(v.waiting_seconds)}.`;
    case 'running': {
      const p = v.progress;
      const eta = p.eta_seconds === null ? '' : `, about ${fmtSeconds(p.eta_seconds)} left`;
      return `${head}, ${p.phase} ${p.percent_complete}%: ${p.message} (${fmtSeconds(v.elapsed_seconds)} elapsed${eta}, ${p.tool_calls_completed} tool call(s)).`;
    }
    case 'failed':
      return [`${head}: ${v.error}`, ...(v.partial_result ? ['', 'Partial result:', '', v.partial_result] : [])].join('\n');
    case 'cancelled':
      return [`${head}. ${v.message}`, ...(v.partial_result ? ['', 'Partial result:', '', v.partial_result] : [])].join('\n');
  }
}

function renderStats(s: DatabaseStats): string {
  const by = JOB_STATUSES.map((st) => `${st} ${s.jobs_by_status[st]}`).join(', ');
  return [
    `${s.total_jobs} job(s): ${by}.`,
    `Database: ${s.database_size_mb} MB; oldest job ${s.oldest_job_days === null ? '-' : `${s.oldest_job_days} day(s)`} old.`,
    `Next cleanup: ${s.next_cleanup ?? 'when a server (agent-os serve) runs'}.`,
    `Recommendation: ${s.cleanup_recommendation}.`,
  ].join('\n');
}

/** One progress line, for logs and terminals without a progress bar. */
export function progressLine(job: Pick<JobState, 'id' | 'persona'>, p: ProgressUpdate): string {
  const eta = p.eta_seconds === null ? '' : `, ETA ${fmtSeconds(p.eta_seconds)}`;
  return `${shortId(job.id)} ${job.persona} ${p.phase} ${p.percent_complete}% ${p.message} (${fmtSeconds(p.elapsed_seconds)}${eta})`;
}

/** A live bar per job on a TTY (stderr): phase, percent and message. */
export interface JobBars {
  update(job: Pick<JobState, 'id' | 'persona'>, p: ProgressUpdate): void;
  stop(): void;
}

export function jobBars(): JobBars {
  const format = ' {persona} {id} {phase} [{bar}] {percentage}% {message}';
  const multi = new MultiBar({ format, stream: process.stderr, clearOnComplete: true, hideCursor: true, barsize: 24 }, Presets.shades_classic);
  const bars = new Map<string, ReturnType<MultiBar['create']>>();
  return {
    update(job, p) {
      const payload = { persona: job.persona.padEnd(9), id: shortId(job.id), phase: p.phase.padEnd(12), message: p.message.slice(0, 60) };
      const bar = bars.get(job.id);
      if (bar) bar.update(p.percent_complete, payload);
      else bars.set(job.id, multi.create(100, p.percent_complete, payload));
    },
    stop() {
      multi.stop();
    },
  };
}

/** A single live bar (for `review`). */
export function jobBar(): JobBars {
  const bar = new SingleBar(
    { format: ' {persona} {phase} [{bar}] {percentage}% {message}', stream: process.stderr, clearOnComplete: true, hideCursor: true, barsize: 24 },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(job, p) {
      const payload = { persona: job.persona, phase: p.phase.padEnd(12), message: p.message.slice(0, 60) };
      if (!started) {
        bar.start(100, p.percent_complete, payload);
        started = true;
      } else bar.update(p.percent_complete, payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

export function registerJobs(program: Command, run: Runner): void {
  const jobs = program.command('jobs').description('Persona jobs: list, show, cancel, stats, reset, watch');

  jobs
    .command('list', { isDefault: true })
    .description('Recent persona jobs, newest first')
    .option('-s, --status <status>', `only jobs in this state (${JOB_STATUSES.join(', ')})`)
    .option('-p, --persona <id>', 'only jobs of this persona')
    .option('-l, --limit <n>', 'most jobs to show', '10')
    .action(
      run(async (ctx, opts) => {
        const status = parseChoice(opts['status'], JOB_STATUSES, 'job status');
        const list = ctx.app().jobs().list({
          ...(status ? { status } : {}),
          ...(opts['persona'] ? { persona: String(opts['persona']).replace(/^@/, '') } : {}),
          limit: parseLimit(String(opts['limit'] ?? '10')),
        });
        const view = jobListView(list);
        ctx.out.result(view, () => renderList(view));
      }),
    );

  jobs
    .command('show')
    .description("A job's state; its result when complete (check_persona_job)")
    .argument('<id>', 'the job id')
    .action(
      run(async (ctx, _opts, args) => {
        const view = jobView(ctx.app().jobs().get(args[0]!), nowSeconds());
        ctx.out.result(view, () => renderJob(view));
      }),
    );

  jobs
    .command('cancel')
    .description('Cancel a pending or running job (its partial result is kept)')
    .argument('<id>', 'the job id')
    .action(
      run(async (ctx, _opts, args) => {
        const res = ctx.app().jobs().cancel(args[0]!);
        ctx.out.result(res, () => `${res.job_id}: ${res.message}`);
      }),
    );

  jobs
    .command('stats')
    .description('Job database size, jobs by state, next cleanup (persona_database_stats)')
    .action(
      run(async (ctx) => {
        const stats = ctx.app().jobs().stats();
        ctx.out.result(stats, () => renderStats(stats));
      }),
    );

  jobs
    .command('reset')
    .description('Delete all persona job history (needs --yes); jobs other live agent-os processes run or wait for are kept')
    .option('--yes', 'really delete every job')
    .action(
      run(async (ctx, opts) => {
        const engine = ctx.app().jobs();
        if (opts['yes'] !== true) {
          const total = engine.stats().total_jobs;
          throw new AgentOsError('BAD_INPUT', `Nothing deleted: this would delete all ${total} persona job(s).`, {
            hint: 'Run `agent-os jobs reset --yes` to confirm.',
          });
        }
        const res = engine.reset(true);
        ctx.out.result(res, () =>
          res.jobs_kept > 0 ? `${res.message} ${res.space_freed_mb} MB freed.` : `${res.message}: ${res.jobs_deleted} job(s), ${res.space_freed_mb} MB freed.`,
        );
      }),
    );

  jobs
    .command('watch')
    .description('Follow a job (or all pending and running jobs) until it finishes')
    .argument('[id]', 'the job id (default: every pending or running job)')
    .option('--timeout <seconds>', 'stop watching after this long; the jobs go on', String(DEFAULT_WAIT_SECONDS))
    .action(
      run(async (ctx, opts, args) => {
        const timeoutMs = parseTimeout(opts['timeout']);
        const engine = ctx.app().jobs();
        const targets: JobState[] = args[0]
          ? [engine.get(args[0])]
          : [...engine.list({ status: 'running', limit: 100 }).jobs, ...engine.list({ status: 'pending', limit: 100 }).jobs];
        const open = targets.filter((j) => !isFinal(j.status));
        const tty = !opts.json && !opts.quiet && Boolean(process.stderr.isTTY);
        const bars = tty && open.length > 0 ? jobBars() : null;
        if (!opts.json && open.some((j) => j.status === 'pending')) {
          ctx.out.note('Queued jobs run in a process with a job engine (agent-os serve, or agent-os review while it waits).');
        }
        const abort = new AbortController();
        const onSigint = (): void => abort.abort();
        process.once('SIGINT', onSigint);
        let finals: JobState[];
        try {
          finals = await Promise.all(
            targets.map((job) =>
              isFinal(job.status)
                ? Promise.resolve(job)
                : waitForJob(engine, job.id, {
                    signal: abort.signal,
                    timeoutMs,
                    timeoutHint: TIMEOUT_HINT,
                    onProgress: (p) => {
                      if (bars) bars.update(job, p);
                      else if (!opts.json) process.stdout.write(`${progressLine(job, p)}\n`);
                    },
                  }),
            ),
          );
        } catch (e) {
          // One wait gave up: stop the others too.
          abort.abort();
          throw e;
        } finally {
          bars?.stop();
          process.off('SIGINT', onSigint);
        }
        if (abort.signal.aborted && !opts.json) ctx.out.note('Stopped watching; the jobs go on (agent-os jobs cancel <id> stops one).');
        const views = finals.map((j) => jobView(j, nowSeconds()));
        const data = args[0] ? views[0] : { jobs: views };
        ctx.out.result(data, () =>
          views
            .map((v) => {
              const j = finals.find((f) => f.id === v.job_id)!;
              const when = j.completed_at === null ? '' : ` at ${isoTime(j.completed_at)}`;
              return args[0] && v.status === 'complete' ? v.result : `${v.job_id} ${v.persona}: ${v.status}${when}${v.status === 'failed' ? `: ${v.error}` : ''}`;
            })
            .join('\n') || 'No pending or running persona jobs.',
        );
      }),
    );
}
