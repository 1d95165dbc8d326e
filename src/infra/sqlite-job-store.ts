import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { decodeOwner, encodeOwner, ProcessTable, type ProcessIdentity } from './process-identity.js';
import { migrate } from './sqlite-migrate.js';
import { FINAL_JOB_STATUSES, JOB_STATUSES, PRIORITY_RANK, type JobPhase, type JobPriority, type JobState, type JobStatus } from '../domain/job.js';
import type { JobFilter, JobStore, NewJob, ResetOutcome } from '../ports/job-store.js';

/**
 * Numbered migrations; `user_version` holds how many have run. Append only, never edit one that
 * shipped. `priority_rank` (high 0, normal 1, low 2) orders the queue through the index; the owner
 * columns say which process runs a `running` job, so start-up recovery never steals a live job.
 * Version 2 records owners as boot id, pid and process start time (`owner`; `owner_pid` stays for
 * messages and for rows of version 1, whose `owner_token` is no longer written), and who submitted
 * each job (`submitter`), so a reset leaves alone the jobs other live processes wait for.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     persona TEXT NOT NULL,
     task TEXT NOT NULL,
     context TEXT,
     status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'complete', 'failed', 'cancelled')),
     priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high')),
     priority_rank INTEGER NOT NULL,
     progress_phase TEXT,
     progress_percent INTEGER NOT NULL DEFAULT 0,
     progress_message TEXT,
     progress_eta_seconds INTEGER,
     result TEXT,
     error TEXT,
     partial_result TEXT,
     created_at REAL NOT NULL,
     started_at REAL,
     completed_at REAL,
     tool_calls_made INTEGER NOT NULL DEFAULT 0,
     tokens_input INTEGER,
     tokens_output INTEGER,
     duration_seconds REAL,
     attempts INTEGER NOT NULL DEFAULT 0,
     owner_pid INTEGER,
     owner_token TEXT
   );
   CREATE INDEX jobs_queue ON jobs (status, priority_rank, created_at);
   CREATE INDEX jobs_persona_completed ON jobs (persona, completed_at);
   CREATE INDEX jobs_completed ON jobs (completed_at);`,
  `ALTER TABLE jobs ADD COLUMN owner TEXT;
   ALTER TABLE jobs ADD COLUMN submitter TEXT;`,
];

/** A job may run this many times; an interruption of the last attempt fails it. */
export const MAX_ATTEMPTS = 2;

export const INTERRUPTED_TWICE_ERROR =
  'interrupted twice: the agent-os server stopped while this job ran (it was re-queued once after the first ' +
  'interruption and will not be retried again). Start the review again if you still need it.';

const FINAL_SQL = `(${FINAL_JOB_STATUSES.map((s) => `'${s}'`).join(', ')})`;
const OPEN_SQL = `('pending', 'running')`;

/** The columns that say who runs (or submitted) a job. */
interface OwnerRow {
  owner: string | null;
  owner_pid: number | null;
  started_at: number | null;
}

/** A row as SQLite returns it: JobState with the enum columns not yet checked. */
type JobRow = Omit<JobState, 'status' | 'priority' | 'progress_phase'> & { status: string; priority: string; progress_phase: string | null };

const COLUMNS = `id, persona, task, context, status, priority, progress_phase, progress_percent, progress_message,
  progress_eta_seconds, result, error, partial_result, created_at, started_at, completed_at, tool_calls_made,
  tokens_input, tokens_output, duration_seconds`;

function toJob(r: JobRow): JobState {
  return {
    id: r.id,
    persona: r.persona,
    task: r.task,
    context: r.context,
    status: r.status as JobStatus,
    priority: r.priority as JobPriority,
    progress_phase: r.progress_phase as JobPhase | null,
    progress_percent: r.progress_percent,
    progress_message: r.progress_message,
    progress_eta_seconds: r.progress_eta_seconds,
    result: r.result,
    error: r.error,
    partial_result: r.partial_result,
    created_at: r.created_at,
    started_at: r.started_at,
    completed_at: r.completed_at,
    tool_calls_made: r.tool_calls_made,
    tokens_input: r.tokens_input,
    tokens_output: r.tokens_output,
    duration_seconds: r.duration_seconds,
  };
}

