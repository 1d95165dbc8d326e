import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './sqlite-migrate.js';
import type { MetaStore, UsageStats } from '../ports/meta-store.js';

const MIGRATIONS: string[] = [
  `CREATE TABLE embedding_cache (
     embedder TEXT NOT NULL,
     text_hash TEXT NOT NULL,
     vector BLOB NOT NULL,
     PRIMARY KEY (embedder, text_hash)
   ) WITHOUT ROWID;
   CREATE TABLE standard_usage (
     file TEXT PRIMARY KEY,
     query_count INTEGER NOT NULL DEFAULT 0,
     last_queried_at TEXT
   );`,
];

/** MetaStore on SQLite (WAL): survives restarts, shared safely by the server, hooks and CLI. */
export class SqliteMetaStore implements MetaStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('synchronous = NORMAL');
    migrate(this.db, MIGRATIONS);
  }


  getEmbeddings(embedderId: string, textHashes: readonly string[]): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    const stmt = this.db.prepare<[string, string], { vector: Buffer }>(
      'SELECT vector FROM embedding_cache WHERE embedder = ? AND text_hash = ?',
    );
    for (const hash of textHashes) {
      const row = stmt.get(embedderId, hash);
      if (row) {
        const buf = row.vector;
        out.set(hash, new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)));
      }
    }
    return out;
  }

  putEmbeddings(embedderId: string, entries: ReadonlyArray<readonly [string, Float32Array]>): void {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO embedding_cache (embedder, text_hash, vector) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const [hash, vec] of entries) stmt.run(embedderId, hash, Buffer.from(vec.buffer, vec.byteOffset, vec.byteLength));
    })();
  }

  recordHits(files: readonly string[]): void {
    if (files.length === 0) return;
    const now = new Date().toISOString();
    const stmt = this.db.prepare(
      `INSERT INTO standard_usage (file, query_count, last_queried_at) VALUES (?, 1, ?)
       ON CONFLICT(file) DO UPDATE SET query_count = query_count + 1, last_queried_at = excluded.last_queried_at`,
    );
    this.db.transaction(() => {
      for (const f of new Set(files)) stmt.run(f, now);
    })();
  }

  usage(): UsageStats[] {
    return this.db
      .prepare<[], { file: string; query_count: number; last_queried_at: string | null }>(
        'SELECT file, query_count, last_queried_at FROM standard_usage ORDER BY query_count DESC, file',
      )
      .all()
      .map((r) => ({ file: r.file, queryCount: r.query_count, lastQueriedAt: r.last_queried_at }));
  }

  close(): void {
    this.db.close();
  }
}
