import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AgentOsError, messageOf } from '../domain/errors.js';
import type { CommitFileInput, CommitFileResult, CommitFilesInput, CommitInfo, MergeState, ProposalGit, RefTip } from '../ports/proposal-git.js';
import { runGit, runGitBytes, type GitRun } from './git-runner.js';

const ZERO_OID = '0000000000000000000000000000000000000000';
/** Identity used only when neither git config nor the caller provides one. */
const FALLBACK_IDENTITY = { name: 'agent-os', email: 'agent-os@localhost' };

export interface GitPlumbingOptions {
  /** Environment for git (defaults to process.env); GIT_INDEX_FILE is always removed from it. */
  env?: NodeJS.ProcessEnv;
  /** Remote whose HEAD names the default branch (default `origin`). */
  remote?: string;
  /**
   * The branch proposals start from, as git resolves it (e.g. `origin/main`), when the caller knows it
   * (the Action: the pull request's base branch); default: the remote's HEAD, else main or master.
   */
  defaultBranch?: string;
  /** Test seam: runs after the new commit is written and before the branch ref is moved. */
  beforeRefUpdate?: (ref: string) => Promise<void>;
}

/**
 * ProposalGit with git plumbing (hash-object, a temporary index, commit-tree, update-ref): child processes
 * with argument arrays and an explicit cwd, content on stdin, no shell.
 */
export class GitPlumbing implements ProposalGit {
  private readonly env: NodeJS.ProcessEnv;
  private readonly remote: string;
  private readonly fixedDefault: string | null;
  private readonly beforeRefUpdate: ((ref: string) => Promise<void>) | undefined;
  private topLevel: Promise<string> | null = null;

  constructor(
    private readonly root: string,
    options: GitPlumbingOptions = {},
  ) {
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
    // Set inside git hooks; it would point our commands at the user's index.
    delete env['GIT_INDEX_FILE'];
    this.env = env;
    this.remote = options.remote ?? 'origin';
    this.fixedDefault = options.defaultBranch ?? null;
    this.beforeRefUpdate = options.beforeRefUpdate;
  }

  async defaultBranch(): Promise<string> {
    if (this.fixedDefault !== null) {
      if (!(await this.resolve(`${this.fixedDefault}^{commit}`))) throw new AgentOsError('NOT_FOUND', `The branch ${this.fixedDefault} is not in this repository.`, { hint: 'Fetch it first.' });
      return this.fixedDefault;
    }
    await this.requireCommits();
    const remoteHead = await this.run(['symbolic-ref', '-q', '--short', `refs/remotes/${this.remote}/HEAD`], { ok: [0, 1, 128] });
    const fromRemote = remoteHead.code === 0 ? remoteHead.stdout.trim() : '';
    if (fromRemote.startsWith(`${this.remote}/`)) {
      const name = fromRemote.slice(this.remote.length + 1);
      return (await this.branchExists(name)) ? name : fromRemote;
    }
    const candidates = ['main', 'master'];
    const init = await this.run(['config', '--get', 'init.defaultBranch'], { ok: [0, 1] });
    if (init.code === 0 && init.stdout.trim()) candidates.push(init.stdout.trim());
    for (const name of candidates) if (await this.hasRef(`refs/heads/${name}`)) return name;
    const current = await this.run(['symbolic-ref', '-q', '--short', 'HEAD'], { ok: [0, 1] });
    const cur = current.stdout.trim();
    if (current.code === 0 && cur && (await this.hasRef(`refs/heads/${cur}`))) return cur;
    const branches = (await this.run(['for-each-ref', '--format=%(refname:short)', 'refs/heads'])).stdout.split('\n').filter(Boolean);
    if (branches.length === 1 && branches[0]) return branches[0];
    throw new AgentOsError('CONFIG', 'Cannot tell which branch is the default branch of this repository.', {
      hint: `Create a main branch, or run \`git remote set-head ${this.remote} --auto\` when the repository has a remote.`,
    });
  }

