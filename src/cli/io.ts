import { AgentOsError, isAgentOsError, messageOf, type ErrorCode } from '../domain/errors.js';

/** Exit codes of the CLI contract: 0 ok, 1 failure, 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(['BAD_INPUT', 'OUTSIDE_PROJECT', 'CONFIG']);

/** An option that takes one of a fixed set of values; undefined stays undefined, anything else is a usage error. */
export function parseChoice<T extends string>(value: unknown, choices: readonly T[], what: string): T | undefined {
  if (value === undefined) return undefined;
  const v = String(value);
  if (!(choices as readonly string[]).includes(v)) throw new AgentOsError('BAD_INPUT', `Unknown ${what} "${v}".`, { hint: `Use one of: ${choices.join(', ')}.` });
  return v as T;
}

/** Thrown by commands to end with an exit code after printing has been done. */
export class ExitError extends Error {
  constructor(readonly exitCode: number, message = '') {
    super(message);
  }
}

/** Writes for a command: JSON alone on stdout with --json, human text otherwise; notes to stderr. */
export interface Output {
  json: boolean;
  /** The command's result: JSON on stdout with --json, else `human()` text. */
  result(data: unknown, human: () => string): void;
  /** A note for a person (stderr, so it never mixes with --json). */
  note(text: string): void;
}

export function makeOutput(json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Output {
  return {
    json,
    result(data, human) {
      stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
    },
    note(text) {
      stderr.write(`${text}\n`);
    },
  };
}

/** The one place errors become output and exit codes. */
export function reportError(e: unknown, json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): number {
  if (e instanceof ExitError) {
    if (e.message) stderr.write(`${e.message}\n`);
    return e.exitCode;
  }
  const code = isAgentOsError(e) ? e.code : 'INTERNAL';
  const message = isAgentOsError(e) ? e.message : messageOf(e);
  const hint = isAgentOsError(e) ? e.hint : undefined;
  const exit = USAGE_CODES.has(code) ? EXIT_USAGE : EXIT_FAILURE;
  if (json) stdout.write(`${JSON.stringify({ error: { code, message, ...(hint ? { hint } : {}) } }, null, 2)}\n`);
  stderr.write(`agent-os: ${message}${hint ? `\n${hint}` : ''}\n`);
  if (!isAgentOsError(e) && e instanceof Error && process.env['AGENT_OS_DEBUG']) stderr.write(`${e.stack}\n`);
  return exit;
}
