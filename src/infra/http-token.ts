import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AgentOsError, messageOf } from '../domain/errors.js';

/** The bearer token `serve --http` requires, and where it came from. */
export interface HttpToken {
  token: string;
  /** env: AGENT_OS_HTTP_TOKEN; generated: made at start and written to `file`. */
  source: 'env' | 'generated';
  /** The file holding a generated token (mode 0600). */
  file: string | null;
}

export const HTTP_TOKEN_ENV = 'AGENT_OS_HTTP_TOKEN';
/** Shorter tokens are refused: a local attacker could guess them. */
const MIN_TOKEN_CHARS = 16;

/**
 * AGENT_OS_HTTP_TOKEN when set; otherwise a fresh random token, written to `<cacheDir>/http-token`
 * with mode 0600 (replacing any earlier file, so its mode cannot have been loosened by someone else).
 */
export function resolveHttpToken(env: NodeJS.ProcessEnv, cacheDir: string): HttpToken {
  const given = env[HTTP_TOKEN_ENV];
  if (given !== undefined && given !== '') {
    if (given.trim().length < MIN_TOKEN_CHARS || /\s/.test(given)) {
      throw new AgentOsError('CONFIG', `${HTTP_TOKEN_ENV} must be at least ${MIN_TOKEN_CHARS} characters without spaces.`, {
        hint: `Use a random value, e.g. \`export ${HTTP_TOKEN_ENV}=$(openssl rand -hex 32)\`, or unset it to have one generated.`,
      });
    }
    return { token: given, source: 'env', file: null };
  }
  const token = randomBytes(32).toString('base64url');
  const file = path.join(cacheDir, 'http-token');
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    // `wx`: never write through a file or link someone placed at the temporary name.
    fs.writeFileSync(tmp, `${token}\n`, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    throw new AgentOsError('IO', `Cannot write the HTTP token file ${file}: ${messageOf(e)}`, {
      cause: e,
      hint: `Set ${HTTP_TOKEN_ENV} to a token of your own instead.`,
    });
  }
  return { token, source: 'generated', file };
}

/** Compares an Authorization header with the token in constant time (digests hide the length too). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (typeof header !== 'string') return false;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const given = createHash('sha256').update(m?.[1] ?? '').digest();
  const wanted = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, wanted) && m !== null;
}
