import type { SimpleGit } from 'simple-git';
import type { FileHistory, GitHistory } from '../ports/git-history.js';

/** Merges made on github.com are committed by this address, with the merging user as author. */
const GITHUB_WEB_FLOW = /<noreply@github\.com>$/i;

/**
 * GitHistory from two `git log`s over the directory, run side by side: every commit for the dates
 * (renames start a new history), and the merges on HEAD's first-parent line for the approvers.
 */
export class SimpleGitHistory implements GitHistory {
  async filesBelow(dir: string): Promise<{ history: Map<string, FileHistory>; modified: Set<string> }> {
    const history = new Map<string, FileHistory>();
    const modified = new Set<string>();
    let log: string;
    let merges: string;
    let diff: string;
    try {
      const { simpleGit } = await import('simple-git');
      const git: SimpleGit = simpleGit({ baseDir: dir });
      // --relative makes paths relative to `dir`; logs are newest first.
      const paths = ['--name-only', '--relative', '--no-renames', '--', '.'];
      [log, merges, diff] = await Promise.all([
        // Author dates: when a standard was written.
        git.raw(['-c', 'core.quotePath=false', 'log', '--format=%x01%aI', ...paths]),
        // Each merge with the files it changed against its first parent, i.e. what it brought in.
        git
          .raw(['-c', 'core.quotePath=false', 'log', '--first-parent', '--merges', '--diff-merges=first-parent', '--format=%x01%cn <%ce>%x02%an <%ae>', ...paths])
          .catch(() => ''),
        // Working tree and index against HEAD.
        git.raw(['-c', 'core.quotePath=false', 'diff', '--name-only', '--relative', '--no-renames', 'HEAD', '--', '.']).catch(() => ''),
      ]);
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
      else history.set(file, { createdAt: date, lastUpdated: date, approvedBy: null });
    }
    let merger: string | null = null;
    for (const line of merges.split('\n')) {
      if (line.startsWith('\u0001')) {
        const [committer = '', author = ''] = line.slice(1).split('\u0002');
        merger = (GITHUB_WEB_FLOW.test(committer.trim()) ? author : committer).trim() || null;
        continue;
      }
      const seen = history.get(line.trim());
      if (seen && seen.approvedBy === null) seen.approvedBy = merger;
    }
    for (const line of diff.split('\n')) {
      const file = line.trim();
      if (file) modified.add(file);
    }
    return { history, modified };
  }
}
