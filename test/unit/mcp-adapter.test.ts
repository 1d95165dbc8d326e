import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentOsError } from '../../src/domain/errors.js';
import { createMcpServer, readStandardFile, standardUri } from '../../src/mcp/server.js';
import { renderSearch, toStructured } from '../../src/mcp/tools/search-standards.js';
import type { Logger } from '../../src/ports/logger.js';
import type { SearchInput, SearchOutput } from '../../src/services/search-standards.js';

const OUTPUT: SearchOutput = {
  results: [
    {
      file: 'security/auth-patterns.md',
      section: 'Authentication > Passwords',
      score: 0.91,
      content: 'Hash passwords with argon2id.',
      domain: 'security',
      title: 'Authentication',
      tags: ['auth'],
      created_by: 'security',
      approved_by: 'Jane Doe <jane@example.com>',
      query_count: 4,
      created_at: '2026-01-02T10:00:00+00:00',
      last_updated: '2026-03-04T10:00:00+00:00',
    },
    { file: 'development/error-handling.md', section: 'Error handling', score: 0.4, content: 'Throw typed errors.', domain: 'development', title: 'Error handling', tags: [], created_by: null, approved_by: null, query_count: 1, created_at: null, last_updated: null },
  ],
  query_ms: 3.2,
  mode: 'hybrid',
  cached: false,
  warnings: ['a warning'],
};

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (msg: string) => void lines.push(`${level}: ${msg}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

describe('MCP adapter (fake use cases)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function connect(search: (input: SearchInput) => Promise<SearchOutput>, standardsDir = '/nonexistent') {
    const calls: SearchInput[] = [];
    const logger = recordingLogger();
    const server = createMcpServer({
      search: async (input) => {
        calls.push(input);
        return search(input);
      },
      listStandards: async () => [],
      standardsDir,
      logger,
      version: '9.9.9',
    });
    const client = new Client({ name: 'unit', version: '0' });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    await client.connect(b);
    cleanups.push(() => client.close(), () => server.close());
    return { client, calls, logger };
  }

  it('maps the spec arguments onto the use case and applies the default limit', async () => {
    const { client, calls } = await connect(async () => OUTPUT);
    expect(client.getServerVersion()).toMatchObject({ name: 'agent-os', version: '9.9.9' });
    await client.callTool({ name: 'search_standards', arguments: { query: 'passwords' } });
    await client.callTool({ name: 'search_standards', arguments: { query: 'passwords', limit: 3, domain: 'security', file_path: 'src/auth/login.ts' } });
    expect(calls).toEqual([
      { query: 'passwords', limit: 5 },
      { query: 'passwords', limit: 3, domain: 'security', filePath: 'src/auth/login.ts' },
    ]);
  });

  it('returns structuredContent and a text rendering of the same results', async () => {
    const { client } = await connect(async () => OUTPUT);
    const res = await client.callTool({ name: 'search_standards', arguments: { query: 'passwords' } });
    expect(res.isError).toBeFalsy();
    expect(res.structuredContent).toEqual({
      results: [
        {
          file: 'security/auth-patterns.md',
          section: 'Authentication > Passwords',
          score: 0.91,
          content: 'Hash passwords with argon2id.',
          domain: 'security',
          title: 'Authentication',
          tags: ['auth'],
          created_by: 'security',
          approved_by: 'Jane Doe <jane@example.com>',
          query_count: 4,
          created_at: '2026-01-02T10:00:00+00:00',
          last_updated: '2026-03-04T10:00:00+00:00',
        },
        { file: 'development/error-handling.md', section: 'Error handling', score: 0.4, content: 'Throw typed errors.', domain: 'development', title: 'Error handling', query_count: 1 },
      ],
      query_ms: 3.2,
      mode: 'hybrid',
      cached: false,
      warnings: ['a warning'],
    });
    const text = (res.content as Array<{ type: string; text: string }>)[0]!.text;
    expect(text).toContain('security/auth-patterns.md — Authentication > Passwords');
    expect(text).toContain('Hash passwords with argon2id.');
    expect(text).toContain('score 0.910 · domain security · tags auth · approved by Jane Doe <jane@example.com>');
    expect(text).toContain('score 0.400 · domain development\n');
    expect(text).toContain('`security/auth-patterns.md`, `development/error-handling.md`');
    expect(text).toContain('Warning: a warning');
  });

  it('turns AgentOsError into an isError result carrying message and hint', async () => {
    const { client } = await connect(async () => {
      throw new AgentOsError('NOT_INITIALIZED', 'The standards have not been indexed yet.', { hint: 'Run `agent-os index`.' });
    });
    const res = await client.callTool({ name: 'search_standards', arguments: { query: 'x' } });
    expect(res.isError).toBe(true);
    expect(res.structuredContent).toBeUndefined();
    expect(res.content).toEqual([{ type: 'text', text: 'The standards have not been indexed yet.\nRun `agent-os index`.' }]);
  });

  it('reports unexpected failures as isError and logs them', async () => {
    const { client, logger } = await connect(async () => {
      throw new TypeError('boom');
    });
    const res = await client.callTool({ name: 'search_standards', arguments: { query: 'x' } });
    expect(res.isError).toBe(true);
    expect(JSON.stringify(res.content)).toContain('boom');
    expect(logger.lines.join('\n')).toMatch(/error: search_standards failed unexpectedly/);
  });

  it('rejects arguments outside the schema without calling the use case', async () => {
    const { client, calls } = await connect(async () => OUTPUT);
    for (const args of [{ query: 'x', limit: 0 }, { query: 'x', limit: 2.5 }, { query: 'x', limit: 51 }, { limit: 3 }, { query: 42 }]) {
      const res = await client.callTool({ name: 'search_standards', arguments: args });
      expect(res.isError, JSON.stringify(args)).toBe(true);
      expect(JSON.stringify(res.content)).toMatch(/Input validation error/);
    }
    expect(calls).toEqual([]);
  });

  it('renders an empty result as "no standard covers this"', () => {
    const text = renderSearch('quantum', toStructured({ ...OUTPUT, results: [], warnings: [] }));
    expect(text).toMatch(/No standard matched "quantum"/);
    expect(text).not.toMatch(/Warning/);
  });
});

describe('readStandardFile', () => {
  let dir = '';
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  function setup() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-read-'));
    const standards = path.join(dir, 'standards');
    fs.mkdirSync(path.join(standards, 'security'), { recursive: true });
    fs.mkdirSync(path.join(standards, '.hidden'), { recursive: true });
    fs.writeFileSync(path.join(standards, 'security', 'auth.md'), '# Auth\n');
    fs.writeFileSync(path.join(standards, '.hidden', 'x.md'), 'hidden');
    fs.writeFileSync(path.join(dir, 'secret.md'), 'outside');
    fs.symlinkSync(path.join(dir, 'secret.md'), path.join(standards, 'security', 'link.md'));
    return standards;
  }

  it('reads a standard and refuses anything that leaves the directory', async () => {
    const standards = setup();
    await expect(readStandardFile(standards, 'security/auth.md')).resolves.toBe('# Auth\n');
    for (const bad of ['../secret.md', 'security/../../secret.md', '/etc/passwd', path.join(dir, 'secret.md'), '.hidden/x.md', 'security/link.md', 'security\\auth.md', 'security/auth.txt', '', 'security//auth.md']) {
      await expect(readStandardFile(standards, bad), bad).rejects.toThrow(/Refused/);
    }
    await expect(readStandardFile(standards, 'security/missing.md')).rejects.toThrow(/not found/);
  });

  it('builds resource URIs from file paths', () => {
    expect(standardUri('security/auth-patterns.md')).toBe('agent-os://standards/security/auth-patterns.md');
    expect(standardUri('data/a b#c.md')).toBe('agent-os://standards/data/a%20b%23c.md');
  });
});
