/**
 * The OpenAI-compatible embedder against a loopback server that speaks POST /v1/embeddings.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { AgentOsError } from '../../src/domain/errors.js';
import { OpenAIEmbedder, type OpenAIEmbedderOptions } from '../../src/infra/embedders/openai.js';

interface EmbeddingRequest {
  model: string;
  input: string[];
  encoding_format?: string;
  dimensions?: number;
}

interface Received {
  path: string;
  authorization: string | undefined;
  body: EmbeddingRequest;
}

type Handler = (req: Received, res: ServerResponse) => void;

let server: Server;
let baseUrl = '';
let received: Received[] = [];
let handler: Handler;

/** Deterministic, deliberately unnormalised vector for a text: [length, 2 * length, 1, 0, ...]. */
function fakeVector(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  v[0] = text.length;
  v[1] = 2 * text.length;
  v[2] = 1;
  return v;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Answers like OpenAI does, but lists the items in reverse order (clients must use `index`). */
function embeddingsHandler(dims: number): Handler {
  return (req, res) => {
    const data = req.body.input.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, dims) }));
    sendJson(res, 200, {
      object: 'list',
      data: data.reverse(),
      model: req.body.model,
      usage: { prompt_tokens: req.body.input.length, total_tokens: req.body.input.length },
    });
  };
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const entry: Received = { path: req.url ?? '', authorization: req.headers.authorization, body: raw ? (JSON.parse(raw) as EmbeddingRequest) : ({} as EmbeddingRequest) };
      received.push(entry);
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return sendJson(res, 404, { error: { message: 'not found' } });
      handler(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  received = [];
});

function embedder(options: Partial<OpenAIEmbedderOptions> = {}): OpenAIEmbedder {
  return new OpenAIEmbedder({
    baseUrl,
    model: 'test-embed',
    dimensions: 8,
    apiKeyEnv: 'AOS_TEST_KEY',
    env: { AOS_TEST_KEY: 'sk-test' },
    maxRetries: 0,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<AgentOsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgentOsError);
  return err as AgentOsError;
}

describe('OpenAIEmbedder', () => {
  it('sends the model, key, size and float encoding, in batches of batchSize', async () => {
    handler = embeddingsHandler(8);
    const e = embedder({ batchSize: 3 });
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff', 'ggggggg'];
    const vectors = await e.embedDocuments(texts);

    const calls = received.slice(1); // the first request is load()'s connection check
    expect(received[0]!.body.input).toHaveLength(1);
    expect(calls.map((c) => c.body.input)).toEqual([['a', 'bb', 'ccc'], ['dddd', 'eeeee', 'ffffff'], ['ggggggg']]);
    for (const c of received) {
      expect(c.path).toBe('/v1/embeddings');
      expect(c.authorization).toBe('Bearer sk-test');
      expect(c.body.model).toBe('test-embed');
      expect(c.body.encoding_format).toBe('float');
      expect(c.body.dimensions).toBe(8);
    }
    // Each vector belongs to its own text although the server answered in reverse order.
    vectors.forEach((v, i) => {
      const n = texts[i]!.length;
      const length = Math.hypot(n, 2 * n, 1);
      expect(v[0]).toBeCloseTo(n / length, 6);
      expect(v[2]).toBeCloseTo(1 / length, 6);
    });
  });

  it('returns unit-length vectors', async () => {
    handler = embeddingsHandler(8);
    const v = await embedder().embedQuery('normalise me');
    expect(v).toHaveLength(8);
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
  });

  it('derives id and default size from the model and does not send a size it was not given', async () => {
    handler = embeddingsHandler(1536);
    const e = embedder({ model: undefined, dimensions: undefined });
    expect(e.id).toBe('openai-text-embedding-3-small-1536');
    expect(e.dimensions).toBe(1536);
    await e.embedQuery('hello');
    expect(received.every((r) => r.body.model === 'text-embedding-3-small' && !('dimensions' in r.body))).toBe(true);
  });

  it('embeds empty text as a zero vector without sending it', async () => {
    handler = embeddingsHandler(8);
    const e = embedder();
    await e.load();
    received = [];
    const [empty, full] = await e.embedDocuments(['   ', 'text']);
    expect(Array.from(empty!)).toEqual(new Array(8).fill(0));
    expect(Math.hypot(...full!)).toBeCloseTo(1, 6);
    expect(received.map((r) => r.body.input)).toEqual([['text']]);
  });

  it('turns 401 into MODEL_UNAVAILABLE that names the key variable', async () => {
    handler = (_req, res) => sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    const err = await failure(embedder().load());
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toMatch(/401/);
    expect(err.hint).toMatch(/AOS_TEST_KEY/);
  });

  it('turns an unparseable body into a clear error', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object": "list", "data": [ garbage');
    };
    const err = await failure(embedder().load());
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toMatch(/unreadable response/);
    expect(err.hint).toMatch(/baseUrl/);
  });

  it('turns a well-formed but wrong body into a clear error', async () => {
    handler = (_req, res) => sendJson(res, 200, { result: 'ok' });
    const err = await failure(embedder().load());
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toMatch(/unexpected response.*"data"/);

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy login</html>');
    };
    expect((await failure(embedder().load())).message).toMatch(/unexpected response/);
  });

  it('rejects vectors whose size differs from the configured one', async () => {
    handler = embeddingsHandler(4);
    const err = await failure(embedder({ dimensions: 8 }).embedQuery('x'));
    expect(err.code).toBe('CONFIG');
    expect(err.message).toMatch(/4-dimensional/);
    expect(err.hint).toMatch(/dimensions to 4/);
  });

  it('rejects a response with the wrong number of embeddings', async () => {
    handler = (req, res) => sendJson(res, 200, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: fakeVector('x', 8) }], model: req.body.model });
    const e = embedder();
    await e.load();
    const err = await failure(e.embedDocuments(['one', 'two']));
    expect(err.message).toMatch(/1 embeddings for 2 inputs/);
  });

  it('reports a refused connection as MODEL_UNAVAILABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await failure(embedder({ baseUrl: `http://127.0.0.1:${port}/v1` }).load());
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toMatch(/Cannot connect/);
    expect(err.hint).toMatch(/baseUrl/);
  });

  it('asks for a key before calling OpenAI itself', async () => {
    const e = new OpenAIEmbedder({ env: {}, maxRetries: 0 });
    expect(e.baseUrl).toBe('https://api.openai.com/v1');
    const err = await failure(e.load());
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.hint).toMatch(/OPENAI_API_KEY/);
  });

  it('takes the endpoint from OPENAI_BASE_URL and works without a key there', async () => {
    handler = embeddingsHandler(8);
    const e = new OpenAIEmbedder({ env: { OPENAI_BASE_URL: baseUrl }, dimensions: 8, maxRetries: 0 });
    await e.embedQuery('local server');
    expect(received.length).toBeGreaterThan(0);
    expect(received[0]!.authorization).toBe('Bearer no-key');
  });
});
