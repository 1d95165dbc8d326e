import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The one way agent-os runs git: the binary with an argument array (never a shell), an explicit
 * working directory, and an environment in which git never waits for a password.
 */
export interface GitRunOptions {
  /** Directory git runs in. */
  cwd: string;
  /** Environment (default `process.env`); `GIT_TERMINAL_PROMPT=0` is always added. */
  env?: NodeJS.ProcessEnv;
  /** Written to git's stdin, which is then closed (git reading stdin sees an empty one without it). */
  input?: string | Uint8Array;
  /** Paths appended after `--`, so that no path is ever read as an option or a revision. */
  paths?: readonly string[];
  /** Bytes of stdout kept; past that git is stopped and the run is `truncated` (code -1). Default: no limit. */
  maxBuffer?: number;
  /** Stops git; the run then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface GitRun<Out = string> {
  /** Exit status; -1 when stdout passed `maxBuffer` or git was killed, 127 when git could not be started. */
  code: number;
  stdout: Out;
  stderr: string;
  /** stdout passed `maxBuffer`: it holds the first `maxBuffer` bytes. */
  truncated: boolean;
  /** Why git could not be started (missing binary, bad cwd); `code` is then 127. */
  startError?: Error;
}

/** Runs git and decodes stdout as UTF-8. Never rejects for git's own failures: read `code`. */
export async function runGit(args: readonly string[], opts: GitRunOptions): Promise<GitRun> {
  const r = await runGitBytes(args, opts);
  return { ...r, stdout: r.stdout.toString('utf8') };
}

/** Runs git and keeps stdout as bytes (for binary-safe output such as `cat-file --batch`). */
export function runGitBytes(args: readonly string[], opts: GitRunOptions): Promise<GitRun<Buffer>> {
  const limit = opts.maxBuffer ?? Infinity;
  return new Promise((resolve, reject) => {
    opts.signal?.throwIfAborted();
    const child = spawn('git', argv(args, opts), { cwd: opts.cwd, env: gitEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: true, ...(opts.signal ? { signal: opts.signal } : {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    let settled = false;
    const finish = (run: GitRun<Buffer>) => {
      if (settled) return;
      settled = true;
      resolve(run);
    };
    child.stdout.on('data', (d: Buffer) => {
      if (truncated) return;
      if (kept + d.length > limit) {
        out.push(d.subarray(0, limit - kept));
        kept = limit;
        truncated = true;
        child.kill();
        return;
      }
      out.push(d);
      kept += d.length;
    });
    child.stderr.on('data', (d: Buffer) => err.push(d));
    // git may exit before reading all of stdin (a fatal error); its exit status says so, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => {
      if (opts.signal?.aborted) {
        settled = true;
        return reject(opts.signal.reason);
      }
      finish({ code: 127, stdout: Buffer.alloc(0), stderr: startProblem(e, opts.cwd), truncated: false, startError: e });
    });
    child.on('close', (code) => {
      if (opts.signal?.aborted) {
        if (!settled) reject(opts.signal.reason);
        settled = true;
        return;
      }
      finish({ code: truncated ? -1 : (code ?? -1), stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), truncated });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** The synchronous form, for the few start-up questions asked before anything is asynchronous. */
export function runGitSync(args: readonly string[], opts: Omit<GitRunOptions, 'signal'>): GitRun {
  const r = spawnSync('git', argv(args, opts), {
    cwd: opts.cwd,
    env: gitEnv(opts.env),
    input: opts.input ?? '',
    shell: false,
    windowsHide: true,
    ...(opts.maxBuffer !== undefined ? { maxBuffer: opts.maxBuffer } : { maxBuffer: Infinity }),
  });
  const stdout = r.stdout?.toString('utf8') ?? '';
  const stderr = r.stderr?.toString('utf8') ?? '';
  if (r.error) {
    const e = r.error as NodeJS.ErrnoException;
    if (e.code === 'ENOBUFS') return { code: -1, stdout, stderr, truncated: true };
    return { code: 127, stdout: '', stderr: startProblem(e, opts.cwd), truncated: false, startError: e };
  }
  return { code: r.status ?? -1, stdout, stderr, truncated: false };
}

/** `env` (default `process.env`) with git's credential prompts off: a run never blocks on a terminal. */
export function gitEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, GIT_TERMINAL_PROMPT: '0' };
}

function argv(args: readonly string[], opts: Pick<GitRunOptions, 'paths'>): string[] {
  return opts.paths ? [...args, '--', ...opts.paths] : [...args];
}

function startProblem(e: NodeJS.ErrnoException, cwd: string): string {
  // A missing working directory fails with the same ENOENT as a missing binary.
  if (e.code === 'ENOENT') return fs.existsSync(cwd) ? 'git is not installed' : `git could not be started: ${cwd} does not exist`;
  return `git could not be started: ${e.message}`;
}
