import { fromMarkdown } from 'mdast-util-from-markdown';
import { z } from 'zod';

import { strictOutputSchema } from './model-schema.js';

/**
 * Structured review output (the PR review path): a summary and line-anchored findings. The zod schema
 * validates the model's answer and is also the source of the JSON Schema the model is given
 * (REVIEW_JSON_SCHEMA, for OpenAI strict mode: every property required, optional ones nullable, no
 * extra properties); the validator accepts the same documents, with optional fields absent too.
 */
export const REVIEW_SEVERITIES = ['info', 'warning', 'error'] as const;
export type ReviewSeverity = (typeof REVIEW_SEVERITIES)[number];

export const reviewFindingSchema = z
  .object({
    path: z.string().min(1).describe('Project-relative file path.'),
    line: z.number().int().min(1).describe('1-based line in the new version of the file.'),
    severity: z.enum(REVIEW_SEVERITIES),
    title: z.string().min(1),
    body: z.string().describe('What is wrong and why, in Markdown.'),
    suggestion: z
      .string()
      .nullish()
      .transform((v) => v ?? undefined)
      .describe('Replacement code for the line(s), or null.'),
    /** The standard the finding relies on, as `domain/topic.md`. */
    standard: z
      .string()
      .nullish()
      .transform((v) => v ?? undefined)
      .describe('The standard relied on, as domain/topic.md, or null.'),
  })
  .strict();

export const reviewSchema = z
  .object({
    summary: z.string().describe('Markdown summary: scope reviewed, overall assessment, the most important issue.'),
    findings: z.array(reviewFindingSchema),
  })
  .strict();

export type ReviewFinding = z.infer<typeof reviewFindingSchema>;
export type Review = z.infer<typeof reviewSchema>;

/** For ChatRequest.jsonSchema: `{ name: REVIEW_JSON_SCHEMA_NAME, schema: REVIEW_JSON_SCHEMA }`. */
export const REVIEW_JSON_SCHEMA_NAME = 'persona_review';

export const REVIEW_JSON_SCHEMA: Record<string, unknown> = strictOutputSchema(reviewSchema);

/** Result of parsing a model's structured review. */
export type ReviewParse = { ok: true; review: Review } | { ok: false; error: string };

/** The JSON of an answer: the text itself, or the code block it consists of (```json … ```). */
function jsonText(text: string): string {
  const trimmed = text.trim();
  // A bare JSON answer, the usual case, needs no Markdown parse.
  if (!trimmed.startsWith('```') && !trimmed.startsWith('~~~')) return trimmed;
  const blocks = fromMarkdown(trimmed).children;
  return blocks.length === 1 && blocks[0]!.type === 'code' ? blocks[0]!.value : trimmed;
}

/** Parses and validates a model's JSON answer (tolerating a code fence around it). */
export function parseReview(text: string): ReviewParse {
  let data: unknown;
  try {
    data = JSON.parse(jsonText(text));
  } catch (e) {
    return { ok: false, error: `The review is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = reviewSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, error: `The review does not match the schema: ${issues.join('; ')}` };
  }
  return { ok: true, review: parsed.data };
}
