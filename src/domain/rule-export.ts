import { readFrontMatter } from './front-matter.js';
import { floorHeadings, hasContent, splitAtDepth, templateSectionOf, topHeadings, trimBlankLines, truncateMarkdown } from './markdown-sections.js';
import { validateSlug } from './proposal-validation.js';
import { GENERATED_MARK, POINTER_PREFIX, SECTION_BEGIN, SECTION_END, SOURCE_MARK, TRUNCATION_NOTE } from './rule-sources.js';
import { domainAndTopic } from './standard-path.js';

/*
 * `agent-os export`, the pure part: the approved standards compiled into the files other assistants
 * read (issue 10). The standards stay the single source of truth; every piece written says so.
 *
 * Budgets (characters, each piece compiled to fit):
 * - Copilot instruction file: 4,000 per file (Copilot code review reads only the first 4,000).
 * - Cursor rule: 6,000 per file.
 * - AGENTS.md: 16,000 for the root section and 8,000 for each nested one, shared fairly between the
 *   standards of the section (each gets what it needs when it can; what is left is split evenly).
 *   Codex joins the AGENTS.md files from the root down to the working directory and stops reading at
 *   32 KiB, so a root and a nested section leave a quarter of that to the team's own text.
 * - A standard is compiled title first, then Pattern and Anti-patterns (shortened if need be), then
 *   its lead paragraph, Context, Examples and other sections while they fit; the pointer to the full
 *   standard is always kept. What was left out or shortened is reported.
 * Provenance: the standard's path, its git blob id (content identity, stable across commits) and the
 * last commit that touched it when the file equals its committed version (`uncommitted` otherwise).
 */

