import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { AgentOsError, messageOf } from '../../domain/errors.js';
import type { Embedder } from '../../ports/embedder.js';
import { silentLogger, type Logger } from '../../ports/logger.js';

/** Small, widely mirrored sentence-embedding model (384 dimensions, ~90 MB fp32). */
export const DEFAULT_TRANSFORMERS_MODEL = 'Xenova/all-MiniLM-L6-v2';

/** Files transformers.js reads for a feature-extraction model with `dtype: 'fp32'`. */
export const REQUIRED_MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;

/** Vector sizes of common models, so `dimensions` is known before a download. */
const KNOWN_DIMENSIONS: readonly [RegExp, number][] = [
  [/all-minilm-l(6|12)-v2$/i, 384],
  [/paraphrase-multilingual-minilm-l12-v2$/i, 384],
  [/all-mpnet-base-v2$/i, 768],
  [/bge-small-/i, 384],
  [/bge-base-/i, 768],
  [/bge-large-/i, 1024],
  [/e5-small/i, 384],
  [/e5-base/i, 768],
  [/e5-large/i, 1024],
  [/gte-small$/i, 384],
  [/gte-base$/i, 768],
  [/nomic-embed-text-v1(\.5)?$/i, 768],
  [/mxbai-embed-large-v1$/i, 1024],
  [/snowflake-arctic-embed-xs$/i, 384],
  [/snowflake-arctic-embed-s$/i, 384],
  [/snowflake-arctic-embed-m(-v1\.5)?$/i, 768],
];

/** Retrieval models trained with instructions: without them, their query vectors land off target. */
const PREFIXES: readonly [RegExp, { query: string; document: string }][] = [
  [/(^|\/)(multilingual-)?e5-/i, { query: 'query: ', document: 'passage: ' }],
  [/nomic-embed-text/i, { query: 'search_query: ', document: 'search_document: ' }],
  [/bge-(small|base|large)-en/i, { query: 'Represent this sentence for searching relevant passages: ', document: '' }],
  [/mxbai-embed-large|snowflake-arctic-embed/i, { query: 'Represent this sentence for searching relevant passages: ', document: '' }],
];

export interface TransformersEmbedderOptions {
  /** Hub id ("Xenova/all-MiniLM-L6-v2"), folder name under modelPath, or a path to a model folder. */
  model?: string;
  /** Folder that holds model folders; `<modelPath>/<model>/` is tried before the hub. */
  modelPath?: string;
  /** Download from the hub when the model is not found locally. */
  allowRemote?: boolean;
  /** Expected vector length; checked against the model at load. */
  dimensions?: number;
  /** Where downloaded hub files are kept (a `transformers` folder is created inside). */
  cacheDir: string;
  batchSize?: number;
  logger?: Logger;
  /** Loads transformers.js (default: a dynamic import of the optional package). */
  importLibrary?: () => Promise<TransformersLibrary>;
}

/** The package is optional: agent-os does not install it (its onnxruntime install can fail, and weighs ~500 MB). */
export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';
type TransformersLibrary = typeof import('@huggingface/transformers');

/** The optional package, or MODEL_UNAVAILABLE naming what to install when it is absent. */
export async function importTransformers(load: () => Promise<TransformersLibrary> = () => import('@huggingface/transformers')): Promise<TransformersLibrary> {
  try {
    return await load();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new AgentOsError('MODEL_UNAVAILABLE', `embeddings.provider "transformers" needs the package ${TRANSFORMERS_PACKAGE}, which agent-os does not install by default.`, {
        cause: e,
        hint:
          `Install it beside agent-os: \`npm install --save-dev ${TRANSFORMERS_PACKAGE}@3 --onnxruntime-node-install-cuda=skip\` (the flag keeps its onnxruntime from downloading CUDA binaries). ` +
          'Or use the offline default, embeddings.provider "glove".',
      });
    }
    throw new AgentOsError('MODEL_UNAVAILABLE', `${TRANSFORMERS_PACKAGE} could not be loaded: ${messageOf(e)}`, {
      cause: e,
      hint: `Reinstall ${TRANSFORMERS_PACKAGE}, or use embeddings.provider "glove".`,
    });
  }
}

