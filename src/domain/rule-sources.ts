import { AgentOsError } from './errors.js';

/*
 * The rule files other assistants read (AGENTS.md, CLAUDE.md, GEMINI.md, Cursor rules, Copilot
 * instructions, Windsurf rules), and the marks agent-os puts into the ones it generates, shared by
 * `agent-os import` (which reads them) and `agent-os export` (which writes them). Pure.
 */

export type RuleSourceKind = 'agents' | 'claude' | 'gemini' | 'cursor-rule' | 'cursorrules' | 'copilot' | 'copilot-instructions' | 'windsurf';

export interface RuleSource {
  kind: RuleSourceKind;
  /** The directory the file governs, relative to the project root ('' for the whole project). */
  dir: string;
  /** One scoped rule per file (Cursor rules, Copilot instruction files) rather than a document of many. */
  single: boolean;
  /** Written by `agent-os init` (the rule telling Cursor to search the standards), not by the team. */
  ownRule: boolean;
}

/** Read order: the files meant for every assistant first, so a rule found in several keeps their title. */
export const SOURCE_ORDER: readonly RuleSourceKind[] = ['agents', 'claude', 'gemini', 'copilot', 'windsurf', 'cursorrules', 'cursor-rule', 'copilot-instructions'];

/** The Cursor rule `agent-os init` writes. */
export const INIT_CURSOR_RULE = '.cursor/rules/agent-os.mdc';

/** Which rule file a project-relative POSIX path is, or null for any other file. */
export function classifyRuleSource(file: string): RuleSource | null {
  // Control characters in a path would end up in commit messages and pull request text.
  if (file.startsWith('.agent-os/') || file.split('/').includes('node_modules') || /[\u0000-\u001f\u007f]/.test(file)) return null;
  const slash = file.lastIndexOf('/');
  const dir = slash < 0 ? '' : file.slice(0, slash);
  const name = file.slice(slash + 1);
  const plain = (kind: RuleSourceKind, d = dir): RuleSource => ({ kind, dir: d, single: false, ownRule: false });
  if (name === 'AGENTS.md') return plain('agents');
  // Claude Code also reads .claude/CLAUDE.md, which governs the directory holding .claude/.
  if (name === 'CLAUDE.md') return plain('claude', dir === '.claude' ? '' : dir.endsWith('/.claude') ? dir.slice(0, -'/.claude'.length) : dir);
  if (name === 'GEMINI.md') return plain('gemini');
  if (file === '.cursorrules') return plain('cursorrules');
  if (file === '.windsurfrules') return plain('windsurf');
  if (file === '.github/copilot-instructions.md') return plain('copilot', '');
  if (/^\.github\/instructions\/(?:.+\/)?[^/]+\.instructions\.md$/.test(file)) return { kind: 'copilot-instructions', dir: '', single: true, ownRule: false };
  const cursor = /^(?:(.+)\/)?\.cursor\/rules\/(?:.+\/)?[^/]+\.mdc?$/.exec(file);
  if (cursor) return { kind: 'cursor-rule', dir: cursor[1] ?? '', single: true, ownRule: file === INIT_CURSOR_RULE };
  return null;
}

/** A short label for a group of sources ("AGENTS.md", ".cursor/rules/*.mdc"), for notes. */
export function sourceLabel(file: string): string {
  const src = classifyRuleSource(file);
  if (!src) return file;
  if (src.kind === 'cursor-rule') return '.cursor/rules/*.mdc';
  if (src.kind === 'copilot-instructions') return '.github/instructions/*.instructions.md';
  return file;
}

// ─── Marks in generated files ───────────────────────────────────────────────

/** Opens and closes the section agent-os generates inside AGENTS.md and CLAUDE.md. */
export const SECTION_BEGIN = '<!-- agent-os:begin -->';
export const SECTION_END = '<!-- agent-os:end -->';
/** Starts the provenance comment of every generated file and section. */
export const GENERATED_MARK = '<!-- agent-os:generated';
/** Starts the comment naming the standard (path, blob, commit) a generated piece comes from. */
export const SOURCE_MARK = '<!-- agent-os:source';
/** The last line of every exported standard: where the full text lives. */
export const POINTER_PREFIX = '> Full standard: ';
/** Appended where export had to shorten a section to fit a budget. */
export const TRUNCATION_NOTE = '_(Shortened to fit; the full standard has the rest.)_';

export interface SectionSpan {
  /** Index of SECTION_BEGIN. */
  start: number;
  /** Index just after SECTION_END. */
  end: number;
}

/** Where the generated section is: null when there is none, 'malformed' when it opens without closing (or twice). */
export function findSection(text: string): SectionSpan | null | 'malformed' {
  const start = text.indexOf(SECTION_BEGIN);
  const endAt = text.indexOf(SECTION_END);
  if (start < 0 && endAt < 0) return null;
  if (start < 0 || endAt < start || text.indexOf(SECTION_BEGIN, start + 1) >= 0 || text.indexOf(SECTION_END, endAt + 1) >= 0) return 'malformed';
  return { start, end: endAt + SECTION_END.length };
}

/** `text` with the generated section replaced by blank lines (line numbers of the rest unchanged). */
export function blankSection(text: string): string {
  const span = findSection(text);
  if (span === null) return text;
  if (span === 'malformed') {
    const at = text.indexOf(SECTION_BEGIN) >= 0 ? text.indexOf(SECTION_BEGIN) : text.indexOf(SECTION_END);
    return text.slice(0, at) + text.slice(at).replace(/[^\n]/g, '');
  }
  return text.slice(0, span.start) + text.slice(span.start, span.end).replace(/[^\n]/g, '') + text.slice(span.end);
}

/** True when agent-os generated the whole file: its provenance mark is outside any generated section. */
export function isGeneratedFile(text: string): boolean {
  return blankSection(text).includes(GENERATED_MARK);
}

/**
 * `existing` with `section` (markers included) in place of its generated section, or appended after a
 * blank line when it has none; everything else stays byte for byte. A new file when `existing` is null.
 */
export function putSection(existing: string | null, section: string): string {
  if (existing === null || existing.trim() === '') return `${section}\n`;
  const span = findSection(existing);
  if (span === 'malformed') throw new AgentOsError('CONFLICT', 'The file has an agent-os:begin marker without its agent-os:end (or more than one); fix it by hand.');
  if (span) return existing.slice(0, span.start) + section + existing.slice(span.end);
  const sep = existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  return `${existing}${sep}${section}\n`;
}

/**
 * `existing` without its generated section (and the blank line agent-os put before it); null when
 * nothing but whitespace is left (agent-os created the file, so it is removed).
 */
export function dropSection(existing: string): string | null {
  const span = findSection(existing);
  if (span === null || span === 'malformed') return existing;
  let before = existing.slice(0, span.start);
  let after = existing.slice(span.end);
  if (after.startsWith('\n')) after = after.slice(1);
  if (after === '' && before.endsWith('\n\n')) before = before.slice(0, -1);
  const rest = before + after;
  return rest.trim() === '' ? null : rest;
}

/** The generated section of a text (markers included), or null. */
export function sectionOf(text: string): string | null {
  const span = findSection(text);
  return span && span !== 'malformed' ? text.slice(span.start, span.end) : null;
}

/** The text with the commit of every provenance mark replaced: committing a standard does not make its exports stale. */
export function normaliseProvenance(text: string): string {
  return text.replace(/(<!-- agent-os:(?:generated|source)\b[^\n]*?\bcommit=)(?:[0-9a-f]{40}|uncommitted)\b/g, '$1*');
}
