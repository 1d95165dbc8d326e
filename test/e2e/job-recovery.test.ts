import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERRUPTED_TWICE_ERROR, SqliteJobStore } from '../../src/infra/sqlite-job-store.js';
import { createJobEngine } from '../../src/jobs/engine.js';
import { jobView } from '../../src/jobs/views.js';
import { silentLogger } from '../../src/ports/logger.js';
import { transpileSources } from '../fixtures/transpile-src.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'agent-os-recovery-'));
const programDir = path.join(root, 'program');
const modules = ['src/infra/sqlite-job-store.ts', 'src/infra/sqlite-migrate.ts', 'src/infra/process-identity.ts', 'src/jobs/engine.ts', 'src/jobs/engine-types.ts', 'src/jobs/final-write.ts', 'src/domain/job.ts', 'src/domain/errors.ts', 'src/ports/logger.ts'];

/**
 * A stand-in for the agent-os server: an engine on the given file whose jobs report progress and
 * then hang until aborted. It submits `submit` jobs, and prints one JSON line once `expectRunning`
 * jobs run; the test then kills it with SIGKILL.
 */
const serverScript = `
  import { SqliteJobStore } from './src/infra/sqlite-job-store.js';
  import { createJobEngine } from './src/jobs/engine.js';
  import { silentLogger } from './src/ports/logger.js';
  const [file, submit, expectRunning] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
  const store = new SqliteJobStore(file);
  const engine = createJobEngine({
    store, logger: silentLogger, concurrency: 3, pollIntervalMs: 0,
    run: (job, ctx) => new Promise((_resolve, reject) => {
      ctx.progress({ phase: 'analyzing', percent: 50, message: 'Analyzing...' });
      ctx.partial('partial review of ' + job.task);
      ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
    }),
  });
  const running = new Set();
  const recovered = engine.start();
  const report = () => {
    if (running.size === expectRunning) process.stdout.write(JSON.stringify({ recovered, running: [...running].sort() }) + '\\n');
  };
  engine.events.on('progress', (id) => { if (!running.has(id)) { running.add(id); report(); } });
  for (let i = 0; i < submit; i++) engine.submit({ persona: 'architect', task: 'task ' + i, priority: i === 0 ? 'high' : 'normal' });
  setInterval(() => {}, 1 << 30);
`;

interface Report {
  recovered: { requeued: number; failed: number };
  running: string[];
}

/** Starts the stand-in server, waits for its report, kills it with SIGKILL, waits for it to exit. */
async function runAndKill(file: string, submit: number, expectRunning: number): Promise<Report> {
  const child: ChildProcess = spawn(process.execPath, [path.join(programDir, 'server.mjs'), file, String(submit), String(expectRunning)], {
    cwd: programDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const report = await new Promise<Report>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.trim());
      if (out.includes('\n') && line) resolve(JSON.parse(line) as Report);
    });
    void exited.then(({ code }) => reject(new Error(`server exited early (${code}): ${stderr}`)));
  });
  child.kill('SIGKILL');
  expect((await exited).signal).toBe('SIGKILL');
  return report;
}

/** Ids of the jobs the file says are running, read by a fresh connection as a restarted process would. */
function runningIds(file: string): string[] {
  const store = new SqliteJobStore(file);
  const ids = store.list({ status: 'running' }).jobs.map((j) => j.id);
  store.close();
  return ids.sort();
}

