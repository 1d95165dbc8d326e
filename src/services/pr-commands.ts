import { AgentOsError, isAgentOsError, messageOf } from '../domain/errors.js';
import { block, code, oneLine, plural, safeUrl } from '../domain/markdown.js';
import { HELP_TEXT, MAX_REASON_CHARS, mayCommand, parseCommand, parsePersonaList, splitFindingId, type PrCommand } from '../domain/pr-commands.js';
import { findingFingerprintsOf } from '../domain/review-placement.js';
import { dismissFindings, renderSticky, type TrackedFinding } from '../domain/review-state.js';
import type { CommentRef, PullRequestConversation, ReviewComment } from '../ports/github.js';
import type { Logger } from '../ports/logger.js';
import { learnLesson, type LessonWorkspace } from './learn-lesson.js';
import type { PullRequestReviewResult } from './review-pull-request.js';
import { loadSticky, type LoadedSticky } from './review-sticky.js';

/**
 * `/agent-os` commands in pull-request comments. Only people with write, maintain or admin permission
 * (the collaborators permission API, never `author_association`) may command; anyone else gets a short
 * reply and nothing runs. Every command is acknowledged with 👀 while it runs, then 👍 or 😕.
 */

/** What an authorised command may use; opened only once the author is known to be allowed. */
export interface CommandWorkspace extends LessonWorkspace {
  /** A full review now with these personas (the workflow's when empty). */
  review(personas: string[]): Promise<PullRequestReviewResult>;
}

export interface PrCommandDeps {
  github: PullRequestConversation;
  logger: Logger;
  open(): Promise<CommandWorkspace>;
}

export interface CommandComment {
  kind: 'issue' | 'review';
  id: number;
  body: string;
  author: string;
  url: string;
  /** For a review comment: the first comment of its thread (null when it starts one). */
  inReplyTo: number | null;
}

export interface PrCommandInput {
  number: number;
  comment: CommandComment;
}

export type CommandOutcome = 'ignored' | 'refused' | 'done' | 'failed';

export interface PrCommandResult {
  command: string | null;
  outcome: CommandOutcome;
  /** One line for the log and the step summary. */
  message: string;
  /** Set by `/agent-os review`. */
  review?: PullRequestReviewResult;
}

const REFUSED = 'only people with write access to this repository can run agent-os commands.';

export async function runPrCommand(deps: PrCommandDeps, input: PrCommandInput): Promise<PrCommandResult> {
  const { github } = deps;
  const { comment } = input;
  const cmd = parseCommand(comment.body);
  if (!cmd) return { command: null, outcome: 'ignored', message: 'the comment holds no /agent-os command.' };
  // Bots' comments are never commands (no bot-to-bot orders). Our own replies never start with a
  // command, so they cannot loop; a person whose token the workflow uses may still command.
  if (comment.author.endsWith('[bot]')) return { command: cmd.word, outcome: 'ignored', message: `comments by ${comment.author} are not commands.` };
  const target: CommentRef = { kind: comment.kind, id: comment.id };
  const reply = (text: string) => replyTo(github, input, `@${comment.author} ${text}`);
  const permission = await github.permission(comment.author);
  if (!mayCommand(permission)) {
    deps.logger.info(`Refused /agent-os ${cmd.word} from ${comment.author} (permission: ${permission}).`);
    await github.react(target, 'confused').catch((e: unknown) => deps.logger.warn('could not react to the comment', { error: messageOf(e) }));
    await reply(REFUSED).catch((e: unknown) => deps.logger.warn('could not reply', { error: messageOf(e) }));
    return { command: cmd.word, outcome: 'refused', message: `${comment.author} has ${permission} permission; ${REFUSED}` };
  }

  const eyes = await github.react(target, 'eyes').catch((e: unknown) => {
    deps.logger.warn('could not react to the comment', { error: messageOf(e) });
    return null;
  });
  let result: PrCommandResult;
  try {
    const done = await execute(deps, input, cmd, await github.viewer());
    await reply(done.text);
    result = { command: cmd.word, outcome: done.ok ? 'done' : 'failed', message: done.summary, ...(done.review ? { review: done.review } : {}) };
  } catch (e) {
    const text = isAgentOsError(e) ? `${e.message}${e.hint ? `\n\n${e.hint}` : ''}` : messageOf(e);
    deps.logger.error(`/agent-os ${cmd.word} failed: ${text}`);
    await reply(`${code(`/agent-os ${cmd.word}`)} failed: ${block(text)}`).catch((x: unknown) => deps.logger.warn('could not reply', { error: messageOf(x) }));
    result = { command: cmd.word, outcome: 'failed', message: oneLine(text) };
  }
  if (eyes !== null) await github.unreact(target, eyes).catch((e: unknown) => deps.logger.debug('could not take the 👀 back', { error: messageOf(e) }));
  await github.react(target, result.outcome === 'done' ? '+1' : 'confused').catch((e: unknown) => deps.logger.warn('could not react to the comment', { error: messageOf(e) }));
  return result;
}

