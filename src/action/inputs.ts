/**
 * The Action's inputs, read with @actions/core from the runner's environment and checked before
 * anything runs. action.yml (a composite action) hands each input to the review step as
 * `INPUT_MAX_COMMENTS` for `max-comments`; a JavaScript action would get `INPUT_MAX-COMMENTS`.
 * Both are read, the dashed one first, and a blank value counts as absent so a `with:` entry that
 * expands to nothing leaves the default in place.
 */
import * as core from '@actions/core';

import { AgentOsError } from '../domain/errors.js';
import { safeUrl } from '../domain/markdown.js';
import { FAIL_ON_LEVELS, type FailOn, type Severity } from '../domain/pr-review.js';
import { REVIEW_SEVERITIES } from '../domain/review-schema.js';
import type { PullRequestReviewInput } from '../services/review-pull-request.js';

export interface ActionInputs {
  githubToken: string;
  /**
   * The token is the workflow's own GITHUB_TOKEN: action.yml passes `github.token` as
   * AGENT_OS_WORKFLOW_TOKEN, and only that token posts as github-actions[bot].
   */
  workflowToken: boolean;
  personas: string[];
  openaiApiKey: string | undefined;
  openaiBaseUrl: string | undefined;
  model: string | undefined;
  maxComments: number;
  /** At most this many inline comments on one file (0: no limit of its own). */
  maxCommentsPerFile: number;
  /** Findings below it are listed in the review body, not as inline comments. */
  minSeverity: Severity;
  failOn: FailOn;
  pathsIgnore: string[];
  maxDiffChars: number;
}

/** What an absent input means; action.yml declares the same defaults. */
export const ACTION_DEFAULTS = { personas: ['engineer', 'security'], maxComments: 10, maxCommentsPerFile: 5, minSeverity: 'info', failOn: 'none', maxDiffChars: 60_000 } as const;

const PERSONA_ID = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

/** The input's trimmed value under either name form; undefined when both are unset or blank. */
function readInput(name: string): string | undefined {
  return core.getInput(name) || core.getInput(name.replace(/-/g, '_')) || undefined;
}

function badInput(name: string, message: string): AgentOsError {
  return new AgentOsError('BAD_INPUT', `Input ${name} ${message}`, { hint: `Fix \`${name}\` in the workflow step's \`with:\` block.` });
}

/** A value quoted for an error message, cut short: it may be long or a mistyped secret. */
function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

function intInput(name: string, min: number, max: number, fallback: number): number {
  const raw = readInput(name);
  if (raw === undefined) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw badInput(name, `must be a whole number from ${min} to ${max}; got ${shown(raw)}.`);
  return n;
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const raw = readInput(name)?.toLowerCase() ?? fallback;
  const found = allowed.find((a) => a === raw);
  if (found === undefined) throw badInput(name, `must be one of ${allowed.join(', ')}; got ${shown(raw)}.`);
  return found;
}

/** Splits on commas and newlines, except commas inside `{a,b}` braces; `#` lines are comments. */
function splitGlobs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    if ((ch === ',' && depth === 0) || ch === '\n' || ch === '\r') {
      out.push(current);
      current = '';
      depth = 0;
    } else current += ch;
  }
  out.push(current);
  return out.map((g) => g.trim()).filter((g) => g !== '' && !g.startsWith('#'));
}

function personasInput(): string[] {
  const raw = readInput('personas');
  if (raw === undefined) return [...ACTION_DEFAULTS.personas];
  const personas = [...new Set(raw.split(/[\s,]+/).map((p) => p.toLowerCase()).filter(Boolean))];
  const bad = personas.find((p) => p.length > 64 || !PERSONA_ID.test(p));
  if (bad !== undefined) throw badInput('personas', `must be a comma-separated list of persona ids (lowercase letters and digits, words joined by "-" or "_"); got ${shown(bad)}.`);
  if (personas.length === 0) throw badInput('personas', 'must name at least one persona, e.g. "engineer,security".');
  return personas;
}

/** The validated inputs of this run; throws AgentOsError('BAD_INPUT') naming the input at fault. */
export function readActionInputs(): ActionInputs {
  const githubToken = readInput('github-token');
  if (!githubToken) throw badInput('github-token', 'is required (usually `${{ github.token }}`).');
  const personas = personasInput();
  const openaiBaseUrl = readInput('openai-base-url');
  if (openaiBaseUrl !== undefined && safeUrl(openaiBaseUrl) === null) throw badInput('openai-base-url', 'must be an http:// or https:// URL.');
  const failOn = oneOf('fail-on', FAIL_ON_LEVELS, ACTION_DEFAULTS.failOn);
  const minSeverity = oneOf('min-severity', REVIEW_SEVERITIES, ACTION_DEFAULTS.minSeverity);
  // Not an input: action.yml sets it from `github.token`, outside the user's `with:` block.
  const workflowToken = process.env['AGENT_OS_WORKFLOW_TOKEN']?.trim();
  return {
    githubToken,
    workflowToken: workflowToken !== undefined && workflowToken !== '' && workflowToken === githubToken,
    personas,
    openaiApiKey: readInput('openai-api-key'),
    openaiBaseUrl,
    model: readInput('model'),
    maxComments: intInput('max-comments', 0, 50, ACTION_DEFAULTS.maxComments),
    maxCommentsPerFile: intInput('max-comments-per-file', 0, 50, ACTION_DEFAULTS.maxCommentsPerFile),
    minSeverity,
    failOn,
    pathsIgnore: splitGlobs(readInput('paths-ignore') ?? ''),
    maxDiffChars: intInput('max-diff-chars', 1_000, 1_000_000, ACTION_DEFAULTS.maxDiffChars),
  };
}

/** The review settings the inputs choose, as `reviewPullRequest` takes them (the same for a push and a command). */
export function reviewSettings(inputs: ActionInputs): Pick<PullRequestReviewInput, 'personas' | 'maxComments' | 'maxCommentsPerFile' | 'minSeverity' | 'pathsIgnore' | 'maxDiffChars'> {
  const { personas, maxComments, maxCommentsPerFile, minSeverity, pathsIgnore, maxDiffChars } = inputs;
  return { personas, maxComments, maxCommentsPerFile, minSeverity, pathsIgnore, maxDiffChars };
}
