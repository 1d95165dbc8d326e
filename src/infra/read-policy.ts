import fs from 'node:fs';
import path from 'node:path';

import { isGitInternal, isSecretFile } from '../domain/read-policy.js';
import { runGit, type GitRun } from './git-runner.js';

/** Output kept from one git run of the read policy and the project files (a diff past it is truncated). */
export const GIT_MAX_BUFFER = 64 * 1024 * 1024;

export type RepoState =
  | { kind: 'git' }
  /** Not inside any git work tree: there are no ignore rules to apply. */
  | { kind: 'plain' }
  /** A repository git cannot work with (broken config, dubious ownership, …): nothing is read. */
  | { kind: 'broken'; message: string };

export type ReadDenial =
  | { reason: 'git-internal' }
  | { reason: 'secret' }
  | { reason: 'ignored' }
  /** git gave no verdict for the path (it failed, or the path is in a submodule). */
  | { reason: 'unknown'; detail: string };

/** Paths after which a failing check-ignore run is not retried: the rest of the batch is refused. */
const MAX_RETRIES = 20;

/**
 * Whether a persona may read a project file, decided on its real path (symlinks resolved, relative
 * to the project root): never `.git` internals or credential files; in a git work tree, only what
 * git explicitly reports as not ignored (tracked files never are, even when a rule matches them).
 * read_file, list_files and grep all ask this one policy.
 */
export class ReadPolicy {
  private state: Promise<RepoState> | undefined;

  constructor(
    private readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  repo(): Promise<RepoState> {
    this.state ??= this.probe();
    return this.state;
  }

  /** One verdict per path, in order (null: may be read). Asks git once per batch, not once per path. */
  async check(realRels: readonly string[]): Promise<(ReadDenial | null)[]> {
    const out = realRels.map(fixedDenial);
    const state = await this.repo();
    if (state.kind === 'plain') return out;
    const open = out.flatMap((d, i) => (d === null ? [i] : []));
    if (open.length === 0) return out;
    const verdicts = state.kind === 'broken' ? open.map((): ReadDenial => ({ reason: 'unknown', detail: state.message })) : await this.ignoreVerdicts(open.map((i) => realRels[i]!));
    open.forEach((i, k) => (out[i] = verdicts[k]!));
    return out;
  }

  /**
   * `git check-ignore --verbose --non-matching` answers each path with the rule that decides it (or
   * none); only an explicit "no rule, or a negated one" allows. When git stops at a path (a fatal
   * error such as a path inside a submodule), that path is refused and the paths after it are asked
   * again, so one bad path does not hide the others.
   */
  private async ignoreVerdicts(paths: string[]): Promise<(ReadDenial | null)[]> {
    const verdicts: (ReadDenial | null)[] = paths.map(() => ({ reason: 'unknown', detail: 'not checked' }));
    let start = 0;
    for (let attempt = 0; start < paths.length; attempt++) {
      const batch = paths.slice(start);
      // "./" keeps a name starting with ":" from being read as pathspec magic.
      const asked = batch.map((p) => `./${p}`);
      const r = await runGit(['check-ignore', '--stdin', '-z', '--verbose', '--non-matching'], { cwd: this.root, env: this.env, input: `${asked.join('\0')}\0`, maxBuffer: GIT_MAX_BUFFER });
      const fields = r.stdout.split('\0');
      let answered = 0;
      while (answered < batch.length && fields.length >= answered * 4 + 4 && fields[answered * 4 + 3] === asked[answered]) {
        const pattern = fields[answered * 4 + 2]!;
        verdicts[start + answered] = pattern === '' || pattern.startsWith('!') ? null : { reason: 'ignored' };
        answered++;
      }
      const ok = r.code === 0 || r.code === 1;
      if (ok && answered === batch.length) break;
      const detail = gitProblem(r, 'check-ignore');
      if (answered === batch.length) {
        // Every path answered yet git failed: trust none of this run.
        for (let i = start; i < paths.length; i++) verdicts[i] = { reason: 'unknown', detail };
        break;
      }
      verdicts[start + answered] = { reason: 'unknown', detail };
      start += answered + 1;
      if (attempt >= MAX_RETRIES) {
        for (let i = start; i < paths.length; i++) verdicts[i] = { reason: 'unknown', detail: `not checked after ${MAX_RETRIES} git failures (${detail})` };
        break;
      }
    }
    return verdicts;
  }

  private async probe(): Promise<RepoState> {
    // English messages, to tell "not a repository" from a repository git refuses to work with.
    const r = await runGit(['rev-parse', '--is-inside-work-tree'], { cwd: this.root, env: { ...this.env, LC_ALL: 'C', LANGUAGE: 'C' } });
    if (r.code === 0 && r.stdout.trim() === 'true') return { kind: 'git' };
    if (r.code !== 0 && /not a git repository \(or any/i.test(r.stderr)) return { kind: 'plain' };
    if (r.code === 127 && !hasDotGitAbove(this.root)) return { kind: 'plain' };
    if (r.code === 0) return { kind: 'broken', message: 'the project root is inside a .git directory, not a work tree' };
    return { kind: 'broken', message: gitProblem(r, 'rev-parse') };
  }
}

/** The denial that needs no git: `.git` internals and credential files. */
export function fixedDenial(realRel: string): ReadDenial | null {
  if (isGitInternal(realRel)) return { reason: 'git-internal' };
  if (isSecretFile(realRel)) return { reason: 'secret' };
  return null;
}

function gitProblem(r: GitRun, command: string): string {
  const line = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line ? line.replace(/^fatal:\s*/, '') : `git ${command} exited with status ${r.code}`;
}

function hasDotGitAbove(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return true;
    if (path.dirname(d) === d) return false;
  }
}
