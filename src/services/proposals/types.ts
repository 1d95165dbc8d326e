import type { ProposalStatus } from '../../domain/proposal.js';
import type { PullRequests } from '../../ports/github.js';
import type { Logger } from '../../ports/logger.js';
import type { ProposalGit } from '../../ports/proposal-git.js';
import type { SecretScanner } from '../../ports/secret-scanner.js';

/** How proposals reach git and GitHub (config `proposals`). */
export interface ProposalSettings {
  /** Branch names are `<prefix><domain>/<topic>`. */
  branchPrefix: string;
  remote: string;
  /** auto: push when a pull request can be opened; always: push whenever there is a remote; never. */
  push: 'auto' | 'always' | 'never';
  label: string;
}

export interface ProposalDeps {
  git: ProposalGit;
  /** null when there is no GitHub remote or token; `githubMissing` then says why. */
  github: PullRequests | null;
  githubMissing?: string | null;
  /** Refuses content, rationale and feedback that hold credentials: they land in commits and PRs. */
  secrets: SecretScanner;
  /** Absolute path of the standards directory (inside the git work tree). */
  standardsDir: string;
  settings: ProposalSettings;
  logger: Logger;
  now?: () => Date;
  randomHex?: () => string;
}

/** The spec's StandardProposal, with where it lives in git and on GitHub. */
export interface ProposalView {
  proposal_id: string;
  status: ProposalStatus;
  domain: string;
  topic: string;
  title: string;
  /** Repository-relative path of the standard, e.g. `.agent-os/standards/api/errors.md`. */
  file: string;
  branch: string;
  /** The proposal's latest commit. */
  commit: string;
  /** The branch it is proposed into (the default branch). */
  base: string;
  /** True when it changes a standard that already exists on the base. */
  update: boolean;
  proposed_by: string | null;
  rationale: string | null;
  /** The latest feedback a revision answered, if any. */
  feedback: string | null;
  revisions: { commit: string; at: string; by: string | null; feedback: string | null }[];
  job_id: string | null;
  created_at: string;
  updated_at: string;
  approved_by: string | null;
  approved_at: string | null;
  rejected_reason: string | null;
  /** The branch exists on the remote. */
  pushed: boolean;
  pr_url: string | null;
  pr_number: number | null;
}

/** The result of a propose or revise call. */
export interface ProposeResult {
  proposal_id: string;
  status: ProposalStatus;
  branch: string;
  file: string;
  commit: string;
  pr_url?: string;
  pushed: boolean;
  /** Set when a push was wanted and failed: the proposal is kept locally. */
  push_error?: string;
  update: boolean;
  /** Problems that did not stop the proposal (a failed push, a PR that could not be opened). */
  warnings: string[];
  /** What a person does next. */
  next_steps: string[];
}
