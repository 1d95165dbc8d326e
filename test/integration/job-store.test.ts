import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobPriority } from '../../src/domain/job.js';
import { ProcessTable, type ProcessIdentity } from '../../src/infra/process-identity.js';
import { INTERRUPTED_TWICE_ERROR, SqliteJobStore } from '../../src/infra/sqlite-job-store.js';

const dirs: string[] = [];
const stores: SqliteJobStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmpDb(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-os-jobs-'));
  dirs.push(dir);
  return path.join(dir, '.agent-os', '.cache', 'jobs.db');
}

function open(file: string, owner?: ProcessIdentity): SqliteJobStore {
  const s = new SqliteJobStore(file, owner ? { owner } : {});
  stores.push(s);
  return s;
}

function add(store: SqliteJobStore, id: string, priority: JobPriority, created_at: number, persona = 'architect'): void {
  store.create({ id, persona, task: `task ${id}`, context: null, priority, created_at });
}

describe('SqliteJobStore', () => {
  it('stores every JobState field and starts jobs pending', () => {
    const store = open(tmpDb());
    const job = store.create({ id: 'a', persona: 'architect', task: 'review', context: 'ctx', priority: 'high', created_at: 100.5 });
    expect(job).toEqual({
      id: 'a', persona: 'architect', task: 'review', context: 'ctx', status: 'pending', priority: 'high',
      progress_phase: null, progress_percent: 0, progress_message: null, progress_eta_seconds: null,
      result: null, error: null, partial_result: null, created_at: 100.5, started_at: null, completed_at: null,
      tool_calls_made: 0, tokens_input: null, tokens_output: null, duration_seconds: null,
    });
    expect(store.get('missing')).toBeNull();
  });

  it('migrates once (user_version) and reopens an existing file', () => {
    const file = tmpDb();
    open(file);
    const again = open(file);
    add(again, 'x', 'normal', 1);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const indexes = raw.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs'").all().map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['jobs_queue', 'jobs_persona_completed']));
    raw.close();
  });

  it('claims by priority (high > normal > low), then oldest first, and marks the job running', () => {
    const store = open(tmpDb());
    add(store, 'low-old', 'low', 1);
    add(store, 'normal-new', 'normal', 5);
    add(store, 'high-new', 'high', 6);
    add(store, 'normal-old', 'normal', 2);
    add(store, 'high-old', 'high', 3);
    add(store, 'low-new', 'low', 4);
    const order: string[] = [];
    for (let job = store.claimNext(10); job; job = store.claimNext(10)) {
      expect(job.status).toBe('running');
      expect(job.started_at).toBe(10);
      order.push(job.id);
    }
    expect(order).toEqual(['high-old', 'high-new', 'normal-old', 'normal-new', 'low-old', 'low-new']);
    expect(store.countByStatus()).toEqual({ pending: 0, running: 6, complete: 0, failed: 0, cancelled: 0 });
  });

  it('keeps submission order among jobs created in the same instant', () => {
    const store = open(tmpDb());
    for (let i = 0; i < 20; i++) add(store, `j${i}`, 'normal', 7);
    const order: string[] = [];
    for (let job = store.claimNext(8); job; job = store.claimNext(8)) order.push(job.id);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => `j${i}`));
  });

  it('final-state methods apply once, to non-final jobs only', () => {
    const store = open(tmpDb());
    add(store, 'a', 'normal', 1);
    store.claimNext(2);
    store.updateProgress('a', { phase: 'analyzing', percent: 60, message: 'Analyzing…', eta_seconds: 12.4, tool_calls_made: 2 });
    expect(store.get('a')).toMatchObject({ progress_phase: 'analyzing', progress_percent: 60, progress_message: 'Analyzing…', progress_eta_seconds: 12, tool_calls_made: 2 });
    expect(store.cancel('a', { partial_result: 'half', completed_at: 5 })).toBe(true);
    expect(store.complete('a', { result: 'late', completed_at: 6, tool_calls_made: 3, tokens_input: 1, tokens_output: 1 })).toBe(false);
    expect(store.fail('a', { error: 'late', partial_result: null, completed_at: 6 })).toBe(false);
    expect(store.cancel('a', { partial_result: 'again', completed_at: 7 })).toBe(false);
    expect(store.get('a')).toMatchObject({ status: 'cancelled', partial_result: 'half', completed_at: 5, duration_seconds: 3, result: null });
    // Progress on a final job changes nothing.
    store.updateProgress('a', { phase: 'generating', percent: 90, message: 'x', eta_seconds: null, tool_calls_made: 9 });
    expect(store.get('a')).toMatchObject({ progress_phase: 'analyzing', tool_calls_made: 2 });

    add(store, 'b', 'normal', 1);
    store.claimNext(10);
    expect(store.complete('b', { result: 'done', completed_at: 14, tool_calls_made: 3, tokens_input: 100, tokens_output: 50 })).toBe(true);
    expect(store.get('b')).toMatchObject({ status: 'complete', result: 'done', duration_seconds: 4, tokens_input: 100, tokens_output: 50, progress_percent: 100 });

    add(store, 'c', 'normal', 1);
    store.claimNext(10);
    expect(store.fail('c', { error: 'LLM timeout', partial_result: 'some', completed_at: 11 })).toBe(true);
    expect(store.get('c')).toMatchObject({ status: 'failed', error: 'LLM timeout', partial_result: 'some', duration_seconds: 1 });
  });

  it('lists newest first with filters, a limit and the total before the limit', () => {
    const store = open(tmpDb());
    for (let i = 0; i < 5; i++) add(store, `a${i}`, 'normal', i, 'architect');
    for (let i = 0; i < 3; i++) add(store, `s${i}`, 'normal', 10 + i, 'security');
    const all = store.list({});
    expect(all.total_count).toBe(8);
    expect(all.jobs.map((j) => j.id)).toEqual(['s2', 's1', 's0', 'a4', 'a3', 'a2', 'a1', 'a0']);
    const some = store.list({ persona: 'architect', limit: 2 });
    expect(some.total_count).toBe(5);
    expect(some.jobs.map((j) => j.id)).toEqual(['a4', 'a3']);
    store.claimNext(20);
    expect(store.list({ status: 'running' }).jobs.map((j) => j.id)).toEqual(['a0']);
  });

  it('reports recent durations of completed jobs of a persona, newest first', () => {
    const store = open(tmpDb());
    const durations = [10, 20, 30];
    durations.forEach((d, i) => {
      add(store, `j${i}`, 'normal', i);
      store.claimNext(100 * i);
      store.complete(`j${i}`, { result: 'r', completed_at: 100 * i + d, tool_calls_made: 0, tokens_input: null, tokens_output: null });
    });
    add(store, 'other', 'normal', 9, 'security');
    store.claimNext(1000);
    store.complete('other', { result: 'r', completed_at: 1005, tool_calls_made: 0, tokens_input: null, tokens_output: null });
    expect(store.recentDurations('architect', 2)).toEqual([30, 20]);
    expect(store.recentDurations('nobody', 5)).toEqual([]);
  });

  it('two stores on one file (two processes) never claim the same job', () => {
    const file = tmpDb();
    const a = open(file);
    const b = open(file);
    for (let i = 0; i < 200; i++) add(i % 2 ? a : b, `j${i}`, (['low', 'normal', 'high'] as const)[i % 3]!, i);
    const claimed: string[] = [];
    let turn = 0;
    for (;;) {
      const first = turn++ % 3 === 0 ? b : a;
      const job = first.claimNext(1000) ?? (first === a ? b : a).claimNext(1000);
      if (!job) break;
      claimed.push(job.id);
    }
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed).size).toBe(200);
    expect(a.countByStatus().running).toBe(200);
  });

  it('re-queues jobs orphaned by a dead process once, then fails them', () => {
    const file = tmpDb();
    const store = open(file);
    add(store, 'a', 'normal', 1);
    store.claimNext(2);
    // This process owns it and is alive: not orphaned.
    expect(store.recoverInterrupted(3)).toEqual({ requeued: 0, failed: 0 });
    // Pretend its owner is gone (as after kill -9).
    const raw = new Database(file);
    const orphan = (): void => void raw.prepare("UPDATE jobs SET owner = NULL, owner_pid = NULL WHERE status = 'running'").run();
    orphan();
    expect(store.recoverInterrupted(3)).toEqual({ requeued: 1, failed: 0 });
    expect(store.get('a')).toMatchObject({ status: 'pending', started_at: null });
    expect(store.claimNext(4)?.id).toBe('a');
    store.updateProgress('a', { phase: 'analyzing', percent: 50, message: 'm', eta_seconds: null, tool_calls_made: 1 });
    orphan();
    expect(store.recoverInterrupted(9)).toEqual({ requeued: 0, failed: 1 });
    expect(store.get('a')).toMatchObject({ status: 'failed', error: INTERRUPTED_TWICE_ERROR, completed_at: 9, duration_seconds: 5 });
    expect(INTERRUPTED_TWICE_ERROR).toMatch(/^interrupted twice: the agent-os server stopped while this job ran/);
    raw.close();
  });

  it('deletes only old final jobs; reset deletes everything; size comes from pages', () => {
    const store = open(tmpDb());
    add(store, 'old-done', 'normal', 1);
    add(store, 'old-pending', 'normal', 1);
    add(store, 'new-done', 'normal', 1);
    store.claimNext(2);
    store.complete('old-done', { result: 'r', completed_at: 3, tool_calls_made: 0, tokens_input: null, tokens_output: null });
    store.claimNext(2);
    store.complete('old-pending', { result: 'r', completed_at: 500, tool_calls_made: 0, tokens_input: null, tokens_output: null });
    add(store, 'very-old-pending', 'low', 0);
    expect(store.oldestCreatedAt()).toBe(0);
    expect(store.deleteOlderThan(100)).toBe(1);
    expect(store.get('old-done')).toBeNull();
    expect(store.get('very-old-pending')).not.toBeNull();
    expect(store.sizeBytes()).toBeGreaterThan(0);
    expect(store.sizeBytes() % 512).toBe(0);
    expect(store.reset()).toEqual({ deleted: 3, kept: 0, keptFor: [] });
    expect(store.list({}).total_count).toBe(0);
    expect(store.oldestCreatedAt()).toBeNull();
  });
});

