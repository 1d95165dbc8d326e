import { expect } from 'vitest';
import { AgentOsError } from '../../src/domain/errors.js';

/** The AgentOsError `fn` throws (fails the test when it throws nothing or something else). */
export function errorOf(fn: () => unknown): AgentOsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AgentOsError) return e;
    throw e;
  }
  throw new Error('expected an AgentOsError');
}

/** The AgentOsError a promise rejects with (fails the test when it resolves or rejects with something else). */
export async function rejection(p: Promise<unknown>): Promise<AgentOsError> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AgentOsError);
  return e as AgentOsError;
}
