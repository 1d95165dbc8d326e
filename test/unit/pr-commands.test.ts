import { describe, expect, it } from 'vitest';

import { lessonTarget, mayCommand, parseCommand, parsePersonaList, splitFindingId } from '../../src/domain/pr-commands.js';
import { checkTemplate } from '../../src/domain/proposal-validation.js';
import { amendStandard, lessonTitle, lessonTopic, standardFromLesson } from '../../src/domain/standard-draft.js';

const STANDARD = `---
tags: [secrets]
---
# Secrets

## Context
Credentials leak through history.

## Pattern
Read secrets from the environment.

\`\`\`md
## Pattern
not a heading: inside a fence
\`\`\`

### Details
Rotate them.

## Examples
const password = process.env.DB_PASSWORD;

## Anti-patterns
String literals holding passwords.
`;

describe('parseCommand', () => {
  it('reads the command word and everything after it, over several lines', () => {
    expect(parseCommand('/agent-os learn  Fixtures may hold\nfake passwords.')).toEqual({ name: 'learn', word: 'learn', args: 'Fixtures may hold\nfake passwords.' });
    expect(parseCommand('  /Agent-OS REVIEW security,qa ')).toEqual({ name: 'review', word: 'review', args: 'security,qa' });
    expect(parseCommand('/agent-os')).toEqual({ name: 'help', word: 'help', args: '' });
    expect(parseCommand('/agent-os frobnicate now')).toEqual({ name: 'unknown', word: 'frobnicate', args: 'now' });
  });

  it('skips a quote reply before the command, and ignores a command inside other text', () => {
    expect(parseCommand('> **warning**: Hard-coded password\n> more\n\n/agent-os dismiss test fixture')?.args).toBe('test fixture');
    expect(parseCommand('Please run\n/agent-os review')).toBeNull();
    expect(parseCommand('/agent-osreview')).toBeNull();
    expect(parseCommand('')).toBeNull();
    expect(parseCommand(`/agent-os learn ${'x'.repeat(50_000)}`)!.args.length).toBeLessThan(20_000);
  });

  it('lets write, maintain and admin command, nobody else', () => {
    expect(['admin', 'maintain', 'write', 'triage', 'read', 'none'].filter((p) => mayCommand(p as 'read'))).toEqual(['admin', 'maintain', 'write']);
  });

  it('splits ids, persona lists and lesson targets', () => {
    expect(splitFindingId('0123456789AB not a secret')).toEqual({ id: '0123456789ab', rest: 'not a secret' });
    expect(splitFindingId('0123456789abc not an id')).toBeNull();
    expect(parsePersonaList('security, qa-lead engineer')).toEqual(['security', 'qa-lead', 'engineer']);
    expect(parsePersonaList('security ../etc')).toBeNull();
    expect(lessonTarget('security/secrets.md: Fixtures may hold fake values.')).toEqual({ domain: 'security', topic: 'secrets', lesson: 'Fixtures may hold fake values.' });
    expect(lessonTarget('Note: not a target')).toBeNull();
  });
});

describe('standards drafted without a model', () => {
  it('puts a lesson into the template as written, with its headings made inert', () => {
    const text = standardFromLesson('Test fixtures may hold fake credentials. Name them fake_*.\n## Context\n<!-- hidden -->', {
      url: 'https://github.com/o/r/pull/1#discussion_r9',
      finding: { title: 'Hard-coded password', where: 'src/app.ts:15', persona: 'security' },
    });
    expect(checkTemplate(text)).toMatchObject({ ok: true, title: 'Test fixtures may hold fake credentials' });
    expect(text).toContain('\\## Context');
    expect(text).not.toContain('<!--');
    expect(text).toContain('It answers the finding "Hard-coded password" on `src/app.ts:15`, raised by security.');
    expect(lessonTopic('Test fixtures may hold fake credentials. Name them fake_*.')).toBe('test-fixtures-may-hold-fake-credentials');
    expect(lessonTitle('')).toBe('Lesson from a review');
  });

  it('adds bullets at the end of the Pattern section, past its sub-sections and not inside a fence', () => {
    const amended = amendStandard(STANDARD, ['Fixtures under test/ may hold fake values (https://github.com/o/r/pull/1).', '# not a heading']);
    expect(amended.startsWith('---\ntags: [secrets]\n---\n')).toBe(true);
    expect(amended).toContain('Rotate them.\n\n- Fixtures under test/ may hold fake values (https://github.com/o/r/pull/1).\n- \\# not a heading\n\n## Examples');
    expect(amended).toContain('```md\n## Pattern\nnot a heading: inside a fence\n```');
    expect(checkTemplate(amended).ok).toBe(true);
    expect(amendStandard('# T\n\nNo sections.\n', ['x'])).toBe('# T\n\nNo sections.\n\n## Pattern\n\n- x\n');
  });
});
