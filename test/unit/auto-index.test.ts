import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/ports/logger.js';
import { createAutoIndexer } from '../../src/services/auto-index.js';

/** A run function the test completes by hand, counting calls and overlap. */
function controlledRun() {
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  let active = 0;
  const state = { calls: 0, maxActive: 0 };
  const run = (): Promise<void> => {
    state.calls++;
    active++;
    state.maxActive = Math.max(state.maxActive, active);
    return new Promise<void>((resolve, reject) => {
      pending.push({
        resolve: () => {
          active--;
          resolve();
        },
        reject: (e) => {
          active--;
          reject(e);
        },
      });
    });
  };
  return { run, state, pending };
}

function recordingLogger(): Logger & { errors: Array<{ msg: string; data?: Record<string, unknown> }> } {
  const errors: Array<{ msg: string; data?: Record<string, unknown> }> = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (msg, data) => void errors.push({ msg, data }) };
}

/** Wait until `cond` holds, polling; fails after a generous bound instead of asserting on time. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('auto-index coalescing', () => {
  it('turns a burst of triggers into one run', async () => {
    const c = controlledRun();
    const ai = createAutoIndexer({ debounceMs: 20, run: c.run, logger: recordingLogger() });
    for (let i = 0; i < 10; i++) ai.trigger(`change ${i}`);
    await until(() => c.state.calls === 1, 'the run');
    c.pending.shift()!.resolve();
    await ai.idle();
    expect(c.state.calls).toBe(1);
    expect(ai.stats.runs).toBe(1);
  });

  it('runs exactly once more when triggered during a run, never two at once', async () => {
    const c = controlledRun();
    const ai = createAutoIndexer({ debounceMs: 5, run: c.run, logger: recordingLogger() });
    ai.trigger('a');
    await until(() => c.state.calls === 1, 'first run');
    // Five saves while the first run is busy: they coalesce into one follow-up run.
    for (let i = 0; i < 5; i++) ai.trigger(`during ${i}`);
    let idle = false;
    void ai.idle().then(() => (idle = true));
    c.pending.shift()!.resolve();
    await until(() => c.state.calls === 2, 'follow-up run');
    expect(idle).toBe(false);
    c.pending.shift()!.resolve();
    await ai.idle();
    expect(c.state.calls).toBe(2);
    expect(c.state.maxActive).toBe(1);
  });

  it('logs a failed run, keeps going, and idle() still resolves', async () => {
    const c = controlledRun();
    const logger = recordingLogger();
    const ai = createAutoIndexer({ debounceMs: 1, run: c.run, logger });
    ai.trigger();
    await until(() => c.pending.length === 1, 'run');
    c.pending.shift()!.reject(new Error('disk on fire'));
    await ai.idle();
    expect(ai.stats.failures).toBe(1);
    expect(logger.errors[0]?.data?.['error']).toBe('disk on fire');
    ai.trigger();
    await until(() => c.pending.length === 1, 'second run');
    c.pending.shift()!.resolve();
    await ai.idle();
    expect(ai.stats.runs).toBe(2);
  });

  it('a steady stream of triggers cannot postpone a run past maxWaitMs', async () => {
    const c = controlledRun();
    const ai = createAutoIndexer({ debounceMs: 50, maxWaitMs: 60, run: c.run, logger: recordingLogger() });
    // Re-trigger faster than the debounce: without the cap the run would never start.
    const interval = setInterval(() => ai.trigger('keystroke'), 10);
    try {
      await until(() => c.state.calls >= 1, 'a run despite the stream');
    } finally {
      clearInterval(interval);
    }
    const closing = ai.close();
    for (const p of c.pending.splice(0)) p.resolve();
    await closing;
  });

  it('close() drops pending triggers and waits for the running run', async () => {
    const c = controlledRun();
    const ai = createAutoIndexer({ debounceMs: 1, run: c.run, logger: recordingLogger() });
    ai.trigger();
    await until(() => c.state.calls === 1, 'run');
    ai.trigger('during');
    let closed = false;
    const closing = ai.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    c.pending.shift()!.resolve();
    await closing;
    ai.trigger('after close');
    await new Promise((r) => setTimeout(r, 20));
    expect(c.state.calls).toBe(1);
    await ai.idle();
  });
});
