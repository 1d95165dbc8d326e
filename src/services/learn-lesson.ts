import { AgentOsError } from '../domain/errors.js';
import type { PersonaConfig } from '../domain/job.js';
import { oneLine } from '../domain/markdown.js';
import { lessonTarget, MAX_LESSON_CHARS } from '../domain/pr-commands.js';
import { SECRETS_HINT, secretProblems, suggestSlug } from '../domain/proposal-validation.js';
import type { TrackedFinding } from '../domain/review-state.js';
import { amendStandard, lessonTopic, standardFromLesson } from '../domain/standard-draft.js';
import type { Llm } from '../ports/llm.js';
import type { Logger } from '../ports/logger.js';
import { draftStandard } from './draft-standard.js';
import { getPersona, type LoadedPersonas } from './personas.js';
import { proposeStandard } from './proposals/propose.js';
import type { ProposalDeps } from './proposals/types.js';

/** What `/agent-os learn` needs: the base commit's standards and personas, the model, proposals. */
export interface LessonWorkspace {
  standardText(file: string): Promise<string | null>;
  personas(): Promise<LoadedPersonas>;
  llm: Llm | null;
  proposals(): Promise<ProposalDeps>;
}

export interface LessonInput {
  number: number;
  /** Who taught it (a GitHub login). */
  author: string;
  /** The comment's web address: the proposal links it. */
  url: string;
  lesson: string;
  /** The finding it answers (the thread's), if any. */
  finding: TrackedFinding | null;
  /** The standard that finding cites, as `domain/topic.md`. */
  citedStandard: string | null;
  /** The thread, oldest first (untrusted). */
  thread: ReadonlyArray<{ user: string; body: string }>;
}

export interface LessonOutcome {
  ok: boolean;
  /** The reply. */
  text: string;
  summary: string;
}

/**
 * A lesson taught in a pull request becomes a proposal: an amendment of the standard the finding
 * cites (or the one the lesson names as `domain/topic:`), else a new standard, drafted by the persona
 * that raised the finding, or put into the template as written without a model. It goes through the
 * proposal service (validation, secret scan, a branch, a labelled draft pull request).
 */
