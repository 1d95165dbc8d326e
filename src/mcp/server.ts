import fs from 'node:fs/promises';
import path from 'node:path';
import { McpServer, ResourceTemplate, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type ReadResourceResult, type Resource } from '@modelcontextprotocol/sdk/types.js';
import { domainAndTopic } from '../domain/chunking.js';
import { messageOf } from '../domain/errors.js';
import type { Logger } from '../ports/logger.js';
import type { StandardEntry } from '../ports/standards-repo.js';
import { JobTaskStore, TASKS_CAPABILITY } from './job-tasks.js';
import { registerPersonaPrompts, registerPersonaTools, type PersonaToolDeps } from './tools/personas.js';
import { registerProposalTools, type ProposalToolDeps } from './tools/proposals.js';
import { registerSearchStandards, type SearchFn } from './tools/search-standards.js';
import { installToolCallHandler, type PlainCall } from './tool-calls.js';

export const SERVER_NAME = 'agent-os';
/** Every standard is a resource below this prefix, followed by its path: `agent-os://standards/security/auth-patterns.md`. */
export const STANDARD_URI_PREFIX = 'agent-os://standards/';
const STANDARD_URI_TEMPLATE = `${STANDARD_URI_PREFIX}{+file}`;
/** JSON-RPC code the MCP spec gives to "resource not found". */
const RESOURCE_NOT_FOUND = -32002;

/** What the MCP adapter needs; the composition root (serve) passes the app's use cases in. */
export interface McpServerDeps {
  /** The search use case (`app.search`). */
  search: SearchFn;
  /** Standards on disk, for the resource list (`app.indexDeps.repo.list`). */
  listStandards: () => Promise<StandardEntry[]>;
  /** Absolute `.agent-os/standards` directory; resources are read from it and never from outside it. */
  standardsDir: string;
  logger: Logger;
  /** agent-os version reported to clients. */
  version: string;
  /** Persona tools and prompts; absent when `personas.enabled` is false (search keeps working). */
  personas?: PersonaToolDeps;
  /** propose_standard, revise_standard_proposal, list_standard_proposals. */
  proposals?: ProposalToolDeps;
}

/** Sent to the client at initialize; assistants read it as standing guidance (the spec's "Main Agent Integration"). */
export const SERVER_INSTRUCTIONS = [
  "agent-os holds this project's engineering standards: Markdown files in .agent-os/standards/<domain>/<topic>.md that the team has agreed on.",
  '',
  '- Before you design or write code, review a change, or answer a how-to question about this project, call `search_standards` with a short description of the task. Pass `file_path` when you work on a specific file, and `domain` (e.g. security, architecture) to narrow the search.',
  "- Follow what the returned standards say; they take precedence over general best practice. If a standard conflicts with the user's request, point out the conflict instead of silently ignoring either.",
  '- Cite the standards you used by file, e.g. "per `security/auth-patterns.md`". If nothing relevant comes back, say that no project standard covers the topic.',
  '- The full text of a standard is available as the resource `agent-os://standards/<file>` (the `file` of a search result).',
].join('\n');

/** Resource URI of a standard file (path relative to the standards dir, POSIX separators). */
export function standardUri(file: string): string {
  return STANDARD_URI_PREFIX + file.split('/').map(encodeURIComponent).join('/');
}

function isInside(dir: string, target: string): boolean {
  const rel = path.relative(dir, target);
  return rel === '' ? false : !rel.startsWith('..') && !path.isAbsolute(rel);
}

function refused(file: string, why: string): McpError {
  return new McpError(ErrorCode.InvalidParams, `Refused to read "${file}": ${why}. Only Markdown files inside .agent-os/standards/ can be read.`);
}

/**
 * Read a standard by its path relative to the standards dir. Anything that could leave the
 * directory (`..`, absolute paths, hidden folders, symlinks pointing out) or is not Markdown is refused.
 */
export async function readStandardFile(standardsDir: string, file: string): Promise<string> {
  const segments = file.split('/');
  if (!file || file.includes('\0') || file.includes('\\') || path.isAbsolute(file)) throw refused(file, 'not a relative path');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) throw refused(file, 'the path leaves the standards directory or names a hidden file');
  if (!file.toLowerCase().endsWith('.md')) throw refused(file, 'not a Markdown file');
  let root: string;
  try {
    root = await fs.realpath(standardsDir);
  } catch {
    throw new McpError(RESOURCE_NOT_FOUND, `No standards directory at ${standardsDir}.`);
  }
  const abs = path.resolve(root, ...segments);
  if (!isInside(root, abs)) throw refused(file, 'the path leaves the standards directory');
  let real: string;
  try {
    real = await fs.realpath(abs);
  } catch {
    throw new McpError(RESOURCE_NOT_FOUND, `Standard not found: ${file}`);
  }
  if (!isInside(root, real)) throw refused(file, 'it links outside the standards directory');
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new McpError(RESOURCE_NOT_FOUND, `Standard not found: ${file}`);
  return fs.readFile(real, 'utf8');
}

