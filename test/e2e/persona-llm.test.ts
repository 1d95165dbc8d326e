import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../fakes/build.js';
import { reviewScript, startFakeLlm, type FakeLlm } from '../fakes/fake-llm.js';
import { makeProject } from '../fakes/project.js';

/**
 * Persona jobs through `agent-os serve` (a child process over stdio) with a model: a loopback
 * OpenAI-compatible fake answers, hangs or fails as each test scripts it.
 */
const AUTH = '# Code review rules\n\n## Errors\n\nNever swallow errors; log them with context.\n';
const REVIEW = '## Summary\n\nThe change is sound.\n\n## Findings\n\n- **medium** `src/a.ts:3`: an error is swallowed (development/code-review.md).\n\n## Recommendations\n\n- Log the error.\n';

type Json = Record<string, unknown>;
const structured = (res: unknown): Json => (res as { structuredContent: Json }).structuredContent;

interface Server {
  client: Client;
  pid: number;
  stderr: () => string;
}

describe('persona jobs with a model (fake OpenAI-compatible endpoint)', () => {
  let fake: FakeLlm;
  const cleanups: Array<() => Promise<void> | void> = [];
  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeLlm();
  }, 180_000);
  afterAll(() => fake.close());
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    fake.clearRecords();
  });

  function project(): string {
    const p = makeProject({ 'development/code-review.md': AUTH });
    cleanups.push(() => p.cleanup());
    return p.root;
  }

  async function start(root: string): Promise<Server> {
    const env = {
      ...getDefaultEnvironment(),
      AGENT_OS_EMBEDDINGS: 'none',
      LANCEDB_LOG: 'error',
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: 'sk-fake',
      AGENT_OS_MODEL: 'fake-model',
    };
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--root', root, 'serve'], env, stderr: 'pipe' });
    let err = '';
    transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const client = new Client({ name: 'e2e-persona-llm', version: '0' });
    await client.connect(transport);
    cleanups.push(() => client.close());
    return { client, pid: transport.pid!, stderr: () => err };
  }

  /** kill -9, then wait until the process is gone (reaped), so a restart sees its jobs orphaned. */
  async function kill9(server: Server): Promise<void> {
    process.kill(server.pid, 'SIGKILL');
    for (let i = 0; i < 500; i++) {
      try {
        process.kill(server.pid, 0);
      } catch {
        return;
      }
      await sleep(10);
    }
    throw new Error(`server ${server.pid} did not die`);
  }

  async function invoke(server: Server, tool: string, task: string): Promise<string> {
    const res = await server.client.callTool({ name: tool, arguments: { task } });
    expect(res.isError).toBeFalsy();
    const started = structured(res);
    expect(started['status']).toBe('started');
    return String(started['job_id']);
  }

  async function check(server: Server, jobId: string): Promise<Json> {
    return structured(await server.client.callTool({ name: 'check_persona_job', arguments: { job_id: jobId } }));
  }

  /** Polls check_persona_job (bounded: 30 s) until the job is final. */
  async function untilFinal(server: Server, jobId: string): Promise<Json> {
    for (let i = 0; i < 600; i++) {
      const view = await check(server, jobId);
      if (['complete', 'failed', 'cancelled'].includes(String(view['status']))) return view;
      await sleep(50);
    }
    throw new Error(`job ${jobId} never finished; last view: ${JSON.stringify(await check(server, jobId))}\nserver stderr:\n${server.stderr()}`);
  }

  it('runs a review: a search_standards tool call, then the final Markdown, with tool calls and tokens counted', async () => {
    fake.script(reviewScript(REVIEW, { query: 'error handling' }));
    const server = await start(project());
    const jobId = await invoke(server, 'invoke_engineer', 'review error handling in src/a.ts [job-a]');
    const done = await untilFinal(server, jobId);
    expect(done, server.stderr()).toMatchObject({ status: 'complete', persona: 'engineer', result: REVIEW.trim() });
    expect(Number(done['tool_calls_made'])).toBeGreaterThanOrEqual(1);
    const tokens = done['tokens_used'] as { input: number; output: number };
    expect(tokens.input).toBeGreaterThan(0);
    expect(tokens.output).toBeGreaterThan(0);

    // Two model requests: the first offered the tools, the second carried the search result back.
    const requests = fake.matching('[job-a]');
    expect(requests).toHaveLength(2);
    expect(requests[0]!.body?.model).toBe('fake-model');
    expect(requests[0]!.body?.tools).toEqual(expect.arrayContaining([expect.objectContaining({ function: expect.objectContaining({ name: 'search_standards' }) })]));
    const toolMessage = requests[1]!.body?.messages?.find((m) => m.role === 'tool');
    expect(toolMessage?.content).toBeTruthy();
  });

  // A backtracking regex engine needs 2^70 steps for this pattern on the first line: the server froze
  // (no transport answered) and the job never ended. The timeout makes such a regression fail.
  it('a catastrophic grep pattern from the model neither freezes the server nor the job', { timeout: 30_000 }, async () => {
    fake.script((req) =>
      req.hasTools && req.toolResults === 0 ? { kind: 'tool_calls', calls: [{ name: 'grep', arguments: { pattern: '(a+)+$' } }] } : { kind: 'answer', content: REVIEW },
    );
    const root = project();
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'long.txt'), `${'a'.repeat(70)}!\naaaa\n`);
    const server = await start(root);
    const jobId = await invoke(server, 'invoke_engineer', 'look for runs of a [job-redos]');
    const done = await untilFinal(server, jobId);
    expect(done, server.stderr()).toMatchObject({ status: 'complete', result: REVIEW.trim() });
    const toolMessage = fake.matching('[job-redos]')[1]?.body?.messages?.find((m) => m.role === 'tool');
    expect(toolMessage?.content).toBe('src/long.txt:2: aaaa');
  });

  it('cancel_persona_job during a hung model call aborts the request and marks the job cancelled', async () => {
    fake.script(() => ({ kind: 'hang' }));
    const server = await start(project());
    const jobId = await invoke(server, 'invoke_security', 'review the login flow [job-b]');
    await fake.waitFor(() => fake.matching('[job-b]').length === 1, 'the job to call the model');

    const cancelled = structured(await server.client.callTool({ name: 'cancel_persona_job', arguments: { job_id: jobId } }));
    expect(cancelled).toMatchObject({ status: 'cancelled', job_id: jobId });
    await fake.waitFor(() => fake.matching('[job-b]')[0]!.abortedAt !== null, 'the model request to be aborted');
    expect(await check(server, jobId)).toMatchObject({ status: 'cancelled' });
    // Nothing retried the cancelled call.
    await sleep(200);
    expect(fake.matching('[job-b]')).toHaveLength(1);
  });

  it('a model endpoint failing with 500 every time fails the job with the provider message after the retries', async () => {
    fake.script(() => ({ kind: 'error', status: 500, message: 'upstream model crashed (fake)' }));
    const server = await start(project());
    const jobId = await invoke(server, 'invoke_sre', 'review the deployment [job-c]');
    const done = await untilFinal(server, jobId);
    expect(done['status']).toBe('failed');
    expect(String(done['error'])).toContain('upstream model crashed (fake)');
    expect(String(done['error'])).toContain('HTTP 500');
    // One request and the three default retries.
    expect(fake.matching('[job-c]')).toHaveLength(4);
  });

  it('kill -9 mid-job: the next start re-queues the job and completes it', async () => {
    const root = project();
    fake.script(() => ({ kind: 'hang' }));
    const first = await start(root);
    const jobId = await invoke(first, 'invoke_architect', 'design the order service [job-d1]');
    await fake.waitFor(() => fake.matching('[job-d1]').length === 1, 'the job to call the model');
    await kill9(first);
    await fake.waitFor(() => fake.matching('[job-d1]')[0]!.abortedAt !== null, 'the killed server to drop its request');

    fake.script(() => ({ kind: 'answer', content: REVIEW }));
    const second = await start(root);
    const done = await untilFinal(second, jobId);
    expect(done, second.stderr()).toMatchObject({ status: 'complete', result: REVIEW.trim() });
    expect(fake.matching('[job-d1]')).toHaveLength(2);
  });

  it('a job interrupted twice by kill -9 is failed on the next start with an "interrupted twice" error', async () => {
    const root = project();
    fake.script(() => ({ kind: 'hang' }));
    const first = await start(root);
    const jobId = await invoke(first, 'invoke_qa', 'plan the tests [job-d2]');
    await fake.waitFor(() => fake.matching('[job-d2]').length === 1, 'the first run to call the model');
    await kill9(first);

    const second = await start(root);
    await fake.waitFor(() => fake.matching('[job-d2]').length === 2, 'the re-queued run to call the model');
    expect(await check(second, jobId)).toMatchObject({ status: 'running' });
    await kill9(second);

    fake.script(() => ({ kind: 'answer', content: REVIEW }));
    const third = await start(root);
    const done = await check(third, jobId);
    expect(done['status']).toBe('failed');
    expect(String(done['error'])).toMatch(/^interrupted twice/);
    // Not run a third time.
    await sleep(200);
    expect(fake.matching('[job-d2]')).toHaveLength(2);
  });
});
