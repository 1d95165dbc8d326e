import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { PROPOSAL_STATUSES } from '../../domain/proposal.js';
import type { Logger } from '../../ports/logger.js';
import type { ListProposalsInput, ListProposalsOutput } from '../../services/proposals/list.js';
import type { ProposeInput } from '../../services/proposals/propose.js';
import type { ReviseInput } from '../../services/proposals/revise.js';
import type { ProposeResult } from '../../services/proposals/types.js';
import { guarded as guard, toolResult as ok } from '../results.js';

/** The proposal use cases, bound to the project by the composition root. */
export interface ProposalToolDeps {
  propose(input: ProposeInput): Promise<ProposeResult>;
  revise(input: ReviseInput): Promise<ProposeResult>;
  list(input: ListProposalsInput): Promise<ListProposalsOutput>;
  logger: Logger;
}

const resultShape = {
  proposal_id: z.string(),
  status: z.enum(PROPOSAL_STATUSES),
  branch: z.string(),
  file: z.string().describe('Repository-relative path of the standard.'),
  commit: z.string(),
  pr_url: z.string().optional(),
  pushed: z.boolean(),
  update: z.boolean().describe('True when it changes an existing standard.'),
  warnings: z.array(z.string()),
  next_steps: z.array(z.string()),
};

const slug = (what: string) => z.string().min(1).max(64).describe(`${what}: a lowercase slug (letters, digits, "-"), no "/".`);

function proposalText(r: ProposeResult, verb: string): string {
  return [
    `${verb} ${r.proposal_id}: ${r.file} on branch ${r.branch} (${r.status}, commit ${r.commit.slice(0, 12)}).`,
    ...(r.pr_url ? [`Draft pull request: ${r.pr_url}`] : []),
    ...r.warnings.map((w) => `Warning: ${w}`),
    ...r.next_steps.map((s) => `Next: ${s}`),
  ].join('\n');
}

export function registerProposalTools(server: McpServer, deps: ProposalToolDeps): void {
  const guarded = <A>(tool: string, fn: (args: A) => Promise<CallToolResult>) => guard(deps.logger, tool, fn);

  server.registerTool(
    'propose_standard',
    {
      title: 'Propose a standard',
      description:
        'Propose a new project standard, or a change to an existing one, for a human to approve. It is committed on its own git branch (agent-os/standard/<domain>/<topic>) without touching the working tree, and opened as a draft pull request when GitHub is configured; merging approves it. The content must follow the template (# Title, ## Context, ## Pattern, ## Examples, ## Anti-patterns) and hold no secrets.',
      inputSchema: {
        domain: slug('Domain, e.g. "api" or "security"'),
        topic: slug('Topic, e.g. "error-responses"'),
        content: z.string().min(1).max(200_000).describe('The standard in Markdown.'),
        rationale: z.string().max(10_000).optional().describe('Why the project needs it (required to re-propose a rejected topic).'),
        proposed_by: z.string().max(100).optional().describe('The persona or person proposing it.'),
        tags: z.array(z.string()).max(50).optional(),
        applies_to: z.array(z.string()).max(50).optional().describe('Globs of the files it governs, e.g. "src/api/**/*.ts".'),
      },
      outputSchema: resultShape,
      annotations: { title: 'Propose a standard', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    guarded('propose_standard', async (args) => {
      const r = await deps.propose(args);
      return ok(r, proposalText(r, 'Proposed'));
    }),
  );

  server.registerTool(
    'revise_standard_proposal',
    {
      title: 'Revise a standard proposal',
      description:
        'Answer feedback on a draft proposal ("yes, but add X", or requested changes): the new content becomes a new commit on the same branch, the feedback is recorded, and the pull request is updated.',
      inputSchema: {
        proposal_id: z.string().min(1).max(40).describe('The id propose_standard returned, e.g. sp-20261130-a1b2c3.'),
        content: z.string().min(1).max(200_000).describe('The full revised standard in Markdown.'),
        feedback: z.string().max(10_000).optional().describe('The feedback this revision answers.'),
      },
      outputSchema: resultShape,
      annotations: { title: 'Revise a standard proposal', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    guarded('revise_standard_proposal', async (args) => {
      const r = await deps.revise(args);
      return ok(r, proposalText(r, 'Revised'));
    }),
  );

  server.registerTool(
    'list_standard_proposals',
    {
      title: 'List standard proposals',
      description:
        'Standard proposals and their state, derived from git and GitHub: draft (not merged yet), approved (merged; approved_by is who merged), rejected (closed unmerged or branch deleted). Newest first.',
      inputSchema: {
        status: z.enum(PROPOSAL_STATUSES).optional().describe('draft | approved | rejected'),
      },
      outputSchema: {
        proposals: z.array(z.object({ proposal_id: z.string(), status: z.enum(PROPOSAL_STATUSES), domain: z.string(), topic: z.string(), branch: z.string() }).passthrough()),
        total_count: z.number(),
        warnings: z.array(z.string()),
      },
      annotations: { title: 'List standard proposals', readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    guarded('list_standard_proposals', async (args) => {
      const out = await deps.list(args.status ? { status: args.status } : {});
      const lines = out.proposals.map(
        (p) => `${p.proposal_id}  ${p.status.padEnd(8)}  ${p.domain}/${p.topic}  ${p.branch}${p.approved_by ? `  approved by ${p.approved_by}` : ''}${p.pr_url ? `  ${p.pr_url}` : ''}`,
      );
      const text = lines.length ? lines.join('\n') : 'No standard proposals.';
      return ok(out, `${text}${out.warnings.length ? `\nWarnings: ${out.warnings.join(' ')}` : ''}`);
    }),
  );
}
