import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { ZodError } from 'zod';
import { AgentOsError } from '../domain/errors.js';
import { configSchema, type AgentOsConfig } from './schema.js';
import { credentialSettingsIn, sha256File, TrustStore, userConfigFile, withoutSettings } from './trust.js';

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

interface ConfigText {
  file: string;
  text: string;
  layer: Plain;
}

/** A YAML config file if present (null when missing); never writes anything. */
function readYamlFile(file: string, label: string): ConfigText | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text, { schema: 'core', maxAliasCount: 50 });
  } catch (e) {
    throw new AgentOsError('CONFIG', `${label} is not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  if (parsed === null || parsed === undefined) return { file, text, layer: {} };
  if (!isPlain(parsed)) throw new AgentOsError('CONFIG', `${label} must hold a mapping of settings.`);
  return { file, text, layer: parsed };
}

/** Read `.agent-os/config.yaml` if present; never writes anything. */
export function readConfigFile(root: string): Plain {
  return readYamlFile(path.join(root, CONFIG_FILE), CONFIG_FILE)?.layer ?? {};
}

/** How far a project's config file is trusted to route credentials. */
export interface ProjectTrust {
  /** Absolute path of `.agent-os/config.yaml`, or null when the project has none. */
  file: string | null;
  /**
   * none: no file; not-needed: it sets no credential settings; trusted: this exact content was
   * trusted (`agent-os trust`) or the caller trusts it (the Action's base commit); untrusted: never
   * trusted; changed: trusted once, with other content.
   */
  state: 'none' | 'not-needed' | 'trusted' | 'untrusted' | 'changed';
  /** Credential settings the file sets that were ignored (empty unless untrusted or changed). */
  ignored: string[];
  /** sha256 of the file's bytes. */
  sha256: string | null;
}

export interface LoadedConfig {
  config: AgentOsConfig;
  trust: ProjectTrust;
  /** The user-level config file, when it exists. */
  userFile: string | null;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  flags?: Plain;
  /** Trust the project's config without asking the trust store (the Action's base commit: the repository's reviewed state). */
  trustProject?: boolean;
}

/**
 * Defaults < user config < project config < environment < flags, validated once. The project
 * config's credential settings (endpoints, secret variable names) count only when that exact file is
 * trusted; otherwise they are left out and named in `trust.ignored`.
 */
export function resolveConfig(root: string, options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const userPath = userConfigFile(env);
  const user = readYamlFile(userPath, userPath);
  const project = readYamlFile(path.join(root, CONFIG_FILE), CONFIG_FILE);
  let projectLayer: Plain = project?.layer ?? {};
  let trust: ProjectTrust = { file: null, state: 'none', ignored: [], sha256: null };
  if (project) {
    const sha256 = sha256File(project.text);
    const routed = credentialSettingsIn(project.layer).map((s) => s.setting);
    let state: ProjectTrust['state'];
    if (routed.length === 0) state = 'not-needed';
    else if (options.trustProject) state = 'trusted';
    else {
      const recorded = new TrustStore(env).trustedHash(project.file);
      state = recorded === sha256 ? 'trusted' : recorded ? 'changed' : 'untrusted';
    }
    const ignored = state === 'untrusted' || state === 'changed' ? routed : [];
    if (ignored.length) projectLayer = withoutSettings(projectLayer, ignored);
    trust = { file: path.resolve(project.file), state, ignored, sha256 };
  }
  const merged = mergeLayers(user?.layer ?? {}, projectLayer, envLayer(env), options.flags ?? {});
  const result = configSchema.safeParse(merged);
  if (!result.success) throw formatZod(result.error, `${user ? `${userPath}, ` : ''}${CONFIG_FILE}, environment and flags`);
  return { config: result.data, trust, userFile: user ? userPath : null };
}

/** Defaults < user config < project config (credential settings only when trusted) < environment < flags. */
export function loadConfig(root: string, options: LoadOptions = {}): AgentOsConfig {
  return resolveConfig(root, options).config;
}

/** The warning for ignored credential settings, naming them and the fix; null when nothing was ignored. */
export function trustWarning(trust: ProjectTrust): string | null {
  if (trust.ignored.length === 0) return null;
  const why = trust.state === 'changed' ? 'has changed since you trusted it' : 'is not trusted';
  return (
    `${CONFIG_FILE} ${why}, so its ${trust.ignored.join(', ')} ${trust.ignored.length === 1 ? 'setting is' : 'settings are'} ignored: ` +
    'a repository\'s config may not choose where your credentials are sent until you trust it. ' +
    'Review the file, then run `agent-os trust`; or set these in the environment or in your user config ' +
    `(${'$XDG_CONFIG_HOME'}/agent-os/config.yaml).`
  );
}

/** The project's effective configuration; `warn` hears why settings of an untrusted config were ignored. */
export function loadProjectConfig(root: string, env: NodeJS.ProcessEnv, warn: (message: string) => void): AgentOsConfig {
  const loaded = resolveConfig(root, { env });
  const warning = trustWarning(loaded.trust);
  if (warning) warn(warning);
  return loaded.config;
}

/** What `agent-os trust` did or found. */
export interface TrustReport {
  /** Absolute path of the project's config file, or null when there is none. */
  file: string | null;
  action: 'trusted' | 'already-trusted' | 'revoked' | 'not-trusted' | 'status' | 'no-config';
  /** The file's state before the action. */
  state: ProjectTrust['state'];
  sha256: string | null;
  /** The credential settings the file sets, with their values: what trusting it lets it decide. */
  settings: Array<{ setting: string; value: unknown }>;
  /** Where the decision is kept. */
  store: string;
}

/**
 * Trust (or revoke, or show) the exact content of a project's `.agent-os/config.yaml`. Trusting
 * validates the file first: an invalid config is refused rather than recorded.
 */
export function trustProjectConfig(root: string, action: 'trust' | 'revoke' | 'status', env: NodeJS.ProcessEnv = process.env): TrustReport {
  const store = new TrustStore(env);
  const project = readYamlFile(path.join(root, CONFIG_FILE), CONFIG_FILE);
  if (!project) return { file: null, action: 'no-config', state: 'none', sha256: null, settings: [], store: store.file };
  const file = path.resolve(project.file);
  const sha256 = sha256File(project.text);
  const settings = credentialSettingsIn(project.layer);
  const recorded = store.trustedHash(file);
  const state: ProjectTrust['state'] = recorded === sha256 ? 'trusted' : recorded ? 'changed' : settings.length ? 'untrusted' : 'not-needed';
  const base = { file, state, sha256, settings, store: store.file };
  if (action === 'status') return { ...base, action: 'status' };
  if (action === 'revoke') return { ...base, action: store.revoke(file) ? 'revoked' : 'not-trusted' };
  if (recorded === sha256) return { ...base, action: 'already-trusted' };
  const valid = configSchema.safeParse(project.layer);
  if (!valid.success) throw formatZod(valid.error, CONFIG_FILE);
  store.trust(file, sha256);
  return { ...base, action: 'trusted' };
}
