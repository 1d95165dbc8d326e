import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ResponseMessage } from '@modelcontextprotocol/sdk/experimental/tasks';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema, TaskStatusNotificationSchema, type CallToolResult, type Progress, type Task } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { PersonaConfig } from '../../src/domain/job.js';
import { SqliteJobStore } from '../../src/infra/sqlite-job-store.js';
import { createJobEngine, type JobEngine, type JobRunner } from '../../src/jobs/engine.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { silentLogger } from '../../src/ports/logger.js';

/**
 * MCP Tasks (2025-11-25) over the persona job engine, with in-process SDK clients: a task-capable
 * client calls invoke_security as a task; a client without tasks gets the spec's "started" object
 * and polls check_persona_job. Both are backed by the same job store.
 */

type Json = Record<string, unknown>;
const textOf = (res: CallToolResult): string => res.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

const SECURITY: PersonaConfig = {
  name: 'Security Specialist',
  identifier: 'security',
  system_prompt: 'You review security.',
  standard_directory: 'security',
  mcp_tool_name: 'invoke_security',
  priority: 'core',
};

/** A run function under the test's control: each job reports progress, then waits for release (or abort). */
function controlledRunner(): { run: JobRunner; release(task: string): void; running: Set<string>; aborted: Set<string> } {
  const gates = new Map<string, () => void>();
  const running = new Set<string>();
  const aborted = new Set<string>();
  const run: JobRunner = async (job, ctx) => {
    running.add(job.task);
    ctx.progress({ phase: 'searching', percent: 10, message: 'Searching the standards' });
    ctx.toolCall(); // same percent: no new progress notification
    ctx.progress({ phase: 'analyzing', percent: 50, message: 'Reading the code' });
    ctx.partial('partial findings');
    try {
      await new Promise<void>((resolve, reject) => {
        gates.set(job.task, resolve);
        ctx.signal.addEventListener('abort', () => {
          aborted.add(job.task);
          reject(new Error('aborted'));
        });
      });
    } finally {
      running.delete(job.task);
    }
    if (job.task.startsWith('fail')) throw new Error('the model endpoint is down');
    ctx.progress({ phase: 'generating', percent: 90, message: 'Writing the review' });
    return { result: `## Summary\nReview of: ${job.task}`, tokens_input: 100, tokens_output: 50 };
  };
  return {
    run,
    running,
    aborted,
    release(task) {
      const open = gates.get(task);
      if (!open) throw new Error(`no job waiting for "${task}"`);
      gates.delete(task);
      open();
    },
  };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await sleep(5);
  }
  throw new Error(`timed out waiting for: ${what}`);
}

