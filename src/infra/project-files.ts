import { realpathSync, type Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';

import picomatch from 'picomatch';
import { RE2JS, RE2JSSyntaxException } from 're2js';

import { AgentOsError, messageOf } from '../domain/errors.js';
import { isGitInternal, isSecretFile, SECRET_EXCLUDE_PATHSPECS } from '../domain/read-policy.js';
import type { GitDiffResult, GrepMatch, GrepResult, ProjectFileList, ProjectFileText, ProjectFiles } from '../ports/project-files.js';
import { runGit, type GitRun } from './git-runner.js';
import { fixedDenial, GIT_MAX_BUFFER, ReadPolicy, type ReadDenial } from './read-policy.js';

export interface ProjectFilesOptions {
  /** Default cap of readFile. */
  maxReadBytes?: number;
  /** Default cap of gitDiff. */
  maxDiffBytes?: number;
  /** Files larger than this are skipped by grep. */
  maxGrepFileBytes?: number;
  /** Most files grep and listFiles walk. */
  maxScanFiles?: number;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_READ_BYTES = 64 * 1024;
const DEFAULT_DIFF_BYTES = 200 * 1024;
const DEFAULT_LIST_LIMIT = 200;
const DEFAULT_GREP_LIMIT = 50;
const MAX_LIMIT = 5000;
const MAX_LINE_CHARS = 300;
/** Directories skipped when the project is not a git repository. */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
/** Candidates resolved and checked against the read policy together (one git call per chunk). */
const POLICY_CHUNK = 500;
/** grep lets other work run (and notices an abort) after this many characters of one file. */
const GREP_YIELD_CHARS = 256 * 1024;

/** A candidate that may be read: the path as listed, its real absolute path and size. */
interface Readable {
  rel: string;
  abs: string;
  size: number;
}

/** Read-only, root-confined project access on the local file system and the git binary (argument arrays, no shell). */
export class NodeProjectFiles implements ProjectFiles {
  readonly root: string;
  private readonly maxReadBytes: number;
  private readonly maxDiffBytes: number;
  private readonly maxGrepFileBytes: number;
  private readonly maxScanFiles: number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly policy: ReadPolicy;

  /** `root` must exist; it is resolved to its real path. */
  constructor(root: string, options: ProjectFilesOptions = {}) {
    this.root = realpathSyncSafe(path.resolve(root));
    this.maxReadBytes = options.maxReadBytes ?? DEFAULT_READ_BYTES;
    this.maxDiffBytes = options.maxDiffBytes ?? DEFAULT_DIFF_BYTES;
    this.maxGrepFileBytes = options.maxGrepFileBytes ?? 1024 * 1024;
    this.maxScanFiles = options.maxScanFiles ?? 20_000;
    this.env = { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
    this.policy = new ReadPolicy(this.root, this.env);
  }

  async readFile(rel: string, opts: { maxBytes?: number } = {}): Promise<ProjectFileText> {
    const { rel: clean, abs } = await this.resolveExisting(rel, 'file');
    const maxBytes = clampInt(opts.maxBytes ?? this.maxReadBytes, 1, 10 * 1024 * 1024);
    const handle = await fs.open(abs, 'r');
    try {
      const { size } = await handle.stat();
      const buf = Buffer.alloc(Math.min(size, maxBytes));
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      const data = buf.subarray(0, bytesRead);
      if (data.subarray(0, 8192).includes(0)) {
        throw new AgentOsError('BAD_INPUT', `"${clean}" is a binary file (${size} bytes); only text files can be read.`);
      }
      const truncated = size > bytesRead;
      // A cut may split a multi-byte character; drop the broken tail.
      const content = truncated ? data.toString('utf8').replace(/\uFFFD+$/, '') : data.toString('utf8');
      return {
        path: clean,
        content,
        bytes: size,
        truncated,
        ...(truncated ? { note: `Truncated: showing the first ${bytesRead} of ${size} bytes.` } : {}),
      };
    } finally {
      await handle.close();
    }
  }

  async listFiles(relDir: string, opts: { glob?: string; limit?: number } = {}): Promise<ProjectFileList> {
    const limit = clampInt(opts.limit ?? DEFAULT_LIST_LIMIT, 1, MAX_LIMIT);
    // A linked directory is listed where it really is, so every path shown is one read_file accepts.
    const dir = relDir === '' || relDir === '.' || relDir === './' ? '' : (await this.resolveExisting(relDir, 'dir')).realRel;
    const match = opts.glob ? globMatcher(opts.glob) : null;
    const { files: all, capped } = await this.candidates(dir);
    const files: string[] = [];
    let more = false;
    for await (const f of this.readable(match ? all.filter((f) => match(f)) : all)) {
      if (files.length >= limit) {
        more = true;
        break;
      }
      files.push(f.rel);
    }
    const notes: string[] = [];
    if (more) notes.push(`Truncated: showing the first ${limit} files; narrow the directory or glob.`);
    if (capped) notes.push(`Only the first ${this.maxScanFiles} files of the project were considered.`);
    return { files, truncated: more || capped, ...(notes.length ? { note: notes.join(' ') } : {}) };
  }

  async grep(pattern: string, opts: { glob?: string; limit?: number; ignoreCase?: boolean; signal?: AbortSignal } = {}): Promise<GrepResult> {
    if (typeof pattern !== 'string' || pattern === '') throw new AgentOsError('BAD_INPUT', 'The grep pattern is empty.');
    if (pattern.length > 500) throw new AgentOsError('BAD_INPUT', `The grep pattern is ${pattern.length} characters; the maximum is 500.`);
    const re = compilePattern(pattern, opts.ignoreCase === true);
    const limit = clampInt(opts.limit ?? DEFAULT_GREP_LIMIT, 1, 1000);
    const match = opts.glob ? globMatcher(opts.glob) : null;
    const { signal } = opts;
    let searched = 0;
    const stopIfAborted = (): void => {
      if (signal?.aborted) throw new AgentOsError('INTERNAL', `grep stopped after ${searched} files: ${messageOf(signal.reason)}.`, { cause: signal.reason });
    };
    stopIfAborted();
    const { files, capped } = await this.candidates('');
    const matches: GrepMatch[] = [];
    let more = false;
    outer: for await (const f of this.readable(match ? files.filter((f) => match(f)) : files)) {
      stopIfAborted();
      const text = f.size > this.maxGrepFileBytes ? null : await readText(f.abs);
      if (text === null) continue;
      searched++;
      const lines = text.split('\n');
      let sinceYield = 0;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        sinceYield += line.length;
        if (sinceYield > GREP_YIELD_CHARS) {
          // Matching is linear, but a large file is still long work: let the server answer meanwhile.
          sinceYield = 0;
          await nextTurn();
          stopIfAborted();
        }
        // Very long lines (minified code) are tested by their start only: bounded work per line.
        if (!re.test(line.length > 4000 ? line.slice(0, 4000) : line)) continue;
        if (matches.length >= limit) {
          more = true;
          break outer;
        }
        const shown = line.replace(/\r$/, '');
        matches.push({ path: f.rel, line: i + 1, text: shown.length > MAX_LINE_CHARS ? `${shown.slice(0, MAX_LINE_CHARS)}…` : shown });
      }
    }
    const notes: string[] = [];
    if (more) notes.push(`Truncated: showing the first ${limit} matches; narrow the pattern or glob.`);
    if (capped) notes.push(`Only the first ${this.maxScanFiles} files of the project were searched.`);
    return { matches, filesSearched: searched, truncated: more || capped, ...(notes.length ? { note: notes.join(' ') } : {}) };
  }

  async gitDiff(base = 'HEAD', opts: { maxBytes?: number } = {}): Promise<GitDiffResult> {
    const ref = base.trim() || 'HEAD';
    if (ref.startsWith('-') || !/^[\w./~^@{}+-]+$/.test(ref) || ref.includes('..')) {
      throw new AgentOsError('BAD_INPUT', `"${base}" is not a valid git ref.`, { hint: 'Give a branch, tag or commit, e.g. "main", "origin/main" or "HEAD~1".' });
    }
    const repo = await this.policy.repo();
    if (repo.kind === 'plain') {
      throw new AgentOsError('BAD_INPUT', 'The project is not a git repository, so there is no diff.', { hint: 'Use read_file and list_files instead.' });
    }
    if (repo.kind === 'broken') throw brokenRepo(repo.message);
    const verify = await this.git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    if (verify.code !== 0) {
      throw new AgentOsError('BAD_INPUT', `Unknown git ref "${ref}".`, { hint: 'Give a branch, tag or commit that exists locally (e.g. "main" or "HEAD~1"); fetch remote branches first.' });
    }
    const maxBytes = clampInt(opts.maxBytes ?? this.maxDiffBytes, 1, 50 * 1024 * 1024);
    const diff = await this.git(
      ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--relative', verify.stdout.trim(), '--', '.', ...SECRET_EXCLUDE_PATHSPECS],
      maxBytes + 1,
    );
    if (diff.code !== 0 && !diff.truncated) {
      throw new AgentOsError('IO', `git diff failed: ${diff.stderr.trim() || `exit code ${diff.code}`}`);
    }
    const others = await this.git(['-c', 'core.quotePath=false', 'ls-files', '-z', '--others', '--exclude-standard', '--', '.', ...SECRET_EXCLUDE_PATHSPECS]);
    const untracked = others.stdout.split('\0').filter((f) => f && !isSecretFile(f) && !isGitInternal(f));
    const bytes = Buffer.byteLength(diff.stdout);
    const truncated = bytes > maxBytes || diff.truncated;
    const text = truncated ? Buffer.from(diff.stdout).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD+$/, '') : diff.stdout;
    return {
      base: ref,
      diff: text,
      untracked,
      truncated,
      ...(truncated ? { note: `Truncated: the diff is larger than ${maxBytes} bytes; read individual files for the rest.` } : {}),
    };
  }

  /**
   * Validates a relative path, resolves symlinks, and checks that the real path stays in the root
   * and may be read (for a file, the whole read policy; for a directory, the fixed rules: its files
   * are checked one by one when listed).
   */
  private async resolveExisting(rel: string, kind: 'file' | 'dir'): Promise<{ rel: string; realRel: string; abs: string }> {
    const clean = this.checkRelative(rel);
    const abs = path.join(this.root, clean);
    let real: string;
    try {
      real = await fs.realpath(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') {
        // A dangling symlink is reported as missing, whatever it points at.
        throw new AgentOsError('NOT_FOUND', `"${clean}" does not exist in the project.`, { hint: 'Use list_files to see which files exist.' });
      }
      throw new AgentOsError('IO', `Cannot read "${clean}": ${messageOf(e)}`, { cause: e });
    }
    if (!isInside(this.root, real)) {
      throw new AgentOsError('OUTSIDE_PROJECT', `"${clean}" is a link to a location outside the project; only files inside the project can be read.`);
    }
    const realRel = toPosix(path.relative(this.root, real));
    const fixed = realRel === '' ? null : fixedDenial(realRel);
    if (fixed) throw denied(fixed, clean, realRel);
    const stat = await fs.stat(real);
    if (kind === 'file' && !stat.isFile()) throw new AgentOsError('BAD_INPUT', `"${clean}" is not a file.`, { hint: stat.isDirectory() ? 'Use list_files for directories.' : undefined });
    if (kind === 'dir' && !stat.isDirectory()) throw new AgentOsError('BAD_INPUT', `"${clean}" is not a directory.`);
    if (kind === 'file') {
      const [denial] = await this.policy.check([realRel]);
      if (denial) throw denied(denial, clean, realRel);
    }
    return { rel: clean, realRel, abs: real };
  }

  /** Syntax checks: relative, no `..`, no `.git`, no secrets. Returns the normalised POSIX path. */
  private checkRelative(rel: string): string {
    if (typeof rel !== 'string' || rel.trim() === '') throw new AgentOsError('BAD_INPUT', 'The path is empty.');
    if (rel.includes('\0')) throw new AgentOsError('BAD_INPUT', 'The path contains a NUL character.');
    const slashed = rel.replace(/\\/g, '/');
    if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed) || path.isAbsolute(rel)) {
      throw new AgentOsError('OUTSIDE_PROJECT', `"${rel}" is an absolute path; give a path relative to the project root.`);
    }
    const parts = slashed.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) {
      throw new AgentOsError('OUTSIDE_PROJECT', `"${rel}" leaves the project (".."); give a path inside the project root.`);
    }
    const clean = parts.join('/');
    if (clean === '') throw new AgentOsError('BAD_INPUT', 'The path names the project root, not a file.');
    // The name asked for counts too: a link called ".env" is refused whatever it points at.
    const fixed = fixedDenial(clean);
    if (fixed) throw denied(fixed, rel, rel);
    return clean;
  }

  /** Files below `dir` worth checking: git's view (tracked + untracked, not ignored) or a walk; sorted. */
  private async candidates(dir: string): Promise<{ files: string[]; capped: boolean }> {
    const repo = await this.policy.repo();
    if (repo.kind === 'broken') throw brokenRepo(repo.message);
    let files: string[];
    if (repo.kind === 'git') {
      const out = await this.git(['-c', 'core.quotePath=false', '--literal-pathspecs', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', dir === '' ? '.' : dir]);
      if (out.code !== 0) throw brokenRepo(out.stderr.trim() || `git ls-files exited with status ${out.code}`);
      files = [...new Set(out.stdout.split('\0').filter(Boolean))];
    } else {
      files = await this.walk(dir);
    }
    files = files.filter((f) => fixedDenial(f) === null).sort();
    const capped = files.length > this.maxScanFiles;
    return { files: capped ? files.slice(0, this.maxScanFiles) : files, capped };
  }

  /**
   * The candidates the read policy allows, in order: each resolved to its real path (a link is
   * judged by what it points at) and checked in chunks, so git runs once per chunk, not per file.
   * Links leading outside the project, to directories or nowhere are left out.
   */
  private async *readable(candidates: string[]): AsyncGenerator<Readable> {
    for (let i = 0; i < candidates.length; i += POLICY_CHUNK) {
      const resolved = (await Promise.all(candidates.slice(i, i + POLICY_CHUNK).map((f) => this.resolveCandidate(f)))).filter((r): r is Readable & { realRel: string } => r !== null);
      const denials = await this.policy.check(resolved.map((r) => r.realRel));
      for (const [k, r] of resolved.entries()) {
        if (!denials[k]) yield { rel: r.rel, abs: r.abs, size: r.size };
      }
    }
  }

  private async resolveCandidate(rel: string): Promise<(Readable & { realRel: string }) | null> {
    try {
      const abs = await fs.realpath(path.join(this.root, rel));
      if (!isInside(this.root, abs)) return null;
      const stat = await fs.stat(abs);
      if (!stat.isFile()) return null;
      return { rel, abs, size: stat.size, realRel: toPosix(path.relative(this.root, abs)) };
    } catch {
      return null;
    }
  }

  private async walk(dir: string): Promise<string[]> {
    const out: string[] = [];
    const stack = [dir];
    while (stack.length > 0 && out.length <= this.maxScanFiles) {
      const current = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = await fs.readdir(path.join(this.root, current), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const rel = current ? `${current}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && fixedDenial(rel) === null) stack.push(rel);
        } else if (e.isFile() || e.isSymbolicLink()) {
          out.push(rel);
        }
      }
    }
    return out;
  }

  private git(args: string[], maxBuffer?: number): Promise<GitRun> {
    return runGit(args, { cwd: this.root, env: this.env, maxBuffer: maxBuffer ?? GIT_MAX_BUFFER });
  }
}

/** Compiles a grep pattern for RE2 (linear-time matching, so no pattern can stall the process). */
function compilePattern(pattern: string, ignoreCase: boolean): RE2JS {
  const hint = 'grep takes RE2 syntax (JavaScript-like, without backreferences or lookaround; \\x{41} instead of \\u0041), e.g. "TODO|FIXME" or "function\\s+handle".';
  try {
    return RE2JS.compile(pattern, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    const found = e instanceof RE2JSSyntaxException ? (e.input ?? '') : '';
    const feature = /^\\[1-9k]/.test(found) ? 'backreferences' : /^\(\?<?[=!]/.test(found) ? 'lookaround' : null;
    if (feature) {
      throw new AgentOsError('BAD_INPUT', `Unsupported regular expression: RE2 syntax does not support ${feature} (found "${found}").`, {
        hint: `${hint} Match the text itself and read the lines around it with read_file instead.`,
      });
    }
    throw new AgentOsError('BAD_INPUT', `Invalid regular expression: ${messageOf(e)}`, { hint });
  }
}

/** Text of a file for grep, or null when it is unreadable or binary. */
async function readText(abs: string): Promise<string | null> {
  try {
    const buf = await fs.readFile(abs);
    return buf.subarray(0, 8192).includes(0) ? null : buf.toString('utf8');
  } catch {
    return null;
  }
}

function denied(d: ReadDenial, asked: string, realRel: string): AgentOsError {
  const subject = asked === realRel ? `"${asked}" is` : `"${asked}" leads to "${realRel}", which is`;
  switch (d.reason) {
    case 'git-internal':
      return new AgentOsError('BAD_INPUT', `${subject} inside .git; git internals are not readable by personas.`, { hint: 'Use git_diff to see changes.' });
    case 'secret':
      return new AgentOsError('BAD_INPUT', `${subject} a secrets file (.env, keys, credentials); personas may not read it.`);
    case 'ignored':
      return new AgentOsError('BAD_INPUT', `${subject} ignored by git; ignored files (build output, local config, secrets) are not readable by personas.`);
    case 'unknown':
      return new AgentOsError('BAD_INPUT', `git could not tell whether "${realRel}" is ignored (${d.detail}), so personas may not read it.`, {
        hint: 'Run `git status` in the project to see what git reports; files inside submodules are not readable.',
      });
  }
}

function brokenRepo(message: string): AgentOsError {
  return new AgentOsError('IO', `git cannot work with the project's repository (${message}), so personas may not list, search or read its files.`, {
    hint: 'Run `git status` in the project to see the problem and fix it.',
  });
}

function globMatcher(glob: string): (file: string) => boolean {
  if (glob.length > 300) throw new AgentOsError('BAD_INPUT', 'The glob is too long (maximum 300 characters).');
  return picomatch(glob, { dot: true, basename: !glob.includes('/') });
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function clampInt(n: number, min: number, max: number): number {
  if (!Number.isFinite(n)) return min;
  return Math.min(max, Math.max(min, Math.floor(n)));
}

function realpathSyncSafe(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