  async commitFile(input: CommitFileInput): Promise<CommitFileResult> {
    const file = checkPath(input.path);
    return this.commitTree(input, [{ path: file, content: input.content }], () => `${file} already has this content on ${input.base}: nothing to propose.`);
  }

  async commitFiles(input: CommitFilesInput): Promise<CommitFileResult> {
    if (input.files.length === 0) throw new AgentOsError('BAD_INPUT', `No files to commit on ${input.branch}.`);
    const seen = new Set<string>();
    const files = input.files.map((f) => {
      const file = checkPath(f.path);
      if (seen.has(file)) throw new AgentOsError('BAD_INPUT', `Cannot commit ${JSON.stringify(file)} twice in one commit.`);
      seen.add(file);
      return { path: file, content: f.content };
    });
    return this.commitTree(input, files, () => `Every file already has this content on ${input.base}: nothing to commit.`);
  }

  /** One commit holding `files` on `input.branch`: the guards of `commitFile`, a temporary index, a CAS ref update. */
  private async commitTree(
    input: Omit<CommitFileInput, 'path' | 'content'>,
    files: ReadonlyArray<{ path: string; content: string }>,
    unchanged: () => string,
  ): Promise<CommitFileResult> {
    const branch = await this.checkBranch(input.branch);
    const ref = `refs/heads/${branch}`;
    const old = await this.resolve(ref);
    // Moving a checked-out branch would leave that checkout's index and files describing the old tip.
    if (old && (await this.checkedOut(branch))) {
      throw new AgentOsError('CONFLICT', `${branch} is checked out in a working tree; nothing was committed.`, {
        hint: `Switch that working tree to another branch (or commit the change there yourself), then retry.`,
      });
    }
    if (input.expectTip === null && old) {
      throw new AgentOsError('CONFLICT', `Branch ${branch} already exists; nothing was committed.`);
    }
    if (input.expectTip && old !== input.expectTip) {
      throw new AgentOsError('CONFLICT', `Branch ${branch} ${old ? `moved to ${old.slice(0, 12)}` : 'is gone'} (expected ${input.expectTip.slice(0, 12)}); nothing was committed.`, {
        hint: 'Someone changed the proposal meanwhile: read it again, then retry.',
      });
    }
    let parent = old;
    if (input.parent !== undefined) {
      const onto = input.parent.startsWith('-') ? null : await this.resolve(`${input.parent}^{commit}`);
      if (!onto || (old && !(await this.isAncestor(old, onto)))) {
        throw new AgentOsError('CONFLICT', `${branch} cannot move to ${input.parent.slice(0, 12)}: it is not a later version of the branch; nothing was committed.`);
      }
      parent = onto;
    }
    if (!parent) {
      parent = await this.resolve(`${input.base}^{commit}`);
      if (!parent) {
        await this.requireCommits();
        throw new AgentOsError('NOT_FOUND', `The base ${JSON.stringify(input.base)} is not a commit in this repository.`);
      }
    }
    const parentTree = (await this.run(['rev-parse', `${parent}^{tree}`])).stdout.trim();
    const entries: string[] = [];
    for (const f of files) {
      const blob = (await this.run(['hash-object', '-w', '--no-filters', '--stdin'], { input: f.content })).stdout.trim();
      const existing = (await this.run(['ls-tree', '-z', parent, '--', f.path])).stdout;
      if (existing && !/^100(644|755) blob /.test(existing)) {
        throw new AgentOsError('BAD_INPUT', `${f.path} exists on ${input.branch} and is not a regular file.`);
      }
      entries.push(`${existing.startsWith('100755 ') ? '100755' : '100644'},${blob},${f.path}`);
    }
    const tree = await this.withTempIndex(async (env) => {
      await this.run(['read-tree', parentTree], { env });
      for (const entry of entries) {
        const file = entry.slice(entry.indexOf(',', 7) + 1);
        await this.run(['update-index', '--add', '--cacheinfo', entry], { env }).catch((e: unknown) => {
          throw new AgentOsError('BAD_INPUT', `${file} cannot be written on ${input.branch}: ${messageOf(e)}`, { cause: e });
        });
      }
      return (await this.run(['write-tree'], { env })).stdout.trim();
    });
    if (tree === parentTree) {
      if (old) return { commit: old, created: false };
      throw new AgentOsError('BAD_INPUT', unchanged());
    }
    const commitEnv = await this.identityEnv(input.author);
    const commit = (await this.run(['commit-tree', tree, '-p', parent], { input: input.message, env: commitEnv })).stdout.trim();
    await this.beforeRefUpdate?.(ref);
    const what = files.length === 1 ? files[0]!.path : `${files.length} files`;
    await this.casRef(ref, commit, old ?? ZERO_OID, `agent-os: ${old ? 'revise' : 'propose'} ${what}`);
    return { commit, created: !old };
  }

