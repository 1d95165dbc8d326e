import { defaultRerank } from '../domain/rerank.js';
import { defaultTopicOptions } from '../domain/topics.js';
import { z } from 'zod';

/** Which embedding model turns chunks into vectors. */
export const embeddingSchema = z
  .object({
    /** glove: static word vectors shipped in an npm package (offline default). */
    provider: z.enum(['glove', 'transformers', 'openai', 'none']).default('glove'),
    /** transformers: hub id or folder name under modelPath; openai: model name. */
    model: z.string().min(1).optional(),
    /** transformers: local folder that holds model folders (offline loading). */
    modelPath: z.string().min(1).optional(),
    /** transformers: allow downloading from the model hub when online. */
    allowRemote: z.boolean().default(false),
    /** openai: base URL of an OpenAI-compatible endpoint. */
    baseUrl: z.string().url().optional(),
    /** openai: name of the environment variable holding the key. */
    apiKeyEnv: z.string().default('OPENAI_API_KEY'),
    /** openai / transformers: vector length when it cannot be known before loading. */
    dimensions: z.number().int().positive().optional(),
    /** Where converted model files are kept (default: the user cache dir). */
    cacheDir: z.string().min(1).optional(),
    /** Chunks per embedding call. */
    batchSize: z.number().int().positive().max(2048).default(64),
  })
  .strict();

export const searchSchema = z
  .object({
    /** Weight of the vector ranking in the fused score (keyword gets 1 - this). */
    vectorWeight: z.number().min(0).max(1).default(0.4),
    /** How the two rankings are fused: reciprocal-rank or weighted normalised scores. */
    fusion: z.enum(['rrf', 'linear']).default('rrf'),
    /** RRF damping constant. */
    rrfK: z.number().positive().default(60),
    /** Weight of title/heading matches relative to body matches in keyword search (0: body only). */
    headingBoost: z.number().min(0).max(20).default(2),
    /** Candidates fetched from each index before fusion. */
    candidates: z.number().int().positive().max(1000).default(150),
    /** At most this many results from one file in a result list. */
    maxPerFile: z.number().int().positive().default(1),
    /** Identical queries are answered from memory for this long. */
    cacheTtlSeconds: z.number().int().nonnegative().default(300),
    /** Hard cap on characters of content per result. */
    maxResultChars: z.number().int().positive().default(1000),
    /**
     * A standard whose best keyword match scores at least this many times that of any other standard
     * goes first whatever the other rankings say (0: off).
     */
    keywordWinnerRatio: z.number().min(0).max(100).default(2),
    /** Reordering of the fused top candidates by cheap features (weights relative to the fused score). */
    rerank: z
      .object({
        /** Fused candidates that are reordered. */
        depth: z.number().int().min(1).max(1000).default(defaultRerank.depth),
        /** Weight of the share of query words in the standard's title. */
        title: z.number().min(0).max(5).default(defaultRerank.title),
        /** Weight of the share of query words in the section's heading path. */
        heading: z.number().min(0).max(5).default(defaultRerank.heading),
        /** Share of the fused scores of the standard's other candidate sections added to a section's own. */
        support: z.number().min(0).max(5).default(defaultRerank.support),
        /** Only other sections scoring at least this share of the best fused score lend support. */
        supportFloor: z.number().min(0).max(1).default(defaultRerank.supportFloor),
        /** At most this many other sections of a standard (the strongest) lend support. */
        supportSections: z.number().int().min(0).max(1000).default(defaultRerank.supportSections),
      })
      .strict()
      .default({}),
    /**
     * The topic index: LSA fitted to the project's own chunks, kept beside a local index once it holds
     * `minChunks` chunks, and searched as the semantic ranking (bench/RESULTS.md, 2026-12-02 fourth).
     */
    lsa: z
      .object({
        /** Share of the topic ranking in the fused score; 0 turns the topic index off. */
        weight: z.number().min(0).max(1).default(0.9),
        /** Share of the embedding model's ranking beside it (0: not searched); the keyword ranking gets the rest. */
        embedderWeight: z.number().min(0).max(1).default(0),
        /** Whether the title and support reranking applies to rankings with topics (it was tuned without them). */
        rerank: z.boolean().default(false),
        /** LSA dimensions. */
        dims: z.number().int().min(2).max(400).default(defaultTopicOptions.dims),
        /** Fewer chunks than this keep no topic index. */
        minChunks: z.number().int().min(20).default(defaultTopicOptions.minChunks),
        /** The model is fitted on at most this many chunks, spread over the index; the rest are folded in. */
        maxFitChunks: z.number().int().min(100).max(200_000).default(defaultTopicOptions.maxFitChunks),
      })
      .strict()
      .refine((v) => v.weight + v.embedderWeight <= 1, 'weight + embedderWeight must be at most 1 (the keyword ranking gets the rest)')
      .default({}),
  })
  .strict();

