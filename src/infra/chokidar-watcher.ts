import fs from 'node:fs';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import type { FileWatcher, WatchEvent, WatchHandle } from '../ports/watcher.js';

/** Timing of the chokidar watcher. */
export interface ChokidarWatcherOptions {
  /** A file is reported once its size has been stable this long (half-written files wait). */
  stabilityMs?: number;
  /** How often a missing directory is checked for (chokidar does not watch absent paths). */
  appearPollMs?: number;
}

function isMarkdown(p: string): boolean {
  return p.toLowerCase().endsWith('.md');
}

/**
 * FileWatcher on chokidar 5. chokidar neither watches a directory that does not exist yet nor
 * notices one re-created after deletion, so the watcher alternates between two states: watching
 * (chokidar on the directory) and waiting (a cheap existence poll), reporting `rescan` on each switch.
 */
export class ChokidarWatcher implements FileWatcher {
  constructor(private readonly opts: ChokidarWatcherOptions = {}) {}

  async watch(dir: string, onEvent: (event: WatchEvent) => void, onError: (error: unknown) => void): Promise<WatchHandle> {
    const root = path.resolve(dir);
    const stabilityMs = this.opts.stabilityMs ?? 120;
    const pollMs = this.opts.appearPollMs ?? 250;
    let closed = false;
    let watcher: FSWatcher | null = null;
    let poll: ReturnType<typeof setInterval> | null = null;

    const emit = (event: WatchEvent): void => {
      if (closed) return;
      try {
        onEvent(event);
      } catch (e) {
        onError(e);
      }
    };
    const relative = (p: string): string => path.relative(root, p).split(path.sep).join('/');

    const ignored = (p: string, stats?: fs.Stats): boolean => {
      const rel = path.relative(root, p);
      if (rel === '' || rel.startsWith('..')) return false;
      // Hidden entries (.cache, editor swap files, .git) are never standards.
      if (rel.split(path.sep).some((part) => part.startsWith('.'))) return true;
      return stats?.isFile() === true && !isMarkdown(p);
    };

    const startWatching = async (): Promise<void> => {
      // Loaded on first watch: only `serve` watches, every other command starts faster without it.
      const { watch: chokidarWatch } = await import('chokidar');
      const w = chokidarWatch(root, {
        ignoreInitial: true,
        ignored,
        awaitWriteFinish: { stabilityThreshold: stabilityMs, pollInterval: Math.max(10, Math.floor(stabilityMs / 4)) },
        atomic: true,
      });
      watcher = w;
      w.on('add', (p) => isMarkdown(p) && emit({ kind: 'add', file: relative(p) }));
      w.on('change', (p) => isMarkdown(p) && emit({ kind: 'change', file: relative(p) }));
      w.on('unlink', (p) => isMarkdown(p) && emit({ kind: 'unlink', file: relative(p) }));
      w.on('unlinkDir', (p) => {
        if (path.resolve(p) !== root) return;
        // The directory itself went away: chokidar will not see it come back, so wait for it.
        emit({ kind: 'rescan', file: '' });
        void stopWatching().then(() => (closed ? undefined : startWaiting()));
      });
      w.on('error', (e) => onError(e));
      await new Promise<void>((resolve) => w.once('ready', () => resolve()));
    };

    const stopWatching = async (): Promise<void> => {
      const w = watcher;
      watcher = null;
      await w?.close();
    };

    const startWaiting = (): void => {
      let checking = false;
      poll = setInterval(() => {
        if (checking || closed) return;
        if (!isDir(root)) return;
        checking = true;
        stopWaiting();
        startWatching()
          .then(() => emit({ kind: 'rescan', file: '' }))
          .catch((e: unknown) => {
            onError(e);
            if (!closed) startWaiting();
          });
      }, pollMs);
      poll.unref();
    };

    const stopWaiting = (): void => {
      if (poll) clearInterval(poll);
      poll = null;
    };

    if (isDir(root)) await startWatching();
    else startWaiting();

    return {
      async close() {
        closed = true;
        stopWaiting();
        await stopWatching();
      },
    };
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
