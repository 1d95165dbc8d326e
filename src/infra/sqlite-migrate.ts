import type Database from 'better-sqlite3';

/**
 * Apply numbered migrations (index + 1 = user_version). Several processes may open the file at
 * once (server, hook, CLI): the write lock is taken first (IMMEDIATE) and the version read inside
 * it, so exactly one of them migrates.
 */
export function migrate(db: Database.Database, migrations: readonly string[]): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let v = current; v < migrations.length; v++) {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