  async branchExists(branch: string): Promise<boolean> {
    return this.hasRef(`refs/heads/${await this.checkBranch(branch)}`);
  }

  async readFileAt(ref: string, file: string): Promise<string | null> {
    return (await this.readFilesAt([{ ref, path: file }]))[0] ?? null;
  }

  async isMergedInto(branch: string, target: string): Promise<MergeState> {
    // Most proposals are not merged: answer that with one process before resolving anything.
    if (branch.startsWith('-') || target.startsWith('-')) return { merged: false };
    // (Exit 128: a name that does not resolve, which is not merged either.)
    const quick = await this.run(['merge-base', '--is-ancestor', branch, target], { ok: [0, 1, 128] });
    if (quick.code !== 0) return { merged: false };
    const tip = (await this.resolve(`refs/heads/${branch}`)) ?? (branch.startsWith('-') ? null : await this.resolve(`${branch}^{commit}`));
    const into = target.startsWith('-') ? null : await this.resolve(`${target}^{commit}`);
    if (!tip || !into) return { merged: false };
    if (!(await this.isAncestor(tip, into))) return { merged: false };
    if (tip === into) return { merged: true };
    // The oldest commit on the target's first-parent line that contains the tip brought it in.
    const line = (await this.run(['rev-list', '--first-parent', '--reverse', `${tip}..${into}`])).stdout.split('\n').filter(Boolean);
    const descendants = new Set((await this.run(['rev-list', '--ancestry-path', `${tip}..${into}`])).stdout.split('\n').filter(Boolean));
    const mergeCommit = line.find((c) => descendants.has(c));
    if (!mergeCommit) return { merged: true };
    const [parents = '', committer = '', author = ''] = (
      await this.run(['show', '-s', '--format=%P%x00%cn <%ce>%x00%an <%ae>', mergeCommit])
    ).stdout
      .trim()
      .split('\0');
    const first = parents.split(' ')[0];
    // Reached through the first parent: the branch was fast-forwarded, there is no merge commit.
    if (!first || (await this.isAncestor(tip, first))) return { merged: true };
    const webFlow = /<noreply@github\.com>$/.test(committer);
    return { merged: true, mergeCommit, mergedBy: webFlow ? author : committer };
  }

  async deleteBranch(branch: string): Promise<void> {
    const name = await this.checkBranch(branch);
    if (!(await this.hasRef(`refs/heads/${name}`))) return;
    const r = await this.run(['branch', '-D', '--', name], { ok: [0, 1] });
    if (r.code !== 0) throw new AgentOsError('BAD_INPUT', `Branch ${name} cannot be deleted: ${r.stderr.trim()}`);
  }

