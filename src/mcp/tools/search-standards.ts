import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { messageOf } from '../../domain/errors.js';
import type { Logger } from '../../ports/logger.js';
import { toolError } from '../results.js';
import { MAX_LIMIT, MAX_QUERY_CHARS, type SearchInput, type SearchOutput } from '../../services/search-standards.js';

export const SEARCH_TOOL = 'search_standards';

/** The use case this tool calls (the app's `search`). */
/** Progress of work a search waits for (0-100), reported to clients that asked for it. */
export interface SearchProgress {
  progress: number;
  total: number;
  message: string;
}

/** The search use case; `progress` is called while it waits (e.g. for the start-up index). */
export type SearchFn = (input: SearchInput, ctx?: { progress?: (p: SearchProgress) => void; signal?: AbortSignal }) => Promise<SearchOutput>;

/** Arguments exactly as the spec names them. */
export const searchInputShape = {
  query: z
    .string()
    .describe(
      `What you are about to build, change, review or answer, in a sentence (e.g. "how do we hash passwords", "naming of kafka topics"). At most ${MAX_QUERY_CHARS} characters; do not paste whole files.`,
    ),
  limit: z.number().int().min(1).max(MAX_LIMIT).default(5).describe(`Number of sections to return (1-${MAX_LIMIT}, default 5).`),
  domain: z.string().optional().describe('Only search this domain, i.e. the first folder below .agent-os/standards/ (e.g. security, architecture, data).'),
  file_path: z
    .string()
    .optional()
    .describe('Project path you are working on (e.g. src/auth/login.ts); standards whose applies_to globs match it rank first.'),
};

const hitSchema = z.object({
  file: z.string().describe('The standard, relative to .agent-os/standards/ (e.g. security/auth-patterns.md). Cite it by this path.'),
  section: z.string().describe('Heading path of the section within the file.'),
  score: z.number().min(0).max(1).describe('Relevance, 0-1, higher is better.'),
  content: z.string().describe('The text of the section.'),
  domain: z.string(),
  title: z.string().optional(),
  tags: z.array(z.string()).optional(),
  created_by: z.string().optional().describe('Who proposed the standard (its front matter created_by).'),
  approved_by: z.string().optional().describe('Who approved it: its front matter approved_by, else who merged it (git).'),
  query_count: z.number().int().min(0).optional().describe('How often search has returned this standard, this time included.'),
  created_at: z.string().optional().describe('ISO date of the first commit of the standard.'),
  last_updated: z.string().optional().describe('ISO date of the latest commit of the standard.'),
});

export const searchOutputShape = {
  results: z.array(hitSchema),
  query_ms: z.number().describe('Time the search took, in milliseconds.'),
  mode: z.enum(['hybrid', 'keyword']).describe('hybrid: keyword + vector search; keyword: the embedding model was unavailable.'),
  cached: z.boolean(),
  warnings: z.array(z.string()),
};

export type SearchToolOutput = z.infer<z.ZodObject<typeof searchOutputShape>>;

const DESCRIPTION = [
  "Search this project's engineering standards (.agent-os/standards/<domain>/<topic>.md) by meaning and keywords.",
  'Call it before you design or write code, review a change, or answer a how-to question about this project, and follow what it returns.',
  'Returns the most relevant sections with the file each came from; cite the standards you use by that file (e.g. security/auth-patterns.md).',
].join(' ');

/** The service's output as the tool's structured content (a plain object with the schema's fields). */
export function toStructured(out: SearchOutput): SearchToolOutput {
  return {
    results: out.results.map((r) => ({
      file: r.file,
      section: r.section,
      score: r.score,
      content: r.content,
      domain: r.domain,
      ...(r.title ? { title: r.title } : {}),
      ...(r.tags && r.tags.length ? { tags: [...r.tags] } : {}),
      ...(r.created_by ? { created_by: r.created_by } : {}),
      ...(r.approved_by ? { approved_by: r.approved_by } : {}),
      query_count: r.query_count,
      ...(r.created_at ? { created_at: r.created_at } : {}),
      ...(r.last_updated ? { last_updated: r.last_updated } : {}),
    })),
    query_ms: out.query_ms,
    mode: out.mode,
    cached: out.cached,
    warnings: [...out.warnings],
  };
}

/** Markdown for the model to read: every result with its file, section and score, then the metadata. */
export function renderSearch(query: string, out: SearchToolOutput): string {
  const lines: string[] = [];
  if (out.results.length === 0) {
    lines.push(`No standard matched "${query}". No project standard covers this; say so if you fall back to general practice.`);
  } else {
    lines.push(`${out.results.length} standard section(s) for "${query}":`, '');
    out.results.forEach((r, i) => {
      const where = r.section ? `${r.file} — ${r.section}` : r.file;
      const about = [`score ${r.score.toFixed(3)}`, `domain ${r.domain}`, r.tags?.length && `tags ${r.tags.join(', ')}`, r.approved_by && `approved by ${r.approved_by}`];
      lines.push(`### ${i + 1}. ${where}`, about.filter(Boolean).join(' · '), '', r.content.trimEnd(), '');
    });
    const files = [...new Set(out.results.map((r) => r.file))];
    lines.push(`Cite the standards you apply by file: ${files.map((f) => `\`${f}\``).join(', ')}.`);
  }
  lines.push('', `(${out.mode} search, ${out.query_ms} ms${out.cached ? ', cached' : ''})`);
  for (const w of out.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}

export function registerSearchStandards(server: McpServer, deps: { search: SearchFn; logger: Logger }): void {
  server.registerTool(
    SEARCH_TOOL,
    {
      title: 'Search project standards',
      description: DESCRIPTION,
      inputSchema: searchInputShape,
      outputSchema: searchOutputShape,
      annotations: { title: 'Search project standards', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (args, extra): Promise<CallToolResult> => {
      const token = extra._meta?.progressToken;
      let last = -1;
      // Only for clients that asked (a progress token); progress must only ever grow.
      const progress =
        token === undefined
          ? undefined
          : (p: SearchProgress): void => {
              if (p.progress <= last) return;
              last = p.progress;
              extra
                .sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: p.progress, total: p.total, message: p.message } })
                .catch((e: unknown) => deps.logger.debug('progress notification failed', { error: messageOf(e) }));
            };
      try {
        const out = toStructured(
          await deps.search(
            {
              query: args.query,
              limit: args.limit,
              ...(args.domain !== undefined ? { domain: args.domain } : {}),
              ...(args.file_path !== undefined ? { filePath: args.file_path } : {}),
            },
            { ...(progress ? { progress } : {}), signal: extra.signal },
          ),
        );
        return { structuredContent: out, content: [{ type: 'text', text: renderSearch(args.query.trim(), out) }] };
      } catch (e) {
        return toolError(e, deps.logger, SEARCH_TOOL);
      }
    },
  );
}
