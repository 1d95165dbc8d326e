import { stringify } from 'yaml';
import { readFrontMatter } from './front-matter.js';

/** The spec's StandardProposal states, derived from git (and the PR when there is one). */
export const PROPOSAL_STATUSES = ['draft', 'approved', 'rejected'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** What a proposal commit records: each commit message ends with these trailers. */
export type ProposalAction = 'propose' | 'revise' | 'reject';

export interface ProposalRecord {
  id: string;
  action: ProposalAction;
  domain: string;
  topic: string;
  /** Persona (or person) behind the change. */
  by: string | null;
  jobId: string | null;
  /** Rationale (propose), feedback (revise) or reason (reject): the message body above the trailers. */
  text: string;
  /** The branch the proposal was committed on (recorded on its first commit). */
  branch?: string;
}

const TRAILER = {
  id: 'Agent-OS-Proposal',
  action: 'Agent-OS-Action',
  standard: 'Agent-OS-Standard',
  by: 'Proposed-By',
  job: 'Agent-OS-Job',
  branch: 'Agent-OS-Branch',
} as const;

const ID_PATTERN = /^sp-\d{8}-[0-9a-f]{6}$/;

/** `sp-<yyyymmdd>-<6 hex>`: sortable by day, short enough to type, safe in refs and paths. */
export function newProposalId(now: Date, randomHex: string): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const hex = randomHex.toLowerCase().replace(/[^0-9a-f]/g, '').padEnd(6, '0').slice(0, 6);
  return `sp-${day}-${hex}`;
}

export function isProposalId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** One line, no control characters: safe as a trailer value. */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** The commit message of a proposal step: subject, free text, then trailers git can parse. */
export function proposalMessage(record: ProposalRecord, title: string): string {
  const verb = record.action === 'propose' ? 'Propose' : record.action === 'revise' ? 'Revise' : 'Reject';
  const subject = oneLine(`${verb} standard ${record.domain}/${record.topic}${title ? `: ${title}` : ''}`).slice(0, 120);
  const trailers = [
    `${TRAILER.id}: ${record.id}`,
    `${TRAILER.action}: ${record.action}`,
    `${TRAILER.standard}: ${record.domain}/${record.topic}`,
    ...(record.by ? [`${TRAILER.by}: ${oneLine(record.by)}`] : []),
    ...(record.jobId ? [`${TRAILER.job}: ${oneLine(record.jobId)}`] : []),
    ...(record.branch ? [`${TRAILER.branch}: ${oneLine(record.branch)}`] : []),
  ];
  const text = record.text.replace(/\r\n/g, '\n').trim();
  return `${subject}\n\n${text ? `${text}\n\n` : ''}${trailers.join('\n')}\n`;
}

/** Reads a message written by `proposalMessage`; null for any other commit. */
export function parseProposalMessage(message: string): ProposalRecord | null {
  const lines = message.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const trailers = new Map<string, string>();
  let end = lines.length;
  while (end > 0) {
    const m = /^([A-Za-z-]+):\s?(.*)$/.exec(lines[end - 1] ?? '');
    if (!m) break;
    trailers.set(m[1]!.toLowerCase(), m[2]!.trim());
    end--;
  }
  const id = trailers.get(TRAILER.id.toLowerCase());
  const action = trailers.get(TRAILER.action.toLowerCase());
  const standard = trailers.get(TRAILER.standard.toLowerCase()) ?? '';
  const slash = standard.indexOf('/');
  if (!id || !isProposalId(id) || (action !== 'propose' && action !== 'revise' && action !== 'reject') || slash <= 0) return null;
  // Body: after the subject and its blank line, before the trailer block.
  const text = lines.slice(1, end).join('\n').trim();
  return {
    id,
    action,
    domain: standard.slice(0, slash),
    topic: standard.slice(slash + 1),
    by: trailers.get(TRAILER.by.toLowerCase()) || null,
    jobId: trailers.get(TRAILER.job.toLowerCase()) || null,
    text,
    ...(trailers.get(TRAILER.branch.toLowerCase()) ? { branch: trailers.get(TRAILER.branch.toLowerCase())! } : {}),
  };
}

export interface StandardFileMeta {
  domain: string;
  topic: string;
  proposalId: string;
  /** Persona or person proposing; null keeps what the file had. */
  proposedBy: string | null;
  /** ISO time of the proposal. */
  createdAt: string;
  /** Replace the tags / applies_to of the content when given. */
  tags?: string[];
  appliesTo?: string[];
  /** The standard's current text on the default branch, when this proposal updates it. */
  previous?: string | null;
}

/** Front matter keys we generate, in the order they are written. */
const GENERATED = ['domain', 'topic', 'tags', 'applies_to', 'created_by', 'created_at', 'updated_by', 'proposal'] as const;


const asList = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.map((x) => String(x).trim()).filter(Boolean) : typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined;

/**
 * The file a proposal writes: the content's body with generated front matter (domain, topic, tags,
 * applies_to, created_by, created_at, proposal id). An update keeps the original author and date and
 * names the new proposer as `updated_by`; a stale `approved_by` is dropped (the merge records it).
 */
export function renderStandardFile(content: string, meta: StandardFileMeta): string {
  const given = readFrontMatter(content);
  const before = meta.previous ? readFrontMatter(meta.previous).data : null;
  const fm: Record<string, unknown> = {};
  fm['domain'] = meta.domain;
  fm['topic'] = meta.topic;
  const tags = meta.tags ?? asList(given.data['tags']) ?? asList(before?.['tags']) ?? [];
  const appliesTo = meta.appliesTo ?? asList(given.data['applies_to']) ?? asList(before?.['applies_to']) ?? [];
  if (tags.length) fm['tags'] = tags;
  if (appliesTo.length) fm['applies_to'] = appliesTo;
  const str = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : typeof v === 'string' && v.trim() ? v.trim() : null);
  if (before) {
    fm['created_by'] = str(before['created_by']) ?? str(given.data['created_by']) ?? meta.proposedBy ?? undefined;
    fm['created_at'] = str(before['created_at']) ?? meta.createdAt;
    if (meta.proposedBy) fm['updated_by'] = meta.proposedBy;
  } else {
    fm['created_by'] = meta.proposedBy ?? str(given.data['created_by']) ?? undefined;
    fm['created_at'] = meta.createdAt;
  }
  fm['proposal'] = meta.proposalId;
  for (const [k, v] of Object.entries(given.data)) {
    if ((GENERATED as readonly string[]).includes(k) || k === 'approved_by' || v === undefined) continue;
    fm[k] = v instanceof Date ? v.toISOString() : v;
  }
  for (const k of Object.keys(fm)) if (fm[k] === undefined) delete fm[k];
  const body = given.body.replace(/^\s*\n/, '').replace(/\s*$/, '\n');
  return `---\n${stringify(fm, { lineWidth: 0 }).trimEnd()}\n---\n\n${body}`;
}

/** The front matter `proposal` id of a standard's text, if any. */
export function proposalIdOf(text: string): string | null {
  const v = readFrontMatter(text).data['proposal'];
  return typeof v === 'string' && isProposalId(v) ? v : null;
}

/** The tags and applies_to lists of a standard's front matter (undefined when absent). */
export function standardFrontMatterLists(text: string): { tags?: string[]; appliesTo?: string[] } {
  const { data } = readFrontMatter(text);
  const tags = asList(data['tags']);
  const appliesTo = asList(data['applies_to']);
  return { ...(tags ? { tags } : {}), ...(appliesTo ? { appliesTo } : {}) };
}
