/**
 * `/agent-os` commands in pull-request comments: what a comment asks for, who may ask, and the words
 * of the help. Comment text is untrusted: it is parsed, bounded and never interpreted further.
 */

/** A collaborator's role on the repository, as the permission API names it (custom roles folded into their base). */
export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export const COMMANDS = ['review', 'dismiss', 'learn', 'explain', 'help'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface PrCommand {
  /** 'unknown' for a word that is no command (the help is the answer). */
  name: CommandName | 'unknown';
  /** The word as written (lower case, at most 30 characters). */
  word: string;
  /** Everything after the word, trimmed (may span lines). */
  args: string;
}

/** Longest comment read; a longer one is read this far only. */
export const MAX_COMMENT_CHARS = 20_000;
/** Longest lesson `/agent-os learn` takes: it becomes part of a standard. */
export const MAX_LESSON_CHARS = 2_000;
/** Longest dismissal reason (what the summary comment's state keeps). */
export const MAX_REASON_CHARS = 300;

const PREFIX_RE = /^\/agent-os(?=\s|$)/i;
const ID_RE = /^([0-9a-f]{12})(?=\s|$)\s*([\s\S]*)$/i;
const SLUG_RE = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const TARGET_RE = /^([a-z0-9][a-z0-9-]{0,63})\/([a-z0-9][a-z0-9-]{0,63})(?:\.md)?:\s+([\s\S]+)$/i;

/**
 * The command a comment gives, or null. The first line that is neither blank nor quoted (`>`, as a
 * quote reply starts) must begin with `/agent-os`: a command mentioned inside other text is not one.
 */
export function parseCommand(body: string): PrCommand | null {
  if (typeof body !== 'string') return null;
  const lines = body.slice(0, MAX_COMMENT_CHARS).replace(/\r\n?/g, '\n').split('\n');
  const at = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('>'));
  if (at < 0) return null;
  const first = lines[at]!.trim();
  if (!PREFIX_RE.test(first)) return null;
  const rest = [first.replace(PREFIX_RE, ''), ...lines.slice(at + 1)].join('\n').trim();
  const word = (/^\S+/.exec(rest)?.[0] ?? 'help').toLowerCase().slice(0, 30);
  const args = rest.replace(/^\S+/, '').trim();
  const name = COMMANDS.find((c) => c === word) ?? 'unknown';
  return { name, word, args };
}

/** Write, maintain and admin may command; triage, read and none may not. */
export function mayCommand(permission: RepoPermission): boolean {
  return permission === 'write' || permission === 'maintain' || permission === 'admin';
}

/** `<12-hex id> <text>`: the id of a finding in the summary comment, then the rest. */
export function splitFindingId(args: string): { id: string; rest: string } | null {
  const m = ID_RE.exec(args.trim());
  return m ? { id: m[1]!.toLowerCase(), rest: m[2]!.trim() } : null;
}

/** Persona ids of `/agent-os review a,b c`; null when one is not an id. */
export function parsePersonaList(args: string): string[] | null {
  const ids = [...new Set(args.split(/[\s,]+/).map((p) => p.toLowerCase()).filter(Boolean))];
  return ids.every((p) => p.length <= 64 && SLUG_RE.test(p)) ? ids.slice(0, 10) : null;
}

/** A lesson that starts with `domain/topic:` names the standard it teaches. */
export function lessonTarget(lesson: string): { domain: string; topic: string; lesson: string } | null {
  const m = TARGET_RE.exec(lesson.trim());
  return m ? { domain: m[1]!.toLowerCase(), topic: m[2]!.toLowerCase(), lesson: m[3]!.trim() } : null;
}

export const HELP_TEXT = [
  '**agent-os commands** (for people with write access to this repository):',
  '',
  '- `/agent-os review [persona,…]`: review the whole pull request again now (default: the personas of the workflow).',
  '- `/agent-os dismiss <reason>`, as a reply to an agent-os comment: the finding is dismissed on this pull request with your reason, is not raised again, no longer counts for `fail-on`, and its thread is resolved. In the conversation: `/agent-os dismiss <id> <reason>`, with the Id from the summary comment.',
  '- `/agent-os learn <lesson>`, on a finding or in the conversation: proposes the lesson as a change to the standard the finding cites, or as a new standard, in a labelled draft pull request. Start the lesson with `domain/topic:` to name the standard.',
  '- `/agent-os explain`, as a reply to an agent-os comment (or `/agent-os explain <id>`): the standard the finding relies on, and its text.',
  '- `/agent-os help`: this list.',
].join('\n');
