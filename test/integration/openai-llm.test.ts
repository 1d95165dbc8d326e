/**
 * The OpenAI-compatible LLM against a loopback server that speaks POST /v1/chat/completions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { AgentOsError } from '../../src/domain/errors.js';
import { OpenAiLlm, openAiLlmConfigFromEnv, retryAfter, type OpenAiLlmConfig } from '../../src/infra/openai-llm.js';

interface Received {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}
type Handler = (req: Received, res: ServerResponse) => void;

let server: Server;
let baseUrl = '';
let received: Received[] = [];
let handler: Handler;
/** Responses left hanging by a test; ended in afterEach so the server can close. */
let hanging: ServerResponse[] = [];

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function completion(message: Record<string, unknown>, finish = 'stop', usage = { prompt_tokens: 11, completion_tokens: 7 }): unknown {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'test-model',
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, ...message }, logprobs: null, finish_reason: finish }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const entry: Received = { path: req.url ?? '', authorization: req.headers.authorization, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
      received.push(entry);
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendJson(res, 404, { error: { message: 'not found' } });
      handler(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  received = [];
  for (const res of hanging) res.destroy();
  hanging = [];
});

function llm(options: Partial<OpenAiLlmConfig> = {}): OpenAiLlm {
  return new OpenAiLlm({ baseUrl, apiKey: 'sk-test', model: 'test-model', timeoutMs: 10_000, maxRetries: 0, retryBaseMs: 1, ...options });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

async function agentOsFailure(promise: Promise<unknown>): Promise<AgentOsError> {
  const err = await failure(promise);
  expect(err).toBeInstanceOf(AgentOsError);
  return err as AgentOsError;
}

/** Resolves once the server has received `n` requests. */
async function requestsReceived(n: number): Promise<void> {
  while (received.length < n) await new Promise((r) => setTimeout(r, 5));
}

describe('OpenAiLlm', () => {
  it('sends model, key, messages and max tokens, and returns the answer with usage', async () => {
    handler = (_req, res) => sendJson(res, 200, completion({ content: 'Hello there.' }));
    const out = await llm().chat({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
      ],
      maxTokens: 100,
    });
    expect(out).toEqual({ content: 'Hello there.', toolCalls: [], usage: { input: 11, output: 7 }, finishReason: 'stop' });
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.authorization).toBe('Bearer sk-test');
    expect(r.body.model).toBe('test-model');
    expect(r.body.max_tokens).toBe(100);
    expect(r.body.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(r.body).not.toHaveProperty('tools');
    expect(r.body).not.toHaveProperty('response_format');
  });

  it('asks for JSON-schema output when a schema is given', async () => {
    handler = (_req, res) => sendJson(res, 200, completion({ content: '{"ok":true}' }));
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false };
    const out = await llm().chat({ messages: [{ role: 'user', content: 'json' }], jsonSchema: { name: 'answer', schema } });
    expect(out.content).toBe('{"ok":true}');
    expect(received[0]!.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } });
  });

  it('sends tools and tool results, and returns the tool calls the model makes', async () => {
    handler = (_req, res) =>
      sendJson(
        res,
        200,
        completion(
          {
            tool_calls: [
              { id: 'call_a', type: 'function', function: { name: 'search_standards', arguments: '{"query":"errors"}' } },
              { id: 'call_b', type: 'function', function: { name: 'read_file', arguments: '{"path":' } },
            ],
          },
          'tool_calls',
        ),
      );
    const out = await llm().chat({
      messages: [
        { role: 'user', content: 'review' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_0', name: 'list_files', arguments: '{}' }] },
        { role: 'tool', tool_call_id: 'call_0', content: 'src/a.ts' },
      ],
      tools: [{ name: 'search_standards', description: 'Search', parameters: { type: 'object', properties: { query: { type: 'string' } } } }],
    });
    expect(out.finishReason).toBe('tool_calls');
    expect(out.content).toBeNull();
    expect(out.toolCalls).toEqual([
      { id: 'call_a', name: 'search_standards', arguments: '{"query":"errors"}' },
      // Malformed arguments are passed through untouched: the agent loop answers them.
      { id: 'call_b', name: 'read_file', arguments: '{"path":' },
    ]);
    const body = received[0]!.body;
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'search_standards', description: 'Search', parameters: { type: 'object', properties: { query: { type: 'string' } } } } },
    ]);
    expect((body.messages as unknown[])[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'list_files', arguments: '{}' } }],
    });
    expect((body.messages as unknown[])[2]).toEqual({ role: 'tool', tool_call_id: 'call_0', content: 'src/a.ts' });
  });

  it('retries a 429 (honouring Retry-After) and then succeeds', async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 429, { error: { message: 'Rate limit reached', type: 'rate_limit' } }, { 'retry-after': '0' });
      if (calls === 2) return sendJson(res, 503, { error: { message: 'overloaded' } }, { 'retry-after-ms': '1' });
      sendJson(res, 200, completion({ content: 'finally' }));
    };
    const out = await llm({ maxRetries: 3 }).chat({ messages: [{ role: 'user', content: 'hi' }] });
    expect(out.content).toBe('finally');
    expect(received).toHaveLength(3);
  });

  it('gives up on a persistent 500 with the provider message, after maxRetries', async () => {
    handler = (_req, res) => sendJson(res, 500, { error: { message: 'upstream model crashed', type: 'server_error' } });
    const err = await agentOsFailure(llm({ maxRetries: 2 }).chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(received).toHaveLength(3);
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toContain('HTTP 500');
    expect(err.message).toContain('upstream model crashed');
    expect(err.message).toContain('after 3 attempts');
    expect(err.hint).toBeTruthy();
  });

  it('does not retry a 401 and says how to fix the key', async () => {
    handler = (_req, res) => sendJson(res, 401, { error: { message: 'Incorrect API key provided' } });
    const err = await agentOsFailure(llm({ maxRetries: 3 }).chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(received).toHaveLength(1);
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain('Incorrect API key provided');
    expect(err.hint).toContain('OPENAI_API_KEY');
  });

  it('stops a hung request when the signal aborts', async () => {
    handler = (_req, res) => hanging.push(res);
    const controller = new AbortController();
    const pending = llm({ maxRetries: 3 }).chat({ messages: [{ role: 'user', content: 'hi' }], signal: controller.signal });
    await requestsReceived(1);
    controller.abort();
    const err = await failure(pending);
    expect((err as Error).name).toBe('AbortError');
    expect(received).toHaveLength(1);
  });

  it('stops a response whose body hangs when the signal aborts', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"x",');
      hanging.push(res);
    };
    const controller = new AbortController();
    const pending = llm().chat({ messages: [{ role: 'user', content: 'hi' }], signal: controller.signal });
    await requestsReceived(1);
    controller.abort(new Error('cancelled by user'));
    const err = await failure(pending);
    expect((err as Error).message).toBe('cancelled by user');
  });

  it('stops waiting for a retry when the signal aborts', async () => {
    handler = (_req, res) => sendJson(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '3600' });
    const controller = new AbortController();
    const pending = llm({ maxRetries: 5 }).chat({ messages: [{ role: 'user', content: 'hi' }], signal: controller.signal });
    await requestsReceived(1);
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(((await failure(pending)) as Error).name).toBe('AbortError');
    expect(received).toHaveLength(1);
  });

  it('refuses to start when the signal is already aborted', async () => {
    handler = (_req, res) => sendJson(res, 200, completion({ content: 'no' }));
    const err = await failure(llm().chat({ messages: [{ role: 'user', content: 'hi' }], signal: AbortSignal.abort() }));
    expect((err as Error).name).toBe('AbortError');
    expect(received).toHaveLength(0);
  });

  it('times out a hung request, retries it, then fails with a clear error', async () => {
    handler = (_req, res) => hanging.push(res);
    const err = await agentOsFailure(llm({ timeoutMs: 150, maxRetries: 1 }).chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(received).toHaveLength(2);
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toContain('did not answer within 150 ms');
  });

  it('times out a response whose body hangs', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices":');
      hanging.push(res);
    };
    const err = await agentOsFailure(llm({ timeoutMs: 150 }).chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(err.message).toContain('did not answer');
  });

  it('turns a garbage JSON body into a clear error', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>502 Bad Gateway</html>');
    };
    const err = await agentOsFailure(llm().chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toContain('not valid JSON');
    expect(err.hint).toContain('OPENAI_BASE_URL');
  });

  it('turns a non-JSON or wrongly shaped answer into a clear error', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login page</html>');
    };
    const html = await agentOsFailure(llm().chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(html.message).toContain('unexpected response');
    expect(html.message).toContain('login page');

    handler = (_req, res) => sendJson(res, 200, { result: 'hello' });
    const shape = await agentOsFailure(llm().chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(shape.message).toContain('"choices"');
  });

  it('reports an unreachable endpoint clearly', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await agentOsFailure(llm({ baseUrl: `http://127.0.0.1:${port}/v1` }).chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(err.message).toContain('cannot be reached');
  });

  it('needs a key for api.openai.com but not for other endpoints', async () => {
    const err = await agentOsFailure(new OpenAiLlm({ model: 'gpt-4o-mini', timeoutMs: 1000, maxRetries: 0 }).chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(err.code).toBe('CONFIG');
    expect(err.hint).toContain('OPENAI_API_KEY');

    handler = (_req, res) => sendJson(res, 200, completion({ content: 'local' }));
    const out = await llm({ apiKey: undefined }).chat({ messages: [{ role: 'user', content: 'hi' }] });
    expect(out.content).toBe('local');
  });

  describe('streamed', () => {
    function sse(res: ServerResponse, events: unknown[], end = true): void {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const e of events) res.write(`data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`);
      if (end) {
        res.write('data: [DONE]\n\n');
        res.end();
      } else hanging.push(res);
    }
    const chunk = (delta: Record<string, unknown>, finish: string | null = null): unknown => ({
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'test-model',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const usageChunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'test-model', choices: [], usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 } };

    it('assembles a streamed answer with usage', async () => {
      handler = (_req, res) => sse(res, [chunk({ role: 'assistant', content: 'Hel' }), chunk({ content: 'lo.' }), chunk({}, 'stop'), usageChunk]);
      const out = await llm({ stream: true }).chat({ messages: [{ role: 'user', content: 'hi' }] });
      expect(out).toEqual({ content: 'Hello.', toolCalls: [], usage: { input: 20, output: 5 }, finishReason: 'stop' });
      expect(received[0]!.body.stream).toBe(true);
      expect(received[0]!.body.stream_options).toEqual({ include_usage: true });
    });

    it('assembles streamed tool calls whose arguments arrive in pieces', async () => {
      handler = (_req, res) =>
        sse(res, [
          chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"pa' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: 'th":"a.ts"}' } }] }),
          chunk({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'grep', arguments: '{"pattern":"x"}' } }] }),
          chunk({}, 'tool_calls'),
          usageChunk,
        ]);
      const out = await llm({ stream: true }).chat({ messages: [{ role: 'user', content: 'hi' }], tools: [] });
      expect(out.toolCalls).toEqual([
        { id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' },
        { id: 'call_2', name: 'grep', arguments: '{"pattern":"x"}' },
      ]);
      expect(out.finishReason).toBe('tool_calls');
    });

    it('turns garbage in the stream into a clear error', async () => {
      handler = (_req, res) => sse(res, [chunk({ content: 'ok' }), '{not json']);
      const err = await agentOsFailure(llm({ stream: true }).chat({ messages: [{ role: 'user', content: 'hi' }] }));
      expect(err.message).toContain('not valid JSON');
    });

    it('stops a stalled stream on abort and on timeout, never returning the cut-off text', async () => {
      handler = (_req, res) => sse(res, [chunk({ content: 'partial' })], false);
      const controller = new AbortController();
      const pending = llm({ stream: true }).chat({ messages: [{ role: 'user', content: 'hi' }], signal: controller.signal });
      await requestsReceived(1);
      controller.abort();
      expect(((await failure(pending)) as Error).name).toBe('AbortError');

      const err = await agentOsFailure(llm({ stream: true, timeoutMs: 150 }).chat({ messages: [{ role: 'user', content: 'hi' }] }));
      expect(err.message).toContain('did not answer within 150 ms');
    });
  });

  it('maps the environment to a config', () => {
    expect(openAiLlmConfigFromEnv({})).toBeNull();
    expect(openAiLlmConfigFromEnv({ AGENT_OS_MODEL: 'llama3.1', OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_API_KEY: ' ' })).toEqual({
      model: 'llama3.1',
      baseUrl: 'http://localhost:11434/v1',
      timeoutMs: 120_000,
      maxRetries: 3,
    });
  });

  it('parses Retry-After in seconds, milliseconds and as a date', () => {
    expect(retryAfter(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfter(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }))).toBe(150);
    expect(retryAfter(new Headers({ 'retry-after': new Date(Date.now() + 60_000).toUTCString() }))).toBeGreaterThan(0);
    expect(retryAfter(new Headers({}))).toBeNull();
  });
});
