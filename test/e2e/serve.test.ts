import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../fakes/build.js';
import { copyCorpus, makeProject } from '../fakes/project.js';

/**
 * `agent-os serve` as a user's MCP client runs it: the built CLI in a child process, over stdio and
 * over Streamable HTTP, from dist/ (built here when older than src/).
 */
const ENV = { ...getDefaultEnvironment(), AGENT_OS_EMBEDDINGS: 'none', LANCEDB_LOG: 'error' };

const AUTH = `# Authentication patterns

## Passwords

Hash passwords with argon2id. Never store plain text passwords.
`;
const KAFKA = `# Kafka conventions

## Topics

Name topics by domain, entity and event.
`;


interface SearchResult {
  results: Array<{ file: string; section: string; content: string }>;
  mode: string;
}
const textOf = (res: unknown): string => (((res as { content?: unknown }).content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

/** Search until the background index has made the standard findable; only "not indexed yet" errors are tolerated meanwhile. */
async function searchWhenIndexed(client: Client, query: string): Promise<SearchResult> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const res = await client.callTool({ name: 'search_standards', arguments: { query } });
    if (!res.isError) {
      const out = res.structuredContent as unknown as SearchResult;
      if (out.results.length > 0) return out;
    } else {
      expect(textOf(res)).toMatch(/being indexed|not been indexed/);
    }
    await sleep(100);
  }
  throw new Error(`no result for "${query}" after 400 attempts`);
}

/** Resolves with the first match of `re` in everything the stream has produced; rejects if the child exits first. */
function waitForOutput(child: ChildProcess | null, stream: NodeJS.ReadableStream, re: RegExp, seen: { text: string }): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const m = seen.text.match(re);
      if (m) {
        stream.off('data', onData);
        stream.off('end', onEnd);
        child?.off('exit', onEnd);
        resolve(m);
      }
      return Boolean(m);
    };
    // Listeners run in order of registration: the caller's accumulator has already appended the chunk.
    const onData = (): void => void check();
    const onEnd = (): void => reject(new Error(`server output ended before ${re}:\n${seen.text}`));
    stream.on('data', onData);
    stream.once('end', onEnd);
    child?.once('exit', onEnd);
    check();
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** A raw POST with arbitrary headers (fetch cannot set Host). */
function post(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } };

