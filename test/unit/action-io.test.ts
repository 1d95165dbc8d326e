import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { actionLogger, setOutputs, writeSummary } from '../../src/action/io.js';
import { parseOutputFile } from '../fakes/action-runner.js';

/** What `fn` writes to this process's stdout (where the runner reads workflow commands). */
async function stdoutOf(fn: () => unknown): Promise<string> {
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return text;
}

let temp: string;
beforeEach(() => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-action-io-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(temp, { recursive: true, force: true });
});

// Text from a pull request (a file name, a model's answer, a comment) trying to issue its own command.
const HOSTILE = 'src/a.ts\n::error file=x::forged%0A\r::set-output name=reviewed::true';

describe('actionLogger', () => {
  it('keeps text from the pull request inside one line, so it never starts a workflow command', async () => {
    vi.stubEnv('RUNNER_DEBUG', '1');
    const logger = actionLogger();
    const out = await stdoutOf(() => {
      logger.warn(`Not reviewed: ${HOSTILE}`);
      logger.error(HOSTILE, { path: HOSTILE });
      logger.info(`note: ${HOSTILE}`);
      logger.debug(HOSTILE);
    });
    const escaped = 'src/a.ts%0A::error file=x::forged%250A%0D::set-output name=reviewed::true';
    expect(out.split('\n')).toEqual([
      `::warning::Not reviewed: ${escaped}`,
      `::error::${escaped} ${JSON.stringify({ path: HOSTILE }).replace(/%/g, '%25')}`,
      `note: ${escaped}`,
      `::debug::${escaped}`,
      '',
    ]);
  });

  it('writes debug lines only when the runner debugs', async () => {
    vi.stubEnv('RUNNER_DEBUG', undefined);
    const logger = actionLogger();
    expect(await stdoutOf(() => logger.debug('detail', { n: 1 }))).toBe('');
    vi.stubEnv('RUNNER_DEBUG', '1');
    expect(await stdoutOf(() => logger.debug('detail', { n: 1 }))).toBe('::debug::detail {"n":1}\n');
  });
});

describe('setOutputs', () => {
  it('writes each output to GITHUB_OUTPUT, a value with line breaks staying one output', async () => {
    const file = path.join(temp, 'output.txt');
    fs.writeFileSync(file, '');
    vi.stubEnv('GITHUB_OUTPUT', file);
    const out = await stdoutOf(() => setOutputs({ 'review-id': '', findings: '3', command: 'x\nreviewed=true' }));
    expect(out).toBe('');
    expect(parseOutputFile(fs.readFileSync(file, 'utf8'))).toEqual({ 'review-id': '', findings: '3', command: 'x\nreviewed=true' });
  });

  it('writes nothing, not even a stdout command, outside a runner', async () => {
    vi.stubEnv('GITHUB_OUTPUT', undefined);
    expect(await stdoutOf(() => setOutputs({ findings: '3' }))).toBe('');
  });
});

describe('writeSummary', () => {
  it('appends Markdown to GITHUB_STEP_SUMMARY, one trailing newline each', async () => {
    const file = path.join(temp, 'summary.md');
    fs.writeFileSync(file, '');
    vi.stubEnv('GITHUB_STEP_SUMMARY', file);
    await writeSummary('## one\n\n\n');
    await writeSummary('two');
    expect(fs.readFileSync(file, 'utf8')).toBe('## one\ntwo\n');
  });

  it('does nothing outside a runner', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', undefined);
    await expect(writeSummary('## one')).resolves.toBeUndefined();
  });
});
