import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Nodes } from 'mdast';

/*
 * Line-based views of a Markdown text for import and export: root-level headings with their lines
 * (headings inside code fences, lists or quotes are content, as in checkTemplate), splitting at a
 * heading depth, and moving headings deeper so a piece fits under another heading. Pure.
 */

/** The four sections of the standard template, by their canonical names. */
export type TemplateSection = 'Context' | 'Pattern' | 'Examples' | 'Anti-patterns';

const TEMPLATE_NAMES: ReadonlyArray<[TemplateSection, RegExp]> = [
  ['Context', /^context$/],
  ['Pattern', /^patterns?$/],
  ['Examples', /^examples?$/],
  ['Anti-patterns', /^anti[- ]?patterns?$/],
];

/** The template section a heading names ("Patterns", "2. Anti patterns:"), or null. */
export function templateSectionOf(heading: string): TemplateSection | null {
  const name = heading
    .toLowerCase()
    .replace(/^\s*(?:\d+[.)]\s*)?/, '')
    .replace(/[\s:.!]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return TEMPLATE_NAMES.find(([, re]) => re.test(name))?.[0] ?? null;
}

/** A root-level heading: depth, plain text, and its 1-based first and last line. */
export interface MdHeading {
  depth: number;
  text: string;
  startLine: number;
  endLine: number;
}

/** The text of a node without its Markdown syntax (inline code and emphasis reduced to their text). */
export function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}

/** Root-level headings of `markdown` (LF line endings expected), in order. */
export function topHeadings(markdown: string): MdHeading[] {
  const out: MdHeading[] = [];
  for (const node of fromMarkdown(markdown).children) {
    if (node.type !== 'heading' || !node.position) continue;
    out.push({ depth: node.depth, text: plainText(node).replace(/\s+/g, ' ').trim(), startLine: node.position.start.line, endLine: node.position.end.line });
  }
  return out;
}

/** Lines `from`..`to` (1-based, inclusive) of `lines`, joined; empty when the range is empty. */
export function sliceLines(lines: readonly string[], from: number, to: number): string {
  if (to < from) return '';
  return lines.slice(Math.max(0, from - 1), Math.max(0, to)).join('\n');
}

/** True when the text holds something besides blank lines and HTML comments. */
export function hasContent(text: string): boolean {
  return text.replace(/<!--[\s\S]*?-->/g, '').trim().length > 0;
}

/**
 * Moves every root-level heading deeper so the shallowest one has depth `floor` (at most 6); setext
 * headings become ATX headings. Headings already deep enough stay as they are.
 */
export function floorHeadings(markdown: string, floor: number): string {
  const headings = topHeadings(markdown);
  if (headings.length === 0) return markdown;
  const shift = Math.max(0, floor - Math.min(...headings.map((h) => h.depth)));
  if (shift === 0 && headings.every((h) => h.startLine === h.endLine)) return markdown;
  const lines = markdown.split('\n');
  // From the last heading up, so earlier line numbers stay valid when a setext heading shrinks to one line.
  for (const h of [...headings].reverse()) {
    const depth = Math.min(6, h.depth + shift);
    lines.splice(h.startLine - 1, h.endLine - h.startLine + 1, `${'#'.repeat(depth)} ${h.text}`);
  }
  return lines.join('\n');
}

/** A heading with the text below it, up to the next heading of the same or a shallower depth. */
export interface MdSection {
  heading: MdHeading;
  /** The content below the heading (deeper headings included), trimmed of blank lines at both ends. */
  text: string;
}

/** The text split at the root-level headings of depth `depth`: what comes before the first, and each section. */
export function splitAtDepth(markdown: string, depth: number): { before: string; sections: MdSection[] } {
  const lines = markdown.split('\n');
  const cuts = topHeadings(markdown).filter((h) => h.depth <= depth);
  const at = cuts.filter((h) => h.depth === depth);
  const firstCut = cuts[0]?.startLine ?? lines.length + 1;
  const before = trimBlankLines(sliceLines(lines, 1, firstCut - 1));
  const sections = at.map((h) => {
    const next = cuts.find((c) => c.startLine > h.startLine);
    return { heading: h, text: trimBlankLines(sliceLines(lines, h.endLine + 1, (next?.startLine ?? lines.length + 1) - 1)) };
  });
  return { before, sections };
}

/** Without blank lines at the start and trailing whitespace at the end (indentation of the first line kept). */
export function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
}

/**
 * At most `max` characters of `text`, cut at a line end when one is near, with any code fence the
 * cut leaves open closed again (an open fence would swallow whatever follows).
 */
export function truncateMarkdown(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = text.slice(0, max);
  const nl = cut.lastIndexOf('\n');
  if (nl > max / 2) cut = cut.slice(0, nl);
  cut = cut.replace(/\s+$/, '');
  const open = openFence(cut);
  if (open) {
    const closing = `\n${open}`;
    cut = cut.slice(0, Math.max(0, max - closing.length)).replace(/\s+$/, '');
    if (openFence(cut)) cut += closing;
  }
  return cut;
}

/**
 * The fence (``` or ~~~ run) to close a code block left open at the end of `text`, or null. Only a
 * block at the root needs one: a block in a list item or a quote ends with its container, and a
 * fence put after it would open a new block instead.
 */
function openFence(text: string): string | null {
  // A line after an open block is part of it; after a closed one, it is not.
  const probe = `${text}\nx`;
  const last = fromMarkdown(probe).children.at(-1);
  const start = last?.position?.start.offset;
  if (last?.type !== 'code' || start === undefined || last.position?.end.offset !== probe.length) return null;
  const mark = probe[start];
  if (mark !== '`' && mark !== '~') return null;
  let end = start;
  while (probe[end] === mark) end++;
  return probe.slice(start, end);
}