describe('agent-os serve (built CLI, child process)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  const children: ChildProcess[] = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
    }
  });

  function project() {
    const p = makeProject({ 'security/auth-patterns.md': AUTH, 'data/kafka-patterns.md': KAFKA });
    cleanups.push(() => p.cleanup());
    return p;
  }

  function spawnServe(root: string, extra: string[] = []): { child: ChildProcess; stderr: { text: string } } {
    const child = spawn(process.execPath, [BIN, '--root', root, 'serve', ...extra], { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    const stderr = { text: '' };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (stderr.text += d));
    return { child, stderr };
  }

  it('speaks MCP on stdio: initialize, tools/list, search after the background index; logs only on stderr', async () => {
    const { root } = project();
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--root', root], env: ENV, stderr: 'pipe' });
    const stderr = { text: '' };
    const stderrStream = transport.stderr as PassThrough; // a PassThrough when stderr: 'pipe'
    stderrStream.on('data', (d: Buffer) => (stderr.text += d.toString('utf8')));
    const client = new Client({ name: 'e2e-stdio', version: '0' });
    const protocolErrors: Error[] = [];
    client.onerror = (e) => void protocolErrors.push(e);
    await client.connect(transport);
    cleanups.push(() => client.close());

    expect(client.getServerVersion()?.name).toBe('agent-os');
    expect(client.getInstructions()).toContain('search_standards');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('search_standards');

    const out = await searchWhenIndexed(client, 'how do we hash passwords');
    expect(out.mode).toBe('keyword');
    expect(out.results[0]).toMatchObject({ file: 'security/auth-patterns.md' });
    expect(out.results[0]!.content).toContain('argon2id');

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['agent-os://standards/data/kafka-patterns.md', 'agent-os://standards/security/auth-patterns.md']);

    // Logs went to stderr, and nothing but JSON-RPC reached stdout (a stray line would be a parse error).
    expect(stderr.text).toContain('MCP server ready on stdio');
    await waitForOutput(null, stderrStream, /index up to date: 2 standard file\(s\)/, stderr);
    expect(protocolErrors).toEqual([]);
  });

  it('answers the first search sent right after start once the start-up index is done, with progress, instead of an error', async () => {
    const p = project();
    const copied = copyCorpus(p.standards);
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--root', p.root], env: ENV, stderr: 'pipe' });
    const client = new Client({ name: 'e2e-first-search', version: '0' });
    await client.connect(transport);
    cleanups.push(() => client.close());
    const progress: number[] = [];
    const res = await client.callTool({ name: 'search_standards', arguments: { query: 'kafka topic naming' } }, undefined, {
      onprogress: (n) => void progress.push(n.progress),
      timeout: 120_000,
    });
    expect(res.isError, textOf(res)).toBeFalsy();
    const out = res.structuredContent as unknown as SearchResult & { warnings: string[] };
    expect(out.results[0]).toMatchObject({ file: 'data/kafka-patterns.md' });
    expect(out.warnings.join(' ')).not.toMatch(/still being indexed/);
    expect(progress.length).toBeGreaterThan(0);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(progress[progress.length - 1]).toBeLessThanOrEqual(100);
    expect(copied).toBeGreaterThan(100);
  });

  it('sees a saved, edited and deleted standard through the watcher', async () => {
    const p = project();
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--root', p.root, '--verbose'], env: ENV, stderr: 'pipe' });
    let serverLog = '';
    (transport.stderr as PassThrough).on('data', (d: Buffer) => (serverLog += d.toString('utf8')));
    const client = new Client({ name: 'e2e-watch', version: '0' });
    await client.connect(transport);
    cleanups.push(() => client.close());
    await searchWhenIndexed(client, 'hash passwords');

    const files = async (query: string): Promise<string[]> => {
      const res = await client.callTool({ name: 'search_standards', arguments: { query } });
      return res.isError ? [] : (res.structuredContent as unknown as SearchResult).results.map((r) => r.file);
    };
    const eventually = async (query: string, want: (files: string[]) => boolean): Promise<string[]> => {
      let last: string[] = [];
      for (let i = 0; i < 300; i++) {
        last = await files(query);
        if (want(last)) return last;
        await sleep(100);
      }
      throw new Error(`"${query}" never matched; last results: ${last.join(', ')}\nserver log:\n${serverLog.slice(-4000)}`);
    };

    p.write('operations/canary.md', '# Canary releases\n\n## Rollout\n\nShift traffic to the zebracanary build in five percent steps.\n');
    await eventually('zebracanary', (f) => f[0] === 'operations/canary.md');
    p.write('operations/canary.md', '# Canary releases\n\n## Rollout\n\nShift traffic to the quokkarelease build gradually.\n');
    await eventually('quokkarelease', (f) => f[0] === 'operations/canary.md');
    p.remove('operations/canary.md');
    await eventually('quokkarelease gradually', (f) => !f.includes('operations/canary.md'));
  });

  it('answers initialize before indexing, and exits 0 when stdin closes', async () => {
    const { root } = project();
    const { child, stderr } = spawnServe(root);
    const stdout = { text: '' };
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => (stdout.text += d));
    child.stdin!.write(`${JSON.stringify(INITIALIZE)}\n`);
    const [line] = await waitForOutput(child, child.stdout!, /^.*\n/, stdout);
    expect(JSON.parse(line!)).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'agent-os' } } });
    child.stdin!.end();
    expect(await exited(child)).toEqual({ code: 0, signal: null });
    expect(stdout.text.trim().split('\n')).toHaveLength(1);
    expect(stderr.text).not.toMatch(/error/i);
  });

  it('stops cleanly on SIGTERM', async () => {
    const { root } = project();
    const { child, stderr } = spawnServe(root);
    await waitForOutput(child, child.stderr!, /MCP server ready/, stderr);
    child.kill('SIGTERM');
    expect(await exited(child)).toEqual({ code: 0, signal: null });
  });

  it('rejects a bad --http port as usage error (exit 2)', async () => {
    const { root } = project();
    const { child, stderr } = spawnServe(root, ['--http', 'eighty']);
    expect(await exited(child)).toEqual({ code: 2, signal: null });
    expect(stderr.text).toMatch(/--http needs a port number/);
  });

  it('serves Streamable HTTP on 127.0.0.1 to clients with the token, and refuses foreign Host and Origin headers', async () => {
    const { root } = project();
    const { child, stderr } = spawnServe(root, ['--http', '0']);
    const [, url] = await waitForOutput(child, child.stderr!, /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/, stderr);
    const [, token] = await waitForOutput(child, child.stderr!, /"Authorization: Bearer ([A-Za-z0-9_-]{43})"/, stderr);
    const port = new URL(url!).port;
    // The generated token is in the cache, readable by its owner only, and printed once.
    const tokenFile = path.join(root, '.agent-os', '.cache', 'http-token');
    expect(fs.readFileSync(tokenFile, 'utf8').trim()).toBe(token);
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(stderr.text.split(token!).length - 1).toBe(1);
    const auth = { authorization: `Bearer ${token}` };

    const client = new Client({ name: 'e2e-http', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url!), { requestInit: { headers: auth } }));
    cleanups.push(() => client.close());
    expect(client.getInstructions()).toContain('search_standards');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['search_standards', 'invoke_security', 'check_persona_job']));
    const out = await searchWhenIndexed(client, 'kafka topic naming');
    expect(out.results[0]).toMatchObject({ file: 'data/kafka-patterns.md' });
    const bad = await client.callTool({ name: 'search_standards', arguments: { query: '' } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/query is empty/);

    // No token, a wrong one, or another scheme: 401 before anything is read or run.
    const unauthorised: Array<Record<string, string>> = [{}, { authorization: `Bearer ${token!.slice(0, -1)}x` }, { authorization: `Basic ${token}` }, { authorization: 'Bearer' }];
    for (const headers of unauthorised) {
      const res = await post(url!, headers, INITIALIZE);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32001, message: expect.stringContaining('Authorization: Bearer') } });
    }
    const noToken = new Client({ name: 'e2e-http-no-token', version: '0' });
    await expect(noToken.connect(new StreamableHTTPClientTransport(new URL(url!)))).rejects.toThrow(/401|Unauthorized/);

    // The same request is accepted with a local Host, refused with a foreign one (DNS rebinding) or a foreign Origin.
    expect((await post(url!, auth, INITIALIZE)).status).toBe(200);
    expect((await post(url!, { ...auth, host: `localhost:${port}` }, INITIALIZE)).status).toBe(200);
    const foreign: Array<Record<string, string>> = [{ host: 'evil.example' }, { host: `evil.example:${port}` }, { origin: 'http://evil.example' }];
    for (const headers of foreign) {
      const res = await post(url!, { ...auth, ...headers }, INITIALIZE);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    }
    // Stateless: no server-to-client stream, no sessions to end.
    const get = await fetch(url!, { headers: { ...auth, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    // Malformed JSON is a JSON-RPC parse error, not an HTML page.
    const parse = await fetch(url!, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{nope' });
    expect(parse.status).toBe(400);
    expect(await parse.json()).toMatchObject({ error: { code: -32700 } });

    // The documented maximum input fits, even in characters JSON escapes; far more is refused.
    const context = '\u0001é'.repeat(100_000);
    const started = await client.callTool({ name: 'invoke_engineer', arguments: { task: 't'.repeat(20_000), context } });
    expect(started.isError, textOf(started)).toBeFalsy();
    const huge = await post(url!, auth, { ...INITIALIZE, params: { ...INITIALIZE.params, pad: 'x'.repeat(3 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ error: { message: expect.stringContaining('too large') } });

    child.kill('SIGTERM');
    expect(await exited(child)).toEqual({ code: 0, signal: null });
  });

  it('takes the HTTP token from AGENT_OS_HTTP_TOKEN without printing or writing it, and refuses a weak one', async () => {
    const { root } = project();
    const token = 'a-token-the-user-chose-0123456789';
    const child = spawn(process.execPath, [BIN, '--root', root, 'serve', '--http', '0'], { env: { ...ENV, AGENT_OS_HTTP_TOKEN: token }, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    const stderr = { text: '' };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (stderr.text += d));
    const [, url] = await waitForOutput(child, child.stderr!, /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/, stderr);
    await waitForOutput(child, child.stderr!, /Authorization: Bearer \$AGENT_OS_HTTP_TOKEN/, stderr);
    expect((await post(url!, { authorization: `Bearer ${token}` }, INITIALIZE)).status).toBe(200);
    expect((await post(url!, { authorization: 'Bearer a-token-the-user-chose-012345678' }, INITIALIZE)).status).toBe(401);
    expect(stderr.text).not.toContain(token);
    expect(fs.existsSync(path.join(root, '.agent-os', '.cache', 'http-token'))).toBe(false);
    child.kill('SIGTERM');
    expect(await exited(child)).toEqual({ code: 0, signal: null });

    const weak = spawn(process.execPath, [BIN, '--root', root, 'serve', '--http', '0'], { env: { ...ENV, AGENT_OS_HTTP_TOKEN: 'short' }, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(weak);
    let weakErr = '';
    weak.stderr!.on('data', (d: Buffer) => (weakErr += d.toString()));
    expect(await exited(weak)).toEqual({ code: 2, signal: null });
    expect(weakErr).toContain('AGENT_OS_HTTP_TOKEN must be at least 16 characters');
  });
});
