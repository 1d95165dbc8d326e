import type { JobRunner } from '../jobs/engine-types.js';
import type { ProposeInput } from './proposals/propose.js';
import type { ProposeResult } from './proposals/types.js';
import { getPersona, type LoadedPersonas } from './personas.js';
import { runPersona, type RunPersonaDeps } from './run-persona.js';

/** What a persona job needs besides the job itself. */
export interface PersonaJobDeps extends Omit<RunPersonaDeps, 'propose'> {
  /** Core and project personas (read per job: files may change between jobs). */
  personas(): Promise<LoadedPersonas>;
  /** Proposes a standard; absent when jobs may not propose (structured PR reviews). */
  propose?: (input: ProposeInput) => Promise<ProposeResult>;
  /** Jobs answer with schema-checked JSON findings (the PR review path). */
  structured?: boolean;
}

/**
 * The job engine's runner for persona jobs: resolves the job's persona, then runs it (the agent loop
 * with a model, a briefing without) with the job's progress, tool-call, partial-result and token
 * reporting. A job's proposals are made in the persona's name and carry the job id.
 */
export function personaJobRunner(deps: PersonaJobDeps): JobRunner {
  const { personas, propose, structured, ...run } = deps;
  return async (job, ctx) => {
    const persona = getPersona(await personas(), job.persona);
    return runPersona(
      {
        ...run,
        ...(propose && !structured ? { propose: (input) => propose({ ...input, proposed_by: job.persona, job_id: job.id }) } : {}),
      },
      {
        persona,
        task: job.task,
        context: job.context,
        signal: ctx.signal,
        progress: (phase, percent, message) => ctx.progress({ phase, percent, message }),
        toolCall: () => ctx.toolCall(),
        partial: (text) => ctx.partial(text),
        usage: (tokens) => ctx.usage(tokens),
        ...(structured ? { structured: true } : {}),
      },
    );
  };
}
