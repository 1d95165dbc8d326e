import path from 'node:path';
import { AgentOsError, messageOf } from '../domain/errors.js';
import type { GitConfig, GitConfigValue, GitRepoPaths } from '../ports/hooks.js';

async function git(cwd: string) {
  // Loaded on first use: commands that never touch git config start faster.
  const { simpleGit } = await import('simple-git');
  // Setting core.hooksPath is this module's purpose; simple-git blocks it unless allowed.
  return simpleGit({ baseDir: cwd, trimmed: true, unsafe: { allowUnsafeHooksPath: true } });
}

/** GitConfig through the git binary (simple-git): argument arrays, an explicit cwd, no shell. */
export class SimpleGitConfig implements GitConfig {
  async repo(dir: string): Promise<GitRepoPaths | null> {
    try {
      const out = await (await git(dir)).raw(['rev-parse', '--show-toplevel', '--git-common-dir']);
      const [top, common] = out.split('\n').map((l) => l.trim());
      if (!top || !common) return null;
      return { topLevel: path.resolve(top), commonDir: path.resolve(dir, common) };
    } catch {
      return null;
    }
  }

  async get(cwd: string, key: string): Promise<GitConfigValue | null> {
    try {
      // --show-scope: a value set globally is reported too, so it is never silently overridden.
      const out = await (await git(cwd)).raw(['config', '--show-scope', '--get', key]);
      if (!out) return null;
      const tab = out.indexOf('\t');
      return tab < 0 ? { value: out, scope: 'local' } : { scope: out.slice(0, tab), value: out.slice(tab + 1) };
    } catch {
      // `git config --get` exits 1 when the key is unset.
      return null;
    }
  }

  async set(cwd: string, key: string, value: string): Promise<void> {
    try {
      await (await git(cwd)).raw(['config', '--local', key, value]);
    } catch (e) {
      throw new AgentOsError('IO', `git config ${key} could not be set: ${messageOf(e)}`, { cause: e });
    }
  }

  async unset(cwd: string, key: string): Promise<void> {
    try {
      await (await git(cwd)).raw(['config', '--local', '--unset-all', key]);
    } catch {
      // Exit 5: the key was not set; nothing to undo.
    }
  }
}
