import { AgentOsError, messageOf } from '../domain/errors.js';
import type { PersonaConfig } from '../domain/job.js';
import {
  CORE_PERSONA_IDS,
  PERSONA_PROMPT_MAX_TOKENS,
  PersonaFileError,
  parsePersona,
  personaChecklist,
  promptWithinTokens,
} from '../domain/persona.js';
import type { PersonaOrigin, PersonaSource } from '../ports/persona-source.js';

/** A loaded persona: the spec's PersonaConfig plus where it came from. */
export interface LoadedPersona extends PersonaConfig {
  origin: PersonaOrigin;
  /** The file it was read from, e.g. `.agent-os/personas/db.md`. */
  file: string;
  /** Set when a project file replaced the core persona of the same id. */
  overrides?: string;
}

/** A persona file that was skipped, with the reason. */
export interface PersonaLoadError {
  file: string;
  /** The front matter field at fault, `front matter`, `system_prompt`, or `file` for unreadable files. */
  field: string;
  message: string;
}

export interface LoadedPersonas {
  personas: LoadedPersona[];
  errors: PersonaLoadError[];
}

export interface PersonaDeps {
  source: PersonaSource;
  /** Prompts above this many tokens are rejected; defaults to the spec's 1,500. */
  maxPromptTokens?: number;
}

const CORE_RANK = new Map<string, number>(CORE_PERSONA_IDS.map((id, i) => [id, i]));

/**
 * Core personas plus the project's specialists. A project file with a core persona's id replaces it.
 * Invalid files do not throw: they are reported in `errors` (file, field, message) and skipped.
 * Order: the six core ids in spec order, then the other personas by id.
 */
export async function loadPersonas(deps: PersonaDeps): Promise<LoadedPersonas> {
  const max = deps.maxPromptTokens ?? PERSONA_PROMPT_MAX_TOKENS;
  const files = await deps.source.list();
  const errors: PersonaLoadError[] = [];
  const byId = new Map<string, LoadedPersona>();
  // Core first, so project files override whatever the package ships.
  const ordered = [...files.filter((f) => f.origin === 'core'), ...files.filter((f) => f.origin === 'project')];
  for (const f of ordered) {
    if (f.readError !== undefined) {
      errors.push({ file: f.file, field: 'file', message: `${f.file}: cannot read persona file: ${f.readError}` });
      continue;
    }
    let persona: PersonaConfig;
    try {
      persona = parsePersona(f.file, f.text);
    } catch (e) {
      if (e instanceof PersonaFileError) errors.push({ file: f.file, field: e.field, message: e.message });
      else errors.push({ file: f.file, field: 'file', message: `${f.file}: ${messageOf(e)}` });
      continue;
    }
    // Shipped personas are held to the limit by the test suite; only project files are counted here.
    const check = f.origin === 'core' ? { ok: true, tokens: null } : await promptWithinTokens(persona.system_prompt, max);
    const tokens = check.tokens;
    if (!check.ok) {
      errors.push({
        file: f.file,
        field: 'system_prompt',
        message: `${f.file}: the system prompt is ${tokens} tokens; personas are limited to ${max}. Shorten it.`,
      });
      continue;
    }
    const previous = byId.get(persona.identifier);
    if (previous && previous.origin === f.origin) {
      errors.push({ file: f.file, field: 'identifier', message: `${f.file}: identifier "${persona.identifier}" is already defined by ${previous.file}.` });
      continue;
    }
    const clash = [...byId.values()].find((p) => p.mcp_tool_name === persona.mcp_tool_name && p.identifier !== persona.identifier);
    if (clash) {
      errors.push({
        file: f.file,
        field: 'mcp_tool_name',
        message: `${f.file}: front matter field "mcp_tool_name" "${persona.mcp_tool_name}" is already used by ${clash.file}; rename one of them.`,
      });
      continue;
    }
    const loaded: LoadedPersona = { ...persona, origin: f.origin, file: f.file };
    if (previous) loaded.overrides = previous.file;
    byId.set(persona.identifier, loaded);
  }
  const personas = [...byId.values()].sort((a, b) => {
    const ra = CORE_RANK.get(a.identifier) ?? Number.MAX_SAFE_INTEGER;
    const rb = CORE_RANK.get(b.identifier) ?? Number.MAX_SAFE_INTEGER;
    return ra !== rb ? ra - rb : a.identifier.localeCompare(b.identifier);
  });
  return { personas, errors };
}

/**
 * The persona with this id (a leading `@` is ignored, as in `@security`).
 * Throws NOT_FOUND listing the known ids, and the load error if that persona's file was invalid.
 */
export function getPersona<P extends PersonaConfig>(loaded: { personas: readonly P[]; errors?: readonly PersonaLoadError[] }, id: string): P {
  const wanted = id.trim().replace(/^@/, '');
  const found = loaded.personas.find((p) => p.identifier === wanted);
  if (found) return found;
  const known = loaded.personas.map((p) => p.identifier);
  const broken = (loaded.errors ?? []).filter((e) => fileId(e.file) === wanted);
  const hint = broken.length
    ? `Its file is invalid: ${broken.map((e) => e.message).join(' ')}`
    : `Add .agent-os/personas/${/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(wanted) ? wanted : '<id>'}.md to define a project persona.`;
  throw new AgentOsError('NOT_FOUND', `Unknown persona "${wanted}". Known personas: ${known.length ? known.join(', ') : '(none)'}.`, { hint });
}

function fileId(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.md$/i, '');
}

/**
 * The text of the persona's MCP prompt (its slash command, e.g. `/security`): asks the assistant to run the
 * persona's review on the task, through the persona tool when the client has it, else by itself following
 * the persona's checklist (or the whole system prompt when the persona has no checklist section).
 */
export function personaPrompt(persona: PersonaConfig, task: string, context?: string): string {
  const id = persona.identifier;
  const taskText = task.trim() || 'Review the changes currently being worked on.';
  const checklist = personaChecklist(persona.system_prompt);
  const lines: string[] = [
    `Run a ${persona.name} review (persona \`${id}\`) on this task.`,
    '',
    `Task: ${taskText}`,
  ];
  const ctx = context?.trim();
  if (ctx) lines.push('', 'Context:', ctx);
  lines.push(
    '',
    '## How to run it',
    `- If the \`${persona.mcp_tool_name}\` tool (or \`invoke_persona\` with persona "${id}") is available, call it with the task and context above, ` +
      'poll `check_persona_job` with the returned job id every few seconds until the job completes, and show its result.',
    `- Otherwise, do the review yourself as the ${persona.name}:`,
    `  1. Call \`search_standards\` for the topics of the task (the \`${persona.standard_directory}\` domain first) and follow the project's standards over general advice.`,
    checklist ? '  2. Work through this checklist:' : '  2. Act on these instructions:',
    '',
    checklist ?? persona.system_prompt,
    '',
    '  3. Answer with `## Summary`, `## Findings` (each with severity critical/high/medium/low, location `file:line`, and the standard it relies on cited as `domain/topic.md`, or `general practice`) and `## Recommendations`.',
    '  4. Never repeat a secret value: report a hardcoded secret as a critical finding by location only, and use placeholders such as `$DATABASE_URL` in anything you write.',
  );
  return lines.join('\n');
}
