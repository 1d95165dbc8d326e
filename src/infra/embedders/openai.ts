import type { OpenAI } from 'openai';

import { AgentOsError, messageOf } from '../../domain/errors.js';
import type { Embedder } from '../../ports/embedder.js';
import { silentLogger, type Logger } from '../../ports/logger.js';

export const DEFAULT_OPENAI_MODEL = 'text-embedding-3-small';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Native vector sizes of OpenAI's models; anything else defaults to 1536 unless configured. */
const NATIVE_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};
const FALLBACK_DIMENSIONS = 1536;

export interface OpenAIEmbedderOptions {
  /** Default text-embedding-3-small. */
  model?: string;
  /** OpenAI-compatible endpoint including the version path (".../v1"); default OPENAI_BASE_URL or OpenAI's. */
  baseUrl?: string;
  /** Name of the environment variable holding the key; default OPENAI_API_KEY. */
  apiKeyEnv?: string;
  /** Vector length; when set it is also requested from the endpoint (text-embedding-3 models shorten). */
  dimensions?: number;
  /** Texts per request. */
  batchSize?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries of connection errors, 408/409/429 and 5xx (with backoff, by the openai client). */
  maxRetries?: number;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

type ErrorModule = Pick<
  typeof import('openai'),
  | 'APIError'
  | 'APIConnectionError'
  | 'APIConnectionTimeoutError'
  | 'AuthenticationError'
  | 'PermissionDeniedError'
  | 'NotFoundError'
  | 'RateLimitError'
  | 'BadRequestError'
>;

interface Client {
  openai: OpenAI;
  errors: ErrorModule;
}

/** Embeddings from any endpoint that speaks OpenAI's POST /embeddings (OpenAI, Azure proxies, Ollama, vLLM, LM Studio...). */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly model: string;
  readonly baseUrl: string;
  private readonly requestDimensions: number | undefined;
  private readonly apiKeyEnv: string;
  private readonly apiKey: string | undefined;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly logger: Logger;
  private client: Promise<Client> | undefined;

  constructor(options: OpenAIEmbedderOptions = {}) {
    const env = options.env ?? process.env;
    this.model = options.model ?? DEFAULT_OPENAI_MODEL;
    this.baseUrl = (options.baseUrl ?? env.OPENAI_BASE_URL ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, '');
    this.apiKeyEnv = options.apiKeyEnv ?? 'OPENAI_API_KEY';
    const key = env[this.apiKeyEnv]?.trim();
    this.apiKey = key ? key : undefined;
    this.requestDimensions = options.dimensions;
    this.dimensions = options.dimensions ?? NATIVE_DIMENSIONS[this.model] ?? FALLBACK_DIMENSIONS;
    this.batchSize = options.batchSize ?? 64;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.logger = options.logger ?? silentLogger;
    this.id = `openai-${this.model}-${this.dimensions}`;
  }

  /** Creates the client and makes one tiny request, so a bad key, URL or size fails here rather than mid-index. */
  async load(): Promise<void> {
    await this.connect();
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    const client = await this.connect();
    return this.embedWith(client, texts);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedDocuments([text]);
    return vector!;
  }

  private connect(): Promise<Client> {
    this.client ??= this.createClient().catch((e: unknown) => {
      this.client = undefined;
      throw e;
    });
    return this.client;
  }

  private isOfficialEndpoint(): boolean {
    return /^https:\/\/api\.openai\.com(\/|$)/i.test(this.baseUrl);
  }

  private async createClient(): Promise<Client> {
    if (!this.apiKey && this.isOfficialEndpoint()) {
      throw new AgentOsError('MODEL_UNAVAILABLE', `No OpenAI API key: the environment variable ${this.apiKeyEnv} is not set.`, {
        hint: `Export ${this.apiKeyEnv}=<your key> before starting agent-os, set embeddings.apiKeyEnv to the variable that holds it, or use embeddings.provider "glove" for offline embeddings.`,
      });
    }
    const mod = await import('openai');
    const openai = new mod.OpenAI({
      baseURL: this.baseUrl,
      // Self-hosted endpoints often need no key, but the client insists on one.
      apiKey: this.apiKey ?? 'no-key',
      timeout: this.timeoutMs,
      maxRetries: this.maxRetries,
    });
    const client: Client = { openai, errors: mod };
    const started = Date.now();
    await this.embedWith(client, ['connection check']);
    this.logger.debug('embeddings endpoint reachable', { baseUrl: this.baseUrl, model: this.model, ms: Date.now() - started });
    return client;
  }

