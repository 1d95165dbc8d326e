/**
 * selectStandards over a real LanceDB index of part of the shared corpus (keyword search, no
 * embedding model): planted flaws in a diff are matched to the standards that govern them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexStandards } from '../../src/services/index-standards.js';
import { searchStandards } from '../../src/services/search-standards.js';
import { selectStandards, type SelectStandardsDeps } from '../../src/services/select-standards.js';
import { realDeps } from '../fakes/deps.js';
import { copyCorpus, makeProject } from '../fakes/project.js';

const DB_RULE = `---
applies_to: ["src/db/**"]
---
# Database access

## Pattern

Every pool is created once, in src/db/pool.ts, with limits from the configuration.
`;

/** An assistant's paste: prose, then a git diff with a SQL flaw, an XSS flaw, a binary file and a deleted file. */
const CONTEXT = `Here is my change:

\`\`\`diff
diff --git a/src/routes/users.ts b/src/routes/users.ts
index 1111111..2222222 100644
--- a/src/routes/users.ts
+++ b/src/routes/users.ts
@@ -6,3 +6,7 @@ export const users = Router();
 users.get('/users/:id', async (req, res) => {
   res.json(await db.get('SELECT id FROM users WHERE id = ?', [req.params.id]));
 });
+users.get('/users', async (req, res) => {
+  const rows = await db.all("SELECT id, email FROM users WHERE email LIKE '%" + req.query.q + "%'");
+  res.json(rows);
+});
diff --git a/web/comments.js b/web/comments.js
index 3333333..4444444 100644
--- a/web/comments.js
+++ b/web/comments.js
@@ -1,3 +1,3 @@
 export function show(list, c) {
-  list.textContent = c.body;
+  list.innerHTML = '<li>' + c.body + '</li>';
 }
diff --git a/img/logo.png b/img/logo.png
index 5555555..6666666 100644
Binary files a/img/logo.png and b/img/logo.png differ
diff --git a/src/old.js b/src/old.js
deleted file mode 100644
index 7777777..0000000
\`\`\`
`;

