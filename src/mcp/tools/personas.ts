import type { CreateTaskResult, TaskRequestHandlerExtra } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestTaskStore } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, GetPromptResult, GetTaskResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { AgentOsError, isAgentOsError, messageOf } from '../../domain/errors.js';
import { JOB_PRIORITIES, JOB_STATUSES, type JobPriority, type PersonaConfig } from '../../domain/job.js';
import { jobListView } from '../../jobs/views.js';
import type { Logger } from '../../ports/logger.js';
import { getPersona, personaPrompt } from '../../services/personas.js';
import { jobResult, startedResult, type JobTaskDeps } from '../job-tasks.js';
import type { PlainCall } from '../tool-calls.js';
import { guarded, toolResult as ok } from '../results.js';

/** What the persona tools need: the personas known at start-up and the job engine (see JobTaskDeps). */
export type PersonaToolDeps = JobTaskDeps;

const priorityArg = z.enum(JOB_PRIORITIES as [JobPriority, ...JobPriority[]]).default('normal').describe('Queue priority: "low" | "normal" | "high".');
const invokeShape = {
  task: z.string().min(1).max(20_000).describe('What to review or design, e.g. "review the API design of src/api/orders.ts".'),
  context: z.string().max(200_000).optional().describe('Optional context: a unified diff (the standards are then chosen per changed file, from its path and added lines), code, file paths, or a description.'),
  priority: priorityArg,
};
/**
 * invoke_* answers a plain call with the spec's "started" object and a task-augmented call, through
 * tasks/result, with the finished job (check_persona_job's complete/failed/cancelled view): one
 * schema for both, so clients that validate structured content accept either.
 */
const invokeOutputSchema = z
  .object({
    status: z.enum(['started', 'complete', 'failed', 'cancelled']).describe('started: the job is queued (plain call); complete | failed | cancelled: the finished job (task result).'),
    job_id: z.string(),
    persona: z.string(),
    estimated_duration_seconds: z.number().optional(),
    poll_command: z.string().optional(),
    message: z.string().optional(),
    result: z.string().optional(),
    error: z.string().optional(),
    partial_result: z.string().nullable().optional(),
    duration_seconds: z.number().nullable().optional(),
    elapsed_seconds: z.number().nullable().optional(),
    tool_calls_made: z.number().optional(),
    tokens_used: z.object({ input: z.number().nullable(), output: z.number().nullable() }).optional(),
  })
  .passthrough();
/** Job views differ by status; the schema names the common fields and lets the rest through. */
const jobSchema = z.object({ status: z.string(), persona: z.string(), job_id: z.string() }).passthrough();

type InvokeArgs = { task: string; context?: string | undefined; priority: JobPriority };

/** AgentOsErrors keep their hint; the SDK turns a thrown error into a tool error with this text. */
function toolFailure(e: unknown, logger: Logger, tool: string): Error {
  if (isAgentOsError(e)) {
    logger.debug(`${tool} failed`, { code: e.code, error: e.message });
    return new Error(e.describe());
  }
  logger.error(`${tool} failed unexpectedly`, { error: messageOf(e) });
  return new Error(`Internal error in ${tool}: ${messageOf(e)}`);
}

/**
 * Creates the task of an invoke tool. The job is submitted by the task store (src/mcp/job-tasks.ts),
 * so the task id is the job id; the store also sets the task's pollInterval and ttl.
 */
async function createInvokeTask(deps: PersonaToolDeps, tool: string, resolve: () => { persona: PersonaConfig } & InvokeArgs, store: RequestTaskStore): Promise<CreateTaskResult> {
  try {
    const { persona, task, context: ctx, priority } = resolve();
    return { task: await store.createTask({ context: { persona: persona.identifier, task, context: ctx ?? null, priority } }) };
  } catch (e) {
    throw toolFailure(e, deps.logger, tool);
  }
}

