import fs from 'node:fs/promises';
import path from 'node:path';
import { AgentOsError } from '../domain/errors.js';
import type { WorkTreeGit } from '../ports/work-tree.js';
import { runGit, type GitRun } from './git-runner.js';

/** Folders never searched for rule files when there is no git to say what is ignored. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'target', 'vendor', 'coverage', '.venv', 'venv', '__pycache__']);
const MAX_WALK = 20_000;

/** WorkTreeGit with the git binary (argument arrays, no shell), run in the project root. */
export class GitWorkTree implements WorkTreeGit {
  private inRepo: Promise<boolean> | null = null;

  constructor(
    private readonly root: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async listFiles(): Promise<string[]> {
    if (!(await this.repo())) return this.walk();
    const out = await this.git(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate']);
    return [...new Set(out.split('\0').filter(Boolean))].sort();
  }

  async headBlobs(dir: string): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    if (!(await this.repo()) || !(await this.hasHead())) return map;
    const out = await this.git(['ls-tree', '-r', '-z', 'HEAD'], [checkDir(dir)]);
    for (const rec of out.split('\0')) {
      const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(rec);
      if (m) map.set(m[2]!, m[1]!);
    }
    return map;
  }

  async lastCommits(dir: string): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    if (!(await this.repo()) || !(await this.hasHead())) return map;
    // Newest first: the first commit naming a path is the last one that touched it.
    const out = await this.git(['log', '--first-parent', '--relative', '-z', '--format=%x01%H', '--name-only', 'HEAD'], [checkDir(dir)]);
    let commit = '';
    for (const token of out.split('\0')) {
      const t = token.replace(/^\n+/, '');
      if (t.startsWith('\x01')) {
        const [sha = '', first = ''] = t.slice(1).split('\n');
        commit = sha;
        if (first && !map.has(first)) map.set(first, commit);
      } else if (t && commit && !map.has(t)) map.set(t, commit);
    }
    return map;
  }

  private repo(): Promise<boolean> {
    this.inRepo ??= this.run(['rev-parse', '--is-inside-work-tree']).then(
      (r) => r.code === 0 && r.stdout.trim() === 'true',
      () => false,
    );
    return this.inRepo;
  }

  private async hasHead(): Promise<boolean> {
    return (await this.run(['rev-parse', '--verify', '-q', 'HEAD^{commit}'])).code === 0;
  }

  private async walk(): Promise<string[]> {
    const out: string[] = [];
    const visit = async (rel: string, depth: number): Promise<void> => {
      if (depth > 8 || out.length >= MAX_WALK) return;
      const entries = await fs.readdir(path.join(this.root, rel), { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && (!e.name.startsWith('.') || ['.cursor', '.github', '.claude', '.agent-os'].includes(e.name))) await visit(child, depth + 1);
        } else if (e.isFile()) out.push(child);
      }
    };
    await visit('', 0);
    return out.sort();
  }

  private async git(args: string[], paths?: string[]): Promise<string> {
    const r = await this.run(args, paths);
    if (r.code !== 0) throw new AgentOsError('IO', `git ${args[0] ?? ''} failed: ${r.stderr.trim() || `exit code ${r.code}`}`);
    return r.stdout;
  }

  private async run(args: string[], paths?: string[]): Promise<GitRun> {
    const env: NodeJS.ProcessEnv = { ...this.env };
    // Set inside git hooks; it would point these reads at the hook's index instead of the project's.
    delete env['GIT_INDEX_FILE'];
    const r = await runGit(args, { cwd: this.root, env, ...(paths ? { paths } : {}) });
    if (r.startError) throw new AgentOsError('IO', `git could not be started: ${r.startError.message}`, { cause: r.startError });
    return r;
  }
}

/** A project-relative directory that git reads as a path, never as an option. */
function checkDir(dir: string): string {
  if (!dir || dir.startsWith('-') || dir.startsWith('/') || dir.split('/').includes('..')) throw new AgentOsError('BAD_INPUT', `Invalid directory ${JSON.stringify(dir)}.`);
  return dir;
}
