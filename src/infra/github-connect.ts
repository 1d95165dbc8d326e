import type { AgentOsConfig } from '../config/schema.js';
import { parseGitHubRemote, parseRepository } from '../domain/github-remote.js';
import type { PullRequestHistory, PullRequests } from '../ports/github.js';
import type { Logger } from '../ports/logger.js';
import { OctokitConversation } from './github-conversation.js';

/**
 * GitHub for proposals and reports: a token (`proposals.github.tokenEnv`) and a repository, from the
 * config or from the remote's URL (github.com, or the host of GITHUB_SERVER_URL / the configured API
 * URL for Enterprise). Without either, `missing` says why.
 */
export async function connectGitHub(
  proposals: AgentOsConfig['proposals'],
  env: NodeJS.ProcessEnv,
  logger: Logger,
  remoteUrl: () => Promise<string | null>,
): Promise<{ github: (PullRequests & PullRequestHistory) | null; missing: string | null }> {
  const cfg = proposals.github;
  const token = env[cfg.tokenEnv];
  if (!token) return { github: null, missing: `${cfg.tokenEnv} is not set` };
  const hostOf = (url: string | undefined): string | null => {
    try {
      return url ? new URL(url).hostname : null;
    } catch {
      return null;
    }
  };
  let target: { owner: string; repo: string; host: string | null };
  if (cfg.repository) target = { ...parseRepository(cfg.repository), host: null };
  else {
    const url = await remoteUrl().catch(() => null);
    const hosts = ['github.com', hostOf(env['GITHUB_SERVER_URL']), hostOf(cfg.apiUrl)].filter((h): h is string => Boolean(h));
    const parsed = url ? parseGitHubRemote(url, hosts) : null;
    if (!parsed) {
      return { github: null, missing: `the ${proposals.remote} remote is not a GitHub repository (set proposals.github.repository to owner/name)` };
    }
    target = parsed;
  }
  const apiUrl = cfg.apiUrl ?? env['GITHUB_API_URL'] ?? (target.host && target.host !== 'github.com' ? `https://${target.host}/api/v3` : 'https://api.github.com');
  return { github: new OctokitConversation({ apiUrl, token, owner: target.owner, repo: target.repo, logger }), missing: null };
}
