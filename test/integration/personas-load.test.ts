import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CORE_PERSONA_IDS, PERSONA_PROMPT_MAX_TOKENS, promptTokens } from '../../src/domain/persona.js';
import { FsPersonaSource } from '../../src/infra/fs-persona-source.js';
import { getPersona, loadPersonas, personaPrompt } from '../../src/services/personas.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

/** A temp project with `.agent-os/personas/` filled from a map of file name → content. */
function project(personas: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-personas-'));
  roots.push(root);
  const dir = path.join(root, '.agent-os', 'personas');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(personas)) fs.writeFileSync(path.join(dir, name), text);
  return root;
}

function specialist(id: string, extra: Partial<Record<string, string>> = {}, body = `# ${id}\n\nYou review ${id} work.\n`): string {
  const fields: Record<string, string> = {
    name: `${id} specialist`,
    identifier: id,
    standard_directory: id,
    mcp_tool_name: `invoke_${id}`,
    priority: 'specialist',
    ...extra,
  };
  const fm = Object.entries(fields)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${fm}\n---\n${body}`;
}

describe('loadPersonas over the file system', () => {
  it("reads the package's six core personas (packageRoot) when the project has none", async () => {
    const root = project();
    fs.rmSync(path.join(root, '.agent-os'), { recursive: true });
    const loaded = await loadPersonas({ source: new FsPersonaSource(root) });
    expect(loaded.errors).toEqual([]);
    expect(loaded.personas.map((p) => p.identifier)).toEqual([...CORE_PERSONA_IDS]);
    for (const p of loaded.personas) {
      expect(p.origin).toBe('core');
      expect(p.file).toBe(`personas/${p.identifier}.md`);
      expect(p.priority).toBe('core');
      expect(await promptTokens(p.system_prompt)).toBeLessThanOrEqual(PERSONA_PROMPT_MAX_TOKENS);
    }
  });

  it('lists project specialists after the core personas and lets a project file override a core id', async () => {
    const root = project({
      'database.md': specialist('database'),
      'accessibility.md': specialist('accessibility'),
      'qa.md': specialist('qa', { name: 'Our QA', standard_directory: 'testing', priority: 'core' }, '# Our QA\n\nUse our test pyramid.\n'),
      'notes.txt': 'not a persona',
      '.hidden.md': 'ignored',
    });
    const loaded = await loadPersonas({ source: new FsPersonaSource(root) });
    expect(loaded.errors).toEqual([]);
    expect(loaded.personas.map((p) => p.identifier)).toEqual([...CORE_PERSONA_IDS, 'accessibility', 'database']);
    expect(getPersona(loaded, 'database')).toMatchObject({
      name: 'database specialist',
      origin: 'project',
      file: '.agent-os/personas/database.md',
      mcp_tool_name: 'invoke_database',
      priority: 'specialist',
    });
    const qa = getPersona(loaded, 'qa');
    expect(qa).toMatchObject({ name: 'Our QA', origin: 'project', overrides: 'personas/qa.md' });
    expect(qa.system_prompt).toBe('# Our QA\n\nUse our test pyramid.');
    expect(personaPrompt(qa, 'review tests')).toContain('Use our test pyramid.');
    expect(() => getPersona(loaded, 'ops')).toThrow(/Unknown persona "ops"\. Known personas: architect, engineer, data, qa, security, sre, accessibility, database\./);
  });

  it('reports invalid project files by file and field, and still lists the rest', async () => {
    const root = project({
      'missing.md': specialist('missing', { standard_directory: '' }),
      'bad-slug.md': specialist('bad-slug', { identifier: '"Bad Slug"' }),
      'renamed.md': specialist('other'),
      'empty.md': specialist('empty', {}, '\n\n'),
      'broken.md': '---\nname: "unterminated\nidentifier: broken\n---\nbody\n',
      'ok.md': specialist('ok'),
    });
    const loaded = await loadPersonas({ source: new FsPersonaSource(root) });
    expect(loaded.personas.map((p) => p.identifier)).toEqual([...CORE_PERSONA_IDS, 'ok']);
    const byFile = Object.fromEntries(loaded.errors.map((e) => [e.file, e]));
    expect(Object.keys(byFile).sort()).toEqual(
      ['bad-slug', 'broken', 'empty', 'missing', 'renamed'].map((n) => `.agent-os/personas/${n}.md`),
    );
    expect(byFile['.agent-os/personas/missing.md']).toMatchObject({
      field: 'standard_directory',
      message: expect.stringMatching(/^\.agent-os\/personas\/missing\.md: front matter field "standard_directory" is required/),
    });
    expect(byFile['.agent-os/personas/bad-slug.md']).toMatchObject({
      field: 'identifier',
      message: expect.stringMatching(/^\.agent-os\/personas\/bad-slug\.md: front matter field "identifier" must be a slug/),
    });
    expect(byFile['.agent-os/personas/renamed.md']).toMatchObject({
      field: 'identifier',
      message: expect.stringContaining('front matter field "identifier" must equal the file name "renamed" (got "other")'),
    });
    expect(byFile['.agent-os/personas/empty.md']).toMatchObject({
      field: 'system_prompt',
      message: expect.stringMatching(/^\.agent-os\/personas\/empty\.md: the system prompt .* is empty/),
    });
    expect(byFile['.agent-os/personas/broken.md']).toMatchObject({
      field: 'front matter',
      message: expect.stringMatching(/^\.agent-os\/personas\/broken\.md: front matter is not valid YAML \(/),
    });
  });

  it('uses an explicit core directory when given one', async () => {
    const root = project({ 'db.md': specialist('db') });
    const core = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-core-'));
    roots.push(core);
    fs.writeFileSync(path.join(core, 'architect.md'), specialist('architect', { priority: 'core' }));
    const loaded = await loadPersonas({ source: new FsPersonaSource(root, { coreDir: core }) });
    expect(loaded.personas.map((p) => [p.identifier, p.origin])).toEqual([
      ['architect', 'core'],
      ['db', 'project'],
    ]);
  });
});
