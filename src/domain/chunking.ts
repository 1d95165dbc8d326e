import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Heading, Nodes, RootContent } from 'mdast';
import { readFrontMatter } from './front-matter.js';
import { sha256 } from './hashing.js';
import type { Chunk, StandardDoc, StandardFrontMatter } from './standard.js';
import { domainAndTopic } from './standard-path.js';

export { domainAndTopic };

export interface ChunkOptions {
  /** Soft bound: blocks are packed into a chunk up to this many characters. */
  chunkChars: number;
  /** A single block (e.g. a code fence) is kept whole up to this size, then split by lines. */
  hardMaxChars: number;
}

export const defaultChunkOptions: ChunkOptions = { chunkChars: 1000, hardMaxChars: 4000 };

export interface ParsedStandard {
  doc: StandardDoc;
  warnings: string[];
}

function toStringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map((v) => String(v).trim()).filter(Boolean);
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  return [String(value)];
}

function humanize(topic: string): string {
  const last = topic.split('/').pop() ?? topic;
  return last.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}

/** The first root-level heading of depth 1 in `text` as written (inline Markdown kept, closing hashes dropped), or null. */
function h1In(text: string): string | null {
  for (const node of fromMarkdown(text).children) {
    if (node.type !== 'heading' || node.depth !== 1) continue;
    const from = node.children[0]?.position?.start.offset;
    const to = node.children.at(-1)?.position?.end.offset;
    if (from === undefined || to === undefined) continue;
    // A setext heading may span lines; a title is one line.
    const title = text.slice(from, to).replace(/[ \t]*\r?\n[ \t]*/g, ' ').trim();
    if (title) return title;
  }
  return null;
}

/** The title a standard's body gives itself: its first level-1 heading (ATX or setext), or null. */
function firstH1(body: string): string | null {
  // A level-1 heading needs a line opening with `#` or made of `=`. Most standards open with their
  // title, so the text up to the first such line is parsed first, and the whole body only when that
  // line was no heading (a shell comment in a code block, say).
  const candidate = /^ {0,3}(?:#(?:[ \t]|$)|=+[ \t]*$)/m.exec(body);
  if (!candidate) return null;
  const end = body.indexOf('\n', candidate.index);
  if (end < 0) return h1In(body);
  return h1In(body.slice(0, end)) ?? h1In(body);
}

/**
 * Parse a standard's text: front matter (YAML only; anything else is dropped with a warning), title, body.
 * Never throws on content; problems come back as warnings.
 */
export function parseStandard(file: string, raw: string, hash: string): ParsedStandard {
  const warnings: string[] = [];
  const dt = domainAndTopic(file);
  if (!dt) throw new Error(`not a standard path: ${file}`);
  const { data, body, problem } = readFrontMatter(raw);
  if (problem) warnings.push(`${file}: ${problem}; indexed without it`);
  const frontMatter: StandardFrontMatter = {
    ...data,
    tags: toStringList(data['tags']),
    applies_to: toStringList(data['applies_to']),
  };
  for (const key of ['created_by', 'approved_by', 'created_at', 'title'] as const) {
    const v = data[key];
    if (v instanceof Date) frontMatter[key] = v.toISOString();
    else if (v !== undefined && v !== null) frontMatter[key] = String(v);
  }
  const title = (frontMatter.title ?? firstH1(body) ?? humanize(dt.topic)).trim();
  return { doc: { file, domain: dt.domain, topic: dt.topic, title, frontMatter, body, hash }, warnings };
}

interface Block {
  text: string;
  /** Heading path in force for this block. */
  path: string[];
  /** Depth of the heading that starts here, if this block is a heading. */
  headingDepth?: number;
  code: boolean;
}

function splitLong(text: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  const pieces = text.split(/(?<=\n)|(?<=[.!?]\s)/);
  for (const piece of pieces) {
    if (current.length + piece.length > max && current) {
      out.push(current);
      current = '';
    }
    if (piece.length > max) {
      for (let i = 0; i < piece.length; i += max) out.push(piece.slice(i, i + max));
      continue;
    }
    current += piece;
  }
  if (current.trim()) out.push(current);
  return out;
}

function blocksOf(body: string, opts: ChunkOptions): Block[] {
  const tree = fromMarkdown(body);
  const stack: Array<{ depth: number; text: string }> = [];
  const blocks: Block[] = [];
  const children = tree.children as RootContent[];
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    const source = body.slice(start, end);
    if (node.type === 'heading') {
      const h = node as Heading;
      while (stack.length && stack[stack.length - 1]!.depth >= h.depth) stack.pop();
      stack.push({ depth: h.depth, text: plainText(h).trim() });
      blocks.push({ text: source, path: stack.map((s) => s.text), headingDepth: h.depth, code: false });
      continue;
    }
    if (node.type === 'html' && /^<!--[\s\S]*-->$/.test(source.trim())) continue;
    const path = stack.map((s) => s.text);
    const code = node.type === 'code';
    const limit = code ? opts.hardMaxChars : opts.chunkChars;
    if (source.length <= limit) blocks.push({ text: source, path, code });
    else for (const part of splitLong(source, opts.chunkChars)) blocks.push({ text: part, path, code });
  }
  return blocks;
}

