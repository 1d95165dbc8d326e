import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LsaModel } from '../domain/lsa.js';
import type { ChunkRef } from '../domain/standard.js';
import { applyDelta, emptyDelta, type TopicDelta, type TopicIndex } from '../domain/topics.js';
import type { TopicFit, TopicStore } from '../ports/index-store.js';

/**
 * The topic index on disk, beside a local index, in three files: the fitted model (small), the fitted
 * chunks' vectors, and the delta of incremental runs. Each is "AOSTOPIC", a format version, a JSON
 * header, then little-endian float32 arrays. Anything that does not add up reads as no topic index,
 * and the next index run writes a new one.
 */
const MAGIC = 'AOSTOPIC';
/** What a fit id looks like (`newFitId`). */
const FIT_ID = /^[0-9a-f]{16}$/;
const VERSION = 2;

type Blob = { header: Record<string, unknown>; arrays: Float32Array[] };

export function encodeBlob(kind: string, header: Record<string, unknown>, arrays: readonly Float32Array[]): Buffer {
  const json = Buffer.from(JSON.stringify({ kind, ...header }), 'utf8');
  const head = 16 + json.length;
  const start = head + ((4 - (head % 4)) % 4);
  const out = Buffer.alloc(start + arrays.reduce((s, f) => s + f.byteLength, 0));
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(VERSION, 8);
  out.writeUInt32LE(json.length, 12);
  json.copy(out, 16);
  let at = start;
  for (const f of arrays) {
    out.set(new Uint8Array(f.buffer, f.byteOffset, f.byteLength), at);
    at += f.byteLength;
  }
  return out;
}

/** The header and arrays of a blob of `kind`, with the array lengths `sizes(header)` says, or a reason. */
export function decodeBlob(buf: Buffer, kind: string, sizes: (header: Record<string, unknown>) => number[] | null): Blob | { reason: string } {
  if (buf.length < 16 || buf.toString('latin1', 0, 8) !== MAGIC) return { reason: 'not a topic index file' };
  if (buf.readUInt32LE(8) !== VERSION) return { reason: `format version ${buf.readUInt32LE(8)}, expected ${VERSION}` };
  const jsonLength = buf.readUInt32LE(12);
  if (16 + jsonLength > buf.length) return { reason: 'truncated header' };
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.toString('utf8', 16, 16 + jsonLength)) as Record<string, unknown>;
  } catch {
    return { reason: 'unreadable header' };
  }
  if (typeof header !== 'object' || header === null || header['kind'] !== kind) return { reason: `not a topic ${kind} file` };
  const lengths = sizes(header);
  if (!lengths || !lengths.every((n) => Number.isInteger(n) && n >= 0)) return { reason: 'malformed header' };
  const head = 16 + jsonLength;
  let at = head + ((4 - (head % 4)) % 4);
  if (buf.length !== at + lengths.reduce((s, n) => s + n * 4, 0)) return { reason: 'size does not match its header' };
  const arrays = lengths.map((n) => {
    // A view where the bytes are 4-aligned (a file read into its own buffer), a copy where not.
    const a = (buf.byteOffset + at) % 4 === 0 ? new Float32Array(buf.buffer, buf.byteOffset + at, n) : new Float32Array(new Uint8Array(buf.subarray(at, at + n * 4)).buffer);
    at += n * 4;
    return a;
  });
  return { header, arrays };
}

/** Chunk references, compactly: each file's domain and globs once, then id, file and ordinal per chunk. */
interface PackedRefs {
  files: Array<[file: string, domain: string, appliesTo: string[]]>;
  chunks: Array<[id: string, file: number, ordinal: number]>;
}

function packRefs(refs: readonly ChunkRef[]): PackedRefs {
  const index = new Map<string, number>();
  const files: PackedRefs['files'] = [];
  const chunks = refs.map((r): [string, number, number] => {
    let f = index.get(r.file);
    if (f === undefined) {
      index.set(r.file, (f = files.length));
      files.push([r.file, r.domain, r.appliesTo]);
    }
    return [r.id, f, r.ordinal];
  });
  return { files, chunks };
}

