import type { AgentOsConfig } from './config/schema.js';
import { GitPlumbing } from './infra/git-plumbing.js';
import { connectGitHub } from './infra/github-connect.js';
import { SecretlintScanner } from './infra/secretlint-scanner.js';
import type { Logger } from './ports/logger.js';
import { approveImport, listImports, rejectImport, showImport, type ImportDetail, type ImportView } from './services/imports.js';
import { approveStandardProposal } from './services/proposals/approve.js';
import { listStandardProposals, type ListProposalsInput, type ListProposalsOutput } from './services/proposals/list.js';
import { proposeStandard, type ProposeInput } from './services/proposals/propose.js';
import { rejectStandardProposal } from './services/proposals/reject.js';
import { reviseStandardProposal, type ReviseInput } from './services/proposals/revise.js';
import { showStandardProposal, type ProposalDetail } from './services/proposals/show.js';
import type { ProposalDeps, ProposalView, ProposeResult } from './services/proposals/types.js';

/** Git plumbing, GitHub (when a token and a GitHub remote exist) and the proposal settings of a project. */
export async function createProposalDeps(root: string, config: AgentOsConfig, standardsDir: string, env: NodeJS.ProcessEnv, logger: Logger): Promise<ProposalDeps> {
  const git = new GitPlumbing(root, { env, remote: config.proposals.remote });
  const gh = await connectGitHub(config.proposals, env, logger, () => git.remoteUrl(config.proposals.remote));
  const { branchPrefix, remote, push, label } = config.proposals;
  return { git, github: gh.github, githubMissing: gh.missing, secrets: new SecretlintScanner(), standardsDir, settings: { branchPrefix, remote, push, label }, logger };
}

/** The proposal use cases of a project, for the CLI and the MCP server; their deps are built once, on first use. */
export interface ProposalUseCases {
  propose(input: ProposeInput): Promise<ProposeResult>;
  revise(input: ReviseInput): Promise<ProposeResult>;
  list(input?: ListProposalsInput): Promise<ListProposalsOutput>;
  show(proposalId: string): Promise<ProposalDetail>;
  /** Merges the proposal's branch into the default branch (teams without GitHub). */
  approve(proposalId: string): Promise<ProposalView>;
  reject(proposalId: string, input?: { reason?: string | null }): Promise<ProposalView & { warnings: string[] }>;
  /** Imports of the team's existing rule files, which are proposals of their own kind (`im-…`). */
  imports: {
    list(): Promise<ImportView[]>;
    show(importId: string): Promise<ImportDetail>;
    approve(importId: string): Promise<ImportView>;
    reject(importId: string, reason: string | null): Promise<ImportView & { warnings: string[] }>;
  };
}

export function proposalUseCases(deps: () => Promise<ProposalDeps>): ProposalUseCases {
  return {
    propose: async (input) => proposeStandard(await deps(), input),
    revise: async (input) => reviseStandardProposal(await deps(), input),
    list: async (input) => listStandardProposals(await deps(), input),
    show: async (id) => showStandardProposal(await deps(), id),
    approve: async (id) => approveStandardProposal(await deps(), id),
    reject: async (id, input) => rejectStandardProposal(await deps(), id, input),
    imports: {
      list: async () => listImports(await deps()),
      show: async (id) => showImport(await deps(), id),
      approve: async (id) => approveImport(await deps(), id),
      reject: async (id, reason) => rejectImport(await deps(), id, reason),
    },
  };
}
