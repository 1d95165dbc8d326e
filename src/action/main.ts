/**
 * The GitHub Action: a thin adapter over the same services and job engine as the MCP server and the
 * CLI. It reads the runner's environment (GITHUB_*, RUNNER_TEMP, the inputs), reviews the pull request,
 * writes the step outputs and summary, and fails the step as `fail-on` says of the pull request's open
 * findings (not only this run's new ones). On `issue_comment` and `pull_request_review_comment` events
 * it answers `/agent-os` commands instead (commands.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { createActionApp } from './compose.js';
import { isAgentOsError, messageOf } from '../domain/errors.js';
import { gateFailure } from '../domain/pr-review.js';
import { runCommandEvent } from './commands.js';
import { readActionInputs, reviewSettings, type ActionInputs } from './inputs.js';
import { actionLogger, reportReview, setOutputs, writeSummary } from './io.js';
import { pullRequestNumber, reviewPullRequest } from '../services/review-pull-request.js';

const ACTIONS = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review']);
/** The login the workflow's own GITHUB_TOKEN posts as. */
const ACTIONS_BOT = 'github-actions[bot]';
const PWN_REQUEST =
  'refusing to run on `pull_request_target`. That event runs in the context of the base repository, with a write token and its secrets, while the code under review comes from the pull request: checking out or handling that untrusted code there is the classic "pwn request". Run this action on `pull_request` instead (pull requests from forks then get a read-only token and no secrets, and agent-os says it did not review them).';

interface PullRequestPayload {
  action?: string;
  pull_request?: {
    number?: number;
    draft?: boolean;
    head?: { sha?: string; repo?: { full_name?: string } | null };
    base?: { sha?: string; repo?: { full_name?: string } };
  };
}

/**
 * Runs the Action in this process (its environment is the runner's: @actions/core reads the inputs
 * from it and writes the log, outputs and summary); resolves to the process exit code.
 */
export async function runAction(): Promise<number> {
  const env = process.env;
  const logger = actionLogger();
  const skip = async (why: string): Promise<number> => {
    core.notice(`agent-os: ${why}`);
    await writeSummary(`## agent-os review\n\nNot reviewed: ${why}`);
    setOutputs({ 'review-id': '', findings: '0', 'max-severity': 'none', reviewed: 'false' });
    return 0;
  };
  const event = env['GITHUB_EVENT_NAME'] ?? '';
  if (event === 'pull_request_target') return await fail(PWN_REQUEST);
  let inputs: ActionInputs;
  let payload: PullRequestPayload;
  try {
    inputs = readActionInputs();
    if (event === 'issue_comment' || event === 'pull_request_review_comment') return await runCommandEvent({ env, logger, inputs, event });
    if (event !== 'pull_request') return await skip(`nothing to do on a \`${event || 'unknown'}\` event; run this action on \`pull_request\` (and on \`issue_comment\` and \`pull_request_review_comment\` for /agent-os commands).`);
    const eventPath = env['GITHUB_EVENT_PATH'];
    if (!eventPath) throw new Error('GITHUB_EVENT_PATH is not set: run this inside GitHub Actions (or set it to a webhook payload file).');
    payload = JSON.parse(fs.readFileSync(eventPath, 'utf8')) as PullRequestPayload;
  } catch (e) {
    return await fail(e);
  }
  const pr = payload.pull_request;
  if (!ACTIONS.has(payload.action ?? '')) return await skip(`nothing to do when a pull request is \`${payload.action ?? 'changed'}\`.`);
  if (pr?.draft) return await skip('the pull request is a draft; it is reviewed once it is ready for review.');
  const headRepo = pr?.head?.repo?.full_name ?? null;
  const baseRepo = pr?.base?.repo?.full_name ?? env['GITHUB_REPOSITORY'] ?? '';
  // Pull requests from forks get no secrets (and a read-only token) on `pull_request`.
  if (headRepo !== baseRepo && !inputs.openaiApiKey) {
    return await skip(`pull request from the fork ${headRepo ?? '(deleted)'}: no secrets are available to this workflow run, so agent-os did not review it.`);
  }

  const workspace = env['GITHUB_WORKSPACE'] ?? process.cwd();
  const runnerTemp = env['RUNNER_TEMP'] ?? path.join(workspace, '..');
  const tempDir = path.join(runnerTemp, `agent-os-${env['GITHUB_RUN_ID'] ?? 'run'}-${process.pid}`);
  let close: () => Promise<void> = async () => {};
  try {
    const number = pullRequestNumber(payload);
    const baseSha = pr?.base?.sha ?? '';
    const repository = env['GITHUB_REPOSITORY'] ?? baseRepo;
    const setup = await createActionApp({
      workspace,
      tempDir,
      // Restored by the action's cache step: only changed standards are embedded again.
      cacheDir: path.join(runnerTemp, 'agent-os-cache'),
      baseSha,
      env,
      logger,
      llm: { ...(inputs.model ? { model: inputs.model } : {}), ...(inputs.openaiBaseUrl ? { baseUrl: inputs.openaiBaseUrl } : {}), ...(inputs.openaiApiKey ? { apiKey: inputs.openaiApiKey } : {}) },
      github: { apiUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com', token: inputs.githubToken, repository, ...(inputs.workflowToken ? { knownLogin: ACTIONS_BOT } : {}) },
    });
    close = setup.close;
    for (const note of setup.notes) logger.warn(note);
    if (!setup.deps.llmConfigured) logger.info('No model configured (inputs model / openai-api-key): posting the relevant standards as a checklist.');
    logger.info(`Reviewing pull request #${number} of ${repository} with ${inputs.personas.join(', ')}`);
    const result = await reviewPullRequest(setup.deps, { number, ...reviewSettings(inputs) });
    await reportReview(logger, result, inputs);
    const failing = gateFailure(result.counts, inputs.failOn);
    if (failing) {
      core.setFailed(`agent-os: ${failing}`);
      return 1;
    }
    // A persona that failed (model timeout, unusable answer) is reported; the step fails only when none worked.
    return result.personas.length > 0 && result.personas.every((p) => p.error) ? 1 : 0;
  } catch (e) {
    return await fail(e);
  } finally {
    await close().catch(() => undefined);
    fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
  }

  async function fail(e: unknown): Promise<number> {
    const text = typeof e === 'string' ? e : isAgentOsError(e) ? e.describe() : messageOf(e);
    core.setFailed(`agent-os: ${text}`);
    await writeSummary(`## agent-os review\n\nFailed: ${text}`);
    setOutputs({ reviewed: 'false' });
    return 1;
  }
}