export async function learnLesson(deps: { ws: LessonWorkspace; logger: Logger }, input: LessonInput): Promise<LessonOutcome> {
  const { ws } = deps;
  const named = lessonTarget(input.lesson);
  const lesson = (named?.lesson ?? input.lesson).trim();
  if (!lesson) throw new AgentOsError('BAD_INPUT', 'What is the lesson? `/agent-os learn <lesson>`, optionally starting with `domain/topic:`.');
  if (lesson.length > MAX_LESSON_CHARS) throw new AgentOsError('BAD_INPUT', `The lesson is ${lesson.length} characters; at most ${MAX_LESSON_CHARS}. Say it shorter: it becomes part of a standard.`);

  const cited = input.citedStandard ? /^([a-z0-9-]+)\/([a-z0-9-]+)\.md$/.exec(input.citedStandard) : null;
  const target = named ? { domain: named.domain, topic: named.topic } : cited ? { domain: cited[1]!, topic: cited[2]! } : null;
  const proposals = await ws.proposals();
  // Known before drafting: a standard with an open proposal gets the lesson there, with no new draft.
  const pending = target ? await openProposal(proposals, target.domain, target.topic) : null;
  if (pending && target) return joinProposal(proposals, pending, input, lesson, `${target.domain}/${target.topic}`);
  const existing = target ? await ws.standardText(`${target.domain}/${target.topic}.md`) : null;
  const persona = await drafter(ws, input.finding?.persona ?? null);
  const f = input.finding;
  const where = f ? (f.line ? `${f.path}:${f.line}` : f.path) : null;
  const fallback =
    existing !== null && target
      ? { ...target, content: amendStandard(existing, [`${lesson} (${input.url})`]) }
      : {
          // A finding's lesson belongs to the domain of the persona that raised it; a conversation's is general.
          domain: target?.domain ?? suggestSlug('domain', (f ? persona?.standard_directory : null) ?? 'general'),
          topic: target?.topic ?? lessonTopic(lesson),
          content: standardFromLesson(lesson, { url: input.url, finding: f && where ? { title: f.title, where, persona: f.persona } : null }),
        };
  const material = [
    `Lesson from @${input.author} on pull request #${input.number}:\n${lesson}`,
    f ? `The finding it answers: "${f.title}" (${f.severity}) on ${where}, raised by ${f.persona}.` : '',
    input.thread.length ? `The thread:\n${input.thread.map((c) => `@${c.user}: ${c.body}`).join('\n---\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const instruction =
    existing !== null && target
      ? `Amend the standard ${target.domain}/${target.topic}.md so that it teaches the lesson below, which a maintainer gave in a review.`
      : 'Write a new project standard that teaches the lesson below, which a maintainer gave in a review.';
  const draft = await draftStandard({ llm: ws.llm, logger: deps.logger }, { persona, instruction, material, target, existing, fallback });

  const rationale = [
    `Taught by @${input.author} in pull request #${input.number}: ${input.url}`,
    '',
    ...lesson.split('\n').map((l) => `> ${l}`),
    ...(f ? ['', `It answers the finding "${oneLine(f.title)}" on \`${where}\`, raised by ${f.persona}${input.citedStandard ? ` citing \`${input.citedStandard}\`` : ''}.`] : []),
    '',
    draft.by === 'model' ? `Drafted by the ${persona?.identifier ?? 'persona'} persona from the lesson and its thread.` : 'The lesson is proposed as written (no model drafted it).',
  ].join('\n');
  const open = await openProposal(proposals, draft.domain, draft.topic);
  if (open) return joinProposal(proposals, open, input, lesson, `${draft.domain}/${draft.topic}`);
  const result = await proposeStandard(proposals, { domain: draft.domain, topic: draft.topic, content: draft.content, rationale, proposed_by: input.author, push: true });
  const what = `${result.update ? 'an amendment of' : 'a new standard'} \`${draft.domain}/${draft.topic}.md\``;
  const notes = [...(draft.note ? [`Note: ${draft.note}.`] : []), ...result.warnings.map((w) => `Warning: ${oneLine(w)}`)];
  if (!result.pr_url) {
    return {
      ok: false,
      text: [`${what} is committed on the branch \`${result.branch}\`, but no pull request could be opened.`, ...notes].join('\n\n'),
      summary: `proposal ${result.proposal_id} committed but not published.`,
    };
  }
  return {
    ok: true,
    text: [`proposed ${what} from this lesson, as a draft pull request: ${result.pr_url}`, 'Merging it approves the change; closing it rejects it.', ...notes].join('\n\n'),
    summary: `proposed ${draft.domain}/${draft.topic} (${result.proposal_id}): ${result.pr_url}`,
  };
}

/** One open proposal per standard: the lesson joins it as a comment, where its reviewer will read it. */
async function joinProposal(deps: ProposalDeps, open: { number: number; url: string }, input: LessonInput, lesson: string, standard: string): Promise<LessonOutcome> {
  const secrets = await deps.secrets.scan(lesson);
  if (secrets.length) throw new AgentOsError('BAD_INPUT', `The lesson was refused:\n- ${secretProblems(secrets).join('\n- ')}`, { hint: SECRETS_HINT });
  const quoted = lesson.split('\n').map((l) => `> ${l}`).join('\n');
  await deps.github!.comment(open.number, `Another lesson for this standard, from @${input.author} in pull request #${input.number} (${input.url}):\n\n${quoted}`);
  return { ok: true, text: `\`${standard}.md\` already has an open proposal, ${open.url}: the lesson is added to it as a comment.`, summary: `lesson added to the open proposal ${open.url}` };
}

/** The open pull request of a proposal for this standard, if any. */
async function openProposal(deps: ProposalDeps, domain: string, topic: string): Promise<{ number: number; url: string } | null> {
  if (!deps.github) return null;
  const pr = await deps.github.findByBranch(`${deps.settings.branchPrefix}${domain}/${topic}`);
  return pr && pr.state === 'open' ? { number: pr.number, url: pr.url } : null;
}

/** The persona that raised the finding drafts; the architect drafts a lesson given in the conversation. */
async function drafter(ws: LessonWorkspace, personaId: string | null): Promise<PersonaConfig | null> {
  const loaded = await ws.personas();
  for (const id of [personaId, 'architect']) {
    if (!id) continue;
    try {
      return getPersona(loaded, id);
    } catch {
      // A persona the base branch no longer has: the next one drafts.
    }
  }
  return null;
}
