import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../fakes/build.js';
import { copyCorpus, makeProject } from '../fakes/project.js';

/** Persona jobs through `agent-os serve` over stdio, as an MCP client uses them (no LLM: briefing mode). */
const ENV = { ...getDefaultEnvironment(), AGENT_OS_EMBEDDINGS: 'none', LANCEDB_LOG: 'error' };
const AUTH = '# Authentication patterns\n\n## Passwords\n\nHash passwords with argon2id. Never log credentials.\n';

type Json = Record<string, unknown>;
const structured = (res: unknown): Json => (res as { structuredContent: Json }).structuredContent;

describe('persona jobs over MCP', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function connect(root: string, env: Record<string, string> = {}): Promise<Client> {
    const client = new Client({ name: 'e2e-personas', version: '0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, '--root', root, 'serve'], env: { ...ENV, ...env }, stderr: 'ignore' }));
    cleanups.push(() => client.close());
    return client;
  }

  async function untilFinal(client: Client, jobId: string): Promise<Json> {
    for (let i = 0; i < 600; i++) {
      const view = structured(await client.callTool({ name: 'check_persona_job', arguments: { job_id: jobId } }));
      if (['complete', 'failed', 'cancelled'].includes(String(view['status']))) return view;
      await sleep(50);
    }
    throw new Error(`job ${jobId} never finished`);
  }

  it('lists the spec tools and prompts, runs a security review in briefing mode, and reports it', async () => {
    const p = makeProject({ 'security/auth-patterns.md': AUTH });
    cleanups.push(() => p.cleanup());
    const client = await connect(p.root);

    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const tool of ['invoke_architect', 'invoke_engineer', 'invoke_data', 'invoke_qa', 'invoke_security', 'invoke_sre', 'invoke_persona', 'check_persona_job', 'list_persona_jobs', 'cancel_persona_job', 'persona_database_stats', 'reset_persona_jobs']) {
      expect(names).toContain(tool);
    }
    const prompts = (await client.listPrompts()).prompts.map((pr) => pr.name);
    expect(prompts).toEqual(expect.arrayContaining(['architect', 'security', 'sre']));
    const prompt = await client.getPrompt({ name: 'security', arguments: { task: 'review login' } });
    expect(JSON.stringify(prompt.messages)).toContain('review login');

    const started = structured(await client.callTool({ name: 'invoke_security', arguments: { task: 'review how we store passwords' } }));
    expect(started).toMatchObject({ status: 'started', persona: 'security' });
    expect(String(started['poll_command'])).toBe(`check_persona_job('${String(started['job_id'])}')`);

    // Search may still be indexing when the job starts; the briefing says so rather than failing.
    const done = await untilFinal(client, String(started['job_id']));
    expect(done['status']).toBe('complete');
    expect(String(done['result'])).toMatch(/Briefing mode/);

    const list = structured(await client.callTool({ name: 'list_persona_jobs', arguments: { persona: 'security' } }));
    expect((list['jobs'] as Json[])[0]).toMatchObject({ job_id: started['job_id'], status: 'complete' });
    const stats = structured(await client.callTool({ name: 'persona_database_stats', arguments: {} }));
    expect(stats['total_jobs']).toBe(1);

    const unknown = await client.callTool({ name: 'check_persona_job', arguments: { job_id: 'no-such-job' } });
    expect(unknown.isError).toBe(true);
    const badPersona = await client.callTool({ name: 'invoke_persona', arguments: { persona: 'astrologer', task: 'x' } });
    expect(badPersona.isError).toBe(true);
    expect((badPersona.content as Array<{ text: string }>)[0]?.text).toMatch(/Unknown persona "astrologer"/);

    const notReset = structured(await client.callTool({ name: 'reset_persona_jobs', arguments: {} }));
    expect(notReset['jobs_deleted']).toBe(0);
    const reset = structured(await client.callTool({ name: 'reset_persona_jobs', arguments: { confirm: true } }));
    expect(reset['jobs_deleted']).toBe(1);
    expect(reset['jobs_kept']).toBe(0);
  });

  it('a briefing for a change names the standard that governs its planted flaw, and the line', async () => {
    // Generic standards too, so a search of the task's words alone finds something else.
    const p = makeProject();
    cleanups.push(() => p.cleanup());
    const picked = ['Secure_Code_Review', 'Secure_Coding_with_AI', 'Legacy_Application_Management', 'Secrets_Management', 'GitHub_Actions_Security', 'Password_Storage', 'SQL_Injection_Prevention', 'Cross_Site_Scripting_Prevention', 'Logging'];
    copyCorpus(p.standards, (rel) => picked.some((name) => rel === `security/${name}_Cheat_Sheet.md`));
    const client = await connect(p.root);
    // The first search waits for the start-up index.
    const found = structured(await client.callTool({ name: 'search_standards', arguments: { query: 'password storage' } }));
    expect((found['results'] as Json[]).length).toBeGreaterThan(0);

    const diff = [
      'diff --git a/app/accounts/auth.py b/app/accounts/auth.py',
      'index 1111111..2222222 100644',
      '--- a/app/accounts/auth.py',
      '+++ b/app/accounts/auth.py',
      '@@ -1,4 +1,6 @@',
      '+import hashlib',
      '+',
      ' def register(email, password):',
      '     user = User(email=email)',
      '+    user.password_hash = hashlib.md5(password.encode()).hexdigest()',
      '     return user',
      '',
    ].join('\n');
    const started = structured(await client.callTool({ name: 'invoke_security', arguments: { task: 'Review this change before I commit it', context: diff } }));
    const done = await untilFinal(client, String(started['job_id']));
    expect(done['status']).toBe('complete');
    const result = String(done['result']);
    const listed = [...result.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1]);
    expect(listed.slice(0, 3)).toContain('security/Password_Storage_Cheat_Sheet.md');
    expect(result).toContain('**Change:** `app/accounts/auth.py` (+3 −0).');
    expect(result).toMatch(/- `app\/accounts\/auth\.py:5` `user\.password_hash = hashlib\.md5\(password\.encode\(\)\)\.hexdigest\(\)` — [^\n]*password/);
    expect(result).not.toContain('not analysed in briefing mode');
    expect(result.length).toBeLessThanOrEqual(8000);
  });

  it('runs a project specialist through invoke_persona', async () => {
    const p = makeProject({ 'data/schema.md': '# Schema rules\n\n## Migrations\n\nEvery migration is reversible.\n' });
    cleanups.push(() => p.cleanup());
    p.write('../personas/database.md', '---\nname: Database Specialist\nidentifier: database\nstandard_directory: data\nmcp_tool_name: invoke_database\npriority: specialist\n---\n# Database Specialist\n\nYou review schemas and migrations.\n\n## Checklist\n\n- Is every migration reversible?\n');
    const client = await connect(p.root);
    const started = structured(await client.callTool({ name: 'invoke_persona', arguments: { persona: 'database', task: 'review the new migration' } }));
    expect(started).toMatchObject({ status: 'started', persona: 'database' });
    const done = await untilFinal(client, String(started['job_id']));
    expect(done['status']).toBe('complete');
    expect(String(done['result'])).toMatch(/reversible/);
  });

  it('personas.enabled: false leaves search and removes the persona tools', async () => {
    const p = makeProject({ 'security/auth-patterns.md': AUTH });
    cleanups.push(() => p.cleanup());
    p.write('../config.yaml', 'personas:\n  enabled: false\n');
    const client = await connect(p.root);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(['search_standards']);
  });
});
