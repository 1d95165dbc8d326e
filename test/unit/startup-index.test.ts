import { describe, expect, it } from 'vitest';
import { StartupIndexWatch } from '../../src/mcp/startup-index.js';
import type { SearchProgress } from '../../src/mcp/tools/search-standards.js';

describe('StartupIndexWatch (a search waiting for the start-up index)', () => {
  it('resolves true when the index finishes, passing on progress as a share of 100', async () => {
    const watch = new StartupIndexWatch();
    const seen: SearchProgress[] = [];
    watch.progress({ phase: 'scanning', done: 5, total: 10 });
    const waiting = watch.wait(60_000, (p) => seen.push(p));
    watch.progress({ phase: 'embedding', done: 1, total: 2 });
    watch.progress({ phase: 'writing', done: 4, total: 4 });
    watch.finish();
    expect(await waiting).toBe(true);
    expect(seen).toEqual([
      { progress: 5, total: 100, message: 'Indexing the standards: scanning 5/10' },
      { progress: 50, total: 100, message: 'Indexing the standards: embedding 1/2' },
      { progress: 100, total: 100, message: 'Indexing the standards: writing 4/4' },
    ]);
    // Once finished, later searches do not wait at all.
    expect(await watch.wait(60_000)).toBe(true);
  });

  it('resolves false when the time limit passes first, or the request is cancelled', async () => {
    const watch = new StartupIndexWatch();
    expect(await watch.wait(5)).toBe(false);
    const abort = new AbortController();
    const waiting = watch.wait(60_000, undefined, abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
  });
});
