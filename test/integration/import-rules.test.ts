import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitPlumbing } from '../../src/infra/git-plumbing.js';
import { GitWorkTree } from '../../src/infra/git-work-tree.js';
import { NodeFiles } from '../../src/infra/node-files.js';
import { NodeProjectFiles } from '../../src/infra/project-files.js';
import { OctokitPullRequests } from '../../src/infra/github-octokit.js';
import { silentLogger } from '../../src/ports/logger.js';
import { importRules, type ImportDeps } from '../../src/services/import-rules.js';
import { approveImport, listImports, rejectImport, showImport } from '../../src/services/imports.js';
import { listStandardProposals } from '../../src/services/proposals/list.js';
import { proposeStandard } from '../../src/services/proposals/propose.js';
import type { ProposalDeps } from '../../src/services/proposals/types.js';
import { FakeGitHub } from '../fakes/fake-github.js';
import { makeRepo, type TempRepo } from '../fakes/git-repo.js';
import { SecretlintScanner } from '../../src/infra/secretlint-scanner.js';
import * as F from '../fixtures/rule-files.js';

const BRANCH = 'agent-os/standard/import/2026-11-30';
const NOW = new Date('2026-11-30T10:00:00Z');

/** `agent-os import` against real repositories: one proposal branch, or files with --write. */
describe('importRules', () => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function repo(): TempRepo {
    const r = makeRepo();
    cleanups.push(() => r.cleanup());
    r.write('README.md', '# Billing\n');
    r.write('AGENTS.md', F.AGENTS_MD);
    r.write('src/api/AGENTS.md', F.NESTED_AGENTS_MD);
    r.write('CLAUDE.md', F.CLAUDE_MD);
    r.write('GEMINI.md', F.GEMINI_MD);
    r.write('.cursor/rules/react.mdc', F.CURSOR_REACT_MDC);
    r.write('.cursorrules', F.CURSORRULES);
    r.write('.github/copilot-instructions.md', F.COPILOT_INSTRUCTIONS);
    r.write('.github/instructions/sql.instructions.md', F.SQL_INSTRUCTIONS);
    r.write('.windsurfrules', F.WINDSURFRULES);
    r.write('.agent-os/standards/testing/testing.md', '# Testing\n\nOur own testing standard.\n');
    // Ignored files are not the team's rules.
    r.write('.gitignore', 'node_modules/\n');
    r.write('node_modules/pkg/AGENTS.md', '# Vendored\n\n## Rule\n\nNot ours.\n');
    r.commitAll('Initial commit');
    return r;
  }
  function proposalDeps(r: TempRepo, over: Partial<ProposalDeps> = {}): ProposalDeps {
    return {
      git: new GitPlumbing(r.root, { env: r.env }),
      github: null,
      githubMissing: 'GITHUB_TOKEN is not set',
      secrets: new SecretlintScanner(),
      standardsDir: path.join(r.root, '.agent-os', 'standards'),
      settings: { branchPrefix: 'agent-os/standard/', remote: 'origin', push: 'auto', label: 'agent-os:standard' },
      logger: silentLogger,
      ...over,
    };
  }
  function deps(r: TempRepo, p: ProposalDeps = proposalDeps(r)): ImportDeps {
    return {
      files: new NodeFiles(),
      secrets: new SecretlintScanner(),
      project: new NodeProjectFiles(r.root, { env: r.env }),
      tree: new GitWorkTree(r.root, r.env),
      root: r.root,
      standardsDir: path.join(r.root, '.agent-os', 'standards'),
      proposals: async () => p,
      logger: silentLogger,
      now: () => NOW,
      randomHex: () => 'abc123',
    };
  }
  function snapshot(r: TempRepo) {
    r.git('status', '--porcelain');
    return {
      status: r.git('status', '--porcelain=v1', '-z', '--untracked-files=all'),
      head: r.git('rev-parse', 'HEAD').trim(),
      index: fs.readFileSync(path.join(r.root, '.git', 'index')),
      unstaged: r.git('diff', '--binary'),
    };
  }

  it('proposes every imported standard in one commit on one branch, leaving the dirty checkout alone', async () => {
    const r = repo();
    r.write('README.md', '# Billing\n\nwork in progress\n');
    r.write('scratch.txt', 'untracked\n');
    const before = snapshot(r);
    const report = await importRules(deps(r));

    expect(snapshot(r)).toEqual(before);
    expect(report.proposal).toMatchObject({ import_id: 'im-20261130-abc123', branch: BRANCH, pushed: false });
    expect(r.git('rev-list', '--count', `main..${BRANCH}`).trim()).toBe('1');
    const added = r.git('diff-tree', '--no-commit-id', '--name-status', '-r', BRANCH).trim().split('\n').sort();
    const proposed = report.standards.filter((s) => s.action === 'add');
    expect(added).toEqual(proposed.map((s) => `A\t${s.file}`).sort());
    expect(added).toContain('A\t.agent-os/standards/development/api-guidelines.md');
    expect(added).toContain('A\t.agent-os/standards/data/sql.md');
    // The existing testing/testing.md differs: it is kept, and the import says so.
    expect(report.standards.find((s) => s.file === '.agent-os/standards/testing/testing.md')).toMatchObject({ action: 'skipped', sources: ['AGENTS.md:19', 'CLAUDE.md:3'] });
    expect(added.join('\n')).not.toContain('testing/testing.md');
    expect(r.git('show', `${BRANCH}:.agent-os/standards/development/code-style.md`)).toContain('imported_from:\n  - AGENTS.md:10\n');
    expect(r.tryGit('grep', '-q', 'hunter2', BRANCH, '--', '.agent-os').status).toBe(1);
    expect(r.tryGit('grep', '-q', 'Vendored', BRANCH, '--', '.agent-os').status).toBe(1);
    expect(report.skipped.filter((s) => s.secret).map((s) => s.source)).toEqual(['.windsurfrules:7']);
    const message = r.git('show', '-s', '--format=%B', BRANCH);
    expect(message).toMatch(/^Import \d+ standard\(s\) from AGENTS\.md, src\/api\/AGENTS\.md, CLAUDE\.md/);
    expect(message).toContain('Agent-OS-Import: im-20261130-abc123\nAgent-OS-Action: import\nAgent-OS-Branch: agent-os/standard/import/2026-11-30\n');
    expect(message).toContain('Agent-OS-Standard: development/code-style');
    expect(message).not.toContain('hunter2');
    expect(r.read('.agent-os/standards/development/code-style.md')).toBeNull();

    // Listed and shown as an import; not mistaken for a standard proposal.
    const [view] = await listImports(proposalDeps(r));
    expect(view).toMatchObject({ import_id: 'im-20261130-abc123', status: 'draft', branch: BRANCH, standards: expect.arrayContaining(['development/code-style', 'data/sql']) });
    expect((await listStandardProposals(proposalDeps(r))).proposals).toEqual([]);
    const shown = await showImport(proposalDeps(r), 'im-20261130-abc123');
    expect(shown.files.find((f) => f.file === '.agent-os/standards/data/sql.md')?.content).toContain('applies_to:\n  - db/**/*.sql\n  - migrations/**\n');

    // A second import the same day gets a branch of its own.
    const again = await importRules({ ...deps(r), randomHex: () => 'def456' });
    expect(again.proposal?.branch).toBe(`${BRANCH}-def456`);
  });

  it('approve merges the import into main; reject records why and deletes the branch', async () => {
    const r = repo();
    await importRules(deps(r));
    const approved = await approveImport(proposalDeps(r), 'im-20261130-abc123');
    expect(approved.status).toBe('approved');
    expect(r.git('show', 'main:.agent-os/standards/development/code-style.md')).toContain('# Code style');

    const second = await importRules({ ...deps(r), randomHex: () => 'def456' }, { force: true });
    expect(second.standards.find((s) => s.file.endsWith('testing/testing.md'))?.action).toBe('replace');
    const rejected = await rejectImport(proposalDeps(r), second.proposal!.import_id, 'Keep our own testing standard.');
    expect(rejected).toMatchObject({ status: 'rejected', rejected_reason: 'Keep our own testing standard.' });
    expect(r.tryGit('rev-parse', '--verify', '-q', second.proposal!.branch).status).not.toBe(0);
  });

  it('an import branch does not make an approved standard proposal look like a draft again', async () => {
    const r = repo();
    const p = proposalDeps(r);
    const proposed = await proposeStandard(p, { domain: 'api', topic: 'errors', content: '# Errors\n\n## Context\nc\n\n## Pattern\np\n\n## Examples\ne\n\n## Anti-patterns\na\n' });
    // Merged by a fast-forward, its branch deleted: the propose commit is on main's first-parent line.
    r.git('merge', '-q', '--ff-only', proposed.branch);
    r.git('branch', '-q', '-D', proposed.branch);
    await importRules(deps(r));
    const listed = await listStandardProposals(p);
    expect(listed.proposals.map((v) => [v.proposal_id, v.status, v.branch])).toEqual([[proposed.proposal_id, 'approved', proposed.branch]]);
  });

  it('--write puts the standards in the working tree, never over an existing one without --force; --dry-run writes nothing', async () => {
    const r = repo();
    const dry = await importRules(deps(r), { mode: 'write', dryRun: true });
    expect(dry.standards.filter((s) => s.action === 'add').length).toBeGreaterThan(10);
    expect(r.read('.agent-os/standards/development/code-style.md')).toBeNull();
    const dryProposal = await importRules(deps(r), { dryRun: true });
    expect(dryProposal.proposal).toMatchObject({ branch: BRANCH, commit: null });
    expect(r.tryGit('rev-parse', '--verify', '-q', BRANCH).status).not.toBe(0);

    const written = await importRules(deps(r), { mode: 'write' });
    expect(written.proposal).toBeNull();
    expect(r.read('.agent-os/standards/development/code-style.md')).toContain('## Pattern\n\n- Use named exports; no default exports.');
    expect(r.read('.agent-os/standards/testing/testing.md')).toBe('# Testing\n\nOur own testing standard.\n');
    expect(r.tryGit('rev-parse', '--verify', '-q', BRANCH).status).not.toBe(0);
    // Run again: what it wrote is unchanged; --force replaces the team's differing standard.
    const rerun = await importRules(deps(r), { mode: 'write' });
    expect(rerun.standards.find((s) => s.file.endsWith('code-style.md'))?.action).toBe('unchanged');
    await importRules(deps(r), { mode: 'write', force: true });
    expect(r.read('.agent-os/standards/testing/testing.md')).toContain('imported_from:\n  - AGENTS.md:19\n  - CLAUDE.md:3\n');
  });

  it('reads no rule file through a link leading out of the project, and writes no standard through a link', async () => {
    const r = repo();
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-outside-')));
    cleanups.push(() => fs.rmSync(outside, { recursive: true, force: true }));
    fs.writeFileSync(path.join(outside, 'notes.md'), '# Private\n\n## Home notes\n\nNothing for the repository.\n');
    fs.rmSync(path.join(r.root, 'GEMINI.md'));
    fs.symlinkSync(path.join(outside, 'notes.md'), path.join(r.root, 'GEMINI.md'));
    fs.mkdirSync(path.join(outside, 'standards'));
    fs.symlinkSync(path.join(outside, 'standards'), path.join(r.root, '.agent-os', 'standards', 'development'));
    const report = await importRules(deps(r), { mode: 'write' });
    expect(report.skipped).toContainEqual({ source: 'GEMINI.md', title: null, reason: expect.stringContaining('not read'), secret: false });
    expect(report.standards.some((s) => s.title === 'Home notes')).toBe(false);
    expect(report.standards.find((s) => s.file.endsWith('development/code-style.md'))).toMatchObject({ action: 'skipped', reason: expect.stringContaining('symbolic link') });
    expect(fs.readdirSync(path.join(outside, 'standards'))).toEqual([]);
    expect(r.read('.agent-os/standards/security/security.md')).toContain('# Security');
  });

  it('with GitHub: pushes the branch and opens one labelled draft pull request', async () => {
    const fake = await FakeGitHub.start({ repos: ['octo-org/billing'], login: 'agent-os-bot' });
    cleanups.push(() => fake.close());
    const r = repo();
    const remote = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-remote-')));
    cleanups.push(() => fs.rmSync(remote, { recursive: true, force: true }));
    r.git('init', '-q', '--bare', '-b', 'main', remote);
    r.git('remote', 'add', 'origin', `file://${remote}`);
    r.git('push', '-q', '-u', 'origin', 'main');
    const github = new OctokitPullRequests({ apiUrl: fake.url, token: fake.token, owner: 'octo-org', repo: 'billing', logger: silentLogger });
    const report = await importRules(deps(r, proposalDeps(r, { github, githubMissing: null })));
    expect(report.proposal?.pushed).toBe(true);
    expect(r.git('ls-remote', remote, BRANCH)).toContain(report.proposal!.commit!);
    expect(fake.pulls).toHaveLength(1);
    const pr = fake.pulls[0]!;
    expect(pr).toMatchObject({ draft: true, labels: ['agent-os:standard'], head: expect.objectContaining({ ref: BRANCH }), base: expect.objectContaining({ ref: 'main' }) });
    expect(pr.title).toMatch(/^Import \d+ standard\(s\) from existing agent rules$/);
    expect(pr.body).toContain('- development/code-style <- AGENTS.md:10');
    expect(pr.body).toContain('im-20261130-abc123');
    expect(report.proposal?.pr_url).toBe(`https://github.com/octo-org/billing/pull/${pr.number}`);
  });
});