export const EXPORT_FORMATS = ['agents', 'cursor', 'copilot', 'claude'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_BUDGETS = { copilot: 4000, cursor: 6000, agentsRoot: 16000, agentsNested: 8000 } as const;

/** Where the Cursor rules and Copilot instruction files go. */
export const CURSOR_DIR = '.cursor/rules/agent-os';
export const COPILOT_DIR = '.github/instructions';

export interface ExportStandard {
  /** Project-relative POSIX path of the standard file. */
  path: string;
  /** Path relative to the standards directory (`security/auth-patterns.md`). */
  file: string;
  text: string;
  /** git blob id of `text`. */
  blob: string;
  /** Last commit that touched the file when it equals the committed version; null when it has uncommitted changes. */
  commit: string | null;
}

export interface ExportPiece {
  /** Project-relative path of the file written. */
  file: string;
  format: ExportFormat;
  /** `file`: agent-os owns the whole file; `section`: only the part between the markers. */
  kind: 'file' | 'section';
  /** The whole file, or the section with its markers. */
  content: string;
  /** `domain/topic` of each standard in it. */
  standards: string[];
}

export interface ExportCut {
  format: ExportFormat;
  file: string;
  standard: string;
  /** Sections left out. */
  cut: string[];
  /** Sections shortened. */
  truncated: string[];
  /** The whole standard was left out of the file (no room even for its title and pointer). */
  omitted: boolean;
}

export interface ExportPlan {
  pieces: ExportPiece[];
  cuts: ExportCut[];
  /** Standards not exported, and why. */
  problems: Array<{ standard: string; problem: string }>;
}

type Role = 'lead' | 'pattern' | 'anti' | 'context' | 'examples' | 'other';

interface Block {
  /** Heading text; null for the lead paragraph (no heading). */
  name: string | null;
  role: Role;
  text: string;
  required: boolean;
}

interface Doc {
  id: string;
  domain: string;
  topic: string;
  path: string;
  title: string;
  description: string;
  appliesTo: string[];
  blocks: Block[];
  provenance: string;
}

/** Compiles the standards into every piece of the chosen formats. */
export function planExport(standards: readonly ExportStandard[], opts: { formats: readonly ExportFormat[]; dirExists: (dir: string) => boolean }): ExportPlan {
  const problems: ExportPlan['problems'] = [];
  const docs: Doc[] = [];
  for (const s of [...standards].sort((a, b) => a.file.localeCompare(b.file))) {
    const parsed = parseDoc(s);
    if (typeof parsed === 'string') problems.push({ standard: s.file, problem: parsed });
    else docs.push(parsed);
  }
  const pieces: ExportPiece[] = [];
  const cuts: ExportCut[] = [];
  const formats = new Set(opts.formats);
  for (const doc of docs) {
    if (formats.has('cursor')) {
      const file = `${CURSOR_DIR}/${doc.domain}-${doc.topic}.mdc`;
      const header = [
        '---',
        `description: ${yamlScalar(doc.description)}`,
        `globs:${doc.appliesTo.length ? ` ${expandBraces(doc.appliesTo).join(', ')}` : ''}`,
        `alwaysApply: ${doc.appliesTo.length === 0}`,
        '---',
        generatedComment(doc),
        '',
        '',
      ].join('\n');
      const fitted = fit(doc, 1, [], EXPORT_BUDGETS.cursor - header.length - 1);
      pieces.push({ file, format: 'cursor', kind: 'file', content: `${header}${fitted.text}\n`, standards: [doc.id] });
      noteCut(cuts, 'cursor', file, doc, fitted);
    }
    if (formats.has('copilot')) {
      const file = `${COPILOT_DIR}/${doc.domain}-${doc.topic}.instructions.md`;
      const header = ['---', `applyTo: ${JSON.stringify(doc.appliesTo.length ? expandBraces(doc.appliesTo).join(',') : '**')}`, '---', generatedComment(doc), '', ''].join('\n');
      const fitted = fit(doc, 1, [], EXPORT_BUDGETS.copilot - header.length - 1);
      pieces.push({ file, format: 'copilot', kind: 'file', content: `${header}${fitted.text}\n`, standards: [doc.id] });
      noteCut(cuts, 'copilot', file, doc, fitted);
    }
  }
  if (formats.has('agents') || formats.has('claude')) {
    const byDir = new Map<string, Doc[]>();
    for (const doc of docs) {
      const dir = agentsDir(doc.appliesTo, opts.dirExists);
      byDir.set(dir, [...(byDir.get(dir) ?? []), doc]);
    }
    for (const dir of [...byDir.keys()].sort()) {
      const prefix = dir ? `${dir}/` : '';
      if (formats.has('agents')) {
        const file = `${prefix}AGENTS.md`;
        const section = agentsSection(byDir.get(dir)!, dir ? EXPORT_BUDGETS.agentsNested : EXPORT_BUDGETS.agentsRoot, file, cuts);
        pieces.push({ file, format: 'agents', kind: 'section', content: section.text, standards: section.ids });
      }
      if (formats.has('claude')) pieces.push({ file: `${prefix}CLAUDE.md`, format: 'claude', kind: 'section', content: CLAUDE_SECTION, standards: byDir.get(dir)!.map((d) => d.id) });
    }
  }
  return { pieces, cuts, problems };
}

/** The section CLAUDE.md gets: Claude Code's import of the AGENTS.md beside it. */
export const CLAUDE_SECTION = [
  SECTION_BEGIN,
  `${GENERATED_MARK} by \`agent-os export\`: Claude Code reads the project's standards through the AGENTS.md it imports here; do not edit between agent-os:begin and agent-os:end -->`,
  '@AGENTS.md',
  SECTION_END,
].join('\n');

const SECTION_INTRO = `${GENERATED_MARK} by \`agent-os export\` from the project's standards; do not edit between agent-os:begin and agent-os:end: change the standards, then run \`agent-os export\` -->`;

function provenanceOf(s: ExportStandard): string {
  return `${s.path} blob=${s.blob} commit=${s.commit ?? 'uncommitted'}`;
}

function generatedComment(doc: Doc): string {
  return `${GENERATED_MARK} by \`agent-os export\` from ${doc.provenance}; do not edit: change the standard, then run \`agent-os export\` -->`;
}

// ─── Reading a standard ─────────────────────────────────────────────────────

const SAFE_GLOB = (g: string): boolean => g.length > 0 && g.length <= 200 && !/[\u0000-\u001f\u007f]/.test(g) && !g.startsWith('/') && !g.split('/').includes('..');

function parseDoc(s: ExportStandard): Doc | string {
  const names = domainAndTopic(s.file);
  if (!names) return 'not a Markdown file';
  let domain: string;
  let topic: string;
  try {
    domain = validateSlug('domain', names.domain);
    topic = validateSlug('topic', names.topic);
  } catch {
    return 'its folder or file name is not a valid domain/topic slug (lowercase letters, digits, hyphens)';
  }
  if (domain !== names.domain || topic !== names.topic) return 'its folder or file name is not a lowercase slug';
  const fm = readFrontMatter(s.text.replace(/\r\n?/g, '\n'));
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : []).map((x) => x.trim()).filter(Boolean);
  const globs = list(fm.data['applies_to']).filter(SAFE_GLOB);
  // A glob matching everything is no scope: the standard applies everywhere.
  const appliesTo = globs.some((g) => g === '**' || g === '**/*') ? [] : globs;
  const headings = topHeadings(fm.body);
  const titleHeading = headings[0]?.depth === 1 ? headings[0] : null;
  const lines = fm.body.split('\n');
  const after = titleHeading ? lines.slice(titleHeading.endLine).join('\n') : fm.body;
  const title = titleHeading?.text || topic.replace(/-/g, ' ');
  const rest = topHeadings(after);
  const { before, sections } = rest.length ? splitAtDepth(after, Math.min(...rest.map((h) => h.depth))) : { before: trimBlankLines(after), sections: [] };
  const roleOf = (name: string): Role => {
    const t = templateSectionOf(name);
    return t === 'Pattern' ? 'pattern' : t === 'Anti-patterns' ? 'anti' : t === 'Context' ? 'context' : t === 'Examples' ? 'examples' : 'other';
  };
  const blocks: Block[] = [];
  if (hasContent(before)) blocks.push({ name: null, role: 'lead', text: before, required: false });
  for (const sec of sections) if (hasContent(sec.text)) blocks.push({ name: sec.heading.text, role: roleOf(sec.heading.text), text: sec.text, required: false });
  const core = blocks.some((b) => b.role === 'pattern' || b.role === 'anti');
  // Without Pattern or Anti-patterns, the lead paragraph and free sections are the rule itself.
  for (const b of blocks) b.required = core ? b.role === 'pattern' || b.role === 'anti' : b.role === 'lead' || b.role === 'other';
  const description = typeof fm.data['description'] === 'string' && fm.data['description'].trim() ? oneLine(fm.data['description']) : title;
  return { id: `${domain}/${topic}`, domain, topic, path: s.path, title: oneLine(title), description: description.slice(0, 300), appliesTo, blocks, provenance: provenanceOf(s) };
}

