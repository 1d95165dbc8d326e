/**
 * The fixed part of what personas may read: credential files and git internals are refused whatever
 * git's ignore rules say (a tracked `.env` is still a secret). Paths are project-relative, POSIX.
 */

/**
 * Names (simple globs, `*` only) of files that hold or usually hold credentials. Matched against
 * every path component, case-insensitively, so a directory of that name is covered too.
 */
const CREDENTIAL_NAMES = ['.env*', '*.pem', '*.key', '*.p12', '*.pfx', 'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*', '.netrc', '.npmrc', '.pypirc', '.pgpass', '.git-credentials'];

/** Directories whose whole content is credentials, at any depth (`.config/gh` as consecutive components). */
const CREDENTIAL_DIRS = ['.aws', '.ssh', '.config/gh'];

const NAME_RES = CREDENTIAL_NAMES.map(globToRegExp);
const DIR_PARTS = CREDENTIAL_DIRS.map((d) => d.split('/'));

/**
 * Git pathspecs that leave the same files out of `git diff` and `git ls-files`: each rule as a file
 * and as a directory, below any directory, in any case.
 */
export const SECRET_EXCLUDE_PATHSPECS: readonly string[] = [...CREDENTIAL_NAMES, ...CREDENTIAL_DIRS].flatMap((g) => [
  `:(exclude,glob,icase)**/${g}`,
  `:(exclude,glob,icase)**/${g}/**`,
]);

/** True when the path is, or lies below, a credential file or directory (so a walk can skip such a directory). */
export function isSecretFile(rel: string): boolean {
  const parts = components(rel);
  return parts.some((p) => NAME_RES.some((re) => re.test(p))) || DIR_PARTS.some((dir) => containsRun(parts, dir));
}

/** True when the path is a `.git` directory or lies inside one (any case: case-insensitive file systems). */
export function isGitInternal(rel: string): boolean {
  return components(rel).some((p) => p.toLowerCase() === '.git');
}

function components(rel: string): string[] {
  return rel.split('/').filter((p) => p !== '' && p !== '.');
}

function containsRun(parts: string[], run: string[]): boolean {
  for (let i = 0; i + run.length <= parts.length; i++) {
    if (run.every((r, j) => parts[i + j]!.toLowerCase() === r)) return true;
  }
  return false;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}
