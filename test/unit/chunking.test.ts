import { describe, expect, it } from 'vitest';
import { chunkStandard, domainAndTopic, parseStandard } from '../../src/domain/chunking.js';
import { sha256 } from '../../src/domain/hashing.js';

const opts = { chunkChars: 300, hardMaxChars: 1200 };

function chunks(file: string, raw: string, o = opts) {
  const { doc, warnings } = parseStandard(file, raw, sha256(raw));
  return { doc, warnings, chunks: chunkStandard(doc, o) };
}

describe('domainAndTopic', () => {
  it('takes domain from the first folder and topic from the rest', () => {
    expect(domainAndTopic('security/auth-patterns.md')).toEqual({ domain: 'security', topic: 'auth-patterns' });
    expect(domainAndTopic('data/kafka/topics.md')).toEqual({ domain: 'data', topic: 'kafka/topics' });
    expect(domainAndTopic('README.md')).toEqual({ domain: 'general', topic: 'README' });
    expect(domainAndTopic('security/notes.txt')).toBeNull();
  });
});

describe('parseStandard', () => {
  it('reads front matter tags, applies_to and title', () => {
    const { doc, warnings } = chunks('security/auth.md', '---\ntags: [auth, jwt]\napplies_to: "src/**/*.ts"\ncreated_by: security\n---\n# Auth rules\n\nUse JWT.\n');
    expect(warnings).toEqual([]);
    expect(doc.title).toBe('Auth rules');
    expect(doc.frontMatter.tags).toEqual(['auth', 'jwt']);
    expect(doc.frontMatter.applies_to).toEqual(['src/**/*.ts']);
    expect(doc.frontMatter.created_by).toBe('security');
  });

  it('survives broken YAML front matter with a warning', () => {
    const { doc, warnings, chunks: cs } = chunks('dev/x.md', '---\ntags: [unclosed\n: : :\n---\n# Title\n\nBody text here.\n');
    expect(warnings[0]).toMatch(/front matter is not valid YAML/);
    expect(doc.title).toBe('Title');
    expect(cs[0]?.content).toContain('Body text here.');
  });

  it('takes the title from the first level-1 heading, never from a `#` line inside code', () => {
    expect(chunks('ops/ci.md', 'Set up CI.\n\n```sh\n# install deps\nnpm ci\n```\n\n# Continuous integration\n\nText.\n').doc.title).toBe('Continuous integration');
    expect(chunks('ops/ci.md', 'Continuous\nintegration\n===\n\nText.\n').doc.title).toBe('Continuous integration');
    // The heading as written (inline code kept), without its closing hashes.
    expect(chunks('ops/ci.md', 'Intro.\n\n#   The `npm ci` rule ##\n').doc.title).toBe('The `npm ci` rule');
    expect(chunks('ops/ci.md', '#\n\nNot a title.\n').doc.title).toBe('ci');
    // A `#` that ends a word is text, not a closing sequence.
    expect(chunks('dev/csharp.md', '# Style for C#\n').doc.title).toBe('Style for C#');
  });

  it('falls back to the topic as title', () => {
    expect(chunks('ops/deployment-process.md', 'Just text.\n').doc.title).toBe('deployment process');
  });
});

describe('chunkStandard', () => {
  it('keeps the heading path as section and puts title and path into the searched text', () => {
    const { chunks: cs } = chunks('security/auth.md', '# Auth\n\n## Passwords\n\n### Hashing\n\nUse argon2id.\n');
    expect(cs).toHaveLength(1);
    expect(cs[0]?.section).toBe('Auth > Passwords > Hashing');
    expect(cs[0]?.text.split('\n')[0]).toBe('Auth > Passwords > Hashing');
    expect(cs[0]?.content).toContain('Use argon2id.');
  });

  it('never crosses a level-2 heading and bounds chunk size', () => {
    const para = 'Sentence about logging. '.repeat(8).trim();
    const raw = `# Ops\n\n## Logging\n\n${para}\n\n${para}\n\n${para}\n\n## Metrics\n\nCount requests.\n`;
    const { chunks: cs } = chunks('ops/obs.md', raw);
    expect(cs.length).toBeGreaterThanOrEqual(3);
    expect(cs.every((c) => !(c.content.includes('Logging') && c.content.includes('Count requests')))).toBe(true);
    expect(cs.at(-1)?.section).toBe('Ops > Metrics');
    for (const c of cs) expect(c.content.length).toBeLessThanOrEqual(opts.hardMaxChars);
  });

  it('keeps a code block whole even when it exceeds the soft bound', () => {
    const code = Array.from({ length: 30 }, (_, i) => `const line${i} = ${i};`).join('\n');
    const raw = `# Code\n\nIntro.\n\n\`\`\`ts\n${code}\n\`\`\`\n\nOutro.\n`;
    const { chunks: cs } = chunks('dev/code.md', raw);
    const withCode = cs.filter((c) => c.content.includes('const line0'));
    expect(withCode).toHaveLength(1);
    expect(withCode[0]?.content).toContain('const line29 = 29;');
    expect(withCode[0]?.content).toContain('```ts');
  });

  it('splits a huge paragraph instead of producing one giant chunk', () => {
    const raw = `# Big\n\n${'word '.repeat(2000)}\n`;
    const { chunks: cs } = chunks('dev/big.md', raw);
    expect(cs.length).toBeGreaterThan(5);
    for (const c of cs) expect(c.content.length).toBeLessThanOrEqual(opts.chunkChars + 50);
  });

  it('gives empty files no chunks and heading-only files one', () => {
    expect(chunks('dev/empty.md', '').chunks).toEqual([]);
    expect(chunks('dev/fm-only.md', '---\ntags: [a]\n---\n').chunks).toEqual([]);
    const headings = chunks('dev/h.md', '# Only\n\n## Headings\n').chunks;
    expect(headings).toHaveLength(1);
    expect(headings[0]?.content).toContain('Headings');
  });

  it('handles malformed Markdown without throwing', () => {
    const raw = '# Broken\n\n```js\nnever closed\n\n| a | b\n|---\n<div><span>\n[link](\n';
    const { chunks: cs } = chunks('dev/broken.md', raw);
    expect(cs.length).toBeGreaterThan(0);
    expect(cs.map((c) => c.content).join('\n')).toContain('never closed');
  });

  it('derives stable ids and text hashes', () => {
    const raw = '# A\n\nSame content.\n';
    const a = chunks('dev/a.md', raw).chunks[0]!;
    const b = chunks('dev/a.md', raw).chunks[0]!;
    const c = chunks('dev/c.md', raw).chunks[0]!;
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
    expect(a.textHash).toBe(sha256(a.text));
  });
});
