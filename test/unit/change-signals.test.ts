import { describe, expect, it } from 'vitest';
import { looksLikeCode, readChange } from '../../src/domain/change.js';
import { fileSignals } from '../../src/domain/change-signals.js';
import { parseUnifiedDiff } from '../../src/domain/diff.js';

const SQL_DIFF = `diff --git a/src/routes/users.ts b/src/routes/users.ts
index 1..2 100644
--- a/src/routes/users.ts
+++ b/src/routes/users.ts
@@ -5,3 +5,6 @@ export const users = Router();
 users.get('/users/:id', async (req, res) => {
   res.json(await db.get('SELECT * FROM users WHERE id = ?', [req.params.id]));
 });
+users.get('/users', async (req, res) => {
+  res.json(await db.all("SELECT id FROM users WHERE email = '" + req.query.email + "'"));
+});
`;

describe('readChange', () => {
  it('reads a diff with the prose around it', () => {
    const c = readChange(`Please check this before I commit.\n\n\`\`\`diff\n${SQL_DIFF}\`\`\`\n`);
    expect(c.kind).toBe('diff');
    expect(c.prose).toBe('Please check this before I commit.');
    expect(c.files).toHaveLength(1);
    const f = c.files[0]!;
    expect([f.path, f.status, f.language]).toEqual(['src/routes/users.ts', 'modified', 'typescript']);
    expect(f.added.map((l) => l.line)).toEqual([8, 9, 10]);
    expect(f.removed).toEqual([]);
  });

  it('reads fenced code without a diff as snippets with the fence language, the rest as prose', () => {
    const c = readChange('Is this safe?\n\n```python\nimport pickle\n\ndata = pickle.loads(request.data)\n```\n');
    expect(c.kind).toBe('code');
    expect(c.prose).toBe('Is this safe?');
    expect(c.files).toEqual([
      {
        path: '',
        oldPath: null,
        status: 'snippet',
        binary: false,
        added: [
          { line: 1, text: 'import pickle' },
          { line: 3, text: 'data = pickle.loads(request.data)' },
        ],
        removed: [],
        language: 'python',
      },
    ]);
  });

  it('tells unfenced code from prose', () => {
    const code = 'const q = "SELECT * FROM t WHERE id = " + id;\ndb.query(q);\nres.json(rows);\n';
    expect(readChange(code)).toMatchObject({ kind: 'code', prose: '', files: [{ status: 'snippet', added: [{ line: 1 }, { line: 2 }, { line: 3 }] }] });
    const prose = 'We store the session in memory for now.\nLater we will move it to Redis, once the team agrees on it.\n';
    expect(looksLikeCode(prose)).toBe(false);
    expect(readChange(prose)).toEqual({ kind: 'prose', files: [], prose: 'We store the session in memory for now. Later we will move it to Redis, once the team agrees on it.' });
    expect(readChange('  ')).toEqual({ kind: 'none', files: [], prose: '' });
    expect(readChange(null)).toEqual({ kind: 'none', files: [], prose: '' });
  });
});

describe('hostile contexts', () => {
  // Each of these took seconds to minutes with backtracking patterns; the test's time limit is the check.
  it('reads 40,000 unclosed fences, a 200 KB line and a 200 KB binary header without rescanning', () => {
    const fences = readChange('```a\n'.repeat(40_000));
    expect(fences.kind).toBe('code');
    expect(fences.files).toHaveLength(1);
    const long = readChange('a(b'.repeat(66_000));
    expect([long.kind, long.prose.length]).toEqual(['prose', 2000]);
    const binary = parseUnifiedDiff(`Binary files ${'x and '.repeat(33_000)}y differ`);
    expect(binary.files[0]!.binary).toBe(true);
    expect(parseUnifiedDiff('Binary files a/rock and roll.png and b/rock and roll.png differ').files[0]!.path).toBe('rock and roll.png');
    const select = `"${'select a '.repeat(110)}`;
    const s = fileSignals({ path: 'a.ts', oldPath: null, status: 'modified', binary: false, added: Array.from({ length: 400 }, (_, i) => ({ line: i + 1, text: select })), removed: [], language: 'typescript' });
    expect(s.signals.some((x) => x.term === 'sql query database')).toBe(false);
  });
});

describe('fileSignals', () => {
  const byTerm = (s: ReturnType<typeof fileSignals>, term: string) => s.signals.find((x) => x.term === term);

  it('names string-built SQL, its line, and searches that concept before the code words', () => {
    const s = fileSignals(readChange(SQL_DIFF).files[0]!);
    expect(byTerm(s, 'sql injection query string concatenation parameterized')).toMatchObject({ kind: 'concept', lines: [9], weight: 1 });
    expect(byTerm(s, 'user input validation')).toMatchObject({ lines: [9], weight: 0.4 });
    // The SQL literal and the called APIs are code signals with their lines.
    expect(byTerm(s, 'sql')).toMatchObject({ kind: 'literal', lines: [9] });
    expect(byTerm(s, 'db all')).toMatchObject({ kind: 'api', lines: [9] });
    expect(s.queries[0]!.weight).toBe(1);
    expect(s.queries.map((q) => q.text)).toContain('sql injection query string concatenation parameterized');
    // Path words and the language come last, weakly.
    expect(s.queries.at(-1)).toEqual({ text: 'typescript javascript node routes users', weight: 0.3 });
  });

  it('searches language-bound concepts with the language name, and only in that language', () => {
    const py = fileSignals({ path: 'lib/tags.py', oldPath: null, status: 'modified', binary: false, added: [{ line: 4, text: 'def add_tag(tag, tags=[]):' }], removed: [], language: 'python' });
    expect(py.queries[0]).toEqual({ text: 'python mutable default argument', weight: 1 });
    const js = fileSignals({ path: 'lib/tags.js', oldPath: null, status: 'modified', binary: false, added: [{ line: 4, text: 'def add_tag(tag, tags=[]):' }], removed: [], language: 'javascript' });
    expect(js.signals.some((x) => x.term === 'mutable default argument')).toBe(false);
  });

  it('reads removed properties only in files that define an interface', () => {
    const removed = [{ line: 5, text: '  legacySku: string;' }];
    const api = fileSignals({ path: 'src/api/v1/products.ts', oldPath: null, status: 'modified', binary: false, added: [], removed, language: 'typescript' });
    expect(byTerm(api, 'removed property breaking change deprecation')).toMatchObject({ lines: [-5] });
    const internal = fileSignals({ path: 'src/jobs/queue.ts', oldPath: null, status: 'modified', binary: false, added: [], removed, language: 'typescript' });
    expect(byTerm(internal, 'removed property breaking change deprecation')).toBeUndefined();
  });
});
