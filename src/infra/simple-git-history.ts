import type { SimpleGit } from 'simple-git';
import type { FileHistory, GitHistory } from '../ports/git-history.js';

/** GitHistory from one `git log` over the directory (renames start a new history). */
export class SimpleGitHistory implements GitHistory {
  async filesBelow(dir: string): Promise<{ history: Map<string, FileHistory>; modified: Set<string> }> {
    const history = new Map<string, FileHistory>();
    const modified = new Set<string>();
    let log: string;
    let git: SimpleGit;
    try {
      const { simpleGit } = await import('simple-git');
      git = simpleGit({ baseDir: dir });
      // Newest first; --relative makes paths relative to `dir`. Author dates: when a standard was written.
      log = await git.raw(['-c', 'core.quotePath=false', 'log', '--format=%x01%aI', '--name-only', '--relative', '--no-renames', '--', '.']);
    } catch {
      return { history, modified };
    }
    let date = '';
    for (const line of log.split('\n')) {
      if (line.startsWith('\u0001')) {
        date = line.slice(1).trim();
        continue;
      }
      const file = line.trim();
      if (!file || !date) continue;
      const seen = history.get(file);
      if (seen) seen.createdAt = date;
      else history.set(file, { createdAt: date, lastUpdated: date });
    }
    try {
      // Working tree and index against HEAD, paths relative to `dir`.
      const diff = await git.raw(['-c', 'core.quotePath=false', 'diff', '--name-only', '--relative', '--no-renames', 'HEAD', '--', '.']);
      for (const line of diff.split('\n')) {
        const file = line.trim();
        if (file) modified.add(file);
      }
    } catch {
      // No status: dates come from history alone.
    }
    return { history, modified };
  }
}
