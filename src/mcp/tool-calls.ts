/**
 * Our own `tools/call` handler, installed over McpServer's once every tool is registered, as the
 * SDK's task examples do (`setRequestHandler(CallToolRequestSchema, …)`). McpServer answers a plain
 * call of a task-capable tool by creating a task and polling it until it ends, which is not what the
 * persona tools promise: a plain `invoke_*` call answers at once with the "started" object (the spec),
 * while a task-augmented call creates the task (MCP tasks). This handler makes that choice itself,
 * from the tool's registration (public `RegisteredTool` fields) and a map of plain-call answers.
 * Everything else behaves as McpServer's handler does: unknown or disabled tools and invalid
 * arguments are tool errors, results are checked against the output schema.
 */
import type { McpServer, RegisteredTool, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import { getParseErrorMessage, normalizeObjectSchema, safeParseAsync } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { ToolTaskHandler } from '@modelcontextprotocol/sdk/experimental/tasks';
import { CallToolRequestSchema, ErrorCode, McpError, type CallToolResult, type CreateTaskResult } from '@modelcontextprotocol/sdk/types.js';

type Extra = Parameters<ToolCallback<undefined>>[0];

/** The answer to a plain (not task-augmented) call of a task tool. */
export type PlainCall = (args: Record<string, unknown>) => Promise<CallToolResult>;

/** Tools as registered, by name (what McpServer's registerTool / registerToolTask returned). */
export type ToolTable = ReadonlyMap<string, RegisteredTool>;

async function validInput(tool: RegisteredTool, args: unknown, name: string): Promise<Record<string, unknown> | undefined> {
  const schema = normalizeObjectSchema(tool.inputSchema) ?? tool.inputSchema;
  if (!schema) return undefined;
  const parsed = await safeParseAsync(schema, args ?? {});
  if (!parsed.success) {
    throw new McpError(ErrorCode.InvalidParams, `Input validation error: Invalid arguments for tool ${name}: ${getParseErrorMessage(parsed.error)}`);
  }
  return parsed.data as Record<string, unknown>;
}

async function checkOutput(tool: RegisteredTool, result: CallToolResult, name: string): Promise<void> {
  const schema = normalizeObjectSchema(tool.outputSchema) ?? tool.outputSchema;
  if (!schema || result.isError) return;
  if (!result.structuredContent) throw new McpError(ErrorCode.InvalidParams, `Output validation error: Tool ${name} has an output schema but no structured content was provided`);
  const parsed = await safeParseAsync(schema, result.structuredContent);
  if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, `Output validation error: Invalid structured content for tool ${name}: ${getParseErrorMessage(parsed.error)}`);
}

/** Replaces McpServer's `tools/call` handler; call after every tool is registered. */
export function installToolCallHandler(server: McpServer, tools: ToolTable, plainCalls: ReadonlyMap<string, PlainCall>): void {
  server.server.removeRequestHandler('tools/call');
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult | CreateTaskResult> => {
    const name = request.params.name;
    try {
      const tool = tools.get(name);
      if (!tool) throw new McpError(ErrorCode.InvalidParams, `Tool ${name} not found`);
      if (!tool.enabled) throw new McpError(ErrorCode.InvalidParams, `Tool ${name} disabled`);
      const args = await validInput(tool, request.params.arguments, name);
      const taskTool = 'createTask' in tool.handler;
      if (request.params.task) {
        if (!taskTool) throw new McpError(ErrorCode.InvalidParams, `Tool ${name} cannot run as a task; call it without task augmentation.`);
        if (!extra.taskStore) throw new McpError(ErrorCode.InternalError, 'No task store is configured.');
        const handler = tool.handler as ToolTaskHandler<Record<string, never>>;
        return await handler.createTask((args ?? {}) as never, { ...extra, taskStore: extra.taskStore });
      }
      let result: CallToolResult;
      if (taskTool) {
        const plain = plainCalls.get(name);
        if (!plain) throw new McpError(ErrorCode.MethodNotFound, `Tool ${name} requires task augmentation.`);
        result = await plain(args ?? {});
      } else {
        const callback = tool.handler as (args: unknown, extra: Extra) => CallToolResult | Promise<CallToolResult>;
        result = await (args === undefined ? (tool.handler as (extra: Extra) => CallToolResult | Promise<CallToolResult>)(extra) : callback(args, extra));
      }
      await checkOutput(tool, result, name);
      return result;
    } catch (e) {
      if (e instanceof McpError && e.code === ErrorCode.UrlElicitationRequired) throw e;
      return { isError: true, content: [{ type: 'text', text: e instanceof Error ? e.message : String(e) }] };
    }
  });
}
