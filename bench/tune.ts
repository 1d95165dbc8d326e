/**
 * Retrieval tuning on the dev queries: index the corpus once per chunk size, then grid over fusion
 * settings and reranking weights. Usage: node dist/bench/tune.js [--chunk 800,1000,1400] [--title 0,0.1] [--support 0,0.05] [--support-floor 0,0.5] [--support-sections 10,12]
 * With --expand [--wordnet <dict dir>]: the query-expansion experiment of bench/expand.ts instead.
 * With --lsa [--dims 100,150]: the LSA experiment of bench/lsa.ts instead.
 */
import { createApp } from '../src/app.js';
import { configSchema } from '../src/config/schema.js';
import { defaultRerank } from '../src/domain/rerank.js';
import { LanceStores } from '../src/infra/lance-stores.js';
import { silentLogger } from '../src/ports/logger.js';
import { SearchCache, searchStandards } from '../src/services/search-standards.js';
import { GloveEmbedder } from '../src/infra/embedders/glove/embedder.js';
import { GloveModelLoader } from '../src/infra/embedders/glove/load.js';
import { corpusProject, evaluate, fmt, loadQueries } from './lib.js';

const args = process.argv.slice(2);
if (args.includes('--expand')) {
  const { runExpansionExperiment } = await import('./expand.js');
  const wordnet = args.indexOf('--wordnet');
  await runExpansionExperiment({ wordnetDir: wordnet >= 0 ? args[wordnet + 1] : undefined });
  process.exit(0);
}
if (args.includes('--lsa')) {
  const { runLsaExperiment } = await import('./lsa.js');
  const dims = args.indexOf('--dims');
  await runLsaExperiment({ dims: (dims >= 0 ? args[dims + 1]! : '100,125,150,175,200').split(',').map(Number) });
  process.exit(0);
}
/** Every combination of the given values, one object per combination. */
function product<T extends Record<string, readonly unknown[]>>(axes: T): Array<{ [K in keyof T]: T[K][number] }> {
  let out: Array<Record<string, unknown>> = [{}];
  for (const [name, values] of Object.entries(axes)) out = out.flatMap((partial) => values.map((v) => ({ ...partial, [name]: v })));
  return out as Array<{ [K in keyof T]: T[K][number] }>;
}
function list(flag: string, fallback: string): string[] {
  const i = args.indexOf(flag);
  return (i >= 0 && args[i + 1] ? args[i + 1]! : fallback).split(',');
}
const chunkSizes = list('--chunk', '1000').map(Number);
const boosts = list('--boost', '0,1,2,4').map(Number);
const methods = list('--method', 'rrf,linear') as Array<'rrf' | 'linear'>;
const weights = list('--wv', '0,0.3,0.4,0.5,0.6,1').map(Number);
const perFiles = list('--per', '1,2,5').map(Number);
const candidateCounts = list('--cand', '60').map(Number);
const rrfKs = list('--k', '60').map(Number);
const titleWeights = list('--title', String(defaultRerank.title)).map(Number);
const supportWeights = list('--support', String(defaultRerank.support)).map(Number);
const supportFloors = list('--support-floor', String(defaultRerank.supportFloor)).map(Number);
const supportSections = list('--support-sections', String(defaultRerank.supportSections)).map(Number);
const queries = loadQueries();
const embedder = new GloveEmbedder(new GloveModelLoader());

for (const chunkChars of chunkSizes) {
  const project = corpusProject();
  const config = configSchema.parse({ index: { chunkChars }, search: { cacheTtlSeconds: 0 } });
  const app = createApp({ root: project.root, logger: silentLogger, config, embedder });
  const t0 = Date.now();
  const report = await app.index({ full: true });
  console.log(`chunk ${chunkChars}: ${report.chunksWritten} chunks, index ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const rows: string[] = [];
  for (const headingBoost of boosts) {
    const stores = new LanceStores(app.paths.indexUri, headingBoost);
    const grid = product({ method: methods, vectorWeight: weights, maxPerFile: perFiles, candidates: candidateCounts, k: rrfKs, title: titleWeights, support: supportWeights, supportFloor: supportFloors, sections: supportSections });
    for (const { method, vectorWeight, maxPerFile, candidates, k, title, support, supportFloor, sections } of grid) {
      const rerank = { ...app.searchDeps.tuning.rerank, title, support, supportFloor, supportSections: sections };
      const deps = {
        ...app.searchDeps,
        indexes: stores,
        cache: new SearchCache(),
        tuning: { ...app.searchDeps.tuning, method, vectorWeight, maxPerFile, cacheTtlSeconds: 0, candidates, k, rerank },
      };
      const s = await evaluate(queries, async (q) => (await searchStandards(deps, { query: q, limit: 10 })).results.map((r) => r.file));
      rows.push(`${chunkChars}\t${headingBoost}\t${method}\t${vectorWeight}\t${maxPerFile}\t${candidates}\t${k}\t${title}\t${support}\t${supportFloor}\t${sections}\t${fmt(s.hitAt5)}\t${fmt(s.mrrAt10)}`);
    }
    await stores.close();
  }
  console.log('chunk\tboost\tmethod\twv\tperFile\tcand\tk\ttitle\tsupport\tfloor\tsections\thit5\tmrr10');
  const total = (row: string): number => row.split('\t').slice(-2).reduce((sum, x) => sum + Number(x), 0);
  for (const r of rows.sort((a, b) => total(b) - total(a))) console.log(r);
  await app.close();
  project.cleanup();
}
