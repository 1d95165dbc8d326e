import fs from 'node:fs/promises';
import path from 'node:path';

import type { FileHistory, GitHistory } from '../ports/git-history.js';
import { runGit } from './git-runner.js';

/** How long "not in a repository" is believed before git is asked again. */
const RELOCATE_MS = 30_000;

/** Merges made on github.com are committed by this address, with the merging user as author. */
const GITHUB_WEB_FLOW = /<noreply@github\.com>$/i;

/**
 * GitHistory from two `git log`s over the directory, run side by side: every commit for the dates
 * (renames start a new history), and the merges on HEAD's first-parent line for the approvers.
 */
export class GitLogHistory implements GitHistory {
  /**
   * Where each directory's repository keeps HEAD and its refs, found once; "not in a repository" is
   * asked again after `RELOCATE_MS`, so a server started before `git init` learns of it.
   */
  private readonly located = new Map<string, { at: number; repo: Promise<{ gitDir: string; commonDir: string } | null> }>();

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * HEAD's content and the stats of the ref it names, of packed-refs and of shallow: a commit, merge,
   * reset, checkout or deepening fetch rewrites one of them (git replaces a ref file, so its inode
   * changes), a save in the working tree none. One git run per directory to find the repository, file reads after that.
   */
  async state(dir: string): Promise<string> {
    let where = this.located.get(dir);
    if (!where || (where.at + RELOCATE_MS < this.now() && (await where.repo) === null)) {
      const repo = runGit(['rev-parse', '--absolute-git-dir', '--git-common-dir'], { cwd: dir, env: this.env }).then((r) => {
        const [gitDir, common] = r.stdout.split('\n').map((l) => l.trim());
        return r.code === 0 && gitDir && common ? { gitDir, commonDir: path.resolve(dir, common) } : null;
      });
      where = { at: this.now(), repo };
      this.located.set(dir, where);
    }
    const repo = await where.repo;
    if (!repo) return 'no repository';
    const head = await fs.readFile(path.join(repo.gitDir, 'HEAD'), 'utf8').catch(() => '');
    const ref = /^ref:\s*(\S+)/.exec(head)?.[1];
    const stamp = (file: string): Promise<string> =>
      fs.stat(file).then(
        (s) => `${s.ino}:${s.size}:${s.mtimeMs}`,
        () => '-',
      );
    // `shallow` changes when a shallow clone is deepened: older commits, earlier dates.
    const stamps = await Promise.all([ref ? stamp(path.join(repo.commonDir, ref)) : Promise.resolve(''), ...['packed-refs', 'shallow'].map((f) => stamp(path.join(repo.commonDir, f)))]);
    return [head.trim(), ...stamps].join('|');
  }

  async filesBelow(dir: string): Promise<{ history: Map<string, FileHistory>; modified: Set<string> }> {
    const history = new Map<string, FileHistory>();
    const modified = new Set<string>();
    // --relative makes paths relative to `dir`; logs are newest first.
    const flags = ['--name-only', '--relative', '--no-renames'];
    const git = async (args: string[]): Promise<string | null> => {
      const r = await runGit(['-c', 'core.quotePath=false', ...args, ...flags], { cwd: dir, env: this.env, paths: ['.'] });
      return r.code === 0 ? r.stdout : null;
    };
    const [log, merges, diff] = await Promise.all([
      // Author dates: when a standard was written.
      git(['log', '--format=%x01%aI']),
      // Each merge with the files it changed against its first parent, i.e. what it brought in.
      git(['log', '--first-parent', '--merges', '--diff-merges=first-parent', '--format=%x01%cn <%ce>%x02%an <%ae>']),
      // Working tree and index against HEAD.
      git(['diff', 'HEAD']),
    ]);
    // No history at all (not a repository, no commits): nothing is known.
    if (log === null) return { history, modified };
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
    for (const line of (merges ?? '').split('\n')) {
      if (line.startsWith('\u0001')) {
        const [committer = '', author = ''] = line.slice(1).split('\u0002');
        merger = (GITHUB_WEB_FLOW.test(committer.trim()) ? author : committer).trim() || null;
        continue;
      }
      const seen = history.get(line.trim());
      if (seen && seen.approvedBy === null) seen.approvedBy = merger;
    }
    for (const line of (diff ?? '').split('\n')) {
      const file = line.trim();
      if (file) modified.add(file);
    }
    return { history, modified };
  }
}