export const indexSchema = z
  .object({
    /** LanceDB URI; relative paths resolve against the project root. */
    uri: z.string().min(1).default('.agent-os/.cache/index'),
    /** Upper bound of characters in one chunk (code blocks are kept whole up to hardMaxChars). */
    chunkChars: z.number().int().min(200).max(20000).default(1000),
    hardMaxChars: z.number().int().min(500).max(100000).default(4000),
    /** Files larger than this are skipped with a warning. */
    maxFileBytes: z.number().int().positive().default(2_000_000),
    /** Watcher debounce. */
    debounceMs: z.number().int().nonnegative().default(150),
    /** Chunks from which vector search uses an approximate (IVF) index instead of comparing every vector. */
    annMinRows: z.number().int().positive().default(20_000),
  })
  .strict();

export const configSchema = z
  .object({
    /** Where standards live, relative to the project root. */
    standardsDir: z.string().min(1).default('.agent-os/standards'),
    /** Cache directory for index, databases and locks, relative to the project root. */
    cacheDir: z.string().min(1).default('.agent-os/.cache'),
    embeddings: embeddingSchema.default({}),
    search: searchSchema.default({}),
    index: indexSchema.default({}),
    personas: z
      .object({
        /** false removes the persona and proposal tools and leaves search working (the spec's rollback plan). */
        enabled: z.boolean().default(true),
        /** Persona jobs run at once. */
        concurrency: z.number().int().min(1).max(64).default(3),
        /** Finished jobs older than this many days are deleted. */
        retentionDays: z.number().positive().default(30),
        /** Tool calls one persona run may make. */
        maxToolCalls: z.number().int().min(0).max(200).default(20),
        /** Model requests in one run before a final answer is demanded. */
        maxTurns: z.number().int().min(1).max(100).default(12),
        /** Output tokens per model request. */
        maxOutputTokens: z.number().int().min(64).max(32_000).default(2000),
        /**
         * Largest briefing (characters) a persona hands back without a model, and the standards
         * selected for a change that seed a model's first request.
         */
        briefingBudgetChars: z.number().int().min(2000).max(100_000).default(8000),
        /** Standards a briefing (and a model's first request) names at most. */
        briefingMaxStandards: z.number().int().min(1).max(20).default(6),
      })
      .strict()
      .default({}),
    proposals: z
      .object({
        /** Proposal branches are `<branchPrefix><domain>/<topic>`. */
        branchPrefix: z
          .string()
          .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/$/, 'a branch name prefix ending in "/", e.g. "agent-os/standard/"')
          .refine((v) => !v.split('/').some((p) => p === '..' || p.startsWith('.') || p.endsWith('.lock')), 'no "..", no parts starting with "." or ending in ".lock"')
          .default('agent-os/standard/'),
        /** Git remote proposals are pushed to. */
        remote: z.string().regex(/^[A-Za-z0-9._-]+$/).default('origin'),
        /** auto: push when a draft pull request can be opened (GitHub remote and token); always; never. */
        push: z.enum(['auto', 'always', 'never']).default('auto'),
        /** Label put on proposal pull requests. */
        label: z.string().min(1).max(50).default('agent-os:standard'),
        github: z
          .object({
            /** `owner/name`; default: read from the remote's URL. */
            repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'owner/name').optional(),
            /** REST API base URL; default GITHUB_API_URL, else https://api.github.com (or https://HOST/api/v3 for GitHub Enterprise). */
            apiUrl: z.string().url().optional(),
            /** Environment variable holding the token. */
            tokenEnv: z.string().min(1).default('GITHUB_TOKEN'),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    llm: z
      .object({
        /** Model name (AGENT_OS_MODEL); no model means persona jobs run in briefing mode. */
        model: z.string().min(1).optional(),
        /** OpenAI-compatible base URL (OPENAI_BASE_URL). */
        baseUrl: z.string().url().optional(),
        /** Name of the environment variable holding the API key. */
        apiKeyEnv: z.string().default('OPENAI_API_KEY'),
        timeoutSeconds: z.number().positive().default(120),
        maxRetries: z.number().int().min(0).max(10).default(3),
      })
      .strict()
      .default({}),
  })
  .strict();

export type AgentOsConfig = z.infer<typeof configSchema>;
export type EmbeddingConfig = z.infer<typeof embeddingSchema>;
export type SearchConfig = z.infer<typeof searchSchema>;
export type IndexConfig = z.infer<typeof indexSchema>;
