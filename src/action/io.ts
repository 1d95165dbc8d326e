import * as core from '@actions/core';

import { renderStepSummary } from '../domain/pr-review.js';
import type { Logger } from '../ports/logger.js';
import type { PullRequestReviewResult } from '../services/review-pull-request.js';
import type { ActionInputs } from './inputs.js';

/**
 * The run's log through @actions/core: warnings and errors become annotations, debug lines show when
 * the runner debugs. Messages carry text from the pull request; core escapes the data of a workflow
 * command, and plain lines are kept to one line here, so no such text starts a command of its own.
 */
export function actionLogger(): Logger {
  const text = (msg: string, data?: Record<string, unknown>) => (data && Object.keys(data).length ? `${msg} ${JSON.stringify(data)}` : msg);
  return {
    debug: (m, d) => (core.isDebug() ? core.debug(text(m, d)) : undefined),
    info: (m, d) => core.info(oneLogLine(text(m, d))),
    warn: (m, d) => core.warning(text(m, d)),
    error: (m, d) => core.error(text(m, d)),
  };
}

/** Line breaks written as the runner's escapes, as core does for a command's data. */
function oneLogLine(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Step outputs; nothing outside a runner (no GITHUB_OUTPUT), rather than core's deprecated stdout command. */
export function setOutputs(outputs: Record<string, string>): void {
  if (!process.env['GITHUB_OUTPUT']) return;
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

/** Appends to the job's step summary; nothing outside a runner (no GITHUB_STEP_SUMMARY). */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return;
  await core.summary.addRaw(`${markdown.trimEnd()}\n`).write();
}

/** The outputs, step summary and log lines of a review. */
export async function reportReview(logger: Logger, result: PullRequestReviewResult, inputs: ActionInputs): Promise<void> {
  setOutputs({
    'review-id': result.reviewId === null ? '' : String(result.reviewId),
    findings: String(result.findings),
    'max-severity': result.maxSeverity,
    'open-findings': String(result.counts.open),
    'open-max-severity': result.counts.maxSeverity,
    reviewed: String(result.reviewed),
    'files-not-reviewed': String(result.notReviewed.length),
  });
  await writeSummary(
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
  if (briefings.length) await writeSummary(`## Checklist from the project's standards (no model configured)\n\n${briefings.join('\n\n')}`);
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
