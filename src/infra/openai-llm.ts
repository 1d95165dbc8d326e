import type { OpenAI } from 'openai';

import { AgentOsError, isAgentOsError, messageOf } from '../domain/errors.js';
import type { ChatMessage, ChatRequest, ChatResponse, Llm, ToolCall } from '../ports/llm.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import { sleep } from './abort.js';

export const DEFAULT_LLM_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAiLlmConfig {
  /** OpenAI-compatible endpoint including the version path (".../v1"); default OpenAI's. */
  baseUrl?: string;
  /** API key; self-hosted endpoints (Ollama, vLLM, LM Studio) usually need none. */
  apiKey?: string;
  model: string;
  /** Per-attempt limit for the whole request (headers and body). */
  timeoutMs: number;
  /** Retries of 408/409/429/5xx, connection errors and timeouts (0 = one attempt). */
  maxRetries: number;
  /** Ask for a server-sent-events stream and assemble it (keeps long generations alive through proxies). */
  stream?: boolean;
  /** First backoff delay; doubles per retry (with jitter). Default 500 ms. */
  retryBaseMs?: number;
  /** Upper bound on one wait, including a server's Retry-After. Default 30 s. */
  maxRetryDelayMs?: number;
  logger?: Logger;
}

/** Maps OPENAI_BASE_URL / OPENAI_API_KEY / AGENT_OS_MODEL; null when no model is configured. */
export function openAiLlmConfigFromEnv(
  env: NodeJS.ProcessEnv,
  defaults: { timeoutMs?: number; maxRetries?: number } = {},
): OpenAiLlmConfig | null {
  const model = env.AGENT_OS_MODEL?.trim();
  if (!model) return null;
  const baseUrl = env.OPENAI_BASE_URL?.trim();
  const apiKey = env.OPENAI_API_KEY?.trim();
  return {
    model,
    ...(baseUrl ? { baseUrl } : {}),
    ...(apiKey ? { apiKey } : {}),
    timeoutMs: defaults.timeoutMs ?? 120_000,
    maxRetries: defaults.maxRetries ?? 3,
  };
}

type ErrorModule = Pick<typeof import('openai'), 'APIError' | 'APIConnectionError' | 'APIConnectionTimeoutError' | 'APIUserAbortError'>;

interface Client {
  openai: OpenAI;
  errors: ErrorModule;
}

/** Why an attempt failed, after classification. */
interface Failure {
  retryable: boolean;
  retryAfterMs: number | null;
  error: AgentOsError;
}

/** Chat completions (with tools and JSON-schema output) from any OpenAI-compatible endpoint. */
export class OpenAiLlm implements Llm {
  readonly model: string;
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly logger: Logger;
  private readonly stream: boolean;
  private client: Promise<Client> | undefined;

  constructor(config: OpenAiLlmConfig) {
    if (!config.model || !config.model.trim()) {
      throw new AgentOsError('CONFIG', 'No LLM model is configured.', { hint: 'Set AGENT_OS_MODEL (e.g. gpt-4o-mini, or llama3.1 for Ollama).' });
    }
    this.model = config.model.trim();
    this.baseUrl = (config.baseUrl ?? DEFAULT_LLM_BASE_URL).replace(/\/+$/, '');
    this.apiKey = config.apiKey?.trim() || undefined;
    this.timeoutMs = config.timeoutMs;
    this.maxRetries = Math.max(0, Math.floor(config.maxRetries));
    this.retryBaseMs = config.retryBaseMs ?? 500;
    this.maxRetryDelayMs = config.maxRetryDelayMs ?? 30_000;
    this.logger = config.logger ?? silentLogger;
    this.stream = config.stream ?? false;
  }

