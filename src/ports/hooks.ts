/** Where a git repository keeps its work tree and its (common) git directory. */
export interface GitRepoPaths {
  /** Absolute top level of the work tree; hooks run with this as their working directory. */
  topLevel: string;
  /** Absolute common git directory (the main `.git`, also for linked worktrees). */
  commonDir: string;
}

/** A config value and the scope it came from (`local`, `global`, `system`, `worktree`, `command`). */
export interface GitConfigValue {
  value: string;
  scope: string;
}

/** The bits of git that hook installation needs. */
export interface GitConfig {
  /** The repository containing `dir`, or null when `dir` is not inside a work tree (or git is missing). */
  repo(dir: string): Promise<GitRepoPaths | null>;
  /** The effective value of `key` in the repository at `cwd`, or null when unset. */
  get(cwd: string, key: string): Promise<GitConfigValue | null>;
  /** Set `key` in the repository's local config. */
  set(cwd: string, key: string, value: string): Promise<void>;
  /** Remove `key` from the repository's local config (no error when unset). */
  unset(cwd: string, key: string): Promise<void>;
}

/** How hooks start the CLI on this machine, resolved at install time. */
export type CliInvocation =
  | { kind: 'node'; node: string; bin: string }
  | { kind: 'path'; command: string };

/** The hook scripts and runner shipped with the installed agent-os package. */
export interface HookAssets {
  /** Text of the package's `hooks/<name>` script. */
  template(name: string): Promise<string>;
  /** Text of husky 9's runner (`.husky/_/h`). */
  huskyRunner(): Promise<string>;
  /** node + absolute bin of this installed package, else `agent-os` found on PATH, else null. */
  cli(): Promise<CliInvocation | null>;
}