  async mergeNoFf(branch: string, into: string, message: string): Promise<string> {
    const source = await this.checkBranch(branch);
    const target = await this.checkBranch(into);
    const sourceTip = await this.resolve(`refs/heads/${source}`);
    const targetTip = await this.resolve(`refs/heads/${target}`);
    if (!sourceTip) throw new AgentOsError('NOT_FOUND', `Branch ${source} does not exist.`);
    if (!targetTip) throw new AgentOsError('NOT_FOUND', `Branch ${target} does not exist.`);
    const current = await this.run(['symbolic-ref', '-q', 'HEAD'], { ok: [0, 1] });
    if (current.code === 0 && current.stdout.trim() === `refs/heads/${target}`) {
      const dirty = (await this.run(['status', '--porcelain', '--untracked-files=no'])).stdout.trim();
      if (dirty) {
        throw new AgentOsError('BAD_INPUT', `${target} is checked out with uncommitted changes; nothing was merged.`, {
          hint: `Commit or stash your changes, or run \`git merge --no-ff ${source}\` yourself.`,
        });
      }
      const r = await this.run(['merge', '--no-ff', '--no-edit', '-m', message, sourceTip], { ok: [0, 1, 128] });
      if (r.code !== 0) {
        await this.run(['merge', '--abort'], { ok: [0, 1, 128] });
        throw new AgentOsError('BAD_INPUT', `Merging ${source} into ${target} failed; nothing was merged: ${(r.stderr || r.stdout).trim()}`);
      }
      return (await this.run(['rev-parse', 'HEAD'])).stdout.trim();
    }
    if (await this.checkedOut(target)) {
      throw new AgentOsError('BAD_INPUT', `${target} is checked out in another worktree; nothing was merged.`, {
        hint: `Run \`git merge --no-ff ${source}\` in that worktree.`,
      });
    }
    const merged = await this.run(['merge-tree', '--write-tree', '--no-messages', targetTip, sourceTip], { ok: [0, 1, 128, 129] });
    if (merged.code !== 0) {
      const why = merged.code === 1 ? 'the changes conflict' : `git merge-tree failed (git 2.38 or later is needed): ${merged.stderr.trim()}`;
      throw new AgentOsError('BAD_INPUT', `${source} cannot be merged into ${target}: ${why}; nothing was merged.`);
    }
    const tree = merged.stdout.split('\n')[0]?.trim() ?? '';
    const commit = (await this.run(['commit-tree', tree, '-p', targetTip, '-p', sourceTip], { input: message, env: await this.identityEnv() })).stdout.trim();
    await this.casRef(`refs/heads/${target}`, commit, targetTip, `agent-os: merge ${source}`);
    return commit;
  }

  async push(remote: string, branch: string): Promise<void> {
    const name = await this.checkBranch(branch);
    this.checkRemote(remote);
    const r = await this.run(['push', '--porcelain', remote, `refs/heads/${name}:refs/heads/${name}`], { ok: [0, 1, 128] });
    if (r.code !== 0) {
      throw new AgentOsError('IO', `git push of ${name} to ${remote} failed: ${(r.stderr || r.stdout).trim()}`, {
        hint: 'The proposal is kept on the local branch; push it later with `git push` once the remote is reachable.',
      });
    }
  }

  async deleteRemoteBranch(remote: string, branch: string): Promise<void> {
    const name = await this.checkBranch(branch);
    this.checkRemote(remote);
    const r = await this.run(['push', '--porcelain', remote, `:refs/heads/${name}`], { ok: [0, 1, 128] });
    if (r.code !== 0 && !/remote ref does not exist/i.test(r.stderr)) {
      throw new AgentOsError('IO', `Deleting ${name} on ${remote} failed: ${(r.stderr || r.stdout).trim()}`);
    }
    await this.run(['update-ref', '-d', `refs/remotes/${remote}/${name}`], { ok: [0, 1, 128] });
  }

  async fetch(remote: string): Promise<void> {
    this.checkRemote(remote);
    const r = await this.run(['fetch', '--prune', '--quiet', remote], { ok: [0, 1, 128] });
    if (r.code !== 0) throw new AgentOsError('IO', `git fetch ${remote} failed: ${(r.stderr || r.stdout).trim()}`);
  }

