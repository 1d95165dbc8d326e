import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpServer } from '../../src/mcp/server.js';
import { silentLogger } from '../../src/ports/logger.js';
import { indexStandards } from '../../src/services/index-standards.js';
import { searchStandards } from '../../src/services/search-standards.js';
import { realDeps } from '../fakes/deps.js';
import { HashEmbedder } from '../fakes/hash-embedder.js';
import { makeProject } from '../fakes/project.js';

const AUTH = `---
tags: [auth, passwords]
approved_by: Jane Doe
---
# Authentication patterns

## Passwords

Hash passwords with argon2id. Never store plain text passwords.

## Sessions

Rotate session identifiers after login.
`;

const KAFKA = `# Kafka conventions

## Topics

Name topics \`<domain>.<entity>.<event>\`; keep partitions keyed by entity id.
`;

interface SearchResult {
  results: Array<{ file: string; section: string; score: number; content: string; domain: string }>;
  mode: string;
  cached: boolean;
  warnings: string[];
  query_ms: number;
}

const textOf = (res: unknown): string => (((res as { content?: unknown }).content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

describe('MCP server over the real index (in-process client)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(opts: { index?: boolean } = {}) {
    const project = makeProject({ 'security/auth-patterns.md': AUTH, 'data/kafka-patterns.md': KAFKA });
    cleanups.push(() => project.cleanup());
    const deps = realDeps(project.root, new HashEmbedder());
    cleanups.push(() => deps.close());
    if (opts.index !== false) await indexStandards(deps.index);
    const server = createMcpServer({
      search: (input) => searchStandards(deps.search, input),
      listStandards: () => deps.index.repo.list(),
      standardsDir: project.standards,
      logger: silentLogger,
      version: '0.0.0-test',
    });
    const client = new Client({ name: 'e2e-in-process', version: '0' });
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    cleanups.push(() => client.close(), () => server.close());
    return { client, project, deps };
  }

  it('tells the assistant to search the standards first and cite them', async () => {
    const { client } = await setup({ index: false });
    const instructions = client.getInstructions() ?? '';
    expect(instructions).toContain('search_standards');
    expect(instructions).toMatch(/before you design or write code/i);
    expect(instructions).toMatch(/cite/i);
    expect(instructions).toContain('security/auth-patterns.md');
  });

  it('lists search_standards with input/output schemas and annotations', async () => {
    const { client } = await setup({ index: false });
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'search_standards');
    expect(tool).toBeDefined();
    expect(Object.keys(tool!.inputSchema.properties ?? {}).sort()).toEqual(['domain', 'file_path', 'limit', 'query']);
    expect(tool!.inputSchema.required).toEqual(['query']);
    expect((tool!.inputSchema.properties as Record<string, { type?: string; default?: unknown }>)['limit']).toMatchObject({ type: 'integer', default: 5 });
    expect(Object.keys(tool!.outputSchema?.properties ?? {}).sort()).toEqual(['cached', 'mode', 'query_ms', 'results', 'warnings']);
    const hit = (tool!.outputSchema?.properties?.['results'] as { items: { properties: object; required: string[] } }).items;
    expect(Object.keys(hit.properties)).toEqual(expect.arrayContaining(['created_by', 'approved_by', 'query_count']));
    expect(hit.required).toEqual(['file', 'section', 'score', 'content', 'domain']);
    expect(tool!.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true, openWorldHint: false });
    expect(tool!.annotations?.title ?? tool!.title).toBeTruthy();
  });

  it('answers a search with structuredContent that cites files, and the same in text', async () => {
    const { client } = await setup();
    const res = await client.callTool({ name: 'search_standards', arguments: { query: 'how should we hash passwords', limit: 3 } });
    expect(res.isError).toBeFalsy();
    const out = res.structuredContent as unknown as SearchResult;
    expect(out.mode).toBe('hybrid');
    expect(out.cached).toBe(false);
    expect(out.results.length).toBeGreaterThan(0);
    expect(out.results.length).toBeLessThanOrEqual(3);
    expect(out.results[0]).toMatchObject({ file: 'security/auth-patterns.md', domain: 'security', query_count: 1 });
    expect(out.results[0]).toMatchObject({ approved_by: 'Jane Doe' });
    expect(out.results[0]).not.toHaveProperty('created_by');
    expect(out.results[0]!.section).toContain('Passwords');
    expect(out.results[0]!.content).toContain('argon2id');
    const text = textOf(res);
    expect(text).toContain('security/auth-patterns.md');
    expect(text).toContain('argon2id');
    expect(text).toContain('approved by Jane Doe');

    const again = await client.callTool({ name: 'search_standards', arguments: { query: 'how should we hash passwords', limit: 3 } });
    expect((again.structuredContent as unknown as SearchResult).cached).toBe(true);

    const data = await client.callTool({ name: 'search_standards', arguments: { query: 'passwords topics', domain: 'data' } });
    const dataOut = data.structuredContent as unknown as SearchResult;
    expect(dataOut.results.length).toBeGreaterThan(0);
    expect(dataOut.results.every((r) => r.domain === 'data')).toBe(true);
  });

  it('reports an empty query as a tool error with the message and hint', async () => {
    const { client } = await setup();
    const res = await client.callTool({ name: 'search_standards', arguments: { query: '   ' } });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/^The query is empty\.\nDescribe what you are about to build/);
  });

  it('reports an unknown domain as a tool error naming the known domains', async () => {
    const { client } = await setup();
    const res = await client.callTool({ name: 'search_standards', arguments: { query: 'passwords', domain: 'nope' } });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toBe('Unknown domain "nope".\nKnown domains: data, security.');
  });

  it('reports a missing index as a tool error, not a protocol error', async () => {
    const { client } = await setup({ index: false });
    const res = await client.callTool({ name: 'search_standards', arguments: { query: 'passwords' } });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/not been indexed yet[\s\S]*agent-os index/);
  });

  it('lists every standard as a Markdown resource and reads it', async () => {
    const { client, project } = await setup({ index: false });
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['agent-os://standards/data/kafka-patterns.md', 'agent-os://standards/security/auth-patterns.md']);
    expect(resources.every((r) => r.mimeType === 'text/markdown')).toBe(true);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['agent-os://standards/{+file}']);

    const read = await client.readResource({ uri: 'agent-os://standards/security/auth-patterns.md' });
    expect(read.contents).toEqual([{ uri: 'agent-os://standards/security/auth-patterns.md', mimeType: 'text/markdown', text: AUTH }]);

    // A file added later is listed (and readable) without restarting.
    project.write('testing/test-conventions.md', '# Tests\n');
    const after = await client.listResources();
    expect(after.resources.map((r) => r.uri)).toContain('agent-os://standards/testing/test-conventions.md');
    const completion = await client.complete({ ref: { type: 'ref/resource', uri: 'agent-os://standards/{+file}' }, argument: { name: 'file', value: 'sec' } });
    expect(completion.completion.values).toEqual(['security/auth-patterns.md']);
  });

  it('refuses resource paths that escape the standards directory', async () => {
    const { client, project } = await setup({ index: false });
    project.write('../../outside.md', 'secret'); // <root>/outside.md, next to .agent-os/
    const attempts = [
      'agent-os://standards/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      'agent-os://standards/..%2F..%2Foutside.md',
      'agent-os://standards/security/..%2F..%2F..%2Foutside.md',
      'agent-os://standards/%2Fetc%2Fpasswd',
      // Dot segments are removed by URL parsing before matching: this asks for standards/etc/passwd.
      'agent-os://standards/../../etc/passwd',
    ];
    for (const uri of attempts) {
      await expect(client.readResource({ uri }), uri).rejects.toThrow(/Refused/);
    }
    await expect(client.readResource({ uri: attempts[1]! })).rejects.toThrow(/Refused to read "\.\.\/\.\.\/outside\.md"/);
    await expect(client.readResource({ uri: 'agent-os://standards/security/missing.md' })).rejects.toThrow(/not found/);
  });
});
