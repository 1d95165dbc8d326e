import { messageOf } from '../domain/errors.js';
import type { Logger } from '../ports/logger.js';
import type { FileWatcher } from '../ports/watcher.js';
import type { IndexReport } from './index-standards.js';

/** Settings and the run function of an auto-indexer. */
export interface AutoIndexOptions {
  /** Quiet period after the last trigger before a run starts (config `index.debounceMs`). */
  debounceMs: number;
  /** A steady stream of triggers postpones a run at most this long (default 10 × debounce, ≥ 1 s). */
  maxWaitMs?: number;
  /** One indexing run; its errors are logged and do not stop later runs. */
  run: () => Promise<void>;
  logger: Logger;
}

/** Coalesces change notifications into indexing runs: never two at once, never a change lost. */
export interface AutoIndexer {
  /** Note a change; a run follows after the debounce (or after the current run). */
  trigger(reason?: string): void;
  /** Resolves once nothing is pending or running. */
  idle(): Promise<void>;
  /** Stop: pending triggers are dropped, a running run is awaited. */
  close(): Promise<void>;
  readonly stats: { runs: number; failures: number };
}

/**
 * States: idle → waiting (debounce timer) → running → idle, or → waiting again when a trigger
 * arrived during the run. Triggers while waiting restart the timer (bounded by `maxWaitMs`), so a
 * burst of saves costs one run, and a save during a run costs exactly one more.
 */
export function createAutoIndexer(opts: AutoIndexOptions): AutoIndexer {
  const debounceMs = Math.max(0, opts.debounceMs);
  const maxWaitMs = opts.maxWaitMs ?? Math.max(1000, debounceMs * 10);
  const stats = { runs: 0, failures: 0 };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let waitingSince = 0;
  let running: Promise<void> | null = null;
  let dirty = false;
  let closed = false;
  let waiters: Array<() => void> = [];
  const reasons = new Set<string>();

  const isIdle = (): boolean => timer === null && running === null && !dirty;
  const settle = (): void => {
    if (!isIdle()) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };

  const schedule = (): void => {
    const now = Date.now();
    if (timer) clearTimeout(timer);
    else waitingSince = now;
    const delay = Math.max(0, Math.min(debounceMs, waitingSince + maxWaitMs - now));
    timer = setTimeout(start, delay);
  };

  const start = (): void => {
    timer = null;
    const why = [...reasons].slice(0, 5);
    reasons.clear();
    running = (async () => {
      try {
        opts.logger.debug('re-indexing after changes', { changes: why });
        await opts.run();
      } catch (e) {
        stats.failures++;
        opts.logger.error('automatic re-index failed', { error: messageOf(e) });
      } finally {
        stats.runs++;
      }
    })().then(() => {
      running = null;
      if (dirty && !closed) schedule();
      dirty = false;
      settle();
    });
  };

  return {
    stats,
    trigger(reason) {
      if (closed) return;
      if (reason !== undefined && reasons.size < 100) reasons.add(reason);
      if (running) dirty = true;
      else schedule();
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    async close() {
      closed = true;
      dirty = false;
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      await running;
      settle();
    },
  };
}

/** A running watch of the standards directory. */
export interface Watching {
  /** Resolves once no re-index is pending or running (for tests and orderly shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface WatchStandardsDeps {
  watcher: FileWatcher;
  /** The standards directory. */
  dir: string;
  debounceMs: number;
  /** One incremental index run; null when there was nothing to index (the directory is missing). */
  reindex(): Promise<IndexReport | null>;
  logger: Logger;
}

/**
 * Watches the standards directory and re-indexes after changes, debounced and one run at a time;
 * `catchUp` (default true) runs once at start for changes made before the watch began, and
 * `onIndexed` sees each run's report. Errors are logged, never thrown at the watcher.
 */
export async function watchStandards(deps: WatchStandardsDeps, options: { catchUp?: boolean; onIndexed?: (report: IndexReport) => void } = {}): Promise<Watching> {
  const { logger } = deps;
  const indexer = createAutoIndexer({
    debounceMs: deps.debounceMs,
    logger,
    run: async () => {
      const report = await deps.reindex();
      if (!report) return;
      if (report.added.length + report.changed.length + report.removed.length > 0) {
        logger.info('re-indexed after changes', { added: report.added, changed: report.changed, removed: report.removed, ms: report.durationMs });
      }
      try {
        options.onIndexed?.(report);
      } catch (e) {
        logger.warn('onIndexed callback failed', { error: messageOf(e) });
      }
    },
  });
  const handle = await deps.watcher.watch(
    deps.dir,
    (event) => indexer.trigger(`${event.kind} ${event.file}`),
    (error) => logger.warn('file watcher error', { error: messageOf(error) }),
  );
  if (options.catchUp !== false) indexer.trigger('catch-up');
  return {
    idle: () => indexer.idle(),
    async close() {
      await handle.close();
      await indexer.close();
    },
  };
}
