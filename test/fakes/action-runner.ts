/**
 * Runs the bundled Action (`node action/dist/index.js`) as a runner would, with webhook payloads built
 * from GitHub's own examples (@octokit/webhooks-examples) pointed at a test repository.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './build.js';
import type { FakeIssueComment, FakeReviewComment } from './fake-github.js';
import { isolatedGitEnv } from './git-repo.js';

export const ACTION = path.join(REPO_ROOT, 'action', 'dist', 'index.js');
const require = createRequire(import.meta.url);
const EXAMPLES = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

// Webhook payloads are deep JSON; tests set a few fields by path.
type Json = Record<string, any>;

function example(name: string, action: string): Json {
  const found = EXAMPLES.find((e) => e.name === name)?.examples.find((e) => e['action'] === action);
  if (!found) throw new Error(`no ${name}.${action} webhook example`);
  return structuredClone(found) as Json;
}

const REPOSITORY = 'octo-org/widgets';

function pointAtRepository(p: Json): void {
  p['repository'].full_name = REPOSITORY;
  p['repository'].name = 'widgets';
  p['repository'].owner.login = 'octo-org';
}

/** A `pull_request` payload with `action`, for PR `number` from `head` into `base`. */
export function pullRequestEvent(action: string, over: { number: number; base: string; head: string; headRepo?: string; draft?: boolean }): Json {
  const p = example('pull_request', action);
  pointAtRepository(p);
  p['number'] = over.number;
  const pr = p['pull_request'];
  pr.number = over.number;
  pr.draft = over.draft ?? false;
  Object.assign(pr.head, { sha: over.head, ref: 'feature' });
  pr.head.repo.full_name = over.headRepo ?? REPOSITORY;
  Object.assign(pr.base, { sha: over.base, ref: 'main' });
  pr.base.repo.full_name = REPOSITORY;
  return p;
}

/** GitHub's `issue_comment.created` example, as a comment on pull request `number` (issues carry `pull_request` then). */
export function issueCommentEvent(number: number, comment: FakeIssueComment, over: { authorAssociation?: string; userType?: string } = {}): Json {
  const p = example('issue_comment', 'created');
  pointAtRepository(p);
  p['issue'].number = number;
  p['issue'].pull_request = { url: `https://api.github.com/repos/${REPOSITORY}/pulls/${number}`, html_url: `https://github.com/${REPOSITORY}/pull/${number}`, diff_url: '', patch_url: '' };
  Object.assign(p['comment'], {
    id: comment.id,
    body: comment.body,
    html_url: `https://github.com/${REPOSITORY}/pull/${number}#issuecomment-${comment.id}`,
    author_association: over.authorAssociation ?? 'MEMBER',
  });
  Object.assign(p['comment'].user, { login: comment.user, type: over.userType ?? 'User' });
  p['sender'].login = comment.user;
  return p;
}

/** GitHub's `pull_request_review_comment.created` example, as `comment` (a reply when it has `inReplyTo`). */
export function reviewCommentEvent(pr: { number: number; base: string; head: string }, comment: FakeReviewComment, over: { authorAssociation?: string } = {}): Json {
  const p = example('pull_request_review_comment', 'created');
  pointAtRepository(p);
  Object.assign(p['pull_request'], { number: pr.number });
  Object.assign(p['pull_request'].head, { sha: pr.head, ref: 'feature' });
  Object.assign(p['pull_request'].base, { sha: pr.base, ref: 'main' });
  Object.assign(p['comment'], {
    id: comment.id,
    body: comment.body,
    path: comment.path,
    line: comment.line,
    html_url: `https://github.com/${REPOSITORY}/pull/${pr.number}#discussion_r${comment.id}`,
    author_association: over.authorAssociation ?? 'MEMBER',
    ...(comment.inReplyTo ? { in_reply_to_id: comment.inReplyTo } : {}),
  });
  p['comment'].user.login = comment.user;
  p['sender'].login = comment.user;
  return p;
}

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs the bundle as a child process (asynchronously: the loopback servers live in this process). */
export async function runBundledAction(opts: { temp: string; workspace: string; eventName: string; event: Json; env: NodeJS.ProcessEnv }): Promise<ActionRun> {
  const eventPath = path.join(opts.temp, `event-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.json`);
  fs.writeFileSync(eventPath, JSON.stringify(opts.event));
  const output = path.join(opts.temp, 'output.txt');
  const summary = path.join(opts.temp, 'summary.md');
  fs.writeFileSync(output, '');
  fs.writeFileSync(summary, '');
  const env: NodeJS.ProcessEnv = {
    ...isolatedGitEnv(),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: opts.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_RUN_ID: '4242',
    RUNNER_TEMP: opts.temp,
    ...opts.env,
  };
  for (const [k, v] of Object.entries(env)) if (v === '') delete env[k];
  const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [ACTION], { env, cwd: opts.workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  return { ...r, outputs: parseOutputFile(fs.readFileSync(output, 'utf8')), summary: fs.readFileSync(summary, 'utf8') };
}

/**
 * The outputs a step wrote to its GITHUB_OUTPUT file, read as the runner reads them: `name=value`
 * lines and `name<<DELIMITER` blocks (a multi-line value up to the line holding just the delimiter).
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
      const delimiter = line.slice(heredoc + 2);
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${line.slice(0, heredoc)}`);
      outputs[line.slice(0, heredoc)] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
    else throw new Error(`GITHUB_OUTPUT: unreadable line ${JSON.stringify(line)}`);
  }
  return outputs;
}
