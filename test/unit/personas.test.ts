import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentOsError } from '../../src/domain/errors.js';
import {
  CORE_PERSONA_IDS,
  PERSONA_PROMPT_MAX_TOKENS,
  PersonaFileError,
  parsePersona,
  personaChecklist,
  promptTokens,
  toolNameFor,
} from '../../src/domain/persona.js';
import type { PersonaFile, PersonaSource } from '../../src/ports/persona-source.js';
import { getPersona, loadPersonas, personaPrompt } from '../../src/services/personas.js';

const PERSONAS_DIR = path.resolve(__dirname, '../../personas');

const EXPECTED = {
  architect: { name: 'Software Architect', dir: 'architecture' },
  engineer: { name: 'Software Engineer', dir: 'development' },
  data: { name: 'Data Engineer', dir: 'data' },
  qa: { name: 'QA Engineer', dir: 'testing' },
  security: { name: 'Security Engineer', dir: 'security' },
  sre: { name: 'Site Reliability Engineer', dir: 'operations' },
} as const;

function readCore(id: string): string {
  return fs.readFileSync(path.join(PERSONAS_DIR, `${id}.md`), 'utf8');
}

function persona(fields: Record<string, string | undefined>, body = '# DB expert\n\nReview schemas.\n'): string {
  const fm = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${fm}\n---\n${body}`;
}

const DB = { name: 'Database Specialist', identifier: 'db', standard_directory: 'data', mcp_tool_name: 'invoke_db', priority: 'specialist' };

function parseError(file: string, text: string): PersonaFileError {
  try {
    parsePersona(file, text);
  } catch (e) {
    expect(e).toBeInstanceOf(PersonaFileError);
    expect(e).toBeInstanceOf(AgentOsError);
    expect((e as AgentOsError).code).toBe('CONFIG');
    return e as PersonaFileError;
  }
  throw new Error(`expected ${file} to be rejected`);
}

describe('core persona files', () => {
  it('ships exactly the six core personas', () => {
    const files = fs.readdirSync(PERSONAS_DIR).filter((f) => f.endsWith('.md')).sort();
    expect(files).toEqual([...CORE_PERSONA_IDS].map((id) => `${id}.md`).sort());
  });

  for (const id of CORE_PERSONA_IDS) {
    describe(id, () => {
      const text = readCore(id);
      const p = parsePersona(`personas/${id}.md`, text);
      const body = p.system_prompt;

      it('has the PersonaConfig front matter', () => {
        expect(p).toMatchObject({
          name: EXPECTED[id].name,
          identifier: id,
          standard_directory: EXPECTED[id].dir,
          mcp_tool_name: `invoke_${id}`,
          priority: 'core',
        });
      });

      it(`keeps the system prompt within ${PERSONA_PROMPT_MAX_TOKENS} tokens (gpt-tokenizer)`, async () => {
        const tokens = await promptTokens(body);
        expect(tokens).toBeGreaterThan(400);
        expect(tokens).toBeLessThanOrEqual(PERSONA_PROMPT_MAX_TOKENS);
      });

      it('states its identity', () => {
        expect(body).toMatch(new RegExp(`^# ${EXPECTED[id].name}\\n`));
        expect(body).toMatch(new RegExp(`^You are (the project's|a senior) ${EXPECTED[id].name}\\b`, 'm'));
      });

      it('searches the standards first and cites them as domain/topic.md', () => {
        const searchLine = body.split('\n').find((l) => l.includes('`search_standards`')) ?? '';
        expect(searchLine).toMatch(/[Ff]irst|[Bb]efore|[Ss]tart every task/);
        expect(body).toMatch(/`domain\/topic\.md`/);
        expect(body).toMatch(new RegExp('`' + EXPECTED[id].dir + '/[a-z-]+\\.md`'));
        expect(body).toContain('`general practice`');
      });

      it('has a checklist and the review template (Summary, Findings with severity/location/standard, Recommendations)', () => {
        expect(personaChecklist(body)?.split('\n').filter((l) => l.startsWith('- ')).length).toBeGreaterThanOrEqual(6);
        expect(body).toContain('## Summary\n');
        expect(body).toContain('## Findings\n');
        expect(body).toContain('## Recommendations\n');
        expect(body).toContain('**[critical|high|medium|low]**');
        expect(body).toMatch(/Standard: `[a-z]+\/[a-z-]+\.md`/);
        expect(body).toMatch(/`[\w/.-]+:\d+`/); // a file:line location in the template
      });

      it('proposes standards through the Standards Population Flow', () => {
        expect(body).toContain('## Proposing a standard');
        expect(body).toContain('May I document it as `' + EXPECTED[id].dir + '/<topic>.md`?');
        expect(body).toMatch(/wait/i);
        for (const section of ['**Context**', '**Pattern**', '**Examples**', '**Anti-patterns**']) expect(body).toContain(section);
        expect(body).toContain('`propose_standard` tool');
        expect(body).toContain(`.agent-os/standards/${EXPECTED[id].dir}/<topic>.md`);
      });

      it('carries the secrets rule', () => {
        expect(body).toMatch(/## Secrets/);
        expect(body).toContain('`$DATABASE_URL`');
        expect(body).toMatch(/[Nn]ever (put|include|contain|repeat|echo)|never contain|never real|not the value|never the value/);
        expect(body).toContain('**critical** finding');
        expect(body).toMatch(/rotat/);
      });
    });
  }

  it('are written per role, not one template with the names swapped', () => {
    const bodies = CORE_PERSONA_IDS.map((id) => parsePersona(`personas/${id}.md`, readCore(id)).system_prompt);
    const checklists = bodies.map((b) => personaChecklist(b));
    expect(new Set(checklists).size).toBe(6);
    const lines = bodies.map((b) => new Set(b.split('\n').filter((l) => l.trim().length > 40)));
    for (let i = 0; i < lines.length; i++) {
      for (let j = i + 1; j < lines.length; j++) {
        const shared = [...lines[i]!].filter((l) => lines[j]!.has(l));
        expect(shared.length, `${CORE_PERSONA_IDS[i]} vs ${CORE_PERSONA_IDS[j]}: ${shared.join(' | ')}`).toBeLessThanOrEqual(2);
      }
    }
  });
});

