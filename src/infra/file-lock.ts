import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AgentOsError, messageOf } from '../domain/errors.js';
import type { HeldLock, WriterLock } from '../ports/lock.js';
import { silentLogger, type Logger } from '../ports/logger.js';

export interface FileWriterLockOptions {
  /** How long to wait for another writer (default 120 s). */
  waitMs?: number;
  /** A lock not refreshed for this long is taken over by the next writer (default 15 s; at least 2 s). */
  staleMs?: number;
  /** How often the holder refreshes the lock (default 2 s; proper-lockfile keeps it within 1 s and staleMs/2). */
  updateMs?: number;
  logger?: Logger;
}

/** What one holding of the lock knows about its lock directory. */
interface Holding {
  lost: string | null;
  /** The mtime proper-lockfile last gave the directory, and one it is setting right now. */
  mtimeMs: number | null;
  settingMs: number | null;
}

/**
 * node:fs as proper-lockfile uses it, watching our lock directory: the mtimes it sets tell us the
 * directory is still ours, and once the lock is lost, releasing it must not remove the directory
 * another writer now holds.
 */
function watchedFs(lockDir: string, h: Holding): typeof fs {
  const wrapped = Object.create(fs) as typeof fs;
  const utimes = (p: fs.PathLike, atime: fs.TimeLike, mtime: fs.TimeLike, cb: fs.NoParamCallback): void => {
    const ours = p === lockDir && mtime instanceof Date;
    if (ours) h.settingMs = mtime.getTime();
    fs.utimes(p, atime, mtime, (err) => {
      if (ours) {
        if (!err) h.mtimeMs = (mtime as Date).getTime();
        h.settingMs = null;
      }
      cb(err);
    });
  };
  const rmdir = (p: fs.PathLike, cb: fs.NoParamCallback): void => {
    if (p === lockDir && h.lost !== null) return cb(null);
    fs.rmdir(p, cb);
  };
  return Object.assign(wrapped, { utimes, rmdir });
}

/**
 * WriterLock on a lock directory (proper-lockfile): works across processes, and a lock left by a
 * killed process goes stale and is taken over after `staleMs`. A holder whose lock is taken over
 * (its process was stalled longer than `staleMs`) learns it through `HeldLock.lost()` instead of
 * proper-lockfile's default of throwing from a timer, which would crash the process.
 */
export class FileWriterLock implements WriterLock {
  private readonly logger: Logger;

  constructor(
    private readonly target: string,
    private readonly opts: FileWriterLockOptions = {},
  ) {
    this.logger = opts.logger ?? silentLogger;
  }

  async withLock<T>(fn: (held: HeldLock) => Promise<T>): Promise<T> {
    fs.mkdirSync(path.dirname(this.target), { recursive: true });
    if (!fs.existsSync(this.target)) fs.writeFileSync(this.target, '');
    const waitMs = this.opts.waitMs ?? 120_000;
    const staleMs = this.opts.staleMs ?? 15_000;
    const lockDir = `${path.resolve(this.target)}.lock`;
    const h: Holding = { lost: null, mtimeMs: null, settingMs: null };
    const markLost = (why: string): string => {
      if (h.lost === null) {
        h.lost = why;
        this.logger.warn('index writer lock lost', { lock: lockDir, reason: why });
      }
      return h.lost;
    };
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.target, {
        stale: staleMs,
        update: this.opts.updateMs ?? 2_000,
        retries: { retries: Math.max(1, Math.ceil(waitMs / 100)), minTimeout: 50, maxTimeout: 200, factor: 1.2 },
        realpath: false,
        fs: watchedFs(lockDir, h),
        onCompromised: (err) => void markLost(`proper-lockfile could not keep it: ${messageOf(err)}`),
      });
    } catch (e) {
      throw new AgentOsError('LOCKED', `Another agent-os process is writing the index (${lockDir}).`, {
        cause: e,
        hint: `Wait for it to finish; if no agent-os process runs, the lock goes stale within ${Math.ceil(staleMs / 1000)} s.`,
      });
    }
    try {
      // The mtime as the file system keeps it (its precision may be coarser than what was set).
      h.mtimeMs = fs.statSync(lockDir).mtime.getTime();
    } catch (e) {
      markLost(`its directory could not be read: ${messageOf(e)}`);
    }
    const held: HeldLock = {
      name: lockDir,
      lost: () => {
        if (h.lost !== null) return h.lost;
        // proper-lockfile notices a takeover only at its next refresh; look now, before a write.
        let mtimeMs: number;
        try {
          mtimeMs = fs.statSync(lockDir).mtime.getTime();
        } catch {
          return markLost('its directory was removed');
        }
        if (mtimeMs !== h.mtimeMs && mtimeMs !== h.settingMs) return markLost('another process has taken it over');
        return null;
      },
    };
    try {
      return await fn(held);
    } finally {
      await release().catch(() => undefined);
    }
  }
}