/** The file variable of a matched URI, percent-decoded. */
function fileVariable(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? value.join(',') : (value ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new McpError(ErrorCode.InvalidParams, `Malformed resource URI path: ${raw}`);
  }
}

function describeStandard(entry: StandardEntry): Resource {
  const dt = domainAndTopic(entry.file);
  return {
    uri: standardUri(entry.file),
    name: entry.file,
    title: dt ? `${dt.domain}: ${dt.topic}` : entry.file,
    mimeType: 'text/markdown',
    size: entry.size,
  };
}

function registerStandardResources(server: McpServer, deps: McpServerDeps): void {
  const standards = async (): Promise<StandardEntry[]> => (await deps.listStandards()).filter((e) => domainAndTopic(e.file) !== null);
  const template = new ResourceTemplate(STANDARD_URI_TEMPLATE, {
    list: async () => ({ resources: (await standards()).map(describeStandard) }),
    complete: {
      file: async (value) => (await standards()).map((e) => e.file).filter((f) => f.startsWith(value)).slice(0, 100),
    },
  });
  server.registerResource(
    'standard',
    template,
    { title: 'Project standard', description: 'An engineering standard of this project (.agent-os/standards/<domain>/<topic>.md).', mimeType: 'text/markdown' },
    async (uri, variables): Promise<ReadResourceResult> => {
      const file = fileVariable(variables['file']);
      try {
        const text = await readStandardFile(deps.standardsDir, file);
        return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] };
      } catch (e) {
        if (e instanceof McpError) {
          deps.logger.warn('resource read refused', { uri: uri.href, error: e.message });
          throw e;
        }
        deps.logger.error('resource read failed', { uri: uri.href, error: messageOf(e) });
        throw new McpError(ErrorCode.InternalError, `Could not read ${file}: ${messageOf(e)}`);
      }
    },
  );
}

/**
 * The MCP adapter: one McpServer with the tools and resources registered. It holds no business
 * logic; tools parse their arguments, call a use case and render the result. Create one per
 * connection (an McpServer serves a single transport).
 */
export function createMcpServer(deps: McpServerDeps): McpServer {
  // Persona jobs are also MCP tasks (2025-11-25): the SDK answers tasks/* from a store over the job engine.
  const tasks = deps.personas ? new JobTaskStore(deps.personas) : undefined;
  const server = new McpServer(
    { name: SERVER_NAME, title: 'agent-os standards', version: deps.version },
    { instructions: SERVER_INSTRUCTIONS, ...(tasks ? { taskStore: tasks, capabilities: { tasks: TASKS_CAPABILITY } } : {}) },
  );
  // Every tool registered below is recorded for our tools/call handler (see tool-calls.ts).
  const tools = new Map<string, RegisteredTool>();
  const registerTool = server.registerTool.bind(server) as (...args: unknown[]) => RegisteredTool;
  server.registerTool = ((name: string, ...rest: unknown[]) => {
    const tool = registerTool(name, ...rest);
    tools.set(name, tool);
    return tool;
  }) as typeof server.registerTool;
  const registerToolTask = server.experimental.tasks.registerToolTask.bind(server.experimental.tasks) as (...args: unknown[]) => RegisteredTool;
  server.experimental.tasks.registerToolTask = ((name: string, ...rest: unknown[]) => {
    const tool = registerToolTask(name, ...rest);
    tools.set(name, tool);
    return tool;
  }) as typeof server.experimental.tasks.registerToolTask;

  registerSearchStandards(server, deps);
  registerStandardResources(server, deps);
  if (deps.proposals) registerProposalTools(server, deps.proposals);
  let plainCalls = new Map<string, PlainCall>();
  if (deps.personas && tasks) {
    tasks.bind(server);
    plainCalls = registerPersonaTools(server, deps.personas);
    registerPersonaPrompts(server, deps.personas.personas);
  }
  installToolCallHandler(server, tools, plainCalls);
  return server;
}
