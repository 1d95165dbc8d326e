import { createReadStream } from 'node:fs';

import { writeGloveFile, type GloveStats } from './format.js';
import { GLOVE_DIMENSIONS, MAX_WORD_BYTES } from './model.js';

// ---------------------------------------------------------------------------------------------
// Conversion: a streaming parser for the wink JSON, so the 300 MB file is never held in memory
// (JSON.parse of it needs ~1 GB). Only "vectors" is decoded; other keys are skipped, except the
// small numbers that let us cross-check the result.

/**
 * Converts a wink-format JSON file into the compact cache format at `dest` (atomically, via rename).
 * `chunkBytes` sets the read size; parsing is independent of where chunks split the text.
 */
export async function convertWinkJson(src: string, dest: string, options: { chunkBytes?: number } = {}): Promise<GloveStats> {
  const parser = new WinkVectorParser();
  const stream = createReadStream(src, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  let sourceSize = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    sourceSize += chunk.length;
    parser.push(chunk);
    // Parsing a megabyte takes a few milliseconds; let other work (MCP requests) run in between.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const result = parser.finish();
  if (result.dimensions !== GLOVE_DIMENSIONS) {
    throw new GloveFormatError(`the vectors have ${result.dimensions} dimensions, ${GLOVE_DIMENSIONS} are needed`);
  }

  return writeGloveFile(dest, result, sourceSize);
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LOWER_E = 0x65;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/** The source JSON is not in the expected shape (as opposed to an I/O failure). */
export class GloveFormatError extends Error {
  override name = 'GloveFormatError';
}

const NEED_MORE = -1;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const VOCAB_WORD = /^[\p{L}\p{N}]+$/u;
const WANTED_SCALARS = new Set(['dimensions', 'size', 'l2NormIndex', 'wordIndex']);

type Phase = 'open' | 'key' | 'value' | 'vectorsOpen' | 'vectors' | 'done';

export interface ParsedVectors {
  words: string[];
  ranks: Uint32Array;
  scales: Float32Array;
  vectors: Int8Array;
  dimensions: number;
}

class WinkVectorParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private phase: Phase = 'open';
  private key = '';
  private skipDepth = 0;
  private skipInString = false;
  private skipEscape = false;
  private skipStarted = false;
  private skipParts: Buffer[] = [];
  private readonly scalars = new Map<string, number>();

  private dims = -1;
  private count = 0;
  private sawVectors = false;
  private readonly words: string[] = [];
  private ranks = new Uint32Array(1 << 16);
  private scales = new Float32Array(1 << 16);
  private vectors = new Int8Array(0);
  private numbers = new Float64Array(256);

  push(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    this.run();
  }

  finish(): ParsedVectors {
    this.run();
    this.skipWs();
    if (this.phase !== 'done' || this.pos !== this.buf.length) {
      throw new GloveFormatError(`GloVe JSON ended unexpectedly (in ${this.phase}, ${this.buf.length - this.pos} bytes unparsed)`);
    }
    if (!this.sawVectors || this.count === 0) throw new GloveFormatError('GloVe JSON has no "vectors" entries');
    const declared = this.scalars.get('dimensions');
    if (declared !== undefined && declared !== this.dims) {
      throw new GloveFormatError(`GloVe JSON declares ${declared} dimensions but its vectors have ${this.dims}`);
    }
    // Each vector array is read as [components..., l2 norm, frequency rank]; the header says where those sit.
    const normAt = this.scalars.get('l2NormIndex');
    const rankAt = this.scalars.get('wordIndex');
    if ((normAt !== undefined && normAt !== this.dims) || (rankAt !== undefined && rankAt !== this.dims + 1)) {
      throw new GloveFormatError(`GloVe JSON puts the norm at ${normAt} and the rank at ${rankAt}; expected ${this.dims} and ${this.dims + 1}`);
    }
    return {
      words: this.words,
      ranks: this.ranks.subarray(0, this.count),
      scales: this.scales.subarray(0, this.count),
      vectors: this.vectors.subarray(0, this.count * this.dims),
      dimensions: this.dims,
    };
  }

  private fail(what: string): never {
    const near = this.buf.toString('utf8', this.pos, Math.min(this.buf.length, this.pos + 40));
    throw new GloveFormatError(`Unexpected GloVe JSON structure: ${what} near ${JSON.stringify(near)}`);
  }

  private skipWs(): void {
    const b = this.buf;
    let p = this.pos;
    while (p < b.length) {
      const c = b[p]!;
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      p++;
    }
    this.pos = p;
  }

  private run(): void {
    for (;;) {
      this.skipWs();
      if (this.pos >= this.buf.length && this.phase !== 'done') return;
      switch (this.phase) {
        case 'open':
          if (this.buf[this.pos] !== LBRACE) this.fail('expected "{"');
          this.pos++;
          this.phase = 'key';
          break;
        case 'key':
          if (!this.readKey()) return;
          break;
        case 'value':
          if (!this.skipValue()) return;
          break;
        case 'vectorsOpen':
          if (this.buf[this.pos] !== LBRACE) this.fail('expected "{" after "vectors"');
          this.pos++;
          this.phase = 'vectors';
          this.sawVectors = true;
          break;
        case 'vectors':
          if (!this.readEntries()) return;
          break;
        case 'done':
          return;
      }
    }
  }

  private readKey(): boolean {
    const c = this.buf[this.pos];
    if (c === RBRACE) {
      this.pos++;
      this.phase = 'done';
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
    if (key === 'vectors') {
      this.phase = 'vectorsOpen';
    } else {
      this.phase = 'value';
      this.skipDepth = 0;
      this.skipInString = false;
      this.skipEscape = false;
      this.skipStarted = false;
      this.skipParts = [];
    }
    return true;
  }

  /** Skips one JSON value of any size across chunks; keeps the text only of the few small numbers we check. */
  private skipValue(): boolean {
    const b = this.buf;
    const start = this.pos;
    let p = this.pos;
    let complete = false;
    let endExclusive = -1;
    for (; p < b.length; p++) {
      const c = b[p]!;
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
      const value = Number(Buffer.concat(this.skipParts).toString('utf8').trim());
      if (Number.isFinite(value)) this.scalars.set(this.key, value);
    }
    this.skipParts = [];
    this.pos = endExclusive;
    this.phase = 'key';
    return true;
  }

  private readEntries(): boolean {
    const b = this.buf;
    for (;;) {
      this.skipWs();
      if (this.pos >= b.length) return false;
      const c = b[this.pos];
      if (c === RBRACE) {
        this.pos++;
        this.phase = 'key';
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
  private readEntry(): boolean {
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
    for (;;) {
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

  private addVector(word: string, n: number): void {
    if (this.dims < 0) {
      if (n < 3) this.fail(`a vector with ${n} numbers`);
      this.dims = n - 2;
    } else if (n !== this.dims + 2) {
      this.fail(`vector of "${word}" has ${n - 2} dimensions, expected ${this.dims}`);
    }
    // Tokenisation only ever produces runs of letters and digits; other entries (punctuation,
    // hyphenated words) could never be looked up and would only cost space.
    if (!VOCAB_WORD.test(word) || Buffer.byteLength(word, 'utf8') > MAX_WORD_BYTES) return;
    const dims = this.dims;
    const i = this.count;
    if (i === this.ranks.length || this.vectors.length === 0) this.grow(Math.max(this.scalars.get('size') ?? 0, i * 2, 1 << 16));
    const nums = this.numbers;
    let maxAbs = 0;
    for (let d = 0; d < dims; d++) maxAbs = Math.max(maxAbs, Math.abs(nums[d]!));
    const scale = maxAbs / 127;
    const base = i * dims;
    if (scale > 0) {
      for (let d = 0; d < dims; d++) this.vectors[base + d] = Math.round(nums[d]! / scale);
    }
    this.scales[i] = scale;
    this.ranks[i] = nums[dims + 1]!;
    this.words.push(word);
    this.count++;
  }

  private grow(capacity: number): void {
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
  private stringEnd(start: number): number {
    const b = this.buf;
    if (b[start] !== QUOTE) this.fail('expected a string');
    for (let p = start + 1; p < b.length; p++) {
      const c = b[p];
      if (c === BACKSLASH) p++;
      else if (c === QUOTE) return p + 1;
    }
    return NEED_MORE;
  }

  private decodeString(start: number, end: number): string {
    const b = this.buf;
    if (b.subarray(start + 1, end - 1).includes(BACKSLASH)) {
      return JSON.parse(b.toString('utf8', start, end)) as string;
    }
    return b.toString('utf8', start + 1, end - 1);
  }

  /** Index just past the number starting at `start`, or NEED_MORE if the chunk ends inside it. */
  private numberEnd(start: number): number {
    const b = this.buf;
    for (let p = start; p < b.length; p++) {
      const c = b[p]!;
      const numeric = (c >= ZERO && c <= NINE) || c === MINUS || c === PLUS || c === DOT || c === LOWER_E || c === UPPER_E;
      if (!numeric) {
        if (p === start) this.fail('expected a number');
        return p;
      }
    }
    return NEED_MORE;
  }

  private parseNumber(start: number, end: number): number {
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
      const c = b[p]!;
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
        const d = b[p]!;
        if (d < ZERO || d > NINE) return this.slowNumber(start, end);
        exponent = exponent * 10 + (d - ZERO);
      }
      if (expNegative) exponent = -exponent;
    }
    // Exact while the mantissa fits in 53 bits and the power of ten is exactly representable.
    const shift = fraction - exponent;
    if (digits === 0 || digits > 15 || shift < -22 || shift > 22) return this.slowNumber(start, end);
    const value = shift >= 0 ? mantissa / POW10[shift]! : mantissa * POW10[-shift]!;
    return negative ? -value : value;
  }

  private slowNumber(start: number, end: number): number {
    const value = Number(this.buf.toString('latin1', start, end));
    if (!Number.isFinite(value)) this.fail('malformed number');
    return value;
  }
}