/**
 * JobStore on SQLite (WAL, busy timeout): durable job records shared safely by the MCP server, the
 * CLI and hooks. Every method writes through at once; claims take the write lock first (IMMEDIATE)
 * so two processes never claim the same job.
 */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;
  private readonly processes: ProcessTable;
  /** The owner this store records on the jobs it claims and submits. */
  private readonly self: ProcessIdentity;
  private readonly claimTx: (now: number, onlyIds: readonly string[] | null) => JobState | null;
  private readonly recoverTx: (now: number) => { requeued: number; failed: number };

  /**
   * `owner` stands in for this process's identity (tests use it to act as another process, or as
   * this pid before a restart); `processes` answers who is alive.
   */
  constructor(file: string, options: { busyTimeoutMs?: number; owner?: ProcessIdentity; processes?: ProcessTable } = {}) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.processes = options.processes ?? new ProcessTable();
    this.self = options.owner ?? this.processes.self();
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    this.db.pragma('synchronous = NORMAL');
    migrate(this.db, MIGRATIONS);

    const pick = this.db.prepare<[], { id: string }>(
      `SELECT id FROM jobs WHERE status = 'pending' ORDER BY priority_rank, created_at, rowid LIMIT 1`,
    );
    const pickAmong = this.db.prepare<[string], { id: string }>(
      `SELECT id FROM jobs WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?)) ORDER BY priority_rank, created_at, rowid LIMIT 1`,
    );
    const mark = this.db.prepare<[number, string, number, string]>(
      `UPDATE jobs SET status = 'running', started_at = ?, attempts = attempts + 1, owner = ?, owner_pid = ?, owner_token = NULL,
         progress_phase = NULL, progress_percent = 0, progress_message = NULL, progress_eta_seconds = NULL
       WHERE id = ? AND status = 'pending'`,
    );
    const claim = this.db.transaction((now: number, onlyIds: readonly string[] | null): JobState | null => {
      const row = onlyIds ? pickAmong.get(JSON.stringify(onlyIds)) : pick.get();
      if (!row) return null;
      mark.run(now, encodeOwner(this.self), this.self.pid, row.id);
      return this.get(row.id);
    });
    this.claimTx = (now, onlyIds) => claim.immediate(now, onlyIds);

    const running = this.db.prepare<[], OwnerRow & { id: string; attempts: number }>(
      `SELECT id, attempts, owner, owner_pid, started_at FROM jobs WHERE status = 'running'`,
    );
    const requeue = this.db.prepare<[string]>(
      `UPDATE jobs SET status = 'pending', started_at = NULL, owner = NULL, owner_pid = NULL, owner_token = NULL,
         progress_phase = NULL, progress_percent = 0, progress_message = NULL, progress_eta_seconds = NULL
       WHERE id = ? AND status = 'running'`,
    );
    const failInterrupted = this.db.prepare<[string, number, number, string]>(
      `UPDATE jobs SET status = 'failed', error = ?, completed_at = ?,
         duration_seconds = CASE WHEN started_at IS NULL THEN NULL ELSE ? - started_at END,
         owner = NULL, owner_pid = NULL, owner_token = NULL
       WHERE id = ? AND status = 'running'`,
    );
    const recover = this.db.transaction((now: number) => {
      let requeued = 0;
      let failed = 0;
      const alive = this.livenessCache();
      for (const r of running.all()) {
        if (alive(r)) continue;
        if (r.attempts < MAX_ATTEMPTS) requeued += requeue.run(r.id).changes;
        else failed += failInterrupted.run(INTERRUPTED_TWICE_ERROR, now, now, r.id).changes;
      }
      return { requeued, failed };
    });
    this.recoverTx = (now) => recover.immediate(now);
  }

  /**
   * Whether a recorded owner still runs, remembered per owner for one pass over many rows. A row of
   * version 1 has only a pid; a row without any owner has none alive.
   */
  private livenessCache(): (r: OwnerRow) => boolean {
    const known = new Map<string, boolean>();
    return (r) => {
      const key = r.owner ?? `v1|${r.owner_pid ?? ''}|${r.started_at ?? ''}`;
      let alive = known.get(key);
      if (alive === undefined) {
        const owner = decodeOwner(r.owner);
        if (owner) alive = this.processes.isAlive(owner);
        else alive = r.owner_pid !== null && this.processes.isLegacyOwnerAlive(r.owner_pid, r.started_at);
        known.set(key, alive);
      }
      return alive;
    };
  }

  create(job: NewJob): JobState {
    this.db
      .prepare(
        `INSERT INTO jobs (id, persona, task, context, status, priority, priority_rank, created_at, submitter)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
      )
      .run(job.id, job.persona, job.task, job.context, job.priority, PRIORITY_RANK[job.priority], job.created_at, encodeOwner(this.self));
    return this.get(job.id)!;
  }

  get(id: string): JobState | null {
    const row = this.db.prepare<[string], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`).get(id);
    return row ? toJob(row) : null;
  }

  list(filter: JobFilter): { jobs: JobState[]; total_count: number } {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.status !== undefined) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.persona !== undefined) {
      where.push('persona = ?');
      params.push(filter.persona);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db.prepare<string[], { n: number }>(`SELECT COUNT(*) AS n FROM jobs ${clause}`).get(...params)!.n;
    const limit = filter.limit === undefined ? -1 : Math.max(0, Math.floor(filter.limit));
    const rows = this.db
      .prepare<string[], JobRow>(`SELECT ${COLUMNS} FROM jobs ${clause} ORDER BY created_at DESC, rowid DESC LIMIT ${limit}`)
      .all(...params);
    return { jobs: rows.map(toJob), total_count: total };
  }

  claimNext(now: number, onlyIds?: readonly string[]): JobState | null {
    if (onlyIds && onlyIds.length === 0) return null;
    return this.claimTx(now, onlyIds ?? null);
  }

  updateProgress(id: string, p: { phase: JobPhase; percent: number; message: string; eta_seconds: number | null; tool_calls_made: number }): void {
    this.db
      .prepare(
        `UPDATE jobs SET progress_phase = ?, progress_percent = ?, progress_message = ?, progress_eta_seconds = ?, tool_calls_made = ?
         WHERE id = ? AND status = 'running'`,
      )
      .run(
        p.phase,
        Math.max(0, Math.min(100, Math.round(p.percent))),
        p.message,
        p.eta_seconds === null ? null : Math.max(0, Math.round(p.eta_seconds)),
        p.tool_calls_made,
        id,
      );
  }

  complete(id: string, r: { result: string; completed_at: number; tool_calls_made: number; tokens_input: number | null; tokens_output: number | null }): boolean {
    return (
      this.db
        .prepare(
          `UPDATE jobs SET status = 'complete', result = ?, completed_at = ?, tool_calls_made = ?, tokens_input = ?, tokens_output = ?,
             progress_percent = 100, progress_eta_seconds = 0,
             duration_seconds = CASE WHEN started_at IS NULL THEN NULL ELSE ? - started_at END,
             owner = NULL, owner_pid = NULL, owner_token = NULL
           WHERE id = ? AND status IN ${OPEN_SQL}`,
        )
        .run(r.result, r.completed_at, r.tool_calls_made, r.tokens_input, r.tokens_output, r.completed_at, id).changes === 1
    );
  }

  fail(id: string, r: { error: string; partial_result: string | null; completed_at: number; tool_calls_made?: number; tokens_input?: number | null; tokens_output?: number | null }): boolean {
    return (
      this.db
        .prepare(
          `UPDATE jobs SET status = 'failed', error = ?, partial_result = COALESCE(?, partial_result), completed_at = ?,
             tool_calls_made = COALESCE(?, tool_calls_made), tokens_input = COALESCE(?, tokens_input), tokens_output = COALESCE(?, tokens_output),
             progress_eta_seconds = NULL,
             duration_seconds = CASE WHEN started_at IS NULL THEN NULL ELSE ? - started_at END,
             owner = NULL, owner_pid = NULL, owner_token = NULL
           WHERE id = ? AND status IN ${OPEN_SQL}`,
        )
        .run(r.error, r.partial_result, r.completed_at, r.tool_calls_made ?? null, r.tokens_input ?? null, r.tokens_output ?? null, r.completed_at, id)
        .changes === 1
    );
  }

  cancel(id: string, r: { partial_result: string | null; completed_at: number }): boolean {
    return (
      this.db
        .prepare(
          `UPDATE jobs SET status = 'cancelled', partial_result = COALESCE(?, partial_result), completed_at = ?,
             progress_eta_seconds = NULL,
             duration_seconds = CASE WHEN started_at IS NULL THEN NULL ELSE ? - started_at END,
             owner = NULL, owner_pid = NULL, owner_token = NULL
           WHERE id = ? AND status IN ${OPEN_SQL}`,
        )
        .run(r.partial_result, r.completed_at, r.completed_at, id).changes === 1
    );
  }

  recoverInterrupted(now: number): { requeued: number; failed: number } {
    return this.recoverTx(now);
  }

  recentDurations(persona: string, limit: number): number[] {
    return this.db
      .prepare<[string, number], { d: number }>(
        `SELECT duration_seconds AS d FROM jobs
         WHERE persona = ? AND status = 'complete' AND duration_seconds IS NOT NULL
         ORDER BY completed_at DESC LIMIT ?`,
      )
      .all(persona, Math.max(0, Math.floor(limit)))
      .map((r) => r.d);
  }

  countByStatus(): Record<JobStatus, number> {
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const r of this.db.prepare<[], { status: JobStatus; n: number }>('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all()) {
      out[r.status] = r.n;
    }
    return out;
  }

  oldestCreatedAt(): number | null {
    return this.db.prepare<[], { t: number | null }>('SELECT MIN(created_at) AS t FROM jobs').get()?.t ?? null;
  }

  deleteOlderThan(before: number): number {
    return this.db.prepare(`DELETE FROM jobs WHERE status IN ${FINAL_SQL} AND completed_at < ?`).run(before).changes;
  }

  reset(): ResetOutcome {
    const open = this.db.prepare<[], OwnerRow & { id: string; status: string; submitter: string | null }>(
      `SELECT id, status, owner, owner_pid, started_at, submitter FROM jobs WHERE status IN ${OPEN_SQL}`,
    );
    const remove = this.db.prepare<[string]>(`DELETE FROM jobs WHERE id NOT IN (SELECT value FROM json_each(?))`);
    const me = encodeOwner(this.self);
    const outcome = this.db
      .transaction((): ResetOutcome => {
        const alive = this.livenessCache();
        const kept: string[] = [];
        const pids = new Set<number>();
        for (const r of open.all()) {
          // Who needs the job: whoever runs it, and whoever submitted it and may be waiting for it.
          const holders: OwnerRow[] = [{ owner: r.submitter, owner_pid: null, started_at: null }];
          if (r.status === 'running') holders.push(r);
          const others = holders.filter((h) => (h.owner === null ? h.owner_pid !== null : h.owner !== me) && alive(h));
          if (others.length === 0) continue;
          kept.push(r.id);
          for (const h of others) {
            const pid = decodeOwner(h.owner)?.pid ?? h.owner_pid;
            if (pid !== null) pids.add(pid);
          }
        }
        const deleted = remove.run(JSON.stringify(kept)).changes;
        return { deleted, kept: kept.length, keptFor: [...pids].sort((a, b) => a - b) };
      })
      .immediate();
    try {
      // Give the space back; a reader elsewhere holding a snapshot makes this fail, which is harmless.
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      /* space is reclaimed by a later VACUUM */
    }
    return outcome;
  }

  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
