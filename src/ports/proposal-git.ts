/** A person's identity on a commit. */
export interface GitIdentity {
  name: string;
  email: string;
}

export interface CommitFileInput {
  /** Branch to commit on, e.g. `agent-os/standard/<domain>/<topic>` (a plain branch name, not `refs/heads/...`). */
  branch: string;
  /** Commit-ish the branch starts from when it does not exist yet (ignored when it does). */
  base: string;
  /** POSIX path relative to the repository root, e.g. `.agent-os/standards/api/errors.md`. */
  path: string;
  /** Full new content of the file (added, or replacing the previous version), stored as is. */
  content: string;
  message: string;
  /** Author of the commit; defaults to git's configured identity. */
  author?: GitIdentity;
  /**
   * Compare-and-swap guard: `null` means the branch must not exist yet (a new proposal), a commit id
   * means the branch tip must still be that commit (a revision). CONFLICT otherwise; absent: no guard.
   */
  expectTip?: string | null;
  /**
   * Commit on top of this commit instead of the branch tip; it must contain the tip (the branch moves
   * forward, e.g. to a revision fetched from the remote). CONFLICT otherwise.
   */
  parent?: string;
}

export interface CommitFilesInput extends Omit<CommitFileInput, 'path' | 'content'> {
  /** Files to add or replace, each a POSIX path relative to the repository root (no path twice). */
  files: ReadonlyArray<{ path: string; content: string }>;
}

export interface CommitFileResult {
  /** The branch's new tip (or its unchanged tip when the file already had this content). */
  commit: string;
  /** True when the branch was created by this call. */
  created: boolean;
}

export interface MergeState {
  merged: boolean;
  /** The merge commit on the target's first-parent line that brought the branch in (absent for a fast-forward). */
  mergeCommit?: string;
  /** `Name <email>` of whoever merged: the merge commit's committer (its author when GitHub's web flow committed it). */
  mergedBy?: string;
}

/** A ref and the commit it points at. */
export interface RefTip {
  /** Full ref name, e.g. `refs/heads/agent-os/standard/api/errors`. */
  ref: string;
  commit: string;
  /** The commit itself (read in the same pass). */
  head: CommitInfo;
}

/** One commit as read from the history. */
export interface CommitInfo {
  sha: string;
  parents: string[];
  author: string;
  authorDate: string;
  committer: string;
  committerDate: string;
  /** The full message (subject, body and trailers). */
  message: string;
}

/**
 * The git operations a standards proposal needs, in one repository. Everything except `mergeNoFf`
 * works on objects and refs only: the user's working tree, index, HEAD and uncommitted work are
 * never touched, whatever branch (or detached HEAD) is checked out.
 */
export interface ProposalGit {
  /**
   * The branch proposals start from and are merged into: the remote's HEAD (`origin/HEAD`) when known,
   * else `main`, `master`, `init.defaultBranch`, the current branch, or the only branch. Returns the local
   * branch name when it exists, else the remote-tracking name (`origin/main`).
   * NOT_INITIALIZED in a repository without commits (hint: make a first commit).
   */
  defaultBranch(): Promise<string>;
  /**
   * Commits exactly one file (add or replace) on `branch`: created from `base` when missing, else on top of
   * its tip. The ref is moved with compare-and-swap: a concurrent update of the branch fails with LOCKED
   * instead of losing a commit. Content identical to the branch tip: no commit, the tip is returned; identical
   * to `base` for a new branch: BAD_INPUT (nothing to propose). A branch checked out in any working tree is
   * not moved (CONFLICT): that checkout's index and files would silently describe the old tip.
   */
  commitFile(input: CommitFileInput): Promise<CommitFileResult>;
  /**
   * `commitFile` for several files at once: one commit holding all of them, with the same guards
   * (compare-and-swap, checked-out branches refused, the user's checkout untouched). Content identical
   * to the parent for every file: BAD_INPUT for a new branch, else the tip is returned.
   */
  commitFiles(input: CommitFilesInput): Promise<CommitFileResult>;
  branchExists(branch: string): Promise<boolean>;
  /** The file's content at a commit-ish; null when the ref or the file does not exist. */
  readFileAt(ref: string, path: string): Promise<string | null>;
  /** Many `readFileAt`s in one pass, answers in order. */
  readFilesAt(items: ReadonlyArray<{ ref: string; path: string }>): Promise<Array<string | null>>;
  /**
   * Whether `branch` (a local branch, else any commit-ish such as a recorded proposal commit) is contained
   * in `target`. An unknown branch is not merged.
   */
  isMergedInto(branch: string, target: string): Promise<MergeState>;
  /** Deletes a local branch; a missing branch is a no-op; a branch checked out in a worktree is refused. */
  deleteBranch(branch: string): Promise<void>;
  /**
   * Merges `branch` into `into` with a merge commit (for `proposals approve`); returns the merge commit.
   * When `into` is checked out here, it runs `git merge --no-ff` and requires a clean tree (tracked files);
   * when it is not checked out anywhere, it merges with plumbing without touching any checkout; when it is
   * checked out in another worktree, or the merge conflicts, it refuses and changes nothing.
   */
  mergeNoFf(branch: string, into: string, message: string): Promise<string>;
  /** Pushes the local branch to the same name on `remote`; failures become AgentOsError('IO') with git's message. */
  push(remote: string, branch: string): Promise<void>;
  /** Deletes the branch on `remote` (a branch already gone is fine); IO on failure. */
  deleteRemoteBranch(remote: string, branch: string): Promise<void>;
  /** Fetches `remote` (prunes deleted branches); IO on failure. */
  fetch(remote: string): Promise<void>;
  /** The remote's fetch URL, or null when there is no such remote. */
  remoteUrl(remote: string): Promise<string | null>;
  /**
   * Refs below the given prefixes (e.g. `refs/heads/agent-os/standard/`), with their commits, in one pass.
   * `mergedInto`: only refs whose commit is contained in that commit-ish (none when it does not resolve).
   */
  listRefs(prefixes: string[], options?: { mergedInto?: string }): Promise<RefTip[]>;
  /**
   * Points a bookkeeping ref (below `refs/agent-os/` only) at a commit, with compare-and-swap when
   * `expected` is given (`null`: must not exist).
   */
  setRef(ref: string, commit: string, expected?: string | null): Promise<void>;
  /** A commit with `parent`'s tree and `parent` as its only parent (a marker, e.g. a rejection record). */
  markerCommit(parent: string, message: string): Promise<string>;
  /** Up to `max` commits from `rev` along first parents, newest first. */
  log(rev: string, max: number): Promise<CommitInfo[]>;
  /** Unified diff of one path between two commit-ishes (empty when equal). */
  diff(from: string, to: string, path: string): Promise<string>;
  /** An absolute path inside the work tree as a repository-relative POSIX path. OUTSIDE_PROJECT when outside. */
  repoPath(absolute: string): Promise<string>;
}
