import type { AgentOsConfig } from './config/schema.js';
import { GitPlumbing } from './infra/git-plumbing.js';
import { connectGitHub } from './infra/github-connect.js';
import { SecretlintScanner } from './infra/secretlint-scanner.js';
import type { Logger } from './ports/logger.js';
import type { ProposalDeps } from './services/proposals/types.js';

/** Git plumbing, GitHub (when a token and a GitHub remote exist) and the proposal settings of a project. */
export async function createProposalDeps(root: string, config: AgentOsConfig, standardsDir: string, env: NodeJS.ProcessEnv, logger: Logger): Promise<ProposalDeps> {
  const git = new GitPlumbing(root, { env, remote: config.proposals.remote });
  const gh = await connectGitHub(config.proposals, env, logger, () => git.remoteUrl(config.proposals.remote));
  const { branchPrefix, remote, push, label } = config.proposals;
  return { git, github: gh.github, githubMissing: gh.missing, secrets: new SecretlintScanner(), standardsDir, settings: { branchPrefix, remote, push, label }, logger };
}
