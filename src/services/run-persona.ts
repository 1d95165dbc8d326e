/**
 * A persona's run on a task: the standards for the task and the change are chosen, then either a
 * briefing is written (no model) or the agent loop runs with the model, seeded with them.
 */
import type { JobPhase, PersonaConfig } from '../domain/job.js';
import type { Review } from '../domain/review-schema.js';
import type { Llm } from '../ports/llm.js';
import type { Logger } from '../ports/logger.js';
import type { ProjectFiles } from '../ports/project-files.js';
import { runAgentLoop, type AgentLimits, type Reporter } from './agent-loop.js';
import { briefingFor, DEFAULT_BRIEFING, seedFor, selectForPersona, type BriefingSettings } from './persona-briefing.js';
import type { PersonaToolDeps } from './persona-tools.js';
import type { ProposeResult } from './proposals/types.js';
import type { SearchInput, SearchOutput } from './search-standards.js';

export type RunPersonaLimits = AgentLimits;

export interface RunPersonaDeps {
  /** null: briefing mode, no model call. */
  llm: Llm | null;
  search: (input: SearchInput) => Promise<SearchOutput>;
  files: ProjectFiles;
  logger: Logger;
  limits: RunPersonaLimits;
  /** Size of a briefing and of the standards that seed a model's first request (default 8,000 characters, 6 standards). */
  briefing?: BriefingSettings;
  /**
   * Proposes a standard on the persona's behalf (the job fills in proposer and job id). Absent: the
   * persona cannot propose. Never offered for structured (PR review) runs.
   */
  propose?: PersonaToolDeps['propose'];
}

export interface RunPersonaInput {
  persona: PersonaConfig;
  task: string;
  context?: string | null;
  signal: AbortSignal;
  /** Percent only rises within a run. */
  progress(phase: JobPhase, percent: number, message: string): void;
  /** Called once per tool call the model makes. */
  toolCall(): void;
  /** The latest assistant text, kept as the job's partial result. */
  partial(text: string): void;
  /** Running token totals after each model response (so a failed run still reports them). */
  usage?(tokens: { input: number; output: number }): void;
  /**
   * Ask for the findings as JSON matching the review schema (the PR review path). The result is
   * then that JSON, validated; a model that cannot produce it fails the run with the reason.
   */
  structured?: boolean;
}

export interface RunPersonaResult {
  result: string;
  tokens_input: number | null;
  tokens_output: number | null;
  /** The validated findings, when structured output was requested. */
  review?: Review;
  /** Standards the persona proposed during the run. */
  proposals?: ProposeResult[];
}

/** Runs a persona on a task: the tool-calling agent loop with a model, or a briefing without one. */
export async function runPersona(deps: RunPersonaDeps, input: RunPersonaInput): Promise<RunPersonaResult> {
  input.signal.throwIfAborted();
  const reporter = progressReporter(input);
  reporter('initializing', 2, `Starting ${input.persona.name}`);
  // The same selection briefs the assistant (no model) or seeds the model's first request.
  const settings = deps.briefing ?? DEFAULT_BRIEFING;
  reporter('searching', 10, 'Choosing the standards for the task and the change');
  // Briefing searches are the job's tool calls; a model's count is its own calls only.
  const selection = await selectForPersona(deps.search, settings, {
    persona: input.persona,
    task: input.task,
    context: input.context ?? null,
    signal: input.signal,
    ...(deps.llm ? {} : { onSearch: () => input.toolCall() }),
  });
  if (!deps.llm) {
    reporter('generating', 80, 'Writing the briefing');
    const result = briefingFor(input.persona, input.task, selection, settings);
    input.partial(result);
    reporter('generating', 99, 'Briefing ready');
    return { result, tokens_input: null, tokens_output: null };
  }
  const { llm, limits, search, files, logger, propose } = deps;
  return runAgentLoop(
    { llm, limits, search, files, logger, ...(propose ? { propose } : {}) },
    {
      persona: input.persona,
      task: input.task,
      context: input.context ?? null,
      seed: seedFor(selection, settings),
      signal: input.signal,
      report: reporter,
      toolCall: () => input.toolCall(),
      partial: (text) => input.partial(text),
      usage: (tokens) => input.usage?.(tokens),
      structured: input.structured === true,
    },
  );
}

function progressReporter(input: RunPersonaInput): Reporter {
  let last = 0;
  return (phase, percent, message) => {
    last = Math.max(last, Math.min(99, Math.round(percent)));
    input.progress(phase, last, message);
  };
}
