import { z } from 'zod';
import { AgentOsError } from './errors.js';
import { readFrontMatter } from './front-matter.js';
import type { PersonaConfig } from './job.js';
import { sliceLines, topHeadings } from './markdown-sections.js';

/** Spec Component 2: every persona's system prompt is at most this many tokens. */
export const PERSONA_PROMPT_MAX_TOKENS = 1500;

/** The six personas the package ships, in the order they are listed. */
export const CORE_PERSONA_IDS = ['architect', 'engineer', 'data', 'qa', 'security', 'sre'] as const;

/** Lowercase letters and digits, words joined by single `-` or `_`; at most 64 characters. */
const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const SLUG_RULE = 'a slug: lowercase letters and digits, words joined by "-" or "_", at most 64 characters';
/**
 * Ids a persona may not take because their tool name belongs to another tool: `persona` would make
 * `invoke_persona`, the generic tool that invokes any persona by id.
 */
export const RESERVED_PERSONA_IDS: ReadonlySet<string> = new Set(['persona']);
/** MCP tool names we emit: letters, digits, underscores. */
const TOOL_NAME = /^[A-Za-z0-9_]+$/;

/** The MCP tool name that goes with a persona id: `invoke_<id>`, `-` written as `_`. */
export function toolNameFor(identifier: string): string {
  return `invoke_${identifier.replace(/-/g, '_')}`;
}

/** A persona file that does not parse; `field` names the offending front matter field (or `front matter`, `system_prompt`). */
export class PersonaFileError extends AgentOsError {
  readonly file: string;
  readonly field: string;

  constructor(file: string, field: string, message: string, cause?: unknown) {
    super('CONFIG', `${file}: ${message}`, {
      cause,
      hint: 'A persona file is Markdown with YAML front matter: name, identifier (= file name), standard_directory, mcp_tool_name (invoke_<identifier>), priority (core | specialist); the body is the system prompt.',
    });
    this.name = 'PersonaFileError';
    this.file = file;
    this.field = field;
  }
}

/** `db` for `.agent-os/personas/db.md`. */
function baseName(file: string): string {
  const last = file.split(/[\\/]/).pop() ?? file;
  return last.replace(/\.md$/i, '');
}

const FIELDS = ['name', 'identifier', 'standard_directory', 'mcp_tool_name', 'priority'] as const;

function frontMatterSchema(expectedId: string) {
  const required = () => ({ required_error: 'is required', invalid_type_error: 'must be a string' });
  return z.object({
    name: z.string(required()).trim().min(1, 'must not be empty'),
    identifier: z
      .string(required())
      .max(64, `must be ${SLUG_RULE}`)
      .regex(SLUG, `must be ${SLUG_RULE}`)
      .refine((id) => id === expectedId, (id) => ({ message: `must equal the file name "${expectedId}" (got "${id}")` }))
      .refine((id) => !RESERVED_PERSONA_IDS.has(id.replace(/-/g, '_')), (id) => ({ message: `"${id}" is reserved: its tool ${toolNameFor(id)} is the generic persona tool; rename the file and the identifier` })),
    standard_directory: z.string(required()).max(64, `must be ${SLUG_RULE}`).regex(SLUG, `must be ${SLUG_RULE}`),
    mcp_tool_name: z.string(required()).regex(TOOL_NAME, 'must contain only letters, digits and underscores'),
    priority: z.enum(['core', 'specialist'], {
      errorMap: (_issue, ctx) => ({ message: ctx.data === undefined ? 'is required' : 'must be "core" or "specialist"' }),
    }),
  });
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  return JSON.stringify(v) ?? String(v);
}

/**
 * Parse and validate one persona file (Markdown, YAML front matter with the PersonaConfig fields, body = system prompt).
 * `file` is the path shown in messages (e.g. `.agent-os/personas/db.md`); its base name must equal `identifier`.
 * Throws PersonaFileError (code CONFIG) naming the file and the field.
 */
export function parsePersona(file: string, text: string): PersonaConfig {
  const expectedId = baseName(file);
  const { data, body, present, problem } = readFrontMatter(text);
  if (!present) {
    throw new PersonaFileError(file, 'front matter', `no front matter: the file must start with a "---" YAML block holding ${FIELDS.join(', ')}.`);
  }
  if (problem) throw new PersonaFileError(file, 'front matter', `${problem}.`);

  const result = frontMatterSchema(expectedId).safeParse(data);
  if (!result.success) {
    const issues = result.error.issues;
    const first = issues[0];
    const field = String(first?.path[0] ?? 'front matter');
    const parts = issues.map((i) => {
      const f = String(i.path[0] ?? 'front matter');
      const got = f in data && i.code !== 'custom' ? ` (got ${describeValue(data[f])})` : '';
      return `front matter field "${f}" ${i.message}${got}`;
    });
    throw new PersonaFileError(file, field, `${parts.join('; ')}.`);
  }
  const fm = result.data;
  const expectedTool = toolNameFor(fm.identifier);
  if (fm.mcp_tool_name !== expectedTool) {
    throw new PersonaFileError(file, 'mcp_tool_name', `front matter field "mcp_tool_name" must be "${expectedTool}" (invoke_<identifier>), got "${fm.mcp_tool_name}".`);
  }
  const systemPrompt = body.trim();
  if (!systemPrompt) {
    throw new PersonaFileError(file, 'system_prompt', 'the system prompt (the Markdown after the front matter) is empty.');
  }
  return {
    name: fm.name,
    identifier: fm.identifier,
    system_prompt: systemPrompt,
    standard_directory: fm.standard_directory,
    mcp_tool_name: fm.mcp_tool_name,
    priority: fm.priority,
  };
}

/** Tokens in a prompt, counted with gpt-tokenizer's default encoding (o200k_base). */
export async function promptTokens(text: string): Promise<number> {
  // Byte-level BPE: a token is at least one UTF-8 byte, so a text of at most `limit` bytes needs no count.
  // The tokenizer's tables take ~0.6 s to load; only a long prompt pays for them.
  const { countTokens } = await import('gpt-tokenizer');
  return countTokens(text);
}

/** Whether a prompt is within `max` tokens; loads the tokenizer only when the byte length cannot tell. */
export async function promptWithinTokens(text: string, max: number): Promise<{ ok: boolean; tokens: number | null }> {
  if (new TextEncoder().encode(text).length <= max) return { ok: true, tokens: null };
  const tokens = await promptTokens(text);
  return { ok: tokens <= max, tokens };
}

/**
 * The body of a persona's checklist section (the first root-level heading of depth 2 or more
 * containing "checklist"), up to the next heading of the same or a higher level; null when the
 * prompt has none. Headings are read by the Markdown parser, so a `#` line in a code block is code.
 */
export function personaChecklist(systemPrompt: string): string | null {
  const text = systemPrompt.replace(/\r\n?/g, '\n');
  const headings = topHeadings(text);
  const at = headings.findIndex((h) => h.depth >= 2 && /checklist/i.test(h.text));
  if (at < 0) return null;
  const start = headings[at]!;
  const next = headings.slice(at + 1).find((h) => h.depth <= start.depth);
  const lines = text.split('\n');
  return sliceLines(lines, start.endLine + 1, (next?.startLine ?? lines.length + 1) - 1).trim() || null;
}
