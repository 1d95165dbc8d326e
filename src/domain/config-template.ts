/** What each setting does, by dotted path; shown beside its default in the scaffolded config. */
const NOTES: Record<string, string> = {
  standardsDir: 'where the standards live, relative to the project root',
  cacheDir: 'index, databases, locks and hook log (keep it out of git)',
  embeddings: 'the model that turns chunks into vectors',
  'embeddings.provider': 'glove (offline, ships in npm) | transformers (model, modelPath) | openai (model, baseUrl) | none (keyword only)',
  'embeddings.allowRemote': 'transformers: allow downloads from the model hub',
  'embeddings.apiKeyEnv': 'openai: environment variable holding the API key',
  'embeddings.batchSize': 'chunks per embedding call',
  search: 'hybrid ranking: keyword, plus the topic index (or the embedding model\'s vectors before it has one)',
  'search.vectorWeight': 'without a topic index: weight of the vector ranking; keyword gets the rest',
  'search.fusion': 'rrf (reciprocal rank) | linear (weighted scores)',
  'search.rrfK': 'RRF damping constant',
  'search.headingBoost': 'weight of title/heading matches against body text (0: body only)',
  'search.candidates': 'candidates fetched from each index before fusion',
  'search.maxPerFile': 'at most this many results from one file',
  'search.cacheTtlSeconds': 'identical queries are answered from memory this long',
  'search.maxResultChars': 'characters of content per result',
  'search.keywordWinnerRatio': 'a standard whose best keyword match scores this many times any other\'s goes first (0: off)',
  'search.rerank': 'reorders the fused candidates (weights relative to the fused score; 0 turns a feature off)',
  'search.rerank.depth': 'fused candidates whose title and headings are compared with the query',
  'search.rerank.title': 'lift for query words found in the standard\'s title',
  'search.rerank.heading': 'lift for query words found in the section\'s heading path',
  'search.rerank.support': 'share of the scores of the standard\'s other matching sections added to a section',
  'search.rerank.supportFloor': 'only sections scoring at least this share of the best score lend that support',
  'search.rerank.supportSections': 'at most this many of those sections (the strongest) lend it',
  'search.lsa': 'the topic index: LSA fitted to your own standards, kept beside a local index',
  'search.lsa.weight': 'share of the topic ranking (0 turns the topic index off)',
  'search.lsa.embedderWeight': 'share of the embedding model\'s ranking beside it (raise it for a strong model); keyword gets the rest',
  'search.lsa.rerank': 'apply the title and support reranking to rankings with topics',
  'search.lsa.minChunks': 'fewer chunks than this keep no topic index',
  'search.lsa.maxFitChunks': 'the model is fitted on at most this many chunks; the rest are folded in',
  index: 'chunking and storage',
  'index.uri': 'any LanceDB URI, e.g. s3://bucket/agent-os for a shared team index',
  'index.chunkChars': 'soft size of a chunk',
  'index.hardMaxChars': 'a code block is kept whole up to this size',
  'index.maxFileBytes': 'larger files are skipped with a warning',
  'index.debounceMs': 'the watcher waits this long after the last save before re-indexing',
  'index.annMinRows': 'chunks from which vector search uses an approximate (IVF) index instead of an exact scan',
  personas: 'expert persona reviews',
  proposals: 'standards proposed by personas: a branch each, and a draft PR on GitHub',
  'proposals.push': 'auto (when a draft PR can be opened) | always | never',
  'proposals.github': 'draft PRs need a token (tokenEnv) and a GitHub remote, or repository: owner/name',
};

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return /^[A-Za-z0-9_./:@+-]+$/.test(v) && !/^(true|false|null|yes|no|on|off|~)$/i.test(v) && !/^[\d+-]/.test(v) && !/^\.(inf|nan)$/i.test(v) ? v : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(scalar).join(', ')}]`;
  return JSON.stringify(v);
}

function lines(obj: Plain, prefix: string, depth: number): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    const dotted = prefix ? `${prefix}.${key}` : key;
    const note = NOTES[dotted];
    const indent = '  '.repeat(depth);
    if (isPlain(value)) {
      if (depth === 0) out.push('#');
      out.push(`# ${indent}${key}:${note ? `  # ${note}` : ''}`);
      out.push(...lines(value, dotted, depth + 1));
    } else {
      if (depth === 0) out.push('#');
      out.push(`# ${indent}${key}: ${scalar(value)}${note ? `  # ${note}` : ''}`);
    }
  }
  return out;
}

/**
 * The scaffolded `.agent-os/config.yaml`: every setting with its default, commented out, so the
 * file documents the options without pinning today's defaults. Removing the leading `# ` of the
 * setting lines yields a valid config equal to the defaults.
 */
export function renderConfigTemplate(defaults: Plain): string {
  const head = [
    '# agent-os configuration (all optional). The commented settings below are the defaults;',
    '# uncomment and edit the ones you want to change. The environment overrides this file',
    '# (AGENT_OS_EMBEDDINGS, AGENT_OS_EMBEDDINGS_MODEL, AGENT_OS_EMBEDDINGS_MODEL_PATH,',
    '# AGENT_OS_EMBEDDINGS_URL, AGENT_OS_MODEL_CACHE, AGENT_OS_INDEX_URI), and flags override both.',
    '# Check it with `agent-os doctor`.',
  ];
  return `${[...head, ...lines(defaults, '', 0)].join('\n')}\n`;
}