  private async embedWith(client: Client, texts: readonly string[]): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(texts.length);
    // Endpoints reject empty input; an empty text has no meaning to encode anyway.
    const pending: number[] = [];
    texts.forEach((t, i) => {
      if (t.trim() === '') out[i] = new Float32Array(this.dimensions);
      else pending.push(i);
    });
    for (let start = 0; start < pending.length; start += this.batchSize) {
      const idx = pending.slice(start, start + this.batchSize);
      const vectors = await this.request(client, idx.map((i) => texts[i]!));
      idx.forEach((i, k) => (out[i] = vectors[k]!));
    }
    return out;
  }

  private async request(client: Client, input: string[]): Promise<Float32Array[]> {
    let response: unknown;
    try {
      response = await client.openai.embeddings.create({
        model: this.model,
        input,
        // Explicit, because the client otherwise asks for base64, which many compatible servers lack.
        encoding_format: 'float',
        ...(this.requestDimensions !== undefined ? { dimensions: this.requestDimensions } : {}),
      });
    } catch (e) {
      throw this.requestError(client.errors, e);
    }
    return this.parse(response, input.length);
  }

  private parse(response: unknown, expected: number): Float32Array[] {
    const bad = (what: string): AgentOsError =>
      new AgentOsError('MODEL_UNAVAILABLE', `The embeddings endpoint ${this.baseUrl} returned an unexpected response: ${what}.`, {
        hint: 'Check that embeddings.baseUrl points at an OpenAI-compatible API (usually ending in /v1) that serves POST /embeddings.',
      });
    const data = typeof response === 'object' && response !== null ? (response as { data?: unknown }).data : undefined;
    if (!Array.isArray(data)) throw bad(`expected an object with a "data" array, got ${describe(response)}`);
    if (data.length !== expected) throw bad(`${data.length} embeddings for ${expected} inputs`);
    const out = new Array<Float32Array | undefined>(expected);
    data.forEach((item: unknown, position) => {
      const { index, embedding } = (item ?? {}) as { index?: unknown; embedding?: unknown };
      const slot = typeof index === 'number' ? index : position;
      if (!Number.isInteger(slot) || slot < 0 || slot >= expected || out[slot]) throw bad(`bad or repeated index ${String(index)}`);
      if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw bad(`embedding ${slot} is not an array of numbers`);
      }
      if (embedding.length !== this.dimensions) {
        throw new AgentOsError('CONFIG', `The embeddings endpoint returned ${embedding.length}-dimensional vectors for ${this.model}, but ${this.dimensions} are configured.`, {
          hint: `Set embeddings.dimensions to ${embedding.length} in the agent-os config (vectors already stored for the old size will be rebuilt).`,
        });
      }
      out[slot] = normalise(embedding as number[]);
    });
    return out as Float32Array[];
  }

  private requestError(errors: ErrorModule, e: unknown): AgentOsError {
    const at = `${this.baseUrl} (model ${this.model})`;
    const unavailable = (message: string, hint: string): AgentOsError => new AgentOsError('MODEL_UNAVAILABLE', message, { cause: e, hint });
    if (e instanceof errors.AuthenticationError || e instanceof errors.PermissionDeniedError) {
      const keyState = this.apiKey ? `the key in ${this.apiKeyEnv} was refused` : `${this.apiKeyEnv} is not set`;
      return unavailable(`The embeddings endpoint ${at} refused the request (HTTP ${e.status}): ${keyState}.`, `Set ${this.apiKeyEnv} to a valid API key for this endpoint, or point embeddings.apiKeyEnv at the variable that holds it.`);
    }
    if (e instanceof errors.APIConnectionTimeoutError) {
      return unavailable(`The embeddings endpoint ${at} did not answer within ${Math.round(this.timeoutMs / 1000)} s.`, 'Check that the server is up and not overloaded, or lower embeddings.batchSize.');
    }
    if (e instanceof errors.APIConnectionError) {
      return unavailable(`Cannot connect to the embeddings endpoint ${at}: ${messageOf(e.cause ?? e)}.`, 'Check embeddings.baseUrl (or OPENAI_BASE_URL), that the server is running, and the network/proxy settings.');
    }
    if (e instanceof errors.NotFoundError) {
      return unavailable(`The embeddings endpoint ${at} answered 404: ${messageOf(e)}.`, 'Check embeddings.model and that embeddings.baseUrl includes the API version path (e.g. .../v1).');
    }
    if (e instanceof errors.RateLimitError) {
      return unavailable(`The embeddings endpoint ${at} is rate-limiting or out of quota (HTTP 429).`, 'Wait and retry, lower embeddings.batchSize, or check the account quota.');
    }
    if (e instanceof errors.BadRequestError) {
      return unavailable(`The embeddings endpoint ${at} rejected the request (HTTP 400): ${messageOf(e)}.`, this.requestDimensions !== undefined ? 'This model may not support the dimensions parameter; remove embeddings.dimensions.' : 'Check embeddings.model and embeddings.batchSize.');
    }
    if (e instanceof errors.APIError) {
      return unavailable(`The embeddings endpoint ${at} failed (HTTP ${e.status ?? '?'}): ${messageOf(e)}.`, 'Retry later; if it persists, check the server logs or status page.');
    }
    return unavailable(`The embeddings endpoint ${at} returned an unreadable response: ${messageOf(e)}.`, 'Check that embeddings.baseUrl points at an OpenAI-compatible API (usually ending in /v1) that serves POST /embeddings.');
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `text ${JSON.stringify(value.slice(0, 60))}`;
  if (typeof value === 'object') return `an object with keys [${Object.keys(value).slice(0, 5).join(', ')}]`;
  return typeof value;
}

function normalise(values: readonly number[]): Float32Array {
  let norm = 0;
  for (const v of values) norm += v * v;
  const out = new Float32Array(values.length);
  if (norm === 0) return out;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * inv;
  return out;
}
