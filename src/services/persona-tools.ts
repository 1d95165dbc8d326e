/**
 * The tools a persona's model may call: their argument schemas (zod, the one source of both the
 * validation and the JSON Schema the model is given), and running one call against the project.
 */
import { z } from 'zod';

import { isAgentOsError, messageOf } from '../domain/errors.js';
import { toolParametersSchema } from '../domain/model-schema.js';
import type { ToolCall, ToolSpec } from '../ports/llm.js';
import type { Logger } from '../ports/logger.js';
import type { ProjectFiles } from '../ports/project-files.js';
import type { ProposeInput } from './proposals/propose.js';
import type { ProposeResult } from './proposals/types.js';
import type { SearchInput, SearchOutput } from './search-standards.js';

export interface PersonaToolDeps {
  search: (input: SearchInput) => Promise<SearchOutput>;
  files: ProjectFiles;
  logger: Logger;
  /** Absent: propose_standard answers that proposing is not available. */
  propose?: (input: Pick<ProposeInput, 'domain' | 'topic' | 'content' | 'rationale' | 'tags' | 'applies_to'>) => Promise<ProposeResult>;
}

/**
 * Models often send `null` for an argument they leave out: it is read as absent. The model is told
 * the plain type (the schema inside), which every OpenAI-compatible server understands.
 */
function args<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess(withoutNulls, z.object(shape).strict());
}

