import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { tokenizeText } from '../../src/domain/tokenize.js';
import { convertWinkJson, GloveFormatError } from '../../src/infra/embedders/glove/convert.js';
import { loadGloveModel } from '../../src/infra/embedders/glove/load.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-os-glove-unit-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A deterministic pseudo-random 100-d vector per word, as JSON number text. */
function vectorText(seed: number): string[] {
  let x = seed * 7919 + 17;
  return Array.from({ length: 100 }, () => {
    x = (x * 48271) % 2147483647;
    return ((x / 2147483647) * 2 - 1).toFixed(5);
  });
}

/**
 * A small file in the wink format with the awkward parts of real JSON: escaped keys, exponents,
 * punctuation and hyphenated words (which must be dropped), odd whitespace, "vectors" not last.
 */
function winkSource(): { json: string; kept: string[] } {
  const words = ['the', ',', 'password', 'hashing', 'r\\u00e9sum\\u00e9', 'café', 'well-known', '\\"', 'kubernetes', 'x'];
  const decoded = ['the', ',', 'password', 'hashing', 'résumé', 'café', 'well-known', '"', 'kubernetes', 'x'];
  const entries = words.map((w, i) => {
    let numbers = vectorText(i);
    // résumé: exponent forms; the largest magnitude decides the int8 scale.
    if (decoded[i] === 'résumé') numbers = ['-2.5E+1', '1.25e1', '1e-05', ...Array.from({ length: 97 }, () => '0')];
    return `"${w}" : [ ${[...numbers, '3.14159', String(i)].join(' ,\n')} ]`;
  });
  const json =
    `{"precision":8, "l2NormIndex":100,"wordIndex":101,\n "size": ${words.length}, ` +
    `"words": [${words.map((w) => `"${w}"`).join(',')}],\n` +
    `"vectors": {\n${entries.join(',\n  ')}\n},\r\n "dimensions":100, "unkVector":[${Array(101).fill('0').join(',')},-1]}\n`;
  return { json, kept: ['the', 'password', 'hashing', 'résumé', 'café', 'kubernetes', 'x'] };
}

describe('tokenizeText', () => {
  it('splits camelCase, snake_case and kebab-case and lower-cases', () => {
    expect(tokenizeText('hashPassword user_credentials rate-limit XMLHttpRequest')).toEqual([
      'hash',
      'password',
      'user',
      'credentials',
      'rate',
      'limit',
      'xml',
      'http',
      'request',
    ]);
  });

  it('keeps a compound whole when the vocabulary knows it', () => {
    const known = new Set(['javascript']);
    expect(tokenizeText('JavaScript getUser', (w) => known.has(w))).toEqual(['javascript', 'get', 'user']);
  });

  it('drops URLs, link targets, HTML tags, entities, e-mails, fences, ids and one-letter words', () => {
    const md = [
      '```ts',
      'See [the guide](https://example.com/guide?ref=docs) and <br/> www.example.org &nbsp; ops@example.com',
      '[ref]: https://example.com/ref',
      'commit 3f9a2c1d7e build 1234567 a b',
      '```',
    ].join('\n');
    expect(tokenizeText(md)).toEqual(['see', 'the', 'guide', 'and', 'commit', 'build']);
  });
});

describe('GloVe conversion', () => {
  it('parses the wink format the same way whatever the chunk size, and keeps only letter/digit words', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'vectors.json');
    const { json, kept } = winkSource();
    writeFileSync(src, json);

    await convertWinkJson(src, path.join(dir, 'big.bin'));
    await convertWinkJson(src, path.join(dir, 'tiny.bin'), { chunkBytes: 7 });
    expect(readFileSync(path.join(dir, 'tiny.bin')).equals(readFileSync(path.join(dir, 'big.bin')))).toBe(true);

    const model = await loadGloveModel(path.join(dir, 'big.bin'));
    expect(model.vocabularySize).toBe(kept.length);
    for (const w of kept) expect(model.has(w)).toBe(true);
    for (const w of [',', 'well-known', '"', 'zebra']) expect(model.has(w)).toBe(false);

    const v = model.wordVector('résumé')!;
    // int8 with scale 25/127: each component is within half a step of the source value.
    const step = 25 / 127;
    expect(Math.abs(v[0]! + 25)).toBeLessThanOrEqual(step / 2 + 1e-6);
    expect(Math.abs(v[1]! - 12.5)).toBeLessThanOrEqual(step / 2 + 1e-6);
    expect(Math.abs(v[2]!)).toBeLessThanOrEqual(step / 2);
  });

  it('refuses a truncated source without leaving a file behind', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'broken.json');
    const { json } = winkSource();
    writeFileSync(src, json.slice(0, Math.floor(json.length * 0.6)));
    const err = await convertWinkJson(src, path.join(dir, 'out.bin')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GloveFormatError);
    expect(String((err as Error).message)).toMatch(/ended unexpectedly/);
    expect(readdirSync(dir)).toEqual(['broken.json']);
  });

  it('refuses vectors of another size before writing a file', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'small.json');
    writeFileSync(src, '{"dimensions":3,"vectors":{"alpha":[1,2,3,3.7,0],"beta":[3,2,1,3.7,1]}}');
    const err = await convertWinkJson(src, path.join(dir, 'out.bin')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GloveFormatError);
    expect(String((err as Error).message)).toMatch(/3 dimensions/);
    expect(readdirSync(dir)).toEqual(['small.json']);
  });

  it('reports a missing source file', async () => {
    const dir = tempDir();
    const err = await convertWinkJson(path.join(dir, 'nope.json'), path.join(dir, 'out.bin')).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
