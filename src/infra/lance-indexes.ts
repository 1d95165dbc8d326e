import type * as lancedb from '@lancedb/lancedb';

type LanceModule = typeof import('@lancedb/lancedb');

/** How the chunk table keeps its indexes; every field has a default (`defaultLanceTuning`). */
export interface LanceTuning {
  /** Rows from which vector search goes through an IVF index; below it every vector is compared. */
  annMinRows?: number;
  /** Fragments (each incremental write adds one) beyond which the table is compacted. */
  maxFragments?: number;
  /** Rows written since the indexes were last brought up to date beyond which they are. */
  maxUnindexedRows?: number;
}

export const defaultLanceTuning: Required<LanceTuning> = { annMinRows: 20_000, maxFragments: 20, maxUnindexedRows: 2_000 };

/**
 * IVF partitions for a table of `rows` vectors. Fewer, larger partitions than LanceDB's default
 * (√rows): word-average embeddings cluster loosely, and at 47,000 rows √rows / 4 partitions with
 * half of them probed kept 98–99 % of the exact top 50 while √rows partitions lost 5–10 %.
 */
export function annPartitions(rows: number): number {
  return Math.min(1024, Math.max(2, Math.round(Math.sqrt(rows) / 4)));
}

/** Partitions searched per query: half of them (see `annPartitions`). */
export function annProbes(indexedRows: number): number {
  return Math.ceil(annPartitions(indexedRows) / 2);
}

/** Columns with a full-text index: the chunk text, and title plus heading path (boosted). */
export const FTS_COLUMNS = ['text', 'heading'] as const;
/** Columns with a B-tree: `id` for fetching result chunks, `file` for rewriting one file's rows. */
const SCALAR_COLUMNS = ['id', 'file'] as const;

export interface IndexPolicy extends Required<LanceTuning> {
  /** Whether the table has a vector column. */
  vectors: boolean;
}

/**
 * Create the indexes the table lacks (`existing`: those it has; empty for a freshly written table).
 * The vector index waits until the table holds `annMinRows` rows: below that an exact scan is fast
 * and loses nothing. Returns the columns indexed.
 */
export async function ensureIndexes(lance: LanceModule, table: lancedb.Table, policy: IndexPolicy, existing: readonly lancedb.IndexConfig[] = []): Promise<string[]> {
  const indexed = new Set(existing.map((i) => i.columns.join(',')));
  const created: string[] = [];
  for (const column of FTS_COLUMNS) {
    if (indexed.has(column)) continue;
    // An Index object is consumed by createIndex, so each column gets its own.
    const fts = lance.Index.fts({ stem: true, removeStopWords: true, language: 'English', withPosition: false, asciiFolding: true });
    await table.createIndex(column, { config: fts, replace: true });
    created.push(column);
  }
  for (const column of SCALAR_COLUMNS) {
    if (indexed.has(column)) continue;
    await table.createIndex(column, { config: lance.Index.btree(), replace: true });
    created.push(column);
  }
  if (policy.vectors && !indexed.has('vector')) {
    const rows = await table.countRows();
    if (rows >= policy.annMinRows) {
      // IVF_FLAT keeps exact distances within the probed partitions and trains in seconds; IVF_PQ
      // took 20–35 times longer to build on this data for no gain in speed (bench/SCALE.md).
      const ivf = lance.Index.ivfFlat({ numPartitions: annPartitions(rows), distanceType: 'cosine' });
      await table.createIndex('vector', { config: ivf, replace: true });
      created.push('vector');
    }
  }
  return created;
}

/** Rows an index does not cover yet (LanceDB reports it with the index list on local tables). */
async function unindexedRows(table: lancedb.Table, index: lancedb.IndexConfig): Promise<number> {
  return index.numUnindexedRows ?? (await table.indexStats(index.name))?.numUnindexedRows ?? 0;
}

/** Rows covered by the vector index, or null when the table has none. */
export async function vectorIndexRows(table: lancedb.Table): Promise<number | null> {
  const index = (await table.listIndices()).find((i) => i.columns.join(',') === 'vector');
  if (!index) return null;
  return index.numIndexedRows ?? (await table.indexStats(index.name))?.numIndexedRows ?? 0;
}

export interface Maintenance {
  created: string[];
  optimized: boolean;
}

/**
 * After an incremental write: add missing indexes, and now and then compact the fragments that
 * single-file writes leave behind and fold unindexed rows into the indexes. Between those runs new
 * rows are searched without an index, which costs little while they are few.
 */
export async function maintain(lance: LanceModule, table: lancedb.Table, policy: IndexPolicy): Promise<Maintenance> {
  const existing = await table.listIndices();
  const created = await ensureIndexes(lance, table, policy, existing);
  const stats = await table.stats();
  const text = existing.find((i) => i.columns.join(',') === 'text');
  const unindexed = text ? await unindexedRows(table, text) : 0;
  const due = stats.fragmentStats.numFragments > policy.maxFragments || unindexed > policy.maxUnindexedRows;
  if (due) {
    // Versions older than a minute go: a reader still on one has had ample time to finish.
    await table.optimize({ cleanupOlderThan: new Date(Date.now() - 60_000) });
  }
  return { created, optimized: due };
}