interface OutputTensor {
  data: ArrayLike<number>;
  dims: number[];
}

/** The part of transformers.js's FeatureExtractionPipeline we use (its own typings are very heavy). */
type Extractor = ((texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<OutputTensor>) & {
  dispose(): Promise<void>;
};

/** Where the model comes from, decided once from the options. */
interface ModelSource {
  /** Name passed to transformers.js: a hub id (resolved under localModelPath first) or an absolute folder. */
  name: string;
  /** Folder holding the model files locally, when one is configured. */
  localDir: string | undefined;
  /** Value for env.localModelPath. */
  localRoot: string | undefined;
}

function looksLikePath(model: string): boolean {
  return path.isAbsolute(model) || model.startsWith('./') || model.startsWith('../') || model.startsWith('~');
}

function isHubId(model: string): boolean {
  return /^([\w.-]+\/)?[\w.-]{1,96}$/.test(model) && !model.includes('..') && !model.includes('--');
}

function resolveSource(model: string, modelPath: string | undefined): ModelSource {
  if (looksLikePath(model)) {
    const dir = path.resolve(model.startsWith('~') ? model.replace(/^~/, process.env.HOME ?? '~') : model);
    return { name: dir, localDir: dir, localRoot: path.dirname(dir) };
  }
  if (modelPath !== undefined) {
    const root = path.resolve(modelPath);
    const dir = path.join(root, model);
    // transformers.js resolves non-id names against the working directory, so give it the folder itself.
    return { name: isHubId(model) ? model : dir, localDir: dir, localRoot: root };
  }
  return { name: model, localDir: undefined, localRoot: undefined };
}

/** hidden_size (or its synonyms) from a local config.json, when there is one. */
function readConfigDimensions(dir: string | undefined): number | undefined {
  if (!dir) return undefined;
  try {
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    for (const key of ['hidden_size', 'd_model', 'dim', 'n_embd']) {
      const value = config[key];
      if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    }
  } catch {
    // No readable config: the size is taken from the model at load.
  }
  return undefined;
}

function knownDimensions(model: string): number | undefined {
  return KNOWN_DIMENSIONS.find(([pattern]) => pattern.test(model))?.[1];
}

// transformers.js keeps its settings in one global `env`; loads that change it must not interleave.
let envQueue: Promise<unknown> = Promise.resolve();

function withEnvLock<T>(task: () => Promise<T>): Promise<T> {
  const run = envQueue.then(task, task);
  envQueue = run.catch(() => undefined);
  return run;
}

/** Sentence embeddings from a transformers.js (ONNX) encoder: mean pooling over tokens, L2-normalised. */
export class TransformersEmbedder implements Embedder {
  readonly id: string;
  readonly model: string;
  private readonly source: ModelSource;
  private readonly allowRemote: boolean;
  private readonly batchSize: number;
  private readonly logger: Logger;
  private readonly importLibrary: (() => Promise<TransformersLibrary>) | undefined;
  private readonly cacheDir: string;
  private readonly configuredDimensions: number | undefined;
  private readonly prefixes: { query: string; document: string };
  private dims: number;
  private extractor: Promise<Extractor> | undefined;

  constructor(options: TransformersEmbedderOptions) {
    this.model = options.model ?? DEFAULT_TRANSFORMERS_MODEL;
    this.source = resolveSource(this.model, options.modelPath);
    this.allowRemote = options.allowRemote ?? false;
    this.batchSize = options.batchSize ?? 32;
    this.logger = options.logger ?? silentLogger;
    this.cacheDir = path.resolve(options.cacheDir, 'transformers');
    this.configuredDimensions = options.dimensions;
    this.importLibrary = options.importLibrary;
    this.dims = options.dimensions ?? readConfigDimensions(this.source.localDir) ?? knownDimensions(this.model) ?? 0;
    this.prefixes = PREFIXES.find(([pattern]) => pattern.test(this.model))?.[1] ?? { query: '', document: '' };
    const name = looksLikePath(this.model) ? path.basename(this.source.localDir ?? this.model) : this.model;
    this.id = `transformers-${name}-mean-v1`;
  }

  /** Vector length; 0 only when neither config nor model name tell it before load(). */
  get dimensions(): number {
    return this.dims;
  }

  async load(): Promise<void> {
    await this.pipeline();
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    return this.embed(texts.map((t) => this.prefixes.document + t));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embed([this.prefixes.query + text]);
    return vector!;
  }

  /** Releases the ONNX session; the next embed loads the model again. */
  async dispose(): Promise<void> {
    const pending = this.extractor;
    this.extractor = undefined;
    if (pending) await (await pending.catch(() => undefined))?.dispose();
  }

  private async embed(texts: string[]): Promise<Float32Array[]> {
    const extractor = await this.pipeline();
    const out = new Array<Float32Array>(texts.length);
    // Batches pad to their longest text; grouping texts of similar length wastes less compute.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const idx = order.slice(start, start + this.batchSize);
      const vectors = await this.run(extractor, idx.map((i) => texts[i]!));
      idx.forEach((i, k) => (out[i] = vectors[k]!));
    }
    return out;
  }

  private async run(extractor: Extractor, batch: string[]): Promise<Float32Array[]> {
    let tensor: OutputTensor;
    try {
      tensor = await extractor(batch, { pooling: 'mean', normalize: true });
    } catch (e) {
      throw new AgentOsError('MODEL_UNAVAILABLE', `The transformers model ${this.model} failed to embed text: ${messageOf(e)}`, {
        cause: e,
        hint: 'The model folder may hold an incompatible model; use a sentence-embedding (feature-extraction) ONNX export.',
      });
    }
    const [rows, width] = tensor.dims;
    if (tensor.dims.length !== 2 || rows !== batch.length || !width) {
      throw new AgentOsError('MODEL_UNAVAILABLE', `The transformers model ${this.model} returned an output of shape [${tensor.dims.join(', ')}].`, {
        hint: 'Use a model whose ONNX export outputs last_hidden_state [batch, tokens, hidden].',
      });
    }
    const data = tensor.data;
    const vectors: Float32Array[] = [];
    for (let r = 0; r < rows; r++) {
      vectors.push(data instanceof Float32Array ? data.slice(r * width, (r + 1) * width) : Float32Array.from({ length: width }, (_, d) => data[r * width + d]!));
    }
    return vectors;
  }

  private pipeline(): Promise<Extractor> {
    this.extractor ??= this.createPipeline().catch((e: unknown) => {
      this.extractor = undefined;
      throw e;
    });
    return this.extractor;
  }

  private where(): string {
    if (this.source.localDir && this.allowRemote) return `${this.source.localDir} or the model hub (${this.model})`;
    return this.source.localDir ?? `the model hub (${this.model})`;
  }

  private checkLocalFiles(): void {
    const dir = this.source.localDir;
    if (this.allowRemote) return;
    if (!dir) {
      throw new AgentOsError('MODEL_UNAVAILABLE', `No local folder is configured for the transformers model ${this.model}, and downloads are disabled.`, {
        hint: `Set embeddings.modelPath to a folder containing ${this.model}/ (${REQUIRED_MODEL_FILES.join(', ')}), or set embeddings.allowRemote to true to download it once into ${this.cacheDir}.`,
      });
    }
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new AgentOsError('MODEL_UNAVAILABLE', `Model folder not found: ${dir}`, {
        hint: `Copy the model there (${REQUIRED_MODEL_FILES.join(', ')}), e.g. from https://huggingface.co/${isHubId(this.model) ? this.model : '<model id>'}, fix embeddings.modelPath / embeddings.model, or set embeddings.allowRemote to true to download it.`,
      });
    }
    const missing = REQUIRED_MODEL_FILES.filter((f) => !existsSync(path.join(dir, f)));
    if (missing.length > 0) {
      throw new AgentOsError('MODEL_UNAVAILABLE', `Model folder ${dir} is missing ${missing.join(', ')}.`, {
        hint: 'Add the missing files (an fp32 ONNX export must be at onnx/model.onnx), or set embeddings.allowRemote to true to fetch the model from the hub.',
      });
    }
  }

  private async createPipeline(): Promise<Extractor> {
    this.checkLocalFiles();
    const started = Date.now();
    let extractor: Extractor;
    try {
      extractor = await withEnvLock(async () => {
        const transformers = await importTransformers(this.importLibrary);
        const { env } = transformers;
        env.allowLocalModels = true;
        env.allowRemoteModels = this.allowRemote;
        // Always set: a folder left behind by another embedder's load must not shadow this model.
        env.localModelPath = `${this.source.localRoot ?? path.join(this.cacheDir, 'local')}${path.sep}`;
        env.cacheDir = this.cacheDir;
        const created = await transformers.pipeline('feature-extraction', this.source.name, {
          dtype: 'fp32',
          device: 'cpu',
          subfolder: 'onnx',
          model_file_name: 'model',
          local_files_only: !this.allowRemote,
          cache_dir: this.cacheDir,
        });
        return created as unknown as Extractor;
      });
    } catch (e) {
      throw this.loadError(e);
    }

    // One real inference proves the graph runs and tells the true vector size.
    const probe = await this.run(extractor, ['dimension probe']).catch(async (e: unknown) => {
      await extractor.dispose().catch(() => {});
      throw e;
    });
    const actual = probe[0]!.length;
    const expected = this.configuredDimensions;
    if (expected !== undefined && expected !== actual) {
      await extractor.dispose().catch(() => {});
      throw new AgentOsError('CONFIG', `The transformers model ${this.model} produces ${actual}-dimensional vectors, but embeddings.dimensions is ${expected}.`, {
        hint: `Set embeddings.dimensions to ${actual} (or remove it) in the agent-os config.`,
      });
    }
    if (this.dims !== 0 && this.dims !== actual) {
      this.logger.warn('transformers model size differs from its config; using the model output', { model: this.model, expected: this.dims, actual });
    }
    this.dims = actual;
    this.logger.info('transformers model loaded', { model: this.model, from: this.where(), dimensions: actual, ms: Date.now() - started });
    return extractor;
  }

  private loadError(e: unknown): AgentOsError {
    // Already explained (e.g. the optional package is not installed).
    if (e instanceof AgentOsError) return e;
    const msg = messageOf(e);
    const where = this.where();
    let hint: string;
    if (/protobuf|Load model|onnx|InferenceSession|invalid model/i.test(msg)) {
      hint = `onnx/model.onnx is not a loadable ONNX model. Replace it with an fp32 export of the model (e.g. \`optimum-cli export onnx --model <id> <folder>\`), or fetch the model again.`;
    } else if (/fetch failed|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network/i.test(msg)) {
      hint = 'The model hub is unreachable. Download the model folder where there is network access and point embeddings.modelPath at it.';
    } else if (/not found locally|local_files_only|allowRemoteModels=false|Local file missing/i.test(msg)) {
      hint = `Put the model files (${REQUIRED_MODEL_FILES.join(', ')}) in the folder, or set embeddings.allowRemote to true.`;
    } else if (/Unsupported model type/i.test(msg)) {
      hint = 'transformers.js does not support this architecture; pick a BERT-, MPNet-, XLM-R- or similar encoder model.';
    } else {
      hint = `Check that the folder holds a transformers.js feature-extraction model (${REQUIRED_MODEL_FILES.join(', ')}).`;
    }
    return new AgentOsError('MODEL_UNAVAILABLE', `Could not load the transformers model ${this.model} from ${where}: ${msg}`, { cause: e, hint });
  }
}
