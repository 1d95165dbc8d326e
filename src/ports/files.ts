/** What `stat` reports about a path. */
export interface FileInfo {
  kind: 'file' | 'dir' | 'other';
  /** Owner-executable bit (hook scripts must be executable to run). */
  executable: boolean;
  size: number;
  mtimeMs: number;
}

/** Plain file-system access by absolute path, for services that scaffold or install files. */
export interface Files {
  /** null when nothing is at the path. */
  stat(file: string): Promise<FileInfo | null>;
  /** null when the file does not exist. */
  readText(file: string): Promise<string | null>;
  /** Write (creating parent directories); `executable` sets mode 0755, else 0644. */
  writeText(file: string, text: string, opts?: { executable?: boolean }): Promise<void>;
  mkdir(dir: string): Promise<void>;
  /** Remove a file, or a directory only when it is empty; absent paths are fine. */
  remove(file: string): Promise<void>;
  /** Entry names of a directory, [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  /** What is at the path itself, a symbolic link not followed; null when nothing is there. */
  entryKind(file: string): Promise<'file' | 'dir' | 'link' | 'other' | null>;
}
