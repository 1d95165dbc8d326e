import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFrontMatter } from '../../src/domain/front-matter.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { configDefaults, createDoctorDeps, createInitDeps } from '../../src/app-deps.js';
import { silentLogger } from '../../src/ports/logger.js';
import { runDoctor, type DoctorReport } from '../../src/services/doctor.js';
import { initProject, STANDARD_DOMAINS } from '../../src/services/init-project.js';
import { ensureBuilt, isolatedGitEnv, makeRepo, runCli, type TempRepo } from '../fakes/git-repo.js';
import { HashEmbedder } from '../fakes/hash-embedder.js';

const init = (root: string, extra: { force?: boolean; hooks?: boolean } = {}) =>
  initProject(createInitDeps(), { root, configDefaults: configDefaults(), ...extra });

const byId = (r: DoctorReport, id: string) => r.checks.find((c) => c.id === id);

describe('agent-os init', () => {
  const repos: TempRepo[] = [];
  const dirs: string[] = [];
  // The hooks record the built CLI; build it so the doctor's hooks check can find it.
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function repo(): TempRepo {
    const r = makeRepo();
    repos.push(r);
    // The in-process services run git with this process's environment.
    process.env['GIT_CONFIG_GLOBAL'] = r.env['GIT_CONFIG_GLOBAL'];
    return r;
  }

  it('scaffolds .agent-os/, .gitignore, the Cursor rule and the hooks; a second run changes nothing', async () => {
    const r = repo();
    r.write('.gitignore', 'node_modules/');
    const first = await init(r.root);
    const action = (file: string) => first.files.find((f) => f.file === file)?.action;
    expect(action('.agent-os/config.yaml')).toBe('created');
    for (const d of STANDARD_DOMAINS) expect(action(`.agent-os/standards/${d}/.gitkeep`)).toBe('created');
    expect(action('.gitignore')).toBe('updated');
    expect(r.read('.gitignore')).toBe('node_modules/\n# agent-os: search index, databases and logs (rebuilt from the standards)\n.agent-os/.cache/\n');
    expect(action('.cursor/rules/agent-os.mdc')).toBe('created');
    const rule = readFrontMatter(r.read('.cursor/rules/agent-os.mdc') ?? '');
    expect(rule.data['alwaysApply']).toBe(true);
    expect(rule.body).toContain('search_standards');
    expect(first.hooks.status).toBe('installed');
    expect(r.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    // agent-os is not inside this project: npx with --no-install.
    expect(first.mcp.json.mcpServers['agent-os']?.command).toBe('npx');

    const second = await init(r.root);
    expect(second.files.every((f) => f.action === 'unchanged')).toBe(true);
    expect(second.hooks.report?.created).toEqual([]);
    expect(second.hooks.report?.updated).toEqual([]);
    expect(r.read('.gitignore')?.match(/\.agent-os\/\.cache\//g)).toHaveLength(1);
  });

  it('never overwrites a file of yours without --force, and says so', async () => {
    const r = repo();
    r.write('.agent-os/config.yaml', 'embeddings:\n  provider: none\n');
    r.write('.cursor/rules/agent-os.mdc', 'my own rule\n');
    r.write('.agent-os/standards/security/auth.md', '# Auth\n');
    const report = await init(r.root, { hooks: false });
    expect(report.files.find((f) => f.file === '.agent-os/config.yaml')).toMatchObject({ action: 'skipped', reason: expect.stringContaining('--force') });
    expect(report.files.find((f) => f.file === '.cursor/rules/agent-os.mdc')?.action).toBe('skipped');
    expect(r.read('.agent-os/config.yaml')).toBe('embeddings:\n  provider: none\n');
    expect(r.read('.cursor/rules/agent-os.mdc')).toBe('my own rule\n');
    // A domain folder with standards gets no .gitkeep.
    expect(r.read('.agent-os/standards/security/.gitkeep')).toBeNull();
    expect(report.hooks.status).toBe('skipped');
    expect(r.tryGit('config', 'core.hooksPath').status).toBe(1);

    const forced = await init(r.root, { force: true, hooks: false });
    expect(forced.files.find((f) => f.file === '.agent-os/config.yaml')?.action).toBe('overwritten');
    expect(r.read('.cursor/rules/agent-os.mdc')).toContain('alwaysApply: true');
  });

  it('wires Cursor, VS Code and Claude Code, merging into their files without removing other servers; twice changes nothing', async () => {
    const r = repo();
    const theirs = { mcpServers: { github: { command: 'gh-mcp', args: ['--stdio'] } }, other: { keep: true } };
    r.write('.cursor/mcp.json', `${JSON.stringify(theirs, null, 2)}\n`);
    r.write('.vscode/mcp.json', '{\n  // VS Code allows comments here\n  "servers": {}\n}\n');
    const first = await init(r.root, { hooks: false });
    const action = (file: string) => first.files.find((f) => f.file === file);
    expect(action('.cursor/mcp.json')).toMatchObject({ action: 'updated' });
    expect(action('.vscode/mcp.json')).toMatchObject({ action: 'skipped', reason: expect.stringContaining('not plain JSON') });
    expect(action('.mcp.json')).toMatchObject({ action: 'created' });
    const cursor = JSON.parse(r.read('.cursor/mcp.json')!) as Record<string, Record<string, unknown>>;
    expect(cursor['other']).toEqual({ keep: true });
    expect(cursor['mcpServers']).toEqual({
      github: { command: 'gh-mcp', args: ['--stdio'] },
      'agent-os': { command: 'npx', args: ['--no-install', 'agent-os', '--root', '${workspaceFolder}', 'serve'] },
    });
    expect(JSON.parse(r.read('.mcp.json')!)).toEqual({ mcpServers: { 'agent-os': { command: 'npx', args: ['--no-install', 'agent-os', 'serve'] } } });
    expect(r.read('.vscode/mcp.json')).toContain('// VS Code allows comments here');

    r.write('.vscode/mcp.json', '{ "servers": { "db": { "type": "stdio", "command": "db-mcp" } } }');
    const second = await init(r.root, { hooks: false });
    expect(second.files.find((f) => f.file === '.vscode/mcp.json')?.action).toBe('updated');
    expect(JSON.parse(r.read('.vscode/mcp.json')!)).toEqual({
      servers: {
        db: { type: 'stdio', command: 'db-mcp' },
        'agent-os': { type: 'stdio', command: 'npx', args: ['--no-install', 'agent-os', '--root', '${workspaceFolder}', 'serve'] },
      },
    });
    const before = ['.cursor/mcp.json', '.vscode/mcp.json', '.mcp.json'].map((f) => r.read(f));
    const third = await init(r.root, { hooks: false });
    expect(third.files.filter((f) => f.file.endsWith('mcp.json')).map((f) => f.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(['.cursor/mcp.json', '.vscode/mcp.json', '.mcp.json'].map((f) => r.read(f))).toEqual(before);

    // An agent-os entry the user changed is theirs until --force.
    r.write('.mcp.json', JSON.stringify({ mcpServers: { 'agent-os': { command: 'agent-os', args: ['serve'] } } }));
    expect((await init(r.root, { hooks: false })).files.find((f) => f.file === '.mcp.json')).toMatchObject({ action: 'skipped', reason: expect.stringContaining('--force') });
    expect((await init(r.root, { hooks: false, force: true })).files.find((f) => f.file === '.mcp.json')?.action).toBe('updated');
  });

  it('--dry-run says what would change and writes nothing', () => {
    const r = repo();
    r.write('.cursor/mcp.json', '{"mcpServers":{}}');
    const status = () => r.git('status', '--porcelain', '--untracked-files=all');
    r.commitAll('start');
    const out = runCli(['--root', r.root, 'init', '--dry-run', '--json'], r.env);
    expect(out.status, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout) as { dryRun: boolean; files: Array<{ file: string; action: string }>; hooks: { status: string } };
    expect(report.dryRun).toBe(true);
    expect(report.files.find((f) => f.file === '.cursor/mcp.json')?.action).toBe('updated');
    expect(report.files.find((f) => f.file === '.mcp.json')?.action).toBe('created');
    expect(report.files.find((f) => f.file === '.agent-os/config.yaml')?.action).toBe('created');
    expect(report.hooks.status).toBe('skipped');
    expect(status()).toBe('');
    expect(r.tryGit('config', 'core.hooksPath').status).toBe(1);
    const human = runCli(['--root', r.root, 'init', '--dry-run'], r.env);
    expect(human.stdout).toMatch(/would change.*dry run: nothing written/);
  });

  it('works outside git (hooks skipped with the reason) and prints JSON with --json', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-nogit-'));
    dirs.push(dir);
    const out = runCli(['--root', dir, 'init', '--json'], isolatedGitEnv());
    expect(out.status, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout) as { files: Array<{ file: string; action: string }>; hooks: { status: string; detail: string }; mcp: { json: unknown } };
    expect(report.files.find((f) => f.file === '.agent-os/config.yaml')?.action).toBe('created');
    expect(report.hooks).toMatchObject({ status: 'skipped', detail: expect.stringContaining('not inside a git work tree') });
    expect(report.mcp.json).toHaveProperty('mcpServers.agent-os.command');
    const again = JSON.parse(runCli(['--root', dir, 'init', '--json'], isolatedGitEnv()).stdout) as typeof report;
    expect(again.files.every((f) => f.action === 'unchanged')).toBe(true);
  });
});

describe('agent-os doctor', () => {
  const repos: TempRepo[] = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });

  it('fails on a project without .agent-os/ and says to run init (CLI exit 1, JSON)', async () => {
    const r = makeRepo();
    repos.push(r);
    const out = runCli(['--root', r.root, 'doctor', '--json'], r.env);
    expect(out.status).toBe(1);
    const report = JSON.parse(out.stdout) as DoctorReport;
    expect(report.ok).toBe(false);
    expect(byId(report, 'standards')).toMatchObject({ status: 'fail', fix: expect.stringContaining('agent-os init') });
    expect(byId(report, 'index')?.status).toBe('fail');
    expect(byId(report, 'hooks')).toMatchObject({ status: 'warn', fix: expect.stringContaining('agent-os hooks install') });
    expect(byId(report, 'config')?.status).toBe('ok');
    // Looking does not create anything.
    expect(fs.existsSync(path.join(r.root, '.agent-os'))).toBe(false);
  });

  it('is green on a healthy project, flags stale files, and a broken config', async () => {
    const r = makeRepo();
    repos.push(r);
    process.env['GIT_CONFIG_GLOBAL'] = r.env['GIT_CONFIG_GLOBAL'];
    await init(r.root);
    r.write('.agent-os/standards/development/logging.md', '# Logging\n\nUse structured fields.\n');
    r.write('.agent-os/standards/security/auth.md', '# Auth\n\nargon2id.\n');
    const embedder = new HashEmbedder();
    const app = createApp({ root: r.root, logger: silentLogger, embedder });
    await app.index();
    await app.close();

    const doctor = (env: Record<string, string> = {}) => runDoctor(createDoctorDeps({ root: r.root, logger: silentLogger, embedder, env }));
    // Before the first commit there is no branch to propose from.
    expect(byId(await doctor(), 'proposals')).toMatchObject({ status: 'warn', detail: expect.stringContaining('first commit') });
    r.commitAll('standards');
    r.git('remote', 'add', 'origin', 'git@github.com:octo-org/widgets.git');
    expect(byId(await doctor({ GITHUB_TOKEN: 'x' }), 'proposals')).toMatchObject({ status: 'ok', detail: 'Proposals branch from main and open draft pull requests on octo-org/widgets.' });
    const healthy = await doctor({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', AGENT_OS_MODEL: 'llama3' });
    expect(healthy.checks.map((c) => [c.id, c.status])).toEqual([
      ['config', 'ok'],
      ['standards', 'ok'],
      ['embeddings', 'ok'],
      ['index', 'ok'],
      ['hooks', 'ok'],
      ['personas', 'ok'],
      ['llm', 'ok'],
      ['proposals', 'ok'],
    ]);
    expect(healthy.ok).toBe(true);
    expect(byId(healthy, 'proposals')).toMatchObject({ detail: expect.stringContaining('stay local (GITHUB_TOKEN is not set)'), fix: expect.stringContaining('GITHUB_TOKEN') });
    expect(byId(healthy, 'llm')?.detail).toContain('llama3');

    // No LLM: briefing mode explained. A changed and a new file: stale, listed.
    r.write('.agent-os/standards/security/auth.md', '# Auth\n\nargon2id with a pepper.\n');
    r.write('.agent-os/standards/data/kafka.md', '# Kafka\n');
    const stale = await doctor();
    expect(byId(stale, 'llm')).toMatchObject({ status: 'warn', detail: expect.stringContaining('briefing mode'), fix: expect.stringContaining('OPENAI_API_KEY') });
    expect(byId(stale, 'index')).toMatchObject({ status: 'warn', data: { added: ['data/kafka.md'], changed: ['security/auth.md'] } });
    expect(byId(stale, 'index')?.detail).toContain('~security/auth.md');
    expect(stale.ok).toBe(true);

    // The model does not load: search degrades to keyword-only, which doctor explains.
    embedder.failLoad = new Error('weights missing');
    const noModel = await doctor();
    expect(byId(noModel, 'embeddings')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/weights missing[\s\S]*keyword-only/) });

    r.write('.agent-os/config.yaml', 'search:\n  vectorWeight: 7\n');
    const broken = await doctor();
    expect(byId(broken, 'config')).toMatchObject({ status: 'fail', detail: expect.stringContaining('search.vectorWeight') });
    expect(broken.ok).toBe(false);
    expect(byId(broken, 'standards')?.status).toBe('ok');
  });
});
