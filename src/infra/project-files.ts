import { execFile } from 'node:child_process';
import { realpathSync, type Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

import picomatch from 'picomatch';

import { AgentOsError, messageOf } from '../domain/errors.js';
import type { GitDiffResult, GrepMatch, GrepResult, ProjectFileList, ProjectFileText, ProjectFiles } from '../ports/project-files.js';

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

/** Files that hold or usually hold secrets; refused whatever git says. */
const SECRET_NAMES: readonly RegExp[] = [
  /^\.env($|\.)/i,
  /\.pem$/i,
  /\.key$/i,
  /\.p12$/i,
  /\.pfx$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)/i,
  /^\.(netrc|npmrc|pypirc|pgpass)$/i,
];
const SECRET_EXCLUDE_PATHSPECS = [
  ':(exclude,glob)**/.env*',
  ':(exclude,glob)**/*.pem',
  ':(exclude,glob)**/*.key',
  ':(exclude,glob)**/*.p12',
  ':(exclude,glob)**/*.pfx',
  ':(exclude,glob)**/id_rsa*',
  ':(exclude,glob)**/id_dsa*',
  ':(exclude,glob)**/id_ecdsa*',
  ':(exclude,glob)**/id_ed25519*',
  ':(exclude,glob)**/.netrc',
  ':(exclude,glob)**/.npmrc',
  ':(exclude,glob)**/.pypirc',
  ':(exclude,glob)**/.pgpass',
];

export function isSecretFile(rel: string): boolean {
  const base = rel.split('/').pop() ?? rel;
  return SECRET_NAMES.some((re) => re.test(base));
}

interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Read-only, root-confined project access on the local file system and the git binary (argument arrays, no shell). */
export class NodeProjectFiles implements ProjectFiles {
  readonly root: string;
  private readonly maxReadBytes: number;
  private readonly maxDiffBytes: number;
  private readonly maxGrepFileBytes: number;
  private readonly maxScanFiles: number;
  private readonly env: NodeJS.ProcessEnv;
  private isGit: Promise<boolean> | undefined;

