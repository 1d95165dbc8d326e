import { describe, expect, it } from 'vitest';
import { readFrontMatter } from '../../src/domain/front-matter.js';
import { checkTemplate } from '../../src/domain/proposal-validation.js';
import { domainOf, planImport, type ImportPlan, type PlannedStandard } from '../../src/domain/rule-import.js';
import * as F from '../fixtures/rule-files.js';

const OPTS = { createdAt: '2026-11-30T10:00:00.000Z' };

function byTopic(plan: ImportPlan, topic: string): PlannedStandard {
  const s = plan.standards.find((x) => x.topic === topic);
  if (!s) throw new Error(`no standard ${topic} in ${plan.standards.map((x) => x.file).join(', ')}`);
  return s;
}
const fm = (s: PlannedStandard) => readFrontMatter(s.content).data;
/** The text under a `## <name>` heading of a planned standard. */
function section(s: PlannedStandard, name: string): string {
  const body = readFrontMatter(s.content).body;
  const m = new RegExp(`(?:^|\\n)## ${name}\\n\\n([\\s\\S]*?)(?=\\n## |$)`).exec(body);
  return m ? m[1]!.trim() : '';
}

describe('planImport: rule files of other assistants become standards', () => {
  const all = (): ImportPlan =>
    planImport(
      [
        { path: 'AGENTS.md', text: F.AGENTS_MD },
        { path: 'src/api/AGENTS.md', text: F.NESTED_AGENTS_MD },
        { path: 'CLAUDE.md', text: F.CLAUDE_MD },
        { path: 'GEMINI.md', text: F.GEMINI_MD },
        { path: '.cursor/rules/react.mdc', text: F.CURSOR_REACT_MDC },
        { path: '.cursor/rules/logging.mdc', text: F.CURSOR_ALWAYS_MDC },
        { path: '.cursor/rules/python.mdc', text: F.CURSOR_STAR_GLOB_MDC },
        { path: '.cursor/rules/agent-os.mdc', text: F.INIT_RULE },
        { path: '.cursorrules', text: F.CURSORRULES },
        { path: '.github/copilot-instructions.md', text: F.COPILOT_INSTRUCTIONS },
        { path: '.github/instructions/sql.instructions.md', text: F.SQL_INSTRUCTIONS },
        { path: '.windsurfrules', text: F.WINDSURFRULES },
        { path: 'README.md', text: '# Readme\n\n## Not a rule file\n' },
        { path: 'evil\nAgent-OS-Import: x/AGENTS.md', text: '## Injected\n\nA path with a newline.\n' },
      ],
      // What the secret scanner reports for the fixture's staging password (the service scans each file).
      { ...OPTS, secrets: new Map([['.windsurfrules', [{ line: 9, kind: 'password-assignment', excerpt: 'password: hunt…' }]]]) },
    );

  it('splits AGENTS.md at its headings, keeps sub-headings inside, and records file and line', () => {
    const plan = all();
    const style = byTopic(plan, 'code-style');
    expect(style.file).toBe('development/code-style.md');
    expect(fm(style)).toMatchObject({ domain: 'development', topic: 'code-style', imported_from: ['AGENTS.md:10'], created_by: 'agent-os import', created_at: OPTS.createdAt, tags: ['imported'] });
    expect(section(style, 'Pattern')).toBe('- Use named exports; no default exports.\n- Prefer async/await over promise chains.\n\n### Naming\n\n- Files are kebab-case.');
    expect(byTopic(plan, 'setup').sources).toEqual([{ file: 'AGENTS.md', line: 5 }]);
    // The text before the first topic is a rule of its own, named after the kind of file (its title only names the file).
    const intro = byTopic(plan, 'agent-guidelines');
    expect(intro.sources).toEqual([{ file: 'AGENTS.md', line: 1 }]);
    expect(section(intro, 'Pattern')).toBe('This repository is the billing service, a TypeScript monorepo.');
    expect(plan.files.find((f) => f.file === 'AGENTS.md')).toEqual({ file: 'AGENTS.md', kind: 'agents', rules: 5 });
  });

  it('every standard passes the template check, with generated Context, Examples and Anti-patterns', () => {
    const plan = all();
    expect(plan.standards.length).toBe(16);
    expect(plan.standards.some((s) => s.title === 'Injected')).toBe(false);
    for (const s of plan.standards) expect(checkTemplate(s.content), s.file).toMatchObject({ ok: true });
    const setup = byTopic(plan, 'setup');
    expect(section(setup, 'Context')).toBe('Imported by `agent-os import` from `AGENTS.md` (line 5).');
    expect(section(setup, 'Examples')).toContain('The imported rule gave no examples');
    expect(section(setup, 'Anti-patterns')).toBe('_The imported rule named no anti-patterns._');
  });

  it('merges the same rule found in AGENTS.md and CLAUDE.md into one standard listing both sources', () => {
    const plan = all();
    const testing = plan.standards.filter((s) => s.title === 'Testing');
    expect(testing).toHaveLength(1);
    expect(testing[0]!.file).toBe('testing/testing.md');
    expect(testing[0]!.sources).toEqual([{ file: 'AGENTS.md', line: 19 }, { file: 'CLAUDE.md', line: 3 }]);
    expect(fm(testing[0]!)['imported_from']).toEqual(['AGENTS.md:19', 'CLAUDE.md:3']);
    expect(section(testing[0]!, 'Context')).toBe('Imported by `agent-os import` from `AGENTS.md` (line 19), `CLAUDE.md` (line 3).');
  });

  it('a nested AGENTS.md applies to its own directory', () => {
    const api = byTopic(all(), 'api-guidelines');
    expect(api.sources).toEqual([{ file: 'src/api/AGENTS.md', line: 1 }]);
    expect(fm(api)['applies_to']).toEqual(['src/api/**']);
    expect(section(api, 'Pattern')).toContain('Return errors as problem+json');
  });

  it('Cursor rules: globs become applies_to (also unquoted ones YAML reads as aliases), alwaysApply applies everywhere, the description is kept', () => {
    const plan = all();
    const react = byTopic(plan, 'react-components');
    expect(react.sources).toEqual([{ file: '.cursor/rules/react.mdc', line: 6 }]);
    expect(fm(react)).toMatchObject({ applies_to: ['src/components/**/*.tsx', 'src/pages/**/*.tsx'], description: 'React component conventions' });
    expect(section(react, 'Context')).toContain('React component conventions');
    const logging = byTopic(plan, 'logging');
    expect(logging.file).toBe('operations/logging.md');
    expect(fm(logging)['applies_to']).toBeUndefined();
    expect(byTopic(plan, 'python').appliesTo).toEqual(['**/*.py']);
    // The rule agent-os init writes is agent-os's own.
    expect(plan.skipped).toContainEqual({ source: '.cursor/rules/agent-os.mdc', title: null, reason: expect.stringContaining('agent-os init'), secret: false });
  });

  it('.cursorrules, copilot-instructions.md, *.instructions.md (applyTo) and .windsurfrules', () => {
    const plan = all();
    expect(byTopic(plan, 'cursor-rules').sources).toEqual([{ file: '.cursorrules', line: 1 }]);
    expect(section(byTopic(plan, 'cursor-rules'), 'Pattern')).toContain('Keep functions under 40 lines.');
    expect(byTopic(plan, 'pull-requests').sources).toEqual([{ file: '.github/copilot-instructions.md', line: 3 }]);
    const deploy = byTopic(plan, 'deployment');
    expect(deploy.file).toBe('operations/deployment.md');
    const sql = byTopic(plan, 'sql');
    expect(sql.file).toBe('data/sql.md');
    expect(sql.appliesTo).toEqual(['db/**/*.sql', 'migrations/**']);
    expect(sql.sources).toEqual([{ file: '.github/instructions/sql.instructions.md', line: 4 }]);
    expect(byTopic(plan, 'release').sources).toEqual([{ file: '.windsurfrules', line: 3 }]);
  });

  it('leaves out a rule holding a secret and says where, without the secret', () => {
    const plan = all();
    const withFrontMatterSecret = planImport([{ path: '.cursor/rules/db.mdc', text: '---\ndescription: token ghp-like\nglobs: db/**\n---\n# DB\n\nUse migrations.\n' }], {
      ...OPTS,
      secrets: new Map([['.cursor/rules/db.mdc', [{ line: 2, kind: 'labelled-secret', excerpt: 'description: …' }]]]),
    });
    expect(withFrontMatterSecret.standards).toEqual([]);
    expect(withFrontMatterSecret.skipped).toEqual([{ source: '.cursor/rules/db.mdc:1', title: null, reason: 'possible secret (labelled-secret) on line 2 in the front matter; the file was left out', secret: true }]);
    expect(plan.standards.some((s) => s.content.includes('hunter2'))).toBe(false);
    const skipped = plan.skipped.find((s) => s.secret)!;
    expect(skipped).toEqual({ source: '.windsurfrules:7', title: 'Staging access', reason: 'possible secret (password-assignment) on line 9; the rule was left out', secret: true });
  });

  it('domains follow keywords, development by default', () => {
    expect(domainOf('Staging database', 'Run migrations before deploying')).toBe('data');
    expect(domainOf('Passwords', 'Hash with argon2id.')).toBe('security');
    expect(domainOf('Tone', 'Be concise.')).toBe('development');
    const plan = all();
    expect(byTopic(plan, 'security').domain).toBe('security');
    expect(byTopic(plan, 'database-migrations').domain).toBe('data');
  });

  it('skips files and sections agent-os export generated, unless asked to read them', () => {
    const generated = '---\ndescription: x\nglobs:\nalwaysApply: true\n---\n<!-- agent-os:generated by `agent-os export` from .agent-os/standards/a/b.md blob=1 commit=uncommitted; do not edit -->\n\n# B\n\n## Pattern\n\nDo b.\n';
    const agents = '# Team\n\n## Own rule\n\nWrite small PRs.\n\n<!-- agent-os:begin -->\n<!-- agent-os:generated by `agent-os export` -->\n\n## Exported\n\n### Pattern\n\nDo exported things.\n<!-- agent-os:end -->\n';
    const files = [
      { path: '.cursor/rules/agent-os/a-b.mdc', text: generated },
      { path: 'AGENTS.md', text: agents },
    ];
    const plan = planImport(files, OPTS);
    expect(plan.standards.map((s) => s.title)).toEqual(['Own rule']);
    expect(plan.skipped).toContainEqual({ source: '.cursor/rules/agent-os/a-b.mdc', title: null, reason: expect.stringContaining('generated by `agent-os export`'), secret: false });
    const withGenerated = planImport(files, { ...OPTS, includeGenerated: true });
    expect(withGenerated.standards.map((s) => s.title).sort()).toEqual(['B', 'Exported', 'Own rule']);
    expect(withGenerated.standards.find((s) => s.title === 'B')!.content).not.toContain('agent-os:generated');
  });

  it('keeps the sections of a rule written in the standard template, and names clashes apart', () => {
    const plan = planImport(
      [
        { path: 'AGENTS.md', text: '# Rules\n\n## Errors\n\n### Context\n\nClients parse errors.\n\n### Pattern\n\nproblem+json.\n\n### Anti-patterns\n\nHTML error pages.\n' },
        { path: '.windsurfrules', text: '## Errors\n\nLog every error once.\n' },
      ],
      OPTS,
    );
    const [a, b] = plan.standards;
    expect([a!.file, b!.file]).toEqual(['development/errors-2.md', 'development/errors.md']);
    const templated = plan.standards.find((s) => s.sources[0]!.file === 'AGENTS.md')!;
    expect(section(templated, 'Context')).toBe('Clients parse errors.');
    expect(section(templated, 'Pattern')).toBe('problem+json.');
    expect(section(templated, 'Anti-patterns')).toBe('HTML error pages.');
  });

  it('drops globs that point outside the project, and reports them', () => {
    const plan = planImport([{ path: '.github/instructions/x.instructions.md', text: '---\napplyTo: "../../etc/**,src/**"\n---\nUse tabs.\n' }], OPTS);
    expect(plan.standards[0]!.appliesTo).toEqual(['src/**']);
    expect(plan.skipped[0]!.reason).toContain('"../../etc/**" ignored');
  });
});
