import { describe, expect, it } from 'vitest';
import { addedLines, fileHeader, parsePatch, parseUnifiedDiff, quoteDiffPath } from '../../src/domain/diff.js';
import { changedFiles, newFileDiff, reviewContext } from '../../src/services/review-working-tree.js';

/** Written by `git diff --cached -M HEAD` (git 2.39) for a modify, add, delete, rename-with-edit, binary add and pure rename. */
const GIT_DIFF = `diff --git a/src/app.ts b/src/app.ts
index 1b2c3d4..5e6f7a8 100644
--- a/src/app.ts
+++ b/src/app.ts
@@ -1,4 +1,5 @@
 import { db } from './db.js';
-export const get = (id: string) => db.get(id);
+export const get = (id: string) =>
+  db.all("SELECT * FROM t WHERE id = '" + id + "'");
 
 export const n = 1;
@@ -10,2 +11,2 @@ export function tail() {
--- a comment that starts with two dashes
+++ not a header either
 }
diff --git a/docs/new.md b/docs/new.md
new file mode 100644
index 0000000..e69de29
--- /dev/null
+++ b/docs/new.md
@@ -0,0 +1,2 @@
+# New
+text
\\ No newline at end of file
diff --git a/old/gone.py b/old/gone.py
deleted file mode 100644
index 3b18e51..0000000
--- a/old/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-import os
-os.system("rm -rf /")
diff --git a/lib/util.js b/lib/helpers.js
similarity index 90%
rename from lib/util.js
rename to lib/helpers.js
index 1111111..2222222 100644
--- a/lib/util.js
+++ b/lib/helpers.js
@@ -3 +3 @@ module.exports = {
-  a: 1,
+  a: eval(input),
diff --git a/img/logo.png b/img/logo.png
new file mode 100644
index 0000000..3333333
Binary files /dev/null and b/img/logo.png differ
diff --git "a/My Docs/\\303\\251t\\303\\251.txt" "b/My Docs/\\303\\251t\\303\\251.txt"
similarity index 100%
rename from "My Docs/\\303\\251t\\303\\251.txt"
rename to "My Docs/summer.txt"
`;

