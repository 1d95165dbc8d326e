/**
 * A loopback OpenAI-compatible chat-completions server (POST /v1/chat/completions on 127.0.0.1, a
 * free port) for tests and benchmarks. What it answers is scripted per request; it counts requests
 * and records when the client closed the connection before the answer was sent (an aborted call).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer. `latencyMs` delays it (the request stays open meanwhile). */
export type FakeBehaviour = { latencyMs?: number } & (
  | { kind: 'answer'; content: string; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { kind: 'tool_calls'; calls: Array<{ name: string; arguments: string | Record<string, unknown> }>; content?: string | null }
  /** Never answers; the request ends only when the client aborts it (or the fake closes). */
  | { kind: 'hang' }
  | { kind: 'error'; status: number; message: string; headers?: Record<string, string> }
  /** A 200 whose body is not a chat completion (by default not even JSON). */
  | { kind: 'garbage'; body?: string; contentType?: string }
);

export interface FakeChatMessage {
  role: string;
  content?: string | null;
  tool_calls?: unknown[];
  tool_call_id?: string;
}

/** What the script sees of a request. */
export interface FakeRequest {
  /** 0-based, in arrival order. */
  index: number;
  body: { model?: string; messages?: FakeChatMessage[]; tools?: unknown[]; [k: string]: unknown };
  messages: FakeChatMessage[];
  /** The text of all messages, for matching a request to a job (e.g. by a unique task string). */
  text: string;
  /** Tool results already in the conversation. */
  toolResults: number;
  hasTools: boolean;
}

export type FakeScript = (req: FakeRequest) => FakeBehaviour;

export interface FakeRequestRecord {
  index: number;
  path: string;
  text: string;
  body: FakeRequest['body'] | null;
  behaviour: FakeBehaviour['kind'] | 'not-found' | 'bad-request';
  receivedAt: number;
  /** When the answer was fully sent. */
  answeredAt: number | null;
  /** When the client closed the connection before the answer was sent. */
  abortedAt: number | null;
}

export interface FakeLlm {
  /** e.g. http://127.0.0.1:41234/v1 — what OPENAI_BASE_URL should be. */
  baseUrl: string;
  /** Replace the behaviour for the requests that arrive from now on. */
  script(fn: FakeScript): void;
  readonly records: readonly FakeRequestRecord[];
  /** Chat requests received. */
  requestCount(): number;
  /** Requests the client aborted (connection closed before the answer). */
  abortedCount(): number;
  /** Requests received but neither answered nor aborted yet. */
  inFlight(): number;
  /** Records whose conversation text contains `marker`. */
  matching(marker: string): FakeRequestRecord[];
  /** Polls (every 10 ms) until `predicate` holds; rejects after `timeoutMs` with `what` in the message. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Forget the records (counts restart at 0). */
  clearRecords(): void;
  close(): Promise<void>;
}

/** An OpenAI chat.completion object. */
export function chatCompletion(message: Record<string, unknown>, finish: string, usage: { prompt_tokens: number; completion_tokens: number }): unknown {
  return {
    id: `chatcmpl-fake-${Math.random().toString(36).slice(2, 10)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, ...message }, logprobs: null, finish_reason: finish }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** Rough token count (4 characters a token) so usage is non-zero and grows with the conversation. */
export const roughTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

/**
 * A reviewer that calls search_standards first (when tools are offered and no tool result is in
 * the conversation yet), then answers with `review`. Stateless, so it serves concurrent jobs.
 */
export function reviewScript(review: string, opts: { latencyMs?: number; query?: string } = {}): FakeScript {
  return (req) =>
    req.hasTools && req.toolResults === 0
      ? { kind: 'tool_calls', calls: [{ name: 'search_standards', arguments: { query: opts.query ?? 'code review' } }], ...(opts.latencyMs ? { latencyMs: opts.latencyMs } : {}) }
      : { kind: 'answer', content: review, ...(opts.latencyMs ? { latencyMs: opts.latencyMs } : {}) };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeLlm(initial: FakeScript = () => ({ kind: 'answer', content: 'OK' })): Promise<FakeLlm> {
  let script = initial;
  let records: FakeRequestRecord[] = [];
  let toolCallSeq = 0;
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const record: FakeRequestRecord = { index: -1, path: req.url ?? '', text: '', body: null, behaviour: 'not-found', receivedAt: Date.now(), answeredAt: null, abortedAt: null };
    res.on('finish', () => (record.answeredAt ??= Date.now()));
    res.on('close', () => {
      if (!res.writableFinished && record.answeredAt === null) record.abortedAt ??= Date.now();
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !/\/chat\/completions\/?$/.test(req.url ?? '')) return sendJson(res, 404, { error: { message: `not found: ${req.method} ${req.url}` } });
      let body: FakeRequest['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeRequest['body'];
      } catch {
        record.behaviour = 'bad-request';
        return sendJson(res, 400, { error: { message: 'request body is not JSON' } });
      }
      const messages = Array.isArray(body.messages) ? body.messages : [];
      const text = messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
      record.index = records.length;
      record.body = body;
      record.text = text;
      records.push(record);
      const fakeReq: FakeRequest = {
        index: record.index,
        body,
        messages,
        text,
        toolResults: messages.filter((m) => m.role === 'tool').length,
        hasTools: Array.isArray(body.tools) && body.tools.length > 0,
      };
      let behaviour: FakeBehaviour;
      try {
        behaviour = script(fakeReq);
      } catch (e) {
        behaviour = { kind: 'error', status: 500, message: `fake script threw: ${(e as Error).message}` };
      }
      record.behaviour = behaviour.kind;
      const respond = (): void => {
        if (res.destroyed) return;
        const usage = (completion: string) => ({ prompt_tokens: roughTokens(text), completion_tokens: roughTokens(completion) });
        switch (behaviour.kind) {
          case 'hang':
            return;
          case 'answer':
            return sendJson(res, 200, chatCompletion({ content: behaviour.content }, 'stop', behaviour.usage ?? usage(behaviour.content)));
          case 'tool_calls': {
            const calls = behaviour.calls.map((c) => ({
              id: `call_${++toolCallSeq}`,
              type: 'function',
              function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
            }));
            return sendJson(res, 200, chatCompletion({ content: behaviour.content ?? null, tool_calls: calls }, 'tool_calls', usage(JSON.stringify(calls))));
          }
          case 'error':
            return sendJson(res, behaviour.status, { error: { message: behaviour.message, type: behaviour.status === 429 ? 'rate_limit_error' : 'server_error' } }, behaviour.headers);
          case 'garbage':
            res.writeHead(200, { 'content-type': behaviour.contentType ?? 'application/json' });
            res.end(behaviour.body ?? '<html>502 Bad Gateway</html>');
            return;
        }
      };
      if (behaviour.latencyMs && behaviour.latencyMs > 0) {
        const t = setTimeout(() => {
          timers.delete(t);
          respond();
        }, behaviour.latencyMs);
        timers.add(t);
      } else respond();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    script(fn) {
      script = fn;
    },
    get records() {
      return records;
    },
    requestCount: () => records.length,
    abortedCount: () => records.filter((r) => r.abortedAt !== null).length,
    inFlight: () => records.filter((r) => r.abortedAt === null && r.answeredAt === null).length,
    matching: (marker) => records.filter((r) => r.text.includes(marker)),
    async waitFor(predicate, what, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > end) throw new Error(`fake LLM: timed out after ${timeoutMs} ms waiting for ${what} (${records.length} requests, ${records.filter((r) => r.abortedAt !== null).length} aborted)`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    clearRecords() {
      records = [];
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