describe('selectStandards (real index, keyword search)', () => {
  const p = makeProject({ 'development/db-access.md': DB_RULE });
  const deps = realDeps(p.root, null);
  let select: SelectStandardsDeps;

  beforeAll(async () => {
    copyCorpus(p.standards, (rel) => rel.startsWith('security/'));
    await indexStandards(deps.index, { full: true });
    select = { search: (input) => searchStandards(deps.search, input) };
  }, 120_000);
  afterAll(async () => {
    await deps.close();
    p.cleanup();
  });

  it('chooses the governing standard of each changed file, with the lines that matched, and says what it did not search', async () => {
    const sel = await selectStandards(select, { task: 'Review this change before I commit it', context: CONTEXT, domain: 'security' });
    expect(sel.change.kind).toBe('diff');
    expect(sel.change.prose).toBe('Here is my change:');
    expect(sel.unsearched).toEqual([
      { path: 'img/logo.png', why: 'binary' },
      { path: 'src/old.js', why: 'deleted' },
    ]);
    const files = sel.standards.map((s) => s.file);
    expect(files.length).toBeLessThanOrEqual(6);
    const sql = files.findIndex((f) => ['security/SQL_Injection_Prevention_Cheat_Sheet.md', 'security/Query_Parameterization_Cheat_Sheet.md', 'security/Injection_Prevention_Cheat_Sheet.md'].includes(f));
    const xss = files.findIndex((f) => ['security/Cross_Site_Scripting_Prevention_Cheat_Sheet.md', 'security/DOM_based_XSS_Prevention_Cheat_Sheet.md'].includes(f));
    expect(sql, files.join(', ')).toBeGreaterThanOrEqual(0);
    expect(xss, files.join(', ')).toBeGreaterThanOrEqual(0);
    // Why: the changed lines that share words with each standard.
    const sqlStd = sel.standards[sql]!;
    expect(sqlStd.via).toContain('src/routes/users.ts');
    expect(sqlStd.evidence.find((e) => e.line === 10)).toMatchObject({ path: 'src/routes/users.ts', text: expect.stringContaining('SELECT id, email FROM users') });
    expect(sqlStd.evidence.find((e) => e.line === 10)!.words).toContain('sql');
    const xssStd = sel.standards[xss]!;
    expect(xssStd.evidence.find((e) => e.path === 'web/comments.js')).toMatchObject({ line: 2, text: "list.innerHTML = '<li>' + c.body + '</li>';" });
    expect(xssStd.sections.length).toBeGreaterThanOrEqual(1);
    expect(sel.searches).toBeGreaterThan(4);
  });

  it("ranks a project standard whose applies_to matches a changed file's path", async () => {
    const diff = '--- a/src/db/pool.ts\n+++ b/src/db/pool.ts\n@@ -1 +1,2 @@\n import { Pool } from "pg";\n+export const pool = new Pool({ max: 50 });\n';
    const sel = await selectStandards(select, { task: 'Review this change', context: diff });
    expect(sel.standards[0]?.file, sel.standards.map((s) => s.file).join(', ')).toBe('development/db-access.md');
  });

  it('treats a context that is not a diff as code or prose, and a task naming a topic gets a slot', async () => {
    const code = await selectStandards(select, { task: 'Is this safe?', context: 'import pickle\n\ndef load(raw):\n    return pickle.loads(raw)\n' });
    expect(code.change.kind).toBe('code');
    expect(code.standards.map((s) => s.file)).toContain('security/Deserialization_Cheat_Sheet.md');
    const two = await selectStandards(select, {
      task: 'Are these safe?',
      context: 'First:\n```python\ndata = pickle.loads(raw)\n```\nSecond:\n```js\nlist.innerHTML = "<li>" + name + "</li>";\n```\n',
    });
    const evidence = two.standards.flatMap((s) => s.evidence.map((e) => `${s.file} ${e.path}:${e.line} ${e.text}`));
    expect(evidence).toContain('security/Deserialization_Cheat_Sheet.md snippet 1:1 data = pickle.loads(raw)');
    expect(evidence.some((e) => / snippet 2:1 list\.innerHTML/.test(e))).toBe(true);
    expect(evidence.some((e) => / snippet 1:1 list\.innerHTML/.test(e))).toBe(false);
    const prose = await selectStandards(select, { task: 'How should we store passwords?', context: 'We want to hash them before saving the user record.' });
    expect(prose.change.kind).toBe('prose');
    expect(prose.standards.slice(0, 3).map((s) => s.file)).toContain('security/Password_Storage_Cheat_Sheet.md');
    expect(prose.standards[0]!.via).toEqual(['task']);
  });

  it('search can return more than one section of a standard when asked (the selection asks for two)', async () => {
    const one = await searchStandards(deps.search, { query: 'password hashing salt work factor', limit: 6, maxPerFile: 1 });
    expect(new Set(one.results.map((r) => r.file)).size).toBe(one.results.length);
    const two = await searchStandards(deps.search, { query: 'password hashing salt work factor', limit: 6, maxPerFile: 2 });
    const counts = new Map<string, number>();
    for (const r of two.results) counts.set(r.file, (counts.get(r.file) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBe(2);
    await expect(searchStandards(deps.search, { query: 'x', maxPerFile: 0 })).rejects.toThrow('maxPerFile must be a whole number from 1 to 50; got 0.');
  });

  it('turns a failing search into a note, never an error', async () => {
    const broken: SelectStandardsDeps = {
      search: async () => {
        throw new Error('index is busy');
      },
    };
    const sel = await selectStandards(broken, { task: 'Review this change', context: CONTEXT, domain: 'security' });
    expect(sel.standards).toEqual([]);
    expect(sel.notes).toEqual(['index is busy']);
  });
});
