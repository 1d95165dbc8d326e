/** A change below a watched directory; renames arrive as `unlink` + `add`. */
export interface WatchEvent {
  /**
   * `add` / `change` / `unlink` of a Markdown file; `rescan` when the directory itself appeared or
   * disappeared, so any number of files may have changed at once.
   */
  kind: 'add' | 'change' | 'unlink' | 'rescan';
  /** Path relative to the watched directory, POSIX separators ('' for `rescan`). */
  file: string;
}

/** A running watch; events stop once `close()` resolves. */
export interface WatchHandle {
  close(): Promise<void>;
}

/** Watches a standards directory for Markdown changes (hidden entries and other files ignored). */
export interface FileWatcher {
  /**
   * Start watching `dir`, which need not exist yet; resolves once the watch is in place, so a
   * write made after it resolves is reported. Half-written files are reported once complete.
   * Errors go to `onError`, never thrown after the promise resolves.
   */
  watch(dir: string, onEvent: (event: WatchEvent) => void, onError: (error: unknown) => void): Promise<WatchHandle>;
}
