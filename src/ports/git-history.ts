/** First and last commit touching a file. */
export interface FileHistory {
  /** ISO date of the first commit that added the file. */
  createdAt: string;
  /** ISO date of the latest commit that changed it. */
  lastUpdated: string;
}

/** Commit dates of files, from the version history. */
export interface GitHistory {
  /**
   * History of every committed file below `dir`, keyed by path relative to `dir` (POSIX). Files never
   * committed are absent; `modified` lists tracked files with uncommitted changes. Outside a git
   * repository both are empty.
   */
  filesBelow(dir: string): Promise<{ history: Map<string, FileHistory>; modified: Set<string> }>;
}
