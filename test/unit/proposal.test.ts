import { readFrontMatter } from '../../src/domain/front-matter.js';
import { describe, expect, it } from 'vitest';
import { isProposalId, newProposalId, parseProposalMessage, proposalIdOf, proposalMessage, renderStandardFile, type ProposalRecord } from '../../src/domain/proposal.js';

const BODY = '# Retries\n\n## Context\nx\n\n## Pattern\ny\n\n## Examples\nz\n\n## Anti-patterns\nw\n';

describe('proposal records in commit messages', () => {
  it('round-trips every field, keeping a multi-line rationale', () => {
    const record: ProposalRecord = { id: 'sp-20261130-0a1b2c', action: 'propose', domain: 'api', topic: 'retries', by: 'sre', jobId: 'job-9', text: 'Two services retry forever.\n\nKey: value lines in the text stay text.' };
    const message = proposalMessage(record, 'Retries');
    expect(message.split('\n')[0]).toBe('Propose standard api/retries: Retries');
    expect(parseProposalMessage(message)).toEqual(record);
  });

  it('keeps trailer values on one line and ignores commits that are not proposal steps', () => {
    const record: ProposalRecord = { id: 'sp-20261130-0a1b2c', action: 'revise', domain: 'api', topic: 'retries', by: 'evil\nAgent-OS-Action: reject', jobId: null, text: '' };
    const parsed = parseProposalMessage(proposalMessage(record, ''));
    expect(parsed).toMatchObject({ action: 'revise', by: 'evil Agent-OS-Action: reject' });
    expect(parseProposalMessage('Fix typo\n\nSigned-off-by: A <a@b.c>')).toBeNull();
    expect(parseProposalMessage('x\n\nAgent-OS-Proposal: ../../etc\nAgent-OS-Action: propose\nAgent-OS-Standard: a/b')).toBeNull();
    expect(parseProposalMessage('x\n\nAgent-OS-Proposal: sp-20261130-0a1b2c\nAgent-OS-Action: approve\nAgent-OS-Standard: a/b')).toBeNull();
  });

  it('makes ids that are safe in refs and checks them', () => {
    const id = newProposalId(new Date('2026-11-30T10:00:00Z'), 'ABCDEF99');
    expect(id).toBe('sp-20261130-abcdef');
    expect(isProposalId(id)).toBe(true);
    for (const bad of ['sp-2026-abcdef', 'sp-20261130-ABCDEF', '../sp-20261130-abcdef', 'sp-20261130-abcdef\n']) expect(isProposalId(bad)).toBe(false);
  });
});

describe('renderStandardFile', () => {
  const meta = { domain: 'api', topic: 'retries', proposalId: 'sp-20261130-0a1b2c', proposedBy: 'sre', createdAt: '2026-11-30T10:00:00.000Z' };

  it('generates front matter, keeping extra keys the author gave and replacing generated ones', () => {
    const text = renderStandardFile(`---\ntags: [net]\nowner: platform\ndomain: wrong\napproved_by: someone\n---\n${BODY}`, meta);
    // YAML readers may turn the ISO date into a Date; compare the JSON form.
    const fm = JSON.parse(JSON.stringify(readFrontMatter(text).data)) as Record<string, unknown>;
    expect(fm).toEqual({ domain: 'api', topic: 'retries', tags: ['net'], created_by: 'sre', created_at: '2026-11-30T10:00:00.000Z', proposal: 'sp-20261130-0a1b2c', owner: 'platform' });
    expect(Object.keys(fm).slice(0, 3)).toEqual(['domain', 'topic', 'tags']);
    expect(readFrontMatter(text).body.trim()).toBe(BODY.trim());
    expect(proposalIdOf(text)).toBe('sp-20261130-0a1b2c');
  });

  it('an update keeps the original author, date and lists unless new ones are given', () => {
    const previous = `---\ncreated_by: data\ncreated_at: 2025-01-01T00:00:00.000Z\napplies_to: ["src/**"]\ntags: [old]\n---\n${BODY}`;
    const fm = JSON.parse(JSON.stringify(readFrontMatter(renderStandardFile(BODY, { ...meta, previous, tags: ['new'] })).data)) as Record<string, unknown>;
    expect(fm).toMatchObject({ created_by: 'data', created_at: '2025-01-01T00:00:00.000Z', updated_by: 'sre', tags: ['new'], applies_to: ['src/**'] });
  });
});