function unpackRefs(v: unknown): ChunkRef[] | null {
  const p = v as PackedRefs;
  if (typeof p !== 'object' || p === null || !Array.isArray(p.files) || !Array.isArray(p.chunks)) return null;
  const fileOk = (f: unknown): boolean => Array.isArray(f) && typeof f[0] === 'string' && typeof f[1] === 'string' && Array.isArray(f[2]) && f[2].every((g: unknown) => typeof g === 'string');
  if (!p.files.every(fileOk)) return null;
  const refs: ChunkRef[] = [];
  for (const c of p.chunks) {
    if (!Array.isArray(c) || typeof c[0] !== 'string' || !Number.isInteger(c[1]) || !Number.isFinite(c[2])) return null;
    const f = p.files[c[1]];
    if (!f) return null;
    refs.push({ id: c[0], file: f[0], domain: f[1], ordinal: c[2], appliesTo: f[2] });
  }
  return refs;
}

export function encodeModel(fit: TopicFit): Buffer {
  const m = fit.model;
  const terms = [...m.terms.keys()].sort((a, b) => m.terms.get(a)! - m.terms.get(b)!);
  const header = { fitId: fit.fitId, dims: m.dims, requestedDims: fit.requestedDims, fitted: fit.fitted, chunks: fit.chunks, files: fit.files, terms };
  return encodeBlob('model', header, [Float32Array.from(m.idf), Float32Array.from(m.singular), Float32Array.from(m.termVectors)]);
}

export function decodeModel(buf: Buffer): TopicFit | { reason: string } {
  const b = decodeBlob(buf, 'model', (h) => (Number.isInteger(h['dims']) && Number(h['dims']) > 0 && Array.isArray(h['terms']) ? [h['terms'].length, Number(h['dims']), h['terms'].length * Number(h['dims'])] : null));
  if ('reason' in b) return b;
  const h = b.header;
  const terms = h['terms'] as unknown[];
  // The fit id names the chunks file, so it must be a plain token.
  if (typeof h['fitId'] !== 'string' || !FIT_ID.test(h['fitId']) || !terms.every((t) => typeof t === 'string')) return { reason: 'malformed header' };
  const [idf, singular, termVectors] = b.arrays as [Float32Array, Float32Array, Float32Array];
  const model: LsaModel = { terms: new Map((terms as string[]).map((t, i) => [t, i])), idf, singular, termVectors, dims: Number(h['dims']) };
  return { fitId: h['fitId'], model, fitted: Number(h['fitted']) || 0, requestedDims: Number(h['requestedDims']) || model.dims, chunks: Number(h['chunks']) || 0, files: Number(h['files']) || 0 };
}

/** Chunk references and vectors of a fit (`kind` 'chunks') or of a delta ('delta', with the files it replaces). */
export function encodeChunks(kind: 'chunks' | 'delta', fitId: string, dims: number, refs: readonly ChunkRef[], vectors: Float32Array, replaced: readonly string[] = []): Buffer {
  return encodeBlob(kind, { fitId, dims, replaced, refs: packRefs(refs) }, [vectors]);
}

export function decodeChunks(buf: Buffer, kind: 'chunks' | 'delta'): TopicDelta | { reason: string } {
  let refs: ChunkRef[] | null = null;
  const b = decodeBlob(buf, kind, (h) => {
    refs = unpackRefs(h['refs']);
    return refs && Number.isInteger(h['dims']) && Number(h['dims']) > 0 ? [refs.length * Number(h['dims'])] : null;
  });
  if ('reason' in b) return b;
  const replaced = b.header['replaced'];
  if (typeof b.header['fitId'] !== 'string' || !Array.isArray(replaced) || !replaced.every((f) => typeof f === 'string')) return { reason: 'malformed header' };
  return { fitId: b.header['fitId'], replaced: replaced as string[], refs: refs!, vectors: b.arrays[0]! };
}

/** A new fit id. */
export const newFitId = (): string => randomBytes(8).toString('hex');