  /** Fetches exactly these refspecs (e.g. one branch into its remote-tracking ref); nothing else. */
  async fetchRefspecs(remote: string, refspecs: readonly string[]): Promise<void> {
    this.checkRemote(remote);
    for (const spec of refspecs) {
      const [src = '', dst = ''] = spec.replace(/^\+/, '').split(':');
      if (!src.startsWith('refs/') || !dst.startsWith('refs/') || /\s|\.\./.test(spec)) throw new AgentOsError('BAD_INPUT', `Invalid refspec ${JSON.stringify(spec)}.`);
    }
    // A shallow checkout (actions/checkout's default) stays shallow: only the tips are fetched.
    const shallow = (await this.run(['rev-parse', '--is-shallow-repository'], { ok: [0, 128] })).stdout.trim() === 'true';
    const r = await this.run(['fetch', '--quiet', '--no-tags', ...(shallow ? ['--depth=1'] : []), remote, ...refspecs], { ok: [0, 1, 128] });
    if (r.code !== 0) throw new AgentOsError('IO', `git fetch ${remote} failed: ${(r.stderr || r.stdout).trim()}`, { hint: 'Check that actions/checkout ran before this step and that the remote is reachable.' });
  }

  async remoteUrl(remote: string): Promise<string | null> {
    this.checkRemote(remote);
    const r = await this.run(['remote', 'get-url', '--', remote], { ok: [0, 2, 128] });
    return r.code === 0 ? r.stdout.trim() || null : null;
  }

  async listRefs(prefixes: string[], options: { mergedInto?: string } = {}): Promise<RefTip[]> {
    const patterns = prefixes.filter((p) => p.startsWith('refs/') && !p.includes('..'));
    if (patterns.length === 0) return [];
    const args = ['for-each-ref', `--format=%(refname)%00${REF_COMMIT_FIELDS}%1e`];
    if (options.mergedInto !== undefined) {
      const target = options.mergedInto.startsWith('-') ? null : await this.resolve(`${options.mergedInto}^{commit}`);
      if (!target) return [];
      args.push(`--merged=${target}`);
    }
    const out = (await this.run([...args, '--', ...patterns])).stdout;
    return splitRecords(out)
      .map((rec) => {
        const [ref = '', ...rest] = rec.split('\0');
        const head = commitInfo(rest);
        return { ref, commit: head.sha, head };
      })
      .filter((t) => t.ref && !t.ref.endsWith('/HEAD'));
  }

