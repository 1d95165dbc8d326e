import type { Command } from 'commander';
import { isAgentOsError } from '../../domain/errors.js';
import { JOB_PRIORITIES, type JobState } from '../../domain/job.js';
import { jobView } from '../../jobs/views.js';
import { isFinal, waitForJob } from '../../services/review-working-tree.js';
import type { Runner } from '../context.js';
import { EXIT_FAILURE, ExitError, parseChoice } from '../io.js';
import { DEFAULT_WAIT_SECONDS, jobBar, parseTimeout, TIMEOUT_HINT } from './jobs-cmd.js';

export function registerReview(program: Command, run: Runner): void {
  program
    .command('review')
    .description("A persona's review of the working tree's changes against a ref (default HEAD); waits and prints the result")
    .requiredOption('-p, --persona <id>', 'the persona, e.g. security (see `agent-os personas`)')
    .option('-b, --base <ref>', 'compare the working tree with this ref', 'HEAD')
    .option('--priority <priority>', `job priority (${JOB_PRIORITIES.join(', ')})`, 'normal')
    .option('--no-index', 'do not bring the standards index up to date first')
    .option('--timeout <seconds>', 'longest wait for the review; one still running in this process is then cancelled', String(DEFAULT_WAIT_SECONDS))
    .argument('[task...]', 'what to ask the persona (default: "Review this change to <files>")')
    .action(
      run(async (ctx, opts, args) => {
        const priority = parseChoice(opts['priority'], JOB_PRIORITIES, 'priority');
        const timeoutMs = parseTimeout(opts['timeout']);
        const app = ctx.app();
        // Only this review's job: a running server keeps the rest of the queue.
        const engine = app.jobs({ onlyOwnJobs: true });
        const submitted = await app.submitReview({
          persona: String(opts['persona']),
          base: String(opts['base'] ?? 'HEAD'),
          task: args.join(' '),
          ...(priority ? { priority } : {}),
          refreshIndex: opts['index'] !== false,
        });
        const { job, persona } = submitted;
        for (const w of submitted.warnings) ctx.out.note(`warning: ${w}`);
        if (!opts.json && !opts.quiet) {
          ctx.out.note(`${persona.name} review of ${submitted.files.length} changed file(s) against ${submitted.base}: job ${job.id}${app.llm ? '' : ' (briefing mode: no LLM configured)'}`);
        }

        // This process runs the job unless a server sharing the job store claims it first.
        engine.start();
        const bar = !opts.json && !opts.quiet && process.stderr.isTTY ? jobBar() : null;
        const waiting = new AbortController();
        let cancelled = false;
        const onSigint = (): void => {
          if (cancelled) {
            // A second Ctrl-C (or SIGTERM): stop waiting for the cancellation to settle.
            waiting.abort();
            return;
          }
          cancelled = true;
          bar?.stop();
          const res = engine.cancel(job.id);
          ctx.out.note(`Cancelling the review (job ${job.id}): ${res.message}`);
        };
        process.on('SIGINT', onSigint);
        process.on('SIGTERM', onSigint);
        let final: JobState;
        let timedOut = false;
        try {
          final = await waitForJob(engine, job.id, {
            signal: waiting.signal,
            timeoutMs,
            timeoutHint: TIMEOUT_HINT,
            onProgress: (p) => {
              if (!cancelled) bar?.update(job, p);
            },
          });
        } catch (e) {
          // The review runs in this process, which now exits: it cannot go on, so it is cancelled
          // (its partial result kept). A review another process runs goes on, as the error says.
          if (!(isAgentOsError(e) && e.code === 'TIMEOUT' && engine.runningCount() > 0)) throw e;
          engine.cancel(job.id);
          final = engine.get(job.id);
          timedOut = true;
        } finally {
          bar?.stop();
          process.off('SIGINT', onSigint);
          process.off('SIGTERM', onSigint);
        }

        const view = jobView(final, Date.now() / 1000);
        let failure: ExitError | null = null;
        if (view.status === 'complete') ctx.out.result(view, () => view.result);
        else {
          if (opts.json) ctx.out.result(view, () => '');
          else if ((view.status === 'failed' || view.status === 'cancelled') && view.partial_result) process.stdout.write(`${view.partial_result}\n`);
          failure =
            view.status === 'failed'
              ? new ExitError(EXIT_FAILURE, `agent-os: the ${persona.identifier} review failed (job ${job.id}): ${view.error}`)
              : view.status === 'cancelled' && timedOut
                ? new ExitError(
                    EXIT_FAILURE,
                    `agent-os: the ${persona.identifier} review (job ${job.id}) did not finish within ${timeoutMs / 1000} s and was cancelled, as this process runs it and is exiting. ${TIMEOUT_HINT}`,
                  )
              : view.status === 'cancelled'
                ? new ExitError(EXIT_FAILURE, `agent-os: review cancelled (job ${job.id}).`)
                : new ExitError(EXIT_FAILURE, `agent-os: stopped waiting; job ${job.id} is still ${view.status} (agent-os jobs watch ${job.id}).`);
        }
        if (isFinal(final.status)) await engine.stop({ timeoutMs: 10_000 });
        if (failure) throw failure;
      }),
    );
}