/** The schema as version 1 created it (owners recorded by pid and a per-process token). */
const V1_SCHEMA = `CREATE TABLE jobs (
     id TEXT PRIMARY KEY, persona TEXT NOT NULL, task TEXT NOT NULL, context TEXT,
     status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'complete', 'failed', 'cancelled')),
     priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high')), priority_rank INTEGER NOT NULL,
     progress_phase TEXT, progress_percent INTEGER NOT NULL DEFAULT 0, progress_message TEXT, progress_eta_seconds INTEGER,
     result TEXT, error TEXT, partial_result TEXT, created_at REAL NOT NULL, started_at REAL, completed_at REAL,
     tool_calls_made INTEGER NOT NULL DEFAULT 0, tokens_input INTEGER, tokens_output INTEGER, duration_seconds REAL,
     attempts INTEGER NOT NULL DEFAULT 0, owner_pid INTEGER, owner_token TEXT);
   CREATE INDEX jobs_queue ON jobs (status, priority_rank, created_at);
   CREATE INDEX jobs_persona_completed ON jobs (persona, completed_at);
   CREATE INDEX jobs_completed ON jobs (completed_at);`;

describe('job owners are processes, not pids', () => {
  const procs = new ProcessTable();
  /** A live process that is not this one: the one that started the test runner. */
  const parent = (): ProcessIdentity => procs.identityOf(process.ppid)!;

  it('a running job of a live pid with another start time or boot id is orphaned and re-queued', () => {
    const file = tmpDb();
    const live = parent();
    expect(live.start).toMatch(/^\d+$/);
    const owners: Array<[string, ProcessIdentity]> = [
      ['reused pid (other start time)', { ...live, start: String(Number(live.start) + 12345) }],
      ['previous boot', { ...live, boot: '00000000-0000-4000-8000-000000000000' }],
      ['this pid in an earlier process', { ...procs.self(), start: '1' }],
    ];
    for (const [what, owner] of owners) {
      const other = open(file, owner);
      add(other, what, 'normal', 1);
      expect(other.claimNext(2)?.id).toBe(what);
    }
    const keeper = open(file, live);
    add(keeper, 'alive', 'normal', 1);
    expect(keeper.claimNext(2)?.id).toBe('alive');

    const store = open(file);
    expect(store.recoverInterrupted(3)).toEqual({ requeued: 3, failed: 0 });
    expect(store.list({ status: 'pending' }).jobs.map((j) => j.id).sort()).toEqual(owners.map(([w]) => w).sort());
    expect(store.get('alive')?.status).toBe('running');
  });

  it('migrates a version-1 file; its pid-only owners count as alive only if that process started before the job', () => {
    const file = tmpDb();
    mkdirSync(path.dirname(file), { recursive: true });
    const raw = new Database(file);
    raw.exec(V1_SCHEMA);
    raw.pragma('user_version = 1');
    const row = raw.prepare(
      `INSERT INTO jobs (id, persona, task, status, priority, priority_rank, created_at, started_at, attempts, owner_pid, owner_token)
       VALUES (?, 'qa', 't', ?, 'normal', 1, 1, ?, ?, ?, 'old-token')`,
    );
    const now = Date.now() / 1000;
    row.run('reused-pid', 'running', 1000, 1, process.ppid); // the parent started long after 1970
    row.run('live-old-server', 'running', now, 1, process.ppid);
    row.run('dead-pid', 'running', now, 1, 2 ** 22 + 17);
    row.run('our-pid', 'running', now, 1, process.pid); // an older version cannot share our pid while we run
    row.run('queued', 'pending', null, 0, null);
    raw.close();

    const store = open(file);
    expect(store.recoverInterrupted(now + 1)).toEqual({ requeued: 3, failed: 0 });
    expect(store.get('live-old-server')?.status).toBe('running');
    for (const id of ['reused-pid', 'dead-pid', 'our-pid', 'queued']) expect(store.get(id)?.status).toBe('pending');
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    check.close();
    // Claimed again, the job records the whole owner.
    const claimed = store.claimNext(now + 2)!;
    const owner = new Database(file, { readonly: true });
    expect(owner.prepare<[string], { owner: string }>('SELECT owner FROM jobs WHERE id = ?').get(claimed.id)?.owner).toBe(
      `${procs.self().boot}|${process.pid}|${procs.self().start}`,
    );
    owner.close();
  });
});
