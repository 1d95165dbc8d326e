import { afterEach, describe, expect, it } from 'vitest';
import { parseStandard } from '../../src/domain/chunking.js';
import { readFrontMatter } from '../../src/domain/front-matter.js';
import { parsePersona } from '../../src/domain/persona.js';
import { proposalIdOf, renderStandardFile } from '../../src/domain/proposal.js';
import { validateProposal } from '../../src/domain/proposal-validation.js';

const BODY = '# Title\n\n## Context\n\nWhy.\n\n## Pattern\n\nDo.\n\n## Examples\n\nLike this.\n\n## Anti-patterns\n\nNot this.\n';
/** JavaScript front matter that marks the global object if anything ever evaluates it. */
const JS_FRONT = "---js\n{ tags: (globalThis.__agentOsPwned = 'ran', ['x']) }\n---\n";

declare global {
  // eslint-disable-next-line no-var
  var __agentOsPwned: string | undefined;
}

describe('front matter is YAML data only', () => {
  afterEach(() => {
    delete globalThis.__agentOsPwned;
  });

  it('reads a YAML mapping, its body, and keeps dates and keys as plain data', () => {
    const fm = readFrontMatter('\uFEFF---\ntags: [a, b]\ncreated_at: 2026-11-30\n__proto__: {polluted: yes}\n---\n# T\n');
    expect(fm).toMatchObject({ present: true, problem: null, body: '# T\n' });
    expect(fm.data['tags']).toEqual(['a', 'b']);
    expect(fm.data['created_at']).toBe('2026-11-30');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(fm.data)).toBe(Object.prototype);
  });

  it('treats text without an opening fence as all body, and an empty block as no fields', () => {
    expect(readFrontMatter('# Only a title\n---\nnot front matter\n---\n')).toEqual({ data: {}, body: '# Only a title\n---\nnot front matter\n---\n', present: false, problem: null });
    expect(readFrontMatter('---\n---\nBody')).toEqual({ data: {}, body: 'Body', present: true, problem: null });
    expect(readFrontMatter('---yaml\na: 1\n---\nB')).toMatchObject({ data: { a: 1 }, body: 'B', problem: null });
  });

  it.each([
    ['js', JS_FRONT],
    ['javascript', "---javascript\nglobalThis.__agentOsPwned = 'ran'; ({})\n---\n"],
    ['blank line before the close', "---js\n({ x: globalThis.__agentOsPwned = 'ran' })\n\n---\n"],
    ['coffee', '---coffee\nx: 1\n---\n'],
  ])('never evaluates %s front matter: the block is dropped and named as a problem', (_name, front) => {
    const fm = readFrontMatter(`${front}${BODY}`);
    expect(globalThis.__agentOsPwned).toBeUndefined();
    expect(fm.data).toEqual({});
    expect(fm.problem).toMatch(/^front matter in "\w+" is not supported \(only YAML is read; it is never run\)$/);
    expect(fm.body.trim()).toBe(BODY.trim());
  });

  it('reports broken YAML, non-mappings, unclosed blocks, and YAML alias bombs without throwing', () => {
    expect(readFrontMatter('---\ntags: [a\n---\nB').problem).toMatch(/^front matter is not valid YAML/);
    expect(readFrontMatter('---\n- a\n- b\n---\nB').problem).toBe('front matter must be a YAML mapping of fields');
    expect(readFrontMatter('---\na: 1\n# never closed').problem).toMatch(/never closed/);
    const bomb = ['---', 'a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`), '---', 'B'].join('\n');
    expect(readFrontMatter(bomb).problem).toMatch(/not valid YAML/);
  });

  it('a standard with JavaScript front matter is indexed as text with a warning naming the file, and nothing runs', () => {
    const parsed = parseStandard('security/evil.md', `${JS_FRONT}${BODY}`, 'h');
    expect(globalThis.__agentOsPwned).toBeUndefined();
    expect(parsed.doc.frontMatter.tags).toEqual([]);
    expect(parsed.warnings).toEqual(['security/evil.md: front matter in "js" is not supported (only YAML is read; it is never run); indexed without it']);
  });

  it('a persona file with JavaScript front matter is refused with an error naming the file', () => {
    expect(() => parsePersona('.agent-os/personas/evil.md', `${JS_FRONT}You review.`)).toThrow(
      /\.agent-os\/personas\/evil\.md.*front matter in "js" is not supported/s,
    );
    expect(globalThis.__agentOsPwned).toBeUndefined();
  });

  it('a proposal with JavaScript front matter is refused, even with a blank line before the close', () => {
    const content = `---js\n({ x: globalThis.__agentOsPwned = 'ran' })\n\n---\n${BODY}`;
    expect(() => validateProposal({ domain: 'security', topic: 'evil', content }, [])).toThrow(/The content's front matter in "js" is not supported/);
    expect(globalThis.__agentOsPwned).toBeUndefined();
    // Rendering (e.g. of a standard already on the default branch) reads no code either.
    const rendered = renderStandardFile(`${JS_FRONT}${BODY}`, { domain: 'd', topic: 't', proposalId: 'sp-20261202-abcdef', proposedBy: 'qa', createdAt: '2026-12-02T00:00:00.000Z' });
    expect(globalThis.__agentOsPwned).toBeUndefined();
    expect(rendered.startsWith('---\ndomain: d\ntopic: t\n')).toBe(true);
    expect(proposalIdOf(`${JS_FRONT}${BODY}`)).toBeNull();
  });
});