describe('crash recovery (kill -9 while jobs run)', () => {
  beforeAll(async () => {
    await transpileSources(programDir, modules, { linkNodeModules: true });
    writeFileSync(path.join(programDir, 'server.mjs'), serverScript);
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('re-queues jobs a killed server left running, loses none, and completes them on the next start', async () => {
    const file = path.join(root, 'once', '.agent-os', '.cache', 'jobs.db');
    const first = await runAndKill(file, 4, 3);
    expect(first.recovered).toMatchObject({ requeued: 0, failed: 0 });
    expect(first.running).toHaveLength(3);

    // The process is dead; its rows still say running (nothing cleaned them up).
    expect(runningIds(file)).toEqual(first.running);

    const store = new SqliteJobStore(file);
    const ran: string[] = [];
    const engine = createJobEngine({
      store,
      logger: silentLogger,
      pollIntervalMs: 0,
      run: async (job) => {
        ran.push(job.id);
        return { result: `review of ${job.task}`, tokens_input: 1, tokens_output: 1 };
      },
    });
    try {
      expect(engine.start()).toMatchObject({ requeued: 3, failed: 0 });
      await engine.idle();
      expect(store.countByStatus()).toEqual({ pending: 0, running: 0, complete: 4, failed: 0, cancelled: 0 });
      expect(ran).toHaveLength(4);
      for (const id of first.running) {
        const job = engine.get(id);
        expect(jobView(job, job.completed_at!)).toMatchObject({ status: 'complete', result: expect.stringMatching(/^review of task \d$/) });
      }
    } finally {
      await engine.stop();
      store.close();
    }
  });

  it('a job interrupted a second time is failed with a clear error, never left running', async () => {
    const file = path.join(root, 'twice', 'jobs.db');
    const first = await runAndKill(file, 2, 2);
    // Restart: the same jobs are re-queued and run again, then the server is killed again.
    expect(runningIds(file)).toEqual(first.running);
    const second = await runAndKill(file, 0, 2);
    expect(second.recovered).toMatchObject({ requeued: 2, failed: 0 });
    expect(second.running).toEqual(first.running);
    expect(runningIds(file)).toEqual(first.running);

    const store = new SqliteJobStore(file);
    const engine = createJobEngine({
      store,
      logger: silentLogger,
      pollIntervalMs: 0,
      run: async () => {
        throw new Error('must not run a job interrupted twice');
      },
    });
    try {
      expect(engine.start()).toMatchObject({ requeued: 0, failed: 2 });
      await engine.idle();
      expect(store.countByStatus()).toEqual({ pending: 0, running: 0, complete: 0, failed: 2, cancelled: 0 });
      for (const id of first.running) {
        const job = engine.get(id);
        expect(job.error).toBe(INTERRUPTED_TWICE_ERROR);
        expect(job.error).toMatch(/^interrupted twice: the agent-os server stopped while this job ran/);
        expect(job.partial_result).toBeNull();
        expect(jobView(job, job.completed_at!)).toMatchObject({ status: 'failed', error: INTERRUPTED_TWICE_ERROR });
      }
    } finally {
      await engine.stop();
      store.close();
    }
  });

  it('a reset from another process keeps the jobs a live server runs and queued; once it is dead they go', async () => {
    const file = path.join(root, 'reset', 'jobs.db');
    const child = spawn(process.execPath, [path.join(programDir, 'server.mjs'), file, '4', '3'], { cwd: programDir, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const store = new SqliteJobStore(file);
    const engine = createJobEngine({ store, logger: silentLogger, pollIntervalMs: 0, run: async () => ({ result: 'x', tokens_input: null, tokens_output: null }) });
    try {
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('\n') && resolve()));
      expect(engine.reset(true)).toMatchObject({ status: 'reset', jobs_deleted: 0, jobs_kept: 4, message: expect.stringContaining(`(pid ${child.pid})`) });
      expect(store.countByStatus()).toMatchObject({ running: 3, pending: 1 });
      child.kill('SIGKILL');
      await exited;
      expect(engine.reset(true)).toMatchObject({ status: 'reset', jobs_deleted: 4, jobs_kept: 0, message: 'All job history deleted' });
    } finally {
      child.kill('SIGKILL');
      store.close();
    }
  });

  it('a second engine started while the first one lives does not steal its running jobs', async () => {
    const file = path.join(root, 'live', 'jobs.db');
    const child = spawn(process.execPath, [path.join(programDir, 'server.mjs'), file, '2', '2'], { cwd: programDir, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('\n') && resolve()));
      const store = new SqliteJobStore(file);
      const engine = createJobEngine({ store, logger: silentLogger, pollIntervalMs: 0, run: async () => ({ result: 'x', tokens_input: null, tokens_output: null }) });
      expect(engine.start()).toMatchObject({ requeued: 0, failed: 0 });
      await engine.idle();
      expect(store.countByStatus()).toMatchObject({ running: 2, pending: 0 });
      await engine.stop();
      store.close();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