function withoutNulls(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

/** The arguments of each tool. */
export const TOOL_ARGS = {
  search_standards: args({
    query: z.string().min(1).describe('What to look for, in a few words (e.g. "API error handling").'),
    domain: z.string().min(1).optional().describe('Only standards of this domain (e.g. "security"); omit to search all.'),
    limit: z.number().int().min(1).max(10).optional().describe('Results to return (default 5).'),
  }),
  read_file: args({
    path: z.string().min(1).describe('Project-relative path, e.g. "src/app.ts".'),
    max_bytes: z.number().int().min(1).optional().describe('Read at most this many bytes.'),
  }),
  list_files: args({
    directory: z.string().optional().describe('Project-relative directory; "." for the root (default).'),
    glob: z.string().optional(),
    limit: z.number().int().min(1).max(500).optional(),
  }),
  grep: args({
    pattern: z.string().min(1),
    glob: z.string().optional().describe('Only files matching this glob.'),
    ignore_case: z.boolean().optional(),
    limit: z.number().int().min(1).max(200).optional(),
  }),
  git_diff: args({
    base: z.string().optional().describe('Branch, tag or commit, e.g. "main" or "HEAD~1".'),
  }),
  propose_standard: args({
    domain: z.string().min(1).describe('Standards domain, a slug such as "api" or "security".'),
    topic: z.string().min(1).describe('Topic slug, e.g. "error-responses".'),
    content: z.string().min(1).describe('The standard in Markdown, following the template.'),
    rationale: z.string().min(1).describe('Why the project needs it: what you saw, where.'),
    tags: z.array(z.string()).optional(),
    applies_to: z.array(z.string()).optional().describe('Globs of the files it governs, e.g. "src/api/**/*.ts".'),
  }),
} as const;
export type ToolName = keyof typeof TOOL_ARGS;
type ToolArgs<N extends ToolName> = z.output<(typeof TOOL_ARGS)[N]>;

const DESCRIPTIONS: Readonly<Record<ToolName, string>> = {
  search_standards: "Search the project's engineering standards. Call this first, for each topic the task touches. Results cite the standard file as domain/topic.md.",
  read_file: 'Read a text file of the project (path relative to the project root), with line numbers. Large files are truncated.',
  list_files: 'List project files below a directory, optionally filtered by a glob ("*.ts", "src/**/*.sql").',
  grep: 'Find lines matching a regular expression in the project files. RE2 syntax (like JavaScript regular expressions, but without backreferences or lookaround), e.g. "TODO|FIXME" or "function\\s+handle".',
  git_diff: 'The working tree changes (staged and unstaged) against a git ref, default HEAD, as a unified diff.',
  propose_standard:
    'Propose a new project standard (or an update to one) when you find a pattern worth documenting that no standard covers. It becomes a draft on its own git branch; a human approves it by merging. Use the template: # Title, ## Context, ## Pattern, ## Examples, ## Anti-patterns. Never include secrets: use placeholders like $DATABASE_URL.',
};

function spec(name: ToolName): ToolSpec {
  return { name, description: DESCRIPTIONS[name], parameters: toolParametersSchema(TOOL_ARGS[name]) };
}

export const PERSONA_TOOLS: readonly ToolSpec[] = (['search_standards', 'read_file', 'list_files', 'grep', 'git_diff'] as const).map(spec);

/** Offered only when the run can propose (see PersonaToolDeps.propose). */
export const PROPOSE_TOOL: ToolSpec = spec('propose_standard');

/** `name("first argument")` for progress messages. */
export function describeCall(call: ToolCall): string {
  let detail = '';
  try {
    const a = JSON.parse(call.arguments) as Record<string, unknown>;
    const first = a.query ?? a.path ?? a.pattern ?? a.directory ?? a.base;
    if (typeof first === 'string') detail = JSON.stringify(first.length > 60 ? `${first.slice(0, 60)}…` : first);
  } catch {
    // Malformed arguments: the name alone.
  }
  return `${call.name}(${detail})`;
}

/** Runs one tool call; every failure becomes a message for the model, never an exception (except abort). */
export async function runTool(deps: PersonaToolDeps, call: ToolCall, signal: AbortSignal, tools: readonly ToolSpec[], proposed: ProposeResult[]): Promise<string> {
  if (!tools.some((t) => t.name === call.name) || !(call.name in TOOL_ARGS)) {
    return `Error: unknown tool "${call.name}". Available tools: ${tools.map((t) => t.name).join(', ')}.`;
  }
  const name = call.name as ToolName;
  let raw: unknown;
  try {
    raw = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (e) {
    return `Error: the arguments of ${name} are not valid JSON (${messageOf(e)}). Send a JSON object matching the tool's parameters, e.g. ${example(name)}.`;
  }
  const parsed = TOOL_ARGS[name].safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`);
    return `Error: invalid arguments for ${name}: ${issues.join('; ')}. Example: ${example(name)}.`;
  }
  try {
    return await execute(deps, { name, args: parsed.data } as Call, proposed, signal);
  } catch (e) {
    if (signal.aborted) throw e;
    deps.logger.debug('persona tool failed', { tool: name, error: messageOf(e) });
    return `Error: ${isAgentOsError(e) ? e.describe() : messageOf(e)}`;
  }
}

function example(name: ToolName): string {
  switch (name) {
    case 'search_standards':
      return '{"query": "error handling"}';
    case 'read_file':
      return '{"path": "src/app.ts"}';
    case 'list_files':
      return '{"directory": "src", "glob": "*.ts"}';
    case 'grep':
      return '{"pattern": "TODO", "glob": "*.ts"}';
    case 'git_diff':
      return '{"base": "main"}';
    case 'propose_standard':
      return '{"domain": "api", "topic": "error-responses", "content": "# Error responses\\n\\n## Context\\n...", "rationale": "..."}';
  }
}

/** A validated call: the tool's name with its parsed arguments. */
type Call = { [N in ToolName]: { name: N; args: ToolArgs<N> } }[ToolName];

async function execute(deps: PersonaToolDeps, call: Call, proposed: ProposeResult[], signal: AbortSignal): Promise<string> {
  switch (call.name) {
    case 'search_standards': {
      const { query, domain, limit } = call.args;
      const out = await deps.search({ query, limit: limit ?? 5, ...(domain ? { domain } : {}) });
      if (out.results.length === 0) return `No standards matched.${warnings(out)}`;
      return out.results.map((h) => `### ${h.file} — ${h.section || h.title} (score ${h.score})\n${h.content}`).join('\n\n') + warnings(out);
    }
    case 'read_file': {
      const { path, max_bytes: maxBytes } = call.args;
      const f = await deps.files.readFile(path, maxBytes === undefined ? {} : { maxBytes });
      const numbered = f.content
        .split('\n')
        .map((l, i) => `${String(i + 1).padStart(5)}| ${l}`)
        .join('\n');
      return `File ${f.path} (${f.bytes} bytes)${f.note ? `\n${f.note}` : ''}\n${numbered}`;
    }
    case 'list_files': {
      const { directory, glob, limit } = call.args;
      const r = await deps.files.listFiles(directory ?? '.', { limit: limit ?? 200, ...(glob ? { glob } : {}) });
      if (r.files.length === 0) return 'No files matched.';
      return `${r.files.join('\n')}${r.note ? `\n(${r.note})` : ''}`;
    }
    case 'grep': {
      const { pattern, glob, ignore_case: ignoreCase, limit } = call.args;
      // The job's signal: cancelling the job stops a long search too.
      const r = await deps.files.grep(pattern, { limit: limit ?? 50, ignoreCase: ignoreCase === true, signal, ...(glob ? { glob } : {}) });
      if (r.matches.length === 0) return `No matches in ${r.filesSearched} files.`;
      return `${r.matches.map((m) => `${m.path}:${m.line}: ${m.text}`).join('\n')}${r.note ? `\n(${r.note})` : ''}`;
    }
    case 'git_diff': {
      const r = await deps.files.gitDiff(call.args.base ?? 'HEAD');
      const untracked = r.untracked.length ? `\nUntracked files (not in the diff; use read_file): ${r.untracked.slice(0, 50).join(', ')}` : '';
      return `${r.diff.trim() ? r.diff : `No changes against ${r.base}.`}${r.note ? `\n(${r.note})` : ''}${untracked}`;
    }
    case 'propose_standard': {
      if (!deps.propose) return 'Error: proposing standards is not available in this run.';
      const { domain, topic, content, rationale, tags, applies_to } = call.args;
      const r = await deps.propose({ domain, topic, content, rationale, tags: tags ?? null, applies_to: applies_to ?? null });
      proposed.push(r);
      return [
        `Proposed ${r.proposal_id}: ${r.file} on branch ${r.branch} (status ${r.status}).`,
        ...(r.pr_url ? [`Draft pull request: ${r.pr_url}`] : []),
        ...r.warnings.map((w) => `Warning: ${w}`),
        'Name this proposal id in your answer; a human approves it by merging.',
      ].join('\n');
    }
  }
}

function warnings(out: SearchOutput): string {
  return out.warnings.length ? `\n\nWarnings: ${out.warnings.join(' ')}` : '';
}
