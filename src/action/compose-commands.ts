import path from 'node:path';

import { createActionApp, type ActionAppOptions } from './compose.js';
import { AgentOsError } from '../domain/errors.js';
import { OctokitConversation } from '../infra/github-conversation.js';
import { GitPlumbing } from '../infra/git-plumbing.js';
import { SecretlintScanner } from '../infra/secretlint-scanner.js';
import type { Logger } from '../ports/logger.js';
import type { CommandWorkspace } from '../services/pr-commands.js';
import type { ProposalDeps } from '../services/proposals/types.js';
import { reviewPullRequest, type PullRequestReviewInput } from '../services/review-pull-request.js';

/**
 * Composition of `/agent-os` commands in the Action: GitHub for the conversation (the repository is
 * GITHUB_REPOSITORY, whatever the checkout's remote URL), and, once the author may command, the base
 * commit's standards and personas (as for reviews), the model, and proposals pushed from the checkout.
 */

/** The conversation client: cheap to make, so the permission check comes before anything else. */
export function conversationClient(github: ActionAppOptions['github'], logger: Logger): OctokitConversation {
  const [owner = '', repo = ''] = github.repository.split('/');
  return new OctokitConversation({ apiUrl: github.apiUrl, token: github.token, owner, repo, logger, ...(github.knownLogin ? { knownLogin: github.knownLogin } : {}) });
}

export interface CommandAppOptions extends ActionAppOptions {
  number: number;
  /** The pull request's base branch: proposals start from its tip and are opened against it. */
  baseRef: string;
  /** How `/agent-os review` reviews (the workflow's inputs); its personas are the default. */
  review: Omit<PullRequestReviewInput, 'number' | 'full'>;
}

export async function openCommandWorkspace(opts: CommandAppOptions): Promise<{ workspace: CommandWorkspace; notes: string[]; close(): Promise<void> }> {
  const setup = await createActionApp(opts);
  const { app } = setup;
  let proposals: Promise<ProposalDeps> | null = null;
  const workspace: CommandWorkspace = {
    review: (personas) => reviewPullRequest(setup.deps, { ...opts.review, number: opts.number, personas: personas.length ? personas : opts.review.personas, full: true }),
    // The base commit's standards, as indexed for this run (what `explain` quotes).
    standardText: (file) => app.indexDeps.repo.read(file).then((bytes) => Buffer.from(bytes).toString('utf8'), () => null),
    personas: () => app.personas(),
    llm: app.llm,
    proposals: () => {
      const { branchPrefix, remote, push, label } = app.config.proposals;
      proposals ??= actionProposalDeps(opts, path.relative(path.join(opts.tempDir, 'base'), app.config.standardsDir), { branchPrefix, remote, push, label });
      proposals.catch(() => (proposals = null));
      return proposals;
    },
  };
  return { workspace, notes: setup.notes, close: setup.close };
}

/**
 * Proposals from the Action's checkout: the base branch and existing proposal branches are fetched
 * (so a proposal starts from the base's tip and sees earlier ones), the branch is pushed to the
 * checkout's remote, and the draft pull request is opened in GITHUB_REPOSITORY with the Action's token.
 * GitHub settings of the repository's config (repository, token variable, API URL) are not used.
 */
async function actionProposalDeps(opts: CommandAppOptions, standardsRel: string, settings: ProposalDeps['settings']): Promise<ProposalDeps> {
  const { remote, branchPrefix } = settings;
  if (!/^[A-Za-z0-9._/-]+$/.test(opts.baseRef) || opts.baseRef.includes('..') || opts.baseRef.startsWith('-')) {
    throw new AgentOsError('BAD_INPUT', `The pull request's base branch ${JSON.stringify(opts.baseRef)} is not a branch name agent-os proposes to.`);
  }
  const git = new GitPlumbing(opts.workspace, { env: opts.env, remote, defaultBranch: `${remote}/${opts.baseRef}` });
  await git.fetchRefspecs(remote, [`+refs/heads/${opts.baseRef}:refs/remotes/${remote}/${opts.baseRef}`, `+refs/heads/${branchPrefix}*:refs/remotes/${remote}/${branchPrefix}*`]);
  return {
    git,
    github: conversationClient(opts.github, opts.logger),
    githubMissing: null,
    secrets: new SecretlintScanner(),
    standardsDir: path.resolve(opts.workspace, standardsRel),
    // The runner's checkout is thrown away: a proposal that is not pushed is lost.
    settings: { ...settings, push: 'always' },
    logger: opts.logger,
  };
}