function replyTo(github: PullRequestConversation, input: PrCommandInput, text: string): Promise<unknown> {
  const { comment, number } = input;
  return comment.kind === 'review' ? github.replyToReviewComment(number, comment.inReplyTo ?? comment.id, text) : github.createComment(number, text);
}

interface Done {
  ok: boolean;
  text: string;
  summary: string;
  review?: PullRequestReviewResult;
}

async function execute(deps: PrCommandDeps, input: PrCommandInput, cmd: PrCommand, viewer: string | null): Promise<Done> {
  switch (cmd.name) {
    case 'help':
      return { ok: true, text: `\n\n${HELP_TEXT}`, summary: 'help given.' };
    case 'unknown':
      return { ok: false, text: `${code(cmd.word)} is not an agent-os command.\n\n${HELP_TEXT}`, summary: `unknown command ${cmd.word}.` };
    case 'review':
      return review(deps, cmd);
    case 'dismiss':
      return dismiss(deps, input, cmd, viewer);
    case 'explain':
      return explain(deps, input, cmd, viewer);
    case 'learn': {
      const target = await findingTarget(deps, input, cmd.args, viewer, false);
      const ws = await deps.open();
      const sticky = await loadSticky(deps.github, input.number, deps.logger);
      const tracked = sticky.state.findings.filter((f) => target.fingerprints.includes(f.fingerprint));
      const thread = target.top ? await threadOf(deps.github, input.number, target.top.id) : [];
      const out = await learnLesson(
        { ws, logger: deps.logger },
        { number: input.number, author: input.comment.author, url: input.comment.url, lesson: target.rest, finding: tracked[0] ?? null, citedStandard: citedStandard(tracked, target.top), thread },
      );
      return { ok: out.ok, text: out.text, summary: out.summary };
    }
  }
}

async function review(deps: PrCommandDeps, cmd: PrCommand): Promise<Done> {
  const personas = parsePersonaList(cmd.args);
  if (personas === null) throw new AgentOsError('BAD_INPUT', 'Name personas by their ids, e.g. `/agent-os review security,engineer`.');
  const ws = await deps.open();
  const r = await ws.review(personas);
  const url = safeUrl(r.reviewUrl);
  const ran = r.personas.map((p) => p.persona).join(', ') || 'no persona';
  const failed = r.personas.filter((p) => p.error).map((p) => `${p.persona} (${oneLine(p.error ?? '')})`);
  const lines = [
    `reviewed the whole pull request with ${ran}: ${plural(r.findings, 'new finding', 'new findings')} (${r.inlineComments} inline)${url ? ` in [the review](${url})` : ''}.`,
    `Open on the pull request: ${r.counts.open}${r.counts.open ? ` (worst ${r.counts.maxSeverity})` : ''}; fixed ${r.counts.fixed}; dismissed ${r.counts.dismissed}.`,
    ...(r.notReviewedWhy ? [`Not reviewed: ${oneLine(r.notReviewedWhy)}`] : []),
    ...(failed.length ? [`Failed: ${failed.join('; ')}`] : []),
  ];
  const ok = r.personas.length === 0 || r.personas.some((p) => !p.error);
  return { ok, text: lines.join('\n\n'), summary: oneLine(lines[0]!), review: r };
}

/** The findings a command is about: those of the agent-os comment it replies to, or the Id it names. */
async function findingTarget(deps: PrCommandDeps, input: PrCommandInput, args: string, viewer: string | null, required: boolean): Promise<{ fingerprints: string[]; rest: string; top: ReviewComment | null }> {
  const { comment } = input;
  if (comment.kind === 'review' && comment.inReplyTo !== null) {
    const top = await deps.github.reviewComment(comment.inReplyTo);
    // Only our own comments name findings: a look-alike marker in someone else's comment names nothing.
    const fingerprints = viewer !== null && top.user === viewer ? findingFingerprintsOf(top.body) : [];
    if (required && fingerprints.length === 0) throw new AgentOsError('BAD_INPUT', 'That thread does not start with an agent-os finding.', { hint: 'Reply to an agent-os review comment, or name the finding by its Id from the summary comment.' });
    return { fingerprints, rest: args, top };
  }
  const named = splitFindingId(args);
  if (named) return { fingerprints: [named.id], rest: named.rest, top: null };
  if (required) {
    throw new AgentOsError('BAD_INPUT', 'Which finding? Reply to an agent-os review comment, or give the Id from the summary comment.', { hint: 'In the conversation: `/agent-os dismiss <id> <reason>` or `/agent-os explain <id>`.' });
  }
  return { fingerprints: [], rest: args, top: null };
}

function requireState(sticky: LoadedSticky, fingerprints: readonly string[]): TrackedFinding[] {
  if (!sticky.comment || !sticky.found) throw new AgentOsError('NOT_FOUND', 'This pull request has no agent-os summary comment to keep the answer in yet.', { hint: 'Run a review first (`/agent-os review`).' });
  const tracked = sticky.state.findings.filter((f) => fingerprints.includes(f.fingerprint));
  if (tracked.length === 0) throw new AgentOsError('NOT_FOUND', `No finding ${fingerprints.map((f) => code(f)).join(', ')} on this pull request.`, { hint: 'The Ids are in the summary comment.' });
  return tracked;
}

