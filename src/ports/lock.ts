/** Cross-process mutual exclusion for index writers (watcher, hooks, CLI). */
export interface WriterLock {
  /** Run `fn` holding the lock; waits up to the lock's timeout, then throws AgentOsError('LOCKED'). */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}
