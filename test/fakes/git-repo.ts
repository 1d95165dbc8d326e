import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BIN, REPO_ROOT, ensureBuilt } from './build.js';

export { BIN, REPO_ROOT, ensureBuilt };

/** Git sees no user or system config (no global core.hooksPath, no templates), only the repo's own. */
export function isolatedGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const empty = path.join(os.tmpdir(), 'agent-os-empty-gitconfig');
  if (!fs.existsSync(empty)) fs.writeFileSync(empty, '');
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: empty,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    AGENT_OS_EMBEDDINGS: 'none',
    LANCEDB_LOG: 'error',
    ...extra,
  };
}

export interface TempRepo {
  root: string;
  env: NodeJS.ProcessEnv;
  /** Run git; throws with its stderr on a non-zero exit. */
  git(...args: string[]): string;
  /** Run git, returning status and output without throwing. */
  tryGit(...args: string[]): { status: number | null; stdout: string; stderr: string };
  write(rel: string, content: string, mode?: number): void;
  read(rel: string): string | null;
  commitAll(message: string): void;
  cleanup(): void;
}

/** A fresh repository on branch main, with an identity, in a temp dir (removed by cleanup). */
export function makeRepo(env: NodeJS.ProcessEnv = isolatedGitEnv()): TempRepo {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-git-')));
  const repo: TempRepo = {
    root,
    env,
    git: (...args) => execFileSync('git', args, { cwd: root, env: repo.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    tryGit: (...args) => {
      const r = spawnSync('git', args, { cwd: root, env: repo.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    write(rel, content, mode) {
      const abs = path.join(root, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
      if (mode !== undefined) fs.chmodSync(abs, mode);
    },
    read(rel) {
      try {
        return fs.readFileSync(path.join(root, rel), 'utf8');
      } catch {
        return null;
      }
    },
    commitAll(message) {
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', message);
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
  repo.git('init', '-q', '-b', 'main');
  repo.git('config', 'user.name', 'Test User');
  repo.git('config', 'user.email', 'test@example.com');
  return repo;
}

/** Run the built CLI. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
