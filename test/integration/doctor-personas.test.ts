import { afterEach, describe, expect, it } from 'vitest';
import { createDoctorDeps } from '../../src/app-deps.js';
import { silentLogger } from '../../src/ports/logger.js';
import { runDoctor } from '../../src/services/doctor.js';
import { HashEmbedder } from '../fakes/hash-embedder.js';
import { makeProject } from '../fakes/project.js';

describe('doctor on personas and the model', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('names a broken persona file and the field, and says briefing mode when no model is named', async () => {
    const p = makeProject({ 'development/x.md': '# X\n\nText.\n' });
    cleanups.push(() => p.cleanup());
    p.write('../personas/database.md', '---\nname: Database\nstandard_directory: data\nmcp_tool_name: invoke_database\npriority: specialist\n---\nBody.\n');
    const report = await runDoctor(createDoctorDeps({ root: p.root, logger: silentLogger, embedder: new HashEmbedder(), env: { OPENAI_API_KEY: 'sk-test' } }));
    const personas = report.checks.find((c) => c.id === 'personas');
    expect(personas?.status).toBe('warn');
    expect(personas?.detail).toMatch(/\.agent-os\/personas\/database\.md.*identifier/);
    const llm = report.checks.find((c) => c.id === 'llm');
    expect(llm?.status).toBe('warn');
    expect(llm?.detail).toMatch(/no model is named.*briefing mode/);
  });
});