function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

// ─── Fitting a standard into a budget ───────────────────────────────────────

const ORDER: readonly Role[] = ['lead', 'pattern', 'anti', 'context', 'examples', 'other'];
const PRIORITY: readonly Role[] = ['lead', 'context', 'examples', 'other'];

interface Fitted {
  text: string;
  cut: string[];
  truncated: string[];
}

const blockName = (b: Block): string => b.name ?? 'lead paragraph';

/** The standard at heading depth `depth` (title) with `head` lines after its title, within `budget` characters when it can be. */
function fit(doc: Doc, depth: number, head: readonly string[], budget: number): Fitted {
  // Headings inside a section move below the section's own heading, before anything is measured.
  const blocks = doc.blocks.map((b) => ({ ...b, text: floorHeadings(b.text, depth + 2) }));
  const ranked = [...blocks].sort((a, b) => ORDER.indexOf(a.role) - ORDER.indexOf(b.role));
  const compose = (chosen: Map<(typeof blocks)[number], string>): string => {
    const out = [`${'#'.repeat(depth)} ${doc.title}`, ''];
    for (const h of head) out.push(h, '');
    for (const b of ranked) {
      const text = chosen.get(b);
      if (text === undefined) continue;
      if (b.name !== null) out.push(`${'#'.repeat(depth + 1)} ${b.name}`, '');
      out.push(text, '');
    }
    out.push(`${POINTER_PREFIX}\`${doc.path}\``);
    return out.join('\n');
  };
  const every = new Map(blocks.map((b) => [b, b.text] as const));
  const full = compose(every);
  if (full.length <= budget) return { text: full, cut: [], truncated: [] };
  const required = blocks.filter((b) => b.required);
  let chosen = new Map(required.map((b) => [b, b.text] as const));
  const cut: string[] = [];
  const truncated: string[] = [];
  if (compose(chosen).length > budget) {
    const note = `\n\n${TRUNCATION_NOTE}`;
    const fixed = compose(new Map(required.map((b) => [b, note] as const))).length;
    const shares = waterFill(required.map((b) => b.text.length), Math.max(0, budget - fixed));
    chosen = new Map(
      required.map((b, i) => {
        if (b.text.length <= shares[i]!) return [b, b.text] as const;
        truncated.push(blockName(b));
        return [b, `${truncateMarkdown(b.text, shares[i]!)}${note}`.replace(/^\n+/, '')] as const;
      }),
    );
    for (const b of blocks) if (!b.required) cut.push(blockName(b));
    return { text: compose(chosen), cut, truncated };
  }
  const optional = [...blocks].filter((b) => !b.required).sort((a, b) => PRIORITY.indexOf(a.role) - PRIORITY.indexOf(b.role));
  for (const b of optional) {
    const trial = new Map(chosen).set(b, b.text);
    if (compose(trial).length <= budget) chosen = trial;
    else cut.push(blockName(b));
  }
  return { text: compose(chosen), cut, truncated };
}

