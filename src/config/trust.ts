import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AgentOsError, messageOf } from '../domain/errors.js';

/**
 * Settings that decide where credentials go: an endpoint the user's keys are sent to, the name of
 * the environment variable whose value is sent, the repository the user's token acts on, and an
 * object-store index URI (LanceDB signs its requests with the cloud credentials in the environment).
 * A cloned repository's `.agent-os/config.yaml` may set them only once the user has trusted that
 * exact file (`agent-os trust`); the environment, flags and the user-level config always may.
 */
export const CREDENTIAL_SETTINGS = [
  'llm.baseUrl',
  'llm.apiKeyEnv',
  'embeddings.baseUrl',
  'embeddings.apiKeyEnv',
  'proposals.github.apiUrl',
  'proposals.github.tokenEnv',
  'proposals.github.repository',
  'index.uri',
] as const;

type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A remote LanceDB URI (s3://, gs://, az://, db://…); a local path is not a credential route. */
const isRemoteUri = (v: unknown): boolean => typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(v);

function valueAt(layer: Plain, dotted: string): unknown {
  let cur: unknown = layer;
  for (const key of dotted.split('.')) {
    if (!isPlain(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** The credential settings a config layer sets, with their values (index.uri only when remote). */
export function credentialSettingsIn(layer: Plain): Array<{ setting: string; value: unknown }> {
  const found: Array<{ setting: string; value: unknown }> = [];
  for (const setting of CREDENTIAL_SETTINGS) {
    const value = valueAt(layer, setting);
    if (value === undefined) continue;
    if (setting === 'index.uri' && !isRemoteUri(value)) continue;
    found.push({ setting, value });
  }
  return found;
}

/** A copy of `layer` without the named dotted settings (emptied sections are dropped too). */
export function withoutSettings(layer: Plain, settings: readonly string[]): Plain {
  const copy = structuredClone(layer);
  for (const dotted of settings) {
    const keys = dotted.split('.');
    const parents: Plain[] = [];
    let cur: unknown = copy;
    for (const key of keys.slice(0, -1)) {
      if (!isPlain(cur)) break;
      parents.push(cur);
      cur = cur[key];
    }
    if (!isPlain(cur)) continue;
    delete cur[keys[keys.length - 1]!];
    // Leave no empty section behind, so the schema's defaults apply as if it was never written.
    for (let i = parents.length - 1; i >= 0; i--) {
      const child = parents[i]![keys[i]!];
      if (isPlain(child) && Object.keys(child).length === 0) delete parents[i]![keys[i]!];
    }
  }
  return copy;
}

/** Where agent-os keeps per-user files, following the XDG base directories. */
export interface UserDirs {
  /** `$XDG_CONFIG_HOME/agent-os`, else `~/.config/agent-os`. */
  config: string;
  /** `$XDG_STATE_HOME/agent-os`, else `~/.local/state/agent-os`. */
  state: string;
}

export function userDirs(env: NodeJS.ProcessEnv = process.env): UserDirs {
  const home = env['HOME'] || os.homedir();
  // XDG says relative values are invalid and must be ignored.
  const base = (name: string, fallback: string): string => {
    const v = env[name];
    return v && path.isAbsolute(v) ? v : path.join(home, fallback);
  };
  return { config: path.join(base('XDG_CONFIG_HOME', '.config'), 'agent-os'), state: path.join(base('XDG_STATE_HOME', '.local/state'), 'agent-os') };
}

/** The user-level config file (`<config dir>/config.yaml`): same schema as a project's, always trusted. */
export function userConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userDirs(env).config, 'config.yaml');
}

export function sha256File(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

interface TrustEntry {
  sha256: string;
  trustedAt: string;
}

interface TrustFile {
  version: 1;
  /** Keyed by the config file's real absolute path. */
  trusted: Record<string, TrustEntry>;
}

/**
 * The user's trust decisions: which project config files (by real path) were trusted with which
 * content hash. Kept in the user's state directory with mode 0600; another project cannot write it.
 */
export class TrustStore {
  readonly file: string;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.file = path.join(userDirs(env).state, 'trust.json');
  }

  /** The trusted hash recorded for a config file, or null. */
  trustedHash(configFile: string): string | null {
    return this.read().trusted[keyOf(configFile)]?.sha256 ?? null;
  }

  trust(configFile: string, sha256: string, now = new Date()): void {
    const data = this.read();
    data.trusted[keyOf(configFile)] = { sha256, trustedAt: now.toISOString() };
    this.write(data);
  }

  /** Forget a config file; true when it had been trusted. */
  revoke(configFile: string): boolean {
    const data = this.read();
    const key = keyOf(configFile);
    if (!data.trusted[key]) return false;
    delete data.trusted[key];
    this.write(data);
    return true;
  }

  private read(): TrustFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return { version: 1, trusted: {} };
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (isPlain(parsed) && isPlain(parsed['trusted'])) {
        const trusted: Record<string, TrustEntry> = {};
        for (const [k, v] of Object.entries(parsed['trusted'])) {
          if (isPlain(v) && typeof v['sha256'] === 'string') trusted[k] = { sha256: v['sha256'], trustedAt: String(v['trustedAt'] ?? '') };
        }
        return { version: 1, trusted };
      }
    } catch {
      // Fall through: a damaged store trusts nothing.
    }
    return { version: 1, trusted: {} };
  }

  private write(data: TrustFile): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      fs.renameSync(tmp, this.file);
    } catch (e) {
      throw new AgentOsError('IO', `Cannot write the trust store ${this.file}: ${messageOf(e)}`, {
        cause: e,
        hint: 'Check that the directory is writable, or set XDG_STATE_HOME to a directory you own.',
      });
    }
  }
}

function keyOf(configFile: string): string {
  try {
    return fs.realpathSync(configFile);
  } catch {
    return path.resolve(configFile);
  }
}
