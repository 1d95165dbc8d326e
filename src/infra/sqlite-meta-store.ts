import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './sqlite-migrate.js';
import type { FileSignature, MetaStore, StandardAuthorship, StandardInfo, UsageStats } from '../ports/meta-store.js';

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
  `CREATE TABLE standard_authorship (
     file TEXT PRIMARY KEY,
     file_hash TEXT NOT NULL,
     created_by TEXT,
     approved_by TEXT
   );`,
  `CREATE TABLE file_signature (
     file TEXT PRIMARY KEY,
     signature TEXT NOT NULL,
     file_hash TEXT NOT NULL
   );`,
];

/** MetaStore on SQLite (WAL): survives restarts, shared safely by the server, hooks and CLI. */
export class SqliteMetaStore implements MetaStore {
  private readonly db: Database.Database;
  private readonly infoStmt: Database.Statement<[string], { created_by: string | null; approved_by: string | null; query_count: number | null }>;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('synchronous = NORMAL');
    migrate(this.db, MIGRATIONS);
    // Searches read it on every call: prepared once.
    this.infoStmt = this.db.prepare(
      `SELECT a.created_by, a.approved_by, u.query_count FROM (SELECT ? AS file) k
       LEFT JOIN standard_authorship a ON a.file = k.file LEFT JOIN standard_usage u ON u.file = k.file`,
    );
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

  authorshipHashes(): Map<string, string> {
    const rows = this.db.prepare<[], { file: string; file_hash: string }>('SELECT file, file_hash FROM standard_authorship').all();
    return new Map(rows.map((r) => [r.file, r.file_hash]));
  }

  putAuthorship(entries: readonly StandardAuthorship[], removed: readonly string[]): void {
    if (entries.length === 0 && removed.length === 0) return;
    const put = this.db.prepare('INSERT OR REPLACE INTO standard_authorship (file, file_hash, created_by, approved_by) VALUES (?, ?, ?, ?)');
    const del = this.db.prepare('DELETE FROM standard_authorship WHERE file = ?');
    this.db.transaction(() => {
      for (const e of entries) put.run(e.file, e.fileHash, e.createdBy, e.approvedBy);
      for (const f of removed) del.run(f);
    })();
  }

  fileSignatures(): Map<string, FileSignature> {
    const rows = this.db.prepare<[], { file: string; signature: string; file_hash: string }>('SELECT file, signature, file_hash FROM file_signature').all();
    return new Map(rows.map((r) => [r.file, { file: r.file, signature: r.signature, fileHash: r.file_hash }]));
  }

  putFileSignatures(entries: readonly FileSignature[], removed: readonly string[]): void {
    if (entries.length === 0 && removed.length === 0) return;
    const put = this.db.prepare('INSERT OR REPLACE INTO file_signature (file, signature, file_hash) VALUES (?, ?, ?)');
    const del = this.db.prepare('DELETE FROM file_signature WHERE file = ?');
    this.db.transaction(() => {
      for (const e of entries) put.run(e.file, e.signature, e.fileHash);
      for (const f of removed) del.run(f);
    })();
  }

  standardInfo(files: readonly string[]): Map<string, StandardInfo> {
    const out = new Map<string, StandardInfo>();
    for (const file of files) {
      if (out.has(file)) continue;
      const r = this.infoStmt.get(file);
      out.set(file, { createdBy: r?.created_by ?? null, approvedBy: r?.approved_by ?? null, queryCount: r?.query_count ?? 0 });
    }
    return out;
  }

  close(): void {
    this.db.close();
  }
}