describe('parseUnifiedDiff', () => {
  const parsed = parseUnifiedDiff(GIT_DIFF);

  it('reads each file of a git diff with its status and paths', () => {
    expect(parsed.files.map((f) => [f.status, f.path, f.oldPath, f.binary])).toEqual([
      ['modified', 'src/app.ts', null, false],
      ['added', 'docs/new.md', null, false],
      ['deleted', 'old/gone.py', null, false],
      ['renamed', 'lib/helpers.js', 'lib/util.js', false],
      ['added', 'img/logo.png', null, true],
      ['renamed', 'My Docs/summer.txt', 'My Docs/été.txt', false],
    ]);
    expect(parsed.rest.trim()).toBe('');
  });

  it('numbers added, deleted and context lines by the hunk headers, dashes and pluses in content included', () => {
    const app = parsed.files[0]!;
    expect(app.hunks).toHaveLength(2);
    expect(addedLines(app)).toEqual([
      { line: 2, text: 'export const get = (id: string) =>' },
      { line: 3, text: `  db.all("SELECT * FROM t WHERE id = '" + id + "'");` },
      { line: 11, text: '++ not a header either' },
    ]);
    expect(app.hunks[1]!.lines[0]).toEqual({ kind: 'del', text: '-- a comment that starts with two dashes', oldLine: 10, newLine: null });
    expect(app.hunks[1]!.heading).toBe('export function tail() {');
    // The empty context line (its space stripped) still counts.
    expect(app.hunks[0]!.lines[4]).toEqual({ kind: 'context', text: '', oldLine: 3, newLine: 4 });
    expect(addedLines(parsed.files[1]!)).toEqual([
      { line: 1, text: '# New' },
      { line: 2, text: 'text' },
    ]);
  });

  it('gives deleted files their lines as deletions only, and binary files no lines', () => {
    const gone = parsed.files[2]!;
    expect(addedLines(gone)).toEqual([]);
    expect(gone.hunks[0]!.lines.map((l) => l.kind)).toEqual(['del', 'del']);
    expect(parsed.files[4]!.hunks).toEqual([]);
  });

  it('reads binary changes without a diff --git line and skips git binary patches', () => {
    const plain = parseUnifiedDiff('Binary files a/x.bin and b/x.bin differ\n');
    expect(plain.files).toEqual([{ path: 'x.bin', oldPath: null, status: 'modified', binary: true, hunks: [] }]);
    const patch = parseUnifiedDiff(
      'diff --git a/a.bin b/a.bin\nindex 1..2 100644\nGIT binary patch\nliteral 5\nMcmZ?b\n\nliteral 0\nHcmV?d00001\n\ndiff --git a/b.txt b/b.txt\n--- a/b.txt\n+++ b/b.txt\n@@ -1 +1 @@\n-a\n+b\n',
    );
    expect(patch.files.map((f) => [f.path, f.binary, addedLines(f).map((l) => l.text)])).toEqual([
      ['a.bin', true, []],
      ['b.txt', false, ['b']],
    ]);
  });

  it('finds a diff inside prose and a Markdown fence, and returns the rest', () => {
    const text = 'Please review this.\n\n```diff\n--- a/x.py\n+++ b/x.py\n@@ -1 +1,2 @@\n import os\n+os.system(cmd)\n```\n\nThanks!\n+ not part of any hunk\r\n';
    const p = parseUnifiedDiff(text);
    expect(p.files.map((f) => [f.path, addedLines(f)])).toEqual([['x.py', [{ line: 2, text: 'os.system(cmd)' }]]]);
    expect(p.rest).toBe('Please review this.\n\n```diff\n```\n\nThanks!\n+ not part of any hunk\n');
  });

  it('reads plain `diff -u` output (timestamps, no prefixes) and bare hunks', () => {
    const u = parseUnifiedDiff('--- conf.orig\t2024-01-01 10:00:00\n+++ conf\t2024-01-02 10:00:00\n@@ -1 +1 @@\n-a=1\n+a=2\n');
    expect(u.files.map((f) => [f.path, f.oldPath, f.status])).toEqual([['conf', 'conf.orig', 'renamed']]);
    const bare = parseUnifiedDiff('@@ -0,0 +1 @@\n+eval(x)\n');
    expect(bare.files.map((f) => [f.path, addedLines(f)])).toEqual([['', [{ line: 1, text: 'eval(x)' }]]]);
  });

  it('treats a context that is not a diff as rest only', () => {
    const code = 'const q = "SELECT * FROM users WHERE id = " + id;\n--- not a header\nfoo\n';
    const p = parseUnifiedDiff(code);
    expect(p.files).toEqual([]);
    expect(p.rest).toBe(code);
    expect(parseUnifiedDiff('').files).toEqual([]);
  });

  it('splits unquoted paths with spaces where both sides name the same file', () => {
    const p = parseUnifiedDiff('diff --git a/my file.ts b/my file.ts\nindex 1..2 100644\nBinary files a/my file.ts and b/my file.ts differ\n');
    expect(p.files.map((f) => [f.path, f.binary])).toEqual([['my file.ts', true]]);
  });

  it('reads a diff --git line that quotes one path and not the other, with no rename lines after it (a cut diff)', () => {
    const renamed = parseUnifiedDiff('diff --git "a/My Docs/\\303\\251t\\303\\251.txt" b/My Docs/summer file.txt\n');
    expect(renamed.files.map((f) => [f.status, f.path, f.oldPath])).toEqual([['renamed', 'My Docs/summer file.txt', 'My Docs/été.txt']]);
    const back = parseUnifiedDiff('diff --git a/My Docs/summer file.txt "b/My Docs/\\303\\251t\\303\\251.txt"\n');
    expect(back.files.map((f) => [f.status, f.path, f.oldPath])).toEqual([['renamed', 'My Docs/été.txt', 'My Docs/summer file.txt']]);
  });

  it('ends a hunk at its counts: a hunk claiming fewer lines than follow does not swallow the next file', () => {
    const p = parseUnifiedDiff('diff --git a/x.ts b/x.ts\n--- a/x.ts\n+++ b/x.ts\n@@ -1,2 +1 @@\n+a\n+b\ndiff --git a/y.ts b/y.ts\n--- a/y.ts\n+++ b/y.ts\n@@ -1 +1 @@\n-old\n+eval(x)\n');
    expect(p.files.map((f) => [f.path, addedLines(f)])).toEqual([
      ['x.ts', [{ line: 1, text: 'a' }]],
      ['y.ts', [{ line: 1, text: 'eval(x)' }]],
    ]);
    expect(p.rest).toBe('+b\n');
  });

  it('keeps the paths of a diff without a/ and b/ prefixes whole, whatever their first folder', () => {
    const p = parseUnifiedDiff('--- c/foo.c\t2024-01-01\n+++ c/foo.c\t2024-01-02\n@@ -1 +1 @@\n-a\n+b\n');
    expect(p.files.map((f) => [f.path, f.oldPath, f.status])).toEqual([['c/foo.c', null, 'modified']]);
  });

  it('reads the hunks of a GitHub patch with CRLF line ends', () => {
    const hunks = parsePatch('@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c\r\n');
    expect(hunks[0]!.lines.map((l) => [l.kind, l.text, l.newLine])).toEqual([
      ['context', 'a', 1],
      ['del', 'b', null],
      ['add', 'c', 2],
    ]);
  });
});

