import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Heading, Nodes, RootContent } from 'mdast';
import { AgentOsError } from './errors.js';
import { readFrontMatter, stripFrontMatter } from './front-matter.js';
import type { SecretFinding } from './secrets.js';

/*
 * Validation of a proposed standard (issue 4; spec "Secrets Management"): safe slugs for the
 * domain and topic, the standard template, and no secrets in the content. Pure: no I/O.
 *
 * Decisions (calibrated against .agent-os/standards and /work/shared/corpus/standards):
 * - Slugs are trimmed and lower-cased (that is the normalisation); anything else that breaks a rule is
 *   refused with an example slug derived from the input. Reserved: Windows device names (`con`,
 *   `prn`, `aux`, `nul`, `com0`–`com9`, `lpt0`–`lpt9`), because `<topic>.md` or a `<domain>/` folder
 *   with such a name cannot be checked out on Windows. `index` is NOT reserved: it has no special
 *   meaning in the standards tree. Dot-names (`.cache`, `.git`) are refused by the leading-dot rule.
 * - Template: a title (the first heading, depth 1) and root-level headings (depth ≥ 2) named Context,
 *   Pattern(s), Example(s), Anti-patterns (also "Antipatterns", "Anti patterns"). Headings in code
 *   fences, lists or quotes do not count; front matter is skipped. A section whose only content is an
 *   HTML comment counts as empty; content in its sub-sections counts.
 * - Secrets: found by a SecretScanner (src/domain/secrets.ts has the rules and their decisions);
 *   validateProposal only reports the findings it is given.
 */

// ─── Slugs ──────────────────────────────────────────────────────────────────

export type SlugKind = 'domain' | 'topic';

export const SLUG_MAX_LENGTH = 64;

/** Names a file or folder cannot have on Windows, with or without an extension. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'con', 'prn', 'aux', 'nul',
  ...Array.from({ length: 10 }, (_, i) => `com${i}`),
  ...Array.from({ length: 10 }, (_, i) => `lpt${i}`),
]);

/** A slug close to `value` that satisfies every rule ("Auth Patterns" → "auth-patterns"). */
export function suggestSlug(kind: SlugKind, value: string): string {
  let slug = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/g, '');
  if (!slug) slug = kind === 'domain' ? 'security' : 'auth-patterns';
  if (RESERVED_SLUGS.has(slug)) slug = `${slug}-${kind}`;
  return slug;
}

function slugProblem(value: string): string | null {
  if (value.length === 0) return 'must not be empty';
  if (/^(?:[/\\~]|[a-z]:[/\\])/i.test(value)) return 'must not be an absolute path';
  if (value.includes('..')) return 'must not contain ".."';
  if (/[/\\]/.test(value)) return 'must not contain "/" or "\\" (one path segment only)';
  if (value.startsWith('.')) return 'must not start with a dot';
  if (value.length > SLUG_MAX_LENGTH) return `must be at most ${SLUG_MAX_LENGTH} characters (got ${value.length})`;
  if (!/^[a-z0-9-]+$/.test(value)) return 'may contain only lowercase letters, digits and hyphens';
  if (value.startsWith('-') || value.endsWith('-')) return 'must not start or end with a hyphen';
  if (RESERVED_SLUGS.has(value)) return `"${value}" is a reserved name`;
  return null;
}

function slugError(kind: SlugKind, raw: string, problem: string): AgentOsError {
  return new AgentOsError('BAD_INPUT', `Invalid ${kind} ${JSON.stringify(raw)}: ${kind} ${problem}.`, {
    hint: `Use a slug like "${suggestSlug(kind, raw)}".`,
  });
}

/** The normalised (trimmed, lower-cased) slug, or AgentOsError('BAD_INPUT') naming the field and rule. */
export function validateSlug(kind: SlugKind, value: string): string {
  const slug = String(value).normalize('NFC').trim().toLowerCase();
  const problem = slugProblem(slug);
  if (problem) throw slugError(kind, String(value), problem);
  return slug;
}

// ─── Template ───────────────────────────────────────────────────────────────

export const REQUIRED_SECTIONS = ['Context', 'Pattern', 'Examples', 'Anti-patterns'] as const;

const SECTION_PATTERNS: Record<(typeof REQUIRED_SECTIONS)[number], RegExp> = {
  Context: /^context$/,
  Pattern: /^patterns?$/,
  Examples: /^examples?$/,
  'Anti-patterns': /^anti[- ]?patterns?$/,
};

export interface TemplateCheck {
  ok: boolean;
  /** Required parts absent: "Title" and/or section names. */
  missing: string[];
  /** Sections present with nothing under them. */
  empty: string[];
  /** The first depth-1 heading's text, when it is the first heading. */
  title: string | null;
}

function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}

function normaliseHeading(text: string): string {
  return text
    .toLowerCase()
    .replace(/^\s*(?:\d+[.)]\s*)?/, '')
    .replace(/[\s:.!]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}


