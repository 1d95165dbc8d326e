/** Helpers the benchmarks share for driving the built CLI and `agent-os serve` as a user's tools do. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/** One built-CLI call; its stdout. */
export function runCli(bin: string, env: Record<string, string>, root: string, args: string[]): string {
  return execFileSync(process.execPath, [bin, '--root', root, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 2 ** 20 });
}

export interface Served {
  client: Client;
  transport: StdioClientTransport;
  startedAt: number;
}

/** `agent-os serve` over stdio with a real MCP client connected. */
export async function connectServer(bin: string, env: Record<string, string>, root: string): Promise<Served> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, '--root', root, 'serve'], env, stderr: 'pipe' });
  const client = new Client({ name: 'agent-os-bench', version: '0' });
  const startedAt = performance.now();
  await client.connect(transport);
  return { client, transport, startedAt };
}

export interface SearchResultShape {
  results: Array<{ file: string; content: string; section: string }>;
  query_ms: number;
  mode: string;
}

export async function mcpSearch(client: Client, query: string, limit = 5): Promise<SearchResultShape> {
  const res = await client.callTool({ name: 'search_standards', arguments: { query, limit } });
  if (res.isError) throw new Error(`search_standards failed: ${JSON.stringify(res.content)}`);
  return res.structuredContent as unknown as SearchResultShape;
}

/** Resident and peak resident memory of a process, in MB. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Polls `fn` every 20 ms until it returns non-null or `timeoutMs` passes. */
export async function until<T>(fn: () => Promise<T | null>, timeoutMs: number): Promise<T | null> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v !== null) return v;
    await sleep(20);
  }
  return null;
}
