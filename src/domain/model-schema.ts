import type { ZodTypeAny } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';

/*
 * The JSON Schemas a model is given are generated from the zod schemas that validate its answers, so
 * the two cannot drift apart. Pure.
 */

export type JsonSchema = Record<string, unknown>;

/** The parameters of a tool: the zod schema as JSON Schema, inlined (no `$ref`), without the `$schema` URI. */
export function toolParametersSchema(schema: ZodTypeAny): JsonSchema {
  return withoutSchemaUri(zodToJsonSchema(schema, { $refStrategy: 'none' }) as JsonSchema);
}

/**
 * Keywords OpenAI's strict structured output refuses (the request fails with "Invalid schema"); the
 * zod validator still enforces them on the answer.
 */
const STRICT_UNSUPPORTED = new Set(['minLength', 'maxLength']);

/**
 * A response format for OpenAI strict mode (`response_format: json_schema, strict: true`): every
 * property required and optional ones nullable (zod-to-json-schema's `openAi` target), without the
 * keywords strict mode refuses.
 */
export function strictOutputSchema(schema: ZodTypeAny): JsonSchema {
  return dropKeywords(withoutSchemaUri(zodToJsonSchema(schema, { target: 'openAi', $refStrategy: 'none' }) as JsonSchema), STRICT_UNSUPPORTED);
}

function withoutSchemaUri(schema: JsonSchema): JsonSchema {
  const { $schema: _uri, ...rest } = schema;
  return rest;
}

/** Keywords that hold one subschema, or a list or map of them. */
const SUBSCHEMA = new Set(['items', 'additionalProperties', 'not']);
const SUBSCHEMA_LISTS = new Set(['anyOf', 'allOf', 'oneOf']);
const SUBSCHEMA_MAPS = new Set(['properties', 'definitions', '$defs']);

/** The schema without `drop` keywords at any depth; property names that happen to equal one are kept. */
function dropKeywords(schema: JsonSchema, drop: ReadonlySet<string>): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (drop.has(key)) continue;
    if (SUBSCHEMA.has(key) && isObject(value)) out[key] = dropKeywords(value, drop);
    else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map((v) => (isObject(v) ? dropKeywords(v, drop) : v));
    else if (SUBSCHEMA_MAPS.has(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? dropKeywords(v, drop) : v]));
    else out[key] = value;
  }
  return out;
}

function isObject(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
