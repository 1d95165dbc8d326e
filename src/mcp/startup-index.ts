import type { IndexProgress } from '../services/index-standards.js';
import type { SearchProgress } from './tools/search-standards.js';

/** Share of the start-up index done (0-100): scanning is quick, embedding is most of the work. */
function percentOf(p: IndexProgress): number {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const [from, span] = p.phase === 'scanning' ? [0, 10] : p.phase === 'embedding' ? [10, 80] : [90, 10];
  return Math.floor(from + span * frac);
}

/** The start-up index as searches see it: its latest progress, and its end. */
export class StartupIndexWatch {
  private latest: SearchProgress | null = null;
  private done = false;
  private readonly waiters = new Set<{ progress?: (p: SearchProgress) => void; finish: () => void }>();

  progress(p: IndexProgress): void {
    this.latest = { progress: percentOf(p), total: 100, message: `Indexing the standards: ${p.phase} ${p.done}/${p.total}` };
    for (const w of this.waiters) w.progress?.(this.latest);
  }

  finish(): void {
    this.done = true;
    for (const w of [...this.waiters]) w.finish();
  }

  /** True once the index has finished; false when `ms` passed (or the request was cancelled) first. */
  wait(ms: number, progress?: (p: SearchProgress) => void, signal?: AbortSignal): Promise<boolean> {
    if (this.done) return Promise.resolve(true);
    return new Promise((resolve) => {
      const end = (ok: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(waiter);
        resolve(ok);
      };
      const onAbort = (): void => end(false);
      const waiter = { ...(progress ? { progress } : {}), finish: () => end(true) };
      const timer = setTimeout(() => end(false), ms);
      this.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.latest) progress?.(this.latest);
    });
  }
}
