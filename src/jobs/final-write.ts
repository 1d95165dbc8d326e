/**
 * The store writes that end a job. Losing one leaves the job "running" while its process lives,
 * so they are retried (SQLITE_BUSY after the busy timeout, a full disk freeing up) before giving up.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { messageOf } from '../domain/errors.js';

/** Pauses between attempts: four attempts over about two seconds, on top of SQLite's busy timeout. */
export const DEFAULT_FINAL_WRITE_RETRY_MS: readonly number[] = [100, 400, 1600];

export type WriteOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Runs `write` until it does not throw, pausing `delaysMs[i]` before retry i + 1. */
export async function retryWrite<T>(write: () => T, delaysMs: readonly number[]): Promise<WriteOutcome<T>> {
  let last: unknown;
  for (let attempt = 0; attempt <= delaysMs.length; attempt++) {
    if (attempt > 0) await sleep(delaysMs[attempt - 1]!);
    try {
      return { ok: true, value: write() };
    } catch (e) {
      last = e;
    }
  }
  return { ok: false, reason: describeWriteError(last, delaysMs.length + 1) };
}

/** e.g. "database is locked (SQLITE_BUSY, 4 attempts)". */
function describeWriteError(e: unknown, attempts: number): string {
  const code = (e as { code?: unknown } | null)?.code;
  return `${messageOf(e)} (${typeof code === 'string' ? `${code}, ` : ''}${attempts} attempt${attempts === 1 ? '' : 's'})`;
}

/** The error a job is failed with when its result could not be saved. */
export function unsavedResultError(reason: string): string {
  return `The persona run finished, but its result could not be saved in the job database: ${reason}.`;
}
