/**
 * What the loopback GitHub stand-in answers with when it refuses (GitHub's error bodies and
 * validation messages), its deterministic ids and shas, and how it reads a per-file patch.
 */
import { createHash } from 'node:crypto';

import type { Reply } from './fake-github-types.js';

const DOCS = 'https://docs.github.com/rest';
const REVIEW_DOCS = 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request';
/** GitHub's limit for the body of a comment or review, in characters. */
export const MAX_BODY = 65536;
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Bad credentials',
  403: 'Resource not accessible by integration',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Validation Failed',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** A GitHub-style error body. */
export function githubError(status: number, message = REASONS[status] ?? 'Error', errors?: unknown[]): Reply {
  return { status, body: { message, ...(errors ? { errors } : {}), documentation_url: DOCS, status: String(status) } };
}

/** 422 "Validation Failed" with GitHub's `errors` entries. */
export function validationFailed(...errors: Array<Record<string, string>>): Reply {
  return githubError(422, 'Validation Failed', errors);
}

export const sha = (...parts: Array<string | number>): string => createHash('sha1').update(parts.join('\0')).digest('hex');
export const idOf = (text: string): number => parseInt(sha(text).slice(0, 7), 16);

/** 422 as the reviews endpoints answer it: `{"message":"Unprocessable Entity","errors":["…"]}`. */
export function unprocessable(errors: string[], docs = REVIEW_DOCS): Reply {
  return { status: 422, body: { message: 'Unprocessable Entity', errors, documentation_url: docs, status: '422' } };
}

/** 422 from GitHub's request-schema check, e.g. `Invalid request.\n\nFor 'properties/body', nil is not a string.` */
export function invalidRequest(detail: string, docs = REVIEW_DOCS): Reply {
  return { status: 422, body: { message: `Invalid request.\n\n${detail}`, documentation_url: docs, status: '422' } };
}

/** Rails' `to_sentence`, which GitHub uses to join several failures into one `errors` entry. */
export function toSentence(items: string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join(', ')}, and ${items.at(-1) ?? ''}`;
}

export const schemaValue = (v: unknown): string => (v === null || v === undefined ? 'nil' : JSON.stringify(v));

export interface PatchLine {
  /** Lines down from the first `@@` header (which is position 0). */
  position: number;
  /** `@` hunk header, `\\` "No newline at end of file" marker, else the diff line's kind. */
  kind: '@' | '+' | '-' | ' ' | '\\';
  hunk: number;
  oldLine: number | null;
  newLine: number | null;
}

export interface ParsedPatch {
  lines: PatchLine[];
  /** Patch text by position. */
  text: string[];
  additions: number;
  deletions: number;
}

/** Reads a GitHub per-file patch into numbered lines: which old and new line each diff line is. */
export function parsePatch(patch: string | undefined): ParsedPatch {
  const all = (patch ?? '').split('\n');
  if (all.at(-1) === '') all.pop();
  const first = all.findIndex((l) => l.startsWith('@@'));
  const text = first < 0 ? [] : all.slice(first);
  const lines: PatchLine[] = [];
  let [oldLine, newLine, hunk, additions, deletions] = [0, 0, -1, 0, 0];
  text.forEach((raw, position) => {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (header) {
      [oldLine, newLine] = [Number(header[1]), Number(header[2])];
      lines.push({ position, kind: '@', hunk: ++hunk, oldLine: null, newLine: null });
    } else if (raw.startsWith('+')) {
      additions++;
      lines.push({ position, kind: '+', hunk, oldLine: null, newLine: newLine++ });
    } else if (raw.startsWith('-')) {
      deletions++;
      lines.push({ position, kind: '-', hunk, oldLine: oldLine++, newLine: null });
    } else if (raw.startsWith('\\')) {
      lines.push({ position, kind: '\\', hunk, oldLine: null, newLine: null });
    } else {
      lines.push({ position, kind: ' ', hunk, oldLine: oldLine++, newLine: newLine++ });
    }
  });
  return { lines, text, additions, deletions };
}

/** The diff line a comment may sit on: RIGHT = added or context line by new number, LEFT = removed or context by old. */
export function commentableLine(parsed: ParsedPatch, side: 'LEFT' | 'RIGHT', line: number): PatchLine | undefined {
  return parsed.lines.find((l) => (l.kind === '+' || l.kind === '-' || l.kind === ' ') && (side === 'RIGHT' ? l.newLine : l.oldLine) === line);
}
