/** What a writer holding the lock can ask while it works. */
export interface HeldLock {
  /** Where the lock lives, for messages. */
  readonly name: string;
  /**
   * Why the lock is no longer ours (its directory vanished, or another process took it over after
   * judging it stale), or null while it is. Writers check it before each write.
   */
  lost(): string | null;
}

/** Cross-process mutual exclusion for index writers (watcher, hooks, CLI). */
export interface WriterLock {
  /** Run `fn` holding the lock; waits up to the lock's timeout, then throws AgentOsError('LOCKED'). */
  withLock<T>(fn: (held: HeldLock) => Promise<T>): Promise<T>;
}
