/** Stable machine-readable error codes; adapters map them to exit codes and MCP errors. */
export type ErrorCode =
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'NOT_INITIALIZED'
  | 'CONFIG'
  | 'MODEL_UNAVAILABLE'
  | 'INDEX_CORRUPT'
  | 'LOCKED'
  /** The request clashes with existing state (an open proposal for the topic, a branch moved meanwhile). */
  | 'CONFLICT'
  | 'OUTSIDE_PROJECT'
  | 'IO'
  /** Waited as long as allowed (for a persona job to end); the work itself goes on. */
  | 'TIMEOUT'
  | 'INTERNAL';

/** The one error type services throw: a code, an actionable message, and the cause. */
export class AgentOsError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentOsError';
    this.code = code;
    this.hint = options.hint;
  }

  /** The message with its hint, as shown to a person or a model. */
  describe(): string {
    return this.hint ? `${this.message}\n${this.hint}` : this.message;
  }
}

export function isAgentOsError(e: unknown): e is AgentOsError {
  return e instanceof AgentOsError;
}

/** Message of any thrown value, for logs and wrapped errors. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