async function dismiss(deps: PrCommandDeps, input: PrCommandInput, cmd: PrCommand, viewer: string | null): Promise<Done> {
  const target = await findingTarget(deps, input, cmd.args, viewer, true);
  const reason = target.rest.replace(/\s+/g, ' ').trim();
  if (!reason) throw new AgentOsError('BAD_INPUT', 'Say why: `/agent-os dismiss <reason>`. The reason is kept and teaches the standards.');
  if (reason.length > MAX_REASON_CHARS) throw new AgentOsError('BAD_INPUT', `The reason is ${reason.length} characters; at most ${MAX_REASON_CHARS}.`);
  const sticky = await loadSticky(deps.github, input.number, deps.logger);
  const tracked = requireState(sticky, target.fingerprints);
  const { state, dismissed } = dismissFindings(sticky.state, tracked.map((f) => f.fingerprint), { reason, by: input.comment.author });
  const what = `**${oneLine(tracked[0]!.title)}** (${[...new Set(tracked.map((f) => f.persona))].join(', ')})`;
  if (dismissed.length === 0) return { ok: true, text: `${what} was already dismissed.`, summary: 'already dismissed.' };
  const { body, kept } = renderSticky({ state, personas: [], notes: [`@${input.comment.author} dismissed ${plural(dismissed.length, 'finding', 'findings')}: ${reason}`] });
  await deps.github.updateComment(sticky.comment!.id, body);
  let resolved = '';
  if (target.top) {
    const r = await deps.github.resolveThread(input.number, target.top.id).catch((e: unknown) => {
      deps.logger.warn('could not resolve the review thread', { error: messageOf(e) });
      return 'failed' as const;
    });
    resolved = r === 'failed' ? ' (the thread could not be resolved)' : ' The thread is resolved.';
  }
  const open = kept.findings.filter((f) => f.status === 'open').length + (kept.overflow?.count ?? 0);
  return {
    ok: true,
    text: `dismissed ${what}: it is not raised again on this pull request and no longer counts for \`fail-on\`.${resolved} ${plural(open, 'open finding remains', 'open findings remain')}; the check is updated on its next run.`,
    summary: `dismissed ${plural(dismissed.length, 'finding', 'findings')}.`,
  };
}

/** The standard findings cite: from the state, else from our comment's `Standard:` line. */
function citedStandard(tracked: readonly TrackedFinding[], top: ReviewComment | null): string | null {
  const fromState = tracked.map((f) => f.standard).find((s): s is string => Boolean(s));
  if (fromState) return fromState;
  const m = top ? /· Standard: `([a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9._-]*\.md)`/.exec(top.body) : null;
  return m?.[1] ?? null;
}

async function explain(deps: PrCommandDeps, input: PrCommandInput, cmd: PrCommand, viewer: string | null): Promise<Done> {
  const target = await findingTarget(deps, input, cmd.args, viewer, true);
  const sticky = await loadSticky(deps.github, input.number, deps.logger);
  const tracked = sticky.state.findings.filter((f) => target.fingerprints.includes(f.fingerprint));
  if (tracked.length === 0 && !target.top) requireState(sticky, target.fingerprints);
  const standard = citedStandard(tracked, target.top);
  const title = tracked[0]?.title ?? 'This finding';
  if (!standard) {
    const who = [...new Set(tracked.map((f) => f.persona))].join(', ') || 'the persona';
    return { ok: true, text: `**${oneLine(title)}** cites no project standard: ${who} raised it from its own checklist.`, summary: 'no standard cited.' };
  }
  const ws = await deps.open();
  const text = await ws.standardText(standard);
  if (text === null) return { ok: false, text: `**${oneLine(title)}** cites ${code(standard)}, which is not in the base branch's standards.`, summary: `${standard} is not on the base branch.` };
  const shown = text.length > 20_000 ? `${text.slice(0, 20_000)}\n\n… (truncated)` : text;
  return {
    ok: true,
    text: `**${oneLine(title)}** relies on ${code(standard)}, as the base branch has it:\n\n<details open><summary>${standard}</summary>\n\n${block(shown)}\n\n</details>`,
    summary: `explained with ${standard}.`,
  };
}

/** The thread's comments, oldest first, at most the last 10 and 2,000 characters each (the lesson's context). */
async function threadOf(github: PullRequestConversation, number: number, top: number): Promise<Array<{ user: string; body: string }>> {
  const all = await github.reviewComments(number);
  return all
    .filter((c) => c.id === top || c.inReplyTo === top)
    .slice(-10)
    .map((c) => ({ user: c.user ?? 'ghost', body: c.body.length > 2000 ? `${c.body.slice(0, 2000)} …` : c.body }));
}
