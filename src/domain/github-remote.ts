import { AgentOsError } from './errors.js';

/** A GitHub repository named by a git remote. `host` is the matched entry of `hosts` (lower case). */
export interface GitHubRemote {
  owner: string;
  repo: string;
  host: string;
}

/**
 * Owner (user or organisation) names: letters, digits and single inner hyphens, at most 39 characters;
 * underscores are allowed for Enterprise Managed Users (`octocat_acme`).
 */
const OWNER_RE = /^[A-Za-z0-9](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9_])){0,38}$/;
/** Repository names: letters, digits, `.`, `_`, `-`; at most 100 characters; never `.` or `..`. */
const REPO_RE = /^[A-Za-z0-9._-]{1,100}$/;

export function isValidOwner(owner: string): boolean {
  return OWNER_RE.test(owner);
}

export function isValidRepoName(repo: string): boolean {
  return REPO_RE.test(repo) && repo !== '.' && repo !== '..';
}

/** `owner/repo(.git)(/)` into its parts, or null when it is not exactly two valid segments. */
function ownerAndRepo(path: string): { owner: string; repo: string } | null {
  const parts = path.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  if (parts.length !== 2) return null;
  const [owner = '', rawRepo = ''] = parts;
  const repo = rawRepo.endsWith('.git') ? rawRepo.slice(0, -4) : rawRepo;
  return isValidOwner(owner) && isValidRepoName(repo) ? { owner, repo } : null;
}

/**
 * The GitHub repository a git remote URL points at, or null when it is not one on `hosts`
 * (github.com by default; pass GitHub Enterprise host names, with a port where one is used).
 * Accepts https (optionally with credentials), `ssh://` and scp-like `git@host:owner/repo.git` forms.
 */
export function parseGitHubRemote(url: string, hosts: string[] = ['github.com']): GitHubRemote | null {
  const known = hosts.map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  const match = (hostname: string, host: string): string | undefined => {
    const found = known.find((k) => k === host || k === hostname);
    if (found) return found;
    // github.com's SSH-over-443 endpoint.
    return hostname === 'ssh.github.com' && known.includes('github.com') ? 'github.com' : undefined;
  };
  const text = url.trim();

  const scp = /^(?:[^@/:\s]+@)?([^@/:\s]+):(?!\/)(\S+)$/.exec(text);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const hostname = (scp[1] ?? '').toLowerCase();
    const host = match(hostname, hostname);
    const parts = host ? ownerAndRepo(scp[2] ?? '') : null;
    return host && parts ? { ...parts, host } : null;
  }

  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return null;
  }
  if (!['https:', 'http:', 'ssh:'].includes(parsed.protocol) || parsed.search || parsed.hash) return null;
  const host = match(parsed.hostname.toLowerCase(), parsed.host.toLowerCase());
  if (!host) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  const parts = ownerAndRepo(path);
  return parts ? { ...parts, host } : null;
}

/** `owner/name` (as in GITHUB_REPOSITORY) into its parts; a CONFIG error when it is not one. */
export function parseRepository(value: string): { owner: string; repo: string } {
  const text = value.trim();
  const parts = text.split('/');
  const [owner = '', repo = ''] = parts;
  if (parts.length === 2 && isValidOwner(owner) && isValidRepoName(repo)) return { owner, repo };
  throw new AgentOsError('CONFIG', `"${value}" is not a GitHub repository name: expected owner/name, e.g. octo-org/widgets.`, {
    hint: 'Set the repository as owner/name (letters, digits, "-", "_" and "."), without the host or a .git suffix.',
  });
}

/** The REST API base URL for a GitHub host: api.github.com for github.com, `/api/v3` on Enterprise Server. */
export function gitHubApiUrl(host: string): string {
  const h = host.trim().toLowerCase();
  return h === 'github.com' ? 'https://api.github.com' : `https://${h}/api/v3`;
}