/**
 * Split a standard into chunks along its heading structure. Blocks are packed up to
 * `chunkChars`; a chunk never crosses a level-1 or level-2 heading; code blocks stay whole.
 */
export function chunkStandard(doc: StandardDoc, opts: ChunkOptions = defaultChunkOptions): Chunk[] {
  const blocks = blocksOf(doc.body, opts);
  const groups: Block[][] = [];
  let current: Block[] = [];
  let size = 0;
  for (const block of blocks) {
    const boundary = block.headingDepth !== undefined && block.headingDepth <= 2;
    const wouldOverflow = size > 0 && size + block.text.length + 2 > opts.chunkChars;
    const onlyHeadings = current.every((b) => b.headingDepth !== undefined);
    if (current.length && (boundary || (wouldOverflow && !onlyHeadings))) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(block);
    size += block.text.length + 2;
  }
  if (current.length) groups.push(current);

  const chunks: Chunk[] = [];
  for (const group of groups) {
    const content = group.map((b) => b.text).join('\n\n').trim();
    // A chunk that is nothing but headings says nothing; its headings live on in the next chunk's path.
    if (!content || group.every((b) => b.headingDepth !== undefined)) continue;
    // The headings in force over the chunk's first content block, however many precede it.
    const firstContent = group.find((b) => b.headingDepth === undefined) ?? group[0]!;
    const section = firstContent.path.join(' > ');
    const header = section && !section.startsWith(doc.title) ? `${doc.title} > ${section}` : section || doc.title;
    const tags = doc.frontMatter.tags;
    const text = [header, tags.length ? `Tags: ${tags.join(', ')}` : '', content].filter(Boolean).join('\n');
    const textHash = sha256(text);
    const ordinal = chunks.length;
    chunks.push({
      id: sha256(`${doc.file}\0${ordinal}\0${textHash}`).slice(0, 32),
      file: doc.file,
      domain: doc.domain,
      topic: doc.topic,
      title: doc.title,
      section,
      content,
      text,
      ordinal,
      fileHash: doc.hash,
      textHash,
      tags,
      appliesTo: doc.frontMatter.applies_to,
    });
  }
  if (chunks.length === 0 && doc.body.trim()) {
    // Only headings, or content the parser dropped: index the raw body so the file is still findable.
    const content = doc.body.trim().slice(0, opts.hardMaxChars);
    const text = `${doc.title}\n${content}`;
    const textHash = sha256(text);
    chunks.push({
      id: sha256(`${doc.file}\0${0}\0${textHash}`).slice(0, 32),
      file: doc.file, domain: doc.domain, topic: doc.topic, title: doc.title, section: '',
      content, text, ordinal: 0, fileHash: doc.hash, textHash,
      tags: doc.frontMatter.tags, appliesTo: doc.frontMatter.applies_to,
    });
  }
  return chunks;
}
