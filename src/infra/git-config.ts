import path from 'node:path';
import { AgentOsError } from '../domain/errors.js';
import type { GitConfig, GitConfigValue, GitRepoPaths } from '../ports/hooks.js';
import { runGit } from './git-runner.js';

/** GitConfig through the git binary: argument arrays, an explicit cwd, no shell. */
export class GitBinaryConfig implements GitConfig {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async repo(dir: string): Promise<GitRepoPaths | null> {
    const r = await runGit(['rev-parse', '--show-toplevel', '--git-common-dir'], { cwd: dir, env: this.env });
    if (r.code !== 0) return null;
    const [top, common] = r.stdout.split('\n').map((l) => l.trim());
    if (!top || !common) return null;
    return { topLevel: path.resolve(top), commonDir: path.resolve(dir, common) };
  }

  async get(cwd: string, key: string): Promise<GitConfigValue | null> {
    // --show-scope: a value set globally is reported too, so it is never silently overridden.
    // (`git config --get` exits 1 when the key is unset.)
    const r = await runGit(['config', '--show-scope', '--get', key], { cwd, env: this.env });
    const out = r.stdout.trim();
    if (r.code !== 0 || !out) return null;
    const tab = out.indexOf('\t');
    return tab < 0 ? { value: out, scope: 'local' } : { scope: out.slice(0, tab), value: out.slice(tab + 1) };
  }

  async set(cwd: string, key: string, value: string): Promise<void> {
    const r = await runGit(['config', '--local', key, value], { cwd, env: this.env });
    if (r.code !== 0) throw new AgentOsError('IO', `git config ${key} could not be set: ${r.stderr.trim() || `git exited with status ${r.code}`}`);
  }

  async unset(cwd: string, key: string): Promise<void> {
    // Exit 5: the key was not set; nothing to undo.
    await runGit(['config', '--local', '--unset-all', key], { cwd, env: this.env });
  }
}
