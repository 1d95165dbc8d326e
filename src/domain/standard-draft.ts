import { stripFrontMatter } from './front-matter.js';
import { safe } from './markdown.js';
import { suggestSlug } from './proposal-validation.js';

/**
 * Standards drafted without a model from what people wrote in reviews: a lesson put into the
 * standard template as written, or bullets added to an existing standard's Pattern section (a lesson,
 * or the reasons findings citing it were dismissed). The text is untrusted: it may not add headings,
 * front matter or HTML comments to the standard; a person reviews the proposal before it counts.
 */

/** Lesson text as the body of a section: no headings, no front-matter fence, no HTML comments. */
export function inertMarkdown(text: string): string {
  return safe(text.replace(/\r\n?/g, '\n').trim())
    .split('\n')
    .map((l) => (/^\s{0,3}(#{1,6}\s|---\s*$|===\s*$)/.test(l) ? `\\${l.trimStart()}` : l))
    .join('\n');
}

/** One line for a bullet or a title. */
function oneLineOf(text: string): string {
  return safe(text.replace(/\s+/g, ' ').trim());
}

/** A title from a lesson's first sentence, at most 80 characters. */
export function lessonTitle(lesson: string): string {
  const first = oneLineOf(lesson).split(/(?<=[.!?])\s/)[0] ?? '';
  const plain = first.replace(/[`*_[\]<>#]/g, '').replace(/[.!?:;,]+$/, '').trim();
  const title = plain.length > 80 ? `${plain.slice(0, 79).replace(/\s+\S*$/, '')}…` : plain;
  return title ? title.charAt(0).toUpperCase() + title.slice(1) : 'Lesson from a review';
}

/** A topic slug from a lesson's first words. */
export function lessonTopic(lesson: string): string {
  return suggestSlug('topic', lessonTitle(lesson).split(/\s+/).slice(0, 6).join(' '));
}

export interface LessonSource {
  /** Where it was taught: the comment's web address. */
  url: string;
  /** The finding the lesson answers, if any: its title, where, and who raised it. */
  finding?: { title: string; where: string; persona: string } | null;
}

/** A new standard holding the lesson as written: the template's sections, the lesson as its Pattern. */
export function standardFromLesson(lesson: string, source: LessonSource): string {
  const f = source.finding;
  const context = [`Taught in a pull request review: ${source.url}`];
  if (f) context.push('', `It answers the finding "${oneLineOf(f.title)}" on \`${oneLineOf(f.where)}\`, raised by ${oneLineOf(f.persona)}.`);
  return [
    `# ${lessonTitle(lesson)}`,
    '',
    '## Context',
    '',
    ...context,
    '',
    '## Pattern',
    '',
    inertMarkdown(lesson),
    '',
    '## Examples',
    '',
    `See the discussion at ${source.url}.`,
    '',
    '## Anti-patterns',
    '',
    f ? `What the review flagged there: "${oneLineOf(f.title)}".` : 'Code that ignores the lesson above.',
    '',
  ].join('\n');
}

const FENCE_RE = /^\s{0,3}(`{3,}|~{3,})/;
const HEADING_RE = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/**
 * `existing` (front matter kept) with bullets added at the end of its Pattern section, before the
 * next heading of the same or a higher level; a standard without one gets a Pattern section at the end.
 */
export function amendStandard(existing: string, bullets: readonly string[]): string {
  const items = bullets.map((b) => `- ${inertMarkdown(b).replace(/\n/g, '\n  ')}`);
  const frontMatterEnd = existing.length - stripFrontMatter(existing).length;
  const head = existing.slice(0, frontMatterEnd);
  const lines = existing.slice(frontMatterEnd).replace(/\r\n?/g, '\n').split('\n');
  let fence: string | null = null;
  let start = -1;
  let depth = 0;
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FENCE_RE.exec(line);
    if (f) {
      if (fence === null) fence = f[1]!;
      else if (line.trim().startsWith(fence[0]!.repeat(fence.length))) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const h = HEADING_RE.exec(line);
    if (!h) continue;
    if (start < 0 && h[1]!.length >= 2 && /^patterns?$/i.test(h[2]!.trim())) {
      start = i;
      depth = h[1]!.length;
    } else if (start >= 0 && h[1]!.length <= depth) {
      end = i;
      break;
    }
  }
  if (start < 0) return `${existing.replace(/\s*$/, '')}\n\n## Pattern\n\n${items.join('\n')}\n`;
  let at = end;
  while (at > start + 1 && lines[at - 1]!.trim() === '') at--;
  const before = lines.slice(0, at);
  const after = lines.slice(end);
  return `${head}${[...before, '', ...items, '', ...after].join('\n').replace(/\s*$/, '\n')}`;
}