  /** `root` must exist; it is resolved to its real path. */
  constructor(root: string, options: ProjectFilesOptions = {}) {
    this.root = realpathSyncSafe(path.resolve(root));
    this.maxReadBytes = options.maxReadBytes ?? DEFAULT_READ_BYTES;
    this.maxDiffBytes = options.maxDiffBytes ?? DEFAULT_DIFF_BYTES;
    this.maxGrepFileBytes = options.maxGrepFileBytes ?? 1024 * 1024;
    this.maxScanFiles = options.maxScanFiles ?? 20_000;
    this.env = { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
  }

  async readFile(rel: string, opts: { maxBytes?: number } = {}): Promise<ProjectFileText> {
    const { rel: clean, abs } = await this.resolveExisting(rel, 'file');
    if (await this.ignoredByGit(clean)) {
      throw new AgentOsError('BAD_INPUT', `"${clean}" is ignored by git; ignored files (build output, local config, secrets) are not readable by personas.`);
    }
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
    const dir = relDir === '' || relDir === '.' || relDir === './' ? '' : (await this.resolveExisting(relDir, 'dir')).rel;
    const match = opts.glob ? globMatcher(opts.glob) : null;
    const { files: all, capped } = await this.candidates(dir);
    const files: string[] = [];
    let more = false;
    for (const f of all) {
      if (match && !match(f)) continue;
      if (files.length >= limit) {
        more = true;
        break;
      }
      files.push(f);
    }
    const notes: string[] = [];
    if (more) notes.push(`Truncated: showing the first ${limit} files; narrow the directory or glob.`);
    if (capped) notes.push(`Only the first ${this.maxScanFiles} files of the project were considered.`);
    return { files, truncated: more || capped, ...(notes.length ? { note: notes.join(' ') } : {}) };
  }

  async grep(pattern: string, opts: { glob?: string; limit?: number; ignoreCase?: boolean } = {}): Promise<GrepResult> {
    if (typeof pattern !== 'string' || pattern === '') throw new AgentOsError('BAD_INPUT', 'The grep pattern is empty.');
    if (pattern.length > 500) throw new AgentOsError('BAD_INPUT', `The grep pattern is ${pattern.length} characters; the maximum is 500.`);
    let re: RegExp;
    try {
      re = new RegExp(pattern, opts.ignoreCase ? 'i' : '');
    } catch (e) {
      throw new AgentOsError('BAD_INPUT', `Invalid regular expression: ${messageOf(e)}`, { hint: 'grep takes a JavaScript regular expression, e.g. "TODO|FIXME" or "function\\s+handle".' });
    }
    const limit = clampInt(opts.limit ?? DEFAULT_GREP_LIMIT, 1, 1000);
    const match = opts.glob ? globMatcher(opts.glob) : null;
    const { files, capped } = await this.candidates('');
    const matches: GrepMatch[] = [];
    let searched = 0;
    let more = false;
    outer: for (const f of files) {
      if (match && !match(f)) continue;
      const text = await this.readForGrep(f);
      if (text === null) continue;
      searched++;
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        // Very long lines (minified code) are tested by their start only: bounded work per line.
        if (!re.test(line.length > 4000 ? line.slice(0, 4000) : line)) continue;
        if (matches.length >= limit) {
          more = true;
          break outer;
        }
        const shown = line.replace(/\r$/, '');
        matches.push({ path: f, line: i + 1, text: shown.length > MAX_LINE_CHARS ? `${shown.slice(0, MAX_LINE_CHARS)}…` : shown });
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
    if (!(await this.gitRepo())) {
      throw new AgentOsError('BAD_INPUT', 'The project is not a git repository, so there is no diff.', { hint: 'Use read_file and list_files instead.' });
    }
    const verify = await this.git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    if (verify.code !== 0) {
      throw new AgentOsError('BAD_INPUT', `Unknown git ref "${ref}".`, { hint: 'Give a branch, tag or commit that exists locally (e.g. "main" or "HEAD~1"); fetch remote branches first.' });
    }
    const maxBytes = clampInt(opts.maxBytes ?? this.maxDiffBytes, 1, 50 * 1024 * 1024);
    const diff = await this.git(
      ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--relative', verify.stdout.trim(), '--', '.', ...SECRET_EXCLUDE_PATHSPECS],
      maxBytes + 1,
    );
    if (diff.code !== 0 && diff.code !== -1) {
      throw new AgentOsError('IO', `git diff failed: ${diff.stderr.trim() || `exit code ${diff.code}`}`);
    }
    const others = await this.git(['-c', 'core.quotePath=false', 'ls-files', '-z', '--others', '--exclude-standard', '--', '.']);
    const untracked = others.stdout.split('\0').filter((f) => f && !isSecretFile(f));
    const bytes = Buffer.byteLength(diff.stdout);
    const truncated = bytes > maxBytes || diff.code === -1;
    const text = truncated ? Buffer.from(diff.stdout).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD+$/, '') : diff.stdout;
    return {
      base: ref,
      diff: text,
      untracked,
      truncated,
      ...(truncated ? { note: `Truncated: the diff is larger than ${maxBytes} bytes; read individual files for the rest.` } : {}),
    };
  }

  /** Validates a relative path, resolves symlinks, and checks it stays in the root and is allowed. */
  private async resolveExisting(rel: string, kind: 'file' | 'dir'): Promise<{ rel: string; abs: string }> {
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
    if (realRel !== '') this.checkAllowed(realRel, rel);
    const stat = await fs.stat(real);
    if (kind === 'file' && !stat.isFile()) throw new AgentOsError('BAD_INPUT', `"${clean}" is not a file.`, { hint: stat.isDirectory() ? 'Use list_files for directories.' : undefined });
    if (kind === 'dir' && !stat.isDirectory()) throw new AgentOsError('BAD_INPUT', `"${clean}" is not a directory.`);
    return { rel: clean, abs: real };
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
    this.checkAllowed(clean, rel);
    return clean;
  }

  private checkAllowed(clean: string, asGiven: string): void {
    if (clean.split('/').some((p) => p.toLowerCase() === '.git')) {
      throw new AgentOsError('BAD_INPUT', `"${asGiven}" is inside .git; git internals are not readable by personas.`, { hint: 'Use git_diff to see changes.' });
    }
    if (isSecretFile(clean)) {
      throw new AgentOsError('BAD_INPUT', `"${asGiven}" is a secrets file (.env, keys, credentials); personas may not read it.`);
    }
  }

  /** Allowed files below `dir`: git's view (tracked + untracked, not ignored) or a walk; sorted. */
  private async candidates(dir: string): Promise<{ files: string[]; capped: boolean }> {
    let files: string[];
    if (await this.gitRepo()) {
      const out = await this.git(['-c', 'core.quotePath=false', '--literal-pathspecs', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', dir === '' ? '.' : dir]);
      files = [...new Set(out.stdout.split('\0').filter(Boolean))];
    } else {
      files = await this.walk(dir);
    }
    files = files.filter((f) => !isSecretFile(f) && !f.split('/').includes('.git')).sort();
    const capped = files.length > this.maxScanFiles;
    return { files: capped ? files.slice(0, this.maxScanFiles) : files, capped };
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
          if (!SKIP_DIRS.has(e.name)) stack.push(rel);
        } else if (e.isFile() || e.isSymbolicLink()) {
          out.push(rel);
        }
      }
    }
    return out;
  }

