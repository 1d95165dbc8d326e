import { parse as parseYaml } from 'yaml';

/**
 * Front matter is data: a YAML mapping between `---` fences at the top of a Markdown file, read with
 * the `yaml` package's YAML 1.2 core schema (no custom tags, no code). Any other front matter
 * language (`---js`, `---coffee`, `---toml`…) is reported as a problem and its block is dropped
 * unread. This is the only reader of front matter in the code base: standards, proposals, persona
 * files and metadata all come through here, because their text comes from contributors and models.
 */
export interface FrontMatter {
  /** The mapping; empty when there is none or it could not be read. */
  data: Record<string, unknown>;
  /** The Markdown after the front matter (the whole text when there is none or it never closes). */
  body: string;
  /** True when the text opens with a front matter fence. */
  present: boolean;
  /** Why the front matter was not used, or null when it was read (or absent). */
  problem: string | null;
}

/** `---` optionally followed by a language name on the opening line. */
const OPEN = /^---[ \t]*([A-Za-z][\w-]*)?[ \t]*\r?\n/;
const YAML_NAMES = new Set(['yaml', 'yml']);

/** Splits and parses front matter without throwing; problems come back in `problem`. */
export function readFrontMatter(text: string): FrontMatter {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const open = OPEN.exec(src);
  if (!open) return { data: {}, body: src, present: false, problem: null };
  const rest = src.slice(open[0].length);
  // The closing fence may be the very first line (an empty block).
  const close = /(?:^|\r?\n)---[ \t]*(?:\r?\n|$)/.exec(rest);
  if (!close) {
    return { data: {}, body: src, present: true, problem: 'the front matter opened with "---" is never closed by a "---" line' };
  }
  const block = rest.slice(0, close.index);
  const body = rest.slice(close.index + close[0].length);
  const language = open[1]?.toLowerCase();
  if (language && !YAML_NAMES.has(language)) {
    return { data: {}, body, present: true, problem: `front matter in "${open[1]}" is not supported (only YAML is read; it is never run)` };
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(block, { schema: 'core', uniqueKeys: true, maxAliasCount: 50, prettyErrors: false });
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return { data: {}, body, present: true, problem: `front matter is not valid YAML (${first})` };
  }
  if (parsed === null || parsed === undefined) return { data: {}, body, present: true, problem: null };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { data: {}, body, present: true, problem: 'front matter must be a YAML mapping of fields' };
  }
  // A fresh object: keys such as `__proto__` stay plain data.
  const data: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) data[k] = v;
  return { data: { ...data }, body, present: true, problem: null };
}

/** The body without its front matter (whatever its language), for template checks and titles. */
export function stripFrontMatter(text: string): string {
  return readFrontMatter(text).body;
}
