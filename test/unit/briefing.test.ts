import { describe, expect, it } from 'vitest';
import { checklistRefs, deriveChecklist, keyLines, renderBriefing, renderStandards, type BriefingView } from '../../src/domain/briefing.js';
import { fileSignals } from '../../src/domain/change-signals.js';
import { readChange } from '../../src/domain/change.js';
import { combineSources, type SelectedStandard } from '../../src/domain/selection.js';

describe('combineSources', () => {
  it('gives every changed file a fair share: one busy file cannot crowd out another', () => {
    const busy = { id: 'src/a.ts', weight: 1, share: 6, lists: [{ files: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'], weight: 1 }] };
    const quiet = { id: 'src/b.ts', weight: 1, share: 6, lists: [{ files: ['b1'], weight: 0.3 }] };
    const out = combineSources([busy, quiet], 3);
    // b1 scores far below a2 and a3, yet its file is owed a slot.
    expect(out.chosen).toEqual(['a1', 'a2', 'b1']);
    expect(out.rest.slice(0, 2)).toEqual(['a3', 'a4']);
    expect(out.foundBy.get('b1')).toEqual(['src/b.ts']);
  });

  it('orders the chosen standards by combined score, and a standard found by several sources rises', () => {
    const a = { id: 'a', weight: 1, share: 6, lists: [{ files: ['x', 'shared'], weight: 1 }] };
    const b = { id: 'b', weight: 1, share: 6, lists: [{ files: ['y', 'shared'], weight: 1 }] };
    const out = combineSources([a, b], 3);
    expect(out.chosen).toEqual(['shared', 'x', 'y']);
    expect(out.scores.get('shared')).toBeCloseTo(0.5);
    expect(out.foundBy.get('shared')).toEqual(['a', 'b']);
  });

  it("keeps a rank's weight: a second list finding the same standard adds half as much as the first", () => {
    const s = { id: 'f', weight: 1, share: 6, lists: [{ files: ['broad', 'one'], weight: 1 }, { files: ['broad'], weight: 1 }, { files: ['broad'], weight: 1 }, { files: ['sharp'], weight: 1 }] };
    const out = combineSources([s], 4);
    // broad: 1/3 + 1/6 + 1/12; sharp: 1/3; one: 1/4.
    expect(out.scores.get('broad')).toBeCloseTo(7 / 12);
    expect(out.chosen).toEqual(['broad', 'sharp', 'one']);
  });

  it('a task with no topic (weight 0, no share) changes nothing; one with a topic is owed a slot', () => {
    const file = { id: 'f', weight: 1, share: 2, lists: [{ files: ['f1', 'f2', 'f3'], weight: 1 }] };
    const generic = { id: 'task', weight: 0, share: 0, lists: [{ files: ['review-checklist'], weight: 1 }] };
    expect(combineSources([file, generic], 2).chosen).toEqual(['f1', 'f2']);
    const specific = { id: 'task', weight: 1, share: 1, lists: [{ files: ['auth'], weight: 0.5 }] };
    expect(combineSources([specific, file], 2).chosen).toEqual(['f1', 'auth']);
  });
});

function standard(i: number, chars: number): SelectedStandard {
  const body = Array.from({ length: 12 }, (_, k) => `- Rule ${k + 1} of standard ${i} must be followed ${'x'.repeat(Math.max(0, chars / 12 - 40))}`).join('\n');
  return {
    file: `security/s${i}.md`,
    title: `Standard ${i}`,
    domain: 'security',
    score: 1 / i,
    sections: [
      { section: `Standard ${i} > Pattern`, content: body, score: 0.9 },
      { section: `Standard ${i} > More`, content: body, score: 0.85 },
    ],
    evidence: [{ path: 'src/a.ts', line: i, text: `const q = "SELECT ${i}" + x;`, words: ['sql', 'query'] }],
    via: ['src/a.ts'],
  };
}

function view(over: Partial<BriefingView>): BriefingView {
  return {
    personaName: 'Security Engineer',
    task: 'Review this change',
    changeKind: 'diff',
    files: [{ path: 'src/a.ts', oldPath: null, status: 'modified', binary: false, added: 3, removed: 1 }],
    checklist: [{ text: 'Are queries parameterised?', appliesTo: ['src/a.ts:2'] }],
    standards: [],
    leftOut: [],
    unsearched: [],
    notes: [],
    budgetChars: 8000,
    ...over,
  };
}

describe('renderBriefing and its budget', () => {
  it('stays within the budget by showing less of each standard, and names the standards it left out', () => {
    const standards = Array.from({ length: 6 }, (_, i) => standard(i + 1, 3000));
    for (const budget of [2000, 3500, 8000]) {
      const md = renderBriefing(view({ standards, budgetChars: budget }));
      expect(md.length).toBeLessThanOrEqual(budget);
      expect(md).toContain('### `security/s1.md`: Standard 1');
      expect(md).toContain('## Configure a model');
    }
    const tight = renderBriefing(view({ standards, budgetChars: 2000 }));
    const shown = [...tight.matchAll(/^### `(security\/s\d\.md)`/gm)].map((m) => m[1]);
    expect(shown.length).toBeLessThan(6);
    const omitted = standards.map((s) => s.file).filter((f) => !shown.includes(f));
    expect(tight).toContain(`Over the size budget (2000 characters): ${omitted.map((f) => `\`${f}\``).join(', ')}.`);
    // With room, every standard is shown with its evidence and a second section.
    const roomy = renderBriefing(view({ standards, budgetChars: 20_000 }));
    expect([...roomy.matchAll(/^### `security\/s\d\.md`/gm)]).toHaveLength(6);
    expect(roomy).toContain('- `src/a.ts:3` `const q = "SELECT 3" + x;` — sql, query');
    expect(roomy).toContain('*Standard 1 > More* (relevance 0.85)');
    expect(roomy).not.toContain('Over the size budget');
  });

  it('cuts even a briefing whose fixed parts are over the budget, and says so', () => {
    const checklist = Array.from({ length: 40 }, (_, i) => ({ text: `Item ${i} ${'y'.repeat(200)}`, appliesTo: [] }));
    const md = renderBriefing(view({ checklist, standards: [standard(1, 1000)], budgetChars: 2000 }));
    expect(md.length).toBeLessThanOrEqual(2000);
    expect(md).toMatch(/… \(briefing cut at its budget of 2000 characters\)$/);
  });

  it('says what was left out: other matches and files not searched', () => {
    const md = renderBriefing(
      view({
        standards: [standard(1, 500)],
        leftOut: [{ file: 'security/other.md', title: 'Other' }],
        unsearched: [{ path: 'img/logo.png', why: 'binary' }],
      }),
    );
    expect(md).toContain('- Also matched, less closely: `security/other.md`.');
    expect(md).toContain('- Changed files not searched: `img/logo.png` (binary).');
  });

  it('renderStandards leaves out what does not fit even at its least detail', () => {
    const { text, omitted } = renderStandards([standard(1, 500), standard(2, 500)], 300);
    expect(text.length).toBeLessThanOrEqual(300);
    expect(omitted.map((s) => s.file)).toEqual(['security/s2.md']);
  });
});

describe('checklistRefs', () => {
  it('points a checklist item at the changed lines it concerns, and not on chance word stems', () => {
    const diff = '--- a/src/db.ts\n+++ b/src/db.ts\n@@ -1 +1,3 @@\n import { db } from "./db";\n+const rows = db.all("SELECT * FROM t WHERE id = " + req.query.id);\n+// falls back to redis when the primary is down\n';
    const signals = readChange(diff).files.map(fileSignals);
    const [queries, rollback] = checklistRefs(['Are queries parameterised?', 'Can this be rolled back in minutes?'], signals);
    expect(queries).toEqual({ text: 'Are queries parameterised?', appliesTo: ['src/db.ts:2'] });
    expect(rollback!.appliesTo).toEqual([]);
  });
});

describe('reading Markdown with a parser', () => {
  it('takes checklist items from the Checklist section only, never from code blocks, and nested items too', () => {
    const prompt = [
      '# Reviewer',
      '## Examples',
      '~~~markdown',
      '```',
      '## Checklist',
      '- Not an item: inside a code block',
      '~~~',
      '## Checklist',
      '- Are inputs validated?',
      '  - Including headers?',
      '```text',
      '- Not an item either',
      '```',
      '1. Are errors logged?',
    ].join('\n');
    expect(deriveChecklist(prompt, 'anything')).toEqual(['Are inputs validated?', 'Including headers?', 'Are errors logged?']);
  });

  it('names the review template sections, from a code block or from headings', () => {
    const prompt = '## Checklist\n- One\n## Review template\n~~~markdown\n## Summary\n```\n## Not a section (inside a code block of the template)\n```\n### Findings\n~~~\n#### Recommendations\n';
    expect(deriveChecklist(prompt, 'x').at(-1)).toBe('Report as **Summary**, **Findings**, **Recommendations**, citing each standard as `domain/topic.md`.');
  });

  it('keyLines keeps code out of the rules: a fence inside a list, a ~~~ fence holding ```, a setext heading', () => {
    const excerpt = [
      'Storing secrets',
      '===============',
      '- Keys must come from the vault:',
      '  ```ts',
      '  const key = "must-not-be-a-rule";',
      '  ```',
      '~~~md',
      '```',
      'never a rule: inside the outer block',
      '~~~',
      'Rotate keys yearly; never log them.',
    ].join('\n');
    expect(keyLines(excerpt)).toEqual(['Keys must come from the vault:', 'Rotate keys yearly; never log them.']);
    // With no prose, the code is what is left to show.
    expect(keyLines('```sh\n# install\nnpm ci\n```')).toEqual(['npm ci']);
  });

  it('keyLines reads an indented block of an excerpt as the rest of a list item, its fences as code', () => {
    // An excerpt starts mid-list: its first line lost its indentation, the nested lines kept theirs.
    const excerpt = ['the end of an item.', '', '    - Nested items must be kept', '    ```sh', '    # must stay code', '    rm -rf "$dir"', '    ```'].join('\n');
    expect(keyLines(excerpt)).toEqual(['Nested items must be kept']);
  });

  it('keyLines reads a line opening with inline ```code``` as prose, not as a fence', () => {
    expect(keyLines('```eval()``` must never see user input.\n\nPrefer a parser.')).toEqual(['```eval()``` must never see user input.', 'Prefer a parser.']);
  });

  it('a fence of four backticks in a list item holds ``` lines, `#` lines and bullets as code', () => {
    const prompt = [
      '## Checklist',
      '- Is the install script safe?',
      '  ````sh',
      '  ```',
      '  # not a heading',
      '  - not an item',
      '  ````',
      '- Are versions pinned?',
    ].join('\n');
    expect(deriveChecklist(prompt, 'anything')).toEqual(['Is the install script safe?', 'Are versions pinned?']);
  });

  it('setext headings open sections like ATX ones', () => {
    const prompt = ['Reviewer', '========', 'Checklist', '---------', '- Are secrets kept out of logs?', '', 'Output format', '-------------', '~~~', '## Findings', '~~~'].join('\n');
    expect(deriveChecklist(prompt, 'anything')).toEqual(['Are secrets kept out of logs?', 'Report as **Findings**, citing each standard as `domain/topic.md`.']);
  });
});
