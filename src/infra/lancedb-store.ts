import fs from 'node:fs/promises';
import path from 'node:path';
import type * as lancedb from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';
import { AgentOsError, messageOf } from '../domain/errors.js';
import type { Chunk, ChunkRef } from '../domain/standard.js';
import type { TopicChunk } from '../domain/topics.js';
import { FileTopicStore } from './topics-file.js';
import type { Candidate, IndexedFile, IndexStore, StoreFilter, StoredChunk, TopicStore } from '../ports/index-store.js';
import { annProbes, defaultLanceTuning, ensureIndexes, maintain, vectorIndexRows, type IndexPolicy, type LanceTuning } from './lance-indexes.js';

export type { LanceTuning } from './lance-indexes.js';

/** Name of the table for an embedder; a different model or dimension means a different table. */
export function tableNameFor(embedderId: string | null, dimensions: number): string {
  if (!embedderId) return 'chunks__keyword';
  const slug = embedderId.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return `chunks_${slug}_${dimensions}`;
}

type LanceModule = typeof import('@lancedb/lancedb');
type ArrowModule = typeof import('apache-arrow');

let modules: Promise<{ lance: LanceModule; arrow: ArrowModule }> | null = null;
/** LanceDB and Arrow load on first use: commands that never touch the index start faster. */
function loadModules(): Promise<{ lance: LanceModule; arrow: ArrowModule }> {
  modules ??= Promise.all([import('@lancedb/lancedb'), import('apache-arrow')]).then(([lance, arrow]) => ({ lance, arrow }));
  return modules;
}

function schemaFor(arrow: ArrowModule, dimensions: number | null): Schema {
  const { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } = arrow;
  const fields: InstanceType<ArrowModule['Field']>[] = [
    new Field('id', new Utf8(), false),
    new Field('file', new Utf8(), false),
    new Field('domain', new Utf8(), false),
    new Field('topic', new Utf8(), false),
    new Field('title', new Utf8(), false),
    new Field('section', new Utf8(), false),
    new Field('heading', new Utf8(), false),
    new Field('content', new Utf8(), false),
    new Field('text', new Utf8(), false),
    new Field('ordinal', new Int32(), false),
    new Field('file_hash', new Utf8(), false),
    new Field('text_hash', new Utf8(), false),
    new Field('tags', new Utf8(), false),
    new Field('applies_to', new Utf8(), false),
  ];
  if (dimensions !== null) {
    fields.push(new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false));
  }
  return new Schema(fields);
}

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function whereOf(filter: StoreFilter): string | undefined {
  return filter.domain ? `domain = ${sqlString(filter.domain)}` : undefined;
}

type Row = Record<string, unknown>;

function rowOf(c: StoredChunk, withVector: boolean): Row {
  const row: Row = {
    id: c.id,
    file: c.file,
    domain: c.domain,
    topic: c.topic,
    title: c.title,
    section: c.section,
    heading: `${c.title} ${c.section.replace(/ > /g, ' ')}`,
    content: c.content,
    text: c.text,
    ordinal: c.ordinal,
    file_hash: c.fileHash,
    text_hash: c.textHash,
    tags: JSON.stringify(c.tags),
    applies_to: JSON.stringify(c.appliesTo),
  };
  if (withVector) row['vector'] = Array.from(c.vector ?? []);
  return row;
}