/** Writes `data` to `file` through a renamed temporary file: a reader sees the old file or the new one. */
async function writeAtomic(file: string, data: Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

async function stampOf(file: string): Promise<string | null> {
  const s = await fs.stat(file).catch(() => null);
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : null;
}

/**
 * The topic index as files `<name>.topics-model.bin`, `<name>.topics-delta.bin` and
 * `<name>.topics-chunks-<fit id>.bin` in `dir`: the model names its chunks file, so a fit written
 * halfway (a crash between the two) leaves the previous fit whole.
 */
export class FileTopicStore implements TopicStore {
  /** The fit with its delta, and the fit alone, each for the file versions it was read at. */
  private cache: { stamp: string; index: TopicIndex | null } | null = null;
  private base: { stamp: string; index: TopicIndex | null } | null = null;

  constructor(
    private readonly dir: string,
    private readonly name: string,
  ) {}

  private get files(): { model: string; delta: string } {
    return { model: path.join(this.dir, `${this.name}.topics-model.bin`), delta: path.join(this.dir, `${this.name}.topics-delta.bin`) };
  }

  private chunksFile(fitId: string): string {
    return path.join(this.dir, `${this.name}.topics-chunks-${fitId}.bin`);
  }

  /** Chunks files of fits other than `keep`. */
  private async otherChunkFiles(keep: string | null): Promise<string[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const prefix = `${this.name}.topics-chunks-`;
    return names.filter((n) => n.startsWith(prefix) && n.endsWith('.bin') && (keep === null || n !== path.basename(this.chunksFile(keep)))).map((n) => path.join(this.dir, n));
  }

  async state(): Promise<'present' | 'absent'> {
    return (await stampOf(this.files.model)) ? 'present' : 'absent';
  }

  private async readModel(): Promise<TopicFit | null> {
    const buf = await fs.readFile(this.files.model).catch(() => null);
    if (!buf) return null;
    const fit = decodeModel(buf);
    return 'reason' in fit ? null : fit;
  }

  private async readDelta(fitId: string): Promise<TopicDelta> {
    const buf = await fs.readFile(this.files.delta).catch(() => null);
    const delta = buf ? decodeChunks(buf, 'delta') : null;
    return delta && !('reason' in delta) && delta.fitId === fitId ? delta : emptyDelta(fitId);
  }

  async read(): Promise<TopicIndex | null> {
    const f = this.files;
    const [modelStamp, deltaStamp] = await Promise.all([stampOf(f.model), stampOf(f.delta)]);
    if (!modelStamp) return null;
    const stamp = `${modelStamp}|${deltaStamp ?? ''}`;
    // Read again only when a file changed: a long-lived server searches from memory between index runs,
    // and after an edit reads only the delta.
    if (this.cache?.stamp === stamp) return this.cache.index;
    if (this.base?.stamp !== modelStamp) this.base = { stamp: modelStamp, index: await this.readBase() };
    const base = this.base.index;
    const index = base ? applyDelta(base, await this.readDelta(base.fitId)) : null;
    this.cache = { stamp, index };
    return index;
  }

  /** The fit: model and chunks, without the delta. */
  private async readBase(): Promise<TopicIndex | null> {
    const fit = await this.readModel();
    const buf = fit ? await fs.readFile(this.chunksFile(fit.fitId)).catch(() => null) : null;
    const chunks = buf ? decodeChunks(buf, 'chunks') : null;
    if (!fit || !chunks || 'reason' in chunks || chunks.fitId !== fit.fitId || chunks.vectors.length !== chunks.refs.length * fit.model.dims) return null;
    return { fitId: fit.fitId, model: fit.model, refs: chunks.refs, vectors: chunks.vectors, fitted: fit.fitted, requestedDims: fit.requestedDims };
  }

  async readForUpdate(): Promise<{ fit: TopicFit; delta: TopicDelta } | null> {
    const fit = await this.readModel();
    if (!fit || !(await stampOf(this.chunksFile(fit.fitId)))) return null;
    return { fit, delta: await this.readDelta(fit.fitId) };
  }

  async writeFit(index: TopicIndex): Promise<void> {
    if (!FIT_ID.test(index.fitId)) throw new Error(`not a fit id: ${index.fitId}`);
    this.cache = null;
    this.base = null;
    await writeAtomic(this.chunksFile(index.fitId), encodeChunks('chunks', index.fitId, index.model.dims, index.refs, index.vectors));
    // The delta belongs to the fit it was made against: it goes before the model that replaces that fit.
    await fs.rm(this.files.delta, { force: true });
    await writeAtomic(this.files.model, encodeModel({ fitId: index.fitId, model: index.model, fitted: index.fitted, requestedDims: index.requestedDims, chunks: index.refs.length, files: new Set(index.refs.map((r) => r.file)).size }));
    for (const old of await this.otherChunkFiles(index.fitId)) await fs.rm(old, { force: true });
  }

  async writeDelta(delta: TopicDelta): Promise<void> {
    this.cache = null;
    const dims = delta.refs.length ? delta.vectors.length / delta.refs.length : 1;
    await writeAtomic(this.files.delta, encodeChunks('delta', delta.fitId, dims, delta.refs, delta.vectors, delta.replaced));
  }

  newFitId(): string {
    return newFitId();
  }

  async remove(): Promise<void> {
    this.cache = null;
    this.base = null;
    for (const file of [this.files.model, this.files.delta, ...(await this.otherChunkFiles(null))]) await fs.rm(file, { force: true });
  }
}
