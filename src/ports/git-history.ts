/** What the version history says about one file. */
export interface FileHistory {
  /** ISO date of the first commit that added the file. */
  createdAt: string;
  /** ISO date of the latest commit that changed it. */
  lastUpdated: string;
  /**
   * `Name <email>` of whoever merged the newest merge commit on HEAD's first-parent line that
   * changed the file (its committer; its author when GitHub's web flow committed it). Null when
   * only direct commits changed it.
   */
  approvedBy: string | null;
}

/** Commit dates and approvers of files, from the version history. */
export interface GitHistory {
  /**
   * History of every committed file below `dir`, keyed by path relative to `dir` (POSIX). Files never
   * committed are absent; `modified` lists tracked files with uncommitted changes. Outside a git
   * repository both are empty.
   */
  filesBelow(dir: string): Promise<{ history: Map<string, FileHistory>; modified: Set<string> }>;
  /**
   * A cheap signature of the repository's state that `filesBelow`'s history depends on (HEAD and the
   * refs): equal signatures mean the history has not changed. Optional; without it callers re-read.
   */
  state?(dir: string): Promise<string>;
}
