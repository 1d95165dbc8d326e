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
  /** How often the watched directories are compared with those on disk (see `unwatchedDirs`). */
  healMs?: number;
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
    let heal: ReturnType<typeof setInterval> | null = null;

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
      // chokidar misses a directory created at the wrong moment of its start-up scan, and then never
      // reports anything below it. Compare what it watches with the disk, now and now and then, and
      // add what it missed; a rescan lets the index catch up on files saved there meanwhile.
      const check = (): void => {
        if (closed || watcher !== w) return;
        const missing = unwatchedDirs(root, w.getWatched(), (p) => ignored(p));
        if (missing.length === 0) return;
        w.add(missing);
        emit({ kind: 'rescan', file: '' });
      };
      check();
      heal = setInterval(check, this.opts.healMs ?? 2_000);
      heal.unref();
    };

    const stopWatching = async (): Promise<void> => {
      const w = watcher;
      watcher = null;
      if (heal) clearInterval(heal);
      heal = null;
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

/** Directories below `root` (itself included) that exist on disk but are not among chokidar's watched ones. */
export function unwatchedDirs(root: string, watched: Record<string, string[]>, ignored: (p: string) => boolean, limit = 10_000): string[] {
  const known = new Set(Object.keys(watched).map((d) => path.resolve(d)));
  const missing: string[] = [];
  const stack = [root];
  let seen = 0;
  while (stack.length > 0 && seen++ < limit) {
    const dir = stack.pop()!;
    if (!known.has(dir)) missing.push(dir);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const child = path.join(dir, e.name);
      if (e.isDirectory() && !ignored(child)) stack.push(child);
    }
  }
  return missing;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
