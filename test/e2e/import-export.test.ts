import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, makeRepo, runCli, type TempRepo } from '../fakes/git-repo.js';
import * as F from '../fixtures/rule-files.js';

/** `agent-os import` and `agent-os export` through the built CLI: JSON, exit codes, init's note and its pre-commit check. */

const STANDARD = `# Code review

## Context

Reviews catch what tests do not.

## Pattern

Every change gets one approving review before merge.

## Examples

A pull request with a green CI and one approval.

## Anti-patterns

Merging your own pull request without review.
`;

describe('import and export from the CLI', () => {
  const repos: TempRepo[] = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });

  function repo(): TempRepo {
    const r = makeRepo();
    repos.push(r);
    r.write('AGENTS.md', F.AGENTS_MD);
    r.write('.cursor/rules/react.mdc', F.CURSOR_REACT_MDC);
    r.write('.windsurfrules', F.WINDSURFRULES);
    r.commitAll('Initial commit');
    return r;
  }
  const cli = (r: TempRepo, ...args: string[]) => runCli(['--root', r.root, ...args], r.env);

  it('--help describes sources, formats and budgets; bad usage exits 2', () => {
    const r = repo();
    const imp = cli(r, 'import', '--help');
    expect(imp.status).toBe(0);
    expect(imp.stdout).toContain('.github/instructions/*.instructions.md (applyTo)');
    const exp = cli(r, 'export', '--help');
    expect(exp.status).toBe(0);
    expect(exp.stdout).toContain('copilot 4000 per file');
    const bad = cli(r, 'export', '--format', 'agents,vscode', '--json');
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stdout).error.message).toContain('Unknown export format "vscode"');
  });

  it('import: --dry-run plans, the default proposes one branch (listed by `proposals`), --write writes files', () => {
    const r = repo();
    const dry = cli(r, 'import', '--dry-run', '--json');
    expect(dry.status).toBe(0);
    const plan = JSON.parse(dry.stdout) as { proposal: { branch: string; commit: null }; skipped: Array<{ source: string; secret: boolean }>; standards: Array<{ file: string }> };
    expect(plan.proposal.commit).toBeNull();
    expect(plan.skipped.filter((s) => s.secret).map((s) => s.source)).toEqual(['.windsurfrules:7']);
    expect(r.git('for-each-ref', 'refs/heads/agent-os')).toBe('');

    const done = cli(r, 'import', '--json');
    expect(done.status).toBe(0);
    const rep = JSON.parse(done.stdout) as { proposal: { import_id: string; branch: string; commit: string } };
    expect(r.git('rev-parse', rep.proposal.branch).trim()).toBe(rep.proposal.commit);
    expect(r.git('status', '--porcelain')).toBe('');
    const listed = JSON.parse(cli(r, 'proposals', 'list', '--json').stdout) as { proposals: unknown[]; imports: Array<{ import_id: string; status: string }> };
    expect(listed.proposals).toEqual([]);
    expect(listed.imports).toEqual([expect.objectContaining({ import_id: rep.proposal.import_id, status: 'draft' })]);
    const shown = cli(r, 'proposals', 'show', rep.proposal.import_id);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('.agent-os/standards/development/code-style.md');

    const written = cli(r, 'import', '--write');
    expect(written.status).toBe(0);
    expect(written.stdout).toContain('skipped .windsurfrules:7 "Staging access": possible secret');
    expect(r.read('.agent-os/standards/development/react-components.md')).toContain('applies_to:\n  - src/components/**/*.tsx\n');
  });

  it('export writes the files; --check exits 0 when fresh, 1 naming each stale file', () => {
    const r = repo();
    r.write('.agent-os/standards/development/code-review.md', STANDARD);
    r.commitAll('Standard');
    expect(cli(r, 'export', '--check').status).toBe(1);
    const out = cli(r, 'export', '--json');
    expect(out.status).toBe(0);
    expect((JSON.parse(out.stdout) as { files: unknown[] }).files).toHaveLength(4);
    expect(r.read('AGENTS.md')!.startsWith(F.AGENTS_MD)).toBe(true);
    expect(cli(r, 'export', '--check').status).toBe(0);
    r.write('.agent-os/standards/development/code-review.md', STANDARD.replace('one approving review', 'two approving reviews'));
    const stale = cli(r, 'export', '--check');
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain('stale     .cursor/rules/agent-os/development-code-review.mdc');
    expect(stale.stdout).toContain('stale     AGENTS.md');
  });

  it('init notes the rule files it found, and --export-hook refuses commits while the export is stale', () => {
    const r = repo();
    const init = cli(r, 'init', '--export-hook', '--json');
    expect(init.status).toBe(0);
    const report = JSON.parse(init.stdout) as { rules: { found: string[]; note: string }; exportHook: { status: string } };
    expect(report.rules.found).toEqual(['AGENTS.md', '.windsurfrules', '.cursor/rules/*.mdc']);
    expect(report.rules.note).toBe('Found AGENTS.md, .windsurfrules, .cursor/rules/*.mdc: run `agent-os import` to turn them into standards.');
    expect(report.exportHook.status).toBe('installed');
    expect(r.read('.husky/pre-commit')).toContain('export --check');

    r.write('.agent-os/standards/development/code-review.md', STANDARD);
    r.git('add', '-A');
    const refused = r.tryGit('commit', '-q', '-m', 'Add a standard without exporting');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('run `agent-os export` and stage them');
    expect(cli(r, 'export').status).toBe(0);
    r.git('add', '-A');
    expect(r.tryGit('commit', '-q', '-m', 'Add a standard, exported').status).toBe(0);
    expect(cli(r, 'hooks', 'uninstall').status).toBe(0);
    expect(r.read('.husky/pre-commit')).toBeNull();
  });
});
