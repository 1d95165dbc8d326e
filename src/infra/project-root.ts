import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AgentOsError } from '../domain/errors.js';

/** The project root: an explicit directory, else the enclosing git work tree, else `cwd`. */
export function resolveProjectRoot(explicit: string | undefined, cwd = process.cwd()): string {
  if (explicit) {
    const abs = path.resolve(cwd, explicit);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
      throw new AgentOsError('BAD_INPUT', `--root ${explicit}: no such directory (${abs}).`);
    }
    return abs;
  }
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
    if (top) return top;
  } catch {
    // Not a git work tree: fall through to cwd.
  }
  return cwd;
}