describe('parsePersona', () => {
  it('parses a valid specialist, tolerating unknown fields and a BOM-less CRLF file', () => {
    const text = persona({ ...DB, description: 'extra' }).replace(/\n/g, '\r\n');
    expect(parsePersona('.agent-os/personas/db.md', text)).toEqual({
      name: 'Database Specialist',
      identifier: 'db',
      system_prompt: '# DB expert\r\n\r\nReview schemas.',
      standard_directory: 'data',
      mcp_tool_name: 'invoke_db',
      priority: 'specialist',
    });
  });

  it('maps hyphens in the id to underscores in the tool name', () => {
    expect(toolNameFor('api-design')).toBe('invoke_api_design');
    const p = parsePersona('.agent-os/personas/api-design.md', persona({ ...DB, identifier: 'api-design', mcp_tool_name: 'invoke_api_design' }));
    expect(p.mcp_tool_name).toBe('invoke_api_design');
  });

  it.each([
    ['name', { ...DB, name: undefined }, /front matter field "name" is required/],
    ['name', { ...DB, name: '"  "' }, /front matter field "name" must not be empty/],
    ['identifier', { ...DB, identifier: undefined }, /front matter field "identifier" is required/],
    ['identifier', { ...DB, identifier: '"DB Expert"' }, /front matter field "identifier" must be a slug.*got "DB Expert"/],
    ['identifier', { ...DB, identifier: '../db' }, /front matter field "identifier" must be a slug/],
    ['identifier', { ...DB, identifier: 'database', mcp_tool_name: 'invoke_database' }, /front matter field "identifier" must equal the file name "db" \(got "database"\)/],
    ['standard_directory', { ...DB, standard_directory: undefined }, /front matter field "standard_directory" is required/],
    ['standard_directory', { ...DB, standard_directory: 'data/../x' }, /front matter field "standard_directory" must be a slug/],
    ['mcp_tool_name', { ...DB, mcp_tool_name: undefined }, /front matter field "mcp_tool_name" is required/],
    ['mcp_tool_name', { ...DB, mcp_tool_name: 'invoke-db' }, /front matter field "mcp_tool_name" must contain only letters, digits and underscores/],
    ['mcp_tool_name', { ...DB, mcp_tool_name: 'invoke_other' }, /front matter field "mcp_tool_name" must be "invoke_db" \(invoke_<identifier>\), got "invoke_other"/],
    ['priority', { ...DB, priority: undefined }, /front matter field "priority" is required/],
    ['priority', { ...DB, priority: 'optional' }, /front matter field "priority" must be "core" or "specialist"/],
    ['name', { ...DB, name: '42' }, /front matter field "name" must be a string/],
  ])('rejects a bad "%s" naming the file and the field (%#)', (field, fields, message) => {
    const e = parseError('.agent-os/personas/db.md', persona(fields));
    expect(e.field).toBe(field);
    expect(e.file).toBe('.agent-os/personas/db.md');
    expect(e.message.startsWith('.agent-os/personas/db.md: ')).toBe(true);
    expect(e.message).toMatch(message);
  });

  it('lists every bad field at once', () => {
    const e = parseError('.agent-os/personas/db.md', persona({ name: 'DB' }));
    expect(e.message).toContain('"identifier" is required');
    expect(e.message).toContain('"standard_directory" is required');
    expect(e.message).toContain('"priority" is required');
  });

  it('refuses the reserved id "persona", whose tool would replace the generic invoke_persona', async () => {
    const e = parseError('.agent-os/personas/persona.md', persona({ ...DB, identifier: 'persona', mcp_tool_name: 'invoke_persona' }));
    expect(e.field).toBe('identifier');
    expect(e.message).toContain('front matter field "identifier" "persona" is reserved: its tool invoke_persona is the generic persona tool');
    const loaded = await loadPersonas({
      source: source([core('architect'), { file: '.agent-os/personas/persona.md', text: persona({ ...DB, identifier: 'persona', mcp_tool_name: 'invoke_persona' }), origin: 'project' }]),
    });
    expect(loaded.personas.map((p) => p.identifier)).toEqual(['architect']);
    expect(loaded.errors.map((x) => x.file)).toEqual(['.agent-os/personas/persona.md']);
  });

  it('rejects an empty body, broken YAML, missing or non-mapping front matter', () => {
    const empty = parseError('.agent-os/personas/db.md', persona(DB, '\n   \n'));
    expect(empty.field).toBe('system_prompt');
    expect(empty.message).toMatch(/^\.agent-os\/personas\/db\.md: the system prompt .* is empty/);

    const yaml = parseError('.agent-os/personas/db.md', '---\nname: [unclosed\nidentifier: db\n---\nBody\n');
    expect(yaml.field).toBe('front matter');
    expect(yaml.message).toMatch(/^\.agent-os\/personas\/db\.md: front matter is not valid YAML \(/);

    const none = parseError('.agent-os/personas/db.md', '# Just a prompt\n');
    expect(none.field).toBe('front matter');
    expect(none.message).toMatch(/no front matter/);

    const list = parseError('.agent-os/personas/db.md', '---\n- a\n- b\n---\nBody\n');
    expect(list.field).toBe('front matter');
  });
});

describe('promptTokens and personaChecklist', () => {
  it('counts real tokens', async () => {
    expect(await promptTokens('')).toBe(0);
    expect(await promptTokens('hello world')).toBe(2);
  });

  it('extracts the checklist section, ignoring headings inside code fences', () => {
    const prompt = '# X\n\n## Checklist\n\n- one\n- two\n\n```md\n## Not a heading\n```\n\n### Sub\n- three\n\n## Next\nrest';
    expect(personaChecklist(prompt)).toBe('- one\n- two\n\n```md\n## Not a heading\n```\n\n### Sub\n- three');
    expect(personaChecklist('# X\n\n## Review checklist\n- last')).toBe('- last');
    expect(personaChecklist('# X\n\nno list')).toBeNull();
  });

  it('reads the checklist section with a Markdown parser: fences of any kind, setext headings', () => {
    // A ~~~ block holding ``` is one block: the `## Not the end` inside it is code.
    const prompt = '# X\n\n## Checklist\n\n- one\n~~~md\n```\n## Not the end\n~~~\n- two\n\nNext\n====\nrest';
    expect(personaChecklist(prompt)).toBe('- one\n~~~md\n```\n## Not the end\n~~~\n- two');
    expect(personaChecklist('# X\n\nReview checklist\n----------------\n- last')).toBe('- last');
    expect(personaChecklist('# X\r\n\r\n## Checklist\r\n- a\r\n- b\r\n## Next\r\n')).toBe('- a\n- b');
  });
});

function source(files: PersonaFile[]): PersonaSource {
  return { list: async () => files };
}

const core = (id: string): PersonaFile => ({ file: `personas/${id}.md`, text: readCore(id), origin: 'core' });

describe('loadPersonas', () => {
  it('loads the core personas in spec order, then specialists by id; a project file overrides a core id', async () => {
    const overridden = persona({ ...DB, name: 'Our Security Team', identifier: 'security', mcp_tool_name: 'invoke_security' }, 'Follow our rules.');
    const loaded = await loadPersonas({
      source: source([
        ...[...CORE_PERSONA_IDS].reverse().map(core),
        { file: '.agent-os/personas/zeta.md', text: persona({ ...DB, identifier: 'zeta', mcp_tool_name: 'invoke_zeta' }), origin: 'project' },
        { file: '.agent-os/personas/db.md', text: persona(DB), origin: 'project' },
        { file: '.agent-os/personas/security.md', text: overridden, origin: 'project' },
      ]),
    });
    expect(loaded.errors).toEqual([]);
    expect(loaded.personas.map((p) => p.identifier)).toEqual([...CORE_PERSONA_IDS, 'db', 'zeta']);
    const sec = getPersona(loaded, 'security');
    expect(sec).toMatchObject({ name: 'Our Security Team', origin: 'project', file: '.agent-os/personas/security.md', overrides: 'personas/security.md' });
    expect(sec.system_prompt).toBe('Follow our rules.');
    expect(getPersona(loaded, '@db').origin).toBe('project');
    expect(getPersona(loaded, 'architect').origin).toBe('core');
    expect(getPersona(loaded, 'architect').overrides).toBeUndefined();
  });

  it('reports invalid, unreadable, oversized and clashing files without throwing', async () => {
    const loaded = await loadPersonas({
      source: source([
        core('architect'),
        { file: '.agent-os/personas/db.md', text: persona({ ...DB, priority: undefined }), origin: 'project' },
        { file: '.agent-os/personas/api.md', text: '---\nname: [\n---\nx', origin: 'project' },
        { file: '.agent-os/personas/gone.md', text: '', origin: 'project', readError: 'EACCES: permission denied' },
        { file: '.agent-os/personas/big.md', text: persona({ ...DB, identifier: 'big', mcp_tool_name: 'invoke_big' }, 'word '.repeat(1600)), origin: 'project' },
        { file: '.agent-os/personas/a-b.md', text: persona({ ...DB, identifier: 'a-b', mcp_tool_name: 'invoke_a_b' }), origin: 'project' },
        { file: '.agent-os/personas/a_b.md', text: persona({ ...DB, identifier: 'a_b', mcp_tool_name: 'invoke_a_b' }), origin: 'project' },
      ]),
    });
    expect(loaded.personas.map((p) => p.identifier)).toEqual(['architect', 'a-b']);
    expect(loaded.errors.map((e) => [e.file, e.field])).toEqual([
      ['.agent-os/personas/db.md', 'priority'],
      ['.agent-os/personas/api.md', 'front matter'],
      ['.agent-os/personas/gone.md', 'file'],
      ['.agent-os/personas/big.md', 'system_prompt'],
      ['.agent-os/personas/a_b.md', 'mcp_tool_name'],
    ]);
    for (const e of loaded.errors) expect(e.message.startsWith(`${e.file}: `)).toBe(true);
    expect(loaded.errors[3]?.message).toMatch(/is 1\d{3} tokens; personas are limited to 1500/);
  });

  it('getPersona throws NOT_FOUND listing known ids, and says why a broken persona is missing', async () => {
    const loaded = await loadPersonas({
      source: source([core('architect'), core('qa'), { file: '.agent-os/personas/db.md', text: persona({ ...DB, identifier: 'Db' }), origin: 'project' }]),
    });
    const err = (() => {
      try {
        getPersona(loaded, 'nope');
      } catch (e) {
        return e as AgentOsError;
      }
      throw new Error('no error');
    })();
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe('Unknown persona "nope". Known personas: architect, qa.');
    expect(err.hint).toContain('.agent-os/personas/nope.md');
    expect(() => getPersona(loaded, 'db')).toThrow(/Known personas: architect, qa/);
    try {
      getPersona(loaded, 'db');
    } catch (e) {
      expect((e as AgentOsError).describe()).toContain('.agent-os/personas/db.md: front matter field "identifier"');
    }
  });
});

describe('personaPrompt', () => {
  const security = parsePersona('personas/security.md', readCore('security'));

  it('asks for the review through the tool, with the checklist as fallback', () => {
    const text = personaPrompt(security, 'review the login handler', 'src/auth/login.ts');
    expect(text).toContain('Run a Security Engineer review (persona `security`) on this task.');
    expect(text).toContain('Task: review the login handler');
    expect(text).toContain('Context:\nsrc/auth/login.ts');
    expect(text).toContain('`invoke_security`');
    expect(text).toContain('`check_persona_job`');
    expect(text).toContain('`search_standards`');
    expect(text).toContain(personaChecklist(security.system_prompt)!);
    expect(text).not.toContain('## Proposing a standard'); // the checklist, not the whole prompt
    expect(text).toContain('`## Summary`, `## Findings`');
    expect(text).toContain('`domain/topic.md`');
    expect(text).toContain('`$DATABASE_URL`');
  });

  it('embeds the whole prompt for a persona without a checklist, and handles an empty task', () => {
    const db = parsePersona('.agent-os/personas/db.md', persona(DB, 'Check every migration for locks.'));
    const text = personaPrompt(db, '  ');
    expect(text).toContain('Task: Review the changes currently being worked on.');
    expect(text).not.toContain('Context:');
    expect(text).toContain('Check every migration for locks.');
    expect(text).toContain('`invoke_db`');
  });
});