/** Splits `total` between wants: each gets what it asks for when it can; the rest is shared evenly. */
function waterFill(wants: readonly number[], total: number): number[] {
  const out = wants.map(() => 0);
  let left = total;
  const order = wants.map((w, i) => [w, i] as const).sort((a, b) => a[0] - b[0]);
  order.forEach(([want, i], k) => {
    const share = Math.floor(left / (order.length - k));
    out[i] = Math.min(want, share);
    left -= out[i]!;
  });
  return out;
}

function noteCut(cuts: ExportCut[], format: ExportFormat, file: string, doc: Doc, fitted: Fitted): void {
  if (fitted.cut.length || fitted.truncated.length) cuts.push({ format, file, standard: doc.id, cut: fitted.cut, truncated: fitted.truncated, omitted: false });
}

// ─── AGENTS.md ──────────────────────────────────────────────────────────────

/** The directory every glob of a scope points into ('' for the root, or when that directory does not exist). */
export function agentsDir(appliesTo: readonly string[], dirExists: (dir: string) => boolean): string {
  if (appliesTo.length === 0) return '';
  const dirs = appliesTo.map((g) => {
    const parts = g.replace(/^\.\//, '').split('/');
    const wild = parts.findIndex((p) => /[*?[\]{}!]/.test(p));
    return (wild < 0 ? parts.slice(0, -1) : parts.slice(0, wild)).filter(Boolean);
  });
  const common: string[] = [];
  for (let i = 0; dirs.every((d) => i < d.length && d[i] === dirs[0]![i]); i++) common.push(dirs[0]![i]!);
  const dir = common.join('/');
  return dir && dirExists(dir) ? dir : '';
}

function agentsSection(docs: readonly Doc[], budget: number, file: string, cuts: ExportCut[]): { text: string; ids: string[] } {
  const heads = (d: Doc): string[] => [`${SOURCE_MARK} ${d.provenance} -->`, ...(d.appliesTo.length ? [`_Applies to: ${d.appliesTo.map((g) => `\`${g.replace(/`/g, '')}\``).join(', ')}._`] : [])];
  const open = `${SECTION_BEGIN}\n${SECTION_INTRO}\n\n`;
  const close = `\n${SECTION_END}`;
  const minimal = docs.map((d) => fit(d, 2, heads(d), 0).text.length);
  const full = docs.map((d) => fit(d, 2, heads(d), Number.MAX_SAFE_INTEGER).text.length);
  let room = budget - open.length - close.length;
  // Standards that cannot get even their title and pointer in are left out, the last first.
  let kept = docs.length;
  const need = (n: number): number => minimal.slice(0, n).reduce((a, b) => a + b, 0) + 2 * Math.max(0, n - 1);
  while (kept > 0 && need(kept) > room) kept--;
  for (const d of docs.slice(kept)) cuts.push({ format: 'agents', file, standard: d.id, cut: [], truncated: [], omitted: true });
  room -= need(kept);
  const extra = waterFill(
    full.slice(0, kept).map((f, i) => f - minimal[i]!),
    Math.max(0, room),
  );
  const entries = docs.slice(0, kept).map((d, i) => {
    const fitted = fit(d, 2, heads(d), minimal[i]! + extra[i]!);
    noteCut(cuts, 'agents', file, d, fitted);
    return fitted.text;
  });
  return { text: `${open}${entries.join('\n\n')}${close}`, ids: docs.slice(0, kept).map((d) => d.id) };
}

// ─── Small helpers ──────────────────────────────────────────────────────────

/** A YAML scalar: plain when that reads back as the same string, else double-quoted. */
function yamlScalar(s: string): string {
  return /^[A-Za-z0-9(][^:#'"\n]*$/.test(s) && !/\s$/.test(s) ? s : JSON.stringify(s);
}

/** `src/*.{ts,tsx}` → `src/*.ts`, `src/*.tsx`: Cursor and Copilot split their glob lists at commas. */
export function expandBraces(globs: readonly string[]): string[] {
  const out: string[] = [];
  const expand = (g: string): void => {
    const m = /\{([^{}]*,[^{}]*)\}/.exec(g);
    if (!m) {
      out.push(g);
      return;
    }
    for (const alt of m[1]!.split(',')) expand(g.slice(0, m.index) + alt + g.slice(m.index + m[0].length));
  };
  for (const g of globs) expand(g);
  return [...new Set(out)];
}
