import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installToolCallHandler, type PlainCall } from '../../src/mcp/tool-calls.js';

/** Our tools/call handler over a small McpServer: a task tool with a plain answer, and a plain tool. */
async function setUp(opts: { plain?: boolean } = {}) {
  const store = new InMemoryTaskStore();
  const server = new McpServer({ name: 't', version: '0' }, { taskStore: store, capabilities: { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } } });
  const created: string[] = [];
  const tools = new Map<string, RegisteredTool>();
  tools.set(
    'start',
    server.experimental.tasks.registerToolTask(
      'start',
      { inputSchema: { job: z.string().min(1) }, outputSchema: { status: z.string(), job: z.string() }, execution: { taskSupport: 'optional' } },
      {
        createTask: async (args, extra) => {
          created.push(args.job);
          return { task: await extra.taskStore.createTask({ ttl: 60_000 }) };
        },
        getTask: async (_args, extra) => extra.taskStore.getTask(extra.taskId),
        getTaskResult: async (_args, extra) => (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
      },
    ),
  );
  tools.set(
    'echo',
    server.registerTool('echo', { inputSchema: { text: z.string() }, outputSchema: { text: z.string() } }, async (args) =>
      args.text === 'bad output' ? { structuredContent: { wrong: 1 }, content: [] } : { structuredContent: { text: args.text }, content: [{ type: 'text', text: args.text }] },
    ),
  );
  const plain = new Map<string, PlainCall>();
  if (opts.plain !== false) {
    plain.set('start', async (args) => ({ structuredContent: { status: 'started', job: String(args['job']) }, content: [{ type: 'text', text: 'started' }] }));
  }
  installToolCallHandler(server, tools, plain);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'c', version: '0' }, { capabilities: { tasks: { list: {}, cancel: {} } } });
  await Promise.all([server.connect(a), client.connect(b)]);
  return { client, server, created, close: () => Promise.all([client.close(), server.close()]) };
}

describe('our tools/call handler', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('answers a plain call of a task tool itself, at once, without creating a task', async () => {
    const s = await setUp();
    cleanups.push(s.close);
    const res = await s.client.callTool({ name: 'start', arguments: { job: 'a' } });
    expect(res.structuredContent).toEqual({ status: 'started', job: 'a' });
    expect(s.created).toEqual([]);
  });

  it('creates the task for a task-augmented call', async () => {
    const s = await setUp();
    cleanups.push(s.close);
    const stream = s.client.experimental.tasks.callToolStream({ name: 'start', arguments: { job: 'b' } }, CallToolResultSchema, { task: { ttl: 60_000 } });
    const first = await stream[Symbol.asyncIterator]().next();
    expect(first.value).toMatchObject({ type: 'taskCreated' });
    expect(s.created).toEqual(['b']);
  });

  it('refuses a plain call of a task tool that has no plain answer, and reports bad input, unknown tools and bad output as tool errors', async () => {
    const s = await setUp({ plain: false });
    cleanups.push(s.close);
    const text = (r: unknown): string => ((r as CallToolResult).content[0] as { text: string }).text;
    const noPlain = await s.client.callTool({ name: 'start', arguments: { job: 'c' } });
    expect(noPlain.isError).toBe(true);
    expect(text(noPlain)).toContain('requires task augmentation');
    const invalid = await s.client.callTool({ name: 'echo', arguments: { text: 3 } });
    expect(text(invalid)).toMatch(/^MCP error -32602: Input validation error: Invalid arguments for tool echo/);
    const unknown = await s.client.callTool({ name: 'nope', arguments: {} });
    expect(text(unknown)).toContain('Tool nope not found');
    const ok = await s.client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(ok.structuredContent).toEqual({ text: 'hi' });
  });

  it('checks results against the output schema', async () => {
    const s = await setUp();
    cleanups.push(s.close);
    // The client checks structured content too; ask the raw way so the server's verdict is seen.
    const raw = await s.client.request({ method: 'tools/call', params: { name: 'echo', arguments: { text: 'bad output' } } }, CallToolResultSchema);
    expect(raw.isError).toBe(true);
    expect((raw.content[0] as { text: string }).text).toContain('Output validation error: Invalid structured content for tool echo');
  });
});