/** The SDK (1.x) answers tasks/get and tasks/result from the TaskStore itself; these answer the same. */
const fromStore = {
  getTask: async (_args: unknown, extra: TaskRequestHandlerExtra): Promise<GetTaskResult> => extra.taskStore.getTask(extra.taskId),
  getTaskResult: async (_args: unknown, extra: TaskRequestHandlerExtra): Promise<CallToolResult> => (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
};

const INVOKE_DESCRIPTIONS: Record<string, string> = {
  architect: 'system design, architecture, performance and concurrency design, API design',
  engineer: 'code design and implementation, performance, thread-safety, code quality, refactoring',
  data: 'data pipelines, streaming/ETL, data modelling, data quality',
  qa: 'testing strategy, coverage, edge cases, test quality',
  security: 'vulnerabilities, threat modelling, OWASP compliance, secure coding',
  sre: 'production readiness, SLO/SLI design, observability, deployment',
};

/**
 * The spec's persona tools: `invoke_<persona>` for each persona, the generic `invoke_persona`,
 * and the job tools (check, list, cancel, stats, reset). Invocations return at once; the work runs
 * in the job engine. The server must have been built with a JobTaskStore (createMcpServer does):
 * the invoke tools are MCP task tools.
 */
export function registerPersonaTools(server: McpServer, deps: PersonaToolDeps): Map<string, PlainCall> {
  const now = deps.now ?? (() => Date.now() / 1000);
  // A plain call answers at once with the "started" object; a task-augmented one creates the task.
  const plainCalls = new Map<string, PlainCall>();
  const startPlain = (tool: string, resolve: (args: Record<string, unknown>) => { persona: PersonaConfig } & InvokeArgs): PlainCall => async (args) => {
    try {
      const { persona, task, context: ctx, priority } = resolve(args);
      const job = deps.jobs.submit({ persona: persona.identifier, task, context: ctx ?? null, priority });
      return startedResult(job, deps.jobs.estimateSeconds(job.persona), persona.name);
    } catch (e) {
      throw toolFailure(e, deps.logger, tool);
    }
  };
  for (const persona of deps.personas) {
    plainCalls.set(persona.mcp_tool_name, startPlain(persona.mcp_tool_name, (args) => ({ persona, ...(args as InvokeArgs) })));
    const scope = INVOKE_DESCRIPTIONS[persona.identifier] ?? `the ${persona.name} specialist's domain`;
    server.experimental.tasks.registerToolTask(
      persona.mcp_tool_name,
      {
        title: `Invoke ${persona.name}`,
        description: `Start a ${persona.name} review as a background job (${scope}). Returns a job id at once; poll check_persona_job for progress and the result. Clients that support MCP tasks may call it as a task instead (the task id is the job id).`,
        inputSchema: invokeShape,
        outputSchema: invokeOutputSchema,
        annotations: { title: `Invoke ${persona.name}`, readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
        execution: { taskSupport: 'optional' },
      },
      {
        createTask: (args, extra) => createInvokeTask(deps, persona.mcp_tool_name, () => ({ persona, ...args }), extra.taskStore),
        ...fromStore,
      },
    );
  }

  plainCalls.set('invoke_persona', startPlain('invoke_persona', (args) => ({ ...(args as InvokeArgs), persona: getPersona({ personas: deps.personas }, String(args['persona'])) })));
  const invokePersonaShape = { persona: z.string().min(1).describe('Persona id, e.g. "security" or a specialist such as "database".'), ...invokeShape };
  server.experimental.tasks.registerToolTask(
    'invoke_persona',
    {
      title: 'Invoke a persona',
      description: `Start any persona, including the project's own specialists from .agent-os/personas/, as a background job. Known personas: ${deps.personas.map((p) => p.identifier).join(', ')}.`,
      inputSchema: invokePersonaShape,
      outputSchema: invokeOutputSchema,
      annotations: { title: 'Invoke a persona', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      execution: { taskSupport: 'optional' },
    },
    {
      createTask: (args, extra) => createInvokeTask(deps, 'invoke_persona', () => ({ ...args, persona: getPersona({ personas: deps.personas }, args.persona) }), extra.taskStore),
      ...fromStore,
    },
  );

  server.registerTool(
    'check_persona_job',
    {
      title: 'Check a persona job',
      description: 'Status of a persona job: progress while running (phase, percent, message, ETA, tool calls, elapsed), the result when complete, the error and any partial result when failed. Poll every 3-5 seconds.',
      inputSchema: { job_id: z.string().min(1).describe('Job id returned by invoke_*.') },
      outputSchema: jobSchema,
      annotations: { title: 'Check a persona job', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(deps.logger, 'check_persona_job', async (args): Promise<CallToolResult> => {
      return jobResult(deps.jobs.get(args.job_id), now());
    }),
  );

  server.registerTool(
    'list_persona_jobs',
    {
      title: 'List persona jobs',
      description: 'Recent persona jobs, newest first, optionally filtered by status and persona.',
      inputSchema: {
        status: z.enum(JOB_STATUSES as [string, ...string[]]).optional().describe('pending | running | complete | failed | cancelled'),
        persona: z.string().optional(),
        limit: z.number().int().min(1).max(500).default(10),
      },
      outputSchema: { jobs: z.array(z.object({ job_id: z.string(), persona: z.string(), status: z.string() }).passthrough()), total_count: z.number(), filtered_count: z.number() },
      annotations: { title: 'List persona jobs', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(deps.logger, 'list_persona_jobs', async (args): Promise<CallToolResult> => {
      const filter = { limit: args.limit, ...(args.status ? { status: args.status as (typeof JOB_STATUSES)[number] } : {}), ...(args.persona ? { persona: args.persona } : {}) };
      return ok(jobListView(deps.jobs.list(filter)));
    }),
  );

  server.registerTool(
    'cancel_persona_job',
    {
      title: 'Cancel a persona job',
      description: 'Cancel a pending or running persona job. The work stops (the in-flight model call is aborted) and any partial result is kept.',
      inputSchema: { job_id: z.string().min(1) },
      outputSchema: { status: z.string(), job_id: z.string(), partial_result: z.string().nullable(), message: z.string() },
      annotations: { title: 'Cancel a persona job', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(deps.logger, 'cancel_persona_job', async (args): Promise<CallToolResult> => {
      const result = deps.jobs.cancel(args.job_id);
      return ok(result, result.message);
    }),
  );

  server.registerTool(
    'persona_database_stats',
    {
      title: 'Persona job database statistics',
      description: 'Size and health of the persona job database: jobs by status, oldest job, next scheduled cleanup.',
      inputSchema: {},
      outputSchema: { database_size_mb: z.number(), total_jobs: z.number(), jobs_by_status: z.record(z.number()), oldest_job_days: z.number().nullable(), next_cleanup: z.string().nullable(), cleanup_recommendation: z.string() },
      annotations: { title: 'Persona job database statistics', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(deps.logger, 'persona_database_stats', async (): Promise<CallToolResult> => {
      return ok(deps.jobs.stats());
    }),
  );

  server.registerTool(
    'reset_persona_jobs',
    {
      title: 'Reset persona job history',
      description:
        'DANGER: delete all persona job history. Nothing is deleted unless confirm is true. Pending and running jobs that another live agent-os process runs or waits for (e.g. an `agent-os review` in a terminal) are kept; the result says how many and why.',
      inputSchema: { confirm: z.boolean().default(false).describe('Must be true to delete anything.') },
      outputSchema: { status: z.string(), jobs_deleted: z.number(), jobs_kept: z.number(), space_freed_mb: z.number(), message: z.string() },
      annotations: { title: 'Reset persona job history', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(deps.logger, 'reset_persona_jobs', async (args): Promise<CallToolResult> => {
      const result = deps.jobs.reset(args.confirm);
      return ok(result, result.message);
    }),
  );
  return plainCalls;
}

/** Each persona as an MCP prompt, so clients offer it as a slash command (e.g. `/security`). */
export function registerPersonaPrompts(server: McpServer, personas: readonly PersonaConfig[]): void {
  for (const persona of personas) {
    server.registerPrompt(
      persona.identifier,
      {
        title: persona.name,
        description: `Run a ${persona.name} review of a task with this project's standards.`,
        argsSchema: { task: z.string().describe('What to review or design.'), context: z.string().optional().describe('Files, code or a description.') },
      },
      (args): GetPromptResult => {
        if (!args.task?.trim()) throw new AgentOsError('BAD_INPUT', 'The prompt needs a task.');
        return { messages: [{ role: 'user', content: { type: 'text', text: personaPrompt(persona, args.task, args.context) } }] };
      },
    );
  }
}
