import { z } from 'zod';

/**
 * Structured review output (the PR review path): a summary and line-anchored findings. The JSON
 * Schema is written for OpenAI strict mode (every property required, optional ones nullable, no
 * extra properties); the zod validator accepts the same documents, with optional fields absent too.
 */
export const REVIEW_SEVERITIES = ['info', 'warning', 'error'] as const;
export type ReviewSeverity = (typeof REVIEW_SEVERITIES)[number];

export const reviewFindingSchema = z
  .object({
    path: z.string().min(1),
    line: z.number().int().min(1),
    severity: z.enum(REVIEW_SEVERITIES),
    title: z.string().min(1),
    body: z.string(),
    suggestion: z.string().nullish().transform((v) => v ?? undefined),
    /** The standard the finding relies on, as `domain/topic.md`. */
    standard: z.string().nullish().transform((v) => v ?? undefined),
  })
  .strict();

export const reviewSchema = z
  .object({
    summary: z.string(),
    findings: z.array(reviewFindingSchema),
  })
  .strict();

export type ReviewFinding = z.infer<typeof reviewFindingSchema>;
export type Review = z.infer<typeof reviewSchema>;

/** For ChatRequest.jsonSchema: `{ name: REVIEW_JSON_SCHEMA_NAME, schema: REVIEW_JSON_SCHEMA }`. */
export const REVIEW_JSON_SCHEMA_NAME = 'persona_review';

export const REVIEW_JSON_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['summary', 'findings'],
  properties: {
    summary: { type: 'string', description: 'Markdown summary: scope reviewed, overall assessment, the most important issue.' },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'line', 'severity', 'title', 'body', 'suggestion', 'standard'],
        properties: {
          path: { type: 'string', description: 'Project-relative file path.' },
          line: { type: 'integer', minimum: 1, description: '1-based line in the new version of the file.' },
          severity: { type: 'string', enum: [...REVIEW_SEVERITIES] },
          title: { type: 'string' },
          body: { type: 'string', description: 'What is wrong and why, in Markdown.' },
          suggestion: { type: ['string', 'null'], description: 'Replacement code for the line(s), or null.' },
          standard: { type: ['string', 'null'], description: 'The standard relied on, as domain/topic.md, or null.' },
        },
      },
    },
  },
};

/** Result of parsing a model's structured review. */
export type ReviewParse = { ok: true; review: Review } | { ok: false; error: string };

/** Parses and validates a model's JSON answer (tolerating a ```json fence around it). */
export function parseReview(text: string): ReviewParse {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(trimmed);
  let data: unknown;
  try {
    data = JSON.parse(fenced ? fenced[1]! : trimmed);
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
