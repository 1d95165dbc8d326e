import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { endianness } from 'node:os';

import { fnv1a, GLOVE_DIMENSIONS, GloveModel } from './model.js';

const MAGIC = 'AOSGLOVE';
export const FORMAT_VERSION = 1;
const HEADER_BYTES = 80;
const HASH_AT = 48;
const ENDIAN_LE = 1;
const ENDIAN_BE = 2;

// Vectors file: 80-byte header, then the body (every section starts 4-byte aligned)
//   vocab (UTF-8, concatenated) | offsets u32[n+1] | ranks u32[n] | scales f32[n] | table u32[t] | vectors i8[n*dims]
// Header: magic(8) | version u32 | dims u32 | count u32 | vocabBytes u32 | sourceSize u64 | endian u32
//         | tableSize u32 | reserved(8) | sha256(body)(32)

function align4(n: number): number {
  return (n + 3) & ~3;
}

function nativeEndian(): number {
  return endianness() === 'LE' ? ENDIAN_LE : ENDIAN_BE;
}

interface Layout {
  offsetsAt: number;
  ranksAt: number;
  scalesAt: number;
  tableAt: number;
  vectorsAt: number;
  total: number;
}

function layout(count: number, dims: number, vocabBytes: number, tableSize: number): Layout {
  const offsetsAt = HEADER_BYTES + align4(vocabBytes);
  const ranksAt = offsetsAt + 4 * (count + 1);
  const scalesAt = ranksAt + 4 * count;
  const tableAt = scalesAt + 4 * count;
  const vectorsAt = tableAt + 4 * tableSize;
  return { offsetsAt, ranksAt, scalesAt, tableAt, vectorsAt, total: vectorsAt + count * dims };
}

/** The size of the source a vectors file was converted from (to tell whether a rebuild is needed), or null. */
export function sourceSizeOf(buf: Buffer): number | null {
  if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 8) !== MAGIC || buf.readUInt32LE(8) !== FORMAT_VERSION) return null;
  return Number(buf.readBigUInt64LE(24));
}

/**
 * The model in a vectors file, after checking its header, layout and sha256; a string says what is
 * wrong. `expectedSourceSize`, when given, must match the size of the source it was converted from.
 */
export function parseGloveFile(buf: Buffer, expectedSourceSize?: number): GloveModel | string {
  if (buf.length < HEADER_BYTES) return `file is ${buf.length} bytes, shorter than its header`;
  if (buf.toString('latin1', 0, 8) !== MAGIC) return 'bad magic bytes';
  if (buf.readUInt32LE(8) !== FORMAT_VERSION) return `format version ${buf.readUInt32LE(8)}, expected ${FORMAT_VERSION}`;
  const dims = buf.readUInt32LE(12);
  const count = buf.readUInt32LE(16);
  const vocabBytes = buf.readUInt32LE(20);
  const sourceSize = Number(buf.readBigUInt64LE(24));
  if (buf.readUInt32LE(32) !== nativeEndian()) return 'written on a machine with another byte order';
  const tableSize = buf.readUInt32LE(36);
  if (expectedSourceSize !== undefined && sourceSize !== expectedSourceSize) return `built from a ${sourceSize}-byte source, the source is now ${expectedSourceSize} bytes`;
  if (dims !== GLOVE_DIMENSIONS) return `${dims} dimensions, expected ${GLOVE_DIMENSIONS}`;
  if (tableSize === 0 || (tableSize & (tableSize - 1)) !== 0 || tableSize <= count) return `bad hash table size ${tableSize}`;
  const at = layout(count, dims, vocabBytes, tableSize);
  if (buf.length !== at.total) return `file is ${buf.length} bytes, header says ${at.total}`;
  const digest = createHash('sha256').update(buf.subarray(HEADER_BYTES)).digest();
  if (!digest.equals(buf.subarray(HASH_AT, HASH_AT + 32))) return 'checksum mismatch';

  // Typed-array views need 4-byte alignment; a pooled or sliced buffer may not have it.
  const owned = buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf);
  const ab = owned.buffer;
  const base = owned.byteOffset;
  const offsets = new Uint32Array(ab, base + at.offsetsAt, count + 1);
  if (offsets[count] !== vocabBytes) return 'vocabulary offsets do not match the header';
  return new GloveModel({
    dimensions: dims,
    vocab: new Uint8Array(ab, base + HEADER_BYTES, vocabBytes),
    offsets,
    ranks: new Uint32Array(ab, base + at.ranksAt, count),
    scales: new Float32Array(ab, base + at.scalesAt, count),
    table: new Uint32Array(ab, base + at.tableAt, tableSize),
    vectors: new Int8Array(ab, base + at.vectorsAt, count * dims),
  });
}

export interface GloveStats {
  words: number;
  bytes: number;
}

/** What a vectors file is built from: words in rank order's storage order, with int8 vectors and scales. */
export interface GloveVectors {
  words: string[];
  ranks: Uint32Array;
  scales: Float32Array;
  vectors: Int8Array;
  dimensions: number;
}

/** Writes a vectors file at `dest` atomically (temp file, fsync, rename). */
export async function writeGloveFile(dest: string, result: GloveVectors, sourceSize: number): Promise<GloveStats> {
  const count = result.words.length;
  const dims = result.dimensions;
  // One buffer and an offset table rather than a Buffer per word: 320k small objects cost ~40 MB.
  const vocab = Buffer.from(result.words.join(''), 'utf8');
  const offsets = new Uint32Array(count + 1);
  for (let i = 0, at = 0; i < count; i++) {
    at += Buffer.byteLength(result.words[i]!, 'utf8');
    offsets[i + 1] = at;
  }
  // Load factor <= 2/3 keeps linear probing short for hits and misses alike.
  let tableSize = 1;
  while (tableSize < count * 1.5) tableSize *= 2;
  const table = new Uint32Array(tableSize);
  const mask = tableSize - 1;
  for (let i = 0; i < count; i++) {
    let slot = fnv1a(vocab, offsets[i]!, offsets[i + 1]!) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = i + 1;
  }
  const asBytes = (a: Uint32Array | Float32Array | Int8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const body = [
    vocab,
    Buffer.alloc(align4(vocab.length) - vocab.length),
    asBytes(offsets),
    asBytes(result.ranks),
    asBytes(result.scales),
    asBytes(table),
    asBytes(result.vectors),
  ];
  const hash = createHash('sha256');
  for (const part of body) hash.update(part);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(dims, 12);
  header.writeUInt32LE(count, 16);
  header.writeUInt32LE(vocab.length, 20);
  header.writeBigUInt64LE(BigInt(sourceSize), 24);
  header.writeUInt32LE(nativeEndian(), 32);
  header.writeUInt32LE(tableSize, 36);
  hash.digest().copy(header, HASH_AT);

  const tmp = `${dest}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'w');
  let bytes = 0;
  try {
    for (const part of [header, ...body]) {
      await fh.write(part);
      bytes += part.length;
    }
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    // rename() replaces atomically: readers see the old file or the complete new one, never a partial one.
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    // Where an open file cannot be replaced (Windows), another process's finished copy is as good as ours.
    if (!(await stat(dest).then((st) => st.size === bytes, () => false))) throw e;
  }
  return { words: count, bytes };
}