describe('persona jobs as MCP tasks (in-process clients)', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function engineWith(run: JobRunner): JobEngine {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-os-tasks-'));
    const store = new SqliteJobStore(path.join(dir, 'jobs.db'));
    const engine = createJobEngine({ store, run, logger: silentLogger, pollIntervalMs: 0 });
    engine.start();
    cleanups.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => store.close(),
      () => engine.stop({ abort: true, timeoutMs: 2000 }),
    );
    return engine;
  }

  async function connect(engine: JobEngine, opts: { tasks: boolean }): Promise<{ client: Client; errors: Error[] }> {
    const server = createMcpServer({
      search: async () => {
        throw new Error('search is not used here');
      },
      listStandards: async () => [],
      standardsDir: '/nonexistent',
      logger: silentLogger,
      version: '0.0.0-test',
      personas: { personas: [SECURITY], jobs: engine, logger: silentLogger, taskPollIntervalMs: 10 },
    });
    const client = new Client({ name: opts.tasks ? 'tasks-client' : 'plain-client', version: '0' }, opts.tasks ? { capabilities: { tasks: { list: {}, cancel: {} } } } : {});
    const errors: Error[] = [];
    client.onerror = (e) => void errors.push(e);
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    cleanups.push(
      () => client.close(),
      () => server.close(),
    );
    // Caches the tools' output schemas: results are validated against them, as a real client does.
    await client.listTools();
    return { client, errors };
  }

  it('declares tasks and lists the invoke tools as optionally task-augmented', async () => {
    const engine = engineWith(controlledRunner().run);
    const { client } = await connect(engine, { tasks: true });
    expect(client.getServerCapabilities()?.tasks).toEqual({ list: {}, cancel: {}, requests: { tools: { call: {} } } });
    const tools = (await client.listTools()).tools;
    for (const name of ['invoke_security', 'invoke_persona']) expect(tools.find((t) => t.name === name)?.execution).toEqual({ taskSupport: 'optional' });
    expect(tools.find((t) => t.name === 'check_persona_job')?.execution?.taskSupport ?? 'forbidden').toBe('forbidden');
  });

  it('a task-capable client runs invoke_security as a task: polls it, gets the result, and progress until the task ends', async () => {
    const runner = controlledRunner();
    const engine = engineWith(runner.run);
    const { client, errors } = await connect(engine, { tasks: true });
    const events: string[] = [];
    const progress: Progress[] = [];
    client.setNotificationHandler(TaskStatusNotificationSchema, (n) => void events.push(`status:${n.params.status}`));

    const stream = client.experimental.tasks.callToolStream({ name: 'invoke_security', arguments: { task: 'review login', priority: 'high' } }, CallToolResultSchema, {
      task: { ttl: 60_000 },
      onprogress: (p) => {
        progress.push(p);
        events.push(`progress:${p.progress}`);
      },
    });
    const messages: Array<ResponseMessage<CallToolResult>> = [];
    let taskId = '';
    let released = false;
    for await (const m of stream) {
      messages.push(m);
      if (m.type === 'taskCreated') {
        taskId = m.task.taskId;
        // The task id is the job id; the job is in the store like any other.
        expect(engine.get(taskId)).toMatchObject({ persona: 'security', task: 'review login', priority: 'high' });
        expect(m.task).toMatchObject({ status: 'working', pollInterval: 10 });
      }
      if (m.type === 'taskStatus' && !released && m.task.status === 'working' && m.task.statusMessage?.startsWith('analyzing')) {
        expect(m.task.statusMessage).toBe('analyzing (50%): Reading the code');
        released = true;
        runner.release('review login');
      }
    }
    expect(released).toBe(true);
    const last = messages.at(-1)!;
    expect(last.type).toBe('result');
    const result = (last as { result: CallToolResult }).result;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'complete', job_id: taskId, persona: 'security', result: '## Summary\nReview of: review login', tokens_used: { input: 100, output: 50 } });
    expect(textOf(result)).toBe('## Summary\nReview of: review login');

    // The same answer check_persona_job gives for the finished job.
    const polled = await client.callTool({ name: 'check_persona_job', arguments: { job_id: taskId } });
    expect(polled.structuredContent).toEqual(result.structuredContent);

    const task = await client.experimental.tasks.getTask(taskId);
    expect(task).toMatchObject({ taskId, status: 'completed', statusMessage: 'Review complete.' });
    expect((await client.experimental.tasks.listTasks()).tasks.map((t: Task) => t.taskId)).toEqual([taskId]);

    // Progress with the call's token while the task ran, increasing, and none after it ended.
    await until(() => events.includes('status:completed'), 'the terminal task status notification');
    expect(progress.map((p) => p.progress)).toEqual([10, 50, 90]);
    expect(progress.every((p) => p.total === 100)).toBe(true);
    expect(progress[1]?.message).toBe('analyzing: Reading the code');
    expect(events.at(-1)).toBe('status:completed');
    expect(errors).toEqual([]);
  });

  it('cancelling the task of a running job aborts the work and leaves the task and the job cancelled', async () => {
    const runner = controlledRunner();
    const engine = engineWith(runner.run);
    const { client } = await connect(engine, { tasks: true });
    const stream = client.experimental.tasks.callToolStream({ name: 'invoke_security', arguments: { task: 'slow review' } }, CallToolResultSchema, { task: { ttl: 60_000 } });
    let taskId = '';
    let final: ResponseMessage<CallToolResult> | undefined;
    for await (const m of stream) {
      if (m.type === 'taskCreated') {
        taskId = m.task.taskId;
        await until(() => runner.running.has('slow review'), 'the job to run');
        const cancelled = await client.experimental.tasks.cancelTask(taskId);
        expect(cancelled).toMatchObject({ taskId, status: 'cancelled' });
      }
      final = m;
    }
    expect(final).toMatchObject({ type: 'error' });
    expect(String((final as { error: Error }).error.message)).toMatch(/cancelled/);
    expect(runner.aborted.has('slow review')).toBe(true);
    expect(engine.get(taskId)).toMatchObject({ status: 'cancelled', partial_result: 'partial findings' });
    expect(await client.experimental.tasks.getTask(taskId)).toMatchObject({ status: 'cancelled' });
    // tasks/result of a cancelled task: the spec's cancelled view, keeping the partial result.
    const result = (await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema)) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ status: 'cancelled', job_id: taskId, partial_result: 'partial findings' });
    // A finished task cannot be cancelled again.
    await expect(client.experimental.tasks.cancelTask(taskId)).rejects.toThrow(/terminal status: cancelled/);
    await expect(client.experimental.tasks.getTask('no-such-task')).rejects.toThrow(/not found/i);
  });

  it('a failed job is a failed task whose result is a tool error with the failed view', async () => {
    const runner = controlledRunner();
    const engine = engineWith(runner.run);
    const { client } = await connect(engine, { tasks: true });
    const stream = client.experimental.tasks.callToolStream({ name: 'invoke_security', arguments: { task: 'fail please' } }, CallToolResultSchema, { task: { ttl: 60_000 } });
    let taskId = '';
    for await (const m of stream) {
      if (m.type === 'taskCreated') {
        taskId = m.task.taskId;
        await until(() => runner.running.has('fail please'), 'the job to run');
        runner.release('fail please');
      }
    }
    expect(await client.experimental.tasks.getTask(taskId)).toMatchObject({ status: 'failed', statusMessage: 'the model endpoint is down' });
    const result = (await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema)) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ status: 'failed', error: 'the model endpoint is down', partial_result: 'partial findings' });
  });

  it('a client without tasks gets the "started" object at once, polls check_persona_job, and gets no progress after the answer', async () => {
    const runner = controlledRunner();
    const engine = engineWith(runner.run);
    const { client, errors } = await connect(engine, { tasks: false });
    const progress: Progress[] = [];
    const res = (await client.callTool({ name: 'invoke_security', arguments: { task: 'review sessions' } }, undefined, { onprogress: (p) => void progress.push(p) })) as CallToolResult;
    const started = res.structuredContent as Json;
    // Answered while the job is still waiting to be released: the call does not wait for the job.
    expect(started).toMatchObject({ status: 'started', persona: 'security', poll_command: `check_persona_job('${String(started['job_id'])}')` });
    expect(textOf(res)).toMatch(/^Security Specialist review started\. Poll check_persona_job/);
    const jobId = String(started['job_id']);
    expect(engine.get(jobId).status).not.toBe('complete');

    await until(() => runner.running.has('review sessions'), 'the job to run');
    const running = (await client.callTool({ name: 'check_persona_job', arguments: { job_id: jobId } })).structuredContent as Json;
    expect(running).toMatchObject({ status: 'running', progress: { phase: 'analyzing', percent_complete: 50, message: 'Reading the code' } });
    runner.release('review sessions');

    let view: Json = {};
    await until(() => engine.get(jobId).status === 'complete', 'the job to complete');
    view = (await client.callTool({ name: 'check_persona_job', arguments: { job_id: jobId } })).structuredContent as Json;
    expect(view).toMatchObject({ status: 'complete', job_id: jobId, result: '## Summary\nReview of: review sessions' });

    // The plain call's request ended with its answer: its progress token is not used after that.
    expect(progress).toEqual([]);
    expect(errors).toEqual([]);
    // The job is the same record a task would be: a task-capable client can still read it.
    expect(engine.list({ persona: 'security' }).jobs.map((j) => j.id)).toEqual([jobId]);
  });

  it('invoke errors (unknown persona, blank task) are tool errors with the message and nothing is queued', async () => {
    const engine = engineWith(controlledRunner().run);
    const { client: plain } = await connect(engine, { tasks: false });
    const res = (await plain.callTool({ name: 'invoke_persona', arguments: { persona: 'astrologer', task: 'x' } })) as CallToolResult;
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/Unknown persona "astrologer"/);
    const blank = (await plain.callTool({ name: 'invoke_security', arguments: { task: '   ' } })) as CallToolResult;
    expect(blank.isError).toBe(true);
    expect(textOf(blank)).toMatch(/needs a task/);
    expect(engine.list().total_count).toBe(0);
  });
});
