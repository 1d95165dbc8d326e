import type { ChunkRef } from '../domain/standard.js';
import type { TopicIndex } from '../domain/topics.js';

/**
 * The topic index on disk: "AOSTOPIC", a format version, a JSON header (terms, chunk references,
 * counts), then little-endian float32 arrays (idf, singular values, term vectors, chunk vectors).
 * Anything that does not add up reads as no topic index, and the next index run writes a new one.
 */
const MAGIC = 'AOSTOPIC';
const VERSION = 1;

interface Header {
  dims: number;
  requestedDims: number;
  fitted: number;
  folded: number;
  terms: string[];
  refs: ChunkRef[];
}

export function encodeTopics(t: TopicIndex): Buffer {
  const terms = [...t.model.terms.keys()].sort((a, b) => t.model.terms.get(a)! - t.model.terms.get(b)!);
  const header: Header = { dims: t.model.dims, requestedDims: t.requestedDims, fitted: t.fitted, folded: t.folded, terms, refs: t.refs };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = 16 + json.length;
  const pad = (4 - (head % 4)) % 4;
  const floats = [Float32Array.from(t.model.idf), Float32Array.from(t.model.singular), Float32Array.from(t.model.termVectors), t.vectors];
  const out = Buffer.alloc(head + pad + floats.reduce((s, f) => s + f.byteLength, 0));
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(VERSION, 8);
  out.writeUInt32LE(json.length, 12);
  json.copy(out, 16);
  let at = head + pad;
  for (const f of floats) {
    Buffer.from(f.buffer, f.byteOffset, f.byteLength).copy(out, at);
    at += f.byteLength;
  }
  return out;
}

/** The topic index in `buf`, or a reason it cannot be read. */
export function decodeTopics(buf: Buffer): TopicIndex | { reason: string } {
  if (buf.length < 16 || buf.toString('latin1', 0, 8) !== MAGIC) return { reason: 'not a topic index file' };
  if (buf.readUInt32LE(8) !== VERSION) return { reason: `format version ${buf.readUInt32LE(8)}, expected ${VERSION}` };
  const jsonLength = buf.readUInt32LE(12);
  if (16 + jsonLength > buf.length) return { reason: 'truncated header' };
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 16, 16 + jsonLength)) as Header;
  } catch {
    return { reason: 'unreadable header' };
  }
  const { dims, terms, refs } = header;
  if (!Number.isInteger(dims) || dims <= 0 || !Array.isArray(terms) || !Array.isArray(refs)) return { reason: 'malformed header' };
  if (!terms.every((t) => typeof t === 'string')) return { reason: 'malformed terms' };
  const refOk = (r: ChunkRef): boolean =>
    typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.file === 'string' && typeof r.domain === 'string' && Number.isFinite(r.ordinal) && Array.isArray(r.appliesTo);
  if (!refs.every(refOk)) return { reason: 'malformed chunk references' };
  const head = 16 + jsonLength;
  const start = head + ((4 - (head % 4)) % 4);
  const sizes = [terms.length, dims, terms.length * dims, refs.length * dims];
  if (buf.length !== start + sizes.reduce((s, n) => s + n * 4, 0)) return { reason: 'size does not match its header' };
  // Copied out: the buffer's own offset need not be 4-aligned for a Float32Array view.
  const arrays: Float32Array[] = [];
  let at = start;
  for (const n of sizes) {
    const a = new Float32Array(n);
    Buffer.from(a.buffer).set(buf.subarray(at, at + n * 4));
    arrays.push(a);
    at += n * 4;
  }
  const [idf, singular, termVectors, vectors] = arrays as [Float32Array, Float32Array, Float32Array, Float32Array];
  return {
    model: { terms: new Map(terms.map((t, i) => [t, i])), idf: Float64Array.from(idf), singular: Float64Array.from(singular), termVectors: Float64Array.from(termVectors), dims },
    refs,
    vectors,
    fitted: Number(header.fitted) || 0,
    folded: Number(header.folded) || 0,
    requestedDims: Number(header.requestedDims) || dims,
  };
}
