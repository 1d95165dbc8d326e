import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { ZodError } from 'zod';
import { AgentOsError } from '../domain/errors.js';
import { configSchema, type AgentOsConfig } from './schema.js';

export const CONFIG_FILE = '.agent-os/config.yaml';

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where later layers win; arrays and scalars replace. */
export function mergeLayers(...layers: Plain[]): Plain {
  const out: Plain = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      out[k] = isPlain(v) && isPlain(out[k]) ? mergeLayers(out[k] as Plain, v) : v;
    }
  }
  return out;
}

/** Settings taken from the environment; names are part of the documented contract. */
export function envLayer(env: NodeJS.ProcessEnv): Plain {
  const layer: Plain = {};
  const embeddings: Plain = {};
  if (env['AGENT_OS_EMBEDDINGS']) embeddings['provider'] = env['AGENT_OS_EMBEDDINGS'];
  if (env['AGENT_OS_EMBEDDINGS_MODEL']) embeddings['model'] = env['AGENT_OS_EMBEDDINGS_MODEL'];
  if (env['AGENT_OS_EMBEDDINGS_MODEL_PATH']) embeddings['modelPath'] = env['AGENT_OS_EMBEDDINGS_MODEL_PATH'];
  if (env['AGENT_OS_EMBEDDINGS_URL']) embeddings['baseUrl'] = env['AGENT_OS_EMBEDDINGS_URL'];
  if (env['AGENT_OS_MODEL_CACHE']) embeddings['cacheDir'] = env['AGENT_OS_MODEL_CACHE'];
  if (Object.keys(embeddings).length) layer['embeddings'] = embeddings;
  if (env['AGENT_OS_INDEX_URI']) layer['index'] = { uri: env['AGENT_OS_INDEX_URI'] };
  const llm: Plain = {};
  if (env['AGENT_OS_MODEL']) llm['model'] = env['AGENT_OS_MODEL'];
  if (env['OPENAI_BASE_URL']) llm['baseUrl'] = env['OPENAI_BASE_URL'];
  if (Object.keys(llm).length) layer['llm'] = llm;
  return layer;
}

function formatZod(error: ZodError, source: string): AgentOsError {
  const lines = error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  return new AgentOsError('CONFIG', `Invalid configuration (${source}):\n${lines.join('\n')}`, {
    hint: `Fix the settings above in ${CONFIG_FILE} or the environment.`,
  });
}

/** Read `.agent-os/config.yaml` if present; never writes anything. */
export function readConfigFile(root: string): Plain {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (e) {
    throw new AgentOsError('CONFIG', `${CONFIG_FILE} is not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlain(parsed)) throw new AgentOsError('CONFIG', `${CONFIG_FILE} must hold a mapping of settings.`);
  return parsed;
}

/** Defaults < config file < environment < flags, validated once. */
export function loadConfig(root: string, options: { env?: NodeJS.ProcessEnv; flags?: Plain } = {}): AgentOsConfig {
  const merged = mergeLayers(readConfigFile(root), envLayer(options.env ?? process.env), options.flags ?? {});
  const result = configSchema.safeParse(merged);
  if (!result.success) throw formatZod(result.error, `${CONFIG_FILE}, environment and flags`);
  return result.data;
}
