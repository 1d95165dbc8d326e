import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';

import { ACTION_DEFAULTS, readActionInputs } from '../../src/action/inputs.js';
import { isIgnoredPath } from '../../src/domain/pr-review.js';
import { errorOf } from '../fakes/errors.js';
import { REPO_ROOT } from '../fakes/build.js';

/** The runner's environment holding exactly these inputs (and no INPUT_* of the test process). */
function withEnv(vars: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_') || key === 'AGENT_OS_WORKFLOW_TOKEN') vi.stubEnv(key, undefined);
  for (const [key, value] of Object.entries(vars)) vi.stubEnv(key, value);
}

function inputsOf(vars: Record<string, string>) {
  withEnv(vars);
  return readActionInputs();
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('readActionInputs', () => {
  it('applies the defaults when inputs are absent or blank', () => {
    expect(inputsOf({ 'INPUT_GITHUB-TOKEN': 'tok', INPUT_PERSONAS: '', INPUT_MODEL: '  ', INPUT_MAX_COMMENTS: ' \n', 'INPUT_FAIL-ON': '' })).toEqual({
      githubToken: 'tok',
      workflowToken: false,
      personas: ['engineer', 'security'],
      openaiApiKey: undefined,
      openaiBaseUrl: undefined,
      model: undefined,
      maxComments: 10,
      maxCommentsPerFile: 5,
      minSeverity: 'info',
      failOn: 'none',
      pathsIgnore: [],
      maxDiffChars: 60000,
    });
  });

  it('reads dashed and underscored names and normalises values', () => {
    const inputs = inputsOf({
      INPUT_GITHUB_TOKEN: 'tok',
      INPUT_PERSONAS: 'Engineer, security,engineer\nqa-lead',
      'INPUT_OPENAI-API-KEY': 'sk-x',
      'INPUT_OPENAI-BASE-URL': 'http://localhost:11434/v1',
      INPUT_MODEL: ' gpt-4.1-mini ',
      'INPUT_MAX-COMMENTS': '0',
      'INPUT_MAX-COMMENTS-PER-FILE': '2',
      'INPUT_MIN-SEVERITY': 'Warning',
      INPUT_FAIL_ON: 'Warning',
      'INPUT_PATHS-IGNORE': 'docs/**, src/**/*.{js,ts}\n\n# comment\n*.md',
      'INPUT_MAX-DIFF-CHARS': '120000',
    });
    expect(inputs).toEqual({
      githubToken: 'tok',
      workflowToken: false,
      personas: ['engineer', 'security', 'qa-lead'],
      openaiApiKey: 'sk-x',
      openaiBaseUrl: 'http://localhost:11434/v1',
      model: 'gpt-4.1-mini',
      maxComments: 0,
      maxCommentsPerFile: 2,
      minSeverity: 'warning',
      failOn: 'warning',
      pathsIgnore: ['docs/**', 'src/**/*.{js,ts}', '*.md'],
      maxDiffChars: 120000,
    });
    expect(isIgnoredPath('src/deep/a.ts', inputs.pathsIgnore)).toBe(true);
    expect(isIgnoredPath('src/deep/a.py', inputs.pathsIgnore)).toBe(false);
  });

  it('takes the dashed name first and the underscored one when the dashed one is blank', () => {
    expect(inputsOf({ 'INPUT_GITHUB-TOKEN': 'tok', 'INPUT_MAX-COMMENTS': '3', INPUT_MAX_COMMENTS: '4' }).maxComments).toBe(3);
    expect(inputsOf({ 'INPUT_GITHUB-TOKEN': 'tok', 'INPUT_MAX-COMMENTS': '  ', INPUT_MAX_COMMENTS: '4' }).maxComments).toBe(4);
    expect(inputsOf({ 'INPUT_GITHUB-TOKEN': ' ', INPUT_GITHUB_TOKEN: 'tok2' }).githubToken).toBe('tok2');
  });

  it('reads every input under the variable names action.yml gives its review step', () => {
    const action = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'action', 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
      runs: { steps: Array<{ id?: string; env?: Record<string, string> }> };
    };
    const stepEnv = action.runs.steps.find((s) => s.id === 'review')?.env ?? {};
    const vars = Object.keys(action.inputs).map((name) => `INPUT_${name.replace(/-/g, '_').toUpperCase()}`);
    expect(vars.filter((v) => !(v in stepEnv))).toEqual([]);
    const values: Record<string, string> = {
      INPUT_GITHUB_TOKEN: 'ghs_abc',
      INPUT_PERSONAS: 'qa',
      INPUT_OPENAI_API_KEY: 'sk-y',
      INPUT_OPENAI_BASE_URL: 'https://llm.example/v1',
      INPUT_MODEL: 'm',
      INPUT_MAX_COMMENTS: '7',
      INPUT_MAX_COMMENTS_PER_FILE: '1',
      INPUT_MIN_SEVERITY: 'error',
      INPUT_FAIL_ON: 'error',
      INPUT_PATHS_IGNORE: '*.md',
      INPUT_MAX_DIFF_CHARS: '2000',
    };
    expect(Object.keys(values).sort()).toEqual([...vars].sort());
    expect(inputsOf({ ...values, AGENT_OS_WORKFLOW_TOKEN: 'ghs_abc' })).toEqual({
      githubToken: 'ghs_abc',
      workflowToken: true,
      personas: ['qa'],
      openaiApiKey: 'sk-y',
      openaiBaseUrl: 'https://llm.example/v1',
      model: 'm',
      maxComments: 7,
      maxCommentsPerFile: 1,
      minSeverity: 'error',
      failOn: 'error',
      pathsIgnore: ['*.md'],
      maxDiffChars: 2000,
    });
  });

  it('declares in action.yml the defaults it applies', () => {
    const action = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'action', 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    expect(action.inputs['personas']?.default).toBe(ACTION_DEFAULTS.personas.join(','));
    expect(action.inputs['max-comments']?.default).toBe(String(ACTION_DEFAULTS.maxComments));
    expect(action.inputs['max-comments-per-file']?.default).toBe(String(ACTION_DEFAULTS.maxCommentsPerFile));
    expect(action.inputs['min-severity']?.default).toBe(ACTION_DEFAULTS.minSeverity);
    expect(action.inputs['fail-on']?.default).toBe(ACTION_DEFAULTS.failOn);
    expect(action.inputs['max-diff-chars']?.default).toBe(String(ACTION_DEFAULTS.maxDiffChars));
  });

  it('recognises the workflow token only when action.yml passed the same value as github-token', () => {
    expect(inputsOf({ 'INPUT_GITHUB-TOKEN': 'ghs_abc', AGENT_OS_WORKFLOW_TOKEN: 'ghs_abc' }).workflowToken).toBe(true);
    expect(inputsOf({ 'INPUT_GITHUB-TOKEN': 'ghp_personal', AGENT_OS_WORKFLOW_TOKEN: 'ghs_abc' }).workflowToken).toBe(false);
    expect(inputsOf({ 'INPUT_GITHUB-TOKEN': 'ghs_abc', GITHUB_TOKEN: 'ghs_abc' }).workflowToken).toBe(false);
    expect(inputsOf({ 'INPUT_GITHUB-TOKEN': 'ghs_abc', AGENT_OS_WORKFLOW_TOKEN: '  ' }).workflowToken).toBe(false);
  });

  it.each([
    [{}, 'Input github-token is required (usually `${{ github.token }}`).', 'github-token'],
    [{ 'INPUT_MAX-COMMENTS': '51' }, 'Input max-comments must be a whole number from 0 to 50; got "51".', 'max-comments'],
    [{ 'INPUT_MAX-COMMENTS': '-1' }, 'Input max-comments must be a whole number from 0 to 50; got "-1".', 'max-comments'],
    [{ INPUT_MAX_COMMENTS: '2.5' }, 'Input max-comments must be a whole number from 0 to 50; got "2.5".', 'max-comments'],
    [{ 'INPUT_FAIL-ON': 'info' }, 'Input fail-on must be one of none, warning, error; got "info".', 'fail-on'],
    [{ INPUT_FAIL_ON: 'always' }, 'Input fail-on must be one of none, warning, error; got "always".', 'fail-on'],
    [{ 'INPUT_MIN-SEVERITY': 'none' }, 'Input min-severity must be one of info, warning, error; got "none".', 'min-severity'],
    [{ 'INPUT_MAX-COMMENTS-PER-FILE': '99' }, 'Input max-comments-per-file must be a whole number from 0 to 50; got "99".', 'max-comments-per-file'],
    [
      { INPUT_PERSONAS: 'engineer,../etc' },
      'Input personas must be a comma-separated list of persona ids (lowercase letters and digits, words joined by "-" or "_"); got "../etc".',
      'personas',
    ],
    [{ INPUT_PERSONAS: ' , ' }, 'Input personas must name at least one persona, e.g. "engineer,security".', 'personas'],
    [{ 'INPUT_OPENAI-BASE-URL': 'ftp://x' }, 'Input openai-base-url must be an http:// or https:// URL.', 'openai-base-url'],
    [{ INPUT_OPENAI_BASE_URL: 'not a url' }, 'Input openai-base-url must be an http:// or https:// URL.', 'openai-base-url'],
    [{ 'INPUT_MAX-DIFF-CHARS': '10' }, 'Input max-diff-chars must be a whole number from 1000 to 1000000; got "10".', 'max-diff-chars'],
    [{ 'INPUT_MAX-DIFF-CHARS': 'x'.repeat(100) }, `Input max-diff-chars must be a whole number from 1000 to 1000000; got "${'x'.repeat(60)}…".`, 'max-diff-chars'],
  ])('rejects %j', (vars: Record<string, string>, message, name) => {
    const full = Object.keys(vars).length === 0 ? vars : { 'INPUT_GITHUB-TOKEN': 'tok', ...vars };
    const err = errorOf(() => inputsOf(full));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe(message);
    expect(err.hint).toBe(`Fix \`${name}\` in the workflow step's \`with:\` block.`);
  });
});
