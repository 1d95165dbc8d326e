/** What import and export need to know of the project's git work tree. Paths are POSIX, relative to the project root. */
export interface WorkTreeGit {
  /**
   * Files below the project root that git tracks or would track (untracked files included, ignored ones
   * left out). Outside a git repository: the files found by walking the directory, skipping dependency
   * and build folders.
   */
  listFiles(): Promise<string[]>;
  /** Blob ids at HEAD of the files below `dir`; empty without commits or outside a repository. */
  headBlobs(dir: string): Promise<Map<string, string>>;
  /** The newest commit that touched each file below `dir` (first-parent history of HEAD); empty without commits. */
  lastCommits(dir: string): Promise<Map<string, string>>;
}
