/**
 * `/agent-os` commands on `issue_comment` and `pull_request_review_comment` events. Nothing from the
 * pull request runs: the comment is parsed, its author's permission is asked of GitHub, and only then
 * are the base commit's standards and personas opened. Comments on pull requests from forks are handled
 * the same way (the permission check decides, never `author_association`).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';

import { conversationClient, openCommandWorkspace } from './compose-commands.js';
import { code, oneLine } from '../domain/markdown.js';
import { parseCommand } from '../domain/pr-commands.js';
import { gateFailure } from '../domain/pr-review.js';
import type { Logger } from '../ports/logger.js';
import { runPrCommand, type CommandComment, type PrCommandResult } from '../services/pr-commands.js';
import { reviewSettings, type ActionInputs } from './inputs.js';
import { reportReview, setOutputs, writeSummary } from './io.js';

const ACTIONS_BOT = 'github-actions[bot]';

interface CommentPayload {
  action?: string;
  issue?: { number?: unknown; pull_request?: unknown };
  pull_request?: { number?: unknown };
  comment?: { id?: unknown; body?: unknown; user?: { login?: unknown; type?: unknown } | null; html_url?: unknown; in_reply_to_id?: unknown };
}

export interface CommandEventContext {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  inputs: ActionInputs;
  event: 'issue_comment' | 'pull_request_review_comment';
}

const isId = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;

/** Runs the command a comment gives; resolves to the exit code. */
export async function runCommandEvent(ctx: CommandEventContext): Promise<number> {
  const { env, logger, inputs, event } = ctx;
  const done = async (outcome: string, text: string, command = ''): Promise<number> => {
    setOutputs({ command, 'command-outcome': outcome, reviewed: 'false' });
    await writeSummary(`## agent-os command\n\n${text}`);
    return 0;
  };
  const eventPath = env['GITHUB_EVENT_PATH'];
  if (!eventPath) throw new Error('GITHUB_EVENT_PATH is not set: run this inside GitHub Actions (or set it to a webhook payload file).');
  const payload = JSON.parse(fs.readFileSync(eventPath, 'utf8')) as CommentPayload;
  const c = payload.comment;
  // Edits and deletions are not commands: a command runs once, when it is written.
  if (payload.action !== 'created' || !c) return await done('ignored', `Nothing to do when a comment is \`${oneLine(String(payload.action ?? 'changed'))}\`.`);
  const number = event === 'issue_comment' ? (payload.issue?.pull_request ? payload.issue?.number : null) : payload.pull_request?.number;
  if (!isId(number)) return await done('ignored', 'The comment is not on a pull request.');
  const body = typeof c.body === 'string' ? c.body : '';
  const command = parseCommand(body);
  if (!command) return await done('ignored', 'The comment holds no `/agent-os` command.');
  const author = typeof c.user?.login === 'string' ? c.user.login : '';
  if (!isId(c.id) || !author) throw new Error('The event payload has no comment id or author.');
  const comment: CommandComment = {
    kind: event === 'issue_comment' ? 'issue' : 'review',
    id: c.id,
    body,
    author,
    url: typeof c.html_url === 'string' ? c.html_url : '',
    inReplyTo: event === 'pull_request_review_comment' && isId(c.in_reply_to_id) ? c.in_reply_to_id : null,
  };

  const repository = env['GITHUB_REPOSITORY'] ?? '';
  const github = { apiUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com', token: inputs.githubToken, repository, ...(inputs.workflowToken ? { knownLogin: ACTIONS_BOT } : {}) };
  const client = conversationClient(github, logger);
  const workspace = env['GITHUB_WORKSPACE'] ?? process.cwd();
  const runnerTemp = env['RUNNER_TEMP'] ?? path.join(workspace, '..');
  const tempDir = path.join(runnerTemp, `agent-os-${env['GITHUB_RUN_ID'] ?? 'run'}-${process.pid}`);
  let close: () => Promise<void> = async () => {};
  logger.info(`/agent-os ${command.word} from ${author} on pull request #${number} of ${repository}`);
  let result: PrCommandResult;
  try {
    result = await runPrCommand(
      {
        github: client,
        logger,
        open: async () => {
          const pr = await client.pull(number);
          const opened = await openCommandWorkspace({
            workspace,
            tempDir,
            cacheDir: path.join(runnerTemp, 'agent-os-cache'),
            baseSha: pr.baseSha,
            env,
            logger,
            llm: { ...(inputs.model ? { model: inputs.model } : {}), ...(inputs.openaiBaseUrl ? { baseUrl: inputs.openaiBaseUrl } : {}), ...(inputs.openaiApiKey ? { apiKey: inputs.openaiApiKey } : {}) },
            github,
            number,
            baseRef: pr.baseRef,
            review: reviewSettings(inputs),
          });
          close = opened.close;
          for (const note of opened.notes) logger.warn(note);
          return opened.workspace;
        },
      },
      { number, comment },
    );
  } finally {
    await close().catch(() => undefined);
    fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
  }

  setOutputs({ command: command.word, 'command-outcome': result.outcome });
  await writeSummary(`## agent-os command\n\n${code(`/agent-os ${command.word}`)} by @${oneLine(author)}: ${result.outcome}. ${oneLine(result.message)}`);
  logger.info(`/agent-os ${command.word}: ${result.outcome}: ${result.message}`);
  if (result.review) {
    await reportReview(logger, result.review, inputs);
    const failing = gateFailure(result.review.counts, inputs.failOn);
    if (failing) {
      core.setFailed(`agent-os: ${failing}`);
      return 1;
    }
  } else setOutputs({ reviewed: 'false' });
  if (result.outcome === 'failed') {
    core.setFailed(`agent-os: /agent-os ${command.word} failed: ${result.message}`);
    return 1;
  }
  return 0;
}