  async readFilesAt(items: ReadonlyArray<{ ref: string; path: string }>): Promise<Array<string | null>> {
    if (items.length === 0) return [];
    const specs = items.map(({ ref, path: file }) => (!ref || ref.startsWith('-') || ref.includes(':') || /\s/.test(ref) ? null : `${ref}:${checkPath(file)}`));
    const asked = specs.filter((s): s is string => s !== null);
    const raw = asked.length ? await this.runBytes(['cat-file', '--batch'], `${asked.join('\n')}\n`) : Buffer.alloc(0);
    // Each answer: "<oid> <type> <size>\n<bytes>\n", or "<spec> missing\n" (also ambiguous).
    const answers: Array<string | null> = [];
    let at = 0;
    for (let i = 0; i < asked.length; i++) {
      const nl = raw.indexOf(0x0a, at);
      if (nl < 0) break;
      const header = raw.subarray(at, nl).toString('utf8');
      at = nl + 1;
      const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!m) {
        answers.push(null);
        continue;
      }
      const size = Number(m[2]);
      answers.push(m[1] === 'blob' ? raw.subarray(at, at + size).toString('utf8') : null);
      at += size + 1;
    }
    let k = 0;
    return specs.map((s) => (s === null ? null : (answers[k++] ?? null)));
  }

  async setRef(ref: string, commit: string, expected?: string | null): Promise<void> {
    if (!/^refs\/agent-os\/[A-Za-z0-9._/-]+$/.test(ref) || ref.includes('..')) {
      throw new AgentOsError('BAD_INPUT', `Refusing to set ${JSON.stringify(ref)}: only refs below refs/agent-os/ are bookkeeping refs.`);
    }
    const args = ['update-ref', '-m', 'agent-os: record proposal', ref, commit];
    if (expected !== undefined) args.push(expected ?? ZERO_OID);
    const r = await this.run(args, { ok: [0, 1, 128] });
    if (r.code !== 0) throw new AgentOsError('CONFLICT', `${ref} was updated concurrently: ${r.stderr.trim()}`);
  }

  async markerCommit(parent: string, message: string): Promise<string> {
    const commit = await this.resolve(`${parent}^{commit}`);
    if (!commit || parent.startsWith('-')) throw new AgentOsError('NOT_FOUND', `${parent} is not a commit in this repository.`);
    return (await this.run(['commit-tree', `${commit}^{tree}`, '-p', commit], { input: message, env: await this.identityEnv() })).stdout.trim();
  }

  async log(rev: string, max: number): Promise<CommitInfo[]> {
    const commit = rev.startsWith('-') ? null : await this.resolve(`${rev}^{commit}`);
    if (!commit) return [];
    const out = (await this.run(['log', '--first-parent', `--max-count=${Math.max(1, Math.floor(max))}`, `--format=${COMMIT_FIELDS}%x1e`, commit])).stdout;
    return splitRecords(out).map((rec) => commitInfo(rec.split('\0')));
  }

  async diff(from: string, to: string, file: string): Promise<string> {
    const rel = checkPath(file);
    const a = from.startsWith('-') ? null : await this.resolve(`${from}^{commit}`);
    const b = to.startsWith('-') ? null : await this.resolve(`${to}^{commit}`);
    if (!a || !b) throw new AgentOsError('NOT_FOUND', `Cannot diff ${from}..${to}: unknown commit.`);
    return (await this.run(['diff', '--no-color', '--no-ext-diff', a, b, '--', rel])).stdout;
  }

  /** Files below `dir` (repository-relative) at a commit-ish; empty when the ref or the directory is missing. */
  async listFilesAt(ref: string, dir: string): Promise<string[]> {
    const rel = checkPath(dir);
    if (!ref || ref.startsWith('-')) return [];
    const r = await this.run(['ls-tree', '-r', '-z', '--name-only', '--full-tree', ref, '--', rel], { ok: [0, 128] });
    return r.code === 0 ? r.stdout.split('\0').filter(Boolean) : [];
  }

  /**
   * Writes the files below `dir` as they are at `ref` into `dest` (keeping their paths below `dir`), without
   * touching the work tree. Returns how many files were written.
   */
  async exportDir(ref: string, dir: string, dest: string): Promise<number> {
    const files = await this.listFilesAt(ref, dir);
    const contents = await this.readFilesAt(files.map((f) => ({ ref, path: f })));
    let written = 0;
    for (const [i, file] of files.entries()) {
      const text = contents[i];
      if (text === null || text === undefined) continue;
      const target = path.join(dest, ...file.slice(dir.length).split('/').filter(Boolean));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, text);
      written++;
    }
    return written;
  }

  /** Makes sure a commit is present, fetching just it from `remote` in a shallow checkout; false when it cannot be had. */
  async ensureCommit(sha: string, remote = this.remote): Promise<boolean> {
    if (!/^[0-9a-f]{7,40}$/i.test(sha)) return false;
    if (await this.resolve(`${sha}^{commit}`)) return true;
    this.checkRemote(remote);
    const r = await this.run(['fetch', '--quiet', '--no-tags', '--depth=1', remote, sha], { ok: [0, 1, 128] });
    return r.code === 0 && (await this.resolve(`${sha}^{commit}`)) !== null;
  }

  async repoPath(absolute: string): Promise<string> {
    const top = await this.top();
    const rel = path.relative(top, path.resolve(absolute));
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new AgentOsError('OUTSIDE_PROJECT', `${absolute} is outside the git work tree ${top}.`);
    }
    return rel.split(path.sep).join('/');
  }

  // --- helpers ---

  /** Whether a branch is the HEAD of this or any linked working tree. */
  private async checkedOut(branch: string): Promise<boolean> {
    const worktrees = (await this.run(['worktree', 'list', '--porcelain'])).stdout;
    return worktrees.split('\n').some((l) => l === `branch refs/heads/${branch}`);
  }

  private checkRemote(remote: string): void {
    if (!remote || remote.startsWith('-') || /[\s\0]/.test(remote)) throw new AgentOsError('BAD_INPUT', `Invalid remote name ${JSON.stringify(remote)}.`);
  }

  /** The work tree's top directory: every command runs there, so paths are repository-relative. */
  private top(): Promise<string> {
    this.topLevel ??= this.spawnGit(['rev-parse', '--show-toplevel'], this.root, { ok: [0, 128] }).then((r) => {
      if (r.code !== 0 || !r.stdout.trim()) {
        this.topLevel = null;
        throw new AgentOsError('NOT_INITIALIZED', `${this.root} is not inside a git work tree.`, { hint: 'Run `git init` and make a first commit.' });
      }
      return r.stdout.trim();
    });
    return this.topLevel;
  }

  /** A branch name git accepts as is (no `@{-1}` expansion, no option-like or ref-qualified names). */
  private async checkBranch(branch: string): Promise<string> {
    const bad = () => new AgentOsError('BAD_INPUT', `Invalid branch name ${JSON.stringify(branch)}.`);
    if (!branch || branch.startsWith('-') || branch.startsWith('refs/') || branch === 'HEAD' || branch.includes('@{')) throw bad();
    const r = await this.run(['check-ref-format', '--branch', branch], { ok: [0, 1, 128] });
    if (r.code !== 0 || r.stdout.trim() !== branch) throw bad();
    return branch;
  }

  private async resolve(rev: string): Promise<string | null> {
    const r = await this.run(['rev-parse', '--verify', '-q', '--end-of-options', rev], { ok: [0, 1, 128] });
    return r.code === 0 ? r.stdout.trim() || null : null;
  }

  private async hasRef(ref: string): Promise<boolean> {
    return (await this.run(['show-ref', '--verify', '-q', ref], { ok: [0, 1] })).code === 0;
  }

  private async isAncestor(a: string, b: string): Promise<boolean> {
    return (await this.run(['merge-base', '--is-ancestor', a, b], { ok: [0, 1] })).code === 0;
  }

  private async requireCommits(): Promise<void> {
    const head = await this.resolve('HEAD^{commit}');
    if (head) return;
    const refs = (await this.run(['for-each-ref', '--count=1', '--format=%(refname)', 'refs/heads', 'refs/remotes'])).stdout.trim();
    if (refs) return;
    throw new AgentOsError('NOT_INITIALIZED', 'This git repository has no commits yet, so there is no branch to propose from.', {
      hint: 'Make a first commit (for example `git commit --allow-empty -m "Initial commit"`), then propose again.',
    });
  }

  private async casRef(ref: string, next: string, expected: string, reason: string): Promise<void> {
    const r = await this.run(['update-ref', '-m', reason, ref, next, expected], { ok: [0, 1, 128] });
    if (r.code !== 0) {
      throw new AgentOsError('LOCKED', `${ref.replace(/^refs\/heads\//, '')} was updated concurrently; nothing was overwritten.`, {
        hint: 'Retry: the change will be committed on top of the new tip.',
        cause: new Error(r.stderr.trim()),
      });
    }
  }

  /** Author from the caller; committer from git config, else the author, else agent-os. */
  private async identityEnv(author?: { name: string; email: string }): Promise<NodeJS.ProcessEnv> {
    const env: NodeJS.ProcessEnv = { ...this.env };
    if (author) {
      env['GIT_AUTHOR_NAME'] = author.name;
      env['GIT_AUTHOR_EMAIL'] = author.email;
    }
    const fallback = author ?? FALLBACK_IDENTITY;
    for (const role of ['AUTHOR', 'COMMITTER'] as const) {
      if ((await this.run(['var', `GIT_${role}_IDENT`], { ok: [0, 128], env })).code === 0) continue;
      env[`GIT_${role}_NAME`] = fallback.name;
      env[`GIT_${role}_EMAIL`] = fallback.email;
    }
    return env;
  }

  private async withTempIndex<T>(fn: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'agent-os-index-'));
    try {
      return await fn({ ...this.env, GIT_INDEX_FILE: path.join(dir, 'index') });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** Runs git at the work tree's top; a code outside `ok` (default [0]) throws with git's stderr. */
  private async run(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; ok?: number[] } = {}): Promise<GitRun> {
    return this.spawnGit(args, await this.top(), opts);
  }

  /** Runs git with `input` on stdin and returns stdout as bytes (for binary-safe batch output). */
  private async runBytes(args: string[], input: string): Promise<Buffer> {
    const r = await runGitBytes(args, { cwd: await this.top(), env: this.env, input });
    if (r.startError) throw new AgentOsError('IO', `git could not be started: ${r.startError.message}`, { cause: r.startError });
    if (r.code !== 0) throw new AgentOsError('IO', `git ${args[0] ?? ''} failed: ${r.stderr.trim() || `exit code ${r.code}`}`);
    return r.stdout;
  }

  private async spawnGit(args: string[], cwd: string, opts: { input?: string; env?: NodeJS.ProcessEnv; ok?: number[] } = {}): Promise<GitRun> {
    const r = await runGit(args, { cwd, env: opts.env ?? this.env, ...(opts.input !== undefined ? { input: opts.input } : {}) });
    if (r.startError) throw new AgentOsError('IO', `git could not be started: ${r.startError.message}`, { cause: r.startError });
    if ((opts.ok ?? [0]).includes(r.code)) return r;
    const stderr = r.stderr.trim();
    if (/not a git repository/i.test(stderr)) {
      throw new AgentOsError('NOT_INITIALIZED', `${this.root} is not a git repository.`, { hint: 'Run `git init` and make a first commit.' });
    }
    throw new AgentOsError('IO', `git ${args[0] ?? ''} failed: ${stderr || `exit code ${r.code}`}`);
  }
}