  async chat(req: ChatRequest): Promise<ChatResponse> {
    req.signal?.throwIfAborted();
    const client = await this.connect();
    const body = this.requestBody(req);
    for (let attempt = 0; ; attempt++) {
      req.signal?.throwIfAborted();
      const outcome = await this.attempt(client, body, req.signal);
      if (!('failure' in outcome)) return outcome.response;
      const { failure } = outcome;
      if (!failure.retryable || attempt >= this.maxRetries) {
        throw attempt > 0
          ? new AgentOsError(failure.error.code, `${failure.error.message} (after ${attempt + 1} attempts)`, { cause: failure.error.cause, ...(failure.error.hint ? { hint: failure.error.hint } : {}) })
          : failure.error;
      }
      const delay = this.backoff(attempt, failure.retryAfterMs);
      this.logger.warn('LLM request failed; retrying', { model: this.model, attempt: attempt + 1, delayMs: Math.round(delay), error: failure.error.message });
      await sleep(delay, req.signal);
    }
  }

  private backoff(attempt: number, retryAfterMs: number | null): number {
    if (retryAfterMs !== null) return Math.min(Math.max(0, retryAfterMs), this.maxRetryDelayMs);
    const base = this.retryBaseMs * 2 ** attempt;
    return Math.min(base * (1 - Math.random() * 0.25), this.maxRetryDelayMs);
  }

  private requestBody(req: ChatRequest): Record<string, unknown> {
    const body: Record<string, unknown> = {
      model: this.model,
      messages: req.messages.map(toWire),
    };
    if (req.tools && req.tools.length > 0) {
      body.tools = req.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
    }
    if (req.jsonSchema) {
      body.response_format = { type: 'json_schema', json_schema: { name: req.jsonSchema.name, schema: req.jsonSchema.schema, strict: true } };
    }
    if (this.stream) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    if (req.maxTokens !== undefined) {
      // OpenAI's newer models refuse max_tokens; compatible servers mostly know only max_tokens.
      body[this.isOfficialEndpoint() ? 'max_completion_tokens' : 'max_tokens'] = req.maxTokens;
    }
    return body;
  }

