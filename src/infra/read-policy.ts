import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { messageOf } from '../domain/errors.js';
import { isGitInternal, isSecretFile } from '../domain/read-policy.js';

export interface GitRun {
  /** Exit status; -1 when the output passed maxBuffer (stdout holds what was read), 127 when git is missing. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in `cwd` with an argument array (no shell), `input` on stdin; never throws. */
export function runGit(cwd: string, env: NodeJS.ProcessEnv, args: string[], opts: { input?: string; maxBuffer?: number } = {}): Promise<GitRun> {
  return new Promise((resolve) => {
    const child = execFile('git', args, { cwd, env, maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      if (!err) return resolve({ code: 0, stdout, stderr });
      const e = err as NodeJS.ErrnoException & { code?: unknown };
      if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ code: -1, stdout, stderr });
      if (e.code === 'ENOENT') return resolve({ code: 127, stdout: '', stderr: 'git is not installed' });
      resolve({ code: typeof e.code === 'number' ? e.code : 1, stdout: stdout ?? '', stderr: stderr ?? messageOf(err) });
    });
    // git may exit before reading all of stdin (a fatal error); the exit status reports that, not EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input ?? '');
  });
}

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
      const r = await runGit(this.root, this.env, ['check-ignore', '--stdin', '-z', '--verbose', '--non-matching'], { input: `${asked.join('\0')}\0` });
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
    const r = await runGit(this.root, { ...this.env, LC_ALL: 'C', LANGUAGE: 'C' }, ['rev-parse', '--is-inside-work-tree']);
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