describe('fileHeader', () => {
  it('writes file headers the reader gives back the same paths from, hostile names included', () => {
    const names = ['src/app.ts', 'My Docs/été.txt', 'tab\there.ts', 'quote"d\\name.ts', 'x.ts\n@@ -0,0 +1 @@\n+import evil', '"wrapped".ts'];
    for (const name of names) {
      const p = parseUnifiedDiff(`${fileHeader(name, name)}\n@@ -1 +1 @@\n-a\n+b\n`);
      expect(p.files.map((f) => [f.path, f.oldPath, addedLines(f)])).toEqual([[name, null, [{ line: 1, text: 'b' }]]]);
      expect(p.rest).toBe('');
    }
    expect(fileHeader('lib/util.js', 'lib/helpers.js')).toBe('--- a/lib/util.js\n+++ b/lib/helpers.js');
    expect(fileHeader(null, 'new.ts')).toBe('--- /dev/null\n+++ b/new.ts');
    expect(quoteDiffPath('a/x\u0001y')).toBe('"a/x\\001y"');
    expect(parseUnifiedDiff(`diff --git ${quoteDiffPath('a/x\u0001y')} ${quoteDiffPath('b/x\u0001y')}\nnew file mode 100644\n`).files[0]!.path).toBe('x\u0001y');
  });
});

describe('changedFiles', () => {
  it('names every file of the diff once: new paths, deleted files by their old path', () => {
    expect(changedFiles(GIT_DIFF)).toEqual(['src/app.ts', 'docs/new.md', 'old/gone.py', 'lib/helpers.js', 'img/logo.png', 'My Docs/summer.txt']);
  });
});

describe('reviewContext', () => {
  it('names untracked files with control characters or quotes in the diff so that it reads back the same', () => {
    const names = ['odd\u0001 name.py', 'say "hi".py', 'two\nlines.py'];
    const ctx = reviewContext({ base: 'HEAD', diff: '', untracked: names, truncated: false }, names.map((path) => ({ path, content: 'x = 1\n' })));
    expect(parseUnifiedDiff(ctx).files.map((f) => [f.path, f.status, addedLines(f)])).toEqual(names.map((n) => [n, 'added', [{ line: 1, text: 'x = 1' }]]));
  });

  it('shows untracked files read for the review as new files in the diff, and names the rest', () => {
    const ctx = reviewContext(
      { base: 'HEAD', diff: 'diff --git a/x.ts b/x.ts\n--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-a\n+b\n', untracked: ['new file.py', 'logo.png'], truncated: false },
      [{ path: 'new file.py', content: 'import os\r\nos.system(cmd)\n' }],
    );
    const parsed = parseUnifiedDiff(ctx);
    expect(parsed.files.map((f) => [f.path, f.status, addedLines(f)])).toEqual([
      ['x.ts', 'modified', [{ line: 1, text: 'b' }]],
      ['new file.py', 'added', [{ line: 1, text: 'import os' }, { line: 2, text: 'os.system(cmd)' }]],
    ]);
    expect(ctx).toContain('New files not yet added to git (read them with read_file):\n- logo.png');
    expect(ctx).not.toContain('- new file.py');
    expect(newFileDiff('a.txt', '')).toBe('diff --git a/a.txt b/a.txt\nnew file mode 100644');
    expect(parseUnifiedDiff(newFileDiff('a.txt', '')).files).toEqual([{ path: 'a.txt', oldPath: null, status: 'added', binary: false, hunks: [] }]);
  });
});