  /** Text of a file for grep, or null when it is unreadable, outside, binary or too big. */
  private async readForGrep(rel: string): Promise<string | null> {
    try {
      const abs = path.join(this.root, rel);
      const real = await fs.realpath(abs);
      if (!isInside(this.root, real)) return null;
      // A link inside the project may still point at .git or a secrets file.
      const realRel = toPosix(path.relative(this.root, real));
      if (isSecretFile(realRel) || realRel.split('/').some((p) => p.toLowerCase() === '.git')) return null;
      const stat = await fs.stat(real);
      if (!stat.isFile() || stat.size > this.maxGrepFileBytes) return null;
      const buf = await fs.readFile(real);
      if (buf.subarray(0, 8192).includes(0)) return null;
      return buf.toString('utf8');
    } catch {
      return null;
    }
  }

  private async ignoredByGit(rel: string): Promise<boolean> {
    if (!(await this.gitRepo())) return false;
    // Exit 0: ignored; 1: not ignored; anything else: cannot tell, allow.
    const r = await this.git(['check-ignore', '-q', '--', rel]);
    if (r.code !== 0) return false;
    // A tracked file stays readable even if a later ignore rule matches it.
    const tracked = await this.git(['--literal-pathspecs', 'ls-files', '--error-unmatch', '--', rel]);
    return tracked.code !== 0;
  }

  private gitRepo(): Promise<boolean> {
    this.isGit ??= this.git(['rev-parse', '--is-inside-work-tree']).then((r) => r.code === 0 && r.stdout.trim() === 'true');
    return this.isGit;
  }

  /** Runs git in the root; code -1 means the output passed maxBuffer (stdout holds what was read). */
  private git(args: string[], maxBuffer = 64 * 1024 * 1024): Promise<GitRun> {
    return new Promise((resolve) => {
      execFile('git', args, { cwd: this.root, env: this.env, maxBuffer, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
        if (!err) return resolve({ code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: unknown };
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ code: -1, stdout, stderr });
        if (e.code === 'ENOENT') return resolve({ code: 127, stdout: '', stderr: 'git is not installed' });
        resolve({ code: typeof e.code === 'number' ? e.code : 1, stdout: stdout ?? '', stderr: stderr ?? messageOf(err) });
      });
    });
  }
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
