import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isAgentOsError, messageOf } from '../domain/errors.js';
import type { Logger } from '../ports/logger.js';

/** structuredContent + the same data as text, as every tool answers. */
export function toolResult(data: object, text: string = JSON.stringify(data, null, 2)): CallToolResult {
  return { structuredContent: data as Record<string, unknown>, content: [{ type: 'text', text }] };
}

/** An error as a tool result the model can read and act on (not a protocol error). */
export function toolError(e: unknown, logger: Logger, tool: string): CallToolResult {
  if (isAgentOsError(e)) {
    logger.debug(`${tool} failed`, { code: e.code, error: e.message });
    return { isError: true, content: [{ type: 'text', text: e.describe() }] };
  }
  logger.error(`${tool} failed unexpectedly`, { error: messageOf(e) });
  return { isError: true, content: [{ type: 'text', text: `Internal error in ${tool}: ${messageOf(e)}` }] };
}

/** A tool handler whose failures become `isError` results the model can act on. */
export function guarded<A extends unknown[]>(logger: Logger, tool: string, fn: (...args: A) => Promise<CallToolResult>): (...args: A) => Promise<CallToolResult> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (e) {
      return toolError(e, logger, tool);
    }
  };
}
