/** A standard file found on disk. */
export interface StandardEntry {
  /** Path relative to the standards directory, POSIX separators. */
  file: string;
  size: number;
  /**
   * Changes whenever the file's content may have changed (size, modification and change times, inode);
   * absent when the repo cannot tell. Equal signatures let a scan reuse the recorded content hash.
   */
  signature?: string;
  /** When the file last changed (ms since the epoch): a signature this recent is not trusted yet. */
  changedAt?: number;
}

/** Read access to the standards directory. */
export interface StandardsRepo {
  /** Absolute path of the standards directory (for messages). */
  readonly dir: string;
  /** Whether the directory exists. */
  exists(): Promise<boolean>;
  /** Every `*.md` file below the directory, hidden folders skipped. */
  list(): Promise<StandardEntry[]>;
  read(file: string): Promise<Uint8Array>;
}
