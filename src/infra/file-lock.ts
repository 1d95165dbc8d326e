import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AgentOsError } from '../domain/errors.js';
import type { WriterLock } from '../ports/lock.js';

/**
 * WriterLock on a lock directory (proper-lockfile): works across processes, and a lock left by a
 * killed process goes stale and is taken over after `staleMs`.
 */
export class FileWriterLock implements WriterLock {
  constructor(
    private readonly target: string,
    private readonly opts: { waitMs?: number; staleMs?: number } = {},
  ) {}

  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    fs.mkdirSync(path.dirname(this.target), { recursive: true });
    if (!fs.existsSync(this.target)) fs.writeFileSync(this.target, '');
    const waitMs = this.opts.waitMs ?? 120_000;
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.target, {
        stale: this.opts.staleMs ?? 15_000,
        update: 2_000,
        retries: { retries: Math.max(1, Math.ceil(waitMs / 100)), minTimeout: 50, maxTimeout: 200, factor: 1.2 },
        realpath: false,
      });
    } catch (e) {
      throw new AgentOsError('LOCKED', `Another agent-os process is writing the index (${this.target}.lock).`, {
        cause: e,
        hint: 'Wait for it to finish; if no agent-os process runs, the lock goes stale within 15 s.',
      });
    }
    try {
      return await fn();
    } finally {
      await release().catch(() => undefined);
    }
  }
}
