/** A file's text as a persona sees it. */
export interface ProjectFileText {
  /** Project-relative, POSIX separators. */
  path: string;
  content: string;
  /** Size of the whole file on disk. */
  bytes: number;
  truncated: boolean;
  /** Set when something was left out, e.g. "Truncated: showing the first 65536 of 180000 bytes." */
  note?: string;
}

export interface ProjectFileList {
  /** Project-relative file paths, sorted. */
  files: string[];
  truncated: boolean;
  note?: string;
}

export interface GrepMatch {
  path: string;
  /** 1-based. */
  line: number;
  text: string;
}

export interface GrepResult {
  matches: GrepMatch[];
  filesSearched: number;
  truncated: boolean;
  note?: string;
}

export interface GitDiffResult {
  /** The ref the working tree was compared with. */
  base: string;
  diff: string;
  /** Untracked (not ignored) files, which a diff against a ref does not show. */
  untracked: string[];
  truncated: boolean;
  note?: string;
}

/**
 * Read-only access to the project for personas, confined to the project root: no `..`, no absolute
 * paths, no symlinks leading out, nothing under `.git/`, no credential files (`.env*`, keys,
 * `.aws/`, `.ssh/`, …), nothing git ignores or cannot vouch for. A symlink is judged by the file it
 * leads to, and readFile, listFiles and grep apply the same rules. Refusals are AgentOsError
 * `OUTSIDE_PROJECT` (escapes) or `BAD_INPUT` (forbidden or bad arguments); a missing file is
 * `NOT_FOUND`.
 */
export interface ProjectFiles {
  /** Absolute, real path of the project root. */
  readonly root: string;
  readFile(rel: string, opts?: { maxBytes?: number }): Promise<ProjectFileText>;
  /** Files below `relDir` ('' or '.' for the root), optionally filtered by a glob (`*.ts`, `src/**\/*.ts`). */
  listFiles(relDir: string, opts?: { glob?: string; limit?: number }): Promise<ProjectFileList>;
  /**
   * Lines matching a regular expression in text files, optionally filtered by a glob. RE2 syntax
   * (linear-time matching: no backreferences or lookaround, refused as BAD_INPUT). Stops with an
   * AgentOsError once `signal` is aborted.
   */
  grep(pattern: string, opts?: { glob?: string; limit?: number; ignoreCase?: boolean; signal?: AbortSignal }): Promise<GrepResult>;
  /** The working tree (staged and unstaged) against a ref, default HEAD. */
  gitDiff(base?: string, opts?: { maxBytes?: number }): Promise<GitDiffResult>;
}