function jsonList(v: unknown): string[] {
  try {
    const parsed: unknown = JSON.parse(String(v ?? '[]'));
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

function chunkOf(row: Row): Chunk {
  const list = jsonList;
  return {
    id: String(row['id']),
    file: String(row['file']),
    domain: String(row['domain']),
    topic: String(row['topic']),
    title: String(row['title']),
    section: String(row['section']),
    content: String(row['content']),
    // Retrieval does not select the searchable text (it is most of a row's bytes); callers use content.
    text: row['text'] === undefined ? '' : String(row['text']),
    ordinal: Number(row['ordinal']),
    fileHash: String(row['file_hash']),
    textHash: String(row['text_hash']),
    tags: list(row['tags']),
    appliesTo: list(row['applies_to']),
  };
}

/** Columns of a candidate: enough to fuse and rank. Content is fetched for the final few only. */
const CANDIDATE_COLUMNS = ['id', 'file', 'domain', 'ordinal', 'applies_to', 'title', 'section'];
const CHUNK_COLUMNS = ['id', 'file', 'domain', 'topic', 'title', 'section', 'content', 'ordinal', 'file_hash', 'text_hash', 'tags', 'applies_to'];

function refOf(row: Row): ChunkRef {
  return {
    id: String(row['id']),
    file: String(row['file']),
    domain: String(row['domain']),
    ordinal: Number(row['ordinal']),
    appliesTo: jsonList(row['applies_to']),
    title: String(row['title'] ?? ''),
    section: String(row['section'] ?? ''),
  };
}

export interface LanceStoreOptions {
  uri: string;
  /** Embedder id, or null for a keyword-only index. */
  embedderId: string | null;
  dimensions: number;
  /** Weight of heading matches against body matches in keyword search. */
  headingBoost?: number;
  /** Open this table instead of the embedder's own (keyword search over another model's index). */
  tableName?: string;
  /** When to build the vector index and to compact (defaults: `defaultLanceTuning`). */
  tuning?: LanceTuning;
}

/** Files and chunk counts of the rows about to be written. */
function filesOf(chunks: readonly StoredChunk[]): IndexedFile[] {
  const byFile = new Map<string, IndexedFile>();
  for (const c of chunks) {
    const entry = byFile.get(c.file) ?? { file: c.file, fileHash: c.fileHash, chunks: 0 };
    entry.chunks++;
    byFile.set(c.file, entry);
  }
  return [...byFile.values()];
}

/** IndexStore on LanceDB: one table per embedder, a stemmed FTS index, cosine vector search. */
export class LanceIndexStore implements IndexStore {
  private db: lancedb.Connection | null = null;
  private table: lancedb.Table | null = null;
  /** Partitions to probe per vector query, for the table version it was read at (null: no ANN index). */
  private probes: { version: number; n: number | null } | null = null;
  /** The topic index beside this table (one per store, so what it has read is kept). */
  private topicStore: FileTopicStore | null = null;
  readonly tableName: string;
  private readonly policy: IndexPolicy;

  constructor(private readonly opts: LanceStoreOptions) {
    this.tableName = opts.tableName ?? tableNameFor(opts.embedderId, opts.dimensions);
    this.policy = { ...defaultLanceTuning, ...opts.tuning, vectors: opts.embedderId !== null };
  }

  private async connection(): Promise<lancedb.Connection> {
    if (!this.db) {
      // readConsistencyInterval 0: every read checks for a newer version, so a long-lived
      // server sees commits made by a hook or the CLI in another process.
      const { lance } = await loadModules();
      this.db = await lance.connect(this.opts.uri, { readConsistencyInterval: 0 });
    }
    return this.db;
  }

  private async openTable(): Promise<lancedb.Table | null> {
    if (this.table) return this.table;
    const db = await this.connection();
    const names = await db.tableNames();
    if (!names.includes(this.tableName)) return null;
    try {
      this.table = await db.openTable(this.tableName);
    } catch (e) {
      // A table whose first commit is still being written is listed but has no version yet:
      // to a reader it does not exist.
      if (/_versions|not found|does not exist/i.test(messageOf(e))) return null;
      throw new AgentOsError('INDEX_CORRUPT', `The search index at ${this.opts.uri} cannot be opened: ${messageOf(e)}`, {
        cause: e,
        hint: 'Run `agent-os index --full` to rebuild it.',
      });
    }
    return this.table;
  }

  /** Names of tables built for other embedders; stale once this one is complete. */
  async otherTables(): Promise<string[]> {
    const db = await this.connection();
    return (await db.tableNames()).filter((n) => n.startsWith('chunks_') && n !== this.tableName);
  }

  async dropTables(names: readonly string[]): Promise<void> {
    const db = await this.connection();
    for (const name of names) {
      await db.dropTable(name);
      if (this.localDir) {
        await fs.rm(path.join(this.localDir, `${name}.files.json`), { force: true });
        await new FileTopicStore(this.localDir, name).remove();
      }
    }
  }

  /** Whether the table exists, without reading it. */
  async exists(): Promise<boolean> {
    return (await this.openTable()) !== null;
  }

  /** Local index directory, or null for object-store URIs. */
  private get localDir(): string | null {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(this.opts.uri) ? null : this.opts.uri;
  }

  private get sidecarPath(): string | null {
    const dir = this.localDir;
    return dir ? path.join(dir, `${this.tableName}.files.json`) : null;
  }

  /**
   * Files in the index. A local index keeps a sidecar list written after each commit, so the common
   * "is anything stale?" check needs neither LanceDB nor a table scan. A sidecar older than the table
   * (a crash between commit and sidecar) only makes the next run rewrite files it did not need to.
   */
  async listFiles(): Promise<IndexedFile[] | null> {
    return (await this.readSidecar()) ?? this.listFilesFromTable();
  }

  /** The sidecar's file list, or null when there is none (or no table beside it). */
  private async readSidecar(): Promise<IndexedFile[] | null> {
    const sidecar = this.sidecarPath;
    if (!sidecar || !this.localDir) return null;
    try {
      const [text] = await Promise.all([fs.readFile(sidecar, 'utf8'), fs.access(path.join(this.localDir, `${this.tableName}.lance`, '_versions'))]);
      const parsed = JSON.parse(text) as { table?: string; files?: IndexedFile[] };
      if (parsed.table === this.tableName && Array.isArray(parsed.files)) return parsed.files;
    } catch {
      // No sidecar or no table: the caller reads the table itself.
    }
    return null;
  }

  /** Files in the index, read from the table (the source of truth). */
  async listFilesFromTable(): Promise<IndexedFile[] | null> {
    const table = await this.openTable();
    if (!table) return null;
    try {
      const rows = (await table.query().select(['file', 'file_hash']).toArray()) as Row[];
      const byFile = new Map<string, IndexedFile>();
      for (const r of rows) {
        const file = String(r['file']);
        const entry = byFile.get(file) ?? { file, fileHash: String(r['file_hash']), chunks: 0 };
        entry.chunks++;
        byFile.set(file, entry);
      }
      return [...byFile.values()];
    } catch (e) {
      throw new AgentOsError('INDEX_CORRUPT', `The search index at ${this.opts.uri} cannot be read: ${messageOf(e)}`, {
        cause: e,
        hint: 'Run `agent-os index --full` to rebuild it.',
      });
    }
  }

  async replaceFiles(files: readonly string[], chunks: readonly StoredChunk[], fullRebuild: boolean): Promise<void> {
    // The new list follows from the old one and this write, so a one-file edit needs no table scan.
    const before = fullRebuild ? [] : await this.readSidecar();
    await this.removeSidecar();
    await this.commit(files, chunks, fullRebuild);
    let after: IndexedFile[] | null = null;
    if (before) {
      const replaced = new Set([...files, ...chunks.map((c) => c.file)]);
      after = [...before.filter((f) => !replaced.has(f.file)), ...filesOf(chunks)];
    }
    await this.writeSidecar(after);
  }

  private async removeSidecar(): Promise<void> {
    const sidecar = this.sidecarPath;
    if (sidecar) await fs.rm(sidecar, { force: true });
  }

  /** Writes `known`, or the list read from the table when the previous one was missing. */
  private async writeSidecar(known: IndexedFile[] | null): Promise<void> {
    const sidecar = this.sidecarPath;
    if (!sidecar) return;
    const files = known ?? (await this.listFilesFromTable());
    if (!files) return;
    const tmp = `${sidecar}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify({ table: this.tableName, files }));
    await fs.rename(tmp, sidecar);
  }

  private async commit(files: readonly string[], chunks: readonly StoredChunk[], fullRebuild: boolean): Promise<void> {
    const withVector = this.opts.embedderId !== null;
    const rows = chunks.map((c) => rowOf(c, withVector));
    const { arrow, lance } = await loadModules();
    const schema = schemaFor(arrow, withVector ? this.opts.dimensions : null);
    const table = fullRebuild ? null : await this.openTable();
    if (!table) {
      this.table?.close();
      this.table = null;
      const created = await this.overwrite(rows, schema);
      this.table = created;
      await ensureIndexes(lance, created, this.policy);
      return;
    }
    if (files.length === 0 && rows.length === 0) return;
    const fileList = files.map(sqlString).join(', ');
    // mergeInsert with delete-by-source commits inserts, updates and deletions as one version.
    await table
      .mergeInsert('id')
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .whenNotMatchedBySourceDelete({ where: `file IN (${fileList})` })
      .execute(rows.length ? rows : [], { schema } as never);
    await maintain(lance, table, this.policy);
  }

  /** One overwrite commit; a table too damaged to overwrite is deleted and created afresh. */
  private async overwrite(rows: Row[], schema: Schema): Promise<lancedb.Table> {
    const db = await this.connection();
    try {
      // Readers of an existing table see the old rows until this commit lands.
      return await db.createTable(this.tableName, rows, { mode: 'overwrite', schema });
    } catch (e) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(this.opts.uri)) throw e;
      await fs.rm(path.join(this.opts.uri, `${this.tableName}.lance`), { recursive: true, force: true });
      return await db.createTable(this.tableName, rows, { mode: 'create', schema });
    }
  }

  async keywordSearch(query: string, limit: number, filter: StoreFilter): Promise<Candidate[]> {
    const table = await this.openTable();
    if (!table) return [];
    const { lance } = await loadModules();
    const boost = this.opts.headingBoost ?? 1;
    const ftsQuery =
      boost > 0 ? new lance.MultiMatchQuery(query, ['text', 'heading'], { boosts: [1, boost] }) : query;
    let q = table.query().fullTextSearch(ftsQuery, boost > 0 ? {} : { columns: 'text' }).select([...CANDIDATE_COLUMNS, '_score']).limit(limit);
    const where = whereOf(filter);
    if (where) q = q.where(where);
    const rows = (await q.toArray()) as Row[];
    return rows.map((r) => ({ chunk: refOf(r), score: Number(r['_score']) }));
  }

  async vectorSearch(vector: Float32Array, limit: number, filter: StoreFilter): Promise<Candidate[]> {
    if (this.opts.embedderId === null) return [];
    const table = await this.openTable();
    if (!table) return [];
    let q = table.vectorSearch(Array.from(vector)).distanceType('cosine').select([...CANDIDATE_COLUMNS, '_distance']).limit(limit);
    const probes = await this.annProbes(table);
    if (probes !== null) q = q.nprobes(probes);
    const where = whereOf(filter);
    if (where) q = q.where(where);
    const rows = (await q.toArray()) as Row[];
    return rows.map((r) => ({ chunk: refOf(r), score: 1 - Number(r['_distance']) }));
  }

  /** Partitions to probe, read once per table version. */
  private async annProbes(table: lancedb.Table): Promise<number | null> {
    const version = await table.version();
    if (this.probes?.version !== version) {
      const rows = await vectorIndexRows(table);
      this.probes = { version, n: rows === null ? null : annProbes(rows) };
    }
    return this.probes.n;
  }

  async getChunks(ids: readonly string[]): Promise<Chunk[]> {
    const table = await this.openTable();
    if (!table || ids.length === 0) return [];
    const rows = (await table.query().where(`id IN (${ids.map(sqlString).join(', ')})`).select(CHUNK_COLUMNS).toArray()) as Row[];
    return rows.map(chunkOf);
  }

  async hasVectors(): Promise<boolean> {
    return this.opts.embedderId !== null && (await this.openTable()) !== null;
  }

  topics(): TopicStore | null {
    const dir = this.localDir;
    if (!dir) return null;
    this.topicStore ??= new FileTopicStore(dir, this.tableName);
    return this.topicStore;
  }

  async topicChunks(): Promise<TopicChunk[]> {
    const table = await this.openTable();
    if (!table) return [];
    const rows = (await table.query().select([...CANDIDATE_COLUMNS, 'text']).toArray()) as Row[];
    return rows.map((r) => ({ ref: refOf(r), title: String(r['title'] ?? ''), section: String(r['section'] ?? ''), text: String(r['text'] ?? '') }));
  }

  async version(): Promise<number> {
    const table = await this.openTable();
    return table ? await table.version() : 0;
  }

  async close(): Promise<void> {
    this.table?.close();
    this.db?.close();
    this.table = null;
    this.db = null;
  }
}
