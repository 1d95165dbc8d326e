import fs from 'node:fs';
import path from 'node:path';
import { AgentOsError } from '../domain/errors.js';
import { runGitSync } from './git-runner.js';

/** The project root: an explicit directory, else the enclosing git work tree, else `cwd`. */
export function resolveProjectRoot(explicit: string | undefined, cwd = process.cwd()): string {
  if (explicit) {
    const abs = path.resolve(cwd, explicit);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
      throw new AgentOsError('BAD_INPUT', `--root ${explicit}: no such directory (${abs}).`);
    }
    return abs;
  }
  const r = runGitSync(['rev-parse', '--show-toplevel'], { cwd });
  const top = r.code === 0 ? r.stdout.trim() : '';
  // Not a git work tree (or no git): cwd.
  return top || cwd;
}

/** What makes a directory a project: it is in a git work tree, or it holds `.agent-os/`. */
export function projectMarkers(root: string): { git: boolean; agentOs: boolean } {
  let agentOs = false;
  try {
    agentOs = fs.statSync(path.join(root, '.agent-os')).isDirectory();
  } catch {
    agentOs = false;
  }
  const r = runGitSync(['rev-parse', '--is-inside-work-tree'], { cwd: root });
  return { git: r.code === 0 && r.stdout.trim() === 'true', agentOs };
}

/**
 * Refuses to work on a directory that is not a project. Without this, a server started in a home
 * directory would serve that directory's files (credentials among them) to persona tools.
 */
export function requireProject(root: string): void {
  const { git, agentOs } = projectMarkers(root);
  if (git || agentOs) return;
  throw new AgentOsError('NOT_INITIALIZED', `${root} is not a project: it is not inside a git work tree and has no .agent-os/ directory.`, {
    hint: 'Run agent-os in your project (or pass --root DIR), or make this directory a project with `agent-os init`.',
  });
}
