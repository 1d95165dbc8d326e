/**
 * LSA experiment: a truncated SVD of the corpus's own chunks (src/domain/lsa.ts) as the semantic
 * retriever, fused with keyword search, against today's hybrid (keyword + GloVe), over several
 * dimensions. Scored on the dev queries, on the developer questions of bench/queries (never tuned on)
 * and on the team standards. Usage: npm run tune -- --lsa [--dims 100,125,150,175,200]
 */
import { diversify, fuseLists, type Ranked, type WeightedList } from '../src/domain/fusion.js';
import { rerank } from '../src/domain/rerank.js';
import { buildTopics, searchTopics } from '../src/domain/topics.js';
import { GloveEmbedder } from '../src/infra/embedders/glove/embedder.js';
import { GloveModelLoader } from '../src/infra/embedders/glove/load.js';
import { openExperimentCorpus } from './experiment-corpus.js';
import { DEVELOPER_QUESTIONS, fmt, loadQueries, median, TEAM_STANDARDS } from './lib.js';

interface Case {
  query: string;
  relevant: readonly string[];
}

export async function runLsaExperiment(opts: { dims: number[] }): Promise<void> {
  const sets: Array<[string, Case[]]> = [
    ['dev', loadQueries()],
    ['developer questions', loadQueries(DEVELOPER_QUESTIONS)],
    ['team standards', TEAM_STANDARDS.map((t) => ({ query: t.query, relevant: [t.file] }))],
  ];
  const embedder = new GloveEmbedder(new GloveModelLoader());
  const { app, store, close } = await openExperimentCorpus(embedder);
  const chunks = await store.topicChunks();
  const tuning = app.searchDeps.tuning;
  const wv = tuning.vectorWeight;

  const lists = new Map<string, { keyword: Ranked[]; vector: Ranked[] }>();
  for (const [, cases] of sets) {
    for (const c of cases) {
      if (lists.has(c.query)) continue;
      lists.set(c.query, {
        keyword: await store.keywordSearch(c.query, tuning.candidates, {}),
        vector: await store.vectorSearch(await embedder.embedQuery(c.query), tuning.candidates, {}),
      });
    }
  }
  const files = (ranked: readonly Ranked[]): string[] => diversify(ranked, 1).map((r) => r.chunk.file);
  const score = (cases: readonly Case[], rank: (q: string) => string[]): string => {
    let hit = 0;
    let rr = 0;
    for (const c of cases) {
      const i = rank(c.query).slice(0, 10).findIndex((f) => c.relevant.includes(f));
      if (i >= 0 && i < 5) hit++;
      if (i >= 0) rr += 1 / (i + 1);
    }
    return `${fmt(hit / cases.length)} / ${fmt(rr / cases.length)}`;
  };
  const first = (rank: (q: string) => string[]): string => `${TEAM_STANDARDS.filter((t) => rank(t.query)[0] === t.file).length} of ${TEAM_STANDARDS.length} first`;
  const line = (name: string, rank: (q: string) => string[]): void => {
    const [dev, devq] = [sets[0]![1], sets[1]![1]];
    console.log(`| ${name} | ${score(dev, rank)} | ${score(devq, rank)} | ${first(rank)} |`);
  };
  console.log(`${chunks.length} chunks, ${new Set(chunks.map((c) => c.ref.file)).size} standards`);
  console.log('| retrieval | dev Hit@5 / MRR | developer questions Hit@5 / MRR | team standards |');
  console.log('|---|---|---|---|');
  line('today: keyword + GloVe, reranked', (q) => {
    const l = lists.get(q)!;
    return files(rerank(fuseLists([{ ranked: l.keyword, weight: 1 - wv }, { ranked: l.vector, weight: wv }], tuning), q, tuning.rerank));
  });
  line('keyword only, reranked', (q) => files(rerank(fuseLists([{ ranked: lists.get(q)!.keyword, weight: 1 }], tuning), q, { ...tuning.rerank, support: 0 })));

  for (const dims of opts.dims) {
    // The product's own topic index, fitted on every chunk (the corpus is below its sampling limit).
    const topicOpts = { dims, minChunks: 1, maxFitChunks: chunks.length };
    const buildTimes: number[] = [];
    let topics = buildTopics(chunks, topicOpts, 'experiment');
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      topics = buildTopics(chunks, topicOpts, 'experiment');
      buildTimes.push(performance.now() - t0);
    }
    const lsaList = new Map([...lists.keys()].map((q) => [q, searchTopics(topics!, q, tuning.candidates)]));
    console.log(`| **${dims} dimensions** (fit and fold-in of every chunk ${fmt(median(buildTimes) / 1000, 2)} s) | | | |`);
    const fused = (q: string, w: readonly [number, number, number]): Ranked[] => {
      const l = lists.get(q)!;
      const parts: WeightedList[] = [
        { ranked: l.keyword, weight: w[0] },
        { ranked: l.vector, weight: w[1] },
        { ranked: lsaList.get(q)!, weight: w[2] },
      ];
      return fuseLists(parts, tuning);
    };
    line('LSA alone', (q) => files(lsaList.get(q)!));
    for (const w of [[0.1, 0, 0.9], [0.2, 0, 0.8], [0.06, 0.04, 0.9], [0.3, 0.2, 0.5]] as const) {
      line(`keyword ${w[0]}, GloVe ${w[1]}, LSA ${w[2]}`, (q) => files(fused(q, w)));
      line(`keyword ${w[0]}, GloVe ${w[1]}, LSA ${w[2]}, titles 0.15`, (q) => files(rerank(fused(q, w), q, { ...tuning.rerank, title: 0.15, support: 0 })));
    }
  }
  await close();
}
