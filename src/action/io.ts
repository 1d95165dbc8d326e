import fs from 'node:fs';
import { renderStepSummary, type ActionInputs } from '../domain/pr-review.js';
import type { Logger } from '../ports/logger.js';
import type { PullRequestReviewResult } from '../services/review-pull-request.js';

/** Workflow-command logging: stdout lines the runner turns into annotations. */
export function actionLogger(out: NodeJS.WritableStream, debug: boolean): Logger {
  const line = (level: string, msg: string, data?: Record<string, unknown>) => {
    const detail = data && Object.keys(data).length ? ` ${JSON.stringify(data)}` : '';
    out.write(`${level}${escapeCommand(msg + detail)}\n`);
  };
  return {
    debug: (m, d) => (debug ? line('::debug::', m, d) : undefined),
    info: (m, d) => line('', m, d),
    warn: (m, d) => line('::warning::', m, d),
    error: (m, d) => line('::error::', m, d),
  };
}

export function escapeCommand(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): void {
  const file = env['GITHUB_OUTPUT'];
  if (!file) return;
  fs.appendFileSync(file, Object.entries(outputs).map(([k, v]) => `${k}=${v.replace(/[\r\n]+/g, ' ')}\n`).join(''));
}

export function writeSummary(env: NodeJS.ProcessEnv, markdown: string): void {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (file) fs.appendFileSync(file, `${markdown.trimEnd()}\n`);
}

/** The outputs, step summary and log lines of a review. */
export function reportReview(env: NodeJS.ProcessEnv, logger: Logger, result: PullRequestReviewResult, inputs: ActionInputs): void {
  setOutputs(env, {
    'review-id': result.reviewId === null ? '' : String(result.reviewId),
    findings: String(result.findings),
    'max-severity': result.maxSeverity,
    'open-findings': String(result.counts.open),
    'open-max-severity': result.counts.maxSeverity,
    reviewed: String(result.reviewed),
    'files-not-reviewed': String(result.notReviewed.length),
  });
  writeSummary(
    env,
    renderStepSummary({
      personas: result.personas.map((p) => ({ persona: p.persona, verdict: p.verdict, findings: p.findings, maxSeverity: p.maxSeverity, ...(p.error ? { error: p.error } : {}) })),
      inlineComments: result.inlineComments,
      summaryOnly: result.findings - result.inlineComments,
      duplicates: result.duplicates,
      reviewUrl: result.reviewUrl,
      failOn: inputs.failOn,
      notReviewedWhy: result.notReviewedWhy,
      counts: result.counts,
      byPersona: result.byPersona,
      notReviewed: result.notReviewed,
      notes: result.notes,
    }),
  );
  const briefings = result.personas.filter((p) => p.briefing).map((p) => `### ${p.persona}\n\n${p.briefing}`);
  if (briefings.length) writeSummary(env, `## Checklist from the project's standards (no model configured)\n\n${briefings.join('\n\n')}`);
  for (const p of result.personas) if (p.error) logger.error(`${p.persona}: ${p.error}`);
  for (const n of result.notes) logger.info(n);
  if (result.notReviewedWhy) logger.info(`Not reviewed in this run: ${result.notReviewedWhy}`);
  if (result.notReviewed.length > 0) {
    const named = result.notReviewed.slice(0, 20).map((f) => `${f.path} (${f.reason === 'persona-failed' ? `${(f.personas ?? []).join(', ')} failed` : f.reason === 'diff-budget' ? 'over max-diff-chars' : 'no diff from GitHub'})`);
    const more = result.notReviewed.length - named.length;
    logger.warn(`Not reviewed in this run, left pending for the next: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`);
  }
  logger.info(
    `${result.findings} new finding(s), max severity ${result.maxSeverity}; ${result.counts.open} open on the pull request (worst ${result.counts.maxSeverity}), ${result.counts.fixed} fixed, ${result.counts.dismissed} dismissed${result.reviewUrl ? `: ${result.reviewUrl}` : ''}`,
  );
}