/** The CommitInfo fields, NUL-separated, as `git log` placeholders and as `for-each-ref` atoms. */
const COMMIT_FIELDS = '%H%x00%P%x00%an <%ae>%x00%aI%x00%cn <%ce>%x00%cI%x00%B';
const REF_COMMIT_FIELDS =
  '%(objectname)%00%(parent)%00%(authorname) %(authoremail)%00%(authordate:iso-strict)%00%(committername) %(committeremail)%00%(committerdate:iso-strict)%00%(contents)';

function splitRecords(out: string): string[] {
  return out
    .split('\x1e')
    .map((rec) => rec.replace(/^\n/, ''))
    .filter((rec) => rec.includes('\0'));
}

function commitInfo(fields: string[]): CommitInfo {
  const [sha = '', parents = '', author = '', authorDate = '', committer = '', committerDate = '', message = ''] = fields;
  return { sha, parents: parents.split(' ').filter(Boolean), author, authorDate, committer, committerDate, message: message.replace(/\n+$/, '') };
}

/** A repository-relative POSIX path that stays inside the repository and out of `.git`. */
function checkPath(file: string): string {
  const parts = file.split('/');
  const ok =
    file.length > 0 &&
    !file.startsWith('/') &&
    !/[\\\0\n\r]/.test(file) &&
    !/^[A-Za-z]:/.test(file) &&
    parts.every((p) => p !== '' && p !== '.' && p !== '..' && p.toLowerCase() !== '.git');
  if (!ok) throw new AgentOsError('BAD_INPUT', `Invalid path ${JSON.stringify(file)}: use a relative path inside the repository.`);
  return file;
}