  /** One HTTP attempt, bounded by its own timer and the caller's signal (both abort the socket). */
  private async attempt(client: Client, body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<{ response: ChatResponse } | { failure: Failure }> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, this.timeoutMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // The SDK's own retries are off: ours honour Retry-After and stop waiting when the caller aborts.
      const raw: unknown = await client.openai.chat.completions.create(body as never, {
        signal: controller.signal,
        timeout: this.timeoutMs,
        maxRetries: 0,
      });
      if (!this.stream) return { response: this.parse(raw) };
      const assembled = await assemble(raw as AsyncIterable<unknown>);
      // The SDK ends a stream quietly when it is aborted: a cut-off answer must not pass as complete.
      if (signal?.aborted) signal.throwIfAborted();
      if (timedOut) throw new client.errors.APIConnectionTimeoutError();
      return { response: this.parse(assembled) };
    } catch (e) {
      if (signal?.aborted) signal.throwIfAborted();
      if (timedOut || e instanceof client.errors.APIConnectionTimeoutError) {
        return {
          failure: {
            retryable: true,
            retryAfterMs: null,
            error: this.fail(`did not answer within ${formatMs(this.timeoutMs)}`, 'Check that the server is up and not overloaded, or raise the LLM timeout.', e),
          },
        };
      }
      if (isAgentOsError(e)) return { failure: { retryable: false, retryAfterMs: null, error: e } };
      return { failure: this.classify(client.errors, e) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private classify(errors: ErrorModule, e: unknown): Failure {
    if (e instanceof errors.APIConnectionError) {
      return {
        retryable: true,
        retryAfterMs: null,
        error: this.fail(`cannot be reached: ${messageOf(e.cause ?? e)}`, 'Check OPENAI_BASE_URL (it usually ends in /v1), that the server is running, and the network/proxy settings.', e),
      };
    }
    if (e instanceof errors.APIError) {
      const status = e.status;
      const provider = providerMessage(e);
      const retryable = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
      let hint: string;
      if (status === 401 || status === 403) hint = this.apiKey ? 'The API key in OPENAI_API_KEY was refused; check it is valid for this endpoint.' : 'Set OPENAI_API_KEY to a valid key for this endpoint.';
      else if (status === 404) hint = 'Check AGENT_OS_MODEL names a model the endpoint serves, and that OPENAI_BASE_URL includes the version path (e.g. .../v1).';
      else if (status === 429) hint = 'The endpoint is rate-limiting or out of quota; wait, lower persona concurrency, or check the account quota.';
      else if (status === 400) hint = 'The endpoint rejected the request; the model may not support tool calling or JSON-schema output.';
      else if (status !== undefined && status >= 500) hint = 'The provider failed; retry later, and check its status page or server logs if it persists.';
      else hint = 'Check the LLM configuration (OPENAI_BASE_URL, OPENAI_API_KEY, AGENT_OS_MODEL).';
      return {
        retryable,
        retryAfterMs: retryAfter(e.headers),
        error: this.fail(`failed (HTTP ${status ?? '?'}): ${provider}`, hint, e),
      };
    }
    if (e instanceof SyntaxError) {
      return {
        retryable: false,
        retryAfterMs: null,
        error: this.fail(`returned a body that is not valid JSON (${e.message})`, 'Check that OPENAI_BASE_URL points at an OpenAI-compatible API (usually ending in /v1) that serves POST /chat/completions.', e),
      };
    }
    return {
      retryable: false,
      retryAfterMs: null,
      error: this.fail(`failed: ${messageOf(e)}`, 'Check the LLM configuration (OPENAI_BASE_URL, OPENAI_API_KEY, AGENT_OS_MODEL).', e),
    };
  }

  private fail(what: string, hint: string, cause?: unknown): AgentOsError {
    return new AgentOsError('MODEL_UNAVAILABLE', `The LLM endpoint ${this.baseUrl} (model ${this.model}) ${what}.`, { hint, ...(cause === undefined ? {} : { cause }) });
  }

  private parse(raw: unknown): ChatResponse {
    const bad = (what: string): AgentOsError =>
      this.fail(`returned an unexpected response: ${what}`, 'Check that OPENAI_BASE_URL points at an OpenAI-compatible API (usually ending in /v1) that serves POST /chat/completions.');
    if (typeof raw !== 'object' || raw === null) throw bad(`expected a JSON object, got ${describe(raw)}`);
    const choices = (raw as { choices?: unknown }).choices;
    if (!Array.isArray(choices) || choices.length === 0) throw bad(`expected a non-empty "choices" array, got ${describe(raw)}`);
    const choice = choices[0] as { message?: unknown; finish_reason?: unknown } | null;
    const message = choice && typeof choice === 'object' ? choice.message : undefined;
    if (typeof message !== 'object' || message === null) throw bad('the first choice has no message');
    const { content, tool_calls } = message as { content?: unknown; tool_calls?: unknown };
    const toolCalls: ToolCall[] = [];
    if (Array.isArray(tool_calls)) {
      tool_calls.forEach((tc: unknown, i) => {
        const fn = (tc as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
        if (!fn || typeof fn.name !== 'string') throw bad(`tool call ${i} has no function name`);
        const id = (tc as { id?: unknown }).id;
        toolCalls.push({
          id: typeof id === 'string' && id ? id : `call_${i}`,
          name: fn.name,
          arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
        });
      });
    }
    const usage = (raw as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
    return {
      content: typeof content === 'string' ? content : null,
      toolCalls,
      usage: {
        input: typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : 0,
        output: typeof usage?.completion_tokens === 'number' ? usage.completion_tokens : 0,
      },
      finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : null,
    };
  }

  private isOfficialEndpoint(): boolean {
    return /^https:\/\/api\.openai\.com(\/|$)/i.test(this.baseUrl);
  }

  private connect(): Promise<Client> {
    this.client ??= this.createClient().catch((e: unknown) => {
      this.client = undefined;
      throw e;
    });
    return this.client;
  }

  private async createClient(): Promise<Client> {
    if (!this.apiKey && this.isOfficialEndpoint()) {
      throw new AgentOsError('CONFIG', 'No OpenAI API key: OPENAI_API_KEY is not set.', {
        hint: 'Export OPENAI_API_KEY=<your key>, or point OPENAI_BASE_URL at a local OpenAI-compatible server (Ollama, vLLM, LM Studio).',
      });
    }
    const mod = await import('openai');
    const openai = new mod.OpenAI({
      baseURL: this.baseUrl,
      // Self-hosted endpoints often need no key, but the client insists on one.
      apiKey: this.apiKey ?? 'no-key',
      timeout: this.timeoutMs,
      maxRetries: 0,
      // Errors are reported through AgentOsError; the SDK must not print to the console (stdout is MCP's).
      logLevel: 'off',
    });
    return { openai, errors: mod };
  }
}

/** Folds chat.completion.chunk events into the shape of one chat.completion. */
async function assemble(stream: AsyncIterable<unknown>): Promise<unknown> {
  let content: string | null = null;
  let finish: string | null = null;
  let usage: unknown;
  let chunks = 0;
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for await (const chunk of stream) {
    chunks++;
    if (typeof chunk !== 'object' || chunk === null) continue;
    const c = chunk as { choices?: { delta?: { content?: unknown; tool_calls?: unknown }; finish_reason?: unknown }[]; usage?: unknown };
    if (c.usage) usage = c.usage;
    const choice = Array.isArray(c.choices) ? c.choices[0] : undefined;
    if (!choice) continue;
    if (typeof choice.finish_reason === 'string') finish = choice.finish_reason;
    const delta = choice.delta;
    if (typeof delta?.content === 'string') content = (content ?? '') + delta.content;
    if (Array.isArray(delta?.tool_calls)) {
      for (const [pos, tc] of (delta.tool_calls as { index?: number; id?: string; function?: { name?: string; arguments?: string } }[]).entries()) {
        const index = typeof tc.index === 'number' ? tc.index : pos;
        const entry = calls.get(index) ?? { id: '', name: '', arguments: '' };
        if (tc.id) entry.id = tc.id;
        if (tc.function?.name) entry.name += tc.function.name;
        if (tc.function?.arguments) entry.arguments += tc.function.arguments;
        calls.set(index, entry);
      }
    }
  }
  if (chunks === 0) return null;
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, tc]) => ({ id: tc.id, type: 'function', function: { name: tc.name, arguments: tc.arguments } }));
  return {
    choices: [{ index: 0, message: { role: 'assistant', content, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  };
}

function toWire(m: ChatMessage): Record<string, unknown> {
  if (m.role === 'assistant') {
    return {
      role: 'assistant',
      content: m.content,
      ...(m.tool_calls && m.tool_calls.length > 0
        ? { tool_calls: m.tool_calls.map((tc) => ({ id: tc.id, type: 'function', function: { name: tc.name, arguments: tc.arguments } })) }
        : {}),
    };
  }
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.tool_call_id, content: m.content };
  return { role: m.role, content: m.content };
}

/** The provider's own words: the body's error.message, else the raw text, else the status line. */
function providerMessage(e: { message: string; status?: number | undefined; error?: unknown }): string {
  const err = e.error as { message?: unknown } | undefined;
  if (err && typeof err === 'object' && typeof err.message === 'string' && err.message) return err.message;
  const msg = e.message.replace(/^\d{3}\s+/, '');
  return msg.length > 500 ? `${msg.slice(0, 500)}…` : msg;
}

/** Retry-After (seconds or HTTP date) or retry-after-ms, in milliseconds. */
export function retryAfter(headers: Headers | undefined): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(parseFloat(ms))) return parseFloat(ms);
  const ra = headers.get('retry-after');
  if (!ra) return null;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `text ${JSON.stringify(value.slice(0, 80))}`;
  if (typeof value === 'object') return `an object with keys [${Object.keys(value).slice(0, 5).join(', ')}]`;
  return typeof value;
}
