import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { describe, expect, it } from 'vitest';

import { REVIEW_JSON_SCHEMA, reviewSchema } from '../../src/domain/review-schema.js';
import { PERSONA_TOOLS, PROPOSE_TOOL, TOOL_ARGS, type ToolName } from '../../src/services/persona-tools.js';

// A real JSON Schema validator (the MCP SDK's Ajv) stands in for the model's reading of the schema.
const ajv = new AjvJsonSchemaValidator();
const jsonValid = (schema: Record<string, unknown>, value: unknown): boolean => ajv.getValidator(schema)(value).valid;

const withoutNulls = (v: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));

/** Arguments a model might send, good and bad, per tool. */
const SAMPLES: Record<ToolName, unknown[]> = {
  search_standards: [
    { query: 'error handling' },
    { query: 'auth', domain: 'security', limit: 3 },
    { query: '' },
    { query: 'x', domain: '' },
    { query: 'x', limit: 0 },
    { query: 'x', limit: 11 },
    { query: 'x', limit: 2.5 },
    { query: 'x', limit: '5' },
    { query: 'x', extra: true },
    { domain: 'security' },
    {},
    [],
    'error handling',
  ],
  read_file: [{ path: 'src/app.ts' }, { path: 'src/app.ts', max_bytes: 100 }, { path: '' }, { path: 'a', max_bytes: 0 }, { path: 7 }, { file: 'a' }],
  list_files: [{}, { directory: '.', glob: '*.ts', limit: 500 }, { directory: '' }, { limit: 501 }, { glob: 3 }, { dir: 'src' }],
  grep: [{ pattern: 'TODO' }, { pattern: 'x', glob: '*.ts', ignore_case: true, limit: 200 }, { pattern: '' }, { pattern: 'x', ignore_case: 'yes' }, { pattern: 'x', limit: 201 }],
  git_diff: [{}, { base: 'main' }, { base: 1 }, { ref: 'main' }],
  propose_standard: [
    { domain: 'api', topic: 'errors', content: '# Errors', rationale: 'seen in src/api' },
    { domain: 'api', topic: 'errors', content: '# Errors', rationale: 'r', tags: ['api'], applies_to: ['src/**'] },
    { domain: 'api', topic: 'errors', content: '', rationale: 'r' },
    { domain: 'api', topic: 'errors', content: 'c', rationale: 'r', tags: 'api' },
    { domain: 'api', topic: 'errors', content: 'c', rationale: 'r', tags: [1] },
    { domain: 'api', topic: 'errors', content: 'c' },
  ],
};

describe('tool schemas given to the model', () => {
  const offered = [...PERSONA_TOOLS, PROPOSE_TOOL];

  it('cover every tool the validator knows, once each', () => {
    expect(offered.map((t) => t.name).sort()).toEqual(Object.keys(TOOL_ARGS).sort());
  });

  it.each(offered.map((t) => [t.name, t] as const))('%s: the model is told exactly what the validator accepts', (name, tool) => {
    const args = TOOL_ARGS[name as ToolName];
    for (const sample of SAMPLES[name as ToolName]) {
      expect({ sample, valid: jsonValid(tool.parameters, sample) }).toEqual({ sample, valid: args.safeParse(sample).success });
    }
  });

  it('tolerates null for an argument the model leaves out, as if it were absent (and only then)', () => {
    const tool = PERSONA_TOOLS.find((t) => t.name === 'search_standards')!;
    for (const sample of [{ query: 'x', domain: null, limit: null }, { query: null }, { query: 'x', limit: 0, domain: null }]) {
      expect({ sample, valid: TOOL_ARGS.search_standards.safeParse(sample).success }).toEqual({ sample, valid: jsonValid(tool.parameters, withoutNulls(sample)) });
    }
    expect(TOOL_ARGS.search_standards.safeParse({ query: 'x', domain: null }).data).toEqual({ query: 'x' });
  });

  it('keeps the descriptions the model reads', () => {
    const search = PERSONA_TOOLS.find((t) => t.name === 'search_standards')!;
    expect(search.parameters).toMatchObject({
      type: 'object',
      required: ['query'],
      additionalProperties: false,
      properties: { query: { type: 'string', description: 'What to look for, in a few words (e.g. "API error handling").' }, limit: { type: 'integer', minimum: 1, maximum: 10 } },
    });
    expect(search.parameters).not.toHaveProperty('$schema');
  });
});

describe('review schema given to the model (OpenAI strict mode)', () => {
  const finding = { path: 'src/app.ts', line: 2, severity: 'error', title: 'SQL injection', body: 'Concatenated SQL.', suggestion: null, standard: 'security/input-validation.md' };
  const review = (over: Record<string, unknown> = {}, findingOver: Record<string, unknown> = {}) => ({ summary: 'One issue.', findings: [{ ...finding, ...findingOver }], ...over });

  it('accepts and refuses the same complete documents as the validator', () => {
    const samples = [
      review(),
      review({ findings: [] }),
      review({}, { suggestion: 'use $1', standard: null }),
      review({}, { line: 0 }),
      review({}, { line: 1.5 }),
      review({}, { severity: 'critical' }),
      review({}, { extra: 1 }),
      review({ extra: 1 }),
      review({}, { suggestion: 3 }),
      { findings: [] },
      { summary: 'x', findings: {} },
    ];
    for (const sample of samples) {
      expect({ sample, valid: jsonValid(REVIEW_JSON_SCHEMA, sample) }).toEqual({ sample, valid: reviewSchema.safeParse(sample).success });
    }
  });

  it('requires every property, as strict mode does, while the validator also takes optional ones absent', () => {
    const { suggestion: _s, standard: _t, ...bare } = finding;
    expect(jsonValid(REVIEW_JSON_SCHEMA, { summary: 'x', findings: [bare] })).toBe(false);
    expect(reviewSchema.safeParse({ summary: 'x', findings: [bare] }).success).toBe(true);
  });

  it('leaves non-empty path and title to the validator: strict mode refuses length keywords', () => {
    expect(JSON.stringify(REVIEW_JSON_SCHEMA)).not.toMatch(/minLength|maxLength/);
    for (const empty of [{ path: '' }, { title: '' }]) {
      expect(jsonValid(REVIEW_JSON_SCHEMA, review({}, empty))).toBe(true);
      expect(reviewSchema.safeParse(review({}, empty)).success).toBe(false);
    }
  });
});