function isContent(node: RootContent): boolean {
  if (node.type === 'html') return !/^\s*(?:<!--[\s\S]*?-->\s*)*$/.test(node.value);
  if (node.type === 'definition') return false;
  return true;
}

/** Check the standard template: a `# Title` and non-empty Context, Pattern, Examples, Anti-patterns. */
export function checkTemplate(markdown: string): TemplateCheck {
  const body = stripFrontMatter(markdown);
  const nodes = fromMarkdown(body).children;
  const firstHeading = nodes.find((n): n is Heading => n.type === 'heading');
  const title = firstHeading && firstHeading.depth === 1 ? plainText(firstHeading).trim() || null : null;
  const found = new Map<string, boolean>();
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.type !== 'heading' || node.depth < 2) continue;
    const name = normaliseHeading(plainText(node));
    const section = REQUIRED_SECTIONS.find((s) => SECTION_PATTERNS[s].test(name));
    if (!section) continue;
    let hasContent = false;
    for (let j = i + 1; j < nodes.length; j++) {
      const next = nodes[j]!;
      if (next.type === 'heading') {
        if (next.depth <= node.depth) break;
        continue;
      }
      if (isContent(next)) {
        hasContent = true;
        break;
      }
    }
    found.set(section, (found.get(section) ?? false) || hasContent);
  }
  const missing: string[] = [];
  if (!title) missing.push('Title');
  for (const s of REQUIRED_SECTIONS) if (!found.has(s)) missing.push(s);
  const empty = REQUIRED_SECTIONS.filter((s) => found.get(s) === false);
  return { ok: missing.length === 0 && empty.length === 0, missing, empty, title };
}

// ─── Whole proposal ─────────────────────────────────────────────────────────

export const SECRETS_HINT =
  'Use placeholders like `$DATABASE_URL` or `${API_KEY}` and reference secure storage (e.g. "stored in AWS Secrets Manager")';

export const TEMPLATE_HINT =
  'A standard starts with a `# Title`, then `## Context`, `## Pattern`, `## Examples` and `## Anti-patterns`, each with content.';

export interface ProposalInput {
  domain: string;
  topic: string;
  content: string;
}

export interface ValidProposal {
  domain: string;
  topic: string;
  content: string;
  title: string;
}

/** At most this many findings are listed; the rest are counted (a pasted dump can hold thousands). */
export const MAX_LISTED_SECRETS = 20;

/** One line per finding: where, what kind, and the line with the secret masked. */
export function secretProblems(findings: readonly SecretFinding[]): string[] {
  const listed = findings.slice(0, MAX_LISTED_SECRETS).map((s) => `Possible secret (${s.kind}) on line ${s.line}: ${s.excerpt}`);
  const more = findings.length - listed.length;
  return more > 0 ? [...listed, `…and ${more} more possible secret${more === 1 ? '' : 's'}.`] : listed;
}

/**
 * All checks at once: normalised slugs and content, or one BAD_INPUT error listing every problem.
 * `secrets` are the scanner's findings in `input.content`.
 */
export function validateProposal(input: ProposalInput, secrets: readonly SecretFinding[]): ValidProposal {
  const problems: string[] = [];
  const hints: string[] = [];
  const slugs: Partial<Record<SlugKind, string>> = {};
  for (const kind of ['domain', 'topic'] as const) {
    try {
      slugs[kind] = validateSlug(kind, input[kind]);
    } catch (e) {
      if (!(e instanceof AgentOsError)) throw e;
      problems.push(e.message);
      if (e.hint) hints.push(`For the ${kind}: ${e.hint}`);
    }
  }
  const content = typeof input.content === 'string' ? input.content : '';
  if (!content.trim()) {
    problems.push('The content is empty.');
    hints.push(TEMPLATE_HINT);
  } else {
    const fm = readFrontMatter(content);
    if (fm.problem) {
      problems.push(`The content's ${fm.problem}.`);
      hints.push('Front matter is optional; when given it is a YAML block between "---" lines (tags, applies_to). agent-os writes domain, topic, created_by and the proposal id itself.');
    }
    const template = checkTemplate(content);
    if (template.missing.length) problems.push(`Missing from the standard template: ${template.missing.join(', ')}.`);
    if (template.empty.length) problems.push(`Empty sections: ${template.empty.join(', ')}.`);
    if (!template.ok) hints.push(TEMPLATE_HINT);
    problems.push(...secretProblems(secrets));
    if (secrets.length) hints.push(SECRETS_HINT);
    if (problems.length === 0) return { domain: slugs.domain!, topic: slugs.topic!, content, title: template.title ?? '' };
  }
  const where = `${slugs.domain ?? input.domain}/${slugs.topic ?? input.topic}`;
  throw new AgentOsError('BAD_INPUT', `The proposed standard ${where} was refused:\n- ${problems.join('\n- ')}`, {
    hint: hints.join('\n'),
  });
}
